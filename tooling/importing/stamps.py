"""Where an imported note came from, recorded in the note itself (`imported_from`), so that
importing the same export again is a sync and never a second copy.

Two forms, one per way of importing:

- a page imported as itself: `imported_from: "Algo/Trie.md 1a2b3c4d 5e6f7a8b"`: the page's path
  inside the export (never where the export lies on disk), a hash of the page as read, and a hash
  of the note as written without this field. The first hash says whether the export changed the
  page since; the second whether you edited the note since (then the note is yours and a re-import
  leaves it alone);
- a note carved from an outline: `imported_from: "outline.txt:12 1a2b3c4d"`: the line it came
  from and a hash of the words written (see `outlines`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from ..notes.editor import DELETE, EditError, edit_text
from ..notes.frontmatter import FrontMatterError
from ..schema import IMPORTED_FROM

STAMP_FIELD = IMPORTED_FROM
ABSENT = "00000000"  # the page hash of a note made for a page the export does not have (a stub)
_PAGE = re.compile(r"(?P<rel>.+) (?P<page>[0-9a-f]{8}) (?P<note>[0-9a-f]{8})")
_CARVED = re.compile(r"(?P<where>.+):(?P<line>\d+) (?P<digest>[0-9a-f]{8})")


@dataclass(frozen=True, slots=True)
class PageStamp:
    rel: str  # the page's path inside the export
    page: str  # hash of the page as read
    note: str  # hash of the note as written, without its stamp


def digest(text: str) -> str:
    """The 8 hex digits every stamp uses."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def page_stamp(rel: str, page: str, note: str) -> str:
    return f"{rel} {page} {note}"


def page_stamp_of(meta: dict[str, Any]) -> PageStamp | None:
    """The stamp of a note imported as a page, or None (no stamp, or a carved note's)."""
    value = meta.get(STAMP_FIELD)
    found = _PAGE.fullmatch(value) if isinstance(value, str) else None
    return PageStamp(found["rel"], found["page"], found["note"]) if found else None


def carved_stamp_of(meta: dict[str, Any]) -> tuple[str, str] | None:
    """(input, hash) of a note carved from an outline: `exports/page.md:12 1a2b3c4d`."""
    value = meta.get(STAMP_FIELD)
    found = _CARVED.fullmatch(value) if isinstance(value, str) else None
    return (found["where"], found["digest"]) if found else None


def unstamped(text: str) -> str | None:
    """A note's text without its `imported_from` field, as the import wrote it before stamping;
    None when its front matter cannot be read."""
    try:
        return edit_text(text, {STAMP_FIELD: DELETE})
    except (EditError, FrontMatterError):
        return None


def edited_since(text: str, stamp: PageStamp) -> bool:
    """Whether a note imported as a page was changed after the import wrote it."""
    bare = unstamped(text)
    return bare is None or digest(bare) != stamp.note
