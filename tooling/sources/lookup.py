"""Which source answers for which identifier, in one place, and asking them all in one call.

- arXiv ids: arXiv itself (its versions, dates and categories);
- OpenReview forum ids: OpenReview's public API;
- DOIs, ACL Anthology ids (by their DOI) and OpenAlex ids: OpenAlex, in batches; a DOI OpenAlex
  does not know is asked of Crossref.

Titles: arXiv's title search first, then OpenAlex's (`works_titled`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..arxiv import http as arxiv_http
from ..arxiv.cache import Cache as ArxivCache
from ..identifiers import ACL, ARXIV, DOI, OPENALEX, OPENREVIEW, PaperId, acl_doi
from . import arxiv, crossref, http, openalex, openreview
from .cache import DayCache
from .fields import exact_title_matches
from .work import ARXIV_SOURCE, CROSSREF_SOURCE, OPENALEX_SOURCE, OPENREVIEW_SOURCE, Work

Progress = Callable[[int, int], None]
SOURCE_OF = {ARXIV: ARXIV_SOURCE, OPENREVIEW: OPENREVIEW_SOURCE, DOI: OPENALEX_SOURCE,
             ACL: OPENALEX_SOURCE, OPENALEX: OPENALEX_SOURCE}
SERVICES = {ARXIV_SOURCE: arxiv_http.SERVICE, OPENALEX_SOURCE: openalex.SERVICE, OPENREVIEW_SOURCE: openreview.SERVICE,
            CROSSREF_SOURCE: crossref.SERVICE}


@dataclass(frozen=True, slots=True)
class Caches:
    """Each source's cache for the day, under one root."""

    root: Path
    today: dt.date

    def arxiv(self) -> ArxivCache:
        return ArxivCache.at(self.root, self.today)

    def of(self, source: str) -> DayCache:
        return DayCache.at(self.root, source, self.today)


@dataclass(slots=True)
class Counter:
    """Requests sent to each service since it was made."""

    before: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.before = _counts()

    def counts(self) -> dict[str, int]:
        now = _counts()
        return {name: now[name] - self.before.get(name, 0) for name in now}


def _counts() -> dict[str, int]:
    return {name: http.requests_to(service) for name, service in SERVICES.items()}


def primary(refs: dict[str, PaperId]) -> PaperId | None:
    """The identifier a note's metadata is fetched by: arXiv, else OpenReview, else OpenAlex's."""
    for scheme in (ARXIV, OPENREVIEW, OPENALEX, DOI, ACL):
        if scheme in refs:
            return refs[scheme]
    return None


def look_up(refs: Sequence[PaperId], caches: Caches, *, refresh: bool = False,
            progress: Progress | None = None) -> tuple[dict[str, Work], list[PaperId]]:
    """(each identifier's work by `PaperId.key`, the identifiers no source knows). Raises
    KbError, before writing anything, when a source does not answer."""
    found: dict[str, Work] = {}
    missing: list[PaperId] = []
    unique = list({ref.key: ref for ref in refs}.values())
    bases = [ref.value for ref in unique if ref.scheme == ARXIV]
    if bases:
        works, unknown = arxiv.works_by_id(bases, caches.arxiv(), refresh=refresh, progress=progress)
        found.update({f"{ARXIV}:{base}": work for base, work in works.items()})
        missing += [PaperId(ARXIV, base) for base in unknown]
    forums = [ref.value for ref in unique if ref.scheme == OPENREVIEW]
    if forums:
        for ident, work in openreview.look_up(forums, caches.of(OPENREVIEW_SOURCE),
                                              refresh=refresh).items():
            if work is None:
                missing.append(PaperId(OPENREVIEW, ident))
            else:
                found[PaperId(OPENREVIEW, ident).key] = work
    others = [ref for ref in unique if ref.scheme in (DOI, ACL, OPENALEX)]
    if others:
        answers = openalex.look_up(others, caches.of(OPENALEX_SOURCE), refresh=refresh,
                                   progress=progress)
        for ref in others:
            work = answers.get(ref.key)
            if work is None and ref.scheme in (DOI, ACL):  # Crossref only when OpenAlex lacks it
                doi = ref.value if ref.scheme == DOI else acl_doi(ref.value)
                work = crossref.look_up(doi, caches.of(CROSSREF_SOURCE), refresh=refresh)
            if work is None:
                missing.append(ref)
            else:
                found[ref.key] = work
    return found, missing


def works_titled(title: str, caches: Caches, *, refresh: bool = False) -> list[Work]:
    """Candidates for a title: arXiv's search, and OpenAlex's when arXiv has no paper of exactly
    that title."""
    found = arxiv.works_titled(title, caches.arxiv(), refresh=refresh)
    if exact_title_matches(title, found):
        return found
    return found + openalex.search_title(title, caches.of(OPENALEX_SOURCE), refresh=refresh)


def describe_missing(refs: Sequence[PaperId]) -> str:
    """`arXiv has no paper 2401.99999; OpenAlex and Crossref know no paper doi:10.1/x`."""
    parts = []
    arxiv_ids = [ref.value for ref in refs if ref.scheme == ARXIV]
    if arxiv_ids:
        parts.append(f"arXiv has no paper {', '.join(arxiv_ids)}")
    forums = [ref.value for ref in refs if ref.scheme == OPENREVIEW]
    if forums:
        parts.append(f"OpenReview has no public paper {', '.join(forums)}")
    dois = [str(ref) for ref in refs if ref.scheme in (DOI, ACL)]
    if dois:
        parts.append(f"OpenAlex and Crossref know no paper {', '.join(dois)}")
    works = [ref.value for ref in refs if ref.scheme == OPENALEX]
    if works:
        parts.append(f"OpenAlex has no work {', '.join(works)}")
    return "; ".join(parts)
