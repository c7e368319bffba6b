"""`kb export`: the base in other tools' formats."""

from __future__ import annotations

from pathlib import Path

import click

from ..schema import PAPER, STATUSES
from .common import CONTEXT, echo, root_option


@click.group(context_settings=CONTEXT)
def export() -> None:
    """Export notes to other formats (see `kb export bibtex --help`, `kb export csl --help`)."""


@export.command(context_settings=CONTEXT)
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--status", type=click.Choice(STATUSES[PAPER]), help="Only papers with this status.")
@click.option("--tag", metavar="TAG", help="Only papers with this tag.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (atomically) instead of standard output.")
@root_option
def bibtex(ids: tuple[str, ...], status: str | None, tag: str | None, output: Path | None,
           root: Path) -> None:
    """BibTeX for paper notes: all of them, the IDs given, or those with a status or tag.

    Entries follow arXiv's style: @misc, or @article once there is a journal reference, with
    eprint, archivePrefix, primaryClass and doi. The citation key is the note id, so it stays
    the same when `kb fetch` refreshes the metadata. LaTeX specials and accents are escaped.

    \b
    Examples:
      kb export bibtex > papers.bib
      kb export bibtex meng2022locating wang2022interpretability
      kb export bibtex --status read --tag mech-interp -o read.bib
    """
    from ..export.bibtex import export as export_bibtex

    text, count = export_bibtex(root, ids, status=status, tag=tag)
    _write(text, count, output, "entry")


def _write(text: str, count: int, output: Path | None, what: str) -> None:
    """The export on standard output, or written atomically to `output`."""
    from ..errors import KbError
    from ..notes.atomic import write_atomic

    if output is None:
        echo(text, nl=False)
        return
    try:
        write_atomic(output, text)
    except OSError as exc:
        raise KbError(f"{output}: cannot write it ({exc.strerror})") from None
    plural = {"entry": "entries", "item": "items"}[what] if count != 1 else what
    echo(f"wrote {count} {plural} to {output}", err=True)


@export.command(context_settings=CONTEXT)
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--status", type=click.Choice(STATUSES[PAPER]), help="Only papers with this status.")
@click.option("--tag", metavar="TAG", help="Only papers with this tag.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (atomically) instead of standard output.")
@root_option
def csl(ids: tuple[str, ...], status: str | None, tag: str | None, output: Path | None,
        root: Path) -> None:
    """CSL JSON for paper notes (Zotero, Pandoc/citeproc, Quarto): all of them, the IDs given,
    or those with a status or tag.

    The item id and citation key are the note id; preprints are `article` with `number:
    arXiv:ID`, proceedings and OpenReview papers `paper-conference`, the rest
    `article-journal`; authors are split into family and given names.

    \b
    Examples:
      kb export csl > papers.json
      kb export csl --status read -o read.json
      pandoc notes.md --citeproc --bibliography papers.json
    """
    from ..export.csl import export as export_csl

    _write(*export_csl(root, ids, status=status, tag=tag), output, "item")
