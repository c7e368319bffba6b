"""`kb status`: where the study stands today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .common import CONTEXT, echo, echo_json, json_option, root_option, today_option


@click.command(context_settings=CONTEXT)
@root_option
@json_option
@today_option
def status(root: Path, as_json: bool, today: dt.date | None) -> None:
    """Show counts by kind and status, what is in progress and for how long, what was finished
    in the last 30 days, each plan's progress (quotas, deadlines) and the reviews due.

    \b
    Examples:
      kb status
      kb status --json
    """
    from ..base import open_base
    from ..study.status import as_text, status_data

    data = status_data(open_base(root, lasting=True), today or dt.date.today())
    if as_json:
        echo_json(data)
    else:
        echo(as_text(data))
