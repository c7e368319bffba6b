"""The stored references: for each paper of the base (by all its identifiers), the identifiers of
the works it cites; the works citing it, when asked for; and what is known of the works around
the base (title, year, authors, identifiers), so `kb suggest` and the site name them offline.

One JSON file, `<root>/.kb-cache/references/store.json`, kept across days (references do not
change); an identifier no source knew is remembered for the day only, and asked again later.
Derived like every cache: deleting it costs a `kb fetch --references`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..notes.atomic import write_atomic
from ..notes.inside import inside

FORMAT = 1
PATH = Path(".kb-cache") / "references" / "store.json"


@dataclass(frozen=True, slots=True)
class Paper:
    """A base paper's entry: its identifiers (keys) and the keys of the works it cites."""

    ids: tuple[str, ...]
    cites: tuple[str, ...]
    fetched: str


@dataclass(frozen=True, slots=True)
class Known:
    """What is known of a work around the base."""

    title: str
    year: int | None
    authors: tuple[str, ...]
    ids: tuple[str, ...]

    @property
    def byline(self) -> str:
        who = self.authors[0].split()[-1] if self.authors else "?"
        more = " et al." if len(self.authors) > 2 else f" & {self.authors[1].split()[-1]}" \
            if len(self.authors) == 2 else ""
        return f"{who}{more}, {self.year or '?'}"


@dataclass(slots=True)
class Store:
    papers: list[Paper] = field(default_factory=list)
    works: dict[str, Known] = field(default_factory=dict)
    citers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # citing work -> base keys
    missing: dict[str, str] = field(default_factory=dict)  # key -> the day no source knew it
    _by_key: dict[str, Paper] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for paper in self.papers:
            self._index(paper)

    def _index(self, paper: Paper) -> None:
        for key in paper.ids:
            self._by_key[key] = paper

    def paper(self, keys: list[str]) -> Paper | None:
        """The entry of the base paper with any of these identifier keys."""
        return next((self._by_key[key] for key in keys if key in self._by_key), None)

    def add_paper(self, paper: Paper) -> None:
        old = self.paper(list(paper.ids))
        if old is not None:
            self.papers.remove(old)
            for key in old.ids:
                self._by_key.pop(key, None)
        self.papers.append(paper)
        self._index(paper)

    def as_json(self) -> dict[str, Any]:
        return {"format": FORMAT,
                "papers": [{"ids": list(p.ids), "cites": list(p.cites), "fetched": p.fetched}
                           for p in self.papers],
                "works": {key: {"title": k.title, "year": k.year, "authors": list(k.authors),
                                "ids": list(k.ids)} for key, k in sorted(self.works.items())},
                "citers": {key: list(keys) for key, keys in sorted(self.citers.items())},
                "missing": dict(sorted(self.missing.items()))}


def load(root: Path, *, fresh: bool = False) -> Store:
    """The stored references of the base at `root` (an empty store when none or damaged);
    `fresh` for a copy of its own, to change and save."""
    path = Path(root) / PATH
    try:
        stat = os.stat(inside(root, path))  # a cache folder linking out of the base: none
    except OSError:
        return Store()
    if fresh:
        _LOADED.pop(str(path), None)
        store = _load(str(path), stat.st_mtime_ns, stat.st_size)
        _LOADED.pop(str(path), None)
        return store
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


_LOADED: dict[str, tuple[int, int, Store]] = {}


def _load(path: str, mtime: int, size: int) -> Store:
    """Read once per file version: the site asks for every paper page."""
    found = _LOADED.get(path)
    if found is not None and found[:2] == (mtime, size):
        return found[2]
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        store = _from_json(data) if isinstance(data, dict) and data.get("format") == FORMAT else Store()
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        store = Store()  # damaged: as if never fetched
    _LOADED[path] = (mtime, size, store)
    return store


def _from_json(data: dict[str, Any]) -> Store:
    papers = [Paper(tuple(map(str, p["ids"])), tuple(map(str, p["cites"])), str(p["fetched"]))
              for p in data["papers"]]
    works = {str(key): Known(str(k["title"]), k["year"] if isinstance(k["year"], int) else None,
                             tuple(map(str, k["authors"])), tuple(map(str, k["ids"])))
             for key, k in data["works"].items()}
    citers = {str(key): tuple(map(str, keys)) for key, keys in data.get("citers", {}).items()}
    missing = {str(key): str(day) for key, day in data.get("missing", {}).items()}
    return Store(papers, works, citers, missing)


def save(root: Path, store: Store) -> None:
    """Write the store atomically (a read-only cache only costs requests next time)."""
    try:
        write_atomic(Path(root) / PATH, json.dumps(store.as_json(), ensure_ascii=False,
                                                   separators=(",", ":")), durable=False,
                     root=Path(root))
    except OSError:
        pass
