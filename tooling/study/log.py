"""The review log: `notes/reviews.log`, one line per review, appended and never rewritten.

    # comments and blank lines are ignored
    2024-11-05T09:30:00Z good activation-patching

A line is a UTC time (a bare date means midnight UTC), a grade (again, hard, good, easy) and the
concept's id. It lives with the notes because it is part of the knowledge base (the user's own
history, committed with them; not the disposable `.kb-cache/`). The walker sees it like any file
under `notes/`; the loader reads only `.md` files, the site does not publish it, and `kb check`
reports its malformed lines. Due dates are replayed from it (`review.py`), so no note is rewritten
when a concept is reviewed.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..base import KnowledgeBase
from ..notes.atomic import write_atomic
from ..problems import ERROR, Problem, define
from .errors import StudyError

LOG_PATH = "notes/reviews.log"
GRADES = ("again", "hard", "good", "easy")
HEADER = ("# Review log: one line per review (UTC time, grade, concept id), appended by\n"
          "# `kb review ID --grade again|hard|good|easy`. Due dates are replayed from it.\n")

INVALID_REVIEW = define(
    "invalid-review", ERROR, "a line of the review log that cannot be read",
    f"Each line of {LOG_PATH} is `TIME GRADE CONCEPT-ID`: a UTC time such as 2024-11-05T09:30:00Z "
    f"(or a date), one of {', '.join(GRADES)}, and the id of a concept note. Lines starting with "
    "# are comments. A bad line is left out when due dates are replayed; fix or delete it.")


@dataclass(frozen=True, slots=True)
class Entry:
    """One review: when (timezone-aware UTC), the grade given, the concept's id, the log line."""

    at: dt.datetime
    grade: str
    note: str
    line: int


@dataclass(slots=True)
class ReviewLog:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def of(self, note_id: str) -> list[Entry]:
        """One concept's reviews, oldest first (a stable sort keeps same-time lines in order)."""
        return sorted((e for e in self.entries if e.note == note_id), key=lambda e: e.at)


def parse_time(text: str) -> dt.datetime | None:
    """An ISO time (Z or an offset; naive means UTC) or a date, as a UTC datetime; None if neither."""
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"  # Python 3.10's fromisoformat does not know Z
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        return when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc)


def format_time(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_log(text: str) -> ReviewLog:
    log = ReviewLog()
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) < 3:
            log.problems.append(INVALID_REVIEW.at(LOG_PATH, number,
                                                  f"expected `TIME GRADE CONCEPT-ID`, got {line!r}"))
            continue
        when, grade, note = parse_time(parts[0]), parts[1].lower(), parts[2].strip()
        if when is None:
            log.problems.append(INVALID_REVIEW.at(LOG_PATH, number,
                                                  f"{parts[0]!r} is not a time (expected 2024-11-05T09:30:00Z)"))
        elif grade not in GRADES:
            log.problems.append(INVALID_REVIEW.at(LOG_PATH, number,
                                                  f"unknown grade {parts[1]!r} (expected one of {', '.join(GRADES)})"))
        else:
            log.entries.append(Entry(when, grade, note, number))
    return log


def read_log(root: Path) -> ReviewLog:
    """The log under `root` (none yet: an empty log). Unreadable bytes are a problem, not a crash."""
    path = Path(root) / LOG_PATH
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ReviewLog()
    except OSError as exc:
        return ReviewLog(problems=[INVALID_REVIEW.at(LOG_PATH, 0, f"cannot read: {exc.strerror}")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return ReviewLog(problems=[INVALID_REVIEW.at(LOG_PATH, line, f"not UTF-8 text (byte {exc.start})")])
    return parse_log(text.lstrip("\ufeff"))


def log_of(kb: KnowledgeBase) -> ReviewLog:
    """The base's review log, read once per KnowledgeBase (like its cached properties)."""
    found = kb.__dict__.get("_review_log")
    if found is None:
        found = kb.__dict__["_review_log"] = read_log(kb.root)
    assert isinstance(found, ReviewLog)
    return found


def entry_line(when: dt.datetime, grade: str, note_id: str) -> str:
    return f"{format_time(when)} {grade} {note_id}\n"


def append(root: Path, when: dt.datetime, grade: str, note_id: str) -> None:
    """Add one review at the end of the log (created with a header on first use).

    The whole file is written again atomically, so a crash leaves either the old log or the new
    one, never half a line; the existing bytes are copied as they are. StudyError when the log
    cannot be read as text or written.
    """
    path = Path(root) / LOG_PATH
    try:
        try:
            old = path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            old = HEADER
        eol = "\r\n" if "\r\n" in old else "\n"  # a log saved with CRLF stays CRLF
        if old and not old.endswith("\n"):
            old += eol
        write_atomic(Path(os.path.realpath(path)), old + entry_line(when, grade, note_id).replace("\n", eol))
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise StudyError(INVALID_REVIEW.at(LOG_PATH, 0, f"cannot add the review: {reason}; "
                                                        "nothing was recorded")) from None
