"""Plans: groups, quotas over ids and queries, progress = done / required, deadline flags."""

from __future__ import annotations

import datetime as dt
import json

from helpers import REPO, check_json, run_kb, write_base

from tooling.base import open_base
from tooling.study.plans import plans

TODAY = dt.date(2024, 11, 1)


def paper(status: str, tags: str = "[]") -> str:
    return f"---\ntitle: A paper\nstatus: {status}\ntags: {tags}\n---\nNotes.\n"


def plan_base(root, due: str = "2024-11-10"):
    return write_base(root, {
        "concepts/basics.md": "---\ntitle: Basics\nstatus: studied\n---\nx\n",
        "concepts/advanced.md": "---\ntitle: Advanced\nstatus: to-study\n---\nx\n",
        "papers/listed.md": paper("read", "[interp]"),
        "papers/q-read-1.md": paper("read", "[interp]"),
        "papers/q-read-2.md": paper("skimmed", "[interp]"),
        "papers/q-open.md": paper("to-read", "[interp]"),
        "papers/elsewhere.md": paper("read", "[interp]"),
        "papers/extra.md": paper("read"),
        "notes/plan.md": f"""\
            ---
            title: The plan
            kind: plan
            goal: Learn it.
            due: {due}
            items:
              main: [basics, advanced]
              interp:
                quota: 2
                items: [listed]
                query: FROM papers WHERE contains(tags, "interp")
              optional: [extra, elsewhere]
            ---
            Body.
            """,
    })


def test_progress_counts_done_items_against_what_each_group_requires(tmp_path):
    (plan,) = plans(open_base(plan_base(tmp_path / "kb")), TODAY)
    main, interp, optional = plan.groups
    assert (main.members, main.done, main.required, main.counted) == (
        ["basics", "advanced"], ["basics"], 2, 1)
    # Listed ids first; then the query's results that no group lists ("elsewhere" is optional's).
    assert interp.members == ["listed", "q-open", "q-read-1", "q-read-2"]
    assert interp.done == ["listed", "q-read-1", "q-read-2"]
    assert (interp.quota, interp.required, interp.counted, interp.complete) == (2, 2, 2, True)
    assert (optional.required, optional.counted, optional.complete) == (0, 0, True)  # nothing required
    assert (plan.counted, plan.required, plan.complete) == (3, 4, False)


def test_deadline_flags(tmp_path):
    soon = plans(open_base(plan_base(tmp_path / "soon", due="2024-11-10")), TODAY)[0]
    assert (soon.overdue, soon.due_soon) == (False, True)
    late = plans(open_base(plan_base(tmp_path / "late", due="2024-10-01")), TODAY)[0]
    assert (late.overdue, late.due_soon) == (True, False)
    far = plans(open_base(plan_base(tmp_path / "far", due="2025-06-01")), TODAY)[0]
    assert (far.overdue, far.due_soon) == (False, False)


def test_the_old_forms_of_items_still_read(tmp_path):
    root = write_base(tmp_path / "kb", {
        "papers/a.md": paper("read"), "papers/b.md": paper("to-read"),
        "notes/flat.md": "---\ntitle: Flat\nkind: plan\nitems: [a, b]\n---\n",
    })
    (plan,) = plans(open_base(root), TODAY)
    assert [(g.name, g.members, g.counted, g.required) for g in plan.groups] == [("items", ["a", "b"], 1, 2)]


def test_report_json_keeps_its_keys_and_adds_plan_progress(tmp_path):
    root = plan_base(tmp_path / "kb")
    result = run_kb("report", "--root", str(root), "--json", "--today", "2024-11-01")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["plans"][0]["groups"]["interp"] == ["listed"]  # the graph's items, as before
    (progress,) = data["plan_progress"]
    assert (progress["done"], progress["required"], progress["due_soon"]) == (3, 4, True)
    assert [(g["group"], g["counted"], g["required"], g["quota"]) for g in progress["groups"]] == [
        ("main", 1, 2, None), ("interp", 2, 2, 2), ("optional", 0, 0, None)]


def test_malformed_groups_and_broken_group_queries_are_kb_check_errors(tmp_path):
    root = write_base(tmp_path / "kb", {
        "papers/a.md": paper("read"),
        "notes/plan.md": """\
            ---
            title: Plan
            kind: plan
            items:
              main:
                quota: many
                items: [a]
              other:
                query: FROM papers WHERE contains(tags, "x") AND
                limit: 3
            ---
            """,
    })
    problems = [p for p in check_json(root) if p["path"] == "notes/plan.md"]
    plan_problems = sorted(p["message"] for p in problems if p["code"] == "invalid-plan")
    assert plan_problems == [
        "group 'other' has unknown key(s) limit (expected items, query, quota)",
        "the quota of group 'main' should be a whole number >= 0, not 'many'"]
    assert {p["line"] for p in problems if p["code"] == "invalid-plan"} == {4}  # the `items` line
    (query,) = [p for p in problems if p["code"] == "invalid-query"]
    assert query["line"] == 9  # the group's `query:` line; the column is within the query text
    assert query["message"].startswith("query of group 'other', column 42: the query ends too early")


def test_the_shipped_emnlp_plan_uses_a_quota_and_a_query():
    (plan,) = [p for p in plans(open_base(REPO), TODAY) if p.note.id == "emnlp-prepa"]
    groups = {g.name: g for g in plan.groups}
    assert groups["interp"].quota == 5 and groups["interp"].query
    assert groups["relevant-tracks"].quota == 1 and groups["relevant-tracks"].query
    assert groups["interp"].counted == 2  # two EMNLP interpretability papers read so far


def test_plan_pages_and_the_dashboard_show_progress_with_quotas(tmp_path):
    root = plan_base(tmp_path / "kb", due="2099-01-01")
    result = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    plan = (tmp_path / "site/notes/plan/index.html").read_text()
    assert '<progress max="4" value="3"></progress>' in plan and "3 of 4 required done (75%)" in plan
    assert "interp <span" in plan and "2 of 2 done (any 2 of 4)" in plan
    assert "Members found by <code>FROM papers WHERE contains(tags, &quot;interp&quot;)</code>" in plan
    assert 'href="../../papers/q-open/"' in plan  # a member the query found, linked
    home = (tmp_path / "site/index.html").read_text()
    assert "3 of 4 required done (75%), due 2099-01-01" in home and "interp: 2 of 2 done (any 2 of 4)" in home
    reading = (tmp_path / "site/reading/index.html").read_text()
    assert "optional <span" in reading and "2 of 2 done (optional)" in reading


def group(members: list[str], done: list[str], quota: int | None, required: int, listed: list[str]) -> dict:
    return {"group": "g", "members": members, "done": done, "quota": quota, "required": required,
            "counted": min(len(done), required), "listed": listed}


def test_progress_reads_as_a_person_would_say_it():
    from tooling.study.plans import group_progress, progress_text

    # A quota larger than what the group has says how many are still to be found.
    assert group_progress(group(["a", "b", "c"], ["a", "b"], 5, 5, ["a", "b", "c"])) == \
        "2 of 5 done (any 5: 3 listed, 2 more to find)"
    assert group_progress(group(["a", "b", "c"], [], 5, 5, ["a"])) == \
        "0 of 5 done (any 5: 1 listed, 2 found by its query, 2 more to find)"
    assert group_progress(group([], [], 1, 1, [])) == "0 of 1 done (any 1: none yet, 1 more to find)"
    assert group_progress(group(list("abcdef"), ["a", "b"], 5, 5, [])) == "2 of 5 done (any 5 of 6)"
    assert group_progress(group(list("abcde"), ["a"], None, 0, list("abcde"))) == "1 of 5 done (optional)"
    assert group_progress(group(list("abc"), ["a"], None, 3, list("abc"))) == "1 of 3 done"
    summary = {"done": 4, "required": 15, "due": "2024-11-12", "overdue": False, "due_soon": True}
    assert progress_text(summary) == "4 of 15 required done (26%), due 2024-11-12, due soon"
