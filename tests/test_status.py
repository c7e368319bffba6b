"""`kb status`: counts, in progress and for how long, finished recently, plans, reviews due."""

from __future__ import annotations

import json

from helpers import write_base

from tooling.study.log import LOG_PATH


def status_base(root):
    return write_base(root, {
        "papers/reading.md": "---\ntitle: Reading\nstatus: reading\nstarted: 2024-10-20\n---\n",
        "papers/done.md": "---\ntitle: Done\nstatus: read\nfinished: 2024-10-25\n---\nNotes.\n",
        "papers/long-ago.md": "---\ntitle: Long ago\nstatus: read\nfinished: 2023-01-01\n---\nNotes.\n",
        "papers/queued.md": "---\ntitle: Queued\n---\n",
        "concepts/studied.md": "---\ntitle: Studied\nstatus: studied\nfinished: 2024-10-01\n---\n",
        "notes/plan.md": "---\ntitle: Plan\nkind: plan\ndue: 2024-11-05\n"
                         "items:\n  main: [done, queued]\n  more:\n    quota: 1\n    items: [long-ago]\n---\n",
        LOG_PATH: "2024-10-02T00:00:00Z good studied\n",
    })


def test_status_json(kb, tmp_path):
    result = kb("status", "--json", "--today", "2024-11-01", "--root", status_base(tmp_path / "kb"))
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["counts"]["paper"] == {"to-read": 1, "reading": 1, "read": 2, "skimmed": 0, "dropped": 0}
    assert data["in_progress"] == [{"id": "reading", "title": "Reading", "kind": "paper",
                                    "status": "reading", "started": "2024-10-20", "days": 12}]
    assert [(f["id"], f["finished"]) for f in data["finished_recently"]] == [("done", "2024-10-25")]
    (plan,) = data["plans"]
    assert (plan["done"], plan["required"], plan["due_soon"], plan["overdue"]) == (2, 3, True, False)
    assert data["reviews"] == {"deck": 1, "due": 1, "due_ids": ["studied"]}


def test_status_text(kb, tmp_path):
    text = kb("status", "--today", "2024-11-01", "--root", status_base(tmp_path / "kb")).out
    assert "papers: 1 to-read, 1 reading, 2 read, 0 skimmed, 0 dropped" in text
    assert "reading (paper, reading for 12 days)" in text
    assert "done (read on 2024-10-25)" in text and "long-ago (read" not in text
    assert "plan: 2 of 3 required done (66%), due 2024-11-05, due soon" in text
    assert "more: 1 of 1 done (any 1 of 1)" in text
    assert "Reviews: 1 due of 1 concepts: studied" in text
