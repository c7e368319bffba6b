"""`kb next`: what to read or study next, with the reason for each item."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .common import CONTEXT, echo, echo_json, json_option, root_option, today_option


@click.command("next", context_settings=CONTEXT)
@click.option("--plan", metavar="PLAN", help="Only what this plan (id or title) still needs.")
@click.option("--tag", metavar="TAG", help="Only notes with this tag (and what they need first).")
@click.option("-n", "count", default=10, show_default=True, type=click.IntRange(min=1),
              help="How many items to show.")
@root_option
@json_option
@today_option
def next_(plan: str | None, tag: str | None, count: int, root: Path, as_json: bool,
          today: dt.date | None) -> None:
    """List what to read or study next, each with its reasons.

    Never an item before its unfinished prerequisites (a concept's `prerequisites`, a paper's
    `concepts`); then plan deadlines (a prerequisite inherits the deadline of what needs it);
    then priority; then closeness to what is in progress and centrality; then id.

    \b
    Examples:
      kb next
      kb next --plan emnlp-prepa -n 5
      kb next --tag interpretability --json
    """
    from ..base import open_base
    from ..study.next import reading_order

    steps = reading_order(open_base(root), today or dt.date.today(), plan=plan, tag=tag)[:count]
    if as_json:
        echo_json([step.as_dict() for step in steps])
        return
    for number, step in enumerate(steps, 1):
        note = step.note
        details = ", ".join(x for x in (note.kind, note.status, step.priority and f"{step.priority} priority",
                                        step.due and f"due {step.due.isoformat()}") if x)
        echo(f"{number:>3}. {note.id}  {note.title}  ({details})")
        echo(f"     {'; '.join(step.reasons)}")
    if not steps:
        echo("nothing left to read or study" + (f" in plan {plan}" if plan else "")
                   + (f" tagged {tag}" if tag else ""))
