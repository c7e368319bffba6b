"""The browser's index of the graph (an emitter): nodes with their place in the global layout,
and typed edges. Graphs and previews read it; nothing in it needs rendering in the page.
"""

from __future__ import annotations

import json

from ..schema import EDGE_TYPES
from .layout import global_layout
from .markdown.context import Context
from .urls import SiteMap


def positions(ctx: Context) -> dict[str, tuple[float, float]]:
    """The layout of the whole graph, computed once; under `kb serve` a new node is placed
    beside its neighbours instead of moving every other one."""
    graph = ctx.kb.graph
    layout: dict[str, tuple[float, float]] | None = ctx.memo.get("layout")
    if layout is None:
        layout = ctx.memo["layout"] = global_layout(graph)
        return layout
    for node in graph:
        if node not in layout:
            around = [layout[n] for n in (*graph.predecessors(node), *graph.successors(node)) if n in layout]
            x = sum(p[0] for p in around) / len(around) + 12 if around else 0.0
            y = sum(p[1] for p in around) / len(around) + 12 if around else 0.0
            layout[node] = (round(x, 1), round(y, 1))
    return layout


def index_json(ctx: Context) -> str:
    """Nodes (id, title, kind, status, URL, degree, x, y) and edges as `[source, target, type]`
    positions in `nodes` and `types`: a third of the size of spelled-out ids."""
    kb = ctx.kb
    site = SiteMap(kb, ctx.directory_urls)
    place = positions(ctx)
    nodes: list[dict[str, object]] = []
    position: dict[str, int] = {}
    for node, data in kb.graph.nodes(data=True):
        position[node] = len(nodes)
        x, y = place.get(node, (0.0, 0.0))
        nodes.append({"id": node, "title": data["title"], "kind": data["kind"],
                      "status": data["status"], "url": site.url_of(node),
                      "degree": kb.graph.degree(node), "x": x, "y": y})
    types = list(EDGE_TYPES)
    edges = sorted({(position[u], position[v], types.index(key))
                    for u, v, key in kb.graph.edges(keys=True) if u != v})
    return json.dumps({"nodes": nodes, "types": types, "edges": [list(e) for e in edges]},
                      ensure_ascii=False, separators=(",", ":"))
