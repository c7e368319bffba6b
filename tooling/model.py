"""The note format: kinds, statuses, which fields link notes, and the records the pipeline passes on.

This module is the contract of the knowledge base (see README, "Adding notes"). Everything here is
plain data: later stages (links, graph, checks, site) read it and never re-read files.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from .frontmatter import key_lines

NOTE_DIRS = ("papers", "concepts", "notes")

PAPER, CONCEPT, AUTHOR, NOTE, PLAN = "paper", "concept", "author", "note", "plan"
KINDS = (PAPER, CONCEPT, AUTHOR, NOTE, PLAN)

STATUSES: dict[str, tuple[str, ...]] = {
    PAPER: ("to-read", "reading", "read", "skimmed", "dropped"),
    CONCEPT: ("to-study", "studying", "studied"),
}
DEFAULT_STATUS = {PAPER: "to-read", CONCEPT: "to-study"}
# Statuses that mean "finished": the site fades them, reports count them as done.
DONE_STATUSES = frozenset({"read", "skimmed", "dropped", "studied"})
ACTIVE_STATUSES = frozenset({"reading", "studying"})
PRIORITIES = ("high", "medium", "low")

DATE_FIELDS = ("created", "added", "started", "finished", "due", "published", "updated")

# Front-matter fields holding note ids, and the edge type each creates.
# `authors` is special: it holds names, linked to the author node of the name's slug.
LINK_FIELDS: dict[str, str] = {
    "concepts": "concept",
    "prerequisites": "prerequisite",
    "related": "related",
    "papers": "paper",
    "items": "item",
}
AUTHOR_FIELD = "authors"
EDGE_TYPES = ("author", "concept", "prerequisite", "related", "paper", "wikilink", "link", "item")

# Fields the site shows in the header card; anything else is an "unknown" field, kept and shown too.
KNOWN_FIELDS = frozenset(
    {
        "title", "tags", "aliases", "created", "kind", "arxiv", "authors", "year", "venue", "url",
        "status", "priority", "concepts", "related", "added", "started", "finished",
        "prerequisites", "papers", "goal", "due", "items", "published", "updated", "version",
        "primary_category", "categories", "abstract", "doi", "journal_ref", "comment", "pdf_url",
        "arxiv_sync", "rule",
    }
)

ERROR, WARNING = "error", "warning"


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
    _lines: tuple[dict[str, int], dict[str, list[int]]] | None = None

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


@dataclass(slots=True)
class Link:
    """A reference from one note to a target, found in front matter or body."""

    source: str  # note id
    target: str | None  # resolved node id, None when unresolved
    raw: str  # the target as written
    type: str  # edge type (see EDGE_TYPES)
    line: int
    label: str | None = None
    anchor: str | None = None
    group: str | None = None  # plan item group ("main", "optional")


@dataclass(slots=True, frozen=True)
class Problem:
    """One finding of `kb check`: printed as `path:line: severity code: message`."""

    path: str
    line: int
    severity: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity} {self.code}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


def as_list(value: Any) -> list[Any]:
    """Normalise a list-or-scalar field value."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


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


def slugify(text: str) -> str:
    """`Kevin Meng` -> `kevin-meng`; accents folded (`Sébastien` -> `sebastien`)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug or "untitled"


def parse_date(value: object) -> dt.date | None:
    """A date field's value as a date, or None if it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None
