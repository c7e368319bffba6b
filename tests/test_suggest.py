"""Suggestions from the citation graph (issue 21): `kb fetch --references` stores what the base's
papers cite in batched requests and never asks twice; `kb suggest` counts, offline, exactly how
many chosen papers each outside work connects, with its reasons."""

from __future__ import annotations

import json
import shutil

from helpers import write_base

from tooling.base import open_base
from tooling.citations.store import Known, Paper, Store, load
from tooling.citations.suggest import cited_in_base, suggest

# The hand-built graph: a, b, c read, d being read, e in the base unread; W2xx outside the base.
CITES = {"W1101": ["W1201", "W1202", "W1203", "W1105"], "W1102": ["W1201", "W1202", "W1105"],
         "W1103": ["W1201", "W1204"], "W1104": ["W1204"], "W1105": []}
NOTES = {"a": ("W1101", "read"), "b": ("W1102", "read"), "c": ("W1103", "skimmed"),
         "d": ("W1104", "reading"), "e": ("W1105", "to-read")}


def graph_base(root, fake_openalex):
    files = {}
    for note_id, (work, status) in NOTES.items():
        doi = f"10.5555/{note_id}"
        fake_openalex.add(work, doi=doi, title=f"Paper {note_id.upper()}", authors=["A. Author"],
                          year=2020, references=CITES[work])
        files[f"papers/{note_id}.md"] = f"---\ntitle: Paper {note_id.upper()}\ndoi: {doi}\n" \
                                        f"status: {status}\n---\n"
    for work, title in (("W1201", "Alpha"), ("W1202", "Gamma"), ("W1203", "Delta"), ("W1204", "Epsilon")):
        fake_openalex.add(work, title=title, authors=["Ada Lovelace", "Alan Turing", "Kurt Gödel"],
                          year=2019, doi=f"10.5555/{work.lower()}")
    fake_openalex.add("W1301", title="Beta", authors=["Grace Hopper"], year=2022,
                      references=["W1101", "W1102", "W1103", "W1999"])
    write_base(root, files)
    return root


def test_references_are_fetched_in_batches_and_never_twice(fake_openalex, base, kb):
    graph_base(base, fake_openalex)

    first = kb("fetch", "--references", "--root", base)
    shutil.rmtree(base / ".kb-cache" / "openalex")  # another day: the day's answers are gone
    second = kb("fetch", "--references", "--root", base)

    assert first.code == 0, first.err
    filters = [r.query["filter"][0] for r in fake_openalex.requests]
    assert filters == ["doi:10.5555/a|10.5555/b|10.5555/c|10.5555/d|10.5555/e",
                       "ids.openalex:W1201|W1202|W1204"]  # cited twice or more, named in one request
    assert "references stored for 5 papers (5 asked now), 3 cited works named, 2 requests to " \
           "OpenAlex" in first.out
    assert "references stored for 5 papers (0 asked now)" in second.out
    assert len(fake_openalex.requests) == 2  # the rerun asked nothing: references are kept
    store = load(base)
    assert store.paper(["doi:10.5555/a"]).cites == ("openalex:W1201", "openalex:W1202",
                                                     "openalex:W1203", "openalex:W1105")
    assert store.works["openalex:W1201"].title == "Alpha"


def test_suggest_counts_and_reasons_are_exact(fake_openalex, base, kb):
    graph_base(base, fake_openalex)
    kb("fetch", "--references", "--citing", "--root", base)

    run = kb("suggest", "--json", "--root", base)

    data = json.loads(run.out)
    assert (data["for"], data["papers"], data["with_references"]) == ("read papers", 3, 3)
    assert [(s["title"], s["connects"], s["cited_by"], s["cites"]) for s in data["suggestions"]] == [
        ("Alpha", 3, ["a", "b", "c"], []),
        ("Beta", 3, [], ["a", "b", "c"]),  # it cites them: stored by --citing
        ("Gamma", 2, ["a", "b"], []),
    ]  # W1203 (cited once), W1204 (once by a read paper) and e (in the base) are not suggested
    assert data["suggestions"][0]["reasons"] == ["cited by 3 of your read papers: a, b, c"]
    assert data["suggestions"][1]["reasons"] == ["cites 3 of your read papers: a, b, c"]
    assert data["suggestions"][0]["id"] == "doi:10.5555/w1201"


def test_suggest_follows_the_papers_chosen(fake_openalex, base, kb):
    graph_base(base, fake_openalex)
    kb("fetch", "--references", "--root", base)

    run = kb("suggest", "--from", "reading", "--from", "c", "--root", base)

    assert run.code == 0, run.err
    assert "For your 2 reading and named papers (2 with stored references):" in run.out
    assert " 1. Epsilon (Lovelace et al., 2019)\n     kb add doi:10.5555/w1204\n" \
           "     cited by 2 of your reading and named papers: d, c\n" in run.out
    assert "Alpha" not in run.out  # cited by c alone among the chosen


def test_a_plans_open_quota_slots_bound_the_suggestions(fake_openalex, base, kb):
    graph_base(base, fake_openalex)
    write_base(base, {"notes/prep.md": "---\ntitle: Prep\nkind: plan\nitems:\n  reading:\n"
                                       "    quota: 4\n    items: [a, b, c]\n---\n"})
    kb("fetch", "--references", "--root", base)

    data = json.loads(kb("suggest", "--plan", "prep", "--json", "--root", base).out)

    assert data["open_slots"] == {"reading": 1}
    assert [s["title"] for s in data["suggestions"]] == ["Alpha"]


def test_ranking_on_a_hand_built_store(tmp_path):
    """The pure function on a store written by hand: ties break by links, then title."""
    write_base(tmp_path, {f"papers/{n}.md": f"---\ntitle: {n}\narxiv: \"2401.0000{i}\"\n"
                                           "status: read\n---\n" for i, n in enumerate("pqr", 1)})
    kb = open_base(tmp_path)
    store = Store([Paper(("arxiv:2401.00001",), ("doi:10.1/x", "doi:10.1/y", "arxiv:2401.00002"), "d"),
                   Paper(("arxiv:2401.00002",), ("doi:10.1/x", "doi:10.1/y"), "d"),
                   Paper(("arxiv:2401.00003",), ("doi:10.1/y",), "d")],
                  works={"doi:10.1/x": Known("Xylophone", 2020, (), ("doi:10.1/x",))},
                  citers={"doi:10.1/z": ("arxiv:2401.00001", "arxiv:2401.00003")})
    chosen = [kb.note(n) for n in "pqr"]

    found = suggest(kb, store, chosen)

    assert [(s.key, s.connects, s.cited_by, s.cites) for s in found] == [
        ("doi:10.1/y", 3, ["p", "q", "r"], []),
        ("doi:10.1/x", 2, ["p", "q"], []),
        ("doi:10.1/z", 2, [], ["p", "r"]),  # unnamed works after named ones of equal weight
    ]
    assert cited_in_base(kb, store, kb.note("p")) == (["q"], 3)
