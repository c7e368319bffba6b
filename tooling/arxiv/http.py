"""arXiv on the shared network policy (`sources/http.py`): one client per process, and what is
arXiv's own.

- The `arxiv.Client` session gets the shared `PoliteAdapter` (spacing at least `KB_ARXIV_DELAY`
  seconds, default 3 as arXiv's terms ask; `KB_ARXIV_TIMEOUT` from sending to the last byte;
  counting; a `Retry-After` honoured) with arXiv's body check: a 200 whose body is not well-formed
  Atom is garbled (the `arxiv` package parses with `recover=True`, so a truncated answer would
  silently lose entries), and arXiv's 400 error feed becomes its message.
- `with_retries` is the shared retry policy, with the `arxiv` package's errors translated: busy
  statuses are retried, other statuses and the error feed refuse at once, and an answer the
  package cannot read (a malformed date) is an error at once.
- What to ask and what to keep of the answers is `client`'s business; this module only sends.

Endpoint, delay and timeout come from `KB_ARXIV_API_URL`, `KB_ARXIV_DELAY`, `KB_ARXIV_TIMEOUT`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import arxiv
import requests
from lxml import etree

from ..sources import http
from ..sources.http import (  # noqa: F401  (TRIES and MAX_REDIRECTS: part of this module's face)
    MAX_REDIRECTS,
    TRIES,
    Busy,
    GarbledResponse,
    Refused,
    Service,
    Settings,
    UnreadableAnswer,
)
from .arxiv_api import Client

DEFAULT_API_URL = "https://export.arxiv.org/api/query"
SERVICE = Service("arXiv", "ARXIV", DEFAULT_API_URL, delay=3.0, url_variable="KB_ARXIV_API_URL")
CHUNK = 100  # ids per request: ~650 ids make a URL arXiv refuses with HTTP 414
RETRY_STATUSES = frozenset({429, 502, 503, 504})
ATOM = "{http://www.w3.org/2005/Atom}"

T = TypeVar("T")


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
        raise Refused(f"arXiv refused the request: {_error_feed_message(response.content)}; "
                      "nothing was changed")


def _error_feed_message(body: bytes) -> str:
    """`incorrect id format for abc` from arXiv's 400 feed, or a generic text."""
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
        summary = root.findtext(f"{ATOM}entry/{ATOM}summary")
    except etree.XMLSyntaxError:
        summary = None
    return " ".join(summary.split()) if summary else "HTTP 400 (bad request)"


class ArxivClient(Client):
    """`arxiv.Client` pointed at the configured endpoint, with retries and spacing left to us."""

    def __init__(self, settings: Settings):
        # delay 0 here: the adapter spaces requests process-wide, across clients and retries.
        super().__init__(page_size=CHUNK, delay_seconds=0.0, num_retries=0)
        self.settings = settings
        joiner = "&" if "?" in settings.url else "?"
        self.query_url_format = settings.url.replace("{", "{{").replace("}", "}}") + joiner + "{}"
        http.polite_session(settings, _check_body, self.session)

    def read_feed(self, url: str, first_page: bool, try_index: int) -> Any:
        """The package's fetch-and-parse, its data errors (`ValueError` for a malformed date,
        `OverflowError` for a date past year 9999) turned into `UnreadableAnswer`."""
        try:
            return super().read_feed(url, first_page, try_index)
        except requests.RequestException:
            raise  # some of requests' errors are ValueErrors too
        except (ValueError, TypeError, OverflowError, KeyError, AttributeError) as exc:
            raise UnreadableAnswer(f"{type(exc).__name__}: {str(exc)[:119]}") from None


_CLIENT: ArxivClient | None = None


def client() -> ArxivClient:
    """The process's one client, configured from the environment on first use."""
    global _CLIENT
    if _CLIENT is None:
        _CLIENT = ArxivClient(Settings.from_env(SERVICE))
    return _CLIENT


def request_count() -> int:
    """Requests sent to arXiv by this process (failed ones included)."""
    return http.requests_to(SERVICE)


def reset() -> None:
    """Forget the client, spacing and counts (tests change the environment between runs)."""
    global _CLIENT
    if _CLIENT is not None:
        _CLIENT.session.close()
    _CLIENT = None
    http.reset()


def with_retries(run: Callable[[], T]) -> T:
    """Run one request (with its pages) under the shared retry policy, the `arxiv` package's
    errors translated; KbError when arXiv stays away or refuses."""

    def translated() -> T:
        try:
            return run()
        except arxiv.HTTPError as exc:
            if exc.status in RETRY_STATUSES:
                raise Busy(f"HTTP {exc.status}") from None
            raise Refused(f"arXiv answered HTTP {exc.status}; nothing was changed") from None
        except arxiv.UnexpectedEmptyPageError as exc:
            raise GarbledResponse(str(exc)) from None

    return http.with_retries(SERVICE.name, client().settings, translated)
