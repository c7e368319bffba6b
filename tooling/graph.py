"""Stage 3: the knowledge graph, and the questions later stages ask of it.

One `networkx.MultiDiGraph`: a node per note (plus one per author named in a paper without a note),
an edge per (source, target, type) of resolved links, keyed and labelled by its type
(`author`, `concept`, `prerequisite`, ...). Edges point from the
note that writes the link to its target, so a note's backlinks are its in-edges.
"""

from __future__ import annotations

import graphlib
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .index import Index
from .model import Link
from .schema import AUTHOR, CONCEPT
from .schema import is_edge as edge_rule
from .syntax import plain_title

if TYPE_CHECKING:
    import networkx as nx
# networkx itself is imported where a graph is built: it is a fifth of a command's start-up, and
# `kb check` needs it only to name the concepts of a prerequisite cycle.


def build_graph(index: Index, links: Iterable[Link]) -> nx.MultiDiGraph:
    """Nodes carry `kind`, `title` (as shown: plain words, `**Scheduler**` -> Scheduler),
    `status`, `path` (None for authors without a note)."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    graph.add_nodes_from(
        (note.id, {"kind": note.kind, "title": plain_title(note.title), "status": note.status,
                   "path": note.path})
        for note in index.notes.values()
    )
    graph.add_nodes_from(
        (author, {"kind": AUTHOR, "title": name, "status": None, "path": None})
        for author, name in index.authors.items()
        if author not in index.notes
    )
    # One edge per (source, target, type), keyed by its type: a paper that names a concept in
    # `concepts` and again in a wikilink has two edges to it, but five wikilinks make one.
    edges: dict[tuple[str, str, str], dict[str, object]] = {}
    for link in links:
        if link.target is not None and is_edge(link):
            key = (link.source, link.target, link.type)
            if key not in edges:
                edges[key] = {"type": link.type, "group": link.group}
    graph.add_edges_from((u, v, t, data) for (u, v, t), data in edges.items())
    return graph


def is_edge(link: Link) -> bool:
    """Whether a link is an edge of the graph (`schema.is_edge`, the one rule)."""
    return edge_rule(link.source, link.target, link.type)


def linked_nodes(links: Iterable[Link]) -> set[str]:
    """Nodes at either end of an edge: what `orphans` looks for, without building the graph."""
    found: set[str] = set()
    for link in links:
        target = link.target
        if target is not None and edge_rule(link.source, target, link.type):
            found.add(link.source)
            found.add(target)
    return found


def backlinks(graph: nx.MultiDiGraph, node: str) -> dict[str, list[str]]:
    """Notes linking to `node`, grouped by edge type, each source once per type, sorted."""
    grouped: dict[str, set[str]] = defaultdict(set)
    for source, _, data in graph.in_edges(node, data=True):
        grouped[data["type"]].add(source)
    return {edge: sorted(sources) for edge, sources in sorted(grouped.items())}


def outlinks(graph: nx.MultiDiGraph, node: str) -> dict[str, list[str]]:
    """Targets `node` links to, grouped by edge type (order of first appearance kept)."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for _, target, data in graph.out_edges(node, data=True):
        if target not in grouped[data["type"]]:
            grouped[data["type"]].append(target)
    return dict(grouped)


def prerequisite_graph(index: Index, links: Iterable[Link]) -> nx.DiGraph:
    """Concept -> prerequisite edges only, as a small simple digraph (cheap to build on its own,
    so `kb check` can find cycles without the whole graph)."""
    import networkx as nx

    prereqs = nx.DiGraph()
    prereqs.add_nodes_from(n.id for n in index.notes.values() if n.kind == CONCEPT)
    prereqs.add_edges_from((link.source, link.target) for link in links
                           if link.type == "prerequisite" and is_edge(link))
    return prereqs


def prerequisite_cycles(prereqs: nx.DiGraph) -> list[list[str]]:
    """One cycle per strongly connected tangle of prerequisites, each as a list of ids."""
    import networkx as nx

    cycles = []
    for component in nx.strongly_connected_components(prereqs):
        if len(component) == 1:
            (only,) = component
            if not prereqs.has_edge(only, only):
                continue
        sub = prereqs.subgraph(component)
        cycle = nx.find_cycle(sub, source=min(component))
        cycles.append([edge[0] for edge in cycle])
    return sorted(cycles)



def prerequisites_acyclic(links: Iterable[Link]) -> bool:
    """Whether the prerequisite edges among `links` have no cycle (`graphlib`, in the standard
    library: the common answer without loading networkx)."""
    needs: dict[str, set[str]] = defaultdict(set)
    for link in links:
        if link.type == "prerequisite" and link.target is not None:
            needs[link.source].add(link.target)
    try:
        graphlib.TopologicalSorter(needs).prepare()
    except graphlib.CycleError:
        return False
    return True
