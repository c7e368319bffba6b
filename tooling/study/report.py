"""`kb report` in four formats: JSON (data), Markdown and HTML (with the weekly chart as an SVG), CSV.

`report_data` keeps every key `kb report --json` always had (counts, in_progress, next_up,
study_order, plans; the same values, without building the whole graph) and adds `plan_progress` (quotas, deadlines), `next` (the order of `kb next`,
with reasons), `finished_per_week` and `reviews_due`. With a plan, the report is that plan's:
its progress, what it needs next, and its items finished per week.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from html import escape
from typing import Any

from .. import reports
from ..base import KnowledgeBase
from ..schema import DONE_STATUSES
from .chart import finished_per_week, svg
from .next import reading_order
from .plans import Plan, find_plan, group_text, plan_of, plans, progress_text
from .review import due

FORMATS = ("text", "md", "html", "csv", "json")


def report_data(kb: KnowledgeBase, limit: int, today: dt.date, plan: str | None = None) -> dict[str, Any]:
    if plan is not None:
        note = find_plan(kb, plan)
        chosen = plan_of(kb, note, today)
        members = {m for g in chosen.groups for m in g.members}
        weeks = finished_per_week((kb.index.notes[m] for m in members), today)
        return {"today": today.isoformat(), "plan": chosen.as_dict(),
                "next": [s.as_dict() for s in reading_order(kb, today, plan=note.id, plans_=[chosen])[:limit]],
                "finished_per_week": _weeks(weeks)}
    every_plan = plans(kb, today)
    data: dict[str, Any] = {
        "counts": reports.status_counts(kb),
        "in_progress": [n.id for n in reports.in_progress(kb)][:limit],
        "next_up": [n.id for n in reports.next_up(kb, limit)],
        "study_order": [{"concept": s.note.id, "after": s.waiting_on} for s in reports.study_plan(kb)][:limit],
        "plans": [_listed(kb, plan) for plan in every_plan],
    }
    data.update({
        "today": today.isoformat(),
        "plan_progress": [p.as_dict() for p in every_plan],
        "next": [s.as_dict() for s in reading_order(kb, today, plans_=every_plan)[:limit]],
        "finished_per_week": _weeks(finished_per_week(kb.index.notes.values(), today)),
        "reviews_due": [state.note for state in due(kb, today)],
    })
    return data


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


# --- Markdown ---------------------------------------------------------------------------------

def as_markdown(data: dict[str, Any], titles: dict[str, str]) -> str:
    def name(node: str) -> str:
        return f"{_md(titles.get(node, node))} (`{node}`)"

    out = [f"# Study report, {data['today']}\n"]
    if "counts" in data:
        out.append("## Progress\n")
        out += [f"- {kind}s: " + ", ".join(f"{n} {s}" for s, n in counts.items())
                for kind, counts in data["counts"].items()]
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
            f"<li>{escape(kind)}s: " + escape(", ".join(f"{n} {s}" for s, n in counts.items())) + "</li>"
            for kind, counts in data["counts"].items()) + "</ul>")
        out.append("<h2>In progress</h2>" + items(data["in_progress"]))
    out.append("<h2>What next</h2><ol>" + "".join(
        f"<li>{name(step['id'])}: {escape('; '.join(step['reasons']))}</li>" for step in data["next"]) + "</ol>")
    out.append("<h2>Plans</h2>")
    for plan in _plans(data):
        out.append(f"<h3>{escape(plan['title'])}: {escape(progress_text(plan))}</h3>")
        if plan.get("goal"):
            out.append(f"<p>Goal: {escape(str(plan['goal']))}</p>")
        rows = "".join(
            f"<tr><td>{escape(group_text(g))}</td><td>" + ", ".join(
                f"<s>{escape(m)}</s>" if m in g["done"] else escape(m) for m in g["members"]) + "</td></tr>"
            for g in plan["groups"])
        out.append(f"<table><tbody>{rows}</tbody></table>")
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
    """One row per item: what next (with reasons), then every plan member (done or not)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for step in data["next"]:
        writer.writerow(("next", "", "", step["id"], step["title"], step["status"], "; ".join(step["reasons"])))
    for plan in _plans(data):
        for group in plan["groups"]:
            for member in group["members"]:
                writer.writerow(("plan", plan["plan"], group["group"], member, titles.get(member, member),
                                 statuses.get(member) or "", "done" if member in group["done"] else ""))
    for week in data["finished_per_week"]:
        writer.writerow(("finished-per-week", "", "", "", "", "", f"{week['week']}: {week['finished']}"))
    return out.getvalue()


def render(kb: KnowledgeBase, data: dict[str, Any], fmt: str) -> str:
    """The report in a format of FORMATS other than `text` (which the CLI prints itself)."""
    import json

    titles = {note.id: note.title for note in kb.index.notes.values()}
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "md":
        return as_markdown(data, titles)
    if fmt == "html":
        return as_html(data, titles)
    if fmt == "csv":
        return as_csv(data, titles, {note.id: note.status for note in kb.index.notes.values()})
    raise ValueError(f"unknown report format {fmt!r}")
