"""`kb status`: where the study stands today, in one screen.

Counts by kind and status, what is in progress and for how long, what was finished recently,
each plan's progress (with quotas and deadlines, and its gaps with candidates) and the reviews due.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import reports
from ..base import KnowledgeBase
from ..model import parse_date
from .gaps import plan_summary
from .plans import plans
from .report import plan_lines
from .review import due, schedule

RECENT_DAYS = 30


def status_data(kb: KnowledgeBase, today: dt.date, recent_days: int = RECENT_DAYS) -> dict[str, Any]:
    """The status as plain data (`kb status --json`)."""
    in_progress = []
    for note in reports.in_progress(kb):
        started = parse_date(note.meta["started"]) if note.meta.get("started") is not None else None
        in_progress.append({"id": note.id, "title": note.title, "kind": note.kind, "status": note.status,
                            "started": started.isoformat() if started else None,
                            "days": (today - started).days if started else None})
    since = today - dt.timedelta(days=recent_days)
    finished = [{"id": note.id, "title": note.title, "kind": note.kind, "status": note.status,
                 "finished": day.isoformat()}
                for note, day in reports.recently_finished(kb, limit=None, since=since)]
    deck = schedule(kb, today)
    reviews_due = due(kb, today)
    return {
        "today": today.isoformat(),
        "counts": reports.status_counts(kb),
        "in_progress": in_progress,
        "finished_recently": finished,
        "plans": [plan_summary(kb, plan) for plan in plans(kb, today)],
        "reviews": {"deck": len(deck), "due": len(reviews_due),
                    "due_ids": [state.note for state in reviews_due]},
    }


def as_text(data: dict[str, Any], recent_days: int = RECENT_DAYS, shown: int = 10) -> str:
    lines = []
    for kind, counts in data["counts"].items():
        lines.append(f"{kind}s: " + ", ".join(f"{n} {status}" for status, n in counts.items()))
    lines.append("\nIn progress:")
    for item in data["in_progress"][:shown]:
        days = f" for {item['days']} day{'s' * (item['days'] != 1)}" if item["days"] is not None else ""
        lines.append(f"  {item['id']} ({item['kind']}, {item['status']}{days})")
    if not data["in_progress"]:
        lines.append("  (nothing)")
    lines.append(f"\nFinished in the last {recent_days} days:")
    for item in data["finished_recently"][:shown]:
        lines.append(f"  {item['id']} ({item['status']} on {item['finished']})")
    if not data["finished_recently"]:
        lines.append("  (nothing)")
    lines.append("\nPlans:")
    for plan in data["plans"]:
        lines += ["  " + line for line in plan_lines(plan)]
    if not data["plans"]:
        lines.append("  (no plans)")
    reviews = data["reviews"]
    lines.append(f"\nReviews: {reviews['due']} due of {reviews['deck']} concepts"
                 + (f": {', '.join(reviews['due_ids'][:shown])}" if reviews["due_ids"] else ""))
    return "\n".join(lines)
