"""The study graph: papers and concepts linked by what teaches what, and how near two items are.

Nodes are the notes one reads or studies (`schema.STUDY_KINDS`); an edge is any link of a
`schema.STUDY_EDGES` type between two of them (prerequisites, concepts, related, papers, wikilinks,
Markdown links), in either direction. Authors and plans are not in it: thirteen co-authors make a
paper no more relevant, and a plan listing two notes says nothing about their topics. `kb next`
reads closeness to what is in progress and centrality (degree) here; a plan's gap suggestions read
shared neighbours here.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from ..base import KnowledgeBase
from ..schema import STUDY_EDGES, STUDY_KINDS

_EDGES = frozenset(STUDY_EDGES)


@dataclass(frozen=True, slots=True)
class StudyGraph:
    """Undirected adjacency of the study graph (node -> neighbours), self-links left out."""

    adjacency: dict[str, frozenset[str]]

    def neighbours(self, node: str) -> frozenset[str]:
        return self.adjacency.get(node, frozenset())

    def degree(self, node: str) -> int:
        """Centrality: how many papers and concepts this item is linked with."""
        return len(self.adjacency.get(node, ()))

    def distances(self, sources: Iterable[str], limit: int = 4) -> tuple[dict[str, int], dict[str, str]]:
        """Links from the nearest source (breadth first, at most `limit`), and which source it is;
        sources are visited in sorted order so ties go to the smallest id."""
        ordered = sorted(set(sources))
        distance = {s: 0 for s in ordered}
        nearest = {s: s for s in ordered}
        queue = deque(ordered)
        while queue:
            node = queue.popleft()
            if distance[node] >= limit:
                continue
            for other in sorted(self.adjacency.get(node, ())):
                if other not in distance:
                    distance[other] = distance[node] + 1
                    nearest[other] = nearest[node]
                    queue.append(other)
        return distance, nearest


def study_graph(kb: KnowledgeBase) -> StudyGraph:
    """The base's study graph, built once per base from its links (no networkx graph needed)."""
    return kb.derived(_build)


def _build(kb: KnowledgeBase) -> StudyGraph:
    notes = kb.index.notes
    study = {note_id for note_id, note in notes.items() if note.kind in STUDY_KINDS}
    found: dict[str, set[str]] = {}
    for link in kb.links:
        source, target = link.source, link.target
        if target in study and source in study and target != source and link.type in _EDGES:
            found.setdefault(source, set()).add(target)
            found.setdefault(target, set()).add(source)
    return StudyGraph({node: frozenset(others) for node, others in found.items()})
