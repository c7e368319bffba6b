"""`kb export`: the base in other tools' formats."""

from __future__ import annotations

from pathlib import Path

import click

from ..schema import PAPER, STATUSES
from .common import CONTEXT, root_option


@click.group(context_settings=CONTEXT)
def export() -> None:
    """Export notes to other formats (see `kb export bibtex --help`)."""


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
    from ..errors import KbError
    from ..export.bibtex import export as export_bibtex
    from ..notes.atomic import write_atomic

    text, count = export_bibtex(root, ids, status=status, tag=tag)
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            write_atomic(output, text)
        except OSError as exc:
            raise KbError(f"{output}: cannot write it ({exc.strerror})") from None
        click.echo(f"wrote {count} entr{'ies' if count != 1 else 'y'} to {output}", err=True)
