"""The records the pipeline passes on: a loaded note and a link between notes.

Plain data: later stages (links, graph, checks, site) read these and never re-read files. The
fields and statuses they hold are described in `schema`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .notes.frontmatter import RepeatedKey, key_lines
from .schema import AUTHOR, CONCEPT, DEFAULT_STATUS, NOTE, PAPER, PLAN
from .syntax import Scan


@dataclass(slots=True)
class Note:
    """One Markdown file of the base, as loaded (front matter parsed, body untouched)."""

    path: str  # relative to the root, POSIX separators
    id: str
    kind: str
    title: str
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line where the body starts
    yaml_text: str = ""  # the front matter as written, for the lines of its fields
    yaml_line: int = 2  # 1-based line of its first line
    has_front_matter: bool = True
    readable: bool = True  # False when the file could not be decoded or its YAML parsed
    repeated_keys: tuple[RepeatedKey, ...] = ()  # keys written twice (YAML kept the last value)
    _lines: tuple[dict[str, int], dict[str, list[int]]] | None = None
    _scan: Scan | None = None
    _tags: list[str] | None = None

    @property
    def scan(self) -> Scan:
        """The body's one reading (code, links, sentences), made on first use and kept."""
        if self._scan is None:
            self._scan = Scan(self.body, self.body_line)
        return self._scan

    @property
    def status(self) -> str | None:
        """The study status, defaulted for papers and concepts."""
        value = self.meta.get("status")
        if value is None:
            return DEFAULT_STATUS.get(self.kind)
        return str(value)

    def line_of(self, key: str, index: int | None = None) -> int:
        """Line of a field (or of one item of a list field), for messages and link records.
        Found by scanning the front matter once, on first use."""
        if self._lines is None:
            self._lines = key_lines(self.yaml_text, self.yaml_line)
        fields, items = self._lines
        if index is not None:
            lines = items.get(key)
            if lines and index < len(lines):
                return lines[index]
        return fields.get(key, 1)

    def list_field(self, key: str) -> list[Any]:
        """A list field as a list: a lone scalar counts as a one-item list, null as empty."""
        return as_list(self.meta.get(key))

    @property
    def aliases(self) -> list[str]:
        """The note's other names, read as Obsidian reads them (see `aliases_of`)."""
        return aliases_of(self.meta.get("aliases"))

    @property
    def tags(self) -> list[str]:
        """The note's tags as Obsidian counts them: those of its front matter, then those in its
        text (`#topos-theory`, found by the one reading), each once whatever its case (the
        first spelling kept)."""
        if self._tags is None:  # read once, like the scan: a loaded note is never changed
            found: dict[str, str] = {}
            for name in tags_of(self.meta.get("tags")):
                found.setdefault(name.casefold(), name)
            if "#" in self.body:
                for tag in self.scan.tags:
                    found.setdefault(tag.name.casefold(), tag.name)
            self._tags = list(found.values())
        return list(self._tags)


@dataclass(slots=True)
class Link:
    """A reference from one note to a target, found in front matter or body."""

    source: str  # note id
    target: str | None  # resolved node id, None when unresolved
    raw: str  # the target as written
    type: str  # edge type (see EDGE_TYPES)
    # A body link's line, or (note, field, position) for a front-matter link, whose line is only
    # looked up when a message needs it (scanning every note's YAML for lines costs ~10%).
    where: int | tuple[Note, str, int]
    label: str | None = None
    anchor: str | None = None
    group: str | None = None  # plan item group ("main", "optional")
    span: tuple[int, int] | None = None  # a body link's offsets in the body (its sentence)
    embed: bool = False  # `![[note]]`: the note shown in place

    @property
    def line(self) -> int:
        if isinstance(self.where, int):
            return self.where
        note, key, position = self.where
        return note.line_of(key, position)


def as_list(value: Any) -> list[Any]:
    """Normalise a list-or-scalar field value."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


_TAG_SEPARATORS = re.compile(r"[\s,]+")


def aliases_of(value: Any) -> list[str]:
    """Aliases as Obsidian reads them: a list of names, or one string of names separated by
    commas (`aliases: Beta` is one alias, `aliases: Beta, Gamma` two); numbers count as names."""
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    else:
        items = [item for item in as_list(value) if isinstance(item, (str, int, float))
                 and not isinstance(item, bool)]
    return list(dict.fromkeys(name for name in (str(item).strip() for item in items) if name))


def tags_of(value: Any) -> list[str]:
    """Tags as Obsidian reads them: a list, or one string of tags separated by commas or spaces
    (`tags: "project, archived"` is two tags); a leading `#` is no part of a tag."""
    if isinstance(value, str):
        items: list[Any] = _TAG_SEPARATORS.split(value)
    else:
        items = [item for item in as_list(value) if isinstance(item, (str, int, float))
                 and not isinstance(item, bool)]
    return list(dict.fromkeys(tag for tag in (str(item).strip().lstrip("#").strip() for item in items)
                              if tag))


def kind_of(path: str, meta: dict[str, Any]) -> str:
    """A note's kind comes from its folder; `kind: plan` in front matter makes a plan."""
    if meta.get("kind") == PLAN:
        return PLAN
    parts = path.split("/")
    if parts[0] == "papers":
        return PAPER
    if parts[0] == "concepts":
        return CONCEPT
    if parts[0] == "notes" and len(parts) > 2 and parts[1] == "authors":
        return AUTHOR
    return NOTE


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIMESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                        r"(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?")


def parse_date(value: object) -> dt.date | None:
    """A date field's value as a date, or None if it is not one.

    `YYYY-MM-DD`, optionally followed by an ISO time, and nothing else: the same on every Python
    (3.11's `fromisoformat` alone would also take `20240301` and week dates like `2024-W01-1`).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _TIMESTAMP.fullmatch(str(value).strip())
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
