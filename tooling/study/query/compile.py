"""A parsed query to one SQL statement over the `notes` and `links` tables (see `table.py`).

FROM becomes conditions on the note; the data commands run in the order written, as in Dataview:
WHERE and FLATTEN (a join on the list's elements) filter and multiply the rows, SORT and LIMIT
order and cut them, and a command that must see the rows after a SORT or LIMIT reads them from a
subquery (`LIMIT 5 SORT year` sorts the five). GROUP BY turns the rows into groups (`key` and
`rows`); after it, WHERE, SORT and LIMIT apply to groups, in that order. The columns are
computed last, in the scope the commands leave.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from ...schema import AUTHOR, CONCEPT, NOTE, PAPER, PLAN
from .expr import Expressions, error, nearest
from .fields import Scope
from .functions import linked
from .parse import spelled
from .tree import BoolOp, Command, Field, Not, Query, QueryError, SortKey, Source
from .values import ANY, BOOL, DURATION, LINK, LIST, V

KINDS = {"papers": PAPER, "paper": PAPER, "concepts": CONCEPT, "concept": CONCEPT,
         "notes": NOTE, "note": NOTE, "authors": AUTHOR, "author": AUTHOR, "plans": PLAN,
         "plan": PLAN}
_SOURCE_WORDS = "papers, concepts, notes, authors, plans, a \"folder\", a #tag, a [[link]] or outgoing([[link]])"


@dataclass(slots=True)
class OutColumn:
    """A result column and how to read its cells: value, json, bool, link (a note id), links
    (a list of note ids) or duration (seconds)."""

    name: str
    kind: str = "value"


@dataclass(slots=True)
class Compiled:
    """The SQL of a query: rows are (id, title, *columns), or (key, NULL, *columns) for groups."""

    sql: str
    params: dict[str, Any]
    columns: list[OutColumn]
    group: str | None = None  # the name of the group key, when the query groups
    key: OutColumn = field(default_factory=lambda: OutColumn("key"))
    uses_links: bool = False
    uses_files: bool = False


@dataclass(slots=True)
class _Rows:
    """The rows so far: FROM (with joins), conditions, order, limit; or, once grouped, the group."""

    source: str
    conditions: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    default_order: list[str] = field(default_factory=lambda: ["notes.title COLLATE NOCASE", "notes.id"])
    limit: int | None = None
    key: V | None = None  # the GROUP BY key
    having: list[str] = field(default_factory=list)

    @property
    def cut(self) -> bool:
        return bool(self.order) or self.limit is not None


class _Compiler:
    def __init__(self, c: Expressions, query: Query):
        self.c, self.query = c, query
        self.scope = Scope()
        self.rows = _Rows("notes")
        self.joins = 0
        self.wraps = 0

    def compile(self) -> Compiled:
        query, c = self.query, self.c
        if query.source is not None:
            self.rows.conditions.append(self.source(query.source))
        for command in query.commands:
            self.command(command)
        grouped = self.scope.group is not None
        names = [col.name for col in query.columns]
        exprs = [col.expr for col in query.columns]
        if grouped and query.kind == "list" and not exprs:
            exprs, names = [Field(1, 1, ("rows",))], ["rows"]
        selected, columns = [], []
        for expr, name in zip(exprs, names):
            value = c.expr(expr, self.scope)
            kind = _kind(value)
            selected.append(f"({value.as_json})" if kind == "json" else value.sql)
            columns.append(OutColumn(name, kind))
        rows = self.rows
        if grouped:
            assert rows.key is not None and self.scope.group is not None
            key = rows.key
            head = [key.as_json if _kind(key) == "json" else key.sql, "NULL"]
            text = (f"SELECT {', '.join(head + selected)} FROM {rows.source}" + _where(rows.conditions)
                    + f" GROUP BY {key.sql}" + (" HAVING " + " AND ".join(rows.having) if rows.having else "")
                    + " ORDER BY " + ", ".join(rows.order or [f"({key.sql}) IS NULL", f"({key.sql}) COLLATE NOCASE"]))
        else:
            text = (f"SELECT {', '.join(['notes.id', 'notes.title', *selected])} FROM {rows.source}"
                    + _where(rows.conditions) + " ORDER BY " + ", ".join(rows.order + rows.default_order))
        if rows.limit is not None:
            text += f" LIMIT {c.param(rows.limit)}"
        compiled = Compiled(text, c.params, columns, uses_links=c.uses_links, uses_files=c.uses_files)
        if grouped:
            assert self.scope.group is not None and rows.key is not None
            compiled.group = self.scope.group[0]
            compiled.key = OutColumn(self.scope.group[0], _kind(rows.key))
        return compiled

    # --- data commands ------------------------------------------------------------------------
    def command(self, command: Command) -> None:
        if self.scope.group is not None:
            return self.group_command(command)
        rows, c = self.rows, self.c
        if command.kind in ("where", "flatten", "group") and rows.cut or (command.kind == "sort" and rows.limit is not None):
            self.wrap()
            rows = self.rows
        if command.kind == "where":
            rows.conditions.append(c.condition(command.expr, self.scope))
        elif command.kind == "sort":
            rows.order = self.order(command.keys) + rows.order
        elif command.kind == "limit":
            rows.limit = command.count if rows.limit is None else min(rows.limit, command.count)
        elif command.kind == "flatten":
            self.flatten(command)
        else:
            key = c.expr(command.expr, self.scope)
            name = command.name or (command.expr.name if isinstance(command.expr, Field) else "key")
            rows.key = key
            self.scope = Scope(group=(name, key, self.scope))

    def group_command(self, command: Command) -> None:
        rows, c = self.rows, self.c
        if command.kind in ("flatten", "group"):
            raise error(command, f"{'FLATTEN' if command.kind == 'flatten' else 'a second GROUP BY'} after "
                                 "GROUP BY is not supported (after GROUP BY: WHERE, SORT, LIMIT, in that order)")
        if command.kind == "where":
            if rows.cut:
                raise error(command, "WHERE after the SORT or LIMIT of a GROUP BY is not supported "
                                     "(after GROUP BY: WHERE, SORT, LIMIT, in that order)")
            rows.having.append(c.condition(command.expr, self.scope))
        elif command.kind == "sort":
            if rows.limit is not None:
                raise error(command, "SORT after the LIMIT of a GROUP BY is not supported "
                                     "(after GROUP BY: WHERE, SORT, LIMIT, in that order)")
            rows.order = self.order(command.keys) + rows.order
        else:
            rows.limit = command.count if rows.limit is None else min(rows.limit, command.count)

    def order(self, keys: tuple[SortKey, ...]) -> list[str]:
        terms = []
        for key in keys:
            sql = self.c.expr(key.expr, self.scope).sql
            terms += [f"({sql}) IS NULL", f"({sql}) COLLATE NOCASE" + (" DESC" if key.descending else "")]
        return terms

    def flatten(self, command: Command) -> None:
        value = self.c.expr(command.expr, self.scope)
        name = command.name or spelled(command.expr)
        if value.doc is None:  # a lone value: one row, as it is
            self.scope.bindings[name] = value
            return
        self.joins += 1
        alias = f"f{self.joins}"
        self.rows.source += f" LEFT JOIN json_each({value.doc}, {value.path}) AS {alias}"
        # An empty list leaves no row (Dataview's FLATTEN); a missing field leaves one, null.
        self.rows.conditions.append(f"({alias}.id IS NOT NULL OR coalesce({value.json_type}, '') "
                                    "NOT IN ('array', 'object'))")
        self.rows.default_order.append(f"{alias}.id")
        element = LINK if value.links else ANY if value.type == LIST else value.type
        self.scope.bindings[name] = V(f"{alias}.value", element, value.doc, f"{alias}.fullkey")

    def wrap(self) -> None:
        """The rows so far become a subquery, in their order, and the next command reads them."""
        rows = self.rows
        self.wraps += 1
        alias = f"w{self.wraps}"
        order = ", ".join(rows.order + rows.default_order)
        exported = ["notes.id AS _id", f"ROW_NUMBER() OVER (ORDER BY {order}) AS _ord"]
        rebound: dict[str, V] = {}
        for number, (name, value) in enumerate(self.scope.bindings.items()):
            exported.append(f"{value.sql} AS b{number}")
            if value.doc is not None:
                exported.append(f"{value.as_json} AS b{number}j")
            rebound[name] = V(f"{alias}.b{number}", value.type, f"{alias}.b{number}j" if value.doc else None,
                              "'$'", value.links)
        inner = f"SELECT {', '.join(exported)} FROM {rows.source}" + _where(rows.conditions) + f" ORDER BY {order}"
        if rows.limit is not None:
            inner += f" LIMIT {self.c.param(rows.limit)}"
        self.rows = _Rows(f"({inner}) AS {alias} JOIN notes ON notes.id = {alias}._id",
                          default_order=[f"{alias}._ord"])
        self.scope = Scope(bindings=rebound)

    # --- FROM ---------------------------------------------------------------------------------
    def source(self, node: Any) -> str:
        c = self.c
        if isinstance(node, BoolOp):
            return "(" + f" {node.op.upper()} ".join(self.source(item) for item in node.items) + ")"
        if isinstance(node, Not):
            return f"(NOT {self.source(node.item)})"
        assert isinstance(node, Source)
        if node.type == "kind":
            kind = KINDS.get(node.value.lower())
            if kind is None:
                raise error(node, f"unknown source '{node.value}'" + nearest(node.value, KINDS)
                            + f" (expected {_SOURCE_WORDS})")
            return f"(notes.kind = {c.param(kind)})"
        if node.type == "folder":
            prefix = _like_escape(node.value) + "/%"
            return f"(notes.path LIKE {c.param(prefix)} ESCAPE '\\' OR notes.path = {c.param(node.value + '.md')})"
        if node.type == "tag":  # the note's tags as Obsidian reads them (`Note.tags`), subtags included
            tag = c.param("#" + node.value)
            return ("EXISTS (SELECT 1 FROM json_each(notes.file_etags) AS t "
                    f"WHERE t.value = {tag} OR t.value LIKE {c.param('#' + _like_escape(node.value) + '/%')} "
                    "ESCAPE '\\')")
        # [[note]]: notes linking to it (any heading of it, as Dataview); outgoing([[note]]): its links
        return linked(c, node, node.value, outgoing=node.type == "link")


def _kind(value: V) -> str:
    if value.type == BOOL:
        return "bool"
    if value.type == LINK:
        return "link"
    if value.links:
        return "links"
    if value.type == DURATION:
        return "duration"
    if value.doc is not None and value.type in ("any", "list"):
        return "json"
    return "value"


def _where(conditions: list[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""


def _like_escape(text: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", text)


def compile_query(query: Query, resolve: Callable[[str], str | None], ids: Collection[str],
                  today: dt.date, this: str | None = None) -> Compiled:
    """SQL for a parsed query; QueryError (with the query's line and column) for an unknown
    function, field, source or note, or a command order kb-query does not run."""
    try:
        return _Compiler(Expressions(resolve, ids, today, this), query).compile()
    except QueryError as exc:
        exc.text = query.text
        raise
    except RecursionError:
        raise QueryError("the query is nested too deeply", 1, 1, query.text) from None


def source_kinds(text: str) -> set[str]:
    """The kinds a query's FROM names (`FROM papers or concepts`), or an empty set when its source
    is anything else or it does not parse: what a plan's gap suggestions look for."""
    from .parse import parse

    try:
        source = parse(text).source
    except QueryError:
        return set()

    def kinds(node: Any) -> set[str] | None:
        if isinstance(node, Source) and node.type == "kind" and node.value.lower() in KINDS:
            return {KINDS[node.value.lower()]}
        if isinstance(node, BoolOp) and node.op == "or":
            parts = [kinds(item) for item in node.items]
            return None if any(p is None for p in parts) else set().union(*(p for p in parts if p))
        if isinstance(node, BoolOp):  # and: the first kind it names bounds it
            found = [k for item in node.items if (k := kinds(item))]
            return found[0] if found else None
        return None

    return kinds(source) or set()
