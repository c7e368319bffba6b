"""`kb review`: spaced review of studied concepts (FSRS), replayed from notes/reviews.log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .common import CONTEXT, DATE, echo, echo_json, json_option, root_option, today_option


@click.command(context_settings=CONTEXT)
@click.argument("name", metavar="[ID]", required=False)
@click.option("--grade", metavar="again|hard|good|easy",
              help="Record a review of ID with this grade (appended to notes/reviews.log).")
@click.option("--date", "on", type=DATE, default=None,
              help="Record the review on this day (default: now).")
@root_option
@json_option
@today_option
def review(name: str | None, grade: str | None, on: dt.date | None, root: Path, as_json: bool,
           today: dt.date | None) -> None:
    """List the studied concepts due for review, most overdue first; or record one review.

    With ID and --grade, appends one line to notes/reviews.log (never rewriting a note) and prints
    the next due date, computed by replaying the concept's reviews with FSRS. With ID alone, shows
    that concept's schedule. ID is an id, the start of one, or a title.
    Exit status: 1 unknown or ambiguous ID, 2 a bad grade or date; nothing is recorded on errors.

    \b
    Examples:
      kb review
      kb review activation-patching --grade good
      kb review "Residual stream" --grade hard --date 2024-11-05
    """
    from ..base import open_base
    from ..study import review as reviews

    day = today or dt.date.today()
    if grade is not None:
        if name is None:
            raise click.UsageError("--grade needs the ID of the concept reviewed")
        when = (dt.datetime.combine(on, dt.time(), dt.timezone.utc) if on is not None
                else dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
        state = reviews.record(root, name, grade, when)
        echo(f"{state.note}: {reviews.check_grade(grade)} on {when.date().isoformat()}; "
                   f"next review {state.due.isoformat()} (review {state.reviews})")
        return
    kb = open_base(root, lasting=True)
    if name is not None:
        from ..schema import CONCEPT
        from ..study.find import find_note

        found = find_note(root, name, kinds=(CONCEPT,))
        states = [s for s in reviews.schedule(kb, day).values() if s.note == found.id]
        if not states:
            echo(f"{found.id}: not in the review deck yet (studied concepts are; or review it "
                       "once with --grade)")
            return
    else:
        states = reviews.due(kb, day)
    if as_json:
        echo_json([{"id": s.note, "title": s.title, "due": s.due.isoformat(),
                    "overdue_days": s.overdue_days(day), "reviews": s.reviews,
                    "last_grade": s.last.grade if s.last else None} for s in states])
        return
    for s in states:
        late = s.overdue_days(day)
        due = (f"{late} day{'s' * (late != 1)} overdue" if late > 0 else "due today" if late == 0
               else f"due in {-late} day{'s' * (late != -1)}")
        echo(f"{s.note:32} {s.due.isoformat()} ({due}), {s.reviews} review{'s' * (s.reviews != 1)}")
    if not states:
        echo("no reviews due")
