"""Expressions to SQL: values, comparisons, conditions, arithmetic on numbers, dates and durations.

Every value from the query travels as a named parameter, never as SQL text. Comparisons follow
Dataview rather than SQL: `=` and `!=` treat a missing field as a value (`status != "read"` holds
for a note without a status), and every condition is true or false, never NULL, so `not` means
what it says. A date plus or minus a duration is a date; a date minus a date is a duration.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from .fields import Scope, resolve
from .tree import Arith, BoolOp, Call, Compare, Duration, Field, Literal, Negate, Node, Not, QueryError
from .values import ANY, BOOL, DATE, DATES, DATETIME, DURATION, LINK, NUMBER, TEXT, V

MAX_DEPTH = 48  # nesting SQLite's parser can take (it stops near 100), with room for our own


@dataclass(slots=True)
class Expressions:
    """Compiles the expressions of one query. `resolve_name` turns a note name into an id (titles
    and aliases work); `ids` are offered as suggestions when it finds nothing; `this` is the id of
    the note holding the query, if any."""

    resolve_name: Callable[[str], str | None]
    ids: Collection[str]
    today: dt.date
    this: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    uses_links: bool = False
    uses_files: bool = False
    depth: int = 0

    def param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def note(self, node: Node, name: str) -> str:
        """The id of the note a `[[link]]` or a quoted name refers to ("" is the note itself)."""
        if name == "":
            if self.this is None:
                raise error(node, "[[]] is the note holding the query: it has a meaning only in a query "
                                  "block of a note")
            return self.this
        target = self.resolve_name(name)
        if target is None:
            raise error(node, f"no note named '{name}'" + nearest(name, self.ids))
        return target

    # --- values -------------------------------------------------------------------------------
    def expr(self, node: Any, scope: Scope) -> V:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise error(node if isinstance(node, Node) else Node(1, 1),
                            f"the query is nested too deeply (at most {MAX_DEPTH} levels)")
            return self._expr(node, scope)
        finally:
            self.depth -= 1

    def _expr(self, node: Any, scope: Scope) -> V:
        if isinstance(node, Field):
            return resolve(self, scope, node)
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, Call):
            from .functions import call  # the function table builds on this module

            return call(self, node, scope)
        if isinstance(node, Arith):
            return self.arith(node, scope)
        if isinstance(node, Negate):
            item = self.expr(node.item, scope)
            return V(f"(-{item.sql})", item.type if item.type in (NUMBER, DURATION) else ANY)
        return V(self.condition(node, scope), BOOL)

    def literal(self, node: Literal) -> V:
        if node.kind == "date":
            return V(self.param(node.value), DATETIME if "T" in node.value else DATE)
        if node.kind == "duration":
            return V(self.param(node.value.approximate_seconds), DURATION)
        if node.kind == "link":
            return V(self.param(self.note(node, node.value)), LINK)
        value = int(node.value) if isinstance(node.value, bool) else node.value
        type_ = NUMBER if isinstance(value, (int, float)) else TEXT if isinstance(value, str) else ANY
        return V(self.param(value), type_)

    # --- conditions ---------------------------------------------------------------------------
    def condition(self, node: Any, scope: Scope) -> str:
        """SQL that is 0 or 1, never NULL."""
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise error(node if isinstance(node, Node) else Node(1, 1),
                            f"the query is nested too deeply (at most {MAX_DEPTH} levels)")
            return self._condition(node, scope)
        finally:
            self.depth -= 1

    def _condition(self, node: Any, scope: Scope) -> str:
        if isinstance(node, BoolOp):
            joined = f" {node.op.upper()} ".join(self.condition(item, scope) for item in node.items)
            return f"({joined})"
        if isinstance(node, Not):
            return f"(NOT {self.condition(node.item, scope)})"
        if isinstance(node, Compare):
            return self.compare(node, scope)
        value = self.expr(node, scope)
        if value.type == BOOL:
            return value.sql
        return f"(coalesce({value.sql}, 0) NOT IN (0, ''))"  # a bare value: Dataview's truthiness

    def compare(self, node: Compare, scope: Scope) -> str:
        left, right = self.expr(node.left, scope), self.expr(node.right, scope)
        left_sql, right_sql = _comparable(left, right), _comparable(right, left)
        if node.op in ("=", "!="):
            return f"({left_sql} {'IS' if node.op == '=' else 'IS NOT'} {right_sql})"
        return f"coalesce({left_sql} {node.op} {right_sql}, 0)"

    # --- arithmetic ---------------------------------------------------------------------------
    def arith(self, node: Arith, scope: Scope) -> V:
        left, right = self.expr(node.left, scope), self.expr(node.right, scope)
        op = node.op
        if op in "+-" and DURATION in (left.type, right.type):
            if left.type == right.type == DURATION:
                return V(f"({left.sql} {op} {right.sql})", DURATION)
            if left.type == DURATION and op == "-":
                raise error(node, "a duration minus a date means nothing (write the date first)")
            if right.type == DURATION:
                return self.shifted(left, right, node.right, op)
            return self.shifted(right, left, node.left, op)
        if op == "-" and (left.type in DATES or right.type in DATES):
            return V(f"((julianday({left.sql}) - julianday({right.sql})) * 86400.0)", DURATION)
        if op == "+" and TEXT in (left.type, right.type):
            return V(f"({left.sql} || {right.sql})", TEXT)
        if op == "+" and not left.type == right.type == NUMBER:
            return V(f"(CASE WHEN typeof({left.sql}) = 'text' OR typeof({right.sql}) = 'text' "
                     f"THEN {left.sql} || {right.sql} ELSE {left.sql} + {right.sql} END)", ANY)
        if op == "/":
            return V(f"({left.sql} * 1.0 / {right.sql})", NUMBER)
        return V(f"({left.sql} {op} {right.sql})", NUMBER)

    def shifted(self, date: V, duration: V, node: Any, op: str) -> V:
        """A date moved by a duration: calendar months as months (Jan 31 + 1 month is Feb 29 or
        28, as SQLite counts), the rest in seconds; a date stays a date unless hours move it."""
        sign = "+" if op == "+" else "-"
        if isinstance(node, Literal) and isinstance(node.value, Duration):
            span: Duration = node.value
            shifts = [self.param(f"{sign}{span.months} months"), self.param(f"{sign}{span.seconds} seconds")]
            whole_days = span.seconds % 86400 == 0
        else:  # a duration computed at run time, in seconds
            shifts = [f"('{sign}' || ({duration.sql}) || ' seconds')"]
            whole_days = False
        moves = ", ".join(shifts)
        if date.type == DATE and whole_days:
            return V(f"date({date.sql}, {moves})", DATE)
        if date.type == DATETIME or not whole_days:
            return V(f"strftime('%Y-%m-%dT%H:%M:%S', {date.sql}, {moves})", DATETIME)
        return V(f"(CASE WHEN length({date.sql}) > 10 THEN strftime('%Y-%m-%dT%H:%M:%S', {date.sql}, {moves}) "
                 f"ELSE date({date.sql}, {moves}) END)", DATE)


def _comparable(value: V, other: V) -> str:
    """A value as it compares with another: a note name against a link resolves first (the front
    matter may hold a title or an alias where the link holds an id)."""
    if other.type == LINK and value.type in (ANY, TEXT):
        return f"kb_resolve({value.sql})"
    return value.sql


def error(node: Node, message: str) -> QueryError:
    return QueryError(message, node.line, node.column)


def nearest(word: str, choices: Collection[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


__all__ = ["Expressions", "MAX_DEPTH", "error", "nearest"]
