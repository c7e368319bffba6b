"""The knowledge base computed once: loaded notes, the link index, resolved links and the graph.

Every consumer (checks, reports, the site) receives this one object; none of them re-reads files.
The graph is built on first use: the linter answers its questions from the links alone.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # networkx loads on first use of the graph: `kb check` rarely needs it
    import networkx as nx

from .errors import KbError
from .graph import build_graph, prerequisite_graph
from .index import Index
from .links import resolve_links
from .load import Loaded, load_notes
from .model import Link, Note
from .problems import Problem

T = TypeVar("T")


@dataclass
class KnowledgeBase:
    root: Path
    notes: list[Note]  # every file, duplicates included, in path order
    index: Index  # id -> note (first file wins on duplicate ids), names, authors
    links: list[Link]
    load_problems: list[Problem]
    loaded: Loaded | None = None  # the notes as read, with each file's stamp (to read only what changed)
    # What later stages derive from this base (the review schedule, the query engine, the
    # ranking): kept with it, dropped with it. See `derived`.
    _derived: dict[tuple[Callable[..., Any], tuple[Hashable, ...]], Any] = field(
        default_factory=dict, repr=False)

    def derived(self, compute: Callable[..., T], *args: Hashable) -> T:
        """`compute(self, *args)`, computed once per base and arguments: the one cache of
        values later stages derive from the base (keyed by the function, never by a name)."""
        key = (compute, args)
        try:
            return self._derived[key]
        except KeyError:
            value = self._derived[key] = compute(self, *args)
            return value

    def hand_on(self, successor: KnowledgeBase, compute: Callable[..., Any]) -> None:
        """Give `successor` what `compute` derived here, when it cannot have changed (the git
        history across `kb serve`'s reloads: a save commits nothing)."""
        for (func, args), value in self._derived.items():
            if func is compute:
                successor._derived.setdefault((func, args), value)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The whole graph, built once, on first use (`kb check` never needs it)."""
        with collector_paused():
            return build_graph(self.index, self.links)

    @cached_property
    def prerequisites(self) -> nx.DiGraph:
        """Concept -> prerequisite edges alone: study orders and cycles."""
        return prerequisite_graph(self.index, self.links)

    def note(self, note_id: str) -> Note | None:
        return self.index.notes.get(note_id)

    def of_kind(self, *kinds: str) -> list[Note]:
        """Notes of the given kinds, sorted by title."""
        return sorted(
            (n for n in self.index.notes.values() if n.kind in kinds),
            key=lambda n: n.title.lower(),
        )

    def papers_named(self, names: Iterable[str]) -> list[Note]:
        """Paper notes by note id or any form of their arXiv id; KbError naming unknown ones."""
        notes, unknown = self.index.papers(names)
        if unknown:
            raise KbError(f"no paper note {', '.join(map(repr, unknown))} under {self.root}")
        return notes

    @property
    def unresolved(self) -> list[Link]:
        return [link for link in self.links if link.target is None]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Loading, graph building and checking allocate hundreds of thousands of objects and free
    none: the cyclic garbage collector would only rescan them over and over (~10% of the time
    at 5,000 notes)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


FULL_AFTER = 100  # middle-generation collections between two full ones while a site is built


@contextmanager
def few_full_collections() -> Iterator[None]:
    """While a site is built, the collector scans everything (a full collection) after 100 scans
    of the middle generation instead of 10. A build's lasting data (the base, the pages' reads,
    the link and sentence caches) only grows, and each full scan walked all of it, some two
    million objects, to free almost nothing: four such scans took 0.42 s of a 2,000-note build,
    one takes 0.17 s now (2% of the build, measured alternating). Young cycles are still
    collected, and peak memory is the same. The thresholds are put back when the build ends."""
    first, second, third = gc.get_threshold()
    gc.set_threshold(first, second, max(third, FULL_AFTER))
    try:
        yield
    finally:
        gc.set_threshold(first, second, third)


def open_base(root: Path | str, previous: KnowledgeBase | None = None, *,
              lasting: bool = False) -> KnowledgeBase:
    """Load, resolve and graph the notes under `root`: the whole pipeline up to the graph.
    `previous`, a base loaded from the same root earlier, lends the notes whose files are
    unchanged (`kb serve` after a save reads one file, not all).

    `lasting`: the base lives until the command ends (a `kb` command's own base), so the cyclic
    collector is told never to scan what exists now (`gc.freeze`): its first scan of a freshly
    loaded base would walk every note, link and reading once more (7% of `kb check` at 5,000
    notes, measured alternating). The command's end hands it all back (`release`)."""
    root = Path(root)
    with collector_paused():
        loaded = load_notes(root, previous.loaded if previous is not None else None)
        index = Index.build(loaded.notes, root)
        links = resolve_links(loaded.notes, index)
        kb = KnowledgeBase(root, loaded.notes, index, links, loaded.problems, loaded)
        if lasting:
            gc.freeze()
    return kb


def release() -> None:
    """Hand what `open_base(..., lasting=True)` froze back to the cyclic collector (at the end of
    every command: a process that runs many, such as the tests, still collects their garbage)."""
    gc.unfreeze()
