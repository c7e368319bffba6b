"""Graph questions: backlinks by relation, orphans, prerequisite order, cycles."""

from __future__ import annotations

import networkx as nx
import pytest
from helpers import write_base

from tooling.base import open_base
from tooling.graph import (
    backlinks,
    linked_nodes,
    outlinks,
    prerequisite_cycles,
    prerequisite_order,
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


def test_prerequisite_order_puts_prerequisites_first(kb):
    order = prerequisite_order(kb.prerequisites)
    assert set(order) == {"backprop", "gradient-descent", "saliency", "ig", "attention"}
    for concept, prereq in [("backprop", "gradient-descent"), ("saliency", "backprop"),
                            ("ig", "saliency"), ("ig", "backprop")]:
        assert order.index(prereq) < order.index(concept)
    assert prerequisite_order(kb.prerequisites, ["saliency"]) == ["gradient-descent", "backprop", "saliency"]


def test_cycles_are_found_and_block_the_order(tmp_path):
    write_base(tmp_path, {
        "concepts/a.md": "---\ntitle: A\nprerequisites: [b]\n---\n",
        "concepts/b.md": "---\ntitle: B\nprerequisites: [a]\n---\n",
        "concepts/s.md": "---\ntitle: S\nprerequisites: [s]\n---\n",
    })
    kb = open_base(tmp_path)
    assert prerequisite_cycles(kb.prerequisites) == [["a", "b"], ["s"]]
    with pytest.raises(nx.NetworkXUnfeasible):
        prerequisite_order(kb.prerequisites)


def test_unresolved_links_are_kept_out_of_the_graph(tmp_path):
    write_base(tmp_path, {"notes/n.md": "---\ntitle: N\nrelated: [ghost]\n---\n[[also-ghost]]\n"})
    kb = open_base(tmp_path)
    assert [(l.raw, l.line) for l in kb.unresolved] == [("ghost", 3), ("also-ghost", 5)]
    assert list(kb.graph.nodes) == ["n"]
