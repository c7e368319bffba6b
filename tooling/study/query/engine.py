"""Run queries: parse, compile, execute on the base's in-memory database, shape the rows.

One engine per KnowledgeBase (`engine_for`), its database built on first use and then shared by
every query of a command or a site build. The connection is read-only (`PRAGMA query_only`, and
an authorizer refusing ATTACH, PRAGMA, writes and `fts3_tokenizer`), and every statement, ours or
raw SQL (`kb query --sql`), is bounded: 10 s of time, 16 MB for one value (`zeroblob(1e9)` fails
at once), 512 MB of SQLite's heap, 100,000 rows and 64 MB of results. So raw SQL can be offered
to power users without risk to anything on disk or to the machine.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ...base import KnowledgeBase, collector_paused
from .compile import Compiled, compile_query
from .parse import Query, QueryError, parse
from .table import build_database, fill_files, fill_links

TIME_LIMIT = 10.0  # seconds a single statement may run
MAX_VALUE = 16 * 1024 * 1024  # bytes in one text or blob (SQLITE_LIMIT_LENGTH)
MAX_SQL = 1024 * 1024  # bytes of SQL text in one statement
HEAP_LIMIT = 512 * 1024 * 1024  # SQLite's memory, all of it (its sorts, its tables)
MAX_ROWS = 100_000
MAX_RESULT_BYTES = 64 * 1024 * 1024
# A deny-list: SQLite's table-valued functions (json_each) touch the schema through the authorizer
# as they start, so an allow-list would break them. Writes are refused by `query_only` as well.
_DENIED = {getattr(sqlite3, name) for name in (
    "SQLITE_ATTACH", "SQLITE_DETACH", "SQLITE_PRAGMA", "SQLITE_INSERT", "SQLITE_DELETE",
    "SQLITE_CREATE_TABLE", "SQLITE_CREATE_TEMP_TABLE", "SQLITE_CREATE_INDEX",
    "SQLITE_CREATE_TEMP_INDEX", "SQLITE_CREATE_VIEW", "SQLITE_CREATE_TEMP_VIEW",
    "SQLITE_CREATE_TRIGGER", "SQLITE_CREATE_TEMP_TRIGGER", "SQLITE_DROP_TABLE", "SQLITE_ALTER_TABLE",
    "SQLITE_CREATE_VTABLE", "SQLITE_TRANSACTION", "SQLITE_SAVEPOINT", "SQLITE_ANALYZE",
    "SQLITE_REINDEX") if hasattr(sqlite3, name)}
# Functions no query needs: fts3_tokenizer hands out (and, with two arguments, takes) a C pointer.
_DENIED_FUNCTIONS = frozenset({"fts3_tokenizer", "load_extension", "readfile", "writefile", "edit"})
_FUNCTION = getattr(sqlite3, "SQLITE_FUNCTION", 31)
_LIMITS = (("SQLITE_LIMIT_LENGTH", MAX_VALUE), ("SQLITE_LIMIT_SQL_LENGTH", MAX_SQL),
           ("SQLITE_LIMIT_EXPR_DEPTH", 200), ("SQLITE_LIMIT_COMPOUND_SELECT", 50),
           ("SQLITE_LIMIT_ATTACHED", 0), ("SQLITE_LIMIT_LIKE_PATTERN_LENGTH", 10_000),
           ("SQLITE_LIMIT_TRIGGER_DEPTH", 1))


@dataclass(slots=True)
class Row:
    id: str  # the note's id, or a group's key as text
    title: str
    values: list[Any]
    key: Any = None  # a group's key as a value


@dataclass(slots=True)
class QueryResult:
    """What a query found: a table (columns) or a list (at most one column), rows in order;
    with GROUP BY, one row per group, its key named `group`."""

    kind: str  # "table" | "list"
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    without_id: bool = False
    group: str | None = None
    kinds: list[str] = field(default_factory=list)  # per column: value, json, bool, link, links, duration
    key_kind: str = "value"

    @property
    def ids(self) -> list[str]:
        return [row.id for row in self.rows]

    def as_records(self) -> list[dict[str, Any]]:
        """Rows as dicts (`kb query --format json`): `id` and `title` (or the group key), then
        each column."""
        if self.group is not None:
            return [{self.group: row.key, **dict(zip(self.columns, row.values))} for row in self.rows]
        return [{"id": row.id, "title": row.title, **dict(zip(self.columns, row.values))}
                for row in self.rows]


@dataclass(slots=True)
class RawResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


class QueryEngine:
    """Queries over one base. `today` fixes `date(today)` and review due dates."""

    def __init__(self, kb: KnowledgeBase, today: dt.date | None = None):
        self.kb = kb
        self.today = today or dt.date.today()
        self._deadline = 0.0
        self._filled: set[str] = set()

    @cached_property
    @collector_paused()
    def db(self) -> sqlite3.Connection:
        from ..review import schedule

        reviews = {note: (state.due.isoformat(), state.reviews)
                   for note, state in schedule(self.kb, self.today).items()}
        db = build_database(self.kb, reviews)
        db.create_function("kb_resolve", 1, self._resolve, deterministic=True)
        for name, value in _LIMITS:
            if hasattr(sqlite3, name) and hasattr(db, "setlimit"):
                db.setlimit(getattr(sqlite3, name), value)
        db.execute(f"PRAGMA hard_heap_limit = {HEAP_LIMIT}")
        db.execute("PRAGMA temp_store = MEMORY")  # sorts stay in memory, under the heap limit, not on disk
        self._read_only(db)
        db.set_progress_handler(self._too_long, 10_000)
        return db

    def _resolve(self, name: Any) -> str | None:
        return self.kb.index.resolve_name(name) if isinstance(name, str) else None

    @staticmethod
    def _read_only(db: sqlite3.Connection) -> None:
        db.execute("PRAGMA query_only = ON")
        db.set_authorizer(_authorize)

    def _filled_with(self, table: str) -> sqlite3.Connection:
        """The database with its `links` or `files` table filled (once), for the queries that
        need it."""
        db = self.db
        if table not in self._filled:
            db.set_authorizer(None)
            db.set_progress_handler(None, 0)  # the time limit is for queries, not for this
            db.execute("PRAGMA query_only = OFF")
            try:
                (fill_links if table == "links" else fill_files)(db, self.kb)
            finally:
                self._read_only(db)
                db.set_progress_handler(self._too_long, 10_000)
            self._filled.add(table)
        return db

    def _too_long(self) -> int:
        return int(time.monotonic() > self._deadline)

    def compile(self, text: str, this: str | None = None) -> tuple[Query, Compiled]:
        """Parse and compile, without touching the database (what `kb check` does). `this`: the
        id of the note holding the query, if any."""
        query = parse(text)
        index = self.kb.index
        return query, compile_query(query, index.resolve_name, index.notes.keys(), self.today, this)

    @collector_paused()
    def run(self, text: str, this: str | None = None) -> QueryResult:
        """Run a query; QueryError (line, column) for anything wrong with it."""
        query, compiled = self.compile(text, this)
        if compiled.uses_links:
            self._filled_with("links")
        if compiled.uses_files:
            self._filled_with("files")
        rows = self._execute(compiled.sql, compiled.params, text)
        kinds = [column.kind for column in compiled.columns]
        result = QueryResult(query.kind, [c.name for c in compiled.columns], without_id=query.without_id,
                             group=compiled.group, kinds=kinds, key_kind=compiled.key.kind)
        for first, title, *values in rows:
            shaped = [_shape(v, kind) for v, kind in zip(values, kinds)]
            if compiled.group is not None:
                key = _shape(first, compiled.key.kind)
                result.rows.append(Row(_text(key), _text(key), shaped, key))
            else:
                result.rows.append(Row(first, title, shaped))
        return result

    def sql(self, text: str) -> RawResult:
        """Raw, read-only SQL over the `notes`, `links` and `files` tables (one statement)."""
        self._filled_with("links")
        self._filled_with("files")
        cursor = self._cursor(text, {}, text)
        rows = self._fetch(cursor, text)
        columns = [d[0] for d in cursor.description or ()]
        return RawResult(columns, rows)

    def _execute(self, sql: str, params: dict[str, Any], text: str) -> list[tuple[Any, ...]]:
        return self._fetch(self._cursor(sql, params, text), text)

    def _cursor(self, sql: str, params: dict[str, Any], text: str) -> sqlite3.Cursor:
        db = self.db
        self._deadline = time.monotonic() + TIME_LIMIT
        try:
            return db.execute(sql, params)
        except (sqlite3.Error, sqlite3.Warning, OverflowError, MemoryError, ValueError) as exc:
            raise _failed(exc, text) from None

    def _fetch(self, cursor: sqlite3.Cursor, text: str) -> list[tuple[Any, ...]]:
        """Every row, within the row and byte budgets."""
        rows: list[tuple[Any, ...]] = []
        size, step = 0, 16
        try:
            while True:
                batch = cursor.fetchmany(step)
                if not batch:
                    return rows
                weight = sum(_size(value) for row in batch for value in row)
                size += weight
                # Small rows: larger batches; large rows: one at a time, so the budget stops them early.
                step = 1 if weight > 4 * 2**20 else min(1024, step * 2) if weight < 2**20 else step
                rows += batch
                if len(rows) > MAX_ROWS or size > MAX_RESULT_BYTES:
                    cursor.close()
                    raise QueryError(f"the result is too large (over {MAX_ROWS:,} rows or "
                                     f"{MAX_RESULT_BYTES // 2**20} MB): add LIMIT or ask for less", 1, 1, text)
        except (sqlite3.Error, OverflowError, MemoryError, ValueError) as exc:
            raise _failed(exc, text) from None


def _size(value: Any) -> int:
    if isinstance(value, (str, bytes)):
        return len(value)
    return 8


def _failed(exc: BaseException, text: str) -> QueryError:
    message = str(exc)
    if isinstance(exc, MemoryError) or "out of memory" in message:
        message = "out of memory (the query asks for more than the limits allow: add LIMIT or ask for less)"
    elif "interrupted" in message:
        message = f"stopped after {TIME_LIMIT:.0f} s"
    elif "not authorized to use function" in message:
        message = f"the function {message.rsplit(':', 1)[-1].strip()} is not allowed in kb query --sql"
    elif "not authorized" in message or "readonly" in message.lower():
        message = "only reading is allowed (SELECT over notes, links and files)"
    elif "too big" in message:
        message = f"a value is too large (over {MAX_VALUE // 2**20} MB)"
    return QueryError(f"SQLite: {message}", 1, 1, text)


def _authorize(action: int, table: str | None, name: str | None, *_: Any) -> int:
    if action in _DENIED or (action == sqlite3.SQLITE_UPDATE and table != "sqlite_master"):
        return sqlite3.SQLITE_DENY
    if action == _FUNCTION and name is not None and name.lower() in _DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _shape(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind in ("json", "links"):
        return json.loads(value) if isinstance(value, str) else value
    if kind == "bool":
        return bool(value)
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def engine_for(kb: KnowledgeBase, today: dt.date | None = None) -> QueryEngine:
    """The base's engine, made once and shared (a command or a site build asks many queries)."""
    return kb.derived(QueryEngine, today or dt.date.today())


def check_query(kb: KnowledgeBase, text: str, this: str | None = None) -> QueryError | None:
    """The query's first mistake, or None; parsing and compiling only, no database."""
    try:
        engine_for(kb).compile(text, this)
    except QueryError as exc:
        return exc
    return None

