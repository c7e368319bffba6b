"""Run queries: parse, compile, execute on the base's in-memory database, shape the rows.

One engine per KnowledgeBase (`engine_for`), its database built on first use and then shared by
every query of a command or a site build. The connection is read-only (`PRAGMA query_only`, and
an authorizer refusing ATTACH, PRAGMA and writes) and a query that runs too long is stopped, so
raw SQL (`kb query --sql`) can be offered to power users without risk to anything on disk.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ...base import KnowledgeBase
from .compile import Compiled, compile_query
from .parse import Query, QueryError, parse
from .table import build_database, fill_links

TIME_LIMIT = 10.0  # seconds a single query may run
# A deny-list: SQLite's table-valued functions (json_each) touch the schema through the authorizer
# as they start, so an allow-list would break them. Writes are refused by `query_only` as well.
_DENIED = {getattr(sqlite3, name) for name in (
    "SQLITE_ATTACH", "SQLITE_DETACH", "SQLITE_PRAGMA", "SQLITE_INSERT", "SQLITE_DELETE", "SQLITE_CREATE_TABLE", "SQLITE_CREATE_TEMP_TABLE", "SQLITE_CREATE_INDEX",
    "SQLITE_CREATE_TEMP_INDEX", "SQLITE_CREATE_VIEW", "SQLITE_CREATE_TEMP_VIEW",
    "SQLITE_CREATE_TRIGGER", "SQLITE_CREATE_TEMP_TRIGGER", "SQLITE_DROP_TABLE", "SQLITE_ALTER_TABLE",
    "SQLITE_CREATE_VTABLE", "SQLITE_TRANSACTION", "SQLITE_SAVEPOINT", "SQLITE_ANALYZE",
    "SQLITE_REINDEX") if hasattr(sqlite3, name)}


@dataclass(slots=True)
class Row:
    id: str
    title: str
    values: list[Any]


@dataclass(slots=True)
class QueryResult:
    """What a query found: a table (columns) or a list (at most one column), rows in order."""

    kind: str  # "table" | "list"
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    without_id: bool = False

    @property
    def ids(self) -> list[str]:
        return [row.id for row in self.rows]

    def as_records(self) -> list[dict[str, Any]]:
        """Rows as dicts (`id`, `title`, then each column): `kb query --format json`."""
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
        self._links = False

    @cached_property
    def db(self) -> sqlite3.Connection:
        from ..review import schedule

        reviews = {note: (state.due.isoformat(), state.reviews)
                   for note, state in schedule(self.kb, self.today).items()}
        db = build_database(self.kb, reviews)
        self._read_only(db)
        db.set_progress_handler(self._too_long, 10_000)
        return db

    @staticmethod
    def _read_only(db: sqlite3.Connection) -> None:
        db.execute("PRAGMA query_only = ON")
        db.set_authorizer(_authorize)

    def _with_links(self) -> sqlite3.Connection:
        """The database with its `links` table filled (once), for the queries that need it."""
        db = self.db
        if not self._links:
            db.set_authorizer(None)
            db.set_progress_handler(None, 0)  # the time limit is for queries, not for this
            db.execute("PRAGMA query_only = OFF")
            try:
                fill_links(db, self.kb)
            finally:
                self._read_only(db)
                db.set_progress_handler(self._too_long, 10_000)
            self._links = True
        return db

    def _too_long(self) -> int:
        return int(time.monotonic() > self._deadline)

    def compile(self, text: str) -> tuple[Query, Compiled]:
        """Parse and compile, without touching the database (what `kb check` does)."""
        query = parse(text)
        index = self.kb.index
        return query, compile_query(query, index.resolve_name, index.notes.keys(), self.today)

    def run(self, text: str) -> QueryResult:
        """Run a query; QueryError (line, column) for anything wrong with it."""
        query, compiled = self.compile(text)
        if compiled.uses_links:
            self._with_links()
        rows = self._execute(compiled.sql, compiled.params, text)
        result = QueryResult(query.kind, compiled.columns, without_id=query.without_id)
        for note_id, title, *values in rows:
            shaped = [_shape(v, is_json, is_bool) for v, is_json, is_bool
                      in zip(values, compiled.json_columns, compiled.bool_columns)]
            result.rows.append(Row(note_id, title, shaped))
        return result

    def sql(self, text: str) -> RawResult:
        """Raw, read-only SQL over the `notes` and `links` tables (one statement)."""
        self._with_links()
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
        except (sqlite3.Error, sqlite3.Warning, OverflowError) as exc:
            raise _failed(exc, text) from None

    def _fetch(self, cursor: sqlite3.Cursor, text: str) -> list[tuple[Any, ...]]:
        try:
            return cursor.fetchall()
        except (sqlite3.Error, OverflowError) as exc:
            raise _failed(exc, text) from None


def _failed(exc: Exception, text: str) -> QueryError:
    message = str(exc)
    if "interrupted" in message:
        message = f"stopped after {TIME_LIMIT:.0f} s"
    elif "not authorized" in message or "readonly" in message.lower():
        message = "only reading is allowed (SELECT over notes and links)"
    return QueryError(f"SQLite: {message}", 1, 1, text)


def _authorize(action: int, table: str | None, *_: Any) -> int:
    if action in _DENIED or (action == sqlite3.SQLITE_UPDATE and table != "sqlite_master"):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _shape(value: Any, is_json: bool, is_bool: bool) -> Any:
    if value is None:
        return None
    if is_json:
        return json.loads(value)
    if is_bool:
        return bool(value)
    return value


def engine_for(kb: KnowledgeBase, today: dt.date | None = None) -> QueryEngine:
    """The base's engine, made once and shared (a command or a site build asks many queries)."""
    engine = kb.__dict__.get("_query_engine")
    if engine is None or (today is not None and engine.today != today):
        engine = kb.__dict__["_query_engine"] = QueryEngine(kb, today)
    assert isinstance(engine, QueryEngine)
    return engine


def check_query(kb: KnowledgeBase, text: str) -> QueryError | None:
    """The query's first mistake, or None; parsing and compiling only, no database."""
    try:
        engine_for(kb).compile(text)
    except QueryError as exc:
        return exc
    return None
