"""Where each node of the global graph sits, computed at build time so the page does no layout.

Papers, concepts, notes and plans are laid out by force (Fruchterman-Reingold): networkx's own
for up to 500 nodes; past that (networkx then needs scipy and is quadratic per step) the same
forces with far-away repulsion summed per grid cell, which keeps a build linear in the notes.
Authors, hidden by default on the page, sit in a small ring around the papers they wrote.
"""

from __future__ import annotations

import math
import zlib

import networkx as nx
import numpy as np

from ..schema import AUTHOR

SIZE = 1000.0  # coordinates are in [0, SIZE] on the longer side
SMALL = 500  # nodes up to which networkx's exact layout is used


def global_layout(graph: nx.MultiDiGraph, seed: int = 7) -> dict[str, tuple[float, float]]:
    main = [n for n, d in graph.nodes(data=True) if d["kind"] != AUTHOR]
    keep = set(main)
    simple = nx.Graph()
    simple.add_nodes_from(sorted(main))
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v and u in keep and v in keep)
    if len(simple) == 0:
        positions: dict[str, np.ndarray] = {}
    elif len(simple) <= SMALL:
        positions = nx.spring_layout(simple, seed=seed, iterations=120)
    else:
        positions = grid_spring_layout(simple, seed=seed)
    placed = _scaled(positions)
    spread = SIZE / max(8.0, math.sqrt(len(placed) or 1) * 2.5)
    for node, data in graph.nodes(data=True):
        if data["kind"] != AUTHOR:
            continue
        around = [placed[p] for p in graph.predecessors(node) if p in placed]
        cx, cy = (sum(x for x, _ in around) / len(around), sum(y for _, y in around) / len(around)) \
            if around else (SIZE / 2, SIZE / 2)
        angle = (zlib.crc32(node.encode()) % 360) * math.pi / 180
        placed[node] = (round(cx + spread * math.cos(angle), 1), round(cy + spread * math.sin(angle), 1))
    return placed


def _scaled(positions: dict[str, np.ndarray]) -> dict[str, tuple[float, float]]:
    if not positions:
        return {}
    names = list(positions)
    xy = np.array([positions[n] for n in names], dtype=float)
    low, span = xy.min(axis=0), np.ptp(xy, axis=0).max() or 1.0
    xy = (xy - low) / span * SIZE
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(names, xy)}


def grid_spring_layout(graph: nx.Graph, seed: int = 7, iterations: int = 50) -> dict[str, np.ndarray]:
    """Fruchterman-Reingold in numpy, with repulsion from other grid cells taken at their centre
    of mass (exact within a cell): O(nodes x cells) per step instead of O(nodes^2)."""
    nodes = list(graph)
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    edges = np.array([(index[u], index[v]) for u, v in graph.edges()], dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, size=(n, 2))
    k = 2.0 / math.sqrt(n)
    cells = max(4, min(16, int(math.sqrt(n) / 3)))
    temperature = 0.2
    for _ in range(iterations):
        low = pos.min(axis=0)
        span = np.maximum(np.ptp(pos, axis=0), 1e-9)
        cell_xy = np.minimum(((pos - low) / span * cells).astype(np.int64), cells - 1)
        cell = cell_xy[:, 0] * cells + cell_xy[:, 1]
        counts = np.bincount(cell, minlength=cells * cells).astype(float)
        sums = np.stack([np.bincount(cell, pos[:, d], minlength=cells * cells) for d in (0, 1)], 1)
        filled = np.nonzero(counts)[0]
        centres = sums[filled] / counts[filled, None]
        delta = pos[:, None, :] - centres[None, :, :]
        distance2 = (delta ** 2).sum(axis=2) + 1e-9
        weight = counts[filled][None, :] * k * k / distance2
        weight[np.arange(n), np.searchsorted(filled, cell)] = 0.0  # own cell: exact, below
        force = (delta * weight[:, :, None]).sum(axis=1)
        order = np.argsort(cell, kind="stable")
        bounds = np.searchsorted(cell[order], filled)
        for start, stop in zip(bounds, list(bounds[1:]) + [n]):
            members = order[start:stop]
            if len(members) > 1:
                local = pos[members][:, None, :] - pos[members][None, :, :]
                d2 = (local ** 2).sum(axis=2) + 1e-9
                force[members] += (local * (k * k / d2)[:, :, None]).sum(axis=1)
        if len(edges):
            pull = pos[edges[:, 0]] - pos[edges[:, 1]]
            pull *= np.sqrt((pull ** 2).sum(axis=1))[:, None] / k
            np.add.at(force, edges[:, 0], -pull)
            np.add.at(force, edges[:, 1], pull)
        length = np.sqrt((force ** 2).sum(axis=1)) + 1e-9
        pos += force / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature *= 0.94
    return {node: pos[i] for i, node in enumerate(nodes)}
