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
    assert "activation-patching  after residual-stream" in text
    assert "Plan plan: 1/3 done" in text
