"""`kb report`: the reading lists and plan progress, in the terminal or as a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..schema import REPORT_FORMATS
from .common import CONTEXT, echo, root_option, today_option


@click.command(context_settings=CONTEXT)
@root_option
@click.option("--limit", default=10, show_default=True, help="Items per list.")
@click.option("--plan", metavar="PLAN", help="Report on one plan (id or title).")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS),
              default="text", show_default=True,
              help="md and html include an SVG chart of items finished per week.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of printing it.")
@today_option
def report(root: Path, limit: int, plan: str | None, fmt: str, as_json: bool, output: Path | None,
           today: dt.date | None) -> None:
    """Show progress: counts, in progress, what next (the order and reasons of `kb next`), plans
    (quotas, deadlines, gaps with candidates), reviews due, items finished per week.

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

    kb = open_base(root, lasting=True)
    data = study_report.report_data(kb, limit, today or dt.date.today(), plan)
    fmt = "json" if as_json else fmt
    text = study_report.render(kb, data, fmt)
    if output is not None:
        write_atomic(output, text if text.endswith("\n") else text + "\n")
        echo(f"report written to {output}")
    else:
        echo(text, nl=not text.endswith("\n"))
