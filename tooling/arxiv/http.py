"""Talking to arXiv politely and robustly: one client per process, all network policy here.

- `PoliteAdapter` (mounted on the `arxiv.Client` session) is the only place a request leaves the
  process. It holds a module-level lock, so one connection at a time, and spaces requests by at
  least `KB_ARXIV_DELAY` seconds (default 3, arXiv's terms) measured from the end of the previous
  one, honouring a `Retry-After`. It gives each request `KB_ARXIV_TIMEOUT` seconds (default 30)
  from sending to the last byte, a wall-clock deadline (`deadline`), counts requests, rejects a 200
  whose body is not well-formed Atom (the `arxiv` package parses with `recover=True`, so a
  truncated answer would silently lose entries) and turns arXiv's 400 error feed into its message.
- `with_retries` tries a request up to 4 times on 429/502/503/504, connection errors, timeouts
  and garbled bodies, backing off exponentially from the delay (after a timeout the wait already
  happened: no extra backoff, so a silent server is given up after about 4 timeouts), then gives
  up with a KbError. An answer the `arxiv` package cannot read (a malformed date), a redirect
  loop or an endpoint that is not HTTP are errors at once: asking again would not help.
- What to ask and what to keep of the answers is `client`'s business; this module only sends.

Endpoint, delay and timeout come from `KB_ARXIV_API_URL`, `KB_ARXIV_DELAY`, `KB_ARXIV_TIMEOUT`.
"""

from __future__ import annotations

import math
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import arxiv
import requests
from lxml import etree
from requests.adapters import HTTPAdapter

from ..errors import KbError
from .deadline import Deadline, DeadlinePassed, watch_pools

DEFAULT_API_URL = "https://export.arxiv.org/api/query"
CHUNK = 100  # ids per request: ~650 ids make a URL arXiv refuses with HTTP 414
TRIES = 4
RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAX_RETRY_AFTER = 120.0
MAX_SECONDS = 3600.0  # for any of the settings in seconds
MAX_REDIRECTS = 5  # arXiv's API does not redirect; a mirror might, once or twice
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
            api_url=_env_url("KB_ARXIV_API_URL"),
            delay=_env_seconds("KB_ARXIV_DELAY", 3.0),
            timeout=_env_seconds("KB_ARXIV_TIMEOUT", 30.0, positive=True),
        )


def _env_url(name: str) -> str:
    raw = os.environ.get(name) or DEFAULT_API_URL
    try:
        parts = urlsplit(raw)
        parts.port  # raises ValueError for a port out of range
        valid = (parts.scheme in ("http", "https") and bool(parts.hostname)
                 and raw.isprintable() and " " not in raw)
    except ValueError:
        valid = False
    if not valid:
        raise KbError(f"{name} must be an http(s) URL such as {DEFAULT_API_URL}, not {raw!r}")
    return raw


def _env_seconds(name: str, default: float, *, positive: bool = False) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise KbError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not math.isfinite(value) or not 0 <= value <= MAX_SECONDS or (positive and value == 0):
        low = "more than 0" if positive else "from 0"
        raise KbError(f"{name} must be a number of seconds {low} to {MAX_SECONDS:g}, not {raw!r}")
    return value


class GarbledResponse(Exception):
    """arXiv answered 200 with a body that is not a well-formed Atom feed."""


class RefusedRequest(Exception):
    """arXiv answered 400 with its error feed; the message is arXiv's own words."""


class UnreadableAnswer(Exception):
    """A well-formed feed the `arxiv` package could not turn into results (a malformed date)."""


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
        self.settings = settings
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        watch_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        return watch_pools(super().proxy_manager_for(proxy, **kwargs))

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs["timeout"] = self.settings.timeout  # for each socket operation
        with _PACE.lock:  # one connection at a time, in order
            _wait_turn(self.settings.delay)
            try:
                response = _send_within(self.settings.timeout,
                                        lambda: HTTPAdapter.send(self, request, **kwargs))
            finally:
                _PACE.last_end = time.monotonic()
                _PACE.count += 1
            _note_retry_after(response)
        _check_body(response)
        return response


def _send_within(seconds: float, send: Callable[[], requests.Response]) -> requests.Response:
    """Send and read the whole body, all of it within `seconds` of wall-clock time."""
    with Deadline(seconds) as deadline:
        try:
            response = send()
            response.content  # read the body now, under the deadline
        except Exception:
            if deadline.passed:  # the deadline shut the socket: that is why the read failed
                raise DeadlinePassed(f"no complete answer within {seconds:g} s") from None
            raise
    if deadline.passed:  # the body may have been cut short without an error
        raise DeadlinePassed(f"no complete answer within {seconds:g} s")
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
        self._session.max_redirects = MAX_REDIRECTS
        joiner = "&" if "?" in settings.api_url else "?"
        self.query_url_format = settings.api_url.replace("{", "{{").replace("}", "}}") + joiner + "{}"
        adapter = PoliteAdapter(settings)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    def _parse_feed(self, url: str, first_page: bool = True, _try_index: int = 0) -> Any:
        """The package's fetch-and-parse, its data errors (`ValueError` for a malformed date,
        `OverflowError` for a date past year 9999) turned into `UnreadableAnswer`."""
        try:
            return super()._parse_feed(url, first_page, _try_index)
        except requests.RequestException:
            raise  # some of requests' errors are ValueErrors too
        except (ValueError, TypeError, OverflowError, KeyError, AttributeError) as exc:
            raise UnreadableAnswer(f"{type(exc).__name__}: {_short(str(exc))}") from None


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


def with_retries(run: Callable[[], T]) -> T:
    """Run one request (with its pages) up to TRIES times; KbError when arXiv stays away."""
    settings = client().settings
    last = "no answer"
    backoff = 0.0
    for attempt in range(1, TRIES + 1):
        time.sleep(backoff)
        backoff = settings.delay * 2**attempt  # 2x, 4x, 8x the delay; none after a timeout
        try:
            return run()
        except RefusedRequest as exc:
            raise KbError(f"arXiv refused the request: {exc}; nothing was changed") from None
        except arxiv.HTTPError as exc:
            if exc.status not in RETRY_STATUSES:
                raise KbError(f"arXiv answered HTTP {exc.status}; nothing was changed") from None
            last = f"HTTP {exc.status}"
        except requests.Timeout:  # a socket operation, or the whole answer (DeadlinePassed)
            last, backoff = f"no complete answer within {settings.timeout:g} s", 0.0
        except requests.ConnectionError as exc:
            last = f"connection failed ({_root_cause(exc)})"
        except (GarbledResponse, arxiv.UnexpectedEmptyPageError) as exc:
            last = f"garbled response: {exc}"
        except requests.TooManyRedirects:
            raise KbError(f"arXiv's address redirects in a loop ({settings.api_url}); "
                          "nothing was changed") from None
        except (requests.exceptions.InvalidSchema, requests.exceptions.InvalidURL) as exc:
            raise KbError(f"arXiv's address led to a URL that cannot be asked ({_short(str(exc))}); "
                          "nothing was changed") from None
        except requests.RequestException as exc:
            last = f"request failed ({_root_cause(exc)})"
        except UnreadableAnswer as exc:
            raise KbError(f"arXiv's answer could not be read ({exc}); nothing was changed") from None
    raise KbError(f"arXiv did not answer after {TRIES} tries; nothing was changed "
                  f"(last: {last}; {settings.api_url})")


def _short(text: str, width: int = 120) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _root_cause(exc: BaseException) -> str:
    """`[Errno 111] Connection refused` out of requests' long nested message."""
    text = str(exc)
    errno = re.search(r"\[Errno -?\d+\] [^'\")]+", text)
    if errno:
        return errno.group(0)
    if "RemoteDisconnected" in text or "Connection aborted" in text:
        return "connection closed without an answer"
    return text[:200]
