"""Fake OpenAlex, OpenReview and Crossref APIs on 127.0.0.1: real recorded answers, scripted
failures (tests/data/sources/SOURCE.md says where each recording comes from).

- Each server answers from a registry that starts with the real recorded works (OpenAlex's
  W2741809807, OpenReview's note 4aMedv0ONH, Crossref's 10.1371/journal.pone.0033693) and takes
  more papers with `add`, each built from the recorded one (same keys, same nesting, the fields
  that differ replaced), so every answer has the shape the real service gives.
- OpenAlex: `/works?filter=doi:a|b`, `filter=ids.openalex:W1|W2` and `filter=cites:W1|W2` (lists
  in the documented
  `{"meta", "results", "group_by"}` envelope), `/works?search=words`, `/works/<id>` and
  `/works/doi:<doi>`; `select` keeps only the named fields, as the real API does.
- OpenReview: `/notes?ids=a,b` -> `{"notes": [...], "count": n}` (API 2 shape).
- Crossref: `/works/<doi>` -> `{"status": "ok", "message-type": "work", ...}`, and for an unknown
  DOI the recorded 404 (`Resource not found.`, text/plain).
- Scripted failures, one per request: "429", "503" (with `retry_after` as a Retry-After header),
  "malformed" (a 200 whose JSON is cut in half), "trickle" (the body a byte every
  `trickle_seconds`), "silent" (never answers), "drop" (closes the connection); `always` repeats
  one forever. Every request is recorded (path, query, time).
"""

from __future__ import annotations

import copy
import json
import re
import threading
import time
import unicodedata
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

DATA = Path(__file__).parent / "data" / "sources"
FAULTS = frozenset({"429", "503", "malformed", "trickle", "silent", "drop"})


@dataclass(frozen=True)
class Request:
    path: str
    query: dict[str, list[str]]
    time: float
    headers: dict[str, str]


def words(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", folded).split())


class FakeService:
    """A server on 127.0.0.1 with scripted faults; subclasses answer (path, query)."""

    name = "fake"

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.always: str | None = None
        self.retry_after: str | None = None
        self.trickle_seconds = 0.05
        self.closing = threading.Event()
        self._script: deque[str] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeService:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self._server.shutdown()
        self._server.server_close()

    def script(self, *faults: str) -> None:
        unknown = set(faults) - FAULTS - {"ok"}
        assert not unknown, f"unknown faults {unknown}"
        self._script.extend(faults)

    def next_fault(self) -> str | None:
        with self._lock:
            fault = self._script.popleft() if self._script else self.always
        return None if fault == "ok" else fault

    def record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, bytes, str]:
        raise NotImplementedError


def _json(data: Any) -> tuple[int, bytes, str]:
    return 200, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json"


# --- OpenAlex --------------------------------------------------------------------------------

class FakeOpenAlex(FakeService):
    name = "OpenAlex"
    template = json.loads((DATA / "openalex" / "W2741809807.json").read_text(encoding="utf-8"))

    def __init__(self) -> None:
        super().__init__()
        self.works: dict[str, dict[str, Any]] = {}
        self.put(copy.deepcopy(self.template))

    def put(self, work: dict[str, Any]) -> dict[str, Any]:
        self.works[work["id"].rsplit("/", 1)[-1].upper()] = work
        return work

    def add(self, work_id: str, *, title: str, authors: list[str], year: int,
            doi: str | None = None, venue: str | None = "Proceedings of a Venue",
            references: list[str] = (), abstract: str | None = None) -> dict[str, Any]:
        """A work built from the recorded one: its keys and nesting, these values."""
        work = copy.deepcopy(self.template)
        first = work["authorships"][0]
        work.update({
            "id": f"https://openalex.org/{work_id}", "title": title, "display_name": title,
            "doi": f"https://doi.org/{doi.lower()}" if doi else None,
            "publication_year": year, "publication_date": f"{year}-06-01",
            "ids": {"openalex": f"https://openalex.org/{work_id}",
                    **({"doi": f"https://doi.org/{doi.lower()}"} if doi else {})},
            "authorships": [{**copy.deepcopy(first), "author": {**first["author"], "display_name": name},
                             "raw_author_name": name} for name in authors],
            "referenced_works": [f"https://openalex.org/{ref}" for ref in references],
            "referenced_works_count": len(references),
            "abstract_inverted_index": _inverted(abstract) if abstract else None,
        })
        work["primary_location"] = copy.deepcopy(work["primary_location"])
        work["primary_location"]["source"] = ({**work["primary_location"]["source"], "display_name": venue}
                                              if venue else None)
        return self.put(work)

    def _doi(self, doi: str) -> dict[str, Any] | None:
        return next((w for w in self.works.values()
                     if (w.get("doi") or "").lower().removeprefix("https://doi.org/") == doi.lower()),
                    None)

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, bytes, str]:
        select = query.get("select", [""])[0]
        if path.startswith("/works/"):
            ident = unquote(path[len("/works/"):])
            work = self._doi(ident[4:]) if ident.lower().startswith("doi:") else \
                self.works.get(ident.upper())
            if work is None:
                return 404, json.dumps({"error": "404 Not Found", "message": "not found"}).encode(), \
                    "application/json"
            return _json(_selected(work, select))
        if path != "/works":
            return 404, b"not found", "text/plain"
        found: list[dict[str, Any]] = []
        flt = query.get("filter", [""])[0]
        if flt:
            name, _, values = flt.partition(":")
            if name == "cites":  # the works citing any of these
                wanted = {f"https://openalex.org/{v.upper()}" for v in values.split("|")}
                found = [w for w in self.works.values() if wanted & set(w.get("referenced_works") or [])]
            for value in values.split("|") if name != "cites" else ():
                work = (self._doi(value) if name == "doi" else
                        self.works.get(value.upper()) if name in ("ids.openalex", "openalex") else None)
                if work is not None and work not in found:
                    found.append(work)
        elif "search" in query:
            wanted = words(query["search"][0]).split()
            found = [w for w in self.works.values()
                     if all(word in words(w["display_name"]).split() for word in wanted)]
        per_page = int(query.get("per-page", ["25"])[0])
        return _json({"meta": {"count": len(found), "db_response_time_ms": 12, "page": 1,
                               "per_page": per_page, "groups_count": None},
                      "results": [_selected(w, select) for w in found[:per_page]], "group_by": []})


def _selected(work: dict[str, Any], select: str) -> dict[str, Any]:
    if not select:
        return work
    return {key: work[key] for key in select.split(",") if key in work}


def _inverted(text: str) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for position, word in enumerate(text.split()):
        index.setdefault(word, []).append(position)
    return index


# --- OpenReview ------------------------------------------------------------------------------

class FakeOpenReview(FakeService):
    name = "OpenReview"
    recorded = json.loads((DATA / "openreview" / "notes_4aMedv0ONH.json").read_text(encoding="utf-8"))

    def __init__(self) -> None:
        super().__init__()
        self.notes = {note["id"]: note for note in copy.deepcopy(self.recorded["notes"])}

    def add(self, forum: str, *, title: str, authors: list[str], venue: str, pdate: int,
            abstract: str = "") -> dict[str, Any]:
        note = copy.deepcopy(self.recorded["notes"][0])
        note.update({"id": forum, "forum": forum, "pdate": pdate, "odate": pdate})
        note["content"].update({"title": {"value": title}, "authors": {"value": authors},
                                "venue": {"value": venue}, "abstract": {"value": abstract}})
        self.notes[forum] = note
        return note

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, bytes, str]:
        if path != "/notes":
            return 404, b'{"name":"NotFoundError"}', "application/json"
        ids = [i for i in query.get("ids", query.get("id", [""]))[0].split(",") if i]
        found = [self.notes[i] for i in ids if i in self.notes]
        return _json({"notes": found, "count": len(found)})


# --- Crossref --------------------------------------------------------------------------------

class FakeCrossref(FakeService):
    name = "Crossref"
    recorded = json.loads((DATA / "crossref" / "10.1371_journal.pone.0033693.json").read_text(
        encoding="utf-8"))
    not_found = (DATA / "crossref" / "unknown-doi_http404.txt").read_bytes()

    def __init__(self) -> None:
        super().__init__()
        self.works = {self.recorded["message"]["DOI"].lower(): copy.deepcopy(self.recorded)}

    def add(self, doi: str, *, title: str, authors: list[tuple[str, str]], year: int,
            journal: str, references: list[str] = ()) -> dict[str, Any]:
        answer = copy.deepcopy(self.recorded)
        message = answer["message"]
        message.update({"DOI": doi, "title": [title], "container-title": [journal],
                        "author": [{"given": given, "family": family, "sequence": "additional",
                                    "affiliation": []} for given, family in authors],
                        "published": {"date-parts": [[year, 3, 21]]},
                        "published-online": {"date-parts": [[year, 3, 21]]},
                        "issued": {"date-parts": [[year, 3, 21]]},
                        "reference": [{"key": f"ref{n}", "DOI": ref, "doi-asserted-by": "crossref"}
                                      for n, ref in enumerate(references)]})
        message.pop("abstract", None)
        self.works[doi.lower()] = answer
        return answer

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, bytes, str]:
        doi = unquote(path.removeprefix("/works/")).lower()
        found = self.works.get(doi) if path.startswith("/works/") else None
        if found is None:
            return 404, self.not_found, "text/plain"
        return _json(found)


class _Handler(BaseHTTPRequestHandler):
    server_version = "fake-source"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        fake: FakeService = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        fake.record(Request(parts.path, query, time.monotonic(), dict(self.headers.items())))
        fault = fake.next_fault()
        if fault == "drop":
            self.close_connection = True
            return
        if fault in ("429", "503"):
            return self._send(int(fault), f"fake {fake.name}: HTTP {fault}".encode(), "text/plain",
                              fake.retry_after)
        if fault == "silent":
            fake.closing.wait()
            return
        status, body, kind = fake.answer(parts.path, query)
        if fault == "malformed":
            body = body[: len(body) // 2]
        self._send(status, body, kind, trickle=fake.trickle_seconds if fault == "trickle" else None)

    def _send(self, status: int, body: bytes, kind: str, retry_after: str | None = None,
              trickle: float | None = None) -> None:
        fake: FakeService = self.server.fake  # type: ignore[attr-defined]
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            if retry_after is not None:
                self.send_header("Retry-After", retry_after)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if trickle is None:
                self.wfile.write(body)
                return
            self.wfile.flush()
            for byte in body:
                if fake.closing.wait(trickle):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)
