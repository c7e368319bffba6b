"""Where each node of the global graph sits, computed at build time so the page does no layout.

Papers, concepts, notes and plans are laid out by force (Fruchterman-Reingold with a little
gravity), each connected component on its own; the components are then packed, the largest first
and the small islands in rows beneath it, so a lone note never stretches the picture and the main
component fills the screen. Repulsion is exact up to EXACT nodes; past that, far-away nodes repel
through the centre of mass of their grid cell (numpy, O(n^1.5) per step), which keeps a 5,000-note
build under a second. Authors, hidden by default on the page, sit in a small ring around the
papers they wrote.
"""

from __future__ import annotations

import math
import zlib

import networkx as nx
import numpy as np

from ..schema import AUTHOR

SIZE = 1000.0  # coordinates are in [0, SIZE] on the longer side
EXACT = 400  # nodes up to which every pair repels exactly
GAP = 2.0  # space between packed components, in ideal edge lengths


def global_layout(graph: nx.MultiDiGraph, seed: int = 7) -> dict[str, tuple[float, float]]:
    main = sorted(n for n, d in graph.nodes(data=True) if d["kind"] != AUTHOR)
    index = {node: i for i, node in enumerate(main)}
    pairs = {(min(a, b), max(a, b)) for a, b in
             ((index.get(u), index.get(v)) for u, v in graph.edges()) if a is not None and b is not None and a != b}
    edges = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    pieces = [{main[i]: p for i, p in zip(members, component_layout(len(members), inner, seed))}
              for members, inner in components(len(main), edges)]
    placed = _scaled(pack(pieces))
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


def components(n: int, edges: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Connected components, largest first: each as (its node indices, its edges renumbered
    from 0). networkx finds them; one sort of the edges then groups them by component."""
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edges.tolist())
    label = np.zeros(n, dtype=np.int64)  # each node's component, named by its smallest node
    groups: dict[int, list[int]] = {}
    for component in nx.connected_components(graph):
        members = sorted(component)
        label[members] = members[0]
        groups[members[0]] = members
    local = np.zeros(n, dtype=np.int64)
    for members in groups.values():
        local[members] = np.arange(len(members))
    by_component = np.argsort(label[edges[:, 0]], kind="stable") if len(edges) else np.zeros(0, np.int64)
    edge_label = label[edges[by_component, 0]] if len(edges) else np.zeros(0, np.int64)
    found = []
    for r, members in sorted(groups.items(), key=lambda item: (-len(item[1]), item[1][0])):
        lo, hi = np.searchsorted(edge_label, [r, r + 1])
        inner = local[edges[by_component[lo:hi]]] if hi > lo else np.zeros((0, 2), np.int64)
        found.append((np.array(members), inner.reshape(-1, 2)))
    return found


def component_layout(n: int, edges: np.ndarray, seed: int) -> np.ndarray:
    """One connected component, in units of the ideal edge length, its corner at (0, 0)."""
    if n == 1:
        return np.zeros((1, 2))
    pos = force_layout(n, edges, seed)
    return pos - pos.min(axis=0)


def force_layout(n: int, edges: np.ndarray, seed: int = 7, iterations: int = 60) -> np.ndarray:
    """Fruchterman-Reingold for `n` nodes and `edges` (pairs of indices), ideal edge length 1,
    with gravity towards the centre so long chains and hubs' leaves stay close."""
    rng = np.random.default_rng(seed)
    degree = np.bincount(edges.reshape(-1), minlength=n).astype(float)
    mass = np.sqrt(degree + 1.0)
    mass /= mass.mean()  # well-linked nodes push harder: hubs get room, their leaves stay near
    side = math.sqrt(n)
    pos = rng.uniform(0.0, side, size=(n, 2))
    temperature, cooling = side / 5, (0.01 / 5) ** (1 / iterations)  # from side/5 to side/500
    for _ in range(iterations):
        force = (_repulsion(pos, mass) if n <= EXACT else _grid_repulsion(pos, mass)) * mass[:, None]
        if len(edges):
            pull = pos[edges[:, 0]] - pos[edges[:, 1]]
            pull *= np.sqrt((pull ** 2).sum(axis=1))[:, None]  # d^2 / k, k = 1
            for d in (0, 1):
                force[:, d] -= np.bincount(edges[:, 0], pull[:, d], minlength=n)
                force[:, d] += np.bincount(edges[:, 1], pull[:, d], minlength=n)
        force -= 0.05 * (pos - pos.mean(axis=0)) * math.sqrt(n) / side  # gravity
        length = np.sqrt((force ** 2).sum(axis=1)) + 1e-9
        pos += force / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature *= cooling
    return pos


def _repulsion(pos: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """Every pair: the other's mass / d along the line between them (times one's own mass, by
    the caller)."""
    delta = pos[:, None, :] - pos[None, :, :]
    d2 = (delta ** 2).sum(axis=2)
    np.fill_diagonal(d2, np.inf)
    return (delta * (mass[None, :] / (d2 + 1e-9))[:, :, None]).sum(axis=1)


def _grid_repulsion(pos: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """Exact within a node's cell; other cells repel as one body at their centre of mass. Cells
    hold equal numbers of nodes (strips by x, then cells by y within a strip), about sqrt(n)
    cells of about sqrt(n) nodes each: 2 n^1.5 pairs per step instead of n^2."""
    n = len(pos)
    side = max(2, round(n ** 0.25))
    cells = side * side
    strip = np.empty(n, dtype=np.int64)
    strip[np.argsort(pos[:, 0], kind="stable")] = np.arange(n) * side // n
    order = np.lexsort((pos[:, 1], strip))  # strip by strip, each by y
    cell_of = np.arange(n) * cells // n  # the cell of the node at each place of `order`
    cell = np.empty(n, dtype=np.int64)
    cell[order] = cell_of
    counts = np.bincount(cell_of, minlength=cells)
    weights = np.bincount(cell, mass, minlength=cells)
    x, y = pos[:, 0], pos[:, 1]
    cx = np.bincount(cell, x * mass, minlength=cells) / weights
    cy = np.bincount(cell, y * mass, minlength=cells) / weights
    dx, dy = x[:, None] - cx[None, :], y[:, None] - cy[None, :]
    weight = weights[None, :] / (dx * dx + dy * dy + 1e-9)
    weight[np.arange(n), cell] = 0.0  # own cell: exact, below
    fx, fy = (dx * weight).sum(axis=1), (dy * weight).sum(axis=1)
    # Own cell: a (cells x widest x widest) block of pairs, padded where a cell has fewer nodes.
    widest = int(counts.max())
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    slot = np.full((cells, widest), -1, dtype=np.int64)
    slot[cell_of, np.arange(n) - starts[cell_of]] = order
    real = slot >= 0
    far = 1e9  # padding sits far away: no force on real nodes, none between pads (dx = 0)
    bx, by = np.where(real, x[slot], far), np.where(real, y[slot], far)
    bm = np.where(real, mass[slot], 0.0)
    ddx, ddy = bx[:, :, None] - bx[:, None, :], by[:, :, None] - by[:, None, :]
    inverse = bm[:, None, :] / (ddx * ddx + ddy * ddy + 1e-9)  # self: dx = dy = 0, no force
    fx[slot[real]] += (ddx * inverse).sum(axis=2)[real]
    fy[slot[real]] += (ddy * inverse).sum(axis=2)[real]
    return np.stack([fx, fy], axis=1)


def pack(pieces: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Components side by side: the largest at the top, the others in rows beneath it, each row
    as wide as the largest (or the square root of their total area, if wider)."""
    placed: dict[str, np.ndarray] = {}
    if not pieces:
        return placed
    boxes = [np.max(np.array(list(p.values())), axis=0) for p in pieces]
    main_w, main_h = boxes[0]
    width = max(main_w, math.sqrt(sum((w + GAP) * (h + GAP) for w, h in boxes[1:])))
    placed.update(pieces[0])
    x, y, row = 0.0, main_h + GAP, 0.0
    for piece, (w, h) in zip(pieces[1:], boxes[1:]):
        if x > 0 and x + w > width:
            x, y, row = 0.0, y + row + GAP, 0.0
        for node, p in piece.items():
            placed[node] = p + (x, y)
        x, row = x + w + GAP, max(row, h)
    return placed


def _scaled(positions: dict[str, np.ndarray]) -> dict[str, tuple[float, float]]:
    if not positions:
        return {}
    names = list(positions)
    xy = np.array([positions[n] for n in names], dtype=float)
    low, span = xy.min(axis=0), np.ptp(xy, axis=0).max() or 1.0
    xy = (xy - low) / span * SIZE
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(names, xy)}
