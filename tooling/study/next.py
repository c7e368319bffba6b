"""What to read or study next: the one ranking every surface shows (`kb next`, `kb report` in
every format, the site's home, reading-list and plan pages), with the reasons for each item.

Rules, in order:
1. never an item before its unfinished prerequisites (a concept's `prerequisites`; a paper's
   `concepts` count as its prerequisites);
2. then what active plans need (a plan is active while it is neither complete nor past its due
   date): first the members of their groups still short of what they require, then their other
   members (optional groups, groups already complete), then everything else; a prerequisite
   inherits the standing of what needs it;
3. then the earliest deadline among those active plans (inherited the same way);
4. then priority (high, medium, low; none counts as medium; inherited the same way);
5. then closeness in the study graph to what is in progress now (fewest links), then centrality
   (most papers and concepts linked with it): `nearness.py`, never author edges;
6. ties broken by id.
It is a topological sort that, among the items whose prerequisites are all placed, always takes
the one with the smallest key.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..base import KnowledgeBase, collector_paused
from ..errors import KbError
from ..model import Note, parse_date
from ..schema import ACTIVE_STATUSES, CONCEPT, DONE_STATUSES, PAPER, PRIORITIES, STUDY_KINDS
from .nearness import StudyGraph, study_graph
from .plans import Group, Plan, find_plan, plan_of, plans

if TYPE_CHECKING:
    import networkx as nx

NEAR = 2  # links: closer than this to something in progress is worth saying
_MEDIUM = PRIORITIES.index("medium")
# Standing: what an active plan still needs, then the rest of active plans, then everything else.
NEEDED, IN_PLAN, OTHER = 0, 1, 2


@dataclass(slots=True)
class Step:
    """One item of the order, with why it is there."""

    note: Note
    reasons: list[str]
    due: dt.date | None = None  # the deadline it carries (its own plan's or inherited)
    priority: str | None = None  # the priority it carries (its own or inherited)
    after: list[str] = field(default_factory=list)  # its unfinished prerequisites (all earlier)
    plan: str | None = None  # the active plan it serves (its own or inherited), if any

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.note.id, "title": self.note.title, "kind": self.note.kind,
                "status": self.note.status, "due": self.due.isoformat() if self.due else None,
                "priority": self.priority, "plan": self.plan, "after": self.after,
                "reasons": self.reasons}


@dataclass(slots=True)
class _Standing:
    """What an item carries into the key, and from whom it inherited it."""

    tier: int = OTHER
    due: dt.date | None = None
    plan: str | None = None
    via: str | None = None  # the dependent it inherited tier and deadline from (None: its own)


def open_item(note: Note | None) -> bool:
    return note is not None and note.kind in STUDY_KINDS and note.status not in DONE_STATUSES


def prerequisites(kb: KnowledgeBase) -> nx.DiGraph:
    """Item -> the unfinished items it needs first (concept prerequisites, a paper's concepts),
    as edges of a directed graph; computed once per base (the site asks for every plan page)."""
    return kb.derived(_prerequisites)


def _prerequisites(kb: KnowledgeBase) -> nx.DiGraph:
    import networkx as nx

    notes = kb.index.notes
    needs = nx.DiGraph()
    for link in kb.links:
        kind, target = link.type, link.target
        if kind not in ("prerequisite", "concept") or target is None or target == link.source:
            continue
        source = notes.get(link.source)
        if source is None or source.kind != (CONCEPT if kind == "prerequisite" else PAPER):
            continue
        if open_item(notes.get(target)):
            needs.add_edge(link.source, target)
    return needs


@collector_paused()
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
    import networkx as nx

    needs = prerequisites(kb)
    seeds = _seeds(kb, chosen, tag)
    items = _closure(seeds, needs)
    member_of = _memberships(counted, items)
    graph = study_graph(kb)
    active = [n.id for n in kb.index.notes.values() if n.status in ACTIVE_STATUSES and n.kind in STUDY_KINDS]
    distance, nearest = graph.distances(active)

    within = nx.DiGraph(needs.subgraph(items))  # what each item needs, among the items
    within.add_nodes_from(items)  # with the items that need nothing
    dependents: dict[str, list[str]] = defaultdict(list)
    for item, need in within.edges:
        dependents[need].append(item)
    for waiting in dependents.values():
        waiting.sort()
    order = _sorted(within, lambda item: (item,))
    standing = {item: _own_standing(member_of.get(item, [])) for item in items}
    rank = {item: _rank(kb.note(item)) for item in items}
    pulled_by: dict[str, str] = {}  # a prerequisite outside the seeds -> the dependent that pulled it in
    for item in reversed(order):  # dependents first: they hand their standing down
        for dependent in dependents[item]:
            _inherit(standing[item], standing[dependent], dependent)
            rank[item] = min(rank[item], rank[dependent])
            if item not in seeds and item not in pulled_by:
                pulled_by[item] = dependent

    def key(item: str) -> tuple[Any, ...]:
        held = standing[item]
        return (held.tier, held.due or dt.date.max, rank[item], distance.get(item, 99),
                -graph.degree(item), item)

    steps = []
    context = _Context(kb, graph, member_of, standing, dependents, rank, distance, nearest, seeds,
                       pulled_by, tag)
    for item in _sorted(within, key):
        note = kb.index.notes[item]
        held = standing[item]
        step = Step(note, [], held.due, PRIORITIES[rank[item]],
                    sorted(within.successors(item)) if item in within else [], held.plan)
        step.reasons = context.reasons(step)
        steps.append(step)
    return steps


def _seeds(kb: KnowledgeBase, chosen: Plan | None, tag: str | None) -> set[str]:
    if chosen is not None:
        found = {m for g in chosen.groups if not g.complete for m in g.members if open_item(kb.note(m))}
    else:
        found = {n.id for n in kb.index.notes.values() if open_item(n)}
    if tag is not None:
        found = {i for i in found if has_tag(kb.index.notes[i], tag)}
    return found


def has_tag(note: Note, tag: str) -> bool:
    """Whether the note carries the tag, read as Obsidian reads tags (`Note.tags`)."""
    return tag.lstrip("#") in note.tags


def _closure(seeds: set[str], needs: nx.DiGraph) -> set[str]:
    """The seeds and everything they need, however indirectly (a seed already reached from
    another adds nothing: what it needs was reached with it)."""
    import networkx as nx

    items: set[str] = set()
    for seed in sorted(seeds):
        if seed not in items and seed in needs:
            items |= nx.descendants(needs, seed)
    return items | seeds


def _memberships(counted: list[Plan], items: set[str]) -> dict[str, list[tuple[Plan, Group]]]:
    """Each item's (plan, group) memberships, across the plans that count."""
    member_of: dict[str, list[tuple[Plan, Group]]] = defaultdict(list)
    for plan in counted:
        for group in plan.groups:
            for member in group.members:
                if member in items:
                    member_of[member].append((plan, group))
    return member_of


def _own_standing(groups: list[tuple[Plan, Group]]) -> _Standing:
    """An item's standing from its own memberships: the best tier among active plans, and the
    earliest deadline among those of that tier."""
    best = _Standing()
    for plan, group in groups:
        if not plan.active:
            continue
        tier = NEEDED if not group.complete else IN_PLAN
        candidate = _Standing(tier, plan.due, plan.note.id)
        if _better(candidate, best):
            best = candidate
    return best


def _better(one: _Standing, other: _Standing) -> bool:
    return (one.tier, one.due or dt.date.max, one.plan or "") < (other.tier, other.due or dt.date.max,
                                                                 other.plan or "")


def _inherit(held: _Standing, dependent: _Standing, via: str) -> None:
    """A prerequisite takes the standing of what needs it when that is better than its own."""
    if dependent.tier < OTHER and _better(dependent, held):
        held.tier, held.due, held.plan, held.via = dependent.tier, dependent.due, dependent.plan, via


def _sorted(within: nx.DiGraph, key: Callable[[str], tuple[Any, ...]]) -> list[str]:
    """Prerequisites first, then the smallest key (networkx's lexicographical topological sort
    over need -> item edges; every key ends with the item's id, so no two tie)."""
    import networkx as nx

    order: list[str] = []
    try:
        order.extend(nx.lexicographical_topological_sort(within.reverse(copy=False), key=key))
    except nx.NetworkXUnfeasible:
        cycle = sorted({node for edge in nx.find_cycle(within) for node in edge[:2]})
        raise KbError(f"prerequisites form a cycle among {', '.join(cycle[:6])}: no order exists "
                      "(kb check names the cycle)") from None
    return order


def _rank(note: Note | None) -> int:
    priority = note.meta.get("priority") if note is not None else None
    return PRIORITIES.index(priority) if priority in PRIORITIES else _MEDIUM


@dataclass(slots=True)
class _Context:
    """Everything the reasons read: each says something true about why the item is where it is."""

    kb: KnowledgeBase
    graph: StudyGraph
    member_of: dict[str, list[tuple[Plan, Group]]]
    standing: dict[str, _Standing]
    dependents: dict[str, list[str]]
    rank: dict[str, int]
    distance: dict[str, int]
    nearest: dict[str, str]
    seeds: set[str]
    pulled_by: dict[str, str]
    tag: str | None

    def reasons(self, step: Step) -> list[str]:
        note = step.note
        reasons = []
        if note.status in ACTIVE_STATUSES:
            since = parse_date(note.meta.get("started")) if note.meta.get("started") else None
            reasons.append(f"in progress ({note.status}" + (f" since {since.isoformat()})" if since else ")"))
        reasons += [membership(plan, group) for plan, group in self.member_of.get(note.id, [])]
        source = None  # the dependent it takes a higher priority from
        if self.rank[note.id] < _rank(note):
            source = min(self.dependents[note.id], key=lambda d: (self.rank[d], d))
        named = self._whose(note.id, reasons, source)
        others = [d for d in self.dependents[note.id] if d not in named]
        if others:
            shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            reasons.append(f"prerequisite of {shown}")
        if note.meta.get("priority") in PRIORITIES:
            reasons.append(f"{note.meta['priority']} priority")
        if source is not None and source not in named:
            reasons.append(f"needed by {source} ({PRIORITIES[self.rank[source]]} priority)")
        distance, nearest = self.distance.get(note.id), self.nearest.get(note.id)
        if distance is not None and 0 < distance <= NEAR and nearest is not None:
            doing = self.kb.index.notes[nearest].status
            reasons.append(f"{distance} link{'s' * (distance != 1)} from {nearest}, which you are {doing}")
        if self.tag is not None and has_tag(note, self.tag):
            reasons.append(f"tagged {self.tag}")
        if not reasons:
            linked = self.graph.degree(note.id)
            reasons.append(f"linked with {linked} paper{'s' * (linked != 1)} and concepts" if linked
                           else "to read" if note.kind == PAPER else "to study")
        return reasons

    def _whose(self, item: str, reasons: list[str], source: str | None) -> set[str]:
        """Say whose prerequisite a pulled-in item is: the plan it serves, and with `--tag` the
        tagged item that needs it (each with the priority it takes from that item, when it
        does). Returns the dependents named."""
        named: set[str] = set()

        def shown(via: str) -> str:
            return via + (f" ({PRIORITIES[self.rank[via]]} priority)" if via == source else "")

        held = self.standing[item]
        plan_via = held.via if held.plan is not None else None
        tag_via = self.pulled_by.get(item) if self.tag is not None else None
        if plan_via is not None:
            by = f" by {held.due.isoformat()}" if held.due is not None else ""
            tagged = f" (tagged {self.tag})" if tag_via == plan_via and plan_via not in self.pulled_by else ""
            reasons.append(f"prerequisite of {shown(plan_via)}{tagged}, which plan {held.plan} needs{by}")
            named.add(plan_via)
            if tagged:
                return named
        if tag_via is not None:
            root = tag_via
            while root in self.pulled_by:
                root = self.pulled_by[root]
            if tag_via == plan_via:
                reasons[-1] += f", as does {root} (tagged {self.tag})"
            else:
                reasons.append(f"prerequisite of {shown(tag_via)} (tagged {self.tag})" if root == tag_via else
                               f"prerequisite of {shown(tag_via)}, which {root} (tagged {self.tag}) needs")
            named.add(tag_via)
        return named


def membership(plan: Plan, group: Group) -> str:
    """`in plan emnlp-prepa (main: 1 of 9 done, due 2024-11-12)`: an item's place in a plan."""
    if group.required == 0:
        state = f"{group.name}, not required"
    elif group.complete:
        state = f"{group.name}: complete"
    else:
        state = f"{group.name}: {group.counted} of {group.required} done"
    if plan.due is not None:
        state += f", {'overdue since' if plan.overdue else 'due'} {plan.due.isoformat()}"
    return f"in plan {plan.note.id} ({state})"
