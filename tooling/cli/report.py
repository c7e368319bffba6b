"""`kb report`: the reading lists in the terminal (the site publishes the same lists)."""

from __future__ import annotations

from pathlib import Path

import click

from .common import CONTEXT, echo_json, root_option


@click.command(context_settings=CONTEXT)
@root_option
@click.option("--limit", default=10, show_default=True, help="Items per list.")
@click.option("--json", "as_json", is_flag=True, help="Print the lists as JSON.")
def report(root: Path, limit: int, as_json: bool) -> None:
    """Show progress and reading lists: counts, in progress, next up, study order, plans.

    \b
    Examples:
      kb report
      kb report --limit 20 --json
    """
    from .. import reports
    from ..base import open_base

    kb = open_base(root)
    if as_json:
        echo_json(reports.report_data(kb, limit))
        return
    for kind, counts in reports.status_counts(kb).items():
        click.echo(f"{kind}s: " + ", ".join(f"{n} {status}" for status, n in counts.items()))
    sections = (("In progress", reports.in_progress(kb)[:limit]),
                ("Next up", reports.next_up(kb, limit)))
    for title, notes in sections:
        click.echo(f"\n{title}:")
        for note in notes:
            click.echo(f"  {note.id:32} {note.title}")
        if not notes:
            click.echo("  (nothing)")
    click.echo("\nStudy order (prerequisites first):")
    steps = reports.study_plan(kb)[:limit]
    for step in steps:
        after = f"  after {', '.join(step.waiting_on)}" if step.waiting_on else ""
        click.echo(f"  {step.note.id}{after}")
    if not steps:
        click.echo("  (nothing)")
    for plan in reports.plan_progress(kb):
        click.echo(f"\nPlan {plan.note.id}: {plan.done}/{plan.total} done")
