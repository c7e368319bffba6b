"""Items finished per week, as numbers and as a small self-contained SVG bar chart.

A note counts in the week (Monday to Sunday) of its `finished` date when its status is done.
The SVG has no script, no external reference and no font request: it works in a Markdown file,
a standalone HTML report and the offline site alike; every text in it is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from html import escape

from ..model import Note, parse_date
from ..schema import DONE_STATUSES

WEEKS = 26


def week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def finished_per_week(notes: Iterable[Note], today: dt.date, weeks: int = WEEKS) -> list[tuple[dt.date, int]]:
    """(Monday, count) for the last `weeks` weeks up to this one, oldest first."""
    counts: Counter[dt.date] = Counter()
    for note in notes:
        if note.status in DONE_STATUSES and note.meta.get("finished") is not None:
            day = parse_date(note.meta["finished"])
            if day is not None:
                counts[week_of(day)] += 1
    last = week_of(today)
    return [(week, counts.get(week, 0)) for week in
            (last - dt.timedelta(weeks=back) for back in range(weeks - 1, -1, -1))]


def svg(weeks: list[tuple[dt.date, int]], title: str = "Items finished per week") -> str:
    """A bar per week, with the busiest week's count on the axis and a tooltip per bar."""
    width, height, left, bottom, top = 640, 170, 34, 26, 24
    most = max((count for _, count in weeks), default=0) or 1
    step = (width - left - 8) / max(len(weeks), 1)
    plot = height - bottom - top
    bars, labels = [], []
    for index, (week, count) in enumerate(weeks):
        x = left + index * step
        bar = plot * count / most
        tip = escape(f"Week of {week.isoformat()}: {count} finished")
        bars.append(f'<rect x="{x + 1:.1f}" y="{top + plot - bar:.1f}" width="{max(step - 2, 1):.1f}" '
                    f'height="{bar:.1f}" fill="currentColor" opacity="0.75"><title>{tip}</title></rect>')
        if index % 4 == 0:
            labels.append(f'<text x="{x + 1:.1f}" y="{height - 8}" font-size="10">'
                          f"{escape(week.strftime('%b %d'))}</text>")
    total = sum(count for _, count in weeks)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="kb-chart" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}: {total} in '
            f'{len(weeks)} weeks" font-family="sans-serif">'
            f'<text x="{left}" y="14" font-size="12">{escape(title)} ({total} in {len(weeks)} weeks)</text>'
            f'<text x="{left - 6}" y="{top + 9}" font-size="10" text-anchor="end">{most}</text>'
            f'<text x="{left - 6}" y="{top + plot}" font-size="10" text-anchor="end">0</text>'
            f'<line x1="{left}" y1="{top + plot}" x2="{width - 8}" y2="{top + plot}" stroke="currentColor" '
            f'stroke-width="0.5"/>{"".join(bars)}{"".join(labels)}</svg>')
