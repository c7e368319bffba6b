"""HTML fragments of the study tracker for the site: what next (the order and reasons of `kb
next`), plan progress with quotas and gaps, a concept's next review, reviews due, the chart of
items finished per week.

The page generators (`pages.py`) and the card (`card.py`) call these; everything shown is
escaped. "Today" is the day of the build. The order of every list of what to read is the one
ranking of `study/next.py`, computed once per build and day (`ranked`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..base import KnowledgeBase
from ..model import Note
from ..study.chart import finished_per_week, svg
from ..study.gaps import gap_of, plan_summary
from ..study.next import Step, reading_order
from ..study.plans import Plan, group_progress, group_text, plan_of, plans, progress_text
from ..study.review import ReviewState, schedule
from .render import esc

if TYPE_CHECKING:
    from .render import Renderer

NEXT_ON_HOME = 10  # items of what next on the home page and on a plan page


def build_plans(kb: KnowledgeBase, today: dt.date) -> list[Plan]:
    """The base's plans, built once per base and day (the home and reading pages both show them)."""
    return kb.derived(plans, today)


def ranked(kb: KnowledgeBase, today: dt.date) -> list[Step]:
    """Every open item in the order of `kb next`, built once per base and day."""
    return kb.derived(_ranked, today)


def _ranked(kb: KnowledgeBase, today: dt.date) -> list[Step]:
    return reading_order(kb, today, plans_=build_plans(kb, today))


def plan_view(kb: KnowledgeBase, today: dt.date, note_id: str) -> tuple[Plan, list[Step]]:
    """A plan page's plan and what it needs next (in the order of `kb next --plan`), computed
    once per base and day: the plan's card draws them and the card's input digests them."""
    return kb.derived(_plan_view, today, note_id)


def _plan_view(kb: KnowledgeBase, today: dt.date, note_id: str) -> tuple[Plan, list[Step]]:
    note = kb.index.notes[note_id]
    plan = next((p for p in build_plans(kb, today) if p.note.id == note_id), None) \
        or plan_of(kb, note, today)
    return plan, reading_order(kb, today, plan=note_id, plans_=[plan])[:NEXT_ON_HOME]


def summary_of(kb: KnowledgeBase, plan: Plan) -> dict[str, Any]:
    """A plan's progress and gaps (`plan_summary`), computed once per build for the home page,
    the reading lists and the plan's own page."""
    done = kb.derived(_summaries)
    key = (plan.note.id, plan.today)
    if key not in done:
        done[key] = plan_summary(kb, plan)
    return done[key]


def _summaries(kb: KnowledgeBase) -> dict[tuple[str, dt.date], dict[str, Any]]:
    return {}  # filled by summary_of, one plan and day at a time


def next_html(r: Renderer, src: str, steps: list[Step]) -> str:
    """What next as a numbered list: each item linked, with kind, status and its reasons."""
    items = "".join(
        f'<li data-kb-id="{esc(step.note.id)}">{r.link(src, step.note.id)} '
        f'<span class="kb-kind">{esc(step.note.kind)}</span> {r.status_badge(step.note.status)} '
        f'<span class="kb-needs kb-reasons">{esc("; ".join(step.reasons))}</span></li>'
        for step in steps)
    return f'<ol class="kb-list kb-next">{items}</ol>' if items else ""


def gaps_html(r: Renderer, src: str, summary: dict[str, Any], group: str) -> str:
    """A group's gap (members still to find) and the candidates that could fill it."""
    gap = gap_of(summary, group)
    if gap is None:
        return ""
    head = (f'<p class="kb-plan-gap">{gap["missing"]} more to find'
            + ("; candidates from the base:" if gap["candidates"] else "; no candidate in the base yet.")
            + "</p>")
    items = "".join(f'<li>{r.link(src, c["id"])} <span class="kb-needs kb-reasons">{esc(c["reason"])}</span></li>'
                    for c in gap["candidates"])
    return head + (f'<ul class="kb-list kb-candidates">{items}</ul>' if items else "")


def plan_groups_html(r: Renderer, src: str, plan: Plan, summary: dict[str, Any]) -> str:
    """Each group with its progress (quota or all), its query if any, its members and its gap."""
    parts = []
    for group, shown in zip(plan.groups, summary["groups"]):
        parts.append(f'<h3 class="kb-plan-group">{esc(group.name)} '
                     f'<span class="kb-progress">{esc(group_progress(shown))}</span></h3>')
        if group.query:
            parts.append(f'<p class="kb-plan-query">Members found by <code>{esc(group.query)}</code></p>')
        parts.append(r.node_list(src, group.members) or '<p class="kb-empty">No notes yet.</p>')
        parts.append(gaps_html(r, src, summary, group.name))
    return "\n".join(p for p in parts if p)


def plan_card_html(r: Renderer, note: Note, src: str) -> str:
    """A plan page's card: goal, rule, overall progress, what the plan needs next (in the order
    of `kb next --plan`), then the groups with their gaps."""
    kb, today = r.site.kb, r.today
    plan, steps = plan_view(kb, today, note.id)
    summary = summary_of(kb, plan)
    parts = []
    for key in ("goal", "rule"):  # the due date is among the card's dates
        if note.meta.get(key):
            parts.append(f'<p class="kb-plan-{key}"><strong>{key.capitalize()}:</strong> '
                         f"{esc(note.meta[key])}</p>")
    parts.append(f'<p class="kb-plan-progress">{progress_html(plan)}</p>')
    if steps:
        parts.append('<h2 id="plan-next">Next in this plan</h2>' + next_html(r, src, steps))
    parts.append(plan_groups_html(r, src, plan, summary))
    return "\n".join(parts)


def progress_html(plan: Plan) -> str:
    """`3 of 15 required done` as a progress bar and words, flagged overdue or due soon."""
    summary = plan.as_dict()
    flag = " kb-overdue" if plan.overdue else " kb-due-soon" if plan.due_soon else ""
    return (f'<progress max="{max(plan.required, 1)}" value="{plan.counted}"></progress> '
            f'<span class="kb-progress{flag}">{esc(progress_text(summary))}</span>')


def plans_html(r: Renderer, src: str, kb: KnowledgeBase, today: dt.date, groups: bool = False) -> str:
    """Every plan with its progress and gaps (and, with `groups`, each group's members)."""
    parts = []
    for plan in build_plans(kb, today):
        summary = summary_of(kb, plan)
        parts.append(f'<h3 id="plan-{esc(plan.note.id)}">{r.link(src, plan.note.id)}</h3>'
                     f"<p>{progress_html(plan)}</p>")
        if groups:
            parts.append(plan_groups_html(r, src, plan, summary))
            continue
        items = []
        for shown in summary["groups"]:
            items.append(f"<li>{esc(group_text(shown))}{gaps_html(r, src, summary, shown['group'])}</li>")
        parts.append(f'<ul class="kb-plan-quotas">{"".join(items)}</ul>')
    return "\n".join(parts)


def reviews_html(r: Renderer, src: str, states: list[ReviewState], today: dt.date) -> str:
    """Concepts due for review, most overdue first, each with its due date."""
    def late(state: ReviewState) -> str:
        days = (today - state.due).days
        return f", {days} day{'s' * (days != 1)} ago" if days > 0 else ""

    items = "".join(f'<li>{r.link(src, s.note)} <span class="kb-needs">due {esc(s.due.isoformat())}'
                    f"{late(s)}</span></li>" for s in states)
    return f'<ul class="kb-list kb-reviews-due">{items}</ul>' if items else ""


def review_html(kb: KnowledgeBase, note: Note, today: dt.date) -> str:
    """A concept's next review date (and how many reviews it has had), or nothing."""
    state = schedule(kb, today).get(note.id)
    if state is None:
        return ""
    late = (today - state.due).days
    when = "due now" if late >= 0 else f"in {-late} day{'s' * (late != -1)}"
    return (f'<p class="kb-review">Next review: <strong>{esc(state.due.isoformat())}</strong> '
            f"({when}) · {state.reviews} review{'s' * (state.reviews != 1)} so far</p>")


def chart_html(kb: KnowledgeBase, today: dt.date) -> str:
    """The weekly chart, or nothing when nothing was finished in its weeks."""
    weeks = finished_per_week(kb.index.notes.values(), today)
    if not any(count for _, count in weeks):
        return ""
    return f'<figure class="kb-chart-figure">{svg(weeks)}</figure>'
