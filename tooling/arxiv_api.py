"""Talking to arXiv politely and robustly: one client per process, all network policy here.

- `PoliteAdapter` (mounted on the `arxiv.Client` session) is the only place a request leaves the
  process. It holds a module-level lock, so one connection at a time, and spaces requests by at
  least `KB_ARXIV_DELAY` seconds (default 3, arXiv's terms) measured from the end of the previous
  one, honouring a `Retry-After`. It sets the timeout, counts requests, rejects a 200 whose body is
  not well-formed Atom (the `arxiv` package parses with `recover=True`, so a truncated answer would
  silently lose entries) and turns arXiv's 400 error feed into its message.
- `_with_retries` tries a request up to 4 times on 429/502/503/504, connection errors, timeouts
  and garbled bodies, backing off exponentially from the delay, then gives up with a KbError.
- `fetch_ids` asks for ids in chunks of 100 (longer URLs fail with HTTP 414), reports the ids
  arXiv silently left out, and keeps a per-id cache in `<root>/.kb-cache/arxiv/` that is fresh for
  the local day. `search_title` does the same for title searches.

Endpoint, delay and timeout come from `KB_ARXIV_API_URL`, `KB_ARXIV_DELAY`, `KB_ARXIV_TIMEOUT`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import arxiv
import click
import requests
from lxml import etree
from requests.adapters import HTTPAdapter

from . import arxivid
from .errors import KbError
from .fsio import write_atomic
from .metadata import normalise_title, result_id

DEFAULT_API_URL = "https://export.arxiv.org/api/query"
CHUNK = 100  # ids per request: ~650 ids make a URL arXiv refuses with HTTP 414
TRIES = 4
RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAX_RETRY_AFTER = 120.0
TITLE_RESULTS = 50
ATOM = "{http://www.w3.org/2005/Atom}"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Settings:
    """Where and how fast to ask; read from the environment once per client."""

    api_url: str = DEFAULT_API_URL
    delay: float = 3.0
    timeout: float = 30.0

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            api_url=os.environ.get("KB_ARXIV_API_URL") or DEFAULT_API_URL,
            delay=_env_seconds("KB_ARXIV_DELAY", 3.0),
            timeout=_env_seconds("KB_ARXIV_TIMEOUT", 30.0),
        )


def _env_seconds(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except ValueError:
        raise KbError(f"{name} must be a number of seconds, not {raw!r}") from None
    if value < 0:
        raise KbError(f"{name} must not be negative ({raw})")
    return value


class GarbledResponse(Exception):
    """arXiv answered 200 with a body that is not a well-formed Atom feed."""


class RefusedRequest(Exception):
    """arXiv answered 400 with its error feed; the message is arXiv's own words."""


@dataclass(slots=True)
class _Pace:
    """Process-wide request bookkeeping shared by every client and adapter."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    last_end: float | None = None  # time.monotonic() when the previous request finished
    not_before: float = 0.0  # from a Retry-After header
    count: int = 0


_PACE = _Pace()


def request_count() -> int:
    """Requests sent to arXiv by this process (failed ones included)."""
    return _PACE.count


class PoliteAdapter(HTTPAdapter):
    """Spacing, timeout, counting and body checks for every request to arXiv."""

    def __init__(self, settings: Settings):
        super().__init__(max_retries=0)
        self.settings = settings

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        kwargs["timeout"] = self.settings.timeout
        with _PACE.lock:  # one connection at a time, in order
            _wait_turn(self.settings.delay)
            try:
                response = super().send(request, **kwargs)
                response.content  # read the body under the lock, within the timeout
            finally:
                _PACE.last_end = time.monotonic()
                _PACE.count += 1
            _note_retry_after(response)
        _check_body(response)
        return response


def _wait_turn(delay: float) -> None:
    now = time.monotonic()
    start = max(_PACE.not_before, (_PACE.last_end + delay) if _PACE.last_end is not None else now)
    if start > now:
        time.sleep(start - now)


def _note_retry_after(response: requests.Response) -> None:
    value = response.headers.get("Retry-After", "")
    try:
        seconds = min(float(value), MAX_RETRY_AFTER)
    except ValueError:
        return
    _PACE.not_before = time.monotonic() + seconds


def _check_body(response: requests.Response) -> None:
    if response.status_code == 200:
        try:
            root = etree.fromstring(response.content, etree.XMLParser(resolve_entities=False,
                                                                      no_network=True))
        except etree.XMLSyntaxError as exc:
            raise GarbledResponse(f"not well-formed XML: {exc}") from None
        if root.tag != f"{ATOM}feed":
            raise GarbledResponse(f"not an Atom feed (root element {root.tag})")
    elif response.status_code == 400:
        raise RefusedRequest(_error_feed_message(response.content))


def _error_feed_message(body: bytes) -> str:
    """`incorrect id format for abc` from arXiv's 400 feed, or a generic text."""
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
        summary = root.findtext(f"{ATOM}entry/{ATOM}summary")
    except etree.XMLSyntaxError:
        summary = None
    return " ".join(summary.split()) if summary else "HTTP 400 (bad request)"


class ArxivClient(arxiv.Client):
    """`arxiv.Client` pointed at the configured endpoint, with retries and spacing left to us."""

    def __init__(self, settings: Settings):
        # delay 0 here: the adapter spaces requests process-wide, across clients and retries.
        super().__init__(page_size=CHUNK, delay_seconds=0.0, num_retries=0)
        self.settings = settings
        joiner = "&" if "?" in settings.api_url else "?"
        self.query_url_format = settings.api_url.replace("{", "{{").replace("}", "}}") + joiner + "{}"
        adapter = PoliteAdapter(settings)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)


_CLIENT: ArxivClient | None = None


def client() -> ArxivClient:
    """The process's one client, configured from the environment on first use."""
    global _CLIENT
    if _CLIENT is None:
        _CLIENT = ArxivClient(Settings.from_env())
    return _CLIENT


def reset() -> None:
    """Forget the client, spacing and count (tests change the environment between runs)."""
    global _CLIENT
    if _CLIENT is not None:
        _CLIENT._session.close()
    _CLIENT = None
    _PACE.last_end, _PACE.not_before, _PACE.count = None, 0.0, 0


def _with_retries(run: Callable[[], T]) -> T:
    """Run one request (with its pages) up to TRIES times; KbError when arXiv stays away."""
    settings = client().settings
    last = "no answer"
    for attempt in range(TRIES):
        if attempt:
            time.sleep(settings.delay * 2**attempt)
        try:
            return run()
        except RefusedRequest as exc:
            raise KbError(f"arXiv refused the request: {exc}; nothing was changed") from None
        except arxiv.HTTPError as exc:
            if exc.status not in RETRY_STATUSES:
                raise KbError(f"arXiv answered HTTP {exc.status}; nothing was changed") from None
            last = f"HTTP {exc.status}"
        except requests.Timeout:
            last = f"no answer within {settings.timeout:g} s"
        except requests.ConnectionError as exc:
            last = f"connection failed ({_root_cause(exc)})"
        except (GarbledResponse, arxiv.UnexpectedEmptyPageError) as exc:
            last = f"garbled response: {exc}"
    raise KbError(f"arXiv did not answer after {TRIES} tries; nothing was changed "
                  f"(last: {last}; {settings.api_url})")


def _root_cause(exc: BaseException) -> str:
    """`[Errno 111] Connection refused` out of requests' long nested message."""
    text = str(exc)
    errno = re.search(r"\[Errno -?\d+\] [^'\")]+", text)
    if errno:
        return errno.group(0)
    if "RemoteDisconnected" in text or "Connection aborted" in text:
        return "connection closed without an answer"
    return text[:200]


# --- the cache -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cache:
    """JSON files of answers under `<root>/.kb-cache/arxiv/`, fresh for the local day.

    `<id>.json` (`/` of old-style ids as `_`) holds `{"id", "fetched", "entry"}`, `entry` null
    for an id arXiv does not know; `title-<hash>.json` holds a title search's entries. Derived
    and disposable: delete the folder at will.
    """

    folder: Path
    today: str

    @classmethod
    def at(cls, root: Path, today: dt.date | None = None) -> Cache:
        return cls(Path(root) / ".kb-cache" / "arxiv", (today or dt.date.today()).isoformat())

    def _load(self, name: str) -> dict[str, Any] | None:
        try:
            data = json.loads((self.folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # missing or damaged: just ask again
        return data if isinstance(data, dict) and data.get("fetched") == self.today else None

    def _store(self, name: str, data: dict[str, Any]) -> None:
        try:
            write_atomic(self.folder / name, json.dumps({"fetched": self.today, **data},
                                                        ensure_ascii=False, indent=1), durable=False)
        except OSError:
            pass  # a read-only cache only costs a request next time

    def get_id(self, base: str) -> tuple[bool, arxiv.Result | None]:
        """(found in cache, answer or None for an id arXiv does not know)."""
        data = self._load(_id_file(base))
        if data is None or "entry" not in data:
            return False, None
        return True, _from_json(data["entry"]) if data["entry"] is not None else None

    def put_id(self, base: str, result: arxiv.Result | None) -> None:
        self._store(_id_file(base), {"id": base, "entry": _to_json(result) if result else None})

    def get_title(self, title: str) -> list[arxiv.Result] | None:
        data = self._load(_title_file(title))
        if data is None or not isinstance(data.get("entries"), list):
            return None
        return [_from_json(entry) for entry in data["entries"]]

    def put_title(self, title: str, results: list[arxiv.Result]) -> None:
        self._store(_title_file(title), {"title": title, "entries": [_to_json(r) for r in results]})


def _id_file(base: str) -> str:
    return base.replace("/", "_") + ".json"


def _title_file(title: str) -> str:
    return f"title-{hashlib.sha256(normalise_title(title).encode()).hexdigest()[:16]}.json"


def _to_json(result: arxiv.Result) -> dict[str, Any]:
    return {
        "entry_id": result.entry_id,
        "updated": result.updated.isoformat(),
        "published": result.published.isoformat(),
        "title": result.title,
        "authors": [a.name for a in result.authors],
        "summary": result.summary,
        "comment": result.comment,
        "journal_ref": result.journal_ref,
        "doi": result.doi,
        "primary_category": result.primary_category,
        "categories": result.categories,
        "links": [{"href": l.href, "title": l.title, "rel": l.rel, "content_type": l.content_type}
                  for l in result.links],
    }


def _from_json(data: dict[str, Any]) -> arxiv.Result:
    return arxiv.Result(
        entry_id=data["entry_id"],
        updated=dt.datetime.fromisoformat(data["updated"]),
        published=dt.datetime.fromisoformat(data["published"]),
        title=data["title"],
        authors=[arxiv.Result.Author(name) for name in data["authors"]],
        summary=data["summary"],
        comment=data["comment"],
        journal_ref=data["journal_ref"],
        doi=data["doi"],
        primary_category=data["primary_category"],
        categories=data["categories"],
        links=[arxiv.Result.Link(**link) for link in data["links"]],
    )


# --- asking ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Fetched:
    """What arXiv said about a list of ids: answers by version-less id, and ids it does not know."""

    results: dict[str, arxiv.Result] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    requests: int = 0


def check_ids(ids: Iterable[str]) -> list[str]:
    """Version-less canonical ids, in order, without repeats; KbError naming any malformed one."""
    bases: dict[str, None] = {}
    bad: list[str] = []
    for text in ids:
        parsed = arxivid.parse_bare(text) if isinstance(text, str) else None
        if parsed is None:
            bad.append(repr(text))
        else:
            bases.setdefault(arxivid.canonical_id(parsed.base))
    if bad:
        raise KbError(f"malformed arXiv id {', '.join(bad)} (expected e.g. 2202.05262 or "
                      "hep-th/9901001); nothing was asked")
    return list(bases)


def fetch_ids(ids: Sequence[str], cache: Cache | None = None, *, refresh: bool = False) -> Fetched:
    """The latest version of each paper, from the day's cache or in requests of CHUNK ids.

    Raises KbError, before any request, for a malformed id, and when arXiv does not answer.
    """
    bases = check_ids(ids)
    fetched = Fetched()
    wanted: list[str] = []
    for base in bases:
        hit, result = cache.get_id(base) if cache and not refresh else (False, None)
        if not hit:
            wanted.append(base)
        elif result is None:
            fetched.missing.append(base)
        else:
            fetched.results[base] = result
    before = request_count()
    chunks = [wanted[i:i + CHUNK] for i in range(0, len(wanted), CHUNK)]
    for chunk in _progress(chunks):
        answers = _with_retries(lambda: list(client().results(
            arxiv.Search(id_list=chunk, max_results=None))))
        by_id = {result_id(result).base: result for result in answers}
        for base in chunk:
            found = by_id.get(base)
            if found is None:
                fetched.missing.append(base)
            else:
                fetched.results[base] = found
            if cache is not None:
                cache.put_id(base, found)
    fetched.requests = request_count() - before
    return fetched


def search_title(title: str, cache: Cache | None = None, *, refresh: bool = False
                 ) -> list[arxiv.Result]:
    """arXiv's answers to a title search (`ti:"..."`), up to TITLE_RESULTS, cached for the day."""
    if cache is not None and not refresh:
        cached = cache.get_title(title)
        if cached is not None:
            return cached
    words = normalise_title(title)
    if not words:
        raise KbError(f"cannot search arXiv for the title {title!r}: it has no letters or digits")
    search = arxiv.Search(query=f'ti:"{words}"', max_results=TITLE_RESULTS)
    results = _with_retries(lambda: list(client().results(search)))
    if cache is not None:
        cache.put_title(title, results)
    return results


def _progress(chunks: list[list[str]]) -> Iterator[list[str]]:
    """A bar on stderr when the wait is long (several requests) and someone is watching."""
    if len(chunks) > 1 and sys.stderr.isatty():
        with click.progressbar(chunks, label=f"Asking arXiv ({len(chunks)} requests)",
                               file=sys.stderr) as bar:
            yield from bar
    else:
        yield from chunks
