"""What any source says about one paper, as one plain record: arXiv, OpenAlex, OpenReview and
Crossref each convert their answers to a `Work` once, and everything downstream (the day's cache,
note fields, title matching, stored references) works on Works.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..identifiers import PaperId, id_from_key

ARXIV_SOURCE, OPENALEX_SOURCE, OPENREVIEW_SOURCE, CROSSREF_SOURCE = (
    "arXiv", "OpenAlex", "OpenReview", "Crossref")


@dataclass(frozen=True, slots=True)
class Work:
    """One answer. Dates are ISO `YYYY-MM-DD`; `ids` every identifier the source gives;
    `references` the keys (`doi:10.1/x`, `openalex:W1`) of the works it cites, None when the
    source does not say. arXiv's own facts (version, categories, ...) are kept as arXiv gives them."""

    source: str
    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None
    abstract: str | None = None
    ids: tuple[PaperId, ...] = ()
    references: tuple[str, ...] | None = None
    published: str | None = None
    updated: str | None = None
    version: int | None = None
    primary_category: str | None = None
    categories: tuple[str, ...] = ()
    comment: str | None = None
    journal_ref: str | None = None
    pdf_url: str | None = None

    def id(self, scheme: str) -> str | None:
        """The value of this work's identifier of `scheme`, if the source gave one."""
        return next((ref.value for ref in self.ids if ref.scheme == scheme), None)

    @property
    def keys(self) -> set[str]:
        """Every identifier as a comparison key (`PaperId.key`)."""
        return {ref.key for ref in self.ids}

    @property
    def label(self) -> str:
        """The identifier to show and to add by: the first the work has, as `scheme:value`."""
        return str(self.ids[0]) if self.ids else self.title

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ids"] = [str(ref) for ref in self.ids]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Work:
        """A work from `as_json`; KeyError/TypeError/ValueError when it is not one."""
        ids = tuple(ref for ref in map(id_from_key, data["ids"]) if ref is not None)
        references = data.get("references")
        return cls(**{**data, "ids": ids, "authors": tuple(data["authors"]),
                      "categories": tuple(data.get("categories") or ()),
                      "references": tuple(references) if references is not None else None})
