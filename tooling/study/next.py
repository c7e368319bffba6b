"""`kb next`: what to read or study next, in an order that can be defended, with its reasons.

Rules, in order:
1. never an item before its unfinished prerequisites (a concept's `prerequisites`; a paper's
   `concepts` count as its prerequisites);
2. then the earliest plan deadline (a prerequisite inherits the deadline of what needs it);
3. then priority (high, medium, low; none counts as medium; inherited like deadlines);
4. then closeness in the graph to what is in progress now (fewest links), then centrality (most
   links);
5. ties broken by id.
It is a topological sort that, among the items whose prerequisites are all placed, always takes
the one with the smallest (deadline, priority, distance, -degree, id).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from ..base import KnowledgeBase
from ..errors import KbError
from ..model import Note, parse_date
from ..schema import ACTIVE_STATUSES, CONCEPT, DONE_STATUSES, PAPER, PRIORITIES
from .plans import Plan, find_plan, plan_of, plans

NEAR = 2  # links: closer than this to something in progress is worth saying
_MEDIUM = PRIORITIES.index("medium")


@dataclass(slots=True)
class Step:
    """One item of the order, with why it is there."""

    note: Note
    reasons: list[str]
    due: dt.date | None = None  # the deadline it carries (its own or inherited)
    priority: str | None = None  # the priority it carries (its own or inherited)
    after: list[str] = field(default_factory=list)  # its unfinished prerequisites (all earlier)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.note.id, "title": self.note.title, "kind": self.note.kind,
                "status": self.note.status, "due": self.due.isoformat() if self.due else None,
                "priority": self.priority, "after": self.after, "reasons": self.reasons}


def open_item(note: Note | None) -> bool:
    return note is not None and note.kind in (PAPER, CONCEPT) and note.status not in DONE_STATUSES


def prerequisites(kb: KnowledgeBase) -> dict[str, list[str]]:
    """Item -> the unfinished items it needs first (concept prerequisites, a paper's concepts)."""
    needs: dict[str, list[str]] = defaultdict(list)
    for link in kb.links:
        target = link.target
        if link.type not in ("prerequisite", "concept") or target is None or target == link.source:
            continue
        source = kb.note(link.source)
        if source is None or not ((link.type == "prerequisite" and source.kind == CONCEPT)
                                  or (link.type == "concept" and source.kind == PAPER)):
            continue
        if open_item(kb.note(target)) and target not in needs[link.source]:
            needs[link.source].append(target)
    return needs


def reading_order(kb: KnowledgeBase, today: dt.date, plan: str | None = None,
                  tag: str | None = None, plans_: list[Plan] | None = None) -> list[Step]:
    """Open items (all, or a plan's, or a tag's) and their open prerequisites, in order.
    `plans_`: the base's plans when the caller has them already."""
    chosen = None
    if plan is not None:  # only that plan is built: only its members and deadlines count
        note = find_plan(kb, plan)
        chosen = next((p for p in plans_ or () if p.note.id == note.id), None) or plan_of(kb, note, today)
        counted = [chosen]
    else:
        counted = plans_ if plans_ is not None else plans(kb, today)
    needs = prerequisites(kb)
    wanted = _seeds(kb, chosen, tag)
    items = _closure(wanted, needs)
    deadline, member_of = _deadlines(counted, items)
    adjacency = _adjacency(kb)
    active = sorted(n.id for n in kb.index.notes.values() if n.status in ACTIVE_STATUSES)
    distance, nearest = _distances(adjacency, active)

    dependents: dict[str, list[str]] = defaultdict(list)
    for item in items:
        for need in needs.get(item, ()):
            if need in items:
                dependents[need].append(item)
    order = _topological(items, needs, dependents)
    rank = {item: _rank(kb.note(item)) for item in items}
    due_from: dict[str, tuple[dt.date, str, str]] = {}  # item -> (date, plan id, via item)
    for item in reversed(order):  # dependents first: they hand their deadline down
        own = deadline.get(item)
        if own is not None:
            due_from[item] = (own[0], own[1], item)
        for dependent in dependents[item]:
            if dependent in due_from and (item not in due_from or due_from[dependent][0] < due_from[item][0]):
                due_from[item] = (due_from[dependent][0], due_from[dependent][1], dependent)
            rank[item] = min(rank[item], rank[dependent])

    def key(item: str) -> tuple[Any, ...]:
        due = due_from.get(item)
        return (due[0] if due else dt.date.max, rank[item], distance.get(item, 99),
                -len(adjacency.get(item, ())), item)

    steps = []
    for item in _sorted(items, needs, dependents, key):
        note = kb.index.notes[item]
        due = due_from.get(item)
        step = Step(note, [], due[0] if due else None, PRIORITIES[rank[item]],
                    sorted(n for n in needs.get(item, ()) if n in items))
        step.reasons = _reasons(kb, step, member_of.get(item, []), due, dependents[item], rank,
                                distance.get(item), nearest.get(item), tag, today)
        steps.append(step)
    return steps


def _seeds(kb: KnowledgeBase, chosen: Plan | None, tag: str | None) -> set[str]:
    if chosen is not None:
        found = {m for g in chosen.groups if not g.complete for m in g.members if open_item(kb.note(m))}
    else:
        found = {n.id for n in kb.index.notes.values() if open_item(n)}
    if tag is not None:
        found = {i for i in found if tag in kb.index.notes[i].tags}
    return found


def _closure(seeds: set[str], needs: dict[str, list[str]]) -> set[str]:
    items, queue = set(seeds), deque(seeds)
    while queue:
        for need in needs.get(queue.popleft(), ()):
            if need not in items:
                items.add(need)
                queue.append(need)
    return items


def _deadlines(all_plans: list[Plan], items: set[str]) -> tuple[dict[str, tuple[dt.date, str]],
                                                                dict[str, list[tuple[Plan, Any]]]]:
    """Each item's earliest deadline from the plans still needing it, and its plan groups."""
    deadline: dict[str, tuple[dt.date, str]] = {}
    member_of: dict[str, list[tuple[Plan, Any]]] = defaultdict(list)
    for plan in all_plans:
        for group in plan.groups:
            if group.complete:
                continue
            for member in group.members:
                if member not in items:
                    continue
                member_of[member].append((plan, group))
                if plan.due is not None and (member not in deadline or plan.due < deadline[member][0]):
                    deadline[member] = (plan.due, plan.note.id)
    return deadline, member_of


def _adjacency(kb: KnowledgeBase) -> dict[str, set[str]]:
    adjacency: dict[str, set[str]] = defaultdict(set)
    for link in kb.links:
        if link.target is not None and link.target != link.source:  # an edge, self-links aside
            adjacency[link.source].add(link.target)
            adjacency[link.target].add(link.source)
    return adjacency


def _distances(adjacency: dict[str, set[str]], sources: list[str], limit: int = 4) -> tuple[dict[str, int], dict[str, str]]:
    """Links from the nearest source (breadth first, at most `limit`), and which source it is."""
    distance = {s: 0 for s in sources}
    nearest = {s: s for s in sources}
    queue = deque(sources)
    while queue:
        node = queue.popleft()
        if distance[node] >= limit:
            continue
        for other in sorted(adjacency.get(node, ())):
            if other not in distance:
                distance[other] = distance[node] + 1
                nearest[other] = nearest[node]
                queue.append(other)
    return distance, nearest


def _topological(items: set[str], needs: dict[str, list[str]], dependents: dict[str, list[str]]) -> list[str]:
    return _sorted(items, needs, dependents, lambda item: (item,))


def _sorted(items: set[str], needs: dict[str, list[str]], dependents: dict[str, list[str]],
            key: Any) -> list[str]:
    """Kahn's algorithm with a heap: prerequisites first, then the smallest key."""
    waiting = {item: sum(1 for n in needs.get(item, ()) if n in items) for item in items}
    heap = [(key(item), item) for item, count in waiting.items() if count == 0]
    heapq.heapify(heap)
    order = []
    while heap:
        _, item = heapq.heappop(heap)
        order.append(item)
        for dependent in dependents.get(item, ()):
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                heapq.heappush(heap, (key(dependent), dependent))
    if len(order) < len(items):
        stuck = sorted(item for item, count in waiting.items() if count > 0)
        raise KbError(f"prerequisites form a cycle among {', '.join(stuck[:6])}: no order exists "
                      "(kb check names the cycle)")
    return order


def _rank(note: Note | None) -> int:
    priority = note.meta.get("priority") if note is not None else None
    return PRIORITIES.index(priority) if priority in PRIORITIES else _MEDIUM


def _reasons(kb: KnowledgeBase, step: Step, groups: list[tuple[Plan, Any]],
             due: tuple[dt.date, str, str] | None, dependents: list[str], rank: dict[str, int],
             distance: int | None, nearest: str | None, tag: str | None, today: dt.date) -> list[str]:
    note = step.note
    reasons = []
    if note.status in ACTIVE_STATUSES:
        since = parse_date(note.meta.get("started")) if note.meta.get("started") else None
        reasons.append(f"in progress ({note.status}" + (f" since {since.isoformat()})" if since else ")"))
    for plan, group in groups:
        when = ""
        if plan.due is not None:
            when = f", {'overdue since' if plan.overdue else 'due'} {plan.due.isoformat()}"
        reasons.append(f"in plan {plan.note.id} ({group.name}: {group.counted}/{group.required} done{when})")
    if due is not None and due[2] != note.id:
        reasons.append(f"prerequisite of {due[2]}, which plan {due[1]} needs by {due[0].isoformat()}")
    others = sorted(d for d in dependents if due is None or d != due[2])
    if others:
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        reasons.append(f"prerequisite of {shown}")
    own = _rank(note)
    if note.meta.get("priority") in PRIORITIES:
        reasons.append(f"{note.meta['priority']} priority")
    if rank[note.id] < own:
        source = min(dependents, key=lambda d: (rank[d], d)) if dependents else None
        if source is not None:
            reasons.append(f"needed by {source} ({PRIORITIES[rank[source]]} priority)")
    if distance is not None and 0 < distance <= NEAR and nearest is not None:
        doing = kb.index.notes[nearest].status
        reasons.append(f"{distance} link{'s' * (distance != 1)} from {nearest}, which you are {doing}")
    if tag is not None:
        reasons.append(f"tagged {tag}")
    if not reasons:
        reasons.append("to read" if note.kind == PAPER else "to study")
    return reasons
