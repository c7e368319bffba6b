"""`kb import`: bring Notion/Obsidian exports and hand-written lists into the base."""

from __future__ import annotations

from pathlib import Path

import click

from .common import CONTEXT, echo, echo_json, echo_problems, json_option, progress_bar


@click.command("import", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True,
              help="Folder holding papers/, concepts/ and notes/ (created if it does not exist).")
@click.option("--dry-run", is_flag=True,
              help="Print what would be created, linked, copied and marked; write nothing.")
@click.option("--carve/--no-carve", default=None,
              help="Carve pages into papers, concepts, authors and sections (default: only a .txt "
                   "outline given by name is carved; folders import page by page).")
@click.option("--papers", "papers", multiple=True, metavar="FOLDER",
              help="A folder of the export (e.g. `Literature`) whose pages are papers; repeatable.")
@json_option
def import_(paths: tuple[Path, ...], root: Path, dry_run: bool, carve: bool | None,
            papers: tuple[str, ...], as_json: bool) -> None:
    """Import Markdown/text exports (files or folders: Obsidian vaults, Notion exports,
    outlines) into the base, losing no words; and reference-manager libraries (refs.bib, or
    Zotero's CSL JSON / Better BibTeX JSON library.json) as papers.

    A folder imports as itself: one note per page under `notes/<export>/`, its folders, file
    names, words and links as written, attachments copied beside it; a page is a paper when its
    front matter has an `arxiv` or `doi`, or it lies in a `--papers` folder. Importing it again
    is a sync: unchanged pages are skipped, changed ones update their note unless you edited
    that note since, new ones are added, wherever the export now lies.

    An outline (a .txt file given by name, or anything with `--carve`) is carved: every arXiv
    link, venue link and `Title (authors, year)` mention becomes a paper, `✅`/`[x]` mark
    read/studied, concepts and `## Authors` sections become notes, the rest a note linking to
    them. A library entry becomes a paper (identifiers, metadata, its citation key as an alias,
    its note or annotation text as the body), deduplicated against the base by DOI, arXiv id,
    then title. Notes already in the base are linked, never edited (marks for them are printed
    as `kb mark` commands). Exit status 1 when something could not be read or written.

    \b
    Examples:
      kb import ~/vault --dry-run
      kb import ~/vault --root ~/kb --papers Literature --json
      kb import reading-list.txt
      kb import refs.bib ~/Zotero/library.json --dry-run
      kb import ~/Downloads/notion-export/ --carve
    """
    from ..importing import import_paths

    progress = None if as_json or dry_run else progress_bar("Writing {total} notes and files")
    report = import_paths(root, list(paths), dry_run=dry_run, progress=progress, carve=carve,
                          papers=papers)
    if as_json:
        echo_json(report.as_json())
    else:
        for line in report.table():
            echo(line)
        echo_problems(report.problems)
        echo(report.summary())
        if any(row.kind == "paper" and row.action == "create" for row in report.rows):
            echo("next: `kb fetch` fills in arXiv metadata; `kb fetch --resolve` finds the "
                       "arXiv ids of papers known by title only")
    if report.failed:
        raise click.exceptions.Exit(1)
