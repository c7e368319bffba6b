"""`kb next`: prerequisites always first, then what active plans need (deadlines ordering plans),
then priority, closeness and centrality in the study graph; every item says truly why it is there."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import tempfile
from pathlib import Path

from helpers import write_base
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tooling.base import open_base
from tooling.study.next import reading_order
from tooling.study.plans import plans

TODAY = dt.date(2024, 11, 1)
EXAMPLES = int(os.environ.get("KB_PROPERTY_EXAMPLES", "60"))


def concept(status: str = "to-study", prerequisites: str = "[]", priority: str = "", extra: str = "") -> str:
    more = (f"priority: {priority}\n" if priority else "") + extra
    return f"---\ntitle: C\nstatus: {status}\nprerequisites: {prerequisites}\n{more}---\nx\n"


def paper(concepts: str = "[]", priority: str = "", status: str = "to-read", extra: str = "") -> str:
    more = (f"priority: {priority}\n" if priority else "") + extra
    return f"---\ntitle: P\nstatus: {status}\nconcepts: {concepts}\n{more}---\nx\n"


def plan(items: str, due: str = "") -> str:
    return f"---\ntitle: Plan\nkind: plan\n{f'due: {due}' if due else ''}\nitems: {items}\n---\n"


def order(root: Path, **options) -> list[str]:
    return [s.note.id for s in reading_order(open_base(root), TODAY, **options)]


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
        "notes/deadline.md": plan("[urgent]", due="2024-11-12"),
    })


def test_prerequisites_first_then_plans_then_priority(tmp_path):
    steps = reading_order(open_base(ordered_base(tmp_path / "kb")), TODAY)
    assert [s.note.id for s in steps] == ["basics", "advanced", "urgent", "high", "plain", "low"]
    by_id = {s.note.id: s for s in steps}
    assert by_id["advanced"].after == ["basics"]  # unfinished prerequisites only ("known" is done)
    assert by_id["urgent"].after == ["advanced"]
    assert by_id["basics"].due == dt.date(2024, 11, 12)  # inherited from what needs it
    assert by_id["basics"].plan == "deadline" and by_id["high"].plan is None


def test_each_item_says_why_it_is_there(tmp_path):
    by_id = {s.note.id: s.reasons for s in reading_order(open_base(ordered_base(tmp_path / "kb")), TODAY)}
    assert by_id["urgent"] == ["in plan deadline (items: 0 of 1 done, due 2024-11-12)", "low priority"]
    assert by_id["advanced"] == ["prerequisite of urgent, which plan deadline needs by 2024-11-12"]
    assert by_id["basics"] == ["prerequisite of advanced, which plan deadline needs by 2024-11-12"]
    assert by_id["high"] == ["high priority"]
    assert by_id["plain"] == ["to read"]


def test_a_plan_without_a_deadline_still_steers_and_its_prerequisites_inherit_that(tmp_path):
    root = write_base(tmp_path / "kb", {
        "concepts/groundwork.md": concept(),
        "papers/a-planned.md": paper(concepts="[groundwork]", priority="low"),
        "papers/b-hub.md": paper(priority="high", extra="related: [c1, c2, c3]\n"),
        "papers/c1.md": paper(), "papers/c2.md": paper(), "papers/c3.md": paper(),
        "notes/plan.md": plan("[a-planned]"),  # no due date: active until done
    })
    ids = order(root)
    assert ids[:2] == ["groundwork", "a-planned"]  # above a high-priority, well-linked paper
    assert ids.index("b-hub") == 2


def test_deadlines_order_active_plans_and_a_past_or_finished_plan_steers_nothing(tmp_path):
    root = write_base(tmp_path / "kb", {
        "papers/later.md": paper(), "papers/sooner.md": paper(), "papers/undated.md": paper(),
        "papers/lapsed.md": paper(priority="low"), "papers/free.md": paper(priority="high"),
        "papers/done-one.md": paper(status="read"), "papers/spare.md": paper(priority="low"),
        "notes/p1.md": plan("[later]", due="2025-01-01"),
        "notes/p2.md": plan("[sooner]", due="2024-12-01"),
        "notes/p3.md": plan("[undated]"),
        "notes/p4.md": plan("[lapsed]", due="2024-10-01"),  # past due: no longer steers
        "notes/p5.md": "---\ntitle: Done plan\nkind: plan\nitems:\n  main: [done-one]\n"
                       "  optional: [spare]\n---\n",  # complete: steers nothing either
    })
    assert order(root) == ["sooner", "later", "undated", "free", "lapsed", "spare"]
    reasons = {s.note.id: s.reasons for s in reading_order(open_base(root), TODAY)}
    assert reasons["lapsed"] == ["in plan p4 (items: 0 of 1 done, overdue since 2024-10-01)", "low priority"]


def test_optional_members_of_an_active_plan_come_after_what_it_needs_and_before_the_rest(tmp_path):
    root = write_base(tmp_path / "kb", {
        "papers/needed.md": paper(), "papers/extra.md": paper(), "papers/else.md": paper(priority="high"),
        "notes/plan.md": "---\ntitle: Plan\nkind: plan\nitems:\n  main: [needed]\n  optional: [extra]\n---\n",
    })
    assert order(root) == ["needed", "extra", "else"]
    assert reading_order(open_base(root), TODAY)[1].reasons == ["in plan plan (optional, not required)"]


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


def test_authors_make_nothing_near_or_central(tmp_path):
    many = "authors: [" + ", ".join(f"Author Number{i}" for i in range(13)) + "]\n"
    root = write_base(tmp_path / "kb", {
        "papers/now.md": "---\ntitle: Now\nstatus: reading\nauthors: [Author Number1]\n---\n",
        "papers/a-plain.md": paper(),
        "papers/b-crowded.md": paper(extra=many),  # 13 authors, one shared with what is read now
        "papers/c-linked.md": paper(extra="related: [d1, d2]\n"),
        "papers/d1.md": paper(status="read"), "papers/d2.md": paper(status="read"),
    })
    steps = reading_order(open_base(root), TODAY)
    assert [s.note.id for s in steps] == ["now", "c-linked", "a-plain", "b-crowded"]
    assert steps[1].reasons == ["linked with 2 papers and concepts"]
    assert steps[3].reasons == ["to read"]  # no "1 link from now": an author is not a topic


def test_a_tag_is_claimed_only_by_notes_that_carry_it_and_prerequisites_say_whose_they_are(tmp_path):
    root = write_base(tmp_path / "kb", {
        "concepts/linear-algebra.md": concept(),
        "concepts/pca.md": concept(prerequisites="[linear-algebra]"),
        "papers/tagged.md": paper(concepts="[pca]", extra="tags: [mech-interp]\n"),
        "papers/other.md": paper(),
    })
    steps = {s.note.id: s.reasons for s in reading_order(open_base(root), TODAY, tag="mech-interp")}
    assert list(steps) == ["linear-algebra", "pca", "tagged"]
    assert steps["pca"] == ["prerequisite of tagged (tagged mech-interp)"]
    assert steps["linear-algebra"] == ["prerequisite of pca, which tagged (tagged mech-interp) needs"]
    assert steps["tagged"] == ["tagged mech-interp"]
    assert not any("tagged mech-interp" == r for r in steps["pca"] + steps["linear-algebra"])


def test_priority_is_inherited_by_prerequisites(tmp_path):
    root = write_base(tmp_path / "kb", {
        "concepts/groundwork.md": concept(),
        "papers/important.md": paper(concepts="[groundwork]", priority="high"),
        "papers/medium.md": paper(),
    })
    steps = reading_order(open_base(root), TODAY)
    assert [s.note.id for s in steps] == ["groundwork", "important", "medium"]
    assert "needed by important (high priority)" in steps[0].reasons


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
        files[f"notes/plan{i}.md"] = plan(f"[{members}]", due=f"2024-11-{10 + i}")
    kb = open_base(write_base(tmp_path / "kb", files))
    steps = reading_order(kb, TODAY)
    position = {s.note.id: n for n, s in enumerate(steps)}
    pairs = [(link.target, link.source) for link in kb.links
             if link.type in ("prerequisite", "concept") and link.source in position and link.target in position]
    assert len(pairs) > 15
    for prerequisite, dependent in pairs:
        assert position[prerequisite] < position[dependent], (prerequisite, dependent)
    assert all(s.note.status not in ("read", "studied") for s in steps)


@st.composite
def bases(draw: st.DrawFn) -> dict[str, str]:
    """A small base: concepts with prerequisites (a DAG), papers needing concepts, and plans with
    groups (some optional, some with quotas), deadlines past, near or absent."""
    n_concepts, n_papers = draw(st.integers(2, 9)), draw(st.integers(1, 9))
    concepts = [f"c{i}" for i in range(n_concepts)]
    papers = [f"p{i}" for i in range(n_papers)]
    status = st.sampled_from(["to-study", "to-study", "studying", "studied"])
    pstatus = st.sampled_from(["to-read", "to-read", "reading", "read"])
    priority = st.sampled_from(["", "", "high", "low"])
    files = {}
    for i, name in enumerate(concepts):
        needs = draw(st.lists(st.sampled_from(concepts[:i]), max_size=3, unique=True)) if i else []
        files[f"concepts/{name}.md"] = concept(draw(status), f"[{', '.join(needs)}]", draw(priority),
                                               f"related: [{draw(st.sampled_from(concepts + papers))}]\n")
    for name in papers:
        needs = draw(st.lists(st.sampled_from(concepts), max_size=2, unique=True))
        files[f"papers/{name}.md"] = paper(f"[{', '.join(needs)}]", draw(priority), draw(pstatus))
    for i in range(draw(st.integers(0, 3))):
        groups = []
        for g in range(draw(st.integers(1, 3))):
            members = draw(st.lists(st.sampled_from(concepts + papers), min_size=1, max_size=4, unique=True))
            name = draw(st.sampled_from([f"g{g}", "optional"]))
            quota = draw(st.one_of(st.none(), st.integers(0, 5)))
            body = f"[{', '.join(members)}]" if quota is None else \
                f"\n    quota: {quota}\n    items: [{', '.join(members)}]"
            groups.append(f"  {name}{g}: {body}" if name != "optional" else f"  optional: [{', '.join(members)}]")
        due = draw(st.sampled_from(["", "2024-10-01", "2024-11-20", "2025-03-01"]))
        files[f"notes/plan{i}.md"] = (f"---\ntitle: Plan {i}\nkind: plan\n{f'due: {due}' if due else ''}\n"
                                      "items:\n" + "\n".join(dict.fromkeys(groups)) + "\n---\n")
    return files


@settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(files=bases())
def test_property_prerequisites_first_and_active_plans_before_everything_else(files):
    with tempfile.TemporaryDirectory() as folder:
        kb = open_base(write_base(Path(folder), files))
        steps = reading_order(kb, TODAY)
        every_plan = plans(kb, TODAY)
    position = {s.note.id: n for n, s in enumerate(steps)}
    for step in steps:  # 1. never before an unfinished prerequisite
        for need in step.after:
            assert position[need] < position[step.note.id], (need, step.note.id)
    needs = {s.note.id: set(s.after) for s in steps}

    def prerequisites_of(item: str) -> set[str]:
        found, todo = set(), [item]
        while todo:
            for need in needs.get(todo.pop(), ()):
                if need not in found:
                    found.add(need)
                    todo.append(need)
        return found

    in_active = {m for p in every_plan if p.active for g in p.groups for m in g.members if m in position}
    in_any = {m for p in every_plan for g in p.groups for m in g.members}
    held_up = set().union(*(prerequisites_of(m) for m in in_active)) if in_active else set()
    free = [i for i in position if i not in in_any and i not in held_up]
    for planned in in_active:  # 2. what active plans hold comes before what no plan holds
        for other in free:
            assert position[planned] < position[other], (planned, other)


def test_kb_next_with_plan_tag_count_and_json(kb, tmp_path):
    root = ordered_base(tmp_path / "kb")
    planned = kb("next", "--plan", "deadline", "--json", "--root", root, "--today", "2024-11-01")
    assert planned.code == 0, planned.err
    assert [s["id"] for s in json.loads(planned.out)] == ["basics", "advanced", "urgent"]
    first = kb("next", "-n", "1", "--root", root, "--today", "2024-11-01")
    assert "1. basics" in first.out and "prerequisite of advanced" in first.out and "2." not in first.out
    missing = kb("next", "--plan", "deadlin", "--root", root)
    assert missing.code == 1 and "no plan 'deadlin'" in missing.err and "deadline" in missing.err
