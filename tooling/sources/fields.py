"""A Work as a paper note's front-matter fields, and title matching: pure functions, no I/O.

Values come out in the types the note loader reads back (dates as `YYYY-MM-DD` strings, `year` and
`version` as ints, identifiers as canonical strings), so a field written by the tool and read
again compares equal, which the ownership record in `ownership` relies on.
"""

from __future__ import annotations

from typing import Any

from ..identifiers import SCHEMES
from ..notes.ids import fold, surname
from ..schema import TOOL_FIELDS
from .work import ARXIV_SOURCE, CROSSREF_SOURCE, OPENALEX_SOURCE, OPENREVIEW_SOURCE, Work


def normalise_space(text: str | None) -> str:
    """Collapse runs of whitespace (arXiv wraps abstracts and comments at ~80 columns)."""
    return " ".join((text or "").split())


def paper_fields(work: Work) -> dict[str, Any]:
    """The front-matter fields of one work, in TOOL_FIELDS order, empty ones left out."""
    values: dict[str, Any] = {
        "title": normalise_space(work.title),
        "authors": [name for name in map(normalise_space, work.authors) if name],
        "year": work.year if work.year is not None else (
            int(work.published[:4]) if work.published else None),
        "venue": normalise_space(work.venue) or None,
        "version": work.version,
        "published": work.published,
        "updated": work.updated,
        "primary_category": work.primary_category,
        "categories": list(work.categories),
        "journal_ref": normalise_space(work.journal_ref) or None,
        "comment": normalise_space(work.comment) or None,
        "pdf_url": work.pdf_url,
        "abstract": normalise_space(work.abstract) or None,
    }
    for scheme in SCHEMES:
        values[scheme] = work.id(scheme)
    return {key: values[key] for key in TOOL_FIELDS if values.get(key) not in (None, "", [])}


# The fields each source speaks for: a field the tool wrote is removed only when the source that
# answers speaks for it and no longer has it (OpenAlex saying nothing of arXiv's categories is no
# reason to drop them).
SPEAKS_FOR: dict[str, frozenset[str]] = {
    ARXIV_SOURCE: frozenset({"title", "authors", "year", "arxiv", "version", "published", "updated",
                             "primary_category", "categories", "doi", "journal_ref", "comment",
                             "pdf_url", "abstract"}),
    OPENALEX_SOURCE: frozenset({"title", "authors", "year", "venue", "openalex", "published"}),
    CROSSREF_SOURCE: frozenset({"title", "authors", "year", "venue", "published"}),
    OPENREVIEW_SOURCE: frozenset({"title", "authors", "year", "venue", "openreview", "abstract",
                                  "pdf_url"}),
}


def same_title(title: str, other: str) -> bool:
    """Titles equal once folded (case, accents, punctuation, spacing ignored)."""
    return fold(title) == fold(other) != ""


def exact_title_matches(title: str, works: list[Work]) -> list[Work]:
    """The works whose title equals `title` once folded, one per paper (first identifier)."""
    seen: dict[str, Work] = {}
    for work in works:
        if same_title(title, work.title):
            seen.setdefault(work.label, work)
    return list(seen.values())


def confirms(work: Work, year: object, authors: list[str]) -> bool:
    """Whether a work found by its exact title is the note's paper: the note's year within one
    of the work's, and the note's first author's surname that of the work's first author."""
    try:
        wanted = int(str(year))
    except (TypeError, ValueError):
        return False
    if work.year is None or abs(work.year - wanted) > 1 or not authors or not work.authors:
        return False
    return surname(str(authors[0])) == surname(work.authors[0])
