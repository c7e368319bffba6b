"""Stage 4b: reading lists and progress, as plain data over the knowledge base.

The site's home page and reading-list page render these; nothing here knows about HTML. What
comes next, and in what order, is not here: `study/next.py` is the one ranking every list uses.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from .base import KnowledgeBase
from .model import Note, parse_date
from .schema import (
    ACTIVE_STATUSES,
    CONCEPT,
    DEFAULT_STATUS,
    DONE_STATUSES,
    STATUSES,
    STUDIED,
    STUDYING,
    TO_STUDY,
)


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


def recently_finished(kb: KnowledgeBase, limit: int | None = 10,
                      since: dt.date | None = None) -> list[tuple[Note, dt.date]]:
    """Notes marked done with their `finished` date (on or after `since`), newest first."""
    dated = [(n, day) for n in kb.index.notes.values()
             if n.status in DONE_STATUSES and (day := _date(n, "finished")) is not None
             and (since is None or day >= since)]
    dated.sort(key=lambda pair: pair[1], reverse=True)
    return dated[:limit]


def tags(kb: KnowledgeBase) -> dict[str, list[Note]]:
    """Tag -> notes carrying it (`Note.tags`: front matter and text; sorted by title), tags
    sorted by name, one entry whatever the case (the first spelling met)."""
    found: dict[str, list[Note]] = {}
    spelled: dict[str, str] = {}
    for note in kb.index.notes.values():
        for tag in note.tags:
            found.setdefault(spelled.setdefault(tag.casefold(), tag), []).append(note)
    return {tag: sorted(notes, key=lambda n: n.title.lower()) for tag, notes in sorted(found.items())}


def concepts_by_status(kb: KnowledgeBase) -> dict[str, list[Note]]:
    """Concepts grouped by status: studying first, then to-study, then studied."""
    order = (STUDYING, TO_STUDY, STUDIED)
    grouped: dict[str, list[Note]] = {status: [] for status in order}
    for note in kb.of_kind(CONCEPT):
        grouped.setdefault(note.status or DEFAULT_STATUS[CONCEPT], []).append(note)
    return grouped


def _date(note: Note, key: str) -> dt.date | None:
    value = note.meta.get(key)
    return parse_date(value) if value is not None else None
