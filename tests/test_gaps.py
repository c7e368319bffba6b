"""A quota group that lacks members is shown as such, with candidates from the base and why each
fits, in `kb next --plan`, `kb status`, `kb report` and the plan page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from helpers import run_kb, write_base

from tooling.base import open_base
from tooling.study.gaps import plan_gaps
from tooling.study.plans import plans

TODAY = dt.date(2024, 11, 1)


def paper(concepts: str = "[]", tags: str = "[]", status: str = "to-read") -> str:
    return f"---\ntitle: Paper\nstatus: {status}\nconcepts: {concepts}\ntags: {tags}\n---\nx\n"


def gap_base(root):
    return write_base(root, {
        "concepts/patching.md": "---\ntitle: Patching\n---\nx\n",
        "concepts/tracing.md": "---\ntitle: Tracing\n---\nx\n",
        "concepts/probing.md": "---\ntitle: Probing\n---\nx\n",
        "papers/a.md": paper("[patching, tracing]", "[interp]"),
        "papers/b.md": paper("[patching, tracing]", "[interp]", status="read"),
        "papers/close.md": paper("[patching, tracing]"),  # shares both with both members
        "papers/half.md": paper("[tracing]"),  # shares one with both
        "papers/tagged.md": paper("[probing]", "[interp]"),  # a shared tag only
        "papers/dropped.md": paper("[patching, tracing]", status="dropped"),  # never suggested
        "papers/elsewhere.md": paper("[patching, tracing]"),  # another group of the plan has it
        "papers/far.md": paper("[probing]"),  # nothing in common
        "notes/plan.md": """\
            ---
            title: Plan
            kind: plan
            items:
              interp:
                quota: 4
                items: [a, b]
              main: [elsewhere]
              tracks:
                quota: 1
                query: FROM papers WHERE contains(tags, "nowhere")
            ---
            """,
    })


def test_a_short_group_gets_candidates_ranked_by_what_they_share_each_with_its_reason(tmp_path):
    kb = open_base(gap_base(tmp_path / "kb"))
    (plan,) = plans(kb, TODAY)
    interp, tracks = plan_gaps(kb, plan)
    assert (interp.group, interp.quota, interp.have, interp.missing) == ("interp", 4, 2, 2)
    assert [(c.id, c.reason) for c in interp.candidates] == [
        ("close", "shares patching and tracing with 2 of the group's papers"),
        ("half", "shares tracing with 2 of the group's papers"),
        ("tagged", "tagged interp like 2 of the group's papers"),
    ]
    # A group with no members yet is compared with the whole plan; its query says papers.
    assert (tracks.group, tracks.have, tracks.missing) == ("tracks", 0, 1)
    assert [c.id for c in tracks.candidates] == ["close", "half", "tagged"]
    assert tracks.candidates[0].reason == "shares patching and tracing with 3 of the plan's papers"


def test_gaps_show_in_next_status_report_and_the_plan_page(kb, tmp_path):
    root = gap_base(tmp_path / "kb")
    shown = kb("next", "--plan", "plan", "--root", root, "--today", "2024-11-01")
    assert shown.code == 0, shown.err
    assert ("Gaps in the plan (groups short of members):\n  interp: 2 more to find; candidates:\n"
            "    close: shares patching and tracing with 2 of the group's papers\n") in shown.out
    status = kb("status", "--root", root, "--today", "2024-11-01")
    assert "interp: 1 of 4 done (any 4: 2 listed, 2 more to find)" in status.out
    assert "tracks: 0 of 1 done (any 1: none yet, 1 more to find)" in status.out
    assert "      interp: 2 more to find; candidates:\n        close: shares patching" in status.out
    data = json.loads(kb("status", "--json", "--root", root, "--today", "2024-11-01").out)
    assert [g["group"] for g in data["plans"][0]["gaps"]] == ["interp", "tracks"]
    report = json.loads(run_kb("report", "--root", str(root), "--json", "--today", "2024-11-01").output)
    assert report["plan_progress"][0]["gaps"][0]["candidates"][0] == {
        "id": "close", "reason": "shares patching and tracing with 2 of the group's papers"}
    md = run_kb("report", "--root", str(root), "--format", "md", "--today", "2024-11-01").output
    assert "    - candidate Paper (`close`): shares patching and tracing with 2 of the group's papers" in md
    rows = list(csv.DictReader(io.StringIO(run_kb("report", "--root", str(root), "--format", "csv").output)))
    assert {"section": "plan-candidate", "group": "interp", "id": "close"}.items() <= rows[
        next(i for i, r in enumerate(rows) if r["section"] == "plan-candidate")].items()
    built = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"), "--no-exec")
    assert built.exit_code == 0, built.output
    page = (tmp_path / "site/notes/plan/index.html").read_text()
    assert '<p class="kb-plan-gap">2 more to find; candidates from the base:</p>' in page
    assert ('href="../../papers/close/">Paper</a> <span class="kb-needs kb-reasons">shares patching and '
            "tracing with 2 of the group&#x27;s papers</span>") in page
