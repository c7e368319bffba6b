"""Parse kb-query text into the plain tree of `tree.py`, with lark (`parser.py`, `grammar.lark`).

Syntax errors carry the line and column and say what was expected there; what Dataview has and
kb-query does not (TASK and CALENDAR views, lambdas, list and object literals) is named as such.
"""

from __future__ import annotations

import json
import re
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
from .tree import (
    Arith,
    BoolOp,
    Call,
    Column,
    Command,
    Compare,
    Duration,
    Field,
    Literal,
    Negate,
    Node,
    Not,
    Query,
    QueryError,
    SortKey,
    Source,
)

__all__ = ["QueryError", "Query", "parse", "spelled"]

MAX_DIGITS = 18  # a whole number fits SQLite's 64 bits; Python refuses 4,301 digits outright
SUPPORTED_VIEWS = "TABLE and LIST queries (TASK and CALENDAR are Dataview views kb-query does not have)"


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
        if char in "[{":
            return QueryError(f"unexpected {char!r}: list and object literals and indexing (tags[0]) are "
                              "not supported (contains(field, value) asks a list for a value)", line, column, text)
        return QueryError(f"unexpected character {char!r}", line, column, text)
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        expected = getattr(exc, "expected", None) or getattr(exc, "accepts", None) or set()
        end_line, end_column = _end_of(text)
        return QueryError(f"the query ends too early (expected {_expected(expected)})",
                          end_line, end_column, text)
    assert isinstance(exc, UnexpectedToken)
    token = exc.token
    if line == 1 and column == 1 or (token.type == "NAME" and str(token).upper() in ("TASK", "CALENDAR")):
        return QueryError(f"unexpected {_shown(token)}: kb-query runs {SUPPORTED_VIEWS}", line, column, text)
    if str(token) in ("=", ">") and "=>" in text[(token.start_pos or 0) - 1:(token.start_pos or 0) + 2]:
        return QueryError("lambdas ((x) => ...) are not supported", line, column - (str(token) == ">"), text)
    return QueryError(f"unexpected {_shown(token)} (expected {_expected(exc.accepts or exc.expected)})",
                      line, column, text)


def _end_of(text: str) -> tuple[int, int]:
    stripped = text.rstrip()
    lines = stripped.split("\n")
    return len(lines), len(lines[-1]) + 1


_WORDS = {
    "NAME": "a field", "STRING": 'a "string"', "NUMBER": "a number", "INT": "a whole number",
    "DATE": "a date", "TRUE": "true", "FALSE": "false", "NULL": "null", "LPAR": "'('",
    "RPAR": "')'", "COMMA": "','", "DOT": "'.'", "MINUS": "'-'", "BANG": "'!'", "PLUS": "'+'",
    "TIMES": "'*'", "DIVIDE": "'/'", "MODULO": "'%'", "DUR": "dur(...)", "DURATION": "a duration (3 days)",
    "COMPARE": "a comparison (= != < > <= >=)", "TAG": "a #tag", "WIKILINK": "a [[link]]",
    "OUTGOING": "outgoing([[link]])", "$END": "the end of the query",
}
KEYWORDS = frozenset({"table", "list", "from", "where", "sort", "limit", "and", "or", "not", "as",
                      "asc", "desc", "ascending", "descending", "flatten", "group", "by"})
_VALUE_STARTS = frozenset({"NAME", "STRING", "NUMBER", "DATE", "TRUE", "FALSE", "NULL", "LPAR"})


def _expected(names: set[str] | frozenset[str]) -> str:
    names = set(names)
    words = []
    if _VALUE_STARTS <= names:
        words.append("a value: a field, a \"string\", a number, a date, or '('")
        names -= _VALUE_STARTS | {"BANG", "NOT", "MINUS", "DUR", "WIKILINK"}
    words += sorted(_WORDS.get(name, name.upper()) for name in names)
    return ", ".join(words[:10]) + (" ..." if len(words) > 10 else "") if words else "something else"


def _shown(token: Token) -> str:
    return "the end of the query" if token.type == "$END" else repr(str(token))


def _at(token: Token) -> tuple[int, int]:
    return (token.line or 1, token.column or 1)


def _first_position(node: Any) -> tuple[int, int]:
    if isinstance(node, Token):
        return _at(node)
    if isinstance(node, Node):
        return node.line, node.column
    return 1, 1


_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\", "/": "/"}


def _unquote(token: Token) -> str:
    """A string's text: the usual escapes (`\\"`, `\\n`, `\\u00e9`) read, any other backslash kept
    as written, as Dataview keeps it (`"\\d{4}"` is a regular expression's digit)."""
    raw = str(token)[1:-1]

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) == 5:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, "\\" + code)

    value = _ESCAPE.sub(one, raw)
    try:
        value.encode("utf-8")  # a lone surrogate (\\ud800) is not text
    except UnicodeEncodeError:
        raise QueryError(f"bad escape in the string {token}", *_at(token)) from None
    return value


def _count(token: Token, what: str) -> int:
    """A whole number that SQLite can hold; checked on its digits before Python converts it
    (Python refuses to convert 4,301 digits or more, with an error of its own)."""
    digits = str(token).lstrip("0") or "0"
    if len(digits) > MAX_DIGITS:
        raise QueryError(f"{what} {str(token)[:12]}... ({len(str(token))} digits) is too large", *_at(token))
    return int(digits)


@v_args(inline=True)
class _Build(Transformer[Token, Any]):
    """The lark tree to the plain tree (keyword tokens are dropped)."""

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
        return Call(*_at(name), str(name).lower(), tuple(a for a in args if a is not None))

    def string(self, token: Token) -> Literal:
        return Literal(*_at(token), _unquote(token))

    def number(self, token: Token) -> Literal:
        text = str(token)
        whole, _, fraction = text.partition(".")
        if len(whole.lstrip("0")) > MAX_DIGITS:
            raise QueryError(f"the number {text[:12]}... ({len(whole)} digits) is too large", *_at(token))
        return Literal(*_at(token), float(text) if fraction else int(text))

    def date(self, token: Token) -> Literal:
        return Literal(*_at(token), str(token), "date")

    def duration(self, keyword: Token, token: Token) -> Literal:
        text = _unquote(token) if token.type == "STRING" else str(token)
        try:
            return Literal(*_at(keyword), Duration.read(text), "duration")
        except ValueError as exc:
            raise QueryError(str(exc), *_at(token)) from None

    def link(self, token: Token) -> Literal:
        return Literal(*_at(token), _link_target(token), "link")

    def true(self, token: Token) -> Literal:
        return Literal(*_at(token), True)

    def false(self, token: Token) -> Literal:
        return Literal(*_at(token), False)

    def null(self, token: Token) -> Literal:
        return Literal(*_at(token), None)

    # expressions
    def compare(self, left: Any, op: Token, right: Any) -> Compare:
        return Compare(*_at(op), "!=" if str(op) == "<>" else str(op), left, right)

    def arith(self, left: Any, op: Token, right: Any) -> Arith:
        return Arith(*_at(op), str(op), left, right)

    def negate(self, op: Token, item: Any) -> Any:
        if isinstance(item, Literal) and isinstance(item.value, (int, float)) and not isinstance(item.value, bool):
            return Literal(*_at(op), -item.value)
        return Negate(*_at(op), item)

    def and_(self, left: Any, _op: Token, right: Any) -> BoolOp:
        return _joined("and", left, right)

    def or_(self, left: Any, _op: Token, right: Any) -> BoolOp:
        return _joined("or", left, right)

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
        return Source(*_at(token), "link", _link_target(token))

    def source_outgoing(self, keyword: Token, token: Token) -> Source:
        return Source(*_at(keyword), "outgoing", _link_target(token))

    def source_and(self, left: Any, _op: Token, right: Any) -> BoolOp:
        return _joined("and", left, right)

    def source_or(self, left: Any, _op: Token, right: Any) -> BoolOp:
        return _joined("or", left, right)

    def source_neg(self, *items: Any) -> Not:
        return Not(items[-1].line, items[-1].column, items[-1])

    # the query
    def column(self, expr: Any, *name: Token) -> Column:
        if name and name[-1].type in ("STRING", "NAME"):
            return Column(expr, _unquote(name[-1]) if name[-1].type == "STRING" else str(name[-1]))
        return Column(expr, spelled(expr))

    def columns(self, *columns: Column) -> list[Column]:
        return list(columns)

    def without_id(self, *_: Token) -> bool:
        return True

    def table(self, _kw: Token, *parts: Any) -> Query:
        return self._query("table", parts, lambda columns: columns)

    def list_(self, _kw: Token, *parts: Any) -> Query:
        return self._query("list", parts, lambda column: [column])

    def _query(self, kind: str, parts: tuple[Any, ...], columns: Any) -> Query:
        """A TABLE or LIST head: WITHOUT ID (parsed as True), then its columns (a TABLE's
        list, a LIST's one expression)."""
        query = Query(kind, self.text)
        for part in parts:
            if part is True:
                query.without_id = True
            else:
                query.columns = columns(part)
        return query

    def from_clause(self, _kw: Token, source: Any) -> tuple[str, Any]:
        return ("source", source)

    def where_clause(self, keyword: Token, expr: Any) -> Command:
        return Command(*_at(keyword), "where", expr)

    def sort_key(self, expr: Any, *direction: Token) -> SortKey:
        return SortKey(expr, bool(direction) and direction[0].type == "DESC")

    def sort_clause(self, keyword: Token, *keys: SortKey) -> Command:
        return Command(*_at(keyword), "sort", keys=tuple(keys))

    def limit_clause(self, keyword: Token, count: Token) -> Command:
        return Command(*_at(keyword), "limit", count=_count(count, "LIMIT"))

    def flatten_clause(self, keyword: Token, expr: Any, *name: Token) -> Command:
        return Command(*_at(keyword), "flatten", expr, name=str(name[-1]) if name else None)

    def group_clause(self, keyword: Token, _by: Token, expr: Any, *name: Token) -> Command:
        return Command(*_at(keyword), "group", expr, name=str(name[-1]) if name else None)

    def query(self, head: Query, *parts: Any) -> Query:
        for part in parts:
            if isinstance(part, Command):
                head.commands.append(part)
            else:
                head.source = part[1]
        return head

    def start(self, query: Query) -> Query:
        return query


def _joined(op: str, left: Any, right: Any) -> BoolOp:
    """`a AND b AND c` as one node of three items, not a nest: 90 conditions must not build SQL
    nested 90 deep (SQLite's parser stops at about 100)."""
    items = [*(left.items if isinstance(left, BoolOp) and left.op == op else (left,)),
             *(right.items if isinstance(right, BoolOp) and right.op == op else (right,))]
    return BoolOp(*_first_position(left), op, tuple(items))


def _link_target(token: Token) -> str:
    """The note a `[[...]]` names (heading and label set aside); "" for `[[]]` and `[[#]]`, the
    note holding the query."""
    from ...syntax import parse_wikilink

    return parse_wikilink(str(token)[2:-2])[0]


def spelled(expr: Any) -> str:
    """An expression written back as query text (for column titles and messages)."""
    if isinstance(expr, Field):
        return expr.name
    if isinstance(expr, Literal):
        if expr.kind == "duration":
            return f"dur({expr.value.text})"
        if expr.kind == "link":
            return f"[[{expr.value}]]"
        return expr.value if expr.is_date else json.dumps(expr.value, ensure_ascii=False)
    if isinstance(expr, Call):
        return f"{expr.name}({', '.join(spelled(arg) for arg in expr.args)})"
    if isinstance(expr, Compare):
        return f"{spelled(expr.left)} {expr.op} {spelled(expr.right)}"
    if isinstance(expr, Arith):
        return f"{spelled(expr.left)} {expr.op} {spelled(expr.right)}"
    if isinstance(expr, Negate):
        return f"-{spelled(expr.item)}"
    if isinstance(expr, BoolOp):
        return f" {expr.op} ".join(spelled(item) for item in expr.items)
    if isinstance(expr, Not):
        return f"not {spelled(expr.item)}"
    return str(expr)
