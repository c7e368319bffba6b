"""`kb import`: Obsidian vaults, Notion exports and hand-written outlines into notes, losing no words.

A pipeline by stage: `inputs` (read), then one of two ways in: pages imported as themselves
(`vault`: where each page goes and the sync with an earlier import, `targets`: what its links
need, `stamps`: where a note came from), or outlines carved (`references`: links rewritten,
`outline`: the lines' shape, `classify` and `carve`: what moves into which note, `outlines`);
`pages` and `plan` (ids, collisions, final texts), `write` (the only writer), `report` (the
table and JSON). Reference-manager libraries (.bib, CSL or Better BibTeX .json) are read by
`library` and planned beside the rest.
"""

from __future__ import annotations

from pathlib import Path

from .library import is_library, plan_libraries
from .outlines import SPLIT_OVER
from .plan import Plan, Planned, plan_import
from .report import ImportReport, Row
from .write import Progress, write_plan


def import_paths(root: Path, paths: list[Path], *, dry_run: bool = False,
                 progress: Progress | None = None, split_over: int = SPLIT_OVER,
                 carve: bool | None = None, papers: tuple[str, ...] = ()) -> ImportReport:
    """Import `paths` (files and folders) into the base at `root`; with `dry_run`, only say what
    would be done. `carve`: carve pages into papers, concepts and sections (None: only a text
    outline given by name); `papers`: folders of the export whose pages are papers. Every
    finding is a `Problem` of the report."""
    libraries = [path for path in paths if is_library(path)]
    plan = plan_import(root, [p for p in paths if p not in libraries], split_over=split_over,
                       carve=carve, papers=papers)
    if libraries:
        plan.notes += [Planned(path, text) for path, text in plan_libraries(root, libraries, plan.report)]
    if dry_run:
        plan.report.dry_run = True
        return plan.report
    return write_plan(root, plan, progress)


__all__ = ["ImportReport", "Plan", "Row", "import_paths", "plan_import", "write_plan"]
