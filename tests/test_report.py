"""`kb report`: reading lists and progress in the terminal, from the same library as the site."""

from __future__ import annotations

import json

from helpers import run_kb
from site_helpers import copy_base


def test_report_lists_progress_queue_study_order_and_plans(tmp_path):
    root = copy_base(tmp_path / "kb")
    result = run_kb("report", "--root", str(root), "--json")
    assert result.exit_code == 0, result.output
    lists = json.loads(result.output)
    assert lists["counts"]["paper"] == {"to-read": 1, "reading": 1, "read": 1, "skimmed": 0, "dropped": 0}
    assert lists["in_progress"] == ["evil", "activation-patching"]  # by title: "<img..." < "Act..."
    assert lists["next_up"] == ["zhu2020modifying"]
    assert lists["study_order"] == [{"concept": "residual-stream", "after": []},
                                    {"concept": "activation-patching", "after": ["residual-stream"]}]
    assert lists["plans"] == [{"plan": "plan", "done": 1, "total": 3,
                               "groups": {"main": ["activation-patching", "meng2022locating"],
                                          "optional": ["zhu2020modifying"]}}]


def test_report_text(tmp_path):
    root = copy_base(tmp_path / "kb")
    text = run_kb("report", "--root", str(root)).output
    assert "papers: 1 to-read, 1 reading, 1 read, 0 skimmed, 0 dropped" in text
    assert "What next:\n  1. residual-stream  Residual stream\n" in text
    assert "plan: 1 of 2 required done (50%)" in text
    assert "/3 done" not in text  # one measure of progress, not two side by side


def test_report_formats_and_the_weekly_chart(tmp_path):
    import csv
    import io

    root = copy_base(tmp_path / "kb")
    assert run_kb("mark", "meng2022locating", "read", "--date", "2024-10-30", "--root", str(root)).exit_code == 0
    md = run_kb("report", "--root", str(root), "--format", "md", "--today", "2024-11-01")
    assert md.exit_code == 0, md.output
    assert "## What next" in md.output and "Finished per week" in md.output
    assert '<title>Week of 2024-10-28: 1 finished</title>' in md.output  # the SVG's bar
    out = tmp_path / "plan.html"
    html = run_kb("report", "--root", str(root), "--plan", "plan", "--format", "html", "-o", str(out),
                  "--today", "2024-11-01")
    assert html.exit_code == 0, html.output
    page = out.read_text()
    assert page.startswith("<!doctype html>") and "<svg" in page and "http" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert "1 of 2 required done (50%)" in page
    rows = list(csv.DictReader(io.StringIO(run_kb("report", "--root", str(root), "--format", "csv").output)))
    assert {"section": "plan", "plan": "plan", "group": "main", "id": "meng2022locating",
            "status": "read", "detail": "done"}.items() <= next(
        r for r in rows if r["id"] == "meng2022locating" and r["section"] == "plan").items()


def test_the_csv_report_holds_counts_in_progress_and_reviews_due(tmp_path):
    import csv
    import io

    from helpers import write_base

    root = write_base(tmp_path / "kb", {
        "papers/now.md": "---\ntitle: Now\nstatus: reading\n---\nx\n",
        "papers/later.md": "---\ntitle: Later\n---\nx\n",
        "concepts/known.md": "---\ntitle: Known\nstatus: studied\nfinished: 2024-10-01\n---\nx\n",
    })
    rows = list(csv.DictReader(io.StringIO(run_kb("report", "--root", str(root), "--format", "csv",
                                                  "--today", "2024-11-01").output)))
    counts = {(r["group"], r["status"], r["detail"]) for r in rows if r["section"] == "count"}
    assert {("paper", "reading", "1"), ("paper", "to-read", "1"), ("concept", "studied", "1"),
            ("paper", "read", "0")} <= counts
    assert [r["id"] for r in rows if r["section"] == "in-progress"] == ["now"]
    assert [(r["id"], r["title"]) for r in rows if r["section"] == "review-due"] == [("known", "Known")]
