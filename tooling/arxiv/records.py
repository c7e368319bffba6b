"""What arXiv says about one paper, as a plain record: the client converts each answer once, and
everything downstream (cache, fields, titles) works on records, never on the `arxiv` package's
objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import arxiv

from ..identifiers import ArxivId, arxiv_bare, canonical_arxiv


@dataclass(frozen=True, slots=True)
class Record:
    """One arXiv answer. `id` is canonical and version-less; dates are ISO `YYYY-MM-DD`."""

    id: str
    version: int | None
    title: str
    authors: tuple[str, ...]
    summary: str
    published: str | None
    updated: str | None
    primary_category: str | None = None
    categories: tuple[str, ...] = ()
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    pdf_url: str | None = None

    @property
    def short_id(self) -> str:
        """`2202.05262v3`, as arXiv prints it."""
        return f"{self.id}v{self.version}" if self.version else self.id

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        """A record from `as_json`; KeyError/TypeError/ValueError when it is not one."""
        return cls(**{**data, "authors": tuple(data["authors"]),
                      "categories": tuple(data["categories"])})


def answer_id(result: arxiv.Result) -> ArxivId:
    """The versioned id of an answer (`http://arxiv.org/abs/2202.05262v3` -> 2202.05262, 3)."""
    short = result.get_short_id()
    parsed = arxiv_bare(short)
    if parsed is None:  # arXiv's own ids always parse; keep going with the raw text if not
        base, _, version = short.partition("v")
        return ArxivId(base, int(version) if version.isdigit() else None)
    return ArxivId(canonical_arxiv(parsed.base), parsed.version)


def from_result(result: arxiv.Result) -> Record:
    """Convert one answer of the `arxiv` package."""
    ident = answer_id(result)
    return Record(
        id=ident.base,
        version=ident.version,
        title=result.title or "",
        authors=tuple(author.name for author in result.authors),
        summary=result.summary or "",
        published=_day(result.published),
        updated=_day(result.updated),
        primary_category=result.primary_category or None,
        categories=tuple(result.categories or ()),
        comment=result.comment or None,
        journal_ref=result.journal_ref or None,
        doi=result.doi or None,
        pdf_url=result.pdf_url or None,
    )


def _day(moment: dt.datetime | None) -> str | None:
    return moment.date().isoformat() if moment else None
