"""Study plans: a goal, a due date, and items in groups, each group with an optional quota and query.

`items` takes three forms (README, "Plans"):

    items: [a, b]                  # one group, named `items`: every item is required
    items:
      main: [a, b]                 # groups of ids; a group named `optional` requires nothing
      optional: [c]
      interp:                      # a group written as a mapping:
        quota: 5                   #   any 5 of its members complete it
        query: FROM papers WHERE contains(tags, "emnlp")   # members found by a kb-query ...
        items: [d]                 #   ... and/or listed by id

A group's members are its listed ids, then its query's results that no group lists and no earlier
group's query took, so one note counts in one group. Required = the quota (0 for `optional`), else
every member. Progress = done members (at most the required number per group) / required.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..base import KnowledgeBase, collector_paused
from ..errors import KbError
from ..model import Note, as_list, parse_date
from ..problems import ERROR, Problem, define
from ..schema import DONE_STATUSES, PLAN

if TYPE_CHECKING:  # lark is imported only when a plan has a query
    from .query.engine import QueryEngine
    from .query.parse import QueryError

DUE_SOON_DAYS = 14
OPTIONAL = "optional"
UNGROUPED = "items"
GROUP_KEYS = ("items", "query", "quota")

INVALID_PLAN = define(
    "invalid-plan", ERROR, "a plan's items that cannot be read as groups",
    "A plan's `items` is a list of ids, or a mapping of group names to lists of ids, or to a "
    "mapping with `items` (ids), `query` (a kb-query, e.g. FROM papers WHERE contains(tags, "
    "\"x\")) and `quota` (how many members complete the group, a whole number >= 0).")


@dataclass(slots=True)
class GroupSpec:
    """A group as written: ids, query text, quota."""

    name: str
    ids: list[str] = field(default_factory=list)
    query: str | None = None
    quota: int | None = None


@dataclass(slots=True)
class Group:
    name: str
    members: list[str]
    done: list[str]
    required: int
    quota: int | None = None
    query: str | None = None
    listed: list[str] = field(default_factory=list)  # the members listed by id (resolved)

    @property
    def counted(self) -> int:
        """Done members that count: never more than the group requires."""
        return min(len(self.done), self.required)

    @property
    def complete(self) -> bool:
        return self.counted >= self.required

    @property
    def missing(self) -> int:
        """Members still to be found: a quota larger than the notes the group has."""
        return max(0, (self.quota or 0) - len(self.members))


@dataclass(slots=True)
class Plan:
    note: Note
    groups: list[Group]
    due: dt.date | None
    today: dt.date

    @property
    def required(self) -> int:
        return sum(g.required for g in self.groups)

    @property
    def counted(self) -> int:
        return sum(g.counted for g in self.groups)

    @property
    def complete(self) -> bool:
        return self.counted >= self.required

    @property
    def active(self) -> bool:
        """Neither complete nor past its due date: a plan that steers what comes next."""
        return not self.complete and not (self.due is not None and self.due < self.today)

    @property
    def overdue(self) -> bool:
        return self.due is not None and not self.complete and self.due < self.today

    @property
    def due_soon(self) -> bool:
        return (self.due is not None and not self.complete and not self.overdue
                and (self.due - self.today).days <= DUE_SOON_DAYS)

    def as_dict(self) -> dict[str, Any]:
        return {"plan": self.note.id, "title": self.note.title, "goal": self.note.meta.get("goal"),
                "due": self.due.isoformat() if self.due else None, "done": self.counted,
                "required": self.required, "complete": self.complete, "overdue": self.overdue,
                "due_soon": self.due_soon, "active": self.active,
                "groups": [{"group": g.name, "members": g.members, "done": g.done,
                            "counted": g.counted, "required": g.required, "quota": g.quota,
                            "query": g.query, "listed": g.listed, "missing": g.missing}
                           for g in self.groups]}


def progress_text(plan: dict[str, Any]) -> str:
    """`3 of 15 required done (20%), due 2024-11-12, overdue`, from `Plan.as_dict()`."""
    if not plan["required"]:
        text = "nothing required"
    else:
        share = 100 * plan["done"] // plan["required"]
        text = f"{plan['done']} of {plan['required']} required done ({share}%)"
    if plan["due"]:
        text += f", due {plan['due']}"
    if plan["overdue"]:
        text += ", overdue"
    elif plan["due_soon"]:
        text += ", due soon"
    return text


def group_text(group: dict[str, Any]) -> str:
    """`interp: 2 of 5 done (any 5: 3 listed, 2 more to find)`, from one of
    `Plan.as_dict()["groups"]`."""
    return f"{group['group']}: {group_progress(group)}"


def group_progress(group: dict[str, Any]) -> str:
    """How a person says where a group stands: `1 of 9 done`; `2 of 5 done (any 5 of 6)`;
    `2 of 5 done (any 5: 3 listed, 2 more to find)`; `1 of 5 done (optional)`."""
    members, quota = len(group["members"]), group["quota"]
    done = len(group["done"])
    if group["required"] == 0:
        return f"{done} of {members} done (optional)" if members else "nothing in it yet (optional)"
    text = f"{group['counted']} of {group['required']} done"
    if quota is None:
        return text
    if members >= quota:
        return text + f" (any {quota} of {members})"
    listed = len(group.get("listed") or ())
    found = members - listed
    have = [f"{listed} listed"] * bool(listed) + [f"{found} found by its query"] * bool(found)
    missing = quota - members
    return text + f" (any {quota}: {', '.join(have) or 'none yet'}, {missing} more to find)"


def read_groups(note: Note) -> tuple[list[GroupSpec], list[Problem]]:
    """The plan's groups as written, and problems with how they are written."""
    value = note.meta.get("items")
    problems: list[Problem] = []
    line = note.line_of("items")

    def bad(message: str) -> None:
        problems.append(INVALID_PLAN.at(note.path, line, message))

    if value is None:
        return [], problems
    if not isinstance(value, dict):
        return [GroupSpec(UNGROUPED, _ids(value))], problems
    specs = []
    for name, group in value.items():
        spec = GroupSpec(str(name))
        if isinstance(group, dict):
            unknown = [str(k) for k in group if k not in GROUP_KEYS]
            if unknown:
                bad(f"group '{name}' has unknown key(s) {', '.join(unknown)} "
                    f"(expected {', '.join(GROUP_KEYS)})")
            spec.ids = _ids(group.get("items"))
            query = group.get("query")
            if query is not None and not isinstance(query, str):
                bad(f"the query of group '{name}' should be text")
            elif query is not None:
                spec.query = query
            quota = group.get("quota")
            if quota is not None and (not isinstance(quota, int) or isinstance(quota, bool) or quota < 0):
                bad(f"the quota of group '{name}' should be a whole number >= 0, not {quota!r}")
            elif quota is not None:
                spec.quota = quota
        else:
            spec.ids = _ids(group)
        specs.append(spec)
    return specs, problems


def _ids(value: Any) -> list[str]:
    return [str(v) for v in as_list(value) if isinstance(v, (str, int, float)) and str(v).strip()]


def full_query(text: str) -> tuple[str, int]:
    """A group's query as a whole query (`LIST ` is implied when it starts at FROM or WHERE),
    and how many characters were put in front (to correct error columns)."""
    head = text.lstrip().split(None, 1)[0].upper() if text.strip() else ""
    if head in ("TABLE", "LIST"):
        return text, 0
    return "LIST " + text, len("LIST ")


def group_query_error(engine: QueryEngine, text: str) -> QueryError | None:
    """The group query's first mistake (columns as written in the plan), or None."""
    from .query.parse import QueryError

    whole, shift = full_query(text)
    try:
        engine.compile(whole)
    except QueryError as exc:
        if exc.line == 1:
            exc.column = max(1, exc.column - shift)
        exc.text = text
        return exc
    return None


@collector_paused()
def plan_of(kb: KnowledgeBase, note: Note, today: dt.date, engine: QueryEngine | None = None) -> Plan:
    """One plan's groups with members, done items and what each requires."""
    specs, _ = read_groups(note)
    claimed = {kb.index.resolve_name(i) for spec in specs for i in spec.ids}  # listed ids win
    groups = []
    for spec in specs:
        members = []
        for raw in spec.ids:
            target = kb.index.resolve_name(raw)
            if target is not None and target not in members:
                members.append(target)
        listed = list(members)
        if spec.query is not None:
            for found in _query_ids(kb, engine, spec.query, today):
                if found not in claimed and found != note.id:
                    members.append(found)
                    claimed.add(found)
        done = [m for m in members if _status(kb, m) in DONE_STATUSES]
        required = spec.quota if spec.quota is not None else (0 if spec.name == OPTIONAL else len(members))
        groups.append(Group(spec.name, members, done, required, spec.quota, spec.query, listed))
    due = parse_date(note.meta["due"]) if note.meta.get("due") is not None else None
    return Plan(note, groups, due, today)


def _query_ids(kb: KnowledgeBase, engine: QueryEngine | None, text: str, today: dt.date) -> list[str]:
    from .query.engine import engine_for
    from .query.parse import QueryError

    try:
        return (engine or engine_for(kb, today)).run(full_query(text)[0]).ids
    except QueryError:
        return []  # `kb check` reports it (invalid-query); the plan shows the listed ids alone


def _status(kb: KnowledgeBase, node: str) -> str | None:
    note = kb.note(node)
    return note.status if note is not None else None


def plans(kb: KnowledgeBase, today: dt.date, engine: QueryEngine | None = None) -> list[Plan]:
    """Every plan of the base, by title."""
    return [plan_of(kb, note, today, engine) for note in kb.of_kind(PLAN)]


def find_plan(kb: KnowledgeBase, name: str) -> Note:
    """A plan by id, title or alias; KbError naming the nearest plans otherwise."""
    found = kb.index.resolve_name(name)
    note = kb.note(found) if found is not None else None
    if note is not None and note.kind == PLAN:
        return note
    ids = [plan.id for plan in kb.of_kind(PLAN)]
    close = difflib.get_close_matches(name, ids, n=3, cutoff=0.4)
    raise KbError(f"no plan '{name}'" + (f"; plans: {', '.join(close or ids)}" if ids
                                         else "; the base has no plans"))
