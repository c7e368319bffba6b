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
    `concepts`); then what active plans need, earliest deadline first (a prerequisite inherits
    the standing of what needs it); then priority; then closeness to what is in progress and
    centrality in the study graph; then id. With --plan, also the plan's quota groups that lack
    members, with candidates from the base.

    \b
    Examples:
      kb next
      kb next --plan emnlp-prepa -n 5
      kb next --tag interpretability --json
    """
    from ..base import open_base
    from ..study.gaps import plan_gaps
    from ..study.next import reading_order
    from ..study.plans import find_plan, plan_of
    from ..study.report import gap_lines, step_lines

    kb = open_base(root, lasting=True)
    day = today or dt.date.today()
    chosen = plan_of(kb, find_plan(kb, plan), day) if plan is not None else None
    steps = reading_order(kb, day, plan=plan, tag=tag, plans_=[chosen] if chosen else None)[:count]
    gaps = [gap.as_dict() for gap in plan_gaps(kb, chosen)] if chosen is not None else []
    if as_json:
        echo_json([step.as_dict() for step in steps])
        return
    for number, step in enumerate(steps, 1):
        for line in step_lines(number, step.as_dict()):
            echo(line)
    if not steps:
        echo("nothing left to read or study" + (f" in plan {plan}" if plan else "")
                   + (f" tagged {tag}" if tag else ""))
    if gaps:
        echo("\nGaps in the plan (groups short of members):")
        for line in gap_lines({"gaps": gaps}, "  "):
            echo(line)
