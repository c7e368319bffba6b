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
import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..base import KnowledgeBase
from ..notes.inside import inside
from ..problems import ERROR, Problem, define
from ..schema import GRADES
from .errors import StudyError

LOG_PATH = "notes/reviews.log"

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
    """An ISO time (Z or an offset; naive means UTC) or a date, as a UTC datetime; None if neither
    (or if it falls outside the calendar once moved to UTC: `0001-01-01T00:00+05:00`)."""
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"  # Python 3.10's fromisoformat does not know Z
    try:
        when = dt.datetime.fromisoformat(text)
        if when.tzinfo is None:
            return when.replace(tzinfo=dt.timezone.utc)
        return when.astimezone(dt.timezone.utc)
    except (ValueError, OverflowError):
        return None


# A review happens now or in the past; a day's grace covers clocks and time zones. Later times
# are refused when recorded and reported by `kb check` (the scheduler cannot even date the next
# review of 9999-12-30).
FUTURE_GRACE = dt.timedelta(days=1)


def time_problem(when: dt.datetime, now: dt.datetime | None = None) -> str | None:
    """Why a review time cannot be used (None when it can): the one rule for `kb review` and
    for the log's lines."""
    now = now or dt.datetime.now(dt.timezone.utc)
    if when > now + FUTURE_GRACE:
        return f"{format_time(when)} is in the future (a review is recorded when it happens)"
    return None


def format_time(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_log(text: str, now: dt.datetime | None = None) -> ReviewLog:
    log = ReviewLog()
    now = now or dt.datetime.now(dt.timezone.utc)
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) < 3:
            log.problems.append(INVALID_REVIEW.at(LOG_PATH, number,
                                                  f"expected `TIME GRADE CONCEPT-ID`, got {_shown(line)}"))
            continue
        when, grade, note = parse_time(parts[0]), parts[1].lower(), parts[2].strip()
        late = time_problem(when, now) if when is not None else None
        if when is None:
            log.problems.append(INVALID_REVIEW.at(LOG_PATH, number,
                                                  f"{_shown(parts[0])} is not a time (expected 2024-11-05T09:30:00Z)"))
        elif late is not None:
            log.problems.append(INVALID_REVIEW.at(LOG_PATH, number, late))
        elif grade not in GRADES:
            log.problems.append(INVALID_REVIEW.at(LOG_PATH, number,
                                                  f"unknown grade {_shown(parts[1])} (expected one of {', '.join(GRADES)})"))
        else:
            log.entries.append(Entry(when, grade, note, number))
    return log


MAX_SHOWN = 80  # characters of a bad line quoted in a message: a 100 MB line is not printed


def _shown(text: str) -> str:
    """A piece of a log line for a message, cut to MAX_SHOWN characters."""
    return repr(text) if len(text) <= MAX_SHOWN else f"{text[:MAX_SHOWN]!r}... ({len(text):,} characters)"


def read_log(root: Path) -> ReviewLog:
    """The log under `root` (none yet: an empty log). Unreadable bytes are a problem, not a crash;
    a log that is a link leading out of the base is not read at all."""
    path = Path(root) / LOG_PATH
    try:
        data = inside(root, path).read_bytes()
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
    return kb.derived(_read, kb.root)


def _read(kb: KnowledgeBase, root: Path) -> ReviewLog:
    return read_log(root)


def entry_line(when: dt.datetime, grade: str, note_id: str) -> str:
    return f"{format_time(when)} {grade} {note_id}\n"


def append(root: Path, when: dt.datetime, grade: str, note_id: str) -> None:
    """Add one review at the end of the log (created with a header on first use).

    One `write` on a file opened with O_APPEND, under an exclusive lock that every `kb review`
    takes: parallel reviews never interleave or lose a line, and the bytes already there are
    never rewritten (the README's append-only promise). The line ends as the log's first line
    does (a log saved with CRLF stays CRLF). StudyError when the log cannot be written, or is a
    link leading out of the base (a cloned base could point it at `~/.bashrc`).
    """
    try:
        path = inside(root, Path(root) / LOG_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
        try:
            _lock(fd)
            size = os.fstat(fd).st_size
            head = os.pread(fd, 4096, 0) if size else HEADER.encode("utf-8")
            eol = b"\r\n" if b"\r\n" in head.split(b"\n", 1)[0] + b"\n" else b"\n"
            data = entry_line(when, grade, note_id).encode("utf-8").replace(b"\n", eol)
            if not size:
                data = head + data
            elif os.pread(fd, 1, size - 1) != b"\n":
                data = eol + data  # the last line was left unfinished: ours starts on a new one
            if os.write(fd, data) != len(data):
                raise OSError(errno.ENOSPC, "the disk took only part of the line")
        finally:
            os.close(fd)  # releases the lock
    except OSError as exc:
        raise StudyError(INVALID_REVIEW.at(LOG_PATH, 0, f"cannot add the review: {exc.strerror}; "
                                                        "nothing was recorded")) from None


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # no flock here: O_APPEND alone still keeps each line whole
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
