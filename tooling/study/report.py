"""`kb report` in five formats: text, JSON (data), Markdown and HTML (with the weekly chart as an
SVG), CSV. Every format shows the same things in the same order: counts, in progress, what next
(the order and reasons of `kb next`, `next.py`), plans with their gaps, reviews due.

`report_data` keeps every key `kb report --json` always had (counts, in_progress, next_up,
study_order, plans) and adds `plan_progress` (quotas, deadlines, gaps with candidates), `next`
(the order of `kb next`, with reasons), `finished_per_week` and `reviews_due`. `next_up` (papers
to read) and `study_order` (concepts to study) are the same ranking, split by kind. With a plan,
the report is that plan's: its progress and gaps, what it needs next, its items finished per week.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from html import escape
from typing import Any

from .. import reports
from ..base import KnowledgeBase
from ..schema import CONCEPT, DONE_STATUSES, PAPER, REPORT_FORMATS, TO_READ
from .chart import finished_per_week, svg
from .gaps import gap_of, plan_summary
from .next import reading_order
from .plans import Plan, find_plan, group_text, plan_of, plans, progress_text
from .review import due
from .safe import csv_cell, finite

FORMATS = REPORT_FORMATS


def report_data(kb: KnowledgeBase, limit: int, today: dt.date, plan: str | None = None) -> dict[str, Any]:
    if plan is not None:
        note = find_plan(kb, plan)
        chosen = plan_of(kb, note, today)
        members = {m for g in chosen.groups for m in g.members}
        weeks = finished_per_week((kb.index.notes[m] for m in members), today)
        return {"today": today.isoformat(), "plan": plan_summary(kb, chosen),
                "next": [s.as_dict() for s in reading_order(kb, today, plan=note.id, plans_=[chosen])[:limit]],
                "finished_per_week": _weeks(weeks)}
    every_plan = plans(kb, today)
    order = reading_order(kb, today, plans_=every_plan)
    return {
        "counts": reports.status_counts(kb),
        "in_progress": [n.id for n in reports.in_progress(kb)][:limit],
        "next_up": [s.note.id for s in order if s.note.kind == PAPER and s.note.status == TO_READ][:limit],
        "study_order": [{"concept": s.note.id, "after": s.after} for s in order
                        if s.note.kind == CONCEPT][:limit],
        "plans": [_listed(kb, p) for p in every_plan],
        "today": today.isoformat(),
        "plan_progress": [plan_summary(kb, p) for p in every_plan],
        "next": [s.as_dict() for s in order[:limit]],
        "finished_per_week": _weeks(finished_per_week(kb.index.notes.values(), today)),
        "reviews_due": [state.note for state in due(kb, today)],
    }


def _listed(kb: KnowledgeBase, plan: Plan) -> dict[str, Any]:
    """A plan as `kb report --json` always showed it: the ids it lists, by group (each id once),
    and how many of them are done; computed from the plan, not the whole graph."""
    groups: dict[str, list[str]] = {}
    seen: set[str] = set()
    for group in plan.groups:
        fresh = [node for node in group.listed if node not in seen]
        seen.update(fresh)
        if fresh:
            groups[group.name] = fresh
    done = sum(1 for node in seen if (note := kb.note(node)) is not None and note.status in DONE_STATUSES)
    return {"plan": plan.note.id, "done": done, "total": len(seen), "groups": groups}


def _weeks(weeks: list[tuple[dt.date, int]]) -> list[dict[str, Any]]:
    return [{"week": week.isoformat(), "finished": count} for week, count in weeks]


def chart(data: dict[str, Any]) -> str:
    weeks = [(dt.date.fromisoformat(w["week"]), w["finished"]) for w in data["finished_per_week"]]
    return svg(weeks)


def _plans(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [data["plan"]] if "plan" in data else data["plan_progress"]


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {s}" for s, n in counts.items())


# --- text -------------------------------------------------------------------------------------

def step_lines(number: int, step: dict[str, Any], details: bool = True) -> list[str]:
    """One item of the order as `kb next` prints it: number, id, title (and kind, status,
    priority, deadline), then its reasons on the next line."""
    extra = ""
    if details:
        shown = [step["kind"], step["status"], step["priority"] and f"{step['priority']} priority",
                 step["due"] and f"due {step['due']}"]
        extra = "  (" + ", ".join(x for x in shown if x) + ")"
    return [f"{number:>3}. {step['id']}  {step['title']}{extra}", f"     {'; '.join(step['reasons'])}"]


def gap_lines(plan: dict[str, Any], indent: str) -> list[str]:
    """Each gap of a plan summary with its candidates, one per line."""
    lines = []
    for gap in plan.get("gaps", ()):
        lines.append(f"{indent}{gap['group']}: {gap['missing']} more to find"
                     + ("; candidates:" if gap["candidates"] else " (no candidate in the base)"))
        lines += [f"{indent}  {c['id']}: {c['reason']}" for c in gap["candidates"]]
    return lines


def plan_lines(plan: dict[str, Any], indent: str = "  ", members: bool = False) -> list[str]:
    lines = [f"{plan['plan']}: {progress_text(plan)}"]
    for group in plan["groups"]:
        line = f"{indent}{group_text(group)}"
        if members and group["members"]:
            line += ": " + ", ".join(group["members"])
        lines.append(line)
    gaps = gap_lines(plan, indent * 2)
    if gaps:
        lines += [f"{indent}Gaps:", *gaps]
    return lines


def as_text(data: dict[str, Any], titles: dict[str, str]) -> str:
    lines = []
    if "counts" in data:
        lines += [f"{kind}s: {_counts(counts)}" for kind, counts in data["counts"].items()]
        lines.append("\nIn progress:")
        lines += [f"  {node}  {titles.get(node, node)}" for node in data["in_progress"]] or ["  (nothing)"]
    lines.append("\nWhat next:")
    for number, step in enumerate(data["next"], 1):
        lines += step_lines(number, step, details=False)
    if not data["next"]:
        lines.append("  (nothing left)")
    lines.append("\nPlans:" if "counts" in data else "\nPlan:")
    for plan in _plans(data):
        lines += ["  " + line for line in plan_lines(plan, members="plan" in data)]
    if not _plans(data):
        lines.append("  (no plans)")
    if "reviews_due" in data:
        lines.append(f"\nReviews due: {len(data['reviews_due'])}"
                     + (f" ({', '.join(data['reviews_due'])})" if data["reviews_due"] else ""))
    return "\n".join(lines)


# --- Markdown ---------------------------------------------------------------------------------

def as_markdown(data: dict[str, Any], titles: dict[str, str]) -> str:
    def name(node: str) -> str:
        return f"{_md(titles.get(node, node))} (`{node}`)"

    out = [f"# Study report, {data['today']}\n"]
    if "counts" in data:
        out.append("## Progress\n")
        out += [f"- {kind}s: {_counts(counts)}" for kind, counts in data["counts"].items()]
        out.append("\n## In progress\n")
        out += [f"- {name(node)}" for node in data["in_progress"]] or ["- (nothing)"]
    out.append("\n## What next\n")
    out += [f"{i}. {name(step['id'])}: {_md('; '.join(step['reasons']))}"
            for i, step in enumerate(data["next"], 1)] or ["- (nothing left)"]
    out.append("\n## Plans\n")
    for plan in _plans(data):
        out.append(f"### {_md(plan['title'])}: {progress_text(plan)}\n")
        if plan.get("goal"):
            out.append(f"Goal: {_md(str(plan['goal']))}\n")
        for group in plan["groups"]:
            members = ", ".join(("~~" + node + "~~") if node in group["done"] else node
                                for node in group["members"])
            out.append(f"- {_md(group_text(group))}: {members or '(none yet)'}")
            gap = gap_of(plan, group["group"])
            if gap is not None:
                out += [f"    - candidate {name(c['id'])}: {_md(c['reason'])}" for c in gap["candidates"]]
        out.append("")
    if "reviews_due" in data:
        out.append(f"## Reviews due ({len(data['reviews_due'])})\n")
        out += [f"- {name(node)}" for node in data["reviews_due"]] or ["- (none)"]
    out.append("\n## Finished per week\n")
    out.append(chart(data) + "\n")
    return "\n".join(out)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace("*", "\\*").replace("_", "\\_")


# --- HTML -------------------------------------------------------------------------------------

def as_html(data: dict[str, Any], titles: dict[str, str]) -> str:
    """A standalone page: inline style, no script, nothing loaded from anywhere."""
    def name(node: str) -> str:
        return f"{escape(titles.get(node, node))} <code>{escape(node)}</code>"

    def items(nodes: list[str]) -> str:
        return "<ul>" + "".join(f"<li>{name(n)}</li>" for n in nodes) + "</ul>" if nodes else "<p>(nothing)</p>"

    out = [f"<h1>Study report, {escape(data['today'])}</h1>"]
    if "counts" in data:
        out.append("<h2>Progress</h2><ul>" + "".join(
            f"<li>{escape(kind)}s: {escape(_counts(counts))}</li>"
            for kind, counts in data["counts"].items()) + "</ul>")
        out.append("<h2>In progress</h2>" + items(data["in_progress"]))
    out.append('<h2>What next</h2><ol class="kb-next">' + "".join(
        f'<li data-id="{escape(step["id"])}">{name(step["id"])}: {escape("; ".join(step["reasons"]))}</li>'
        for step in data["next"]) + "</ol>")
    out.append("<h2>Plans</h2>")
    for plan in _plans(data):
        out.append(f"<h3>{escape(plan['title'])}: {escape(progress_text(plan))}</h3>")
        if plan.get("goal"):
            out.append(f"<p>Goal: {escape(str(plan['goal']))}</p>")
        rows = []
        for g in plan["groups"]:
            members = ", ".join(f"<s>{escape(m)}</s>" if m in g["done"] else escape(m) for m in g["members"])
            gap = gap_of(plan, g["group"])
            if gap is not None and gap["candidates"]:
                members += "<br>Candidates: " + "; ".join(
                    f"{name(c['id'])} ({escape(c['reason'])})" for c in gap["candidates"])
            rows.append(f"<tr><td>{escape(group_text(g))}</td><td>{members}</td></tr>")
        out.append(f"<table><tbody>{''.join(rows)}</tbody></table>")
    if "reviews_due" in data:
        out.append(f"<h2>Reviews due ({len(data['reviews_due'])})</h2>" + items(data["reviews_due"]))
    out.append("<h2>Finished per week</h2>" + chart(data))
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Study report</title>"
            "<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;"
            "line-height:1.5}td{padding:.2rem .6rem;vertical-align:top}code{font-size:.85em}</style>"
            "</head><body>\n" + "\n".join(out) + "\n</body></html>\n")


# --- CSV --------------------------------------------------------------------------------------

CSV_COLUMNS = ("section", "plan", "group", "id", "title", "status", "detail")


def as_csv(data: dict[str, Any], titles: dict[str, str], statuses: dict[str, str | None]) -> str:
    """One row per fact: counts, in progress, what next (with reasons), every plan member (done
    or not) and gap candidate, reviews due, items finished per week. Cells a spreadsheet would
    read as a formula are quoted (`safe.csv_cell`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def row(*cells: Any) -> None:
        writer.writerow([csv_cell(cell) for cell in cells])

    def note(section: str, node: str, detail: str = "", plan: str = "", group: str = "") -> None:
        row(section, plan, group, node, titles.get(node, node), statuses.get(node) or "", detail)

    for kind, counts in data.get("counts", {}).items():
        for status, count in counts.items():
            row("count", "", kind, "", "", status, count)
    for node in data.get("in_progress", ()):
        note("in-progress", node)
    for step in data["next"]:
        note("next", step["id"], "; ".join(step["reasons"]))
    for plan in _plans(data):
        for group in plan["groups"]:
            for member in group["members"]:
                note("plan", member, "done" if member in group["done"] else "", plan["plan"], group["group"])
            gap = gap_of(plan, group["group"])
            for candidate in gap["candidates"] if gap else ():
                note("plan-candidate", candidate["id"], candidate["reason"], plan["plan"], group["group"])
    for node in data.get("reviews_due", ()):
        note("review-due", node)
    for week in data["finished_per_week"]:
        row("finished-per-week", "", "", "", "", "", f"{week['week']}: {week['finished']}")
    return out.getvalue()


def render(kb: KnowledgeBase, data: dict[str, Any], fmt: str) -> str:
    """The report in one of FORMATS."""
    import json

    titles = {note.id: note.title for note in kb.index.notes.values()}
    if fmt == "json":
        return json.dumps(finite(data), indent=2, ensure_ascii=False, default=str, allow_nan=False) + "\n"
    if fmt == "text":
        return as_text(data, titles)
    if fmt == "md":
        return as_markdown(data, titles)
    if fmt == "html":
        return as_html(data, titles)
    if fmt == "csv":
        return as_csv(data, titles, {note.id: note.status for note in kb.index.notes.values()})
    raise ValueError(f"unknown report format {fmt!r}")
