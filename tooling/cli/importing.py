"""`kb import`: bring Notion/Obsidian exports and hand-written lists into the base."""

from __future__ import annotations

from pathlib import Path

import click

from .common import CONTEXT, echo_json, echo_problems, json_option, progress_bar


@click.command("import", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True,
              help="Folder holding papers/, concepts/ and notes/ (created if it does not exist).")
@click.option("--dry-run", is_flag=True,
              help="Print what would be created, linked, copied and marked; write nothing.")
@json_option
def import_(paths: tuple[Path, ...], root: Path, dry_run: bool, as_json: bool) -> None:
    """Import Markdown/text exports (files or folders: Obsidian vaults, Notion exports,
    outlines) as papers, concepts, authors and notes, losing no words; and reference-manager
    libraries (refs.bib, or Zotero's CSL JSON / Better BibTeX JSON library.json) as papers.

    Every arXiv link, venue link and `Title (authors, year)` mention becomes a paper (the lines
    under it its body), deduplicated against the base by id and by title; `✅`/`[x]` mark
    read/studied; concepts and `## Authors` sections become notes; the rest of each page
    becomes a note linking to them. A library entry becomes a paper (identifiers, metadata, its
    citation key as an alias, its note or annotation text as the body), deduplicated against
    the base by DOI, arXiv id, then title. Notes already in the base are linked, never edited (marks
    for them are printed as `kb mark` commands). Running an import again, or after it was
    interrupted, creates only what is missing. Exit status 1 when something could not be read
    or written.

    \b
    Examples:
      kb import ~/Downloads/notion-export/ --dry-run
      kb import ~/vault --root ~/kb --json
      kb import reading-list.txt
      kb import refs.bib ~/Zotero/library.json --dry-run
    """
    from ..importing import import_paths

    progress = None if as_json or dry_run else progress_bar("Writing {total} notes and files")
    report = import_paths(root, list(paths), dry_run=dry_run, progress=progress)
    if as_json:
        echo_json(report.as_json())
    else:
        for line in report.table():
            click.echo(line)
        echo_problems(report.problems)
        click.echo(report.summary())
        if any(row.kind == "paper" and row.action == "create" for row in report.rows):
            click.echo("next: `kb fetch` fills in arXiv metadata; `kb fetch --resolve` finds the "
                       "arXiv ids of papers known by title only")
    if report.failed:
        raise click.exceptions.Exit(1)
