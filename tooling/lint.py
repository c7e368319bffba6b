"""`kb check`: every check it runs, in order, and every problem code any command reports.

Both lists are written out here, so neither depends on which modules a command happened to
import: the core checks (`checks`), then the study tracker's (`study.checks`); the catalogue
adds the codes commands report as they work (loading, import, fetch, add, demos, mark, review).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

from . import checks as core
from .base import KnowledgeBase, collector_paused
from .problems import CODES, Code, Problem
from .study import checks as study

Check = Callable[[KnowledgeBase], Iterable[Problem]]

CHECKS: tuple[Check, ...] = (
    core.missing_title, core.unknown_status, core.invalid_date, core.malformed_arxiv,
    core.invalid_field, core.duplicate_key, core.duplicate_id, core.unresolved_link,
    core.prerequisite_cycle, core.orphan_note, core.concept_without_demo, core.unclosed_fence,
    core.demo_outside_concept, core.empty_read_paper, core.malformed_paper_id,
    core.duplicate_paper_id, core.duplicate_arxiv,
    study.invalid_query, study.dataview_as_code, study.dataview_blocks, study.invalid_plan,
    study.invalid_review,
)

# Modules defining the codes other commands report (imported by `catalog` only: `kb check`
# itself needs none of them).
REPORTERS = ("tooling.load", "tooling.sources.add", "tooling.sources.fetch",
             "tooling.importing.inputs", "tooling.importing.decode", "tooling.importing.references",
             "tooling.importing.carve", "tooling.importing.pages", "tooling.importing.outlines",
             "tooling.importing.vault", "tooling.importing.targets", "tooling.importing.plan",
             "tooling.importing.write", "tooling.demos.batch", "tooling.study.mark",
             "tooling.study.review")


def code_of(check: Check) -> str:
    """The code a check finds (set by `problems.check`)."""
    return str(getattr(check, "code"))  # noqa: B009 (set at run time by the decorator)


def run_checks(kb: KnowledgeBase, codes: Iterable[str] | None = None) -> list[Problem]:
    """All problems of the base, loading ones first, sorted by path then line."""
    selected = set(codes) if codes is not None else None
    problems = [p for p in kb.load_problems if selected is None or p.code in selected]
    with collector_paused():  # the checks allocate little and free nothing worth a full scan
        for check in CHECKS:
            if selected is None or code_of(check) in selected:
                problems.extend(check(kb))
    return sorted(problems, key=lambda p: (p.path, p.line, p.code))


def catalog() -> dict[str, Code]:
    """Every code any command can report."""
    for module in REPORTERS:
        importlib.import_module(module)
    return CODES
