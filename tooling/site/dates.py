"""A note's created and modified dates as its card shows them: a `created` (or `added`) date in
the front matter wins (it is the user's word), then git, then the file (`notes/dates.py`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..base import KnowledgeBase
from ..model import Note, parse_date
from ..notes.dates import times_of


@dataclass(frozen=True, slots=True)
class Dates:
    created: dt.date | None
    modified: dt.date | None


def note_dates(kb: KnowledgeBase, note: Note) -> Dates:
    """A note's dates: front matter, then git, then the file's modification time."""
    written = parse_date(note.meta.get("created")) or parse_date(note.meta.get("added"))
    times = times_of(kb, note)
    modified = times.modified.date() if times.modified else None
    return Dates(written or (times.created.date() if times.created else None), modified)
