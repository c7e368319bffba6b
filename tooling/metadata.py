"""An arXiv answer as a paper note's front-matter fields: pure functions, no I/O.

Values come out in the types the note loader reads back (dates as `YYYY-MM-DD` strings, `year` and
`version` as ints, `arxiv` as a version-less id string), so a field written by the tool and read
again compares equal, which the ownership record in `sync` relies on.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import arxiv

from . import arxivid

# The order fields take in a new note (`sync.TOOL_FIELDS` is the same set).
FIELD_ORDER = (
    "title", "authors", "year", "arxiv", "version", "published", "updated", "primary_category",
    "categories", "doi", "journal_ref", "comment", "pdf_url", "abstract",
)

def result_id(result: arxiv.Result) -> arxivid.ArxivId:
    """The versioned id of an answer (`http://arxiv.org/abs/2202.05262v3` -> 2202.05262, 3)."""
    short = result.get_short_id()
    parsed = arxivid.parse_bare(short)
    if parsed is None:  # arXiv's own ids always parse; keep going with the raw text if not
        base, _, version = short.partition("v")
        return arxivid.ArxivId(base, int(version) if version.isdigit() else None)
    return arxivid.ArxivId(arxivid.canonical_id(parsed.base), parsed.version)


def normalise_space(text: str | None) -> str:
    """Collapse runs of whitespace (arXiv wraps abstracts and comments at ~80 columns)."""
    return " ".join((text or "").split())


def paper_fields(result: arxiv.Result) -> dict[str, Any]:
    """The front-matter fields of one arXiv answer, in FIELD_ORDER, empty ones left out."""
    ident = result_id(result)
    fields: dict[str, Any] = {
        "title": normalise_space(result.title),
        "authors": [normalise_space(a.name) for a in result.authors if normalise_space(a.name)],
        "year": result.published.year if result.published else None,
        "arxiv": ident.base,
        "version": ident.version,
        "published": _day(result.published),
        "updated": _day(result.updated),
        "primary_category": result.primary_category or None,
        "categories": list(result.categories),
        "doi": normalise_space(result.doi) or None,
        "journal_ref": normalise_space(result.journal_ref) or None,
        "comment": normalise_space(result.comment) or None,
        "pdf_url": result.pdf_url or None,
        "abstract": normalise_space(result.summary) or None,
    }
    return {key: value for key, value in fields.items() if value not in (None, "", [])}


def _day(moment: Any) -> str | None:
    return moment.date().isoformat() if moment else None


def normalise_title(title: str) -> str:
    """Titles compared the way a reader would: case, accents, punctuation and spacing ignored.

    `How does GPT-2 compute greater-than?` == `how does gpt 2 compute greater than`.
    """
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", folded.casefold()).split())


def exact_title_matches(title: str, results: list[arxiv.Result]) -> list[arxiv.Result]:
    """The answers whose title equals `title` once normalised, one per paper."""
    wanted = normalise_title(title)
    seen: dict[str, arxiv.Result] = {}
    for result in results:
        if normalise_title(result.title) == wanted:
            seen.setdefault(result_id(result).base, result)
    return list(seen.values())
