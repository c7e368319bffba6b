"""Graph questions: backlinks by relation, orphans, cycles (the study order is `kb next`'s)."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import write_base
from hypothesis import given
from hypothesis import strategies as st

from tooling.base import open_base
from tooling.graph import (
    backlinks,
    linked_nodes,
    outlinks,
    prerequisite_cycles,
)


@pytest.fixture
def kb(tmp_path):
    write_base(tmp_path, {
        "concepts/backprop.md": "---\ntitle: Backprop\nprerequisites: [gradient-descent]\n---\n",
        "concepts/gradient-descent.md": "---\ntitle: Gradient descent\n---\n",
        "concepts/saliency.md": "---\ntitle: Saliency\nprerequisites: [backprop]\n---\n",
        "concepts/ig.md": "---\ntitle: IG\nprerequisites: [saliency, backprop]\n---\n",
        "concepts/attention.md": "---\ntitle: Attention\n---\n",
        "papers/p.md": "---\ntitle: P\nauthors: [Ann Author]\nconcepts: [ig]\n---\n[[saliency]] twice [[saliency]]\n",
        "notes/n.md": "---\ntitle: N\n---\nAbout [[ig]] and [[p]].\n",
        "notes/lonely.md": "---\ntitle: Lonely\n---\nNothing.\n",
    })
    return open_base(tmp_path)


def test_backlinks_grouped_by_relation(kb):
    assert backlinks(kb.graph, "saliency") == {"prerequisite": ["ig"], "wikilink": ["p"]}
    assert backlinks(kb.graph, "ig") == {"concept": ["p"], "wikilink": ["n"]}
    assert backlinks(kb.graph, "ann-author") == {"author": ["p"]}
    assert outlinks(kb.graph, "p") == {"author": ["ann-author"], "concept": ["ig"], "wikilink": ["saliency"]}


def test_repeated_links_make_one_edge_per_type(kb):
    assert kb.graph.number_of_edges("p", "saliency") == 1
    assert set(kb.graph["p"]["saliency"]) == {"wikilink"}


def test_orphans_are_the_notes_without_any_edge(kb):
    notes = {n.id for n in kb.index.notes.values()}
    assert sorted(notes - linked_nodes(kb.links)) == ["attention", "lonely"]
    assert sorted(n for n in notes if kb.graph.degree(n) == 0) == ["attention", "lonely"]


def test_cycles_are_found_and_block_the_order(tmp_path):
    from tooling.errors import KbError
    from tooling.study.next import reading_order

    write_base(tmp_path, {
        "concepts/a.md": "---\ntitle: A\nprerequisites: [b]\n---\n",
        "concepts/b.md": "---\ntitle: B\nprerequisites: [a]\n---\n",
        "concepts/s.md": "---\ntitle: S\nprerequisites: [s]\n---\n",
    })
    kb = open_base(tmp_path)
    assert prerequisite_cycles(kb.prerequisites) == [["a", "b"], ["s"]]
    with pytest.raises(KbError, match="prerequisites form a cycle among a, b:"):
        reading_order(kb, dt.date(2024, 11, 1))


def test_unresolved_links_are_kept_out_of_the_graph(tmp_path):
    write_base(tmp_path, {"notes/n.md": "---\ntitle: N\nrelated: [ghost]\n---\n[[also-ghost]]\n"})
    kb = open_base(tmp_path)
    assert [(l.raw, l.line) for l in kb.unresolved] == [("ghost", 3), ("also-ghost", 5)]
    assert list(kb.graph.nodes) == ["n"]


def test_a_surname_alone_is_no_author_node_unless_an_author_note_claims_it(tmp_path):
    write_base(tmp_path, {
        "papers/p1.md": "---\ntitle: P1\nauthors: [gao, Kevin Meng]\n---\n",
        "papers/p2.md": "---\ntitle: P2\nauthors: [Gao, meng, Jianfeng Gao]\n---\n",
        "notes/authors/kevin-meng.md": "---\ntitle: Kevin Meng\naliases: [Meng]\n---\n",
    })
    kb = open_base(tmp_path)
    authors = sorted(n for n, d in kb.graph.nodes(data=True) if d["kind"] == "author")
    assert authors == ["jianfeng-gao", "kevin-meng"]  # no "gao": nineteen Gaos are not one person
    assert backlinks(kb.graph, "kevin-meng") == {"author": ["p1", "p2"]}  # "meng" is the alias of a note
    assert kb.index.author_node("gao") is None and kb.index.author_node("Meng") == "kevin-meng"
    assert kb.index.author_id("gao") == "gao"  # the id a note for the name would take (kb import)


def test_the_graph_scripts_read_done_from_the_data_not_a_status_table():
    """Which statuses are done lives in schema.py alone: the graph data says `done` per node and
    the browser scripts keep no list of statuses."""
    import json
    from pathlib import Path

    import tooling
    from tooling.schema import DONE_STATUSES, STATUSES

    assets = Path(tooling.__file__).parent / "site" / "docs" / "assets" / "kb"
    for script in ("graph.js", "local-graph.js"):
        text = (assets / script).read_text(encoding="utf-8")
        assert not [s for s in {s for kind in STATUSES.values() for s in kind} if f'"{s}"' in text], script
    from tooling.site.graphdata import index_json
    from tooling.site.markdown.context import Context

    kb = open_base(Path(tooling.__file__).parent.parent)
    nodes = json.loads(index_json(Context(kb.root, kb)))["nodes"]
    assert {n["done"] for n in nodes} == {True, False}
    assert all(n["done"] == (n["status"] in DONE_STATUSES) for n in nodes)


@given(st.integers(1, 12).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=20))))
def test_the_layout_lays_out_each_connected_component_on_its_own(case):
    """The global graph's layout splits nodes into connected components (largest first, then by
    smallest node), each with its own edges renumbered from 0: checked against a plain walk."""
    import numpy as np

    from tooling.site.layout import components

    n, pairs = case
    edges = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    found = components(n, edges)
    seen: dict[int, set[int]] = {i: {i} for i in range(n)}  # reachability, by repeated merging
    for _ in range(n):
        for a, b in pairs:
            seen[a] |= seen[b]
            seen[b] |= seen[a]
    expected = sorted({frozenset(s) for s in seen.values()}, key=lambda c: (-len(c), min(c)))
    assert [set(members.tolist()) for members, _ in found] == [set(c) for c in expected]
    for members, inner in found:
        own = sorted((int(members[a]), int(members[b])) for a, b in inner.tolist())
        assert own == sorted((a, b) for a, b in pairs if a in set(members.tolist()))
