"""`kb add` and `kb fetch`: papers from arXiv, and keeping their metadata current."""

from __future__ import annotations

from pathlib import Path

import click

from ..schema import PAPER, STATUSES
from .common import CONTEXT, echo_json, echo_problems, failed, json_option, progress_bar, root_option


@click.command(context_settings=CONTEXT)
@click.argument("refs", nargs=-1, metavar="[REF]...")
@click.option("--title", metavar="TEXT",
              help="Find the paper by its exact title (arXiv title search; case and punctuation "
                   "ignored). With no single exact match, lists the candidates and adds nothing.")
@click.option("--status", type=click.Choice(STATUSES[PAPER]), default=STATUSES[PAPER][0],
              show_default=True, help="Study status of the new notes.")
@click.option("--concept", "concepts", multiple=True, metavar="ID",
              help="A concept the paper is about (repeatable).")
@root_option
@json_option
def add(refs: tuple[str, ...], title: str | None, status: str, concepts: tuple[str, ...],
        root: Path, as_json: bool) -> None:
    """Add papers from arXiv: one note each in papers/, with complete metadata.

    REF is an arXiv id in any common form: 2202.05262, 2202.05262v3, arXiv:2202.05262,
    hep-th/9901001, an abs or pdf URL, or a 10.48550/arXiv.* DOI. The note is named like
    meng2022locating. A paper already in the base (any version) is not added twice: the command
    says which note has it. Nothing is added when any REF is unknown to arXiv.

    \b
    Examples:
      kb add 2202.05262
      kb add arXiv:2211.00593v1 https://arxiv.org/pdf/2305.18290 --status reading
      kb add --title "Locating and Editing Factual Associations in GPT" --concept activation-patching
    """
    from ..arxiv.add import add_papers

    if not refs and title is None:
        raise click.UsageError("give at least one REF or --title TEXT")
    report = add_papers(root, refs, title=title, status=status, concepts=concepts)
    if as_json:
        echo_json({"created": [{"path": a.path, "arxiv": a.record.short_id, "title": a.record.title}
                               for a in report.created],
                   "requests": report.requests,
                   "problems": [p.as_dict() for p in report.problems]})
        return
    for added in report.created:
        click.echo(f"created {added.path}: {added.record.title} (arXiv {added.record.short_id})")
    echo_problems(report.problems)


@click.command(context_settings=CONTEXT)
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--refresh", is_flag=True, help="Ignore today's cached answers and ask arXiv again.")
@click.option("--dry-run", is_flag=True, help="Print what would change and write nothing.")
@click.option("--resolve", is_flag=True,
              help="Find the arXiv id of papers without one by title (single exact match only).")
@root_option
@json_option
def fetch(ids: tuple[str, ...], refresh: bool, dry_run: bool, resolve: bool, root: Path,
          as_json: bool) -> None:
    """Fill in and refresh the arXiv metadata of paper notes (all, or the IDs given).

    Fields the tool wrote and you did not touch follow arXiv (a new version's title, authors,
    version and dates, a journal reference, a DOI); missing fields are filled in; your own
    values, all other fields and the body are never changed ("kept your title"). The tool
    records what it wrote in the `arxiv_sync` field. Answers are cached for the day in
    .kb-cache/arxiv/, so a second run makes no request.

    ID is a note id or an arXiv id. Prints one line per change: `papers/x.md: version 2 -> 3`.

    \b
    Examples:
      kb fetch
      kb fetch meng2022locating --dry-run
      kb fetch --refresh --root ~/kb
      kb fetch --resolve
    """
    from ..arxiv.fetch import fetch_papers

    report = fetch_papers(root, ids, refresh=refresh, dry_run=dry_run, resolve=resolve,
                          progress=None if as_json else progress_bar("Asking arXiv ({total} requests)"))
    if as_json:
        echo_json(report.as_json())
        if report.failed:
            raise click.exceptions.Exit(1)
        return
    for update in report.updates:
        for change in update.changes:
            click.echo(f"{update.path}: {change.describe()}")
    echo_problems(report.problems)
    changed = sum(update.written for update in report.updates)
    verb = "would update" if dry_run else "updated"
    click.echo(f"checked {report.checked} paper{'s' * (report.checked != 1)}: {verb} {changed}, "
               f"{report.requests} request{'s' * (report.requests != 1)} to arXiv"
               + ("; dry run, nothing written" if dry_run else ""))
    if failed(report.problems):
        raise click.exceptions.Exit(1)
