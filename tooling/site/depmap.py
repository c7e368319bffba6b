"""The map of what each page of the site depends on: page source -> the input keys it read while
it was built, and a digest of every input's value at that time.

Plain data, filled while pages are built (`Reads`) and kept between builds (`kb serve` in
memory, `kb build` in `.kb-cache/site/`). A page must be built again exactly when one of its
inputs has a new digest (`stale`); the inputs themselves, and how their digests are computed
from a knowledge base, are named in `inputs`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


class Reads:
    """What each page read while it was built: page source -> input keys. Everything that
    draws a page for a site (emitters, extensions, cards) adds here what it looked at."""

    __slots__ = ("by_page",)

    def __init__(self) -> None:
        self.by_page: dict[str, set[str]] = {}

    def add(self, page: str, *keys: str) -> None:
        found = self.by_page.get(page)
        if found is None:
            found = self.by_page[page] = set()
        found.update(keys)

    @contextmanager
    def apart(self, page: str) -> Iterator[set[str]]:
        """What `page` reads inside the block, in the set yielded (filled when the block ends),
        and added to the page's reads as usual: a part drawn once and shown again elsewhere
        (an embedded note) hands its inputs to every page showing it."""
        before = self.by_page.pop(page, set())
        caught: set[str] = set()
        try:
            yield caught
        finally:
            caught.update(self.by_page.pop(page, ()))
            self.by_page[page] = before | caught

    def forget(self, pages: Iterable[str]) -> None:
        """Drop what these pages read (they are about to be built again)."""
        for page in pages:
            self.by_page.pop(page, None)


@dataclass
class DepMap:
    """Page -> its input keys, and input key -> digest of its value when the pages were built."""

    pages: dict[str, frozenset[str]] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)

    def keys(self) -> set[str]:
        return set(self.digests)

    def as_json(self) -> dict[str, Any]:
        """Plain JSON data: every key once with its digest, each page's keys as positions in
        that list (a key is read by many pages: this is a fifth of the size of writing them out)."""
        keys = sorted(self.digests)
        position = {key: i for i, key in enumerate(keys)}
        return {"keys": keys, "digests": [self.digests[k] for k in keys],
                "pages": {page: _positions(found, position) for page, found in self.pages.items()}}

    @classmethod
    def from_json(cls, data: Any) -> DepMap:
        """The map stored by `as_json`; ValueError when the data is not one."""
        if not isinstance(data, dict) or not isinstance(data.get("pages"), dict) \
                or not isinstance(data.get("keys"), list) or not isinstance(data.get("digests"), list) \
                or len(data["keys"]) != len(data["digests"]):
            raise ValueError("not a dependency map")
        keys = [str(key) for key in data["keys"]]
        pages = {str(page): frozenset(keys[i] for i in found) for page, found in data["pages"].items()
                 if isinstance(found, list)}
        return cls(pages, dict(zip(keys, map(str, data["digests"]))))


def _positions(keys: frozenset[str], position: dict[str, int]) -> list[int]:
    """The keys' places in the list of every key, in order; a key without a digest is left out
    (every build records a digest for each key its pages read: that is the fast path)."""
    try:
        return sorted(map(position.__getitem__, keys))
    except KeyError:
        return sorted(position[k] for k in keys if k in position)


def changed_inputs(previous: DepMap, digest: Callable[[str], str]) -> set[str]:
    """The input keys whose value has a new digest now."""
    return {key for key, old in previous.digests.items() if digest(key) != old}


def stale(previous: DepMap, changed: set[str], pages: Iterable[str]) -> set[str]:
    """Of `pages` (every page of the coming build), those to build again: the new ones, and
    those that read an input in `changed`."""
    return {page for page in pages
            if (keys := previous.pages.get(page)) is None or not changed.isdisjoint(keys)}


def updated(previous: DepMap | None, built: dict[str, set[str]], pages: Iterable[str],
            digests: Callable[[set[str]], dict[str, str]]) -> DepMap:
    """The map after a build: the pages just built with what they read, the others as they were
    (only pages still in the site), and the current digests of the keys any of them reads
    (`digests` may add keys of its own: what it needs to tell next time what changed)."""
    kept: dict[str, frozenset[str]] = {}
    for page in pages:
        if page in built:
            kept[page] = frozenset(built[page])
        elif previous is not None and page in previous.pages:
            kept[page] = previous.pages[page]
    wanted: set[str] = set()
    for each in kept.values():
        wanted |= each
    return DepMap(kept, digests(wanted))
