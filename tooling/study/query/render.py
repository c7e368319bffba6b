"""Query results for people and programs: an aligned text table, CSV, JSON, or HTML.

HTML escapes every value (titles and front matter are user text) and links each note through the
`href` the caller gives (the site computes page-relative URLs; other callers may give none).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from html import escape
from typing import Any

from .engine import QueryResult, RawResult


def show(value: Any) -> str:
    """A value as a cell: lists joined by commas, nothing for a missing value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(show(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _header_and_cells(result: QueryResult) -> tuple[list[str], list[list[str]]]:
    header = ([] if result.without_id else ["id"]) + result.columns
    if result.kind == "list" and not result.columns:
        header = ["id", "title"]
    rows = []
    for row in result.rows:
        cells = [] if result.without_id else [row.id]
        if result.kind == "list" and not result.columns:
            cells.append(row.title)
        rows.append(cells + [show(v) for v in row.values])
    return header, rows


def as_text(result: QueryResult, width: int = 40) -> str:
    """Aligned columns, each cut at `width` characters, then a count."""
    header, rows = _header_and_cells(result)
    cut = [[c if len(c) <= width else c[: width - 1] + "…" for c in r] for r in [header, *rows]]
    sizes = [max(len(r[i]) for r in cut) for i in range(len(header))]
    lines = ["  ".join(c.ljust(s) for c, s in zip(r, sizes)).rstrip() for r in cut]
    lines.insert(1, "  ".join("-" * s for s in sizes))
    count = len(result.rows)
    return "\n".join(lines) + f"\n({count} note{'s' * (count != 1)})"


def as_csv(result: QueryResult) -> str:
    header, rows = _header_and_cells(result)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def as_json(result: QueryResult) -> str:
    return json.dumps(result.as_records(), indent=2, ensure_ascii=False, default=str)


def as_html(result: QueryResult, href: Callable[[str], str | None] | None = None) -> str:
    """A table (TABLE) or a list (LIST) of the results; `kb-empty` text when there are none."""
    def link(note_id: str, title: str) -> str:
        target = href(note_id) if href else None
        text = escape(title)
        return f'<a class="kb-link" href="{escape(target)}">{text}</a>' if target else text

    if not result.rows:
        return '<p class="kb-empty kb-query-empty">No notes match this query.</p>'
    if result.kind == "list":
        items = []
        for row in result.rows:
            extra = f" <span class=\"kb-query-value\">{escape(show(row.values[0]))}</span>" \
                if row.values and row.values[0] is not None else ""
            items.append(f"<li>{link(row.id, row.title)}{extra}</li>")
        return f'<ul class="kb-list kb-query">{"".join(items)}</ul>'
    # TABLE: the note's title is the link; a `title` column takes that role when asked for.
    titled = "title" in result.columns
    head = ([] if result.without_id or titled else ["Note"]) + result.columns
    body = []
    for row in result.rows:
        cells = [] if result.without_id or titled else [link(row.id, row.title)]
        for name, value in zip(result.columns, row.values):
            cells.append(link(row.id, show(value) or row.id) if name == "title" else escape(show(value)))
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    thead = "".join(f"<th>{escape(h)}</th>" for h in head)
    return (f'<table class="kb-table kb-query"><thead><tr>{thead}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def raw(result: RawResult, fmt: str) -> str:
    """Rows of raw SQL: an aligned table, JSON records or CSV."""
    if fmt == "json":
        records = [dict(zip(result.columns, row)) for row in result.rows]
        return json.dumps(records, indent=2, ensure_ascii=False, default=str) + "\n"
    out = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(result.rows)
        return out.getvalue()
    cells = [result.columns, *[[show(v) for v in row] for row in result.rows]]
    sizes = [max(len(str(r[i])[:40]) for r in cells) for i in range(len(result.columns))]
    lines = ["  ".join(str(c)[:40].ljust(s) for c, s in zip(r, sizes)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * s for s in sizes))
    return "\n".join(lines) + f"\n({len(result.rows)} row{'s' * (len(result.rows) != 1)})\n"
