"""OpenReview as a source: papers by forum id from its public API (api2.openreview.net, no
account needed for public notes). Notes come BATCH to a request (`/notes?ids=a,b,...`), at least
DELAY seconds apart: OpenReview publishes no limit and answers 429 when pressed, so we ask
slowly. Both of its note shapes are read: API 2's `{"title": {"value": ...}}` and API 1's plain
values. Answers are kept for the day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from ..identifiers import OPENREVIEW, PaperId, openreview_bare
from . import http
from .cache import DayCache
from .work import OPENREVIEW_SOURCE, Work

SERVICE = http.Service(OPENREVIEW_SOURCE, "OPENREVIEW", "https://api2.openreview.net", delay=1.0)
BATCH = 50


def look_up(ids: Sequence[str], cache: DayCache | None, *,
            refresh: bool = False) -> dict[str, Work | None]:
    """Each forum id's work, None when OpenReview has no public note of that id."""
    found: dict[str, Work | None] = {}
    wanted: list[str] = []
    for ident in dict.fromkeys(ids):
        key = str(PaperId(OPENREVIEW, ident))
        cached = cache.get(key) if cache is not None and not refresh else None
        if cached is not None:
            found[ident] = cached[0] if cached else None
        else:
            wanted.append(ident)
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start:start + BATCH]
        answer = http.get_json(SERVICE, "/notes", {"ids": ",".join(batch)})
        if answer is not None and not (isinstance(answer, dict)
                                       and isinstance(answer.get("notes"), list)):
            raise http.UnreadableAnswer("no list of notes")
        notes = {str(note.get("id")): note for note in (answer or {}).get("notes", [])
                 if isinstance(note, dict)}
        for ident in batch:
            note = notes.get(ident)
            work = work_of(note) if note is not None else None
            found[ident] = work
            if cache is not None:
                cache.put(str(PaperId(OPENREVIEW, ident)), [work] if work else [])
    return found


def _value(content: dict[str, Any], name: str) -> Any:
    """A content field in either API's shape: `{"value": x}` (API 2) or `x` (API 1)."""
    raw = content.get(name)
    return raw.get("value") if isinstance(raw, dict) else raw


def work_of(note: dict[str, Any]) -> Work:
    """One OpenReview note (a submission) as a Work."""
    content = note.get("content") if isinstance(note.get("content"), dict) else {}
    assert isinstance(content, dict)
    ident = openreview_bare(str(note.get("forum") or note.get("id") or ""))
    authors = _value(content, "authors")
    venue = _value(content, "venue")
    published = _day(note.get("pdate") or note.get("odate") or note.get("cdate"))
    year = int(published[:4]) if published else _year_in(venue)
    return Work(
        source=OPENREVIEW_SOURCE, title=str(_value(content, "title") or ""),
        authors=tuple(str(a) for a in authors if isinstance(a, str)) if isinstance(authors, list)
        else (),
        year=year, venue=str(venue) if isinstance(venue, str) and venue.strip() else None,
        abstract=str(_value(content, "abstract") or "") or None,
        ids=(PaperId(OPENREVIEW, ident),) if ident else (),
        published=published,
        pdf_url=f"https://openreview.net/pdf?id={ident}" if ident and _value(content, "pdf") else None,
    )


def _day(millis: Any) -> str | None:
    """A note's date (milliseconds since 1970) as YYYY-MM-DD."""
    if not isinstance(millis, (int, float)) or isinstance(millis, bool) or not 0 < millis < 4e12:
        return None
    return dt.datetime.fromtimestamp(millis / 1000, dt.timezone.utc).date().isoformat()


def _year_in(venue: Any) -> int | None:
    found = re.search(r"\b(19|20)\d\d\b", venue) if isinstance(venue, str) else None
    return int(found.group(0)) if found else None
