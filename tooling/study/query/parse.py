"""Parse kb-query text into a small tree of plain values, with lark (`parser.py`, `grammar.lark`).

Every node keeps the line and column where it was written, so a mistake found later (an unknown
function, a note that does not exist) points at the same place a syntax error would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lark import Token, Transformer, v_args
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)

from .parser import parser


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


# --- the tree -------------------------------------------------------------------------------

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
    value: Any
    is_date: bool = False


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
class BoolOp(Node):
    op: str  # "and" | "or"
    items: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Not(Node):
    item: Any


@dataclass(frozen=True, slots=True)
class Source(Node):
    """One source of FROM: a kind (`papers`), a "folder", a #tag or a [[link]]."""

    type: str  # "kind" | "folder" | "tag" | "link"
    value: str


@dataclass(frozen=True, slots=True)
class Column:
    expr: Any
    name: str


@dataclass(frozen=True, slots=True)
class SortKey:
    expr: Any
    descending: bool


@dataclass(slots=True)
class Query:
    kind: str  # "table" | "list"
    text: str
    columns: list[Column] = field(default_factory=list)
    without_id: bool = False
    source: Any = None  # Source, BoolOp or Not over sources
    where: Any = None
    sort: list[SortKey] = field(default_factory=list)
    limit: int | None = None


# --- parsing ----------------------------------------------------------------------------------

def parse(text: str) -> Query:
    """The query as a tree; QueryError with line and column for anything malformed."""
    if not text.strip():
        raise QueryError("empty query (start with TABLE or LIST)", 1, 1, text)
    try:
        tree = parser().parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, text) from None
    except RecursionError:
        raise QueryError("the query is nested too deeply", 1, 1, text) from None
    try:
        query: Query = _Build(text).transform(tree)
    except VisitError as exc:  # raised inside the transformer
        if isinstance(exc.orig_exc, QueryError):
            exc.orig_exc.text = text
            raise exc.orig_exc from None
        raise
    except RecursionError:
        raise QueryError("the query is nested too deeply", 1, 1, text) from None
    return query


def _syntax_error(exc: UnexpectedInput, text: str) -> QueryError:
    line, column = max(exc.line, 1), max(exc.column, 1)
    if isinstance(exc, UnexpectedCharacters):
        position = exc.pos_in_stream or 0
        char = text[position] if position < len(text) else ""
        if char in "\"'":
            return QueryError(f"this string is never closed (add the closing {char})", line, column, text)
        return QueryError(f"unexpected character {char!r}", line, column, text)
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        expected = getattr(exc, "expected", None) or getattr(exc, "accepts", None) or set()
        end_line, end_column = _end_of(text)
        return QueryError(f"the query ends too early (expected {_expected(expected)})",
                          end_line, end_column, text)
    assert isinstance(exc, UnexpectedToken)
    return QueryError(f"unexpected {_shown(exc.token)} (expected {_expected(exc.accepts or exc.expected)})",
                      line, column, text)


def _end_of(text: str) -> tuple[int, int]:
    stripped = text.rstrip()
    lines = stripped.split("\n")
    return len(lines), len(lines[-1]) + 1


_WORDS = {
    "NAME": "a field", "STRING": 'a "string"', "SIGNED_NUMBER": "a number", "INT": "a whole number",
    "DATE": "a date", "TRUE": "true", "FALSE": "false", "NULL": "null", "LPAR": "'('",
    "RPAR": "')'", "COMMA": "','", "DOT": "'.'", "MINUS": "'-'", "BANG": "'!'",
    "COMPARE": "a comparison (= != < > <= >=)", "TAG": "a #tag", "WIKILINK": "a [[link]]",
    "$END": "the end of the query",
}
KEYWORDS = frozenset({"table", "list", "from", "where", "sort", "limit", "and", "or", "not", "as",
                      "asc", "desc", "ascending", "descending"})
_VALUE_STARTS = frozenset({"NAME", "STRING", "SIGNED_NUMBER", "DATE", "TRUE", "FALSE", "NULL", "LPAR"})


def _expected(names: set[str] | frozenset[str]) -> str:
    names = set(names)
    words = []
    if _VALUE_STARTS <= names:
        words.append("a value: a field, a \"string\", a number, a date, or '('")
        names -= _VALUE_STARTS | {"BANG", "NOT"}
    words += sorted(_WORDS.get(name, name.upper()) for name in names)
    return ", ".join(words[:8]) + (" ..." if len(words) > 8 else "") if words else "something else"


def _shown(token: Token) -> str:
    return "the end of the query" if token.type == "$END" else repr(str(token))


def _at(token: Token) -> tuple[int, int]:
    return (token.line or 1, token.column or 1)


def _first_position(node: Any) -> tuple[int, int]:
    if isinstance(node, Token):
        return _at(node)
    if isinstance(node, (Node,)):
        return node.line, node.column
    return 1, 1


def _unquote(token: Token) -> str:
    raw = str(token)
    if raw.startswith("'"):
        raw = '"' + raw[1:-1].replace('\\"', '"').replace('"', '\\"') + '"'
        raw = raw.replace("\\'", "'")
    try:
        value = str(json.loads(raw))
        value.encode("utf-8")  # a lone surrogate (\\ud800) is not text
    except (json.JSONDecodeError, UnicodeEncodeError):
        raise QueryError(f"bad escape in the string {token}", *_at(token)) from None
    return value


@v_args(inline=True)
class _Build(Transformer[Token, Any]):
    """The lark tree to the plain tree above (keyword tokens are dropped)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    # values
    def field(self, *names: Token) -> Field:
        # The contextual lexer would take `status = "x" AND AND` as a field named AND.
        if len(names) == 1 and str(names[0]).lower() in KEYWORDS:
            raise QueryError(f"unexpected {str(names[0])!r} (expected {_expected(_VALUE_STARTS)})",
                             *_at(names[0]))
        return Field(*_at(names[0]), tuple(str(n) for n in names))

    def call(self, name: Token, *args: Any) -> Call:
        return Call(*_at(name), str(name).lower(), tuple(args))

    def string(self, token: Token) -> Literal:
        return Literal(*_at(token), _unquote(token))

    def number(self, token: Token) -> Literal:
        text = str(token)
        value = float(text) if "." in text else int(text)
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            raise QueryError(f"the number {text} is too large", *_at(token))
        return Literal(*_at(token), value)

    def date(self, token: Token) -> Literal:
        return Literal(*_at(token), str(token), is_date=True)

    def true(self, token: Token) -> Literal:
        return Literal(*_at(token), True)

    def false(self, token: Token) -> Literal:
        return Literal(*_at(token), False)

    def null(self, token: Token) -> Literal:
        return Literal(*_at(token), None)

    # expressions
    def compare(self, left: Any, op: Token, right: Any) -> Compare:
        return Compare(*_at(op), "!=" if str(op) == "<>" else str(op), left, right)

    def and_(self, left: Any, _op: Token, right: Any) -> BoolOp:
        return BoolOp(*_first_position(left), "and", (left, right))

    def or_(self, left: Any, _op: Token, right: Any) -> BoolOp:
        return BoolOp(*_first_position(left), "or", (left, right))

    def not_(self, *items: Any) -> Not:
        item = items[-1]
        return Not(*(_at(items[0]) if isinstance(items[0], Token) else _first_position(item)), item)

    # sources
    def source_kind(self, token: Token) -> Source:
        return Source(*_at(token), "kind", str(token))

    def source_folder(self, token: Token) -> Source:
        return Source(*_at(token), "folder", _unquote(token).strip("/"))

    def source_tag(self, token: Token) -> Source:
        return Source(*_at(token), "tag", str(token)[1:])

    def source_link(self, token: Token) -> Source:
        return Source(*_at(token), "link", str(token)[2:-2].split("|", 1)[0].strip())

    def source_and(self, left: Any, _op: Token, right: Any) -> BoolOp:
        return BoolOp(left.line, left.column, "and", (left, right))

    def source_or(self, left: Any, _op: Token, right: Any) -> BoolOp:
        return BoolOp(left.line, left.column, "or", (left, right))

    def source_neg(self, *items: Any) -> Not:
        return Not(items[-1].line, items[-1].column, items[-1])

    # clauses
    def column(self, expr: Any, *alias: Token) -> Column:
        name = _unquote(alias[-1]) if alias else spelled(expr)
        return Column(expr, name)

    def columns(self, *columns: Column) -> list[Column]:
        return list(columns)

    def without_id(self, *_: Token) -> bool:
        return True

    def table(self, _kw: Token, *parts: Any) -> Query:
        query = Query("table", self.text)
        for part in parts:
            if part is True:
                query.without_id = True
            else:
                query.columns = part
        return query

    def list_(self, _kw: Token, *column: Column) -> Query:
        return Query("list", self.text, columns=list(column))

    def from_clause(self, _kw: Token, source: Any) -> tuple[str, Any]:
        return ("source", source)

    def where_clause(self, _kw: Token, expr: Any) -> tuple[str, Any]:
        return ("where", expr)

    def sort_key(self, expr: Any, *direction: Token) -> SortKey:
        return SortKey(expr, bool(direction) and direction[0].type == "DESC")

    def sort_clause(self, _kw: Token, *keys: SortKey) -> tuple[str, Any]:
        return ("sort", list(keys))

    def limit_clause(self, _kw: Token, count: Token) -> tuple[str, Any]:
        if int(count) >= 2**63:
            raise QueryError(f"LIMIT {count} is too large", *_at(count))
        return ("limit", int(count))

    def query(self, head: Query, *clauses: tuple[str, Any]) -> Query:
        for name, value in clauses:
            setattr(head, name, value)
        return head

    def start(self, query: Query) -> Query:
        return query


def spelled(expr: Any) -> str:
    """An expression written back as query text (for column titles and messages)."""
    if isinstance(expr, Field):
        return expr.name
    if isinstance(expr, Literal):
        return expr.value if expr.is_date else json.dumps(expr.value, ensure_ascii=False)
    if isinstance(expr, Call):
        return f"{expr.name}({', '.join(spelled(arg) for arg in expr.args)})"
    if isinstance(expr, Compare):
        return f"{spelled(expr.left)} {expr.op} {spelled(expr.right)}"
    if isinstance(expr, BoolOp):
        return f" {expr.op} ".join(spelled(item) for item in expr.items)
    if isinstance(expr, Not):
        return f"not {spelled(expr.item)}"
    return str(expr)
