"""`kb report`: the reading lists and plan progress, in the terminal or as a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .common import CONTEXT, echo, root_option, today_option


@click.command(context_settings=CONTEXT)
@root_option
@click.option("--limit", default=10, show_default=True, help="Items per list.")
@click.option("--plan", metavar="PLAN", help="Report on one plan (id or title).")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "html", "csv", "json"]),
              default="text", show_default=True,
              help="md and html include an SVG chart of items finished per week.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of printing it.")
@today_option
def report(root: Path, limit: int, plan: str | None, fmt: str, as_json: bool, output: Path | None,
           today: dt.date | None) -> None:
    """Show progress and reading lists: counts, in progress, next up, study order, plans (with
    quotas and deadlines), what next (with reasons), reviews due, items finished per week.

    \b
    Examples:
      kb report
      kb report --limit 20 --json
      kb report --plan emnlp-prepa --format html -o emnlp.html
      kb report --format md -o progress.md
    """
    from ..base import open_base
    from ..notes.atomic import write_atomic
    from ..study import report as study_report

    kb = open_base(root)
    data = study_report.report_data(kb, limit, today or dt.date.today(), plan)
    fmt = "json" if as_json else fmt
    if fmt == "text":
        titles = {note.id: note.title for note in kb.index.notes.values()}
        text = _plan_text(data) if plan is not None else _text(data, titles)
    else:
        text = study_report.render(kb, data, fmt)
    if output is not None:
        write_atomic(output, text if text.endswith("\n") else text + "\n")
        echo(f"report written to {output}")
    else:
        echo(text, nl=not text.endswith("\n"))


def _text(data: dict, titles: dict[str, str]) -> str:
    from ..study.plans import group_text, progress_text

    lines = [f"{kind}s: " + ", ".join(f"{n} {status}" for status, n in counts.items())
             for kind, counts in data["counts"].items()]
    for title, key in (("In progress", "in_progress"), ("Next up", "next_up")):
        lines.append(f"\n{title}:")
        lines += [f"  {node:32} {titles.get(node, node)}" for node in data[key]] or ["  (nothing)"]
    lines.append("\nStudy order (prerequisites first):")
    lines += [f"  {step['concept']}" + (f"  after {', '.join(step['after'])}" if step["after"] else "")
              for step in data["study_order"]] or ["  (nothing)"]
    for legacy, plan in zip(data["plans"], data["plan_progress"]):
        lines.append(f"\nPlan {legacy['plan']}: {legacy['done']}/{legacy['total']} done")
        lines.append(f"  {progress_text(plan)}")
        lines += [f"  {group_text(group)}" for group in plan["groups"]]
    lines.append(f"\nReviews due: {len(data['reviews_due'])}")
    return "\n".join(lines)


def _plan_text(data: dict) -> str:
    from ..study.plans import group_text, progress_text

    plan = data["plan"]
    lines = [f"Plan {plan['plan']}: {progress_text(plan)}"]
    lines += [f"  {group_text(g)}: " + ", ".join(g["members"]) for g in plan["groups"]]
    lines.append("\nNext:")
    lines += [f"  {s['id']}: {'; '.join(s['reasons'])}" for s in data["next"]] or ["  (nothing left)"]
    return "\n".join(lines)
