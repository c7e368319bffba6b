"""A parsed query to one SQL statement over the `notes` and `links` tables (see `table.py`).

Every value from the query travels as a named parameter, never as SQL text. Fields are columns
when the table has them (`id`, `title`, `status`, ...), otherwise JSON paths into the front matter
(`meta`), so unknown fields work too. Comparisons follow Dataview rather than SQL: `=` and `!=`
treat a missing field as a value (`status != "read"` holds for a note without a status), and
every condition is true or false, never NULL, so `not` means what it says.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from ...schema import AUTHOR, CONCEPT, NOTE, PAPER, PLAN
from .parse import BoolOp, Call, Compare, Field, Literal, Node, Not, Query, QueryError, Source
from .table import COLUMNS

# `file.*` fields as Dataview users write them.
ALIASES = {"file.name": "id", "file.link": "id", "file.path": "path", "file.folder": "folder",
           "file.tags": "tags"}
KINDS = {"papers": PAPER, "paper": PAPER, "concepts": CONCEPT, "concept": CONCEPT,
         "notes": NOTE, "note": NOTE, "authors": AUTHOR, "author": AUTHOR, "plans": PLAN,
         "plan": PLAN}
_SOURCE_WORDS = "papers, concepts, notes, authors, plans, a \"folder\", a #tag or a [[link]]"


@dataclass(slots=True)
class Compiled:
    """The SQL of a query: rows are (id, title, *columns); `json_columns` are JSON text."""

    sql: str
    params: dict[str, Any]
    columns: list[str]
    json_columns: list[bool]
    bool_columns: list[bool]
    uses_links: bool = False


@dataclass(slots=True)
class _Sql:
    text: str
    is_bool: bool = False  # a condition (0 or 1)
    json_path: str | None = None  # a front-matter field: its JSON path in `meta`


@dataclass(slots=True)
class Compiler:
    """Compiles one query. `resolve` turns a note name into an id (titles and aliases work);
    `ids` are offered as suggestions when it finds nothing."""

    resolve: Callable[[str], str | None]
    ids: Collection[str]
    today: dt.date
    params: dict[str, Any] = field(default_factory=dict)
    uses_links: bool = False

    def query(self, query: Query) -> Compiled:
        conditions = []
        if query.source is not None:
            conditions.append(self.source(query.source))
        if query.where is not None:
            conditions.append(self.condition(query.where))
        columns, json_columns, bool_columns, selected = [], [], [], []
        for column in query.columns:
            sql = self.expr(column.expr)
            json_value = sql.json_path is not None
            selected.append(f"notes.meta -> '{sql.json_path}'" if json_value else sql.text)
            columns.append(column.name)
            json_columns.append(json_value)
            bool_columns.append(sql.is_bool)
        order = []
        for key in query.sort:
            sql = self.expr(key.expr)
            order.append(f"({sql.text}) IS NULL, ({sql.text}) COLLATE NOCASE"
                         + (" DESC" if key.descending else ""))
        order.append("notes.title COLLATE NOCASE" if not query.sort else "notes.id")
        if order[-1] != "notes.id":
            order.append("notes.id")
        text = ("SELECT " + ", ".join(["notes.id", "notes.title", *selected]) + " FROM notes"
                + (" WHERE " + " AND ".join(conditions) if conditions else "")
                + " ORDER BY " + ", ".join(order))
        if query.limit is not None:
            text += f" LIMIT {self.param(query.limit)}"
        return Compiled(text, self.params, columns, json_columns, bool_columns, self.uses_links)

    # --- values -------------------------------------------------------------------------------
    def param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def expr(self, node: Any) -> _Sql:
        if isinstance(node, Field):
            return self.field(node)
        if isinstance(node, Literal):
            value = int(node.value) if isinstance(node.value, bool) else node.value
            return _Sql(self.param(value))
        if isinstance(node, Call):
            return self.call(node)
        return _Sql(self.condition(node), is_bool=True)

    def field(self, node: Field) -> _Sql:
        name = ALIASES.get(node.name, node.name)
        if name in COLUMNS:
            return _Sql(f"notes.{name}")
        path = "$" + "".join(f'."{part}"' for part in name.split("."))
        return _Sql(f"(notes.meta ->> '{path}')", json_path=path)

    # --- conditions ---------------------------------------------------------------------------
    def condition(self, node: Any) -> str:
        """SQL that is 0 or 1, never NULL."""
        if isinstance(node, BoolOp):
            joined = f" {node.op.upper()} ".join(self.condition(item) for item in node.items)
            return f"({joined})"
        if isinstance(node, Not):
            return f"(NOT {self.condition(node.item)})"
        if isinstance(node, Compare):
            left, right = self.expr(node.left), self.expr(node.right)
            if node.op in ("=", "!="):
                return f"({left.text} {'IS' if node.op == '=' else 'IS NOT'} {right.text})"
            return f"coalesce({left.text} {node.op} {right.text}, 0)"
        sql = self.expr(node)
        if sql.is_bool:
            return sql.text
        return f"(coalesce({sql.text}, 0) NOT IN (0, ''))"  # a bare value: Dataview's truthiness

    def call(self, node: Call) -> _Sql:
        spec = FUNCTIONS.get(node.name)
        if spec is None:
            raise _error(node, f"unknown function '{node.name}'"
                         + _nearest(node.name, FUNCTIONS) + f" (known: {', '.join(sorted(FUNCTIONS))})")
        arity, build = spec
        if len(node.args) != arity:
            raise _error(node, f"{node.name}() takes {arity} argument{'s' * (arity != 1)}, "
                               f"not {len(node.args)}")
        return build(self, node)

    # --- FROM -----------------------------------------------------------------------------------
    def source(self, node: Any) -> str:
        if isinstance(node, BoolOp):
            return "(" + f" {node.op.upper()} ".join(self.source(item) for item in node.items) + ")"
        if isinstance(node, Not):
            return f"(NOT {self.source(node.item)})"
        assert isinstance(node, Source)
        if node.type == "kind":
            kind = KINDS.get(node.value.lower())
            if kind is None:
                raise _error(node, f"unknown source '{node.value}'" + _nearest(node.value, KINDS)
                             + f" (expected {_SOURCE_WORDS})")
            return f"(notes.kind = {self.param(kind)})"
        if node.type == "folder":
            prefix = _like_escape(node.value) + "/%"
            return f"(notes.path LIKE {self.param(prefix)} ESCAPE '\\')"
        if node.type == "tag":
            tag = self.param(node.value)
            return ("EXISTS (SELECT 1 FROM json_each(notes.meta, '$.tags') AS t "
                    f"WHERE t.value = {tag} OR t.value LIKE {self.param(_like_escape(node.value) + '/%')} "
                    "ESCAPE '\\')")
        return self.linked(node, node.value, outgoing=True)

    def linked(self, node: Node, name: str, outgoing: bool) -> str:
        self.uses_links = True
        target = self.resolve(name)
        if target is None:
            raise _error(node, f"no note named '{name}'" + _nearest(name, self.ids))
        if outgoing:
            return f"EXISTS (SELECT 1 FROM links WHERE links.source = notes.id AND links.target = {self.param(target)})"
        return f"EXISTS (SELECT 1 FROM links WHERE links.source = {self.param(target)} AND links.target = notes.id)"


# --- functions --------------------------------------------------------------------------------

def _contains(c: Compiler, node: Call, fold: bool = False) -> _Sql:
    haystack, needle = c.expr(node.args[0]), c.expr(node.args[1])
    low = (lambda s: f"lower({s})") if fold else (lambda s: s)
    text_match = f"coalesce(instr({low(haystack.text)}, {low(needle.text)}) > 0, 0)"
    if haystack.json_path is None:
        return _Sql(text_match, is_bool=True)
    path = haystack.json_path
    return _Sql(f"(CASE json_type(notes.meta, '{path}') "
                f"WHEN 'array' THEN EXISTS (SELECT 1 FROM json_each(notes.meta, '{path}') AS e "
                f"WHERE {low('e.value')} = {low(needle.text)}) "
                f"WHEN 'object' THEN EXISTS (SELECT 1 FROM json_each(notes.meta, '{path}') AS e "
                f"WHERE {low('e.key')} = {low(needle.text)}) "
                f"ELSE {text_match} END)", is_bool=True)


def _length(c: Compiler, node: Call) -> _Sql:
    value = c.expr(node.args[0])
    if value.json_path is None:
        return _Sql(f"length({value.text})")
    path = value.json_path
    return _Sql(f"(CASE json_type(notes.meta, '{path}') WHEN 'array' THEN "
                f"json_array_length(notes.meta, '{path}') WHEN 'object' THEN "
                f"(SELECT count(*) FROM json_each(notes.meta, '{path}')) ELSE length({value.text}) END)")


def _startswith(c: Compiler, node: Call) -> _Sql:
    text, prefix = c.expr(node.args[0]), c.expr(node.args[1])
    return _Sql(f"coalesce(substr({text.text}, 1, length({prefix.text})) = {prefix.text}, 0)", is_bool=True)


def _date(c: Compiler, node: Call) -> _Sql:
    arg = node.args[0]
    if isinstance(arg, Field) and arg.name.lower() in ("today", "now"):
        return _Sql(c.param(c.today.isoformat()))
    if isinstance(arg, Literal) and isinstance(arg.value, str):
        try:
            return _Sql(c.param(dt.date.fromisoformat(arg.value[:10]).isoformat()))
        except ValueError:
            pass
    raise _error(arg if isinstance(arg, Node) else node,
                 "date() takes a date: date(2024-11-12), date(\"2024-11-12\") or date(today)")


def _note_name(node: Call) -> str:
    arg = node.args[0]
    if not (isinstance(arg, Literal) and isinstance(arg.value, str)):
        raise _error(arg if isinstance(arg, Node) else node,
                     f'{node.name}() takes a note id or title in quotes: {node.name}("residual-stream")')
    return str(arg.value)


FUNCTIONS: dict[str, tuple[int, Callable[[Compiler, Call], _Sql]]] = {
    "contains": (2, _contains),
    "icontains": (2, lambda c, n: _contains(c, n, fold=True)),
    "startswith": (2, _startswith),
    "length": (1, _length),
    "lower": (1, lambda c, n: _Sql(f"lower({c.expr(n.args[0]).text})")),
    "upper": (1, lambda c, n: _Sql(f"upper({c.expr(n.args[0]).text})")),
    "date": (1, _date),
    "links_to": (1, lambda c, n: _Sql(c.linked(n, _note_name(n), outgoing=True), is_bool=True)),
    "linked_from": (1, lambda c, n: _Sql(c.linked(n, _note_name(n), outgoing=False), is_bool=True)),
}


def _error(node: Node, message: str) -> QueryError:
    return QueryError(message, node.line, node.column)


def _nearest(word: str, choices: Collection[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def _like_escape(text: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", text)


def compile_query(query: Query, resolve: Callable[[str], str | None], ids: Collection[str],
                  today: dt.date) -> Compiled:
    """SQL for a parsed query; QueryError (with the query's line and column) for an unknown
    function, source or note."""
    try:
        return Compiler(resolve, ids, today).query(query)
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
            return None if any(p is None for p in parts) else set().union(*parts)  # type: ignore[arg-type]
        if isinstance(node, BoolOp):  # and: the first kind it names bounds it
            found = [k for item in node.items if (k := kinds(item))]
            return found[0] if found else None
        return None

    return kinds(source) or set()
