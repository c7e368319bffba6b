"""`kb mark`: change a paper's or concept's status from the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .common import CONTEXT, DATE, echo, root_option


@click.command(context_settings=CONTEXT)
@click.argument("name", metavar="ID")
@click.argument("status")
@click.option("--date", "on", type=DATE, default=None,
              help="The date to record as started/finished (default: today).")
@root_option
def mark(name: str, status: str, on: dt.date | None, root: Path) -> None:
    """Set the STATUS of a paper or concept, and the date that goes with it.

    ID is a note id, the start of one, or a title, when it names exactly one note. Reading or
    studying sets `started`; read, skimmed, dropped or studied sets `finished`. Only those lines of
    the front matter change: comments, other fields and the body stay byte for byte.

    Exit status: 0 done (or nothing to do), 1 unknown or ambiguous ID or a note that cannot be
    edited safely, 2 a status or date that is not valid. Nothing is written on an error.

    \b
    Examples:
      kb mark meng2022locating reading
      kb mark meng2022loc read --date 2024-11-05
      kb mark "Residual stream" studied
    """
    from ..study.mark import mark as mark_note

    done = mark_note(root, name, status, on)
    if not done.written:
        echo(f"{done.path}: already {done.status}; nothing changed")
        return
    fields = ", ".join(f"{key}: {value}" for key, value in done.written.items())
    echo(f"{done.path}: {done.old_status} -> {done.status} ({fields})")
