"""Which front-matter fields the tool owns, and how it edits a note without touching your words.

Ownership rule
--------------
`kb add` and `kb fetch` record, in the front-matter key `arxiv_sync` (one line, e.g.
`arxiv_sync: {fetched: 2026-11-25, title: 3f2a9c1e, authors: 0b7d22aa}`), a short hash of each
field value they wrote. On fetch, each field arXiv provides (TOOL_FIELDS: title, authors, year,
arxiv, version, published, updated, primary_category, categories, doi, journal_ref, comment,
pdf_url, abstract) is

(a) written when absent or empty;
(b) replaced when its current value still hashes to the recorded hash, i.e. nobody touched it
    (and removed when arXiv no longer has it);
(c) otherwise left alone and reported as "kept your <field>": a value you wrote or corrected
    always wins. A field carrying a YAML comment counts as yours too.

Fields with no record are yours, and so are every other key and the whole body. To take a field
over, edit it; to hand it back to the tool, delete it (the next fetch writes arXiv's value).
`fetched` is the day the tool last wrote a field.

Editing is line surgery: only the lines of a field being written are replaced, by a freshly
dumped block; new fields go just before the `arxiv_sync` line (or the closing `---`). Every
other byte (comments, key order, quoting, unknown keys, the body, line endings) stays as it was,
so `git diff` after a fetch shows metadata lines only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from . import arxivid, notefile
from .errors import KbError
from .frontmatter import parse_yaml, split
from .metadata import FIELD_ORDER
from .notefile import SYNC_KEY, dump_field, format_record, plain

TOOL_FIELDS: tuple[str, ...] = FIELD_ORDER
ADD, UPDATE, REMOVE, KEEP = "add", "update", "remove", "keep"
_INLINE_COMMENT = re.compile(r"^[\s:,\]}]*#")


# --- the record ------------------------------------------------------------------------------


def value_hash(value: Any) -> str:
    """8 hex digits identifying a field value as the loader reads it (dates as ISO strings)."""
    canonical = json.dumps(plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8]


def record_of(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The note's ownership record; a damaged one counts as empty (every field is then yours)."""
    record = meta.get(SYNC_KEY)
    return dict(record) if isinstance(record, Mapping) else {}


def mark_owned(meta: dict[str, Any], fields: Iterable[str], fetched: dt.date | None = None
               ) -> dict[str, Any]:
    """Record `fields` of `meta` as written by the tool (for importers creating notes).

    Sets and returns `meta["arxiv_sync"]`; empty fields are skipped. Write `meta` so that each
    field reads back as the same value, e.g. dates as plain `2024-02-10`.
    """
    record = record_of(meta)
    record["fetched"] = fetched or dt.date.today()
    for key in fields:
        if not _empty(meta.get(key)):
            record[key] = value_hash(meta[key])
    meta[SYNC_KEY] = _ordered(record)
    return meta[SYNC_KEY]


def _ordered(record: Mapping[str, Any]) -> dict[str, Any]:
    order = ["fetched", *TOOL_FIELDS]
    known = {key: record[key] for key in order if key in record}
    return {**known, **{k: v for k, v in record.items() if k not in known}}


# --- deciding --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """One decision about one field: add, update, remove, or keep (yours, arXiv differs)."""

    field: str
    action: str
    old: Any = None
    new: Any = None

    @property
    def writes(self) -> bool:
        return self.action != KEEP

    def describe(self) -> str:
        """A short diff line: `version 2 -> 3`, `+ doi: 10.1/x`, `kept your title (arXiv has: ...)`."""
        if self.action == ADD:
            return f"+ {self.field}: {_short(self.new)}"
        if self.action == REMOVE:
            return f"- {self.field}: {_short(self.old)}"
        if self.action == UPDATE:
            return f"{self.field} {_short(self.old)} -> {_short(self.new)}"
        return f"kept your {self.field} (arXiv has: {_short(self.new)})"


def _short(value: Any, width: int = 72) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(plain(value))
    return text if len(text) <= width else text[: width - 1] + "…"


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def plan_changes(meta: Mapping[str, Any], fresh: Mapping[str, Any],
                 yours: Iterable[str] = ()) -> list[Change]:
    """Apply the ownership rule to every tool field; `yours` are fields known to be touched."""
    record, touched = record_of(meta), set(yours)
    changes: list[Change] = []
    for key in TOOL_FIELDS:
        new, current = fresh.get(key), meta.get(key)
        if _empty(current):
            if not _empty(new):
                changes.append(Change(key, ADD, current, new))
            continue
        owned = key not in touched and str(record.get(key)) == value_hash(current)
        if owned and _empty(new):
            changes.append(Change(key, REMOVE, current, None))
        elif owned and value_hash(new) != value_hash(current):
            changes.append(Change(key, UPDATE, current, new))
        elif not owned and not _empty(new) and not _same(key, current, new):
            changes.append(Change(key, KEEP, current, new))
    return changes


def _same(key: str, current: Any, new: Any) -> bool:
    """Equal up to writing style (`"2022"` vs 2022, `2202.05262v2` vs `2202.05262`)."""
    if key == "arxiv" and isinstance(current, str):
        parsed = arxivid.parse_bare(current)
        return parsed is not None and arxivid.canonical_id(parsed.base) == new
    if isinstance(current, list) and isinstance(new, list):
        return [str(item) for item in current] == [str(item) for item in new]
    return str(plain(current)).strip() == str(plain(new))


# --- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """A top-level field's lines in the YAML text (0-based, inclusive), and whether it has a comment."""

    start: int
    end: int
    commented: bool


def field_spans(yaml_text: str) -> dict[str, Span]:
    """Where each top-level field's key and value sit, from the YAML parser's marks.

    Trailing blank and comment lines belong to nobody and are never part of a span.
    """
    root = yaml.compose(yaml_text, Loader=yaml.CSafeLoader)
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise KbError("front matter written as a {flow mapping} cannot be edited line by line")
    lines = yaml_text.splitlines()
    spans: dict[str, Span] = {}
    for key_node, value_node in root.value:
        start, end_mark = key_node.start_mark.line, value_node.end_mark
        end = max(start, end_mark.line - (end_mark.column == 0))
        while end > start and (not lines[end].strip() or lines[end].lstrip().startswith("#")):
            end -= 1
        commented = any(lines[i].lstrip().startswith("#") for i in range(start + 1, end + 1))
        commented = commented or _has_inline_comment(lines, [key_node, value_node])
        name = str(key_node.value)
        spans[name] = Span(start, end, commented or name in spans)  # a duplicate key: hands off
    return spans


def _has_inline_comment(lines: list[str], nodes: list[yaml.Node]) -> bool:
    """Does a `# comment` follow any scalar of these nodes on its line?"""
    while nodes:
        node = nodes.pop()
        if isinstance(node, yaml.ScalarNode):
            mark = node.end_mark
            if mark.column and mark.line < len(lines) and _INLINE_COMMENT.match(
                    lines[mark.line][mark.column:]):
                return True
        elif isinstance(node, yaml.SequenceNode):
            nodes.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            nodes.extend(item for pair in node.value for item in pair)
    return False


def update_text(text: str, fresh: Mapping[str, Any], today: dt.date
                ) -> tuple[str, list[Change]]:
    """A note's text with arXiv's `fresh` fields applied by the ownership rule, and the changes.

    The text comes back unchanged when nothing is written. Raises FrontMatterError or KbError
    for front matter it cannot read or edit safely.
    """
    parts = split(text)
    if parts.yaml_text is None:
        raise KbError("the note has no front matter")
    meta = parse_yaml(parts.yaml_text, parts.yaml_line)
    spans = field_spans(parts.yaml_text)
    changes = plan_changes(meta, fresh, {key for key, span in spans.items() if span.commented})
    writes = [change for change in changes if change.writes]
    if not writes:
        return text, changes
    lines = text.splitlines(keepends=True)
    eol = "\r\n" if lines[0].endswith("\r\n") else "\n"
    first, fence = parts.yaml_line - 1, parts.end_line - 1
    edits: list[tuple[int, int, list[str]]] = []
    inserts: list[str] = []
    for change in writes:
        block = [] if change.action == REMOVE else _lines(dump_field(change.field, change.new), eol)
        span = spans.get(change.field)
        if span is None:
            inserts.extend(block)
        else:
            edits.append((first + span.start, first + span.end + 1, block))
    # New fields go just before the record, which stays last (or before the closing fence).
    block = inserts + _lines(format_record(_new_record(meta, writes, today)) + "\n", eol)
    span = spans.get(SYNC_KEY)
    edits.append((first + span.start, first + span.end + 1, block) if span else (fence, fence, block))
    for start, stop, block in sorted(edits, key=lambda edit: edit[0], reverse=True):
        lines[start:stop] = block
    return "".join(lines), changes


def _lines(text: str, eol: str) -> list[str]:
    return [line + eol for line in text.splitlines()]


def _new_record(meta: Mapping[str, Any], writes: list[Change], today: dt.date) -> dict[str, Any]:
    record = record_of(meta)
    record["fetched"] = today
    for change in writes:
        if change.action == REMOVE:
            record.pop(change.field, None)
        else:
            record[change.field] = value_hash(change.new)
    return _ordered(record)


def render_note(fresh: Mapping[str, Any], extra: Mapping[str, Any], today: dt.date) -> str:
    """A new paper note: arXiv's fields (owned), then `extra` (yours, e.g. status) before the
    abstract, the ownership record, and an empty `## Notes` section."""
    meta = {key: fresh[key] for key in TOOL_FIELDS if key in fresh and key != "abstract"}
    meta.update({key: value for key, value in extra.items() if not _empty(value)})
    if "abstract" in fresh:
        meta["abstract"] = fresh["abstract"]
    mark_owned(meta, [key for key in TOOL_FIELDS if key in fresh], today)
    return notefile.render_note(meta, "\n## Notes\n")
