"""OpenAlex as a source (api.openalex.org: free; `KB_MAILTO` joins its polite pool and
`KB_OPENALEX_API_KEY`, a free key, raises the daily allowance): works by DOI (ACL Anthology and
arXiv papers by the DOIs those give), by OpenAlex id, and by title; each with the works it cites.

Lookups go BATCH ids to a request (`filter=doi:a|b|...`, OpenAlex's documented way to ask for many
works at once; it takes up to 100 values, we ask 50), one request at least DELAY seconds after the
previous (OpenAlex allows 100 a second; we stay at 10). Answers are kept for the day.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from ..identifiers import (
    ACL,
    ARXIV,
    ARXIV_DOI_PREFIX,
    DOI,
    OPENALEX,
    PaperId,
    acl_doi,
    ids_of_doi,
    parse_doi,
    parse_openalex,
)
from ..notes.ids import fold
from . import http
from .cache import DayCache
from .work import OPENALEX_SOURCE, Work

SERVICE = http.Service(OPENALEX_SOURCE, "OPENALEX", "https://api.openalex.org", delay=0.1)
BATCH = 50
TITLE_RESULTS = 25
FIELDS = ("id,doi,display_name,publication_year,publication_date,authorships,primary_location,"
          "referenced_works,abstract_inverted_index")

Progress = Callable[[int, int], None]


def filter_of(ref: PaperId) -> tuple[str, str] | None:
    """How OpenAlex is asked for a paper: (filter, value); None for ids it does not take."""
    if ref.scheme == OPENALEX:
        return "ids.openalex", ref.value
    if ref.scheme == DOI:
        return "doi", ref.value.lower()
    if ref.scheme == ACL:
        return "doi", acl_doi(ref.value).lower()
    if ref.scheme == ARXIV:
        return "doi", f"{ARXIV_DOI_PREFIX}{ref.value}"
    return None


def look_up(refs: Sequence[PaperId], cache: DayCache | None, *, refresh: bool = False,
            progress: Progress | None = None) -> dict[str, Work | None]:
    """Each ref's work (by `PaperId.key`), None when OpenAlex does not know it. Cached answers
    first; the rest BATCH to a request. KbError when OpenAlex does not answer."""
    found: dict[str, Work | None] = {}
    wanted: dict[tuple[str, str], PaperId] = {}
    for ref in refs:
        asked = filter_of(ref)
        if asked is None or ref.key in found:
            continue
        cached = cache.get(ref.key) if cache is not None and not refresh else None
        if cached is not None:
            found[ref.key] = cached[0] if cached else None
        elif "|" in asked[1] or "," in asked[1]:
            found[ref.key] = _singleton(ref, asked, cache)  # cannot go in a filter list
        else:
            wanted[asked] = ref
    groups: dict[str, list[tuple[str, PaperId]]] = {}
    for (name, value), ref in wanted.items():
        groups.setdefault(name, []).append((value, ref))
    batches = [(name, items[i:i + BATCH]) for name, items in groups.items()
               for i in range(0, len(items), BATCH)]
    for done, (name, batch) in enumerate(batches):
        if progress is not None:
            progress(done, len(batches))
        answer = http.get_json(SERVICE, "/works", _params(
            {"filter": f"{name}:" + "|".join(value for value, _ in batch),
             "per-page": str(BATCH), "select": FIELDS}))
        by_value = {}
        for data in _results(answer):
            work = work_of(data)
            for key in _match_keys(name, data):
                by_value[key] = work
        for value, ref in batch:
            hit = by_value.get(value)
            found[ref.key] = hit
            if cache is not None:  # under every id it has: asked by another, it is known too
                for key in {ref.key} | (hit.keys if hit else set()):
                    cache.put(key, [hit] if hit else [])
    if progress is not None and batches:
        progress(len(batches), len(batches))
    return found


def _singleton(ref: PaperId, asked: tuple[str, str], cache: DayCache | None) -> Work | None:
    path = f"/works/doi:{asked[1]}" if asked[0] == "doi" else f"/works/{asked[1]}"
    answer = http.get_json(SERVICE, path, _params({"select": FIELDS}))
    work = work_of(answer) if isinstance(answer, dict) and answer.get("id") else None
    if cache is not None:
        cache.put(ref.key, [work] if work else [])
    return work


def search_title(title: str, cache: DayCache | None, *, refresh: bool = False) -> list[Work]:
    """OpenAlex's answers to a search for the title's words, up to TITLE_RESULTS, cached."""
    key = f"title:{fold(title)}"
    cached = cache.get(key) if cache is not None and not refresh else None
    if cached is not None:
        return cached
    answer = http.get_json(SERVICE, "/works", _params(
        {"search": fold(title), "per-page": str(TITLE_RESULTS), "select": FIELDS}))
    works = [work_of(data) for data in _results(answer)]
    if cache is not None:
        cache.put(key, works)
    return works


def _params(params: dict[str, str]) -> dict[str, str]:
    """The request's parameters with the user's polite-pool address and API key, if any."""
    mailto = http.mailto_address()
    if mailto:
        params["mailto"] = mailto
    key = os.environ.get("KB_OPENALEX_API_KEY", "").strip()
    if key:
        params["api_key"] = key
    return params


def _results(answer: Any) -> list[dict[str, Any]]:
    if answer is None:
        return []
    if not isinstance(answer, dict) or not isinstance(answer.get("results"), list):
        raise http.UnreadableAnswer("no list of results")
    return [item for item in answer["results"] if isinstance(item, dict)]


def _match_keys(name: str, data: dict[str, Any]) -> list[str]:
    """The filter values a result answers: its OpenAlex id, or its DOI (lower case)."""
    if name == "ids.openalex":
        found = parse_openalex(str(data.get("id") or ""))
        return [found] if found else []
    doi = parse_doi(str(data.get("doi") or ""))
    return [doi.lower()] if doi else []


def work_of(data: dict[str, Any]) -> Work:
    """One OpenAlex work object as a Work."""
    ids: list[PaperId] = []
    openalex = parse_openalex(str(data.get("id") or ""))
    if openalex:
        ids.append(PaperId(OPENALEX, openalex))
    doi = parse_doi(str(data.get("doi") or ""))
    if doi is not None:
        ids.extend(ids_of_doi(doi))
    source = ((data.get("primary_location") or {}).get("source") or {})
    year = data.get("publication_year")
    return Work(
        source=OPENALEX_SOURCE,
        title=str(data.get("display_name") or data.get("title") or ""),
        authors=tuple(str(name) for name in (
            ((a.get("author") or {}).get("display_name") or a.get("raw_author_name"))
            for a in data.get("authorships") or [] if isinstance(a, dict)) if name),
        year=year if isinstance(year, int) else None,
        venue=str(source.get("display_name")) if isinstance(source, dict) and
        source.get("display_name") else None,
        abstract=abstract_text(data.get("abstract_inverted_index")),
        ids=tuple(ids),
        references=tuple(f"{OPENALEX}:{ref}" for ref in map(parse_openalex, map(
            str, data.get("referenced_works") or [])) if ref)
        if "referenced_works" in data else None,
        published=str(data["publication_date"]) if data.get("publication_date") else None,
    )


def abstract_text(index: Any) -> str | None:
    """The abstract from OpenAlex's inverted index (word -> positions)."""
    if not isinstance(index, dict) or not index:
        return None
    words: dict[int, str] = {}
    for word, positions in index.items():
        for position in positions if isinstance(positions, list) else []:
            if isinstance(position, int) and 0 <= position < 100_000:
                words[position] = str(word)
    return " ".join(words[i] for i in sorted(words)) or None


CITING_PAGE = 200  # OpenAlex's largest page


def citing(works: Sequence[str]) -> list[Work]:
    """The most cited works citing any of these OpenAlex works (one request per BATCH of them,
    the first page of CITING_PAGE only: the ones most likely to matter), each with its references."""
    found: list[Work] = []
    for start in range(0, len(works), BATCH):
        batch = works[start:start + BATCH]
        answer = http.get_json(SERVICE, "/works", _params(
            {"filter": "cites:" + "|".join(batch), "per-page": str(CITING_PAGE),
             "sort": "cited_by_count:desc", "select": FIELDS}))
        found += [work_of(data) for data in _results(answer)]
    return found
