"""`kb add` and `kb fetch`: papers from arXiv, OpenAlex, OpenReview and Crossref, and keeping
their metadata current."""

from __future__ import annotations

from pathlib import Path

import click

from ..schema import PAPER, STATUSES
from .common import (
    CONTEXT,
    echo,
    echo_json,
    echo_problems,
    failed,
    json_option,
    progress_bar,
    root_option,
)


def _requests(counts: dict[str, int]) -> str:
    """`1 request to arXiv`, `3 requests (arXiv 1, OpenAlex 2)`."""
    asked = {name: n for name, n in counts.items() if n} or counts
    total = sum(asked.values())
    plural = "s" * (total != 1)
    if len(asked) == 1:
        return f"{total} request{plural} to {next(iter(asked))}"
    return f"{total} request{plural} ({', '.join(f'{name} {n}' for name, n in asked.items())})"


def _source_label(work: object) -> str:
    from ..sources.work import ARXIV_SOURCE, Work

    assert isinstance(work, Work)
    if work.source == ARXIV_SOURCE:
        return f"arXiv {work.id('arxiv')}" + (f"v{work.version}" if work.version else "")
    return f"{work.source} {work.label}"


@click.command(context_settings=CONTEXT)
@click.argument("refs", nargs=-1, metavar="[REF]...")
@click.option("--title", metavar="TEXT",
              help="Find the paper by its exact title (arXiv's title search, then OpenAlex's; "
                   "case and punctuation ignored). With no single exact match, lists the "
                   "candidates and adds nothing.")
@click.option("--status", type=click.Choice(STATUSES[PAPER]), default=STATUSES[PAPER][0],
              show_default=True, help="Study status of the new notes.")
@click.option("--concept", "concepts", multiple=True, metavar="ID",
              help="A concept the paper is about (repeatable).")
@click.option("--replace", metavar="NOTE",
              help="Write the paper found into this existing note (one known by title only, "
                   "e.g. a candidate `kb fetch --resolve` listed) instead of a new note: the "
                   "tool's fields take the source's values, your words stay.")
@root_option
@json_option
def add(refs: tuple[str, ...], title: str | None, status: str, concepts: tuple[str, ...],
        replace: str | None, root: Path, as_json: bool) -> None:
    """Add papers: one note each in papers/, with complete metadata from their source.

    REF is an arXiv id in any common form (2202.05262, arXiv:2202.05262v3, hep-th/9901001, an abs
    or pdf URL), a DOI or doi.org URL, an ACL Anthology id or URL (2020.acl-main.463, P19-1001),
    an OpenReview forum or pdf URL, or an OpenAlex id (W2741809807). arXiv ids are asked of arXiv,
    OpenReview ids of OpenReview, the others of OpenAlex (Crossref when OpenAlex lacks a DOI).
    The note is named like meng2022locating. A paper already in the base (any of its ids) is not
    added twice: the command says which note has it. Nothing is added when any REF is unknown.

    \b
    Examples:
      kb add 2202.05262
      kb add arXiv:2211.00593v1 https://arxiv.org/pdf/2305.18290 --status reading
      kb add 10.23915/distill.00024.001 https://aclanthology.org/2020.acl-main.463/
      kb add https://openreview.net/forum?id=HyxY6JHKwr
      kb add --title "Locating and Editing Factual Associations in GPT" --concept activation-patching
      kb add W2741809807 --replace vaswani2017attention
    """
    from ..sources.add import add_papers

    if not refs and title is None:
        raise click.UsageError("give at least one REF or --title TEXT")
    report = add_papers(root, refs, title=title, status=status, concepts=concepts, replace=replace)
    if as_json:
        echo_json({"created": [{"path": a.path, "ids": [str(i) for i in a.work.ids],
                                "source": a.work.source, "title": a.work.title}
                               for a in report.created],
                   "replaced": [{"path": path, "changes": [c.as_json() for c in changes]}
                                for path, changes in report.replaced],
                   "requests": sum(report.requests.values()),
                   "problems": [p.as_dict() for p in report.problems]})
        return
    for added in report.created:
        echo(f"created {added.path}: {added.work.title} ({_source_label(added.work)})")
    for path, changes in report.replaced:
        for change in changes:
            echo(f"{path}: {change.describe()}")
        echo(f"replaced the metadata of {path}" if any(c.writes for c in changes)
                   else f"{path}: nothing to change")
    echo_problems(report.problems)


@click.command(context_settings=CONTEXT)
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--refresh", is_flag=True, help="Ignore today's cached answers and ask again.")
@click.option("--dry-run", is_flag=True, help="Print what would change and write nothing.")
@click.option("--resolve", is_flag=True,
              help="Find the identifiers of papers known by title only: arXiv's exact title "
                   "first, then OpenAlex's, written only when the year (±1) and the first "
                   "author's surname agree; otherwise the candidates are listed.")
@click.option("--references", is_flag=True,
              help="Instead of metadata, store the identifiers of the works each paper cites "
                   "(OpenAlex, 50 papers a request; kept across days, so a rerun asks nothing), "
                   "and name the works they cite most. `kb suggest` reads them.")
@click.option("--citing", is_flag=True,
              help="With --references: also store the most cited works citing your papers.")
@root_option
@json_option
def fetch(ids: tuple[str, ...], refresh: bool, dry_run: bool, resolve: bool, references: bool,
          citing: bool, root: Path, as_json: bool) -> None:
    """Fill in and refresh the metadata of paper notes (all, or the IDs given).

    Each paper is asked of its source: arXiv for an arXiv id, OpenReview for an OpenReview id,
    OpenAlex for a DOI, ACL Anthology or OpenAlex id (Crossref for DOIs OpenAlex lacks). Fields
    the tool wrote and you did not touch follow the source (a new version's title, authors,
    version and dates, a journal reference, a DOI); missing fields are filled in; your own
    values, all other fields and the body are never changed ("kept your title"). The tool
    records what it wrote in the `arxiv_sync` field. Answers are cached for the day in
    .kb-cache/, so a second run makes no request.

    ID is a note id or any identifier of the paper. Prints one line per change:
    `papers/x.md: version 2 -> 3`.

    \b
    Examples:
      kb fetch
      kb fetch meng2022locating --dry-run
      kb fetch --refresh --root ~/kb
      kb fetch --resolve
      kb fetch --references
    """
    if citing and not references:
        raise click.UsageError("--citing goes with --references")
    if references:
        _fetch_references(ids, citing, root, as_json)
        return
    from ..sources.fetch import fetch_papers

    report = fetch_papers(root, ids, refresh=refresh, dry_run=dry_run, resolve=resolve,
                          progress=None if as_json else progress_bar("Asking ({total} requests)"))
    if as_json:
        echo_json(report.as_json())
        if report.failed:
            raise click.exceptions.Exit(1)
        return
    for update in report.updates:
        for change in update.changes:
            echo(f"{update.path}: {change.describe()}")
    echo_problems(report.problems)
    changed = sum(update.written for update in report.updates)
    verb = "would update" if dry_run else "updated"
    echo(f"checked {report.checked} paper{'s' * (report.checked != 1)}: {verb} {changed}, "
               f"{_requests(report.requests)}" + ("; dry run, nothing written" if dry_run else ""))
    if failed(report.problems):
        raise click.exceptions.Exit(1)


def _fetch_references(ids: tuple[str, ...], citing: bool, root: Path, as_json: bool) -> None:
    from ..sources.references import fetch_references

    report = fetch_references(root, ids, citing=citing,
                              progress=None if as_json else progress_bar("Asking ({total} requests)"))
    if as_json:
        echo_json(report.as_json())
        return
    if report.unknown:
        echo(f"no source knows {len(report.unknown)}: {', '.join(report.unknown[:10])}"
                   + (" ..." if len(report.unknown) > 10 else ""), err=True)
    if report.no_source:
        echo(f"{len(report.no_source)} paper{'s' * (len(report.no_source) != 1)} without an "
                   "identifier OpenAlex takes (title only, or OpenReview only): `kb fetch --resolve` "
                   "finds identifiers", err=True)
    echo(f"references stored for {report.stored} paper{'s' * (report.stored != 1)} "
               f"({report.asked} asked now), {report.named} cited works named"
               + (f", {report.citing} citing works" if citing else "")
               + f", {_requests(report.requests or {'OpenAlex': 0})}")
