"""HTML fragments of the study tracker for the site: plan progress with quotas, a concept's next
review, the chart of items finished per week, and the dashboard's query blocks.

The page generators (`pages.py`) and the card (`render.py`) call these; everything shown is
escaped. "Today" is the day of the build.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..base import KnowledgeBase
from ..model import Note
from ..study.chart import finished_per_week, svg
from ..study.plans import Plan, group_progress, group_text, plan_of, plans, progress_text
from ..study.review import due, schedule
from .render import esc

if TYPE_CHECKING:
    from .render import Renderer

REVIEWS_DUE = """```kb-query
TABLE next_review AS "due", reviews FROM concepts WHERE next_review <= date(today) SORT next_review
```"""
READING_LIST = """```kb-query
TABLE year, priority, tags FROM papers WHERE status = "to-read" AND priority = "high" SORT year DESC LIMIT 10
```"""


def dashboard_markdown(kb: KnowledgeBase, today: dt.date) -> str:
    """The dashboard's sections written as kb-query blocks, like any note could write them."""
    count = len(due(kb, today))
    return (f"## Reviews due: {count}\n\n{REVIEWS_DUE}\n\n"
            f"## Reading list: high priority\n\n{READING_LIST}\n")


def plan_groups_html(r: Renderer, src: str, plan: Plan) -> str:
    """Each group with its progress (quota or all), its query if any, and its members."""
    parts = []
    for group, summary in zip(plan.groups, plan.as_dict()["groups"]):
        parts.append(f'<h3 class="kb-plan-group">{esc(group.name)} '
                     f'<span class="kb-progress">{esc(group_progress(summary))}</span></h3>')
        if group.query:
            parts.append(f'<p class="kb-plan-query">Members found by <code>{esc(group.query)}</code></p>')
        parts.append(r.node_list(src, group.members) or '<p class="kb-empty">No notes yet.</p>')
    return "\n".join(parts)


def plan_card_html(r: Renderer, note: Note, src: str) -> str:
    """A plan page's card: goal, rule, overall progress, then the groups."""
    plan = plan_of(r.site.kb, note, dt.date.today())
    parts = []
    for key in ("goal", "rule"):  # the due date is among the card's dates
        if note.meta.get(key):
            parts.append(f'<p class="kb-plan-{key}"><strong>{key.capitalize()}:</strong> '
                         f"{esc(note.meta[key])}</p>")
    parts.append(f'<p class="kb-plan-progress">{progress_html(plan)}</p>')
    parts.append(plan_groups_html(r, src, plan))
    return "\n".join(parts)


def progress_html(plan: Plan) -> str:
    """`3/15 required done` as a progress bar and words, flagged overdue or due soon."""
    summary = plan.as_dict()
    flag = " kb-overdue" if plan.overdue else " kb-due-soon" if plan.due_soon else ""
    return (f'<progress max="{max(plan.required, 1)}" value="{plan.counted}"></progress> '
            f'<span class="kb-progress{flag}">{esc(progress_text(summary))}</span>')


def plans_html(r: Renderer, src: str, kb: KnowledgeBase, today: dt.date, groups: bool = False) -> str:
    """Every plan with its progress (and, with `groups`, each group's members)."""
    parts = []
    for plan in plans(kb, today):
        parts.append(f'<h3 id="plan-{esc(plan.note.id)}">{r.link(src, plan.note.id)}</h3>'
                     f"<p>{progress_html(plan)}</p>")
        summaries = [group_text(g) for g in plan.as_dict()["groups"]]
        if groups:
            parts.append(plan_groups_html(r, src, plan))
        else:
            parts.append('<ul class="kb-plan-quotas">' + "".join(f"<li>{esc(s)}</li>" for s in summaries)
                         + "</ul>")
    return "\n".join(parts)


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
    return f'<figure class="kb-chart-figure">{svg(finished_per_week(kb.index.notes.values(), today))}</figure>'
