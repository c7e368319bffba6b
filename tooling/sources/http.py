"""The one network policy of every source: where, how fast, how long, how often, and who asks.

- `Service`: a source's name, base URL (`KB_<NAME>_URL` overrides it), and the spacing its
  published limits ask for (`KB_<NAME>_DELAY` overrides it); `KB_<NAME>_TIMEOUT` bounds one
  request, from sending it to the last byte of the answer (a `Deadline`, so a trickling server
  cannot hold a command for hours).
- `PoliteAdapter` (mounted on every session) is the only place a request leaves the process: one
  connection per host at a time, requests to a host at least the delay apart (measured from the
  end of the previous one), a `Retry-After` honoured, each request counted, the body checked
  before anyone reads it. Every request carries our user agent, with the user's `mailto` when
  configured (OpenAlex's and Crossref's polite pools ask for one).
- `with_retries` tries a request up to TRIES times on busy answers (429, 5xx), connection errors,
  timeouts and garbled bodies, backing off exponentially from the delay (after a timeout the wait
  already happened), then gives up with a KbError saying which service and why; refusals (400,
  a redirect loop, a URL that is not HTTP, an answer that cannot be read) stop at once.
- `get_json` is a JSON GET through all of the above: the answer, or None for a 404 (unknown).
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from ..errors import KbError
from .deadline import Deadline, DeadlinePassed, watch_pools

TRIES = 4
BUSY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 120.0
MAX_SECONDS = 3600.0  # for any of the settings in seconds
MAX_REDIRECTS = 5

T = TypeVar("T")
BodyCheck = Callable[[requests.Response], None]


@dataclass(frozen=True, slots=True)
class Service:
    """A source's network identity. `env` names its variables: KB_<env>_URL, _DELAY, _TIMEOUT."""

    name: str
    env: str
    default_url: str
    delay: float  # seconds between requests, from the service's published limits
    url_variable: str | None = None  # arXiv's predates the pattern: KB_ARXIV_API_URL

    @property
    def url_var(self) -> str:
        return self.url_variable or f"KB_{self.env}_URL"


@dataclass(frozen=True, slots=True)
class Settings:
    """Where and how fast to ask one service; read from the environment once per session."""

    url: str
    delay: float
    timeout: float

    @classmethod
    def from_env(cls, service: Service) -> Settings:
        return cls(url=_env_url(service.url_var, service.default_url),
                   delay=_env_seconds(f"KB_{service.env}_DELAY", service.delay),
                   timeout=_env_seconds(f"KB_{service.env}_TIMEOUT", 30.0, positive=True))


def _env_url(name: str, default: str) -> str:
    raw = os.environ.get(name) or default
    try:
        parts = urlsplit(raw)
        parts.port  # raises ValueError for a port out of range
        valid = (parts.scheme in ("http", "https") and bool(parts.hostname)
                 and raw.isprintable() and " " not in raw)
    except ValueError:
        valid = False
    if not valid:
        raise KbError(f"{name} must be an http(s) URL such as {default}, not {raw!r}")
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


def user_agent() -> str:
    """`kb-tooling/0.1.0 (mailto:me@example.org)`: who asks, and how to reach them."""
    try:
        version = metadata.version("kb-tooling")
    except metadata.PackageNotFoundError:
        version = "dev"
    mailto = mailto_address()
    return f"kb-tooling/{version}" + (f" (mailto:{mailto})" if mailto else "")


def mailto_address() -> str | None:
    """The user's contact address for polite pools: `KB_MAILTO`, when it looks like one."""
    found = os.environ.get("KB_MAILTO", "").strip()
    return found if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", found) else None


class GarbledResponse(Exception):
    """A 200 whose body is not what the service sends (cut short, not JSON, not Atom)."""


class Busy(Exception):
    """The service is busy or failing for now (429, 5xx): worth asking again."""


class Refused(Exception):
    """An answer asking again would not change: the message is the whole sentence to show."""


class UnreadableAnswer(Exception):
    """A well-formed answer whose content cannot be turned into records."""


@dataclass(slots=True)
class _Pace:
    """Request bookkeeping of one host, shared by every session in the process."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    last_end: float | None = None  # time.monotonic() when the previous request finished
    not_before: float = 0.0  # from a Retry-After header
    count: int = 0


_PACES: dict[str, _Pace] = {}
_PACES_LOCK = threading.Lock()


def _pace(url: str) -> _Pace:
    host = urlsplit(url).netloc.lower()
    with _PACES_LOCK:
        return _PACES.setdefault(host, _Pace())


def request_count(url: str | None = None) -> int:
    """Requests sent by this process (failed ones included): to the host of `url`, or to all."""
    if url is not None:
        return _pace(url).count
    with _PACES_LOCK:
        return sum(pace.count for pace in _PACES.values())


def requests_to(service: Service) -> int:
    """Requests sent to a service's host by this process (its URL read, not checked)."""
    try:
        return request_count(os.environ.get(service.url_var) or service.default_url)
    except ValueError:  # a URL `Settings` will refuse with a sentence: nothing was sent to it
        return 0


class PoliteAdapter(HTTPAdapter):
    """Spacing, timeout, counting and body checks for every request of one service."""

    def __init__(self, settings: Settings, check_body: BodyCheck | None = None):
        self.settings = settings
        self.check_body = check_body
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        watch_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        return watch_pools(super().proxy_manager_for(proxy, **kwargs))

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs["timeout"] = self.settings.timeout  # for each socket operation
        pace = _pace(request.url or "")
        with pace.lock:  # one connection per host at a time, in order
            _wait_turn(pace, self.settings.delay)
            try:
                response = _send_within(self.settings.timeout,
                                        lambda: HTTPAdapter.send(self, request, **kwargs))
            finally:
                pace.last_end = time.monotonic()
                pace.count += 1
            _note_retry_after(pace, response)
        if self.check_body is not None:
            self.check_body(response)
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


def _wait_turn(pace: _Pace, delay: float) -> None:
    now = time.monotonic()
    start = max(pace.not_before, (pace.last_end + delay) if pace.last_end is not None else now)
    if start > now:
        time.sleep(start - now)


def _note_retry_after(pace: _Pace, response: requests.Response) -> None:
    value = response.headers.get("Retry-After", "")
    try:
        seconds = min(float(value), MAX_RETRY_AFTER)
    except ValueError:
        return
    if math.isfinite(seconds) and seconds > 0:
        pace.not_before = time.monotonic() + seconds


def polite_session(settings: Settings, check_body: BodyCheck | None = None,
                   session: requests.Session | None = None) -> requests.Session:
    """A session (a new one, or `session`) whose every request follows the policy."""
    session = session or requests.Session()
    session.max_redirects = MAX_REDIRECTS
    session.headers["User-Agent"] = user_agent()
    adapter = PoliteAdapter(settings, check_body)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


_SESSIONS: dict[str, tuple[Settings, requests.Session]] = {}


def session_for(service: Service) -> tuple[Settings, requests.Session]:
    """The process's one session of a JSON service, configured from the environment on first use."""
    found = _SESSIONS.get(service.name)
    if found is None:
        settings = Settings.from_env(service)
        found = _SESSIONS[service.name] = (settings, polite_session(settings, _check_json))
    return found


def reset() -> None:
    """Forget sessions, spacing and counts (tests change the environment between runs)."""
    for _, session in _SESSIONS.values():
        session.close()
    _SESSIONS.clear()
    with _PACES_LOCK:
        _PACES.clear()


def _check_json(response: requests.Response) -> None:
    if response.status_code == 200:
        try:
            json.loads(response.content)
        except ValueError as exc:
            raise GarbledResponse(f"not JSON: {_short(str(exc))}") from None


def get_json(service: Service, path: str, params: Mapping[str, str] | None = None) -> Any:
    """GET `path` under the service's URL with the retry policy: the parsed JSON answer, or None
    when the service answers 404 (it has no such thing). KbError when it stays away or refuses."""
    settings, session = session_for(service)
    url = settings.url.rstrip("/") + path

    def ask() -> Any:
        response = session.get(url, params=params)
        if response.status_code == 404:
            return None
        if response.status_code in BUSY_STATUSES:
            raise Busy(f"HTTP {response.status_code}")
        if response.status_code != 200:
            raise Refused(f"{service.name} answered HTTP {response.status_code}"
                          f"{_message(response)}; nothing was changed")
        return json.loads(response.content)

    return with_retries(service.name, settings, ask)


def _message(response: requests.Response) -> str:
    """`: Invalid filter ...` from an error answer's JSON or text, if it says anything."""
    try:
        data = json.loads(response.content)
        text = str(data.get("message") or data.get("error") or "") if isinstance(data, dict) else ""
    except ValueError:
        text = response.text
    text = " ".join(text.split())
    return f": {_short(text)}" if text else ""


def with_retries(name: str, settings: Settings, run: Callable[[], T]) -> T:
    """Run one request up to TRIES times; KbError when the service stays away or refuses."""
    last = "no answer"
    backoff = 0.0
    for attempt in range(1, TRIES + 1):
        time.sleep(backoff)
        backoff = settings.delay * 2**attempt  # 2x, 4x, 8x the delay; none after a timeout
        try:
            return run()
        except Refused as exc:
            raise KbError(str(exc)) from None
        except Busy as exc:
            last = str(exc)
        except requests.Timeout:  # a socket operation, or the whole answer (DeadlinePassed)
            last, backoff = f"no complete answer within {settings.timeout:g} s", 0.0
        except requests.ConnectionError as exc:
            last = f"connection failed ({root_cause(exc)})"
        except GarbledResponse as exc:
            last = f"garbled response: {exc}"
        except requests.TooManyRedirects:
            raise KbError(f"{name}'s address redirects in a loop ({settings.url}); "
                          "nothing was changed") from None
        except (requests.exceptions.InvalidSchema, requests.exceptions.InvalidURL) as exc:
            raise KbError(f"{name}'s address led to a URL that cannot be asked ({_short(str(exc))}); "
                          "nothing was changed") from None
        except requests.RequestException as exc:
            last = f"request failed ({root_cause(exc)})"
        except UnreadableAnswer as exc:
            raise KbError(f"{name}'s answer could not be read ({exc}); nothing was changed") from None
    raise KbError(f"{name} did not answer after {TRIES} tries; nothing was changed "
                  f"(last: {last}; {settings.url})")


def _short(text: str, width: int = 120) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def root_cause(exc: BaseException) -> str:
    """`[Errno 111] Connection refused` out of requests' long nested message."""
    text = str(exc)
    errno = re.search(r"\[Errno -?\d+\] [^'\")]+", text)
    if errno:
        return errno.group(0)
    if "RemoteDisconnected" in text or "Connection aborted" in text:
        return "connection closed without an answer"
    return text[:200]
