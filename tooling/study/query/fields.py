"""What a field name means in a query: a column of the `notes` table, a front-matter field, one of
Dataview's implicit `file.*` fields, `this.*` (the note holding the query), a name bound by
FLATTEN, or after GROUP BY the group's key and `rows`.

`FILE_FIELDS` is the list of supported `file.*` fields; any other is an error naming them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...schema import DATE_FIELDS
from .table import COLUMNS
from .tree import Field, QueryError
from .values import ANY, DATE, DATETIME, LINK, NUMBER, TEXT, V, json_list, quoted_path

if TYPE_CHECKING:
    from .expr import Expressions

_COLUMN_TYPES = {"next_review": DATE, "reviews": NUMBER}


def _lazy(column: str, type_: str) -> Callable[[Expressions, str], V]:
    def build(c: Expressions, row: str) -> V:
        c.uses_files = True
        return V(f"(SELECT files.{column} FROM files WHERE files.id = {row}.id)", type_)
    return build


def _links(outgoing: bool) -> Callable[[Expressions, str], V]:
    mine, theirs = ("source", "target") if outgoing else ("target", "source")

    def build(c: Expressions, row: str) -> V:
        c.uses_links = True
        return json_list(f"(SELECT json_group_array({theirs}) FROM (SELECT DISTINCT links.{theirs} FROM links "
                         f"WHERE links.{mine} = {row}.id ORDER BY links.{theirs}))", links=True)
    return build


# Dataview's implicit fields (README, "Queries"): what each is here.
FILE_FIELDS: dict[str, Callable[[Expressions, str], V]] = {
    "name": lambda c, row: V(f"{row}.id", TEXT),
    "link": lambda c, row: V(f"{row}.id", LINK),
    "path": lambda c, row: V(f"{row}.path", TEXT),
    "folder": lambda c, row: V(f"{row}.folder", TEXT),
    "ext": lambda c, row: V("'md'", TEXT),
    "size": _lazy("size", NUMBER),
    "ctime": _lazy("ctime", DATETIME),
    "mtime": _lazy("mtime", DATETIME),
    "cday": _lazy("cday", DATE),
    "mday": _lazy("mday", DATE),
    "day": lambda c, row: V(f"{row}.day", DATE),
    "tags": lambda c, row: json_list(f"{row}.file_tags"),
    "etags": lambda c, row: json_list(f"{row}.file_etags"),
    "aliases": lambda c, row: V(f"({row}.meta ->> '$.\"aliases\"')", ANY, f"{row}.meta", "'$.\"aliases\"'"),
    "frontmatter": lambda c, row: V(f"{row}.meta", ANY, f"{row}.meta", "'$'"),
    "inlinks": _links(outgoing=False),
    "outlinks": _links(outgoing=True),
}


@dataclass(slots=True)
class Scope:
    """Where names are looked up. `row`: the SQL alias of the note of the row (page scope);
    `bindings`: names bound by FLATTEN; `group`: after GROUP BY, the key's name and value, and
    the page scope `rows.*` is read in."""

    row: str = "notes"
    bindings: dict[str, V] = field(default_factory=dict)
    group: tuple[str, V, Scope] | None = None


def resolve(c: Expressions, scope: Scope, node: Field) -> V:
    """The value a field names in this scope; QueryError for a name that cannot mean anything."""
    path = node.path
    if scope.group is not None:
        return _in_group(c, scope, node)
    if path[0] in scope.bindings:
        bound = scope.bindings[path[0]]
        if len(path) == 1:
            return bound
        if bound.doc is None:
            return V("NULL")
        inside = f"({bound.path} || '{quoted_path(path[1:])[2:-1]}')"  # the bound path, then ."a"."b"
        return V(f"({bound.doc} ->> {inside})", ANY, bound.doc, inside)
    if path[0] == "this":
        return _this(c, node)
    if path[0] == "file" and len(path) > 1:
        build = FILE_FIELDS.get(path[1])
        if build is None or len(path) > 2:
            raise QueryError(f"unknown field file.{'.'.join(path[1:])} (supported: "
                             + ", ".join(f"file.{name}" for name in FILE_FIELDS) + ")", node.line, node.column)
        return build(c, scope.row)
    if len(path) == 1 and path[0] in COLUMNS:
        return V(f"{scope.row}.{path[0]}", _COLUMN_TYPES.get(path[0], TEXT))
    where = quoted_path(path)
    type_ = DATE if len(path) == 1 and path[0] in DATE_FIELDS else ANY
    return V(f"({scope.row}.meta ->> {where})", type_, f"{scope.row}.meta", where)


def _this(c: Expressions, node: Field) -> V:
    """`this.x`: field x of the note holding the query, as a subquery on that note."""
    if c.this is None:
        raise QueryError("'this' is the note holding the query: it has a meaning only in a query block "
                         "of a note (kb-query or dataview), not in kb query", node.line, node.column)
    if len(node.path) == 1:
        raise QueryError("'this' alone is a note: ask for one of its fields (this.file.name, this.tags)",
                         node.line, node.column)
    inner = resolve(c, Scope("this_note"), Field(node.line, node.column, node.path[1:]))
    key = c.param(c.this)

    def wrapped(sql: str) -> str:
        return f"(SELECT {sql} FROM notes AS this_note WHERE this_note.id = {key})"

    doc = wrapped(inner.doc) if inner.doc is not None else None
    return V(wrapped(inner.sql), inner.type, doc, inner.path, inner.links)


def _in_group(c: Expressions, scope: Scope, node: Field) -> V:
    assert scope.group is not None
    name, key, rows_scope = scope.group
    path = node.path
    if path[0] in ("key", name) and len(path) == 1:
        return key
    if path[0] == "rows":
        if len(path) == 1:
            return json_list(f"json_group_array({rows_scope.row}.id)", links=True)
        item = resolve(c, rows_scope, Field(node.line, node.column, path[1:]))
        return json_list(f"json_group_array({item.as_json})", links=item.type == LINK or item.links)
    raise QueryError(f"after GROUP BY a row is a group: use {'key' if name == 'key' else f'key (or {name})'} "
                     f"and rows (rows.{'.'.join(path)} is every {'.'.join(path)} of the group), not "
                     f"{'.'.join(path)}", node.line, node.column)

