"""arXiv as a source: its plain records (`arxiv.records.Record`) as Works, by id and by title.
The asking, chunking and the day's cache are `tooling.arxiv`'s (arXiv's own answers, cached per
id); this module only converts.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..arxiv.cache import Cache
from ..arxiv.client import Progress, fetch_ids, search_title
from ..arxiv.records import Record
from ..identifiers import ARXIV, DOI, PaperId, parse_doi
from .work import ARXIV_SOURCE, Work


def work_of(record: Record) -> Work:
    """One arXiv record as a Work (its DOI, when arXiv knows the published version's, kept)."""
    ids = [PaperId(ARXIV, record.id)]
    doi = parse_doi(record.doi) if record.doi else None
    if doi is not None:
        ids.append(PaperId(DOI, doi))
    return Work(
        source=ARXIV_SOURCE, title=record.title, authors=record.authors,
        year=int(record.published[:4]) if record.published else None, abstract=record.summary,
        ids=tuple(ids), published=record.published, updated=record.updated,
        version=record.version, primary_category=record.primary_category,
        categories=record.categories, comment=record.comment, journal_ref=record.journal_ref,
        pdf_url=record.pdf_url)


def works_by_id(bases: Sequence[str], cache: Cache | None, *, refresh: bool = False,
                progress: Progress | None = None) -> tuple[dict[str, Work], list[str]]:
    """(works by version-less id, ids arXiv does not know); KbError when arXiv does not answer."""
    fetched = fetch_ids(bases, cache, refresh=refresh, progress=progress)
    return {base: work_of(record) for base, record in fetched.results.items()}, fetched.missing


def works_titled(title: str, cache: Cache | None, *, refresh: bool = False) -> list[Work]:
    """arXiv's answers to a search for the title (cached for the day)."""
    return [work_of(record) for record in search_title(title, cache, refresh=refresh)]
