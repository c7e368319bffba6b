"""`kb mark ID STATUS [--date D]`: set a paper's or concept's status, and the date that goes with it.

`started` is set when reading or studying begins, `finished` when the note is done (read,
skimmed, dropped, studied); other statuses set no date. The date is `--date` or today. Marking a
note with the status it already has changes nothing unless `--date` is given. The edit goes through
the front-matter editor, so only the `status` line and the date's line change: comments, key
order, quoting, line endings, unknown keys and the body stay byte for byte. A new field goes
right after `status` (or, without one, before the arXiv record that closes the front matter).
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..model import parse_date
from ..notes.editor import EditError, edit_file, field_spans
from ..notes.frontmatter import FrontMatterError, split
from ..problems import ERROR, define
from ..schema import ACTIVE_STATUSES, CONCEPT, DEFAULT_STATUS, DONE_STATUSES, PAPER, STATUSES, SYNC_FIELD
from .errors import USAGE, StudyError
from .find import Found, find_note

STATUS_NOT_ALLOWED = define(
    "status-not-allowed", ERROR, "a status that is not in the note kind's vocabulary",
    "Papers take to-read, reading, read, skimmed or dropped; concepts take to-study, studying or "
    "studied. The message names the nearest ones. Nothing was changed.", command="mark")
DATES_OUT_OF_ORDER = define(
    "dates-out-of-order", ERROR, "a finished date earlier than the started date",
    "`kb mark ID read` (or skimmed, dropped, studied) records `finished`, which cannot come before "
    "the note's `started` date. Give the right day with --date, or fix `started` by hand. "
    "Nothing was changed.", command="mark")
NOT_EDITABLE = define(
    "note-not-editable", ERROR, "a note whose front matter cannot be edited safely",
    "The front matter does not parse, or is written in a way a line-by-line edit could damage "
    "(a {flow mapping}, two fields on one line, a key written twice). Fix it by hand; nothing was "
    "changed.", command="mark")


def date_field(status: str) -> str | None:
    """The date a status change records: `started` (in progress), `finished` (done), or none."""
    if status in ACTIVE_STATUSES:
        return "started"
    if status in DONE_STATUSES:
        return "finished"
    return None


@dataclass(slots=True)
class Marked:
    """What `kb mark` did: the note, its old and new status, the fields written (none: no-op)."""

    path: str
    id: str
    old_status: str
    status: str
    written: dict[str, str] = field(default_factory=dict)


def check_status(found: Found, status: str) -> str:
    allowed = STATUSES.get(found.kind, ())
    if status in allowed:
        return status
    close = difflib.get_close_matches(status, list(allowed), n=2, cutoff=0.4)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise StudyError(STATUS_NOT_ALLOWED.at(
        found.path, 0, f"'{status}' is not a {found.kind} status (expected one of "
                       f"{', '.join(allowed) or 'none: only papers and concepts have one'}){hint}"), USAGE)


def mark(root: Path, name: str, status: str, on: dt.date | None = None,
         today: dt.date | None = None) -> Marked:
    """Set the status of the paper or concept `name` designates. StudyError, with nothing
    written, for an unknown or ambiguous note, a status outside its vocabulary or front matter
    that cannot be edited safely."""
    found = find_note(Path(root), name, kinds=(PAPER, CONCEPT))
    status = check_status(found, status.strip())
    written_status = found.meta.get("status")
    old = str(written_status) if written_status is not None else DEFAULT_STATUS[found.kind]
    result = Marked(found.path, found.id, old, status)
    if old == status and on is None:
        return result
    updates = {"status": status}
    when = date_field(status)
    if when is not None:
        day = on or today or dt.date.today()
        updates[when] = day.isoformat()
        started = parse_date(found.meta.get("started")) if found.meta.get("started") else None
        if when == "finished" and started is not None and day < started:
            raise StudyError(DATES_OUT_OF_ORDER.at(
                found.path, 0, f"finished {day.isoformat()} would come before started "
                               f"{started.isoformat()}; give the day it was finished with --date"), USAGE)
    try:
        anchor = _after_dates(found.text) if written_status is not None else _sync_anchor(found)
        edit_file(Path(root) / found.path, updates, root=Path(root), insert_before=anchor)
    except (EditError, FrontMatterError, UnicodeDecodeError, OSError) as exc:
        reason = (exc.message if isinstance(exc, FrontMatterError) else
                  f"cannot write: {exc.strerror}" if isinstance(exc, OSError) else str(exc))
        raise StudyError(NOT_EDITABLE.at(found.path, getattr(exc, "line", 1), reason)) from None
    result.written = updates
    return result


_STUDY_FIELDS = ("status", "added", "started", "finished")


def _after_dates(text: str) -> str | None:
    """The field after the last of status/added/started/finished, so a new date goes below them
    (None: they end the front matter)."""
    keys = list(field_spans(split(text).yaml_text or ""))
    last = max(keys.index(key) for key in _STUDY_FIELDS if key in keys)
    return keys[last + 1] if last + 1 < len(keys) else None


def _sync_anchor(found: Found) -> str | None:
    return SYNC_FIELD if SYNC_FIELD in found.meta else None
