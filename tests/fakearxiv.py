"""A fake arXiv API on 127.0.0.1, for tests and the benchmark: real responses, scripted failures.

- Replays the four real recorded responses in tests/data/arxiv/ (see SOURCES.md there) with the
  HTTP status each was served with, whenever a request asks the recorded question.
- Answers any other `id_list` or `search_query` request from a registry of papers, rendered in the
  exact Atom shape of the real entries. The registry starts with the real entries of the fixtures
  and the 33 seed papers (tests/data/arxiv/seed-metadata.yaml); `add` and `revise` add papers and
  new versions (a changed title, a journal reference, a DOI) between runs.
- Scripted failures, consumed one per request: "429", "503", "slow" (answers after
  `slow_seconds`, past a client's timeout), "truncated" (a 200 with half the XML), "error400"
  (the recorded error feed), "drop" (closes the connection without an answer); hostile ones:
  "trickle" (headers at once, then the body one byte every `trickle_seconds`, each byte well
  within any read timeout), "silent" (takes the request and never answers), "redirect-loop" (a
  302 back to the same URL), "redirect-ftp" (a 302 to an ftp:// URL), "bad-date" (a normal
  answer whose entries' <published> is `bad_date`); `always` repeats one forever; `retry_after`
  adds that header to 429 and 503 answers.
- Records every request (URL, ids asked, time.monotonic() on arrival).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import unicodedata
from collections import deque
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit
from xml.sax.saxutils import escape, quoteattr

import yaml
from lxml import etree

DATA = Path(__file__).parent / "data" / "arxiv"
ERROR_400 = "idlist_malformed-abc_error-entry_http400.xml"
RECORDED: dict[tuple[str, frozenset[str]], tuple[str, int]] = {
    ("", frozenset({"abc"})): (ERROR_400, 400),
    ("", frozenset({"0000.0000"})): ("idlist_nonexistent-0000.0000_0-entries_http200.xml", 200),
    ("", frozenset({"0808.05394", "1707.08567"})):
        ("idlist_nonexistent-0808.05394_plus_1707.08567_1-entry_http200.xml", 200),
    ("testing", frozenset()): ("search_all-testing_10-entries_http200.xml", 200),
}
FAULTS = frozenset({"429", "503", "slow", "truncated", "error400", "drop", "trickle", "silent",
                    "redirect-loop", "redirect-ftp", "bad-date"})
_NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}
_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")
_VERSION = re.compile(r"v(\d+)$")


@dataclass(frozen=True)
class Version:
    """One version of a paper, as the Atom entry shows it (timestamps like 2022-02-10T18:59:54Z)."""

    title: str
    authors: tuple[str, ...]
    published: str
    updated: str
    primary_category: str
    categories: tuple[str, ...]
    summary: str = ""
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None


@dataclass(frozen=True)
class Request:
    url: str
    ids: tuple[str, ...]
    search_query: str
    time: float


def canonical(base: str) -> str:
    return re.sub(r"^([a-z]+(?:-[a-z]+)*)\.[A-Z]{2}/", r"\1/", base)


def _words(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", folded).split())


@dataclass
class Registry:
    """Papers by version-less id, each a dict of version number -> Version."""

    papers: dict[str, dict[int, Version]] = field(default_factory=dict)

    def add(self, base: str, *, title: str, authors: list[str] | tuple[str, ...],
            published: str = "2024-01-15T12:00:00Z", updated: str | None = None,
            primary_category: str = "cs.LG", categories: list[str] | None = None,
            version: int = 1, **extra: str | None) -> Version:
        """A new paper (its first known version)."""
        entry = Version(title, tuple(authors), published, updated or published, primary_category,
                        tuple(categories or [primary_category]),
                        extra.pop("summary", None) or f"We study {title.lower()}.", **extra)
        self.papers.setdefault(base, {})[version] = entry
        return entry

    def revise(self, base: str, **changes) -> int:
        """A new version of a paper: the latest one with `changes`, updated a day later."""
        versions = self.papers[base]
        latest = max(versions)
        previous = versions[latest]
        day = dt.datetime.fromisoformat(previous.updated.replace("Z", "+00:00")) + dt.timedelta(1)
        changes.setdefault("updated", day.strftime("%Y-%m-%dT%H:%M:%SZ"))
        if "authors" in changes:
            changes["authors"] = tuple(changes["authors"])
        versions[latest + 1] = replace(previous, **changes)
        return latest + 1

    def lookup(self, ref: str) -> tuple[str, int, Version] | None:
        match = _VERSION.search(ref)
        base = canonical(ref[: match.start()] if match else ref)
        versions = self.papers.get(base)
        if not versions:
            return None
        number = int(match.group(1)) if match else max(versions)
        return (base, number, versions[number]) if number in versions else None

    def search(self, query: str) -> list[tuple[str, int, Version]]:
        """`ti:"words"` (title contains the phrase) or `all:words` / bare words (title or abstract)."""
        field_name, _, text = query.partition(":") if re.match(r"^\w+:", query) else ("all", "", query)
        phrase = _words(text)
        found = []
        for base, versions in self.papers.items():
            latest = max(versions)
            entry = versions[latest]
            haystack = entry.title if field_name == "ti" else f"{entry.title} {entry.summary}"
            if phrase and phrase in _words(haystack):
                found.append((base, latest, entry))
        return found

    @classmethod
    def default(cls) -> Registry:
        registry = cls()
        for name, _ in RECORDED.values():
            registry.load_feed((DATA / name).read_bytes())
        for seed in yaml.safe_load((DATA / "seed-metadata.yaml").read_text(encoding="utf-8")):
            registry.add_seed(seed)
        return registry

    def load_feed(self, body: bytes) -> None:
        """Register the real entries of a recorded feed, field for field."""
        for entry in etree.fromstring(body).iterfind("a:entry", _NS):
            ident = entry.findtext("a:id", namespaces=_NS).rsplit("/abs/", 1)
            published = entry.findtext("a:published", namespaces=_NS)
            if len(ident) != 2 or published is None:
                continue  # the error entry
            match = _VERSION.search(ident[1])
            primary = entry.find("arxiv:primary_category", _NS)
            self.papers.setdefault(ident[1][: match.start()], {})[int(match.group(1))] = Version(
                title=entry.findtext("a:title", namespaces=_NS),
                authors=tuple(a.findtext("a:name", namespaces=_NS)
                              for a in entry.iterfind("a:author", _NS)),
                published=published,
                updated=entry.findtext("a:updated", namespaces=_NS),
                primary_category=primary.get("term") if primary is not None else "",
                categories=tuple(c.get("term") for c in entry.iterfind("a:category", _NS)),
                summary=entry.findtext("a:summary", namespaces=_NS) or "",
                comment=entry.findtext("arxiv:comment", namespaces=_NS),
                journal_ref=entry.findtext("arxiv:journal_ref", namespaces=_NS),
                doi=entry.findtext("arxiv:doi", namespaces=_NS),
            )

    def add_seed(self, seed: dict) -> None:
        """A seed paper from its checked metadata; unchecked (null) fields get plausible values."""
        base = seed["id"]
        yymm = base.split(".")[0] if "." in base else "0001"
        published = seed.get("published") or f"20{yymm[:2]}-{yymm[2:]}-15"
        primary = seed.get("primary_category") or "cs.LG"
        self.add(base, title=seed["title"], authors=seed["authors"],
                 published=f"{published}T17:00:00Z", primary_category=primary,
                 categories=[primary, "cs.AI"] if primary != "cs.AI" else [primary])


def render_entry(base: str, number: int, v: Version) -> str:
    """One `<entry>` in the layout of the real ones (element order included)."""
    vid = f"{base}v{number}"
    out = [
        "  <entry>\n",
        f"    <id>http://arxiv.org/abs/{vid}</id>\n",
        f"    <title>{escape(v.title)}</title>\n",
        f"    <updated>{v.updated}</updated>\n",
        f'    <link href="https://arxiv.org/abs/{vid}" rel="alternate" type="text/html"/>\n',
        f'    <link href="https://arxiv.org/pdf/{vid}" rel="related" type="application/pdf" '
        'title="pdf"/>\n',
        f"    <summary>{escape(v.summary)}</summary>\n",
        *(f'    <category term={quoteattr(c)} scheme="http://arxiv.org/schemas/atom"/>\n'
          for c in v.categories),
        f"    <published>{v.published}</published>\n",
    ]
    if v.comment:
        out.append(f"    <arxiv:comment>{escape(v.comment)}</arxiv:comment>\n")
    out.append(f"    <arxiv:primary_category term={quoteattr(v.primary_category)}/>\n")
    if v.journal_ref:
        out.append(f"    <arxiv:journal_ref>{escape(v.journal_ref)}</arxiv:journal_ref>\n")
    out += [f"    <author>\n      <name>{escape(name)}</name>\n    </author>\n" for name in v.authors]
    if v.doi:
        out.append(f"    <arxiv:doi>{escape(v.doi)}</arxiv:doi>\n")
        out.append(f'    <link rel="related" href={quoteattr("https://doi.org/" + v.doi)} '
                   'title="doi"/>\n')
    out.append("  </entry>\n")
    return "".join(out)


def render_feed(entries: list[str], total: int, start: int, size: int, query: str,
                ids: str) -> bytes:
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    args = f"search_query={escape(query)}&amp;id_list={escape(ids)}"
    head = (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
        f"  <id>https://arxiv.org/api/{abs(hash((query, ids, start))):x}</id>\n"
        f"  <title>arXiv Query: {args}&amp;start={start}&amp;max_results={size}</title>\n"
        f"  <updated>{now}</updated>\n"
        f'  <link href="https://arxiv.org/api/query?search_query={escape(quote(query))}&amp;'
        f'start={start}&amp;max_results={size}&amp;id_list={escape(ids)}" '
        'type="application/atom+xml"/>\n'
        f"  <opensearch:itemsPerPage>{size}</opensearch:itemsPerPage>\n"
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
        f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
    )
    return (head + "".join(entries) + "</feed>\n").encode("utf-8")


def error_feed(bad_id: str) -> bytes:
    """arXiv's 400 answer for a malformed id, built from the recorded one."""
    recorded = (DATA / ERROR_400).read_text(encoding="utf-8")
    return recorded.replace("_for_abc", f"_for_{escape(bad_id)}").replace(
        "format for abc", f"format for {escape(bad_id)}").encode("utf-8")


class FakeArxiv:
    """The server. Use as a context manager; `url` is the value for KB_ARXIV_API_URL."""

    def __init__(self, registry: Registry | None = None, slow_seconds: float = 2.0):
        self.registry = registry or Registry.default()
        self.requests: list[Request] = []
        self.always: str | None = None
        self.slow_seconds = slow_seconds
        self.trickle_seconds = 0.05
        self.bad_date = "yesterday"
        self.closing = threading.Event()  # set on exit: "silent" and "trickle" handlers stop
        self.retry_after: str | None = None  # a Retry-After header on 429 and 503 answers
        self._script: deque[str] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/query"

    def __enter__(self) -> FakeArxiv:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self._server.shutdown()
        self._server.server_close()

    def script(self, *faults: str) -> None:
        """Failures for the next requests, in order ("ok" for a normal answer)."""
        unknown = set(faults) - FAULTS - {"ok"}
        assert not unknown, f"unknown faults {unknown}"
        self._script.extend(faults)

    def add(self, base: str, **fields) -> Version:
        return self.registry.add(base, **fields)

    def revise(self, base: str, **changes) -> int:
        return self.registry.revise(base, **changes)

    def _next_fault(self) -> str | None:
        with self._lock:
            fault = self._script.popleft() if self._script else self.always
        return None if fault == "ok" else fault

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def answer(self, query: dict[str, list[str]]) -> tuple[int, bytes]:
        """(status, body) for a query string, as arXiv would answer it."""
        search = query.get("search_query", [""])[0]
        ids = [i for i in query.get("id_list", [""])[0].split(",") if i]
        start = int(query.get("start", ["0"])[0])
        recorded = RECORDED.get((search, frozenset(ids))) if start == 0 else None
        if recorded is not None:  # the recorded first page, byte for byte
            return recorded[1], (DATA / recorded[0]).read_bytes()
        bad = [i for i in ids if not _ID.match(i)]
        if bad:
            return 400, error_feed(bad[0])
        if ids:
            found = [hit for hit in map(self.registry.lookup, ids) if hit is not None]
        else:
            found = self.registry.search(search) if search else []
        size = int(query.get("max_results", ["10"])[0])
        page = [render_entry(*hit) for hit in found[start:start + size]]
        return 200, render_feed(page, len(found), start, size, search, ",".join(ids))


class _Handler(BaseHTTPRequestHandler):
    server_version = "fake-arxiv"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        fake: FakeArxiv = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        ids = tuple(i for i in query.get("id_list", [""])[0].split(",") if i)
        fake._record(Request(self.path, ids, query.get("search_query", [""])[0], time.monotonic()))
        if parts.path != "/api/query":
            return self._send(404, b"not found", "text/plain")
        fault = fake._next_fault()
        if fault == "drop":
            self.close_connection = True
            return
        if fault in ("429", "503"):
            return self._send(int(fault), f"fake arXiv: HTTP {fault}".encode(), "text/plain",
                              fake.retry_after)
        if fault == "error400":
            return self._send(400, (DATA / ERROR_400).read_bytes())
        if fault == "silent":
            fake.closing.wait()
            return
        if fault in ("redirect-loop", "redirect-ftp"):
            target = self.path if fault == "redirect-loop" else f"ftp://127.0.0.1{self.path}"
            return self._send(302, b"", "text/plain", location=target)
        if fault == "slow":
            time.sleep(fake.slow_seconds)
        status, body = fake.answer(query)
        if fault == "truncated":
            body = body[: len(body) // 2]
        if fault == "bad-date":
            body = re.sub(rb"<published>[^<]*</published>",
                          b"<published>" + escape(fake.bad_date).encode() + b"</published>", body)
        self._send(status, body, trickle=fake.trickle_seconds if fault == "trickle" else None)

    def _send(self, status: int, body: bytes,
              content_type: str = "application/atom+xml; charset=utf-8",
              retry_after: str | None = None, location: str | None = None,
              trickle: float | None = None) -> None:
        fake: FakeArxiv = self.server.fake  # type: ignore[attr-defined]
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if retry_after is not None:
                self.send_header("Retry-After", retry_after)
            if location is not None:
                self.send_header("Location", location)
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
