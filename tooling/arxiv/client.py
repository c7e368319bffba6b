"""Asking arXiv for papers by id or by title: what to ask, in which chunks, and what to keep.

`fetch_ids` asks for ids in chunks of CHUNK (longer URLs fail with HTTP 414), reports the ids arXiv
silently left out, and keeps each answer in the day's cache; `search_title` does the same for a
title search. Answers come back as plain `Record`s. Progress goes to an optional callback (the
CLI draws a bar with it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import arxiv

from ..errors import KbError
from ..identifiers import arxiv_bare, canonical_arxiv
from ..notes.ids import fold
from .cache import Cache
from .http import CHUNK, client, request_count, with_retries
from .records import Record, from_result

TITLE_RESULTS = 50

# Called with (chunks done, chunks in all) before the first request and after each one.
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class Fetched:
    """What arXiv said about a list of ids: records by version-less id, and ids it does not know."""

    results: dict[str, Record] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    requests: int = 0


def check_ids(ids: Iterable[str]) -> list[str]:
    """Version-less canonical ids, in order, without repeats; KbError naming any malformed one."""
    bases: dict[str, None] = {}
    bad: list[str] = []
    for text in ids:
        parsed = arxiv_bare(text) if isinstance(text, str) else None
        if parsed is None:
            bad.append(repr(text))
        else:
            bases.setdefault(canonical_arxiv(parsed.base))
    if bad:
        raise KbError(f"malformed arXiv id {', '.join(bad)} (expected e.g. 2202.05262 or "
                      "hep-th/9901001); nothing was asked")
    return list(bases)


def fetch_ids(ids: Sequence[str], cache: Cache | None = None, *, refresh: bool = False,
              progress: Progress | None = None) -> Fetched:
    """The latest version of each paper, from the day's cache or in requests of CHUNK ids.

    Raises KbError, before any request, for a malformed id, and when arXiv does not answer.
    """
    bases = check_ids(ids)
    fetched = Fetched()
    wanted: list[str] = []
    for base in bases:
        hit, record = cache.get_id(base) if cache and not refresh else (False, None)
        if not hit:
            wanted.append(base)
        elif record is None:
            fetched.missing.append(base)
        else:
            fetched.results[base] = record
    before = request_count()
    chunks = [wanted[i:i + CHUNK] for i in range(0, len(wanted), CHUNK)]
    for done, chunk in enumerate(chunks):
        if progress is not None:
            progress(done, len(chunks))
        search = arxiv.Search(id_list=chunk, max_results=None)
        answers = with_retries(lambda: [from_result(r) for r in client().results(search)])
        by_id = {record.id: record for record in answers}
        for base in chunk:
            found = by_id.get(base)
            if found is None:
                fetched.missing.append(base)
            else:
                fetched.results[base] = found
            if cache is not None:
                cache.put_id(base, found)
    if progress is not None and chunks:
        progress(len(chunks), len(chunks))
    fetched.requests = request_count() - before
    return fetched


def search_title(title: str, cache: Cache | None = None, *, refresh: bool = False) -> list[Record]:
    """arXiv's answers to a title search (`ti:"..."`), up to TITLE_RESULTS, cached for the day."""
    if cache is not None and not refresh:
        cached = cache.get_title(title)
        if cached is not None:
            return cached
    words = fold(title)
    if not words:
        raise KbError(f"cannot search arXiv for the title {title!r}: it has no letters or digits")
    search = arxiv.Search(query=f'ti:"{words}"', max_results=TITLE_RESULTS)
    records = with_retries(lambda: [from_result(r) for r in client().results(search)])
    if cache is not None:
        cache.put_title(title, records)
    return records
