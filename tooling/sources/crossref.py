"""Crossref as a source, asked only for DOIs OpenAlex does not know: one work per request
(`/works/<doi>`), at least DELAY seconds apart (Crossref's public pool allows 5 requests a second
and one at a time; its polite pool, with `KB_MAILTO`, more). The answer gives the DOIs the work
cites, when its publisher deposited them. Answers are kept for the day.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from ..identifiers import DOI, PaperId, ids_of_doi, parse_doi
from . import http
from .cache import DayCache
from .work import CROSSREF_SOURCE, Work

SERVICE = http.Service(CROSSREF_SOURCE, "CROSSREF", "https://api.crossref.org", delay=0.2)
_TAG = re.compile(r"<[^>]+>")


def look_up(doi: str, cache: DayCache | None, *, refresh: bool = False) -> Work | None:
    """The work of a DOI, or None when Crossref does not know it (HTTP 404)."""
    key = PaperId(DOI, doi).key
    cached = cache.get(key) if cache is not None and not refresh else None
    if cached is not None:
        return cached[0] if cached else None
    params = {"mailto": mail} if (mail := http.mailto_address()) else None
    answer = http.get_json(SERVICE, f"/works/{quote(doi, safe='/()')}", params)
    if answer is not None and not (isinstance(answer, dict) and isinstance(answer.get("message"), dict)):
        raise http.UnreadableAnswer("no work in the message")
    work = work_of(answer["message"]) if answer is not None else None
    if cache is not None:
        cache.put(key, [work] if work else [])
    return work


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((item for item in value if isinstance(item, str) and item.strip()), None)
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _date(message: dict[str, Any]) -> tuple[int | None, str | None]:
    """(year, YYYY-MM-DD when the day is known) from the first of Crossref's dates it has."""
    for name in ("published-print", "published-online", "published", "issued", "created"):
        parts = (message.get(name) or {}).get("date-parts") if isinstance(message.get(name), dict) else None
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0] \
                and isinstance(parts[0][0], int):
            first = parts[0]
            day = (f"{first[0]:04d}-{first[1]:02d}-{first[2]:02d}"
                   if len(first) >= 3 and all(isinstance(p, int) for p in first[:3]) else None)
            return first[0], day
    return None, None


def work_of(message: dict[str, Any]) -> Work:
    """One Crossref work message as a Work."""
    doi = parse_doi(str(message.get("DOI") or ""))
    year, day = _date(message)
    authors = []
    for person in message.get("author") or []:
        if isinstance(person, dict):
            name = " ".join(str(person.get(part) or "") for part in ("given", "family")).strip()
            name = name or str(person.get("name") or "")
            if name:
                authors.append(name)
    abstract = message.get("abstract")
    references = [f"{DOI}:{found}" for ref in message.get("reference") or []
                  if isinstance(ref, dict) and (found := parse_doi(str(ref.get("DOI") or "")))]
    return Work(
        source=CROSSREF_SOURCE, title=_first(message.get("title")) or "",
        authors=tuple(authors), year=year, venue=_first(message.get("container-title")),
        abstract=" ".join(_TAG.sub(" ", abstract).split()) or None if isinstance(abstract, str) else None,
        ids=tuple(ids_of_doi(doi)) if doi else (), references=tuple(references) if "reference" in message
        else None, published=day)
