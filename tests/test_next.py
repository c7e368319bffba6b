"""`kb next`: prerequisites always first, then plan deadlines, then priority; every item says why."""

from __future__ import annotations

import datetime as dt
import json
import random

from helpers import write_base

from tooling.base import open_base
from tooling.study.next import reading_order

TODAY = dt.date(2024, 11, 1)


def concept(status: str = "to-study", prerequisites: str = "[]", priority: str = "") -> str:
    extra = f"priority: {priority}\n" if priority else ""
    return f"---\ntitle: C\nstatus: {status}\nprerequisites: {prerequisites}\n{extra}---\nx\n"


def paper(concepts: str = "[]", priority: str = "", status: str = "to-read") -> str:
    extra = f"priority: {priority}\n" if priority else ""
    return f"---\ntitle: P\nstatus: {status}\nconcepts: {concepts}\n{extra}---\nx\n"


def ordered_base(root):
    return write_base(root, {
        "concepts/basics.md": concept(),
        "concepts/advanced.md": concept(prerequisites="[basics]"),
        "concepts/known.md": concept(status="studied"),
        "papers/urgent.md": paper(concepts="[advanced, known]", priority="low"),
        "papers/high.md": paper(priority="high"),
        "papers/plain.md": paper(),
        "papers/low.md": paper(priority="low"),
        "papers/done.md": paper(status="read"),
        "notes/deadline.md": "---\ntitle: Deadline\nkind: plan\ndue: 2024-11-12\nitems: [urgent]\n---\n",
    })


def test_prerequisites_first_then_deadlines_then_priority(tmp_path):
    steps = reading_order(open_base(ordered_base(tmp_path / "kb")), TODAY)
    assert [s.note.id for s in steps] == ["basics", "advanced", "urgent", "high", "plain", "low"]
    by_id = {s.note.id: s for s in steps}
    assert by_id["advanced"].after == ["basics"]  # unfinished prerequisites only ("known" is done)
    assert by_id["urgent"].after == ["advanced"]
    assert by_id["basics"].due == dt.date(2024, 11, 12)  # inherited from what needs it


def test_each_item_says_why_it_is_there(tmp_path):
    by_id = {s.note.id: s.reasons for s in reading_order(open_base(ordered_base(tmp_path / "kb")), TODAY)}
    assert by_id["urgent"] == ["in plan deadline (items: 0/1 done, due 2024-11-12)", "low priority"]
    assert by_id["advanced"] == ["prerequisite of urgent, which plan deadline needs by 2024-11-12"]
    assert by_id["basics"] == ["prerequisite of advanced, which plan deadline needs by 2024-11-12"]
    assert by_id["high"] == ["high priority"]


def test_priority_is_inherited_by_prerequisites(tmp_path):
    root = write_base(tmp_path / "kb", {
        "concepts/groundwork.md": concept(),
        "papers/important.md": paper(concepts="[groundwork]", priority="high"),
        "papers/medium.md": paper(),
    })
    steps = reading_order(open_base(root), TODAY)
    assert [s.note.id for s in steps] == ["groundwork", "important", "medium"]
    assert "needed by important (high priority)" in steps[0].reasons


def test_closeness_to_what_is_in_progress_breaks_ties(tmp_path):
    root = write_base(tmp_path / "kb", {
        "papers/now.md": "---\ntitle: Now\nstatus: reading\nstarted: 2024-10-20\nrelated: [near]\n---\n",
        "papers/a-far.md": paper(),
        "papers/near.md": paper(),
    })
    steps = reading_order(open_base(root), TODAY)
    assert [s.note.id for s in steps] == ["now", "near", "a-far"]
    assert steps[0].reasons == ["in progress (reading since 2024-10-20)"]
    assert steps[1].reasons == ["1 link from now, which you are reading"]


def test_a_prerequisite_always_precedes_its_dependents_on_a_random_base(tmp_path):
    rng = random.Random(7)
    concepts = [f"c{i:02d}" for i in range(40)]
    files = {}
    for i, name in enumerate(concepts):
        needs = rng.sample(concepts[:i], min(i, rng.randint(0, 3)))  # lower numbers only: a DAG
        files[f"concepts/{name}.md"] = concept(rng.choice(["to-study", "studying", "studied"]),
                                               f"[{', '.join(needs)}]", rng.choice(["", "high", "low"]))
    for i in range(30):
        files[f"papers/p{i:02d}.md"] = paper(f"[{', '.join(rng.sample(concepts, 2))}]",
                                             rng.choice(["", "high", "low"]))
    for i in range(3):
        members = ", ".join(rng.sample([f"p{j:02d}" for j in range(30)], 5))
        files[f"notes/plan{i}.md"] = f"---\ntitle: Plan {i}\nkind: plan\ndue: 2024-11-{10 + i}\nitems: [{members}]\n---\n"
    kb = open_base(write_base(tmp_path / "kb", files))
    steps = reading_order(kb, TODAY)
    position = {s.note.id: n for n, s in enumerate(steps)}
    pairs = [(link.target, link.source) for link in kb.links
             if link.type in ("prerequisite", "concept") and link.source in position and link.target in position]
    assert len(pairs) > 15
    for prerequisite, dependent in pairs:
        assert position[prerequisite] < position[dependent], (prerequisite, dependent)
    assert all(s.note.status not in ("read", "studied") for s in steps)


def test_kb_next_with_plan_tag_count_and_json(kb, tmp_path):
    root = ordered_base(tmp_path / "kb")
    planned = kb("next", "--plan", "Deadline", "--json", "--root", root, "--today", "2024-11-01")
    assert planned.code == 0, planned.err
    assert [s["id"] for s in json.loads(planned.out)] == ["basics", "advanced", "urgent"]
    first = kb("next", "-n", "1", "--root", root, "--today", "2024-11-01")
    assert "1. basics" in first.out and "prerequisite of advanced" in first.out and "2." not in first.out
    missing = kb("next", "--plan", "deadlin", "--root", root)
    assert missing.code == 1 and "no plan 'deadlin'" in missing.err and "deadline" in missing.err
