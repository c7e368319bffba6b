"""`kb report`: the reading lists in the terminal (the site publishes the same lists)."""

from __future__ import annotations

import json

import click

from .common import CONTEXT, root_option


@click.command(context_settings=CONTEXT)
@root_option
@click.option("--limit", default=10, show_default=True, help="Items per list.")
@click.option("--json", "as_json", is_flag=True, help="Print the lists as JSON.")
def report(root, limit: int, as_json: bool) -> None:
    """Show progress and reading lists: counts, in progress, next up, study order, plans.

    \b
    Examples:
      kb report
      kb report --limit 20 --json
    """
    from .. import reports
    from ..base import open_base

    kb = open_base(root)
    lists = {
        "counts": reports.status_counts(kb),
        "in_progress": [n.id for n in reports.in_progress(kb)][:limit],
        "next_up": [n.id for n in reports.next_up(kb, limit)],
        "study_order": [{"concept": s.note.id, "after": s.waiting_on}
                        for s in reports.study_plan(kb)][:limit],
        "plans": [{"plan": p.note.id, "done": p.done, "total": p.total, "groups": p.groups}
                  for p in reports.plan_progress(kb)],
    }
    if as_json:
        click.echo(json.dumps(lists, indent=2))
        return
    for kind, counts in lists["counts"].items():
        click.echo(f"{kind}s: " + ", ".join(f"{n} {status}" for status, n in counts.items()))
    sections = (("In progress", lists["in_progress"]), ("Next up", lists["next_up"]))
    for title, ids in sections:
        click.echo(f"\n{title}:")
        for node in ids or ["(nothing)"]:
            note = kb.note(node)
            click.echo(f"  {node:32} {note.title if note else ''}")
    click.echo("\nStudy order (prerequisites first):")
    for step in lists["study_order"] or [{"concept": "(nothing)", "after": []}]:
        after = f"  after {', '.join(step['after'])}" if step["after"] else ""
        click.echo(f"  {step['concept']}{after}")
    for plan in lists["plans"]:
        click.echo(f"\nPlan {plan['plan']}: {plan['done']}/{plan['total']} done")
