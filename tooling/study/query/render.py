"""Query results for people and programs: an aligned text table, CSV, JSON, or HTML.

Cells are shown by what they hold: a list joined by commas, a duration as `3 days`, a note (a
link column: `file.link`, `file.inlinks`, `rows`) by its id in text and as a link on the site. CSV
cells a spreadsheet would run as formulas are quoted and JSON never holds Infinity (`safe.py`).
The text table fits the terminal, cutting the widest columns first. HTML escapes every value
(titles and front matter are user text), links each note through the `href` the caller gives,
and shows at most `MAX_ROWS` rows and `MAX_HTML` bytes: one block cannot make a page of megabytes.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from html import escape
from typing import Any

from ..safe import csv_cell, finite
from .engine import QueryResult, RawResult

MAX_ROWS = 1000  # rows of one query block on a page
MAX_HTML = 1_000_000  # characters of one query block on a page
MIN_CELL = 12  # a cut column keeps at least this many characters


def show(value: Any, kind: str = "value") -> str:
    """A value as a cell: lists joined by commas, nothing for a missing value."""
    if value is None:
        return ""
    if kind == "duration" and isinstance(value, (int, float)):
        return duration_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(show(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(finite(value), ensure_ascii=False, default=str)
    return str(value)


def duration_text(seconds: float) -> str:
    """`3 days`, `1 day, 4 hours`, `-2 weeks`, `30 seconds`: the two largest units."""
    sign, left = ("-" if seconds < 0 else ""), abs(seconds)
    parts: list[str] = []
    for name, size in (("year", 365 * 86400), ("week", 7 * 86400), ("day", 86400), ("hour", 3600),
                       ("minute", 60), ("second", 1)):
        count = int(left // size)
        if count and len(parts) < 2:
            parts.append(f"{count} {name}{'s' * (count != 1)}")
            left -= count * size
    return sign + (", ".join(parts) or "0 seconds")


def _header(result: QueryResult) -> list[str]:
    first = [] if result.without_id else [result.group] if result.group is not None else ["id"]
    if result.kind == "list" and not result.columns and result.group is None:
        return ["id", "title"]
    return first + result.columns


def _header_and_cells(result: QueryResult) -> tuple[list[str], list[list[str]]]:
    rows = []
    for row in result.rows:
        cells = [] if result.without_id else [row.id]
        if result.kind == "list" and not result.columns and result.group is None:
            cells.append(row.title)
        rows.append(cells + [show(v, k) for v, k in zip(row.values, result.kinds)])
    return _header(result), rows


def as_text(result: QueryResult, width: int | None = None) -> str:
    """Aligned columns fitting `width` (the terminal's, by default), then a count."""
    header, rows = _header_and_cells(result)
    table = aligned([header, *rows], width)
    count = len(result.rows)
    what = "group" if result.group is not None else "note"
    return table + f"\n({count} {what}{'s' * (count != 1)})"


def aligned(table: list[list[str]], width: int | None = None) -> str:
    """Rows of cells in columns two spaces apart, the widest columns cut (with `…`) until the
    table fits `width`; a line under the header."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    flat = [[" ".join(cell.split()) for cell in row] for row in table]
    sizes = [max(len(row[i]) for row in flat) for i in range(len(flat[0]))] if flat and flat[0] else []
    while sizes and sum(sizes) + 2 * (len(sizes) - 1) > width:
        widest = max(range(len(sizes)), key=lambda i: sizes[i])
        excess = sum(sizes) + 2 * (len(sizes) - 1) - width
        cut = max(MIN_CELL, sizes[widest] - excess)
        if cut >= sizes[widest]:
            break  # every column is as narrow as it may be: let the terminal wrap
        sizes[widest] = cut
    cut_rows = [[c if len(c) <= s else c[: s - 1] + "…" for c, s in zip(row, sizes)] for row in flat]
    lines = ["  ".join(c.ljust(s) for c, s in zip(row, sizes)).rstrip() for row in cut_rows]
    lines.insert(1, "  ".join("-" * s for s in sizes))
    return "\n".join(lines)


def as_csv(result: QueryResult) -> str:
    header, rows = _header_and_cells(result)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(h) for h in header])
    writer.writerows([[csv_cell(c) for c in row] for row in rows])
    return out.getvalue()


def as_json(result: QueryResult) -> str:
    return json.dumps(finite(result.as_records()), indent=2, ensure_ascii=False, default=str, allow_nan=False)


def as_html(result: QueryResult, href: Callable[[str], str | None] | None = None,
            max_rows: int | None = None, max_html: int | None = None) -> tuple[str, int]:
    """A table (TABLE) or a list (LIST) of the results, `kb-empty` text when there are none; and
    how many rows it shows (fewer than the results when the bounds cut it)."""
    def link(note_id: str, title: str | None = None) -> str:
        target = href(note_id) if href else None
        text = escape(title if title is not None else note_id)
        return f'<a class="kb-link" href="{escape(target)}">{text}</a>' if target else text

    def cell(value: Any, kind: str) -> str:
        if kind == "link" and isinstance(value, str):
            return link(value)
        if kind == "links" and isinstance(value, list):
            return ", ".join(link(v) if isinstance(v, str) else escape(show(v)) for v in value)
        return escape(show(value, kind))

    if not result.rows:
        return '<p class="kb-empty kb-query-empty">No notes match this query.</p>', 0
    max_rows = MAX_ROWS if max_rows is None else max_rows
    max_html = MAX_HTML if max_html is None else max_html
    grouped = result.group is not None
    parts, size, shown = [], 0, 0
    for row in result.rows[:max_rows]:
        if grouped:
            head = cell(row.key, result.key_kind)
        else:
            head = link(row.id, row.title)
        if result.kind == "list":
            extra = ""
            if row.values and row.values[0] is not None:
                extra = f' <span class="kb-query-value">{cell(row.values[0], result.kinds[0])}</span>'
            part = f"<li>{'' if result.without_id else head}{extra}</li>"
        else:
            titled = "title" in result.columns and not grouped
            cells = [] if result.without_id or titled else [head]
            for name, value, kind in zip(result.columns, row.values, result.kinds):
                cells.append(link(row.id, show(value) or row.id) if name == "title" and not grouped
                             else cell(value, kind))
            part = "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
        size += len(part)
        if size > max_html and shown:
            break
        parts.append(part)
        shown += 1
    if result.kind == "list":
        return f'<ul class="kb-list kb-query">{"".join(parts)}</ul>', shown
    titled = "title" in result.columns and not grouped
    first = [result.group or "Note"] if not (result.without_id or titled) else []
    thead = "".join(f"<th>{escape(h)}</th>" for h in first + result.columns)
    return (f'<table class="kb-table kb-query"><thead><tr>{thead}</tr></thead>'
            f'<tbody>{"".join(parts)}</tbody></table>'), shown


def raw(result: RawResult, fmt: str, width: int | None = None) -> str:
    """Rows of raw SQL: an aligned table, JSON records or CSV."""
    if fmt == "json":
        records = [dict(zip(result.columns, row)) for row in result.rows]
        return json.dumps(finite(records), indent=2, ensure_ascii=False, default=str, allow_nan=False) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([csv_cell(c) for c in result.columns])
        writer.writerows([[csv_cell(v) for v in row] for row in result.rows])
        return out.getvalue()
    table = aligned([list(result.columns), *[[show(v) for v in row] for row in result.rows]], width)
    return table + f"\n({len(result.rows)} row{'s' * (len(result.rows) != 1)})\n"
