"""The notes as an in-memory SQLite database: what queries (and raw SQL) run against.

    notes(id, path, folder, kind, title, status, next_review, reviews, meta, day, file_tags, file_etags)
    links(source, target, type, anchor)
    files(id, size, ctime, mtime, cday, mday)

`title` and `status` are the values every command shows (the id when a title is missing, a
paper's default `to-read`); `next_review` and `reviews` come from the review log (concepts only);
`meta` is the whole front matter as JSON, read with SQLite's JSON functions (`tags` and other
lists through `json_each`). `day` is the date in the note's name (`2024-11-05-meeting`) or its
`date` field, as Dataview's `file.day`; `file_tags` lists its tags as `#tag`, each subtag
broken down (`#a`, `#a/b`), and `file_etags` as written. `links` holds every resolved link,
front matter and body alike; `files` the file's size and its times (from git when the base is a
repository, `notes/dates.py`). Both are filled on first use by a query that needs them.
"""

from __future__ import annotations

import json
import posixpath
import re
import sqlite3
from collections.abc import Mapping
from typing import Any

from ...base import KnowledgeBase
from ...graph import is_edge
from ...model import Note, parse_date
from ...notes.dates import times_of
from ..safe import finite

COLUMNS = ("id", "path", "folder", "kind", "title", "status", "next_review", "reviews")

SCHEMA = """
CREATE TABLE notes (id TEXT PRIMARY KEY, path TEXT, folder TEXT, kind TEXT, title TEXT,
                    status TEXT, next_review TEXT, reviews INTEGER, meta TEXT, day TEXT,
                    file_tags TEXT, file_etags TEXT);
CREATE TABLE links (source TEXT, target TEXT, type TEXT, anchor TEXT);
CREATE TABLE files (id TEXT PRIMARY KEY, size INTEGER, ctime TEXT, mtime TEXT, cday TEXT, mday TEXT);
"""
_DAY_IN_NAME = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


def build_database(kb: KnowledgeBase, reviews: Mapping[str, tuple[str | None, int]]) -> sqlite3.Connection:
    """A fresh in-memory database of the base. `reviews`: concept id -> (next review date, count)."""
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.executescript(SCHEMA)
    rows = []
    for note in kb.index.notes.values():
        due, count = reviews.get(note.id, (None, 0))
        tags = note.tags
        rows.append((note.id, note.path, posixpath.dirname(note.path), note.kind, note.title,
                     note.status, due, count if note.id in reviews else None, _json(note.meta),
                     _day(note), json.dumps(_broken_down(tags), ensure_ascii=False),
                     json.dumps([f"#{t}" for t in tags], ensure_ascii=False)))
    db.executemany("INSERT INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    return db


def fill_links(db: sqlite3.Connection, kb: KnowledgeBase) -> None:
    """Fill the `links` table: done only for the queries that use links (half the build time)."""
    db.executemany("INSERT INTO links VALUES (?, ?, ?, ?)",
                   {(link.source, link.target, link.type, link.anchor) for link in kb.links if is_edge(link)})
    db.execute("CREATE INDEX links_by_source ON links (source, target)")
    db.execute("CREATE INDEX links_by_target ON links (target, source)")
    db.commit()


def fill_files(db: sqlite3.Connection, kb: KnowledgeBase) -> None:
    """Fill the `files` table: sizes and times, for the queries that ask (`file.size`,
    `file.mtime`, ...): git history is read once, files are stat'ed once."""
    rows = []
    for note in kb.index.notes.values():
        times = times_of(kb, note)
        try:
            size: int | None = (kb.root / note.path).stat().st_size
        except OSError:
            size = None
        created = times.created.strftime("%Y-%m-%dT%H:%M:%S") if times.created else None
        modified = times.modified.strftime("%Y-%m-%dT%H:%M:%S") if times.modified else None
        rows.append((note.id, size, created, modified, created and created[:10], modified and modified[:10]))
    db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)", rows)
    db.commit()


def _day(note: Note) -> str | None:
    found = _DAY_IN_NAME.search(note.id)
    if found is not None:
        day = parse_date("-".join(found.groups()))
        if day is not None:
            return day.isoformat()
    written = parse_date(note.meta.get("date")) if note.meta.get("date") is not None else None
    return written.isoformat() if written else None


def _broken_down(tags: list[str]) -> list[str]:
    """`a/b/c` -> `#a`, `#a/b`, `#a/b/c` (Dataview's file.tags), each once, in order."""
    found: dict[str, None] = {}
    for tag in tags:
        parts = tag.split("/")
        for end in range(1, len(parts) + 1):
            found["#" + "/".join(parts[:end])] = None
    return list(found)


def _json(meta: Mapping[str, Any]) -> str:
    try:
        return json.dumps(meta, ensure_ascii=False, default=str, allow_nan=False)
    except (ValueError, TypeError):  # `.inf` or a date as a key in YAML: not JSON as it is
        return json.dumps(finite(_text_keys(meta)), ensure_ascii=False, default=str)


def _text_keys(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _text_keys(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_text_keys(v) for v in value]
    return value
