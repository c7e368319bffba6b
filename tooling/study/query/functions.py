"""The functions a query may call, each compiled to SQL (README, "Queries", lists them).

Dataview's names and meanings where kb-query has them: `contains` of a list asks for an element,
of a text for a substring, of an object for a key; list functions (`sum`, `min`, `join`, ...)
take the lists front matter holds and those GROUP BY makes (`rows.year`). An unknown function is
an error naming every known one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from .expr import Expressions, error, nearest
from .fields import Scope
from .tree import Call, Field, Literal, Node
from .values import ANY, BOOL, DATE, DATETIME, LINK, NUMBER, TEXT, V

Build = Callable[[Expressions, Call, list[V]], V]


def call(c: Expressions, node: Call, scope: Scope) -> V:
    spec = FUNCTIONS.get(node.name)
    if spec is None:
        raise error(node, f"unknown function '{node.name}'" + nearest(node.name, FUNCTIONS)
                    + f" (known: {', '.join(sorted(FUNCTIONS))})")
    low, high, build = spec
    if not low <= len(node.args) <= high:
        wanted = f"{low}" if low == high else f"{low} to {high}" if high < 99 else f"at least {low}"
        raise error(node, f"{node.name}() takes {wanted} argument{'s' * (wanted != '1')}, not {len(node.args)}")
    if node.name == "date":
        return _date(c, node, scope)
    if node.name in ("links_to", "linked_from"):
        return _linked(c, node)
    return build(c, node, [c.expr(arg, scope) for arg in node.args])


def _elements(value: V) -> str:
    """SQL FROM clause over a list's elements (a lone value is a list of one)."""
    return f"json_each({value.doc}, {value.path})" if value.doc is not None else f"(SELECT {value.sql} AS value)"


def _contains(fold: bool = False, exact: bool = False) -> Build:
    def build(c: Expressions, node: Call, args: list[V]) -> V:
        haystack, needle = args

        def low(sql: str) -> str:
            return f"lower({sql})" if fold else sql

        if needle.type == LINK:  # a note: compare note ids, resolving the names front matter holds
            element = "e.value" if haystack.links or haystack.type == LINK else "kb_resolve(e.value)"
            return V(f"EXISTS (SELECT 1 FROM {_elements(haystack)} AS e WHERE {element} = {needle.sql})", BOOL)
        text_match = f"coalesce(instr({low(haystack.sql)}, {low(needle.sql)}) > 0, 0)"
        if exact:
            text_match = f"coalesce({haystack.sql} = {needle.sql}, 0)"
        if haystack.doc is None:
            return V(text_match, BOOL)
        each = _elements(haystack)
        return V(f"(CASE {haystack.json_type} "
                 f"WHEN 'array' THEN EXISTS (SELECT 1 FROM {each} AS e WHERE {low('e.value')} = {low(needle.sql)}) "
                 f"WHEN 'object' THEN EXISTS (SELECT 1 FROM {each} AS e WHERE {low('e.key')} = {low(needle.sql)}) "
                 f"ELSE {text_match} END)", BOOL)
    return build


def _length(c: Expressions, node: Call, args: list[V]) -> V:
    (value,) = args
    if value.doc is None:
        return V(f"length({value.sql})", NUMBER)
    return V(f"(CASE {value.json_type} WHEN 'array' THEN json_array_length({value.doc}, {value.path}) "
             f"WHEN 'object' THEN (SELECT count(*) FROM json_each({value.doc}, {value.path})) "
             f"ELSE length({value.sql}) END)", NUMBER)


def _over_list(aggregate: str, type_: str = NUMBER) -> Build:
    """sum, average, min or max of a list (or, for min and max, of their arguments)."""
    def build(c: Expressions, node: Call, args: list[V]) -> V:
        if len(args) > 1:
            return V(f"{aggregate}({', '.join(a.sql for a in args)})", type_)
        (value,) = args
        return V(f"(SELECT {aggregate}(e.value) FROM {_elements(value)} AS e)", type_)
    return build


def _join(c: Expressions, node: Call, args: list[V]) -> V:
    separator = args[1].sql if len(args) > 1 else c.param(", ")
    return V(f"(SELECT group_concat(e.value, {separator}) FROM {_elements(args[0])} AS e)", TEXT)


def _date(c: Expressions, node: Call, scope: Scope) -> V:
    """date(today), date(now), date(tomorrow), ..., date(2024-11-12), date("2024-11-12") or the
    date of a field's value."""
    arg = node.args[0]
    if isinstance(arg, Field) and len(arg.path) == 1 and arg.path[0].lower() in _NAMED_DAYS:
        word = arg.path[0].lower()
        if word == "now":
            now = dt.datetime.combine(c.today, dt.datetime.now().time()).replace(microsecond=0)
            return V(c.param(now.isoformat()), DATETIME)
        return V(c.param(_NAMED_DAYS[word](c.today).isoformat()), DATE)
    if isinstance(arg, Literal) and arg.kind in ("date", "value") and isinstance(arg.value, str):
        try:
            return V(c.param(dt.date.fromisoformat(arg.value[:10]).isoformat()), DATE)
        except ValueError:
            raise error(arg, f"date() takes a date: date(2024-11-12), date(\"2024-11-12\") or date(today); "
                             f"not {arg.value!r}") from None
    if isinstance(arg, Literal):
        raise error(arg, "date() takes a date: date(2024-11-12), date(\"2024-11-12\") or date(today)")
    value = c.expr(arg, scope)
    return V(f"date({value.sql})", DATE)


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


_NAMED_DAYS: dict[str, Callable[[dt.date], dt.date]] = {
    "today": lambda d: d, "now": lambda d: d,
    "tomorrow": lambda d: d + dt.timedelta(days=1), "yesterday": lambda d: d - dt.timedelta(days=1),
    "sow": lambda d: d - dt.timedelta(days=d.weekday()), "eow": lambda d: d + dt.timedelta(days=6 - d.weekday()),
    "som": lambda d: d.replace(day=1), "eom": _month_end,
    "soy": lambda d: d.replace(month=1, day=1), "eoy": lambda d: d.replace(month=12, day=31),
}


def _linked(c: Expressions, node: Call) -> V:
    arg = node.args[0]
    if not (isinstance(arg, Literal) and arg.kind in ("value", "link") and isinstance(arg.value, str)):
        raise error(arg if isinstance(arg, Node) else node,
                    f'{node.name}() takes a note id or title in quotes: {node.name}("residual-stream")')
    return V(linked(c, arg, arg.value, outgoing=node.name == "links_to"), BOOL)


def linked(c: Expressions, node: Node, name: str, outgoing: bool, row: str = "notes") -> str:
    """SQL: the row's note links to (or, not outgoing, is linked from) the named note."""
    c.uses_links = True
    target = c.param(c.note(node, name))
    if outgoing:
        return f"EXISTS (SELECT 1 FROM links WHERE links.source = {row}.id AND links.target = {target})"
    return f"EXISTS (SELECT 1 FROM links WHERE links.source = {target} AND links.target = {row}.id)"


def _simple(template: str, type_: str) -> Build:
    return lambda c, node, args: V(template.format(*(a.sql for a in args)), type_)


FUNCTIONS: dict[str, tuple[int, int, Build]] = {
    "contains": (2, 2, _contains()),
    "icontains": (2, 2, _contains(fold=True)),
    "econtains": (2, 2, _contains(exact=True)),
    "startswith": (2, 2, _simple("coalesce(substr({0}, 1, length({1})) = {1}, 0)", BOOL)),
    "endswith": (2, 2, _simple("coalesce(substr({0}, -length({1})) = {1}, 0)", BOOL)),
    "length": (1, 1, _length),
    "lower": (1, 1, _simple("lower({0})", TEXT)),
    "upper": (1, 1, _simple("upper({0})", TEXT)),
    "replace": (3, 3, _simple("replace({0}, {1}, {2})", TEXT)),
    "string": (1, 1, _simple("CAST({0} AS TEXT)", TEXT)),
    "round": (1, 2, lambda c, node, args: V(f"round({', '.join(a.sql for a in args)})", NUMBER)),
    "default": (2, 2, lambda c, node, args: V(f"coalesce({args[0].sql}, {args[1].sql})", args[0].type)),
    "choice": (3, 3, lambda c, node, args: V(
        f"(CASE WHEN coalesce({args[0].sql}, 0) NOT IN (0, '') THEN {args[1].sql} ELSE {args[2].sql} END)", ANY)),
    "sum": (1, 1, _over_list("sum")),
    "average": (1, 1, _over_list("avg")),
    "min": (1, 99, _over_list("min", ANY)),
    "max": (1, 99, _over_list("max", ANY)),
    "join": (1, 2, _join),
    "date": (1, 1, lambda c, node, args: V("NULL")),  # compiled by _date (its argument is a word)
    "links_to": (1, 1, lambda c, node, args: V("0")),  # compiled by _linked (a note name)
    "linked_from": (1, 1, lambda c, node, args: V("0")),
}
