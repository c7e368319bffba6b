"""The arxiv package's private API, in one place: `Client` gives it public names.

The client sends through a `requests.Session` it keeps as `_session` (we mount our polite
adapter on it and close it), and reads each page with `_parse_feed` (we turn its data errors
into a sentence). Neither is public; PRIVATE lists them with the parameters used, and
`tests/test_adapters.py` fails naming any that an upgrade of arxiv renames or reshapes.
"""

from __future__ import annotations

from typing import Any

import arxiv
import requests

PRIVATE: dict[str, tuple[str, ...]] = {  # name -> the parameters passed (attributes: none)
    "arxiv.Client._parse_feed": ("url", "first_page", "_try_index"),
    "arxiv.Client._session": (),
}


class Client(arxiv.Client):
    """`arxiv.Client` with `session` and `read_feed` in place of its private names."""

    @property
    def session(self) -> requests.Session:
        """The session every request of this client goes through."""
        found: requests.Session = self._session
        return found

    def read_feed(self, url: str, first_page: bool, try_index: int) -> Any:
        """Fetch one page of results and parse it (the package's own step; override to wrap)."""
        return super()._parse_feed(url, first_page, try_index)

    def _parse_feed(self, url: str, first_page: bool = True, _try_index: int = 0) -> Any:
        return self.read_feed(url, first_page, _try_index)
