"""A compiled expression: its SQL, what kind of value it is, and where its JSON lives.

Front-matter values live in the `meta` JSON of a note; lists computed by the engine
(`file.inlinks`, `rows.title`) are JSON arrays. A value that is, or may be, JSON keeps the SQL of
its document and the path to it, so functions can ask its JSON type (`contains` of a list is not
`contains` of a text), walk it (`json_each`) or embed it in another list without quoting it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

BOOL, NUMBER, TEXT, DATE, DATETIME, DURATION, LINK, LIST, ANY = (
    "bool", "number", "text", "date", "datetime", "duration", "link", "list", "any")
DATES = (DATE, DATETIME)


@dataclass(frozen=True, slots=True)
class V:
    """`sql` gives the value as SQLite sees it (`->>`: a list comes out as its JSON text);
    `doc` and `path` (both SQL) locate it as JSON when it may be JSON; `links` marks a list of
    note ids (rendered as links)."""

    sql: str
    type: str = ANY
    doc: str | None = None
    path: str = "'$'"
    links: bool = False

    @property
    def json_type(self) -> str:
        """SQL: 'array', 'object', 'text', ... or NULL (never JSON: no document)."""
        return f"json_type({self.doc}, {self.path})" if self.doc is not None else "NULL"

    @property
    def as_json(self) -> str:
        """SQL of the value as JSON-typed text, to embed in a JSON array or object."""
        if self.doc is not None:
            return f"json({self.doc} -> {self.path})"
        return self.sql

    def typed(self, type_: str) -> V:
        return replace(self, type=type_)


def json_list(sql: str, links: bool = False) -> V:
    """A list computed as JSON text (json_group_array ...)."""
    return V(sql, LIST, sql, "'$'", links)


def quoted_path(parts: tuple[str, ...] | list[str]) -> str:
    """`$."a"."b"` as an SQL literal (keys quoted: a key may hold any character but `"`)."""
    inner = "$" + "".join('."' + part.replace('"', "") + '"' for part in parts)
    return "'" + inner.replace("'", "''") + "'"
