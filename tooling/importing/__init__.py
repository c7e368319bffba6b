"""`kb import`: Notion/Obsidian exports and hand-written outlines into notes, losing no words.

A pipeline by stage: `inputs` (read), `references` and `sanitise` (what the text points at, and
what must not run), `outline` (the lines' shape), `classify` and `carve` (what moves into which
note), `pages` and `plan` (ids, collisions, final texts, re-runs), `write` (the only writer),
`report` (the table and JSON). Reference-manager libraries (.bib, CSL or Better BibTeX .json)
are read by `library` and planned beside the rest.
"""

from __future__ import annotations

from pathlib import Path

from .library import is_library, plan_libraries
from .plan import SPLIT_OVER, Plan, plan_import
from .report import ImportReport, Row
from .write import Progress, write_plan


def import_paths(root: Path, paths: list[Path], *, dry_run: bool = False,
                 progress: Progress | None = None, split_over: int = SPLIT_OVER) -> ImportReport:
    """Import `paths` (files and folders) into the base at `root`; with `dry_run`, only say what
    would be done. Every finding is a `Problem` of the report."""
    libraries = [path for path in paths if is_library(path)]
    plan = plan_import(root, [p for p in paths if p not in libraries], split_over=split_over)
    if libraries:
        plan.notes += plan_libraries(root, libraries, plan.report)
    if dry_run:
        plan.report.dry_run = True
        return plan.report
    return write_plan(root, plan, progress)


__all__ = ["ImportReport", "Plan", "Row", "import_paths", "plan_import", "write_plan"]
