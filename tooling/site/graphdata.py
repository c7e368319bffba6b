"""The graphs' data (an emitter): the global index (nodes with their place in the global layout,
and typed edges), read by the graph page and by a local graph's depth-2 view; and each note's
neighbourhood, inlined in its page so a local graph fetches nothing.
"""

from __future__ import annotations

import json

from ..schema import DONE_STATUSES, EDGE_TYPES
from .inputs import DEGREE, NODE, OUT
from .markdown.context import Context

TYPES = list(EDGE_TYPES)


def positions(ctx: Context) -> dict[str, tuple[float, float]]:
    """The layout of the whole graph, computed once; under `kb serve` a new node is placed
    beside its neighbours instead of moving every other one."""
    graph = ctx.kb.graph
    layout: dict[str, tuple[float, float]] | None = ctx.memo.get("layout")
    if layout is None:
        from .layout import global_layout  # numpy: only when the layout is not kept from before

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
    """Nodes (id, title, kind, status, done: whether the status counts as finished (the scripts
    keep no status table), URL, degree: its number of neighbours, x, y) and edges as
    `[source, target, type]` positions in `nodes` and `types`: a third of the size of ids."""
    kb = ctx.kb
    site = ctx.renderer.site  # its URL cache is shared with the pages
    place = positions(ctx)
    around, out = _adjacency(ctx)
    nodes: list[dict[str, object]] = []
    position: dict[str, int] = {}
    for node, data in kb.graph.nodes(data=True):
        position[node] = len(nodes)
        x, y = place.get(node, (0.0, 0.0))
        nodes.append({"id": node, "title": data["title"], "kind": data["kind"],
                      "status": data["status"],
                      "done": data["status"] in DONE_STATUSES, "url": site.url_of(node),
                      "degree": len(around[node]), "x": x, "y": y})
    edges = sorted({(position[u], position[v], kind) for u, targets in out.items() for v, kind in targets})
    return json.dumps({"nodes": nodes, "types": TYPES, "edges": [list(e) for e in edges]},
                      ensure_ascii=False, separators=(",", ":"))


def neighbours(ctx: Context) -> dict[str, set[str]]:
    """Each node's neighbours, either direction, computed once per build."""
    return _adjacency(ctx)[0]


def _adjacency(ctx: Context) -> tuple[dict[str, set[str]], dict[str, list[tuple[str, int]]]]:
    """Neighbours of each node, and its out-edges as (target, type position); once per build."""
    found = ctx.memo.get("adjacency")
    if found is None:
        graph = ctx.kb.graph
        around: dict[str, set[str]] = {node: set() for node in graph}
        out: dict[str, list[tuple[str, int]]] = {node: [] for node in graph}
        kind = {name: i for i, name in enumerate(TYPES)}
        for u, v, key in graph.edges(keys=True):
            if u != v:
                around[u].add(v)
                around[v].add(u)
                out[u].append((v, kind[key]))
        found = ctx.memo["adjacency"] = (around, out)
    return found


def local_json(ctx: Context, focus: str, src: str) -> str:
    """A note and its neighbours, with the edges among them: what the local graph draws at depth
    1. URLs are site-relative, `base` leads from the page to the site root; `<`, `>` and `&` are
    escaped, so the text is inert inside a `<script>` element."""
    around, out = _adjacency(ctx)
    members = [focus, *sorted(around.get(focus, ()))]
    read: dict[str, tuple[str, str, str]] = ctx.memo.setdefault("local-inputs", {})
    for node in members:  # what the local graph shows of each member: node, its edges, its degree
        keys = read.get(node)
        if keys is None:
            keys = read[node] = (NODE + node, OUT + node, DEGREE + node)
        ctx.read(src, *keys)
    position = {node: i for i, node in enumerate(members)}
    # Each (source, target, type) is one edge of the graph at most: no set needed to dedupe.
    edges = sorted([(position[u], position[v], kind) for u in members for v, kind in out[u] if v in position])
    fragments: dict[str, str] = ctx.memo.setdefault("node-json", {})
    nodes = []
    for node in members:
        fragment = fragments.get(node)
        if fragment is None:
            data = ctx.kb.graph.nodes[node]
            fragment = fragments[node] = _inert(json.dumps(
                {"id": node, "title": data["title"], "kind": data["kind"], "status": data["status"],
                 "done": data["status"] in DONE_STATUSES,
                 "url": ctx.renderer.site.url_of(node), "degree": len(around[node])},
                ensure_ascii=False, separators=(",", ":")))
        nodes.append(fragment)
    return (f'{{"focus":{_inert(json.dumps(focus, ensure_ascii=False))},'
            f'"base":"{ctx.renderer.site.root_from(src)}","nodes":[{",".join(nodes)}],'
            f'"types":{json.dumps(TYPES)},"edges":{json.dumps(edges, separators=(",", ":"))}}}')


def _inert(text: str) -> str:
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
