"""The parsed query as a small tree of plain values (what `parse.py` builds and `compile.py` reads).

Every node keeps the line and column where it was written, so a mistake found later (an unknown
function, a note that does not exist) points at the same place a syntax error would. A query is
its head (TABLE or LIST with columns), an optional FROM, then data commands in the order written
(WHERE, SORT, LIMIT, FLATTEN, GROUP BY), as in Dataview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


class QueryError(Exception):
    """A query that cannot run; `line` and `column` (1-based) are positions in the query text."""

    def __init__(self, message: str, line: int = 1, column: int = 1, text: str = ""):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.text = text

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"

    def pointer(self) -> str:
        """The query line at fault with a caret under the column."""
        lines = self.text.split("\n")
        if not 0 < self.line <= len(lines):
            return ""
        return f"  {lines[self.line - 1]}\n  {' ' * (self.column - 1)}^"


@dataclass(frozen=True, slots=True)
class Node:
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Field(Node):
    path: tuple[str, ...]  # `file.name` -> ("file", "name")

    @property
    def name(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True, slots=True)
class Literal(Node):
    """A constant. `kind`: value (text, number, bool, null), date (`2024-11-12`, text), duration
    (a `Duration`) or link (the note name as written in `[[...]]`; "" for the note itself)."""

    value: Any
    kind: str = "value"

    @property
    def is_date(self) -> bool:
        return self.kind == "date"


@dataclass(frozen=True, slots=True)
class Duration:
    """`dur(1 month 2 days)`: calendar months (years are 12) and seconds (weeks, days, hours...)."""

    months: int = 0
    seconds: float = 0.0
    text: str = ""

    @property
    def approximate_seconds(self) -> float:
        """For comparisons: a month is 30 days, as Luxon (Dataview's dates) counts it."""
        return self.months * 30 * 86400 + self.seconds

    @classmethod
    def read(cls, text: str) -> Duration:
        """`1 day`, `2 hours 30 min`, `1 s, 2 m, 3 h`, as Dataview spells durations; ValueError
        saying what is wrong otherwise."""
        months, seconds, end = 0, 0.0, 0
        for match in _PART.finditer(text):
            if text[end:match.start()].strip(" ,"):
                break
            amount, unit = match.group(1), match.group(2).lower()
            if len(amount.split(".")[0]) > 18:
                raise ValueError(f"the duration {text[:20]}... is too large")
            if unit in _MONTHS:
                if "." in amount:
                    raise ValueError(f"months and years are whole numbers in dur(), not {amount}")
                months += int(amount) * _MONTHS[unit]
            elif unit in _UNITS:
                seconds += float(amount) * _UNITS[unit]
            else:
                raise ValueError(f"unknown unit '{unit}' in dur() (expected seconds, minutes, hours, days, "
                                 "weeks, months or years: s, m, h, d, w, mo, yr)")
            end = match.end()
        if end == 0 or text[end:].strip(" ,"):
            raise ValueError(f"dur() takes an amount and a unit: dur(3 days), not dur({text})")
        return cls(months, seconds, " ".join(text.split()))


# Units of dur(...): months (and years) are calendar months, the rest seconds.
_UNITS = {**dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1),
          **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60),
          **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600),
          **dict.fromkeys(("d", "day", "days"), 86400),
          **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), 7 * 86400)}
_MONTHS = {**dict.fromkeys(("mo", "month", "months"), 1), **dict.fromkeys(("yr", "yrs", "year", "years"), 12)}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([A-Za-z]+)")


@dataclass(frozen=True, slots=True)
class Call(Node):
    name: str
    args: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Compare(Node):
    op: str
    left: Any
    right: Any


@dataclass(frozen=True, slots=True)
class Arith(Node):
    op: str  # + - * / %
    left: Any
    right: Any


@dataclass(frozen=True, slots=True)
class Negate(Node):
    item: Any


@dataclass(frozen=True, slots=True)
class BoolOp(Node):
    op: str  # "and" | "or"
    items: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Not(Node):
    item: Any


@dataclass(frozen=True, slots=True)
class Source(Node):
    """One source of FROM: a kind (`papers`), a "folder", a #tag, a [[link]] (notes linking to
    it) or outgoing([[link]]) (notes it links to)."""

    type: str  # "kind" | "folder" | "tag" | "link" | "outgoing"
    value: str


@dataclass(frozen=True, slots=True)
class Column:
    expr: Any
    name: str


@dataclass(frozen=True, slots=True)
class SortKey:
    expr: Any
    descending: bool


@dataclass(frozen=True, slots=True)
class Command(Node):
    """A data command: `where` (expr), `sort` (keys), `limit` (count), `flatten` and `group`
    (expr, and the name it is bound to)."""

    kind: str
    expr: Any = None
    keys: tuple[SortKey, ...] = ()
    count: int = 0
    name: str | None = None


@dataclass(slots=True)
class Query:
    kind: str  # "table" | "list"
    text: str
    columns: list[Column] = field(default_factory=list)
    without_id: bool = False
    source: Any = None  # Source, BoolOp or Not over sources
    commands: list[Command] = field(default_factory=list)

