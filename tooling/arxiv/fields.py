"""An arXiv record as a paper note's front-matter fields: pure functions, no I/O.

Values come out in the types the note loader reads back (dates as `YYYY-MM-DD` strings, `year` and
`version` as ints, `arxiv` as a version-less id string), so a field written by the tool and read
again compares equal, which the ownership record in `ownership` relies on.
"""

from __future__ import annotations

from typing import Any

from ..notes.ids import fold
from ..schema import ARXIV_FIELDS
from .records import Record


def normalise_space(text: str | None) -> str:
    """Collapse runs of whitespace (arXiv wraps abstracts and comments at ~80 columns)."""
    return " ".join((text or "").split())


def paper_fields(record: Record) -> dict[str, Any]:
    """The front-matter fields of one arXiv record, in ARXIV_FIELDS order, empty ones left out."""
    values: dict[str, Any] = {
        "title": normalise_space(record.title),
        "authors": [name for name in map(normalise_space, record.authors) if name],
        "year": int(record.published[:4]) if record.published else None,
        "arxiv": record.id,
        "version": record.version,
        "published": record.published,
        "updated": record.updated,
        "primary_category": record.primary_category,
        "categories": list(record.categories),
        "doi": normalise_space(record.doi) or None,
        "journal_ref": normalise_space(record.journal_ref) or None,
        "comment": normalise_space(record.comment) or None,
        "pdf_url": record.pdf_url,
        "abstract": normalise_space(record.summary) or None,
    }
    return {key: values[key] for key in ARXIV_FIELDS if values.get(key) not in (None, "", [])}


def exact_title_matches(title: str, records: list[Record]) -> list[Record]:
    """The records whose title equals `title` once folded (case, accents, punctuation), one per
    paper."""
    wanted = fold(title)
    seen: dict[str, Record] = {}
    for record in records:
        if fold(record.title) == wanted:
            seen.setdefault(record.id, record)
    return list(seen.values())
