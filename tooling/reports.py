"""Stage 4b: reading lists and progress, as plain data over the knowledge base.

The site's home page and reading-list page render these; nothing here knows about HTML.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

from .base import KnowledgeBase
from .graph import prerequisite_order
from .model import Note, parse_date
from .schema import ACTIVE_STATUSES, CONCEPT, DONE_STATUSES, PAPER, PRIORITIES, STATUSES

_PRIORITY_RANK = {name: rank for rank, name in enumerate(PRIORITIES)}


def status_counts(kb: KnowledgeBase) -> dict[str, dict[str, int]]:
    """Per kind (papers, concepts), how many notes are in each status, in vocabulary order."""
    counts: dict[str, dict[str, int]] = {}
    for kind, statuses in STATUSES.items():
        found = Counter(note.status for note in kb.index.notes.values() if note.kind == kind)
        counts[kind] = {status: found.get(status, 0) for status in statuses}
    return counts


def in_progress(kb: KnowledgeBase) -> list[Note]:
    """What is being read or studied now, most recently started first."""
    active = sorted((n for n in kb.index.notes.values() if n.status in ACTIVE_STATUSES),
                    key=lambda n: n.title.lower())
    return sorted(active, key=lambda n: _date(n, "started") or dt.date.min, reverse=True)


def next_up(kb: KnowledgeBase, limit: int | None = None) -> list[Note]:
    """Papers to read next: high priority first, then those added earliest."""
    queue = [n for n in kb.index.notes.values() if n.kind == PAPER and n.status == "to-read"]
    queue.sort(key=lambda n: (_PRIORITY_RANK.get(str(n.meta.get("priority")), len(PRIORITIES)),
                              _date(n, "added") or dt.date.max, n.title.lower()))
    return queue[:limit] if limit is not None else queue


def recently_finished(kb: KnowledgeBase, limit: int | None = 10,
                      since: dt.date | None = None) -> list[tuple[Note, dt.date]]:
    """Notes marked done with their `finished` date (on or after `since`), newest first."""
    dated = [(n, day) for n in kb.index.notes.values()
             if n.status in DONE_STATUSES and (day := _date(n, "finished")) is not None
             and (since is None or day >= since)]
    dated.sort(key=lambda pair: pair[1], reverse=True)
    return dated[:limit]


@dataclass(slots=True)
class StudyStep:
    """One concept of a study plan, with the prerequisites still to be studied first."""

    note: Note
    waiting_on: list[str] = field(default_factory=list)


def study_plan(kb: KnowledgeBase, targets: list[str] | None = None) -> list[StudyStep]:
    """Concepts not yet studied, in an order where every prerequisite comes first.

    Returns an empty plan when prerequisites form a cycle (`kb check` names it).
    """
    try:
        order = prerequisite_order(kb.prerequisites, targets)
    except nx.NetworkXUnfeasible:
        return []
    steps = []
    for concept in order:
        note = kb.note(concept)
        if note is None or note.status == "studied":
            continue
        waiting = [target for target in kb.prerequisites.successors(concept)
                   if _status_of(kb, target) != "studied"]
        steps.append(StudyStep(note, sorted(waiting)))
    return steps


def tags(kb: KnowledgeBase) -> dict[str, list[Note]]:
    """Tag -> notes carrying it (sorted by title), tags sorted by name."""
    found: dict[str, list[Note]] = {}
    for note in kb.index.notes.values():
        for tag in note.tags:
            found.setdefault(tag, []).append(note)
    return {tag: sorted(notes, key=lambda n: n.title.lower()) for tag, notes in sorted(found.items())}


def concepts_by_status(kb: KnowledgeBase) -> dict[str, list[Note]]:
    """Concepts grouped by status: studying first, then to-study, then studied."""
    order = ("studying", "to-study", "studied")
    grouped: dict[str, list[Note]] = {status: [] for status in order}
    for note in kb.of_kind(CONCEPT):
        grouped.setdefault(note.status or "to-study", []).append(note)
    return grouped


def _status_of(kb: KnowledgeBase, node: str) -> str | None:
    note = kb.note(node)
    return note.status if note is not None else None


def _date(note: Note, key: str) -> dt.date | None:
    value = note.meta.get(key)
    return parse_date(value) if value is not None else None
