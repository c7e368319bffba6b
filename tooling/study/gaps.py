"""Gaps in a plan: a quota group that lacks members ("any 5", 3 listed), with candidates to fill it.

Candidates are notes of the kind the group holds (its members' kinds, else its query's source,
else papers and concepts) that no group of the plan has yet, ranked by how close they are to the
group's members in the study graph (`nearness.py`): the neighbours they share (concepts, links,
prerequisites), a direct link to a member, then the tags they share. A group with no members yet
is compared with the whole plan. Each candidate says why: "shares activation-patching and
causal-tracing with 3 of the group's papers".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..base import KnowledgeBase, collector_paused
from ..model import Note
from ..schema import CONCEPT, PAPER, STUDY_KINDS
from .nearness import study_graph
from .plans import Group, Plan, full_query

CANDIDATES = 5  # shown per gap
_TAG_WEIGHT = 0.5  # a shared tag says less than a shared concept or link


@dataclass(slots=True)
class Candidate:
    id: str
    reason: str
    score: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "reason": self.reason}


@dataclass(slots=True)
class Gap:
    """A quota group short of members: how many are missing, and who could fill it."""

    plan: str
    group: str
    quota: int
    have: int
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return self.quota - self.have

    def as_dict(self) -> dict[str, Any]:
        return {"plan": self.plan, "group": self.group, "quota": self.quota, "have": self.have,
                "missing": self.missing, "candidates": [c.as_dict() for c in self.candidates]}


@collector_paused()
def plan_gaps(kb: KnowledgeBase, plan: Plan, limit: int = CANDIDATES) -> list[Gap]:
    """Every quota group of the plan with fewer members than its quota, with up to `limit`
    candidates each."""
    taken = {m for g in plan.groups for m in g.members} | {plan.note.id}
    everyone = [m for g in plan.groups for m in g.members]
    found = []
    for group in plan.groups:
        if group.quota is None or len(group.members) >= group.quota:
            continue
        gap = Gap(plan.note.id, group.name, group.quota, len(group.members))
        reference, whose = (group.members, "the group's") if group.members else (everyone, "the plan's")
        kinds = _kinds(kb, group, reference)
        gap.candidates = candidates(kb, reference, whose, kinds, taken, limit)
        found.append(gap)
    return found


def _kinds(kb: KnowledgeBase, group: Group, reference: list[str]) -> set[str]:
    """The kinds a group holds: its members', else its query's source, else every study kind."""
    held = {note.kind for m in group.members if (note := kb.note(m)) is not None}
    if held:
        return held & set(STUDY_KINDS) or held
    if group.query is not None:
        from .query.compile import source_kinds  # the parser loads only for a plan with a query

        kinds = source_kinds(full_query(group.query)[0])
        if kinds:
            return kinds
    return set(STUDY_KINDS)


def candidates(kb: KnowledgeBase, reference: list[str], whose: str, kinds: set[str],
               taken: set[str], limit: int) -> list[Candidate]:
    """The notes of `kinds` outside `taken` closest to the `reference` notes, each with why."""
    graph = study_graph(kb)
    notes = kb.index.notes
    reach: dict[str, set[str]] = defaultdict(set)  # a neighbour of the reference -> who has it
    for member in reference:
        for other in graph.neighbours(member):
            reach[other].add(member)
    shared: dict[str, dict[str, set[str]]] = defaultdict(dict)  # candidate -> neighbour -> members
    linked: dict[str, set[str]] = defaultdict(set)  # candidate -> members it links with directly
    for neighbour, members in reach.items():
        if neighbour in reference:
            continue
        for candidate in graph.neighbours(neighbour):
            if candidate not in members:
                shared[candidate][neighbour] = members
    for member in reference:
        for candidate in graph.neighbours(member):
            linked[candidate].add(member)
    tags: Counter[str] = Counter(t for m in reference if (n := notes.get(m)) is not None for t in _tags(n))
    scored: list[tuple[float, str]] = []
    for candidate_id in set(shared) | set(linked) | _tagged(kb, tags):
        note = notes.get(candidate_id)
        if note is None or candidate_id in taken or note.kind not in kinds or note.status == "dropped":
            continue
        score = (sum(len(m) for m in shared.get(candidate_id, {}).values())
                 + 2 * len(linked.get(candidate_id, ()))
                 + _TAG_WEIGHT * sum(tags[t] for t in _tags(note) if t in tags))
        if score > 0:
            scored.append((-score, candidate_id))
    noun = _noun(kb, reference)
    found = []
    for score, candidate_id in sorted(scored)[:limit]:  # reasons for the few shown only
        common = {t: tags[t] for t in _tags(notes[candidate_id]) if t in tags}
        reason = _reason(shared.get(candidate_id, {}), linked.get(candidate_id, set()), common, whose, noun)
        found.append(Candidate(candidate_id, reason, -score))
    return found


def _reason(neighbours: dict[str, set[str]], linked: set[str], common: dict[str, int], whose: str,
            noun: str) -> str:
    parts = []
    if neighbours:
        named = sorted(neighbours, key=lambda n: (-len(neighbours[n]), n))
        members = set().union(*neighbours.values())
        shown = " and ".join(named[:2]) if len(named) <= 2 else f"{', '.join(named[:2])} and {len(named) - 2} more"
        parts.append(f"shares {shown} with {_count(len(members), whose, noun)}")
    if linked:
        parts.append("linked with " + ", ".join(sorted(linked)[:2]) + (" and more" if len(linked) > 2 else ""))
    if common and not parts:
        tag, count = max(common.items(), key=lambda item: (item[1], item[0]))
        parts.append(f"tagged {tag} like {_count(count, whose, noun)}")
    return "; ".join(parts)


def _count(count: int, whose: str, noun: str) -> str:
    return f"{count} of {whose} {noun}"


def _noun(kb: KnowledgeBase, reference: list[str]) -> str:
    kinds = {note.kind for m in reference if (note := kb.note(m)) is not None}
    return "papers" if kinds == {PAPER} else "concepts" if kinds == {CONCEPT} else "items"


def _tags(note: Note) -> set[str]:
    return set(note.tags)


def _tagged(kb: KnowledgeBase, tags: Counter[str]) -> set[str]:
    if not tags:
        return set()
    return {note.id for note in kb.index.notes.values() if _tags(note) & tags.keys()}


def plan_summary(kb: KnowledgeBase, plan: Plan, limit: int = CANDIDATES) -> dict[str, Any]:
    """`Plan.as_dict()` with its gaps and their candidates: what `kb status`, `kb report` and
    the plan page show."""
    summary = plan.as_dict()
    summary["gaps"] = [gap.as_dict() for gap in plan_gaps(kb, plan, limit)]
    return summary


def gap_of(summary: dict[str, Any], group: str) -> dict[str, Any] | None:
    """The gap of one group of a `plan_summary`, if it has one."""
    return next((gap for gap in summary.get("gaps", ()) if gap["group"] == group), None)
