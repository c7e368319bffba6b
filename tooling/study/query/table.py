"""The notes as an in-memory SQLite database: what queries (and raw SQL) run against.

    notes(id, path, folder, kind, title, status, next_review, reviews, meta)
    links(source, target, type)

`title` and `status` are the values every command shows (the id when a title is missing, a
paper's default `to-read`); `next_review` and `reviews` come from the review log (concepts only);
`meta` is the whole front matter as JSON, read with SQLite's JSON functions (`tags` and other
lists through `json_each`). `links` holds every resolved link, front matter and body alike; it is
filled on first use by a query that needs it.
"""

from __future__ import annotations

import json
import math
import posixpath
import sqlite3
from collections.abc import Mapping
from typing import Any

from ...base import KnowledgeBase
from ...graph import is_edge

COLUMNS = ("id", "path", "folder", "kind", "title", "status", "next_review", "reviews")

SCHEMA = """
CREATE TABLE notes (id TEXT PRIMARY KEY, path TEXT, folder TEXT, kind TEXT, title TEXT,
                    status TEXT, next_review TEXT, reviews INTEGER, meta TEXT);
CREATE TABLE links (source TEXT, target TEXT, type TEXT);
"""


def build_database(kb: KnowledgeBase, reviews: Mapping[str, tuple[str | None, int]]) -> sqlite3.Connection:
    """A fresh in-memory database of the base. `reviews`: concept id -> (next review date, count)."""
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.executescript(SCHEMA)
    rows = []
    for note in kb.index.notes.values():
        due, count = reviews.get(note.id, (None, 0))
        rows.append((note.id, note.path, posixpath.dirname(note.path), note.kind, note.title,
                     note.status, due, count if note.id in reviews else None, _json(note.meta)))
    db.executemany("INSERT INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    return db


def fill_links(db: sqlite3.Connection, kb: KnowledgeBase) -> None:
    """Fill the `links` table: done only for the queries that use links (half the build time)."""
    db.executemany("INSERT INTO links VALUES (?, ?, ?)",
                   {(link.source, link.target, link.type) for link in kb.links if is_edge(link)})
    db.execute("CREATE INDEX links_by_source ON links (source, target)")
    db.execute("CREATE INDEX links_by_target ON links (target, source)")
    db.commit()


def _json(meta: Mapping[str, Any]) -> str:
    try:
        return json.dumps(meta, ensure_ascii=False, default=str, allow_nan=False)
    except ValueError:  # `.nan` or `.inf` in YAML: not JSON; SQLite would reject the whole row
        return json.dumps(_finite(meta), ensure_ascii=False, default=str)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
