"""Which front-matter fields the tool owns, and how it edits a note without touching your words.

Ownership rule
--------------
`kb add` and `kb fetch` record, in the front-matter key `arxiv_sync` (one line, e.g.
`arxiv_sync: {fetched: 2026-11-25, title: 3f2a9c1e, authors: 0b7d22aa}`; the name is older than
the other sources), a short hash of each field value they wrote. On fetch, each field a source
provides (schema.TOOL_FIELDS: title, authors, year, venue, the identifiers, arXiv's version,
dates and categories, journal_ref, comment, pdf_url, abstract) is

(a) written when absent or empty;
(b) replaced when its current value still hashes to the recorded hash, i.e. nobody touched it
    (and removed when the source that speaks for it, `covered`, no longer has it);
(c) otherwise left alone and reported as "kept your <field>": a value you wrote or corrected
    always wins. A field carrying a YAML comment counts as yours too.

Fields with no record are yours, and so are every other key and the whole body. To take a field
over, edit it; to hand it back to the tool, delete it (the next fetch writes the source's value).
`fetched` is the day the tool last wrote a field.

Edits go through the front-matter editor (`notes.editor`): only the lines of a field being
written change; new fields go just before the `arxiv_sync` line (or the closing `---`). Every
other byte (comments, key order, quoting, unknown keys, the body, line endings) stays as it was,
so `git diff` after a fetch shows metadata lines only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..identifiers import BARE_PARSERS, PaperId
from ..notes.atomic import update_file
from ..notes.editor import DELETE, EditError, edit_text, field_spans
from ..notes.frontmatter import parse_yaml, split
from ..notes.serialize import plain
from ..schema import ID_FIELDS, SYNC_FIELD, TOOL_FIELDS
from .fields import SPEAKS_FOR, paper_fields
from .work import Work

ADD, UPDATE, REMOVE, KEEP = "add", "update", "remove", "keep"


# --- the record ------------------------------------------------------------------------------


def value_hash(value: Any) -> str:
    """8 hex digits identifying a field value as the loader reads it (dates as ISO strings)."""
    canonical = json.dumps(plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8]


def record_of(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The note's ownership record; a damaged one counts as empty (every field is then yours)."""
    record = meta.get(SYNC_FIELD)
    return dict(record) if isinstance(record, Mapping) else {}


def unchecked(meta: Mapping[str, Any]) -> bool:
    """Whether the tool's fields hold values taken from the user's text and never checked
    against a source: an ownership record without a `fetched` date."""
    record = record_of(meta)
    return bool(record) and "fetched" not in record


def mark_owned(meta: dict[str, Any], fields: Iterable[str], fetched: dt.date | None = None
               ) -> dict[str, Any]:
    """Record `fields` of `meta` as written by the tool (for importers creating notes).

    Sets and returns `meta["arxiv_sync"]`; empty fields are skipped. `fetched` is recorded only
    when given: values an importer parsed from text were never fetched. Write `meta` so that each
    field reads back as the same value, e.g. dates as plain `2024-02-10`.
    """
    record = record_of(meta)
    if fetched is not None:  # an importer's placeholder was never fetched: no date
        record["fetched"] = fetched
    for key in fields:
        if not _empty(meta.get(key)):
            record[key] = value_hash(meta[key])
    meta[SYNC_FIELD] = _ordered(record)
    return meta[SYNC_FIELD]


def _ordered(record: Mapping[str, Any]) -> dict[str, Any]:
    order = ["fetched", *TOOL_FIELDS]
    known = {key: record[key] for key in order if key in record}
    return {**known, **{k: v for k, v in record.items() if k not in known}}


# --- deciding --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """One decision about one field: add, update, remove, or keep (yours, the source differs)."""

    field: str
    action: str
    old: Any = None
    new: Any = None
    source: str = "arXiv"  # who answered, for "kept your title (arXiv has: ...)"

    @property
    def writes(self) -> bool:
        return self.action != KEEP

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "action": self.action, "old": plain(self.old),
                "new": plain(self.new)}

    def describe(self) -> str:
        """A short diff line: `version 2 -> 3`, `+ doi: 10.1/x`, `kept your title (arXiv has: ...)`."""
        if self.action == ADD:
            return f"+ {self.field}: {_short(self.new)}"
        if self.action == REMOVE:
            return f"- {self.field}: {_short(self.old)}"
        if self.action == UPDATE:
            return f"{self.field} {_short(self.old)} -> {_short(self.new)}"
        return f"kept your {self.field} ({self.source} has: {_short(self.new)})"


def _short(value: Any, width: int = 72) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(plain(value))
    return text if len(text) <= width else text[: width - 1] + "…"


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def plan_changes(meta: Mapping[str, Any], fresh: Mapping[str, Any], yours: Iterable[str] = (),
                 covered: Iterable[str] = TOOL_FIELDS, source: str = "arXiv") -> list[Change]:
    """Apply the ownership rule to every tool field; `yours` are fields known to be touched,
    `covered` the fields the answering source speaks for (only those may be removed)."""
    record, touched, speaks = record_of(meta), set(yours), set(covered)
    changes: list[Change] = []
    for key in TOOL_FIELDS:
        new, current = fresh.get(key), meta.get(key)
        if _empty(current):
            if not _empty(new):
                changes.append(Change(key, ADD, current, new, source))
            continue
        owned = key not in touched and str(record.get(key)) == value_hash(current)
        if owned and _empty(new):
            if key in speaks:
                changes.append(Change(key, REMOVE, current, None, source))
        elif owned and value_hash(new) != value_hash(current):
            changes.append(Change(key, UPDATE, current, new, source))
        elif not owned and not _empty(new) and not _same(key, current, new):
            changes.append(Change(key, KEEP, current, new, source))
    return changes


def _same(key: str, current: Any, new: Any) -> bool:
    """Equal up to writing style (`"2022"` vs 2022, `2202.05262v2` vs `2202.05262`, a DOI's
    case or its doi.org URL)."""
    if key in ID_FIELDS and isinstance(current, str) and isinstance(new, str):
        parsed, fresh = BARE_PARSERS[key](current), BARE_PARSERS[key](new)
        return parsed is not None and fresh is not None and \
            PaperId(key, parsed).key == PaperId(key, fresh).key
    if isinstance(current, list) and isinstance(new, list):
        return [str(item) for item in current] == [str(item) for item in new]
    return str(plain(current)).strip() == str(plain(new))


# --- writing ---------------------------------------------------------------------------------


def update_text(text: str, fresh: Mapping[str, Any], today: dt.date,
                covered: Iterable[str] = TOOL_FIELDS, source: str = "arXiv"
                ) -> tuple[str, list[Change]]:
    """A note's text with a source's `fresh` fields applied by the ownership rule, and the changes.

    The text comes back unchanged when nothing is written. Raises FrontMatterError or EditError
    for front matter it cannot read or edit safely.
    """
    parts = split(text)
    if parts.yaml_text is None:
        raise EditError("the note has no front matter")
    meta = parse_yaml(parts.yaml_text, parts.yaml_line)
    spans = field_spans(parts.yaml_text)
    changes = plan_changes(meta, fresh, {key for key, span in spans.items() if span.commented},
                           covered, source)
    writes = [change for change in changes if change.writes]
    if not writes:
        return text, changes
    updates: dict[str, Any] = {change.field: DELETE if change.action == REMOVE else change.new
                               for change in writes}
    updates[SYNC_FIELD] = _new_record(meta, writes, today)
    return edit_text(text, updates, insert_before=SYNC_FIELD), changes


def _new_record(meta: Mapping[str, Any], writes: list[Change], today: dt.date) -> dict[str, Any]:
    record = record_of(meta)
    record["fetched"] = today
    for change in writes:
        if change.action == REMOVE:
            record.pop(change.field, None)
        else:
            record[change.field] = value_hash(change.new)
    return _ordered(record)


def write_work(root: Path, path: str, work: Work, today: dt.date, *,
               dry_run: bool = False) -> list[Change]:
    """Write a found paper's metadata into the note at `path` by the ownership rule (the
    source's fields it speaks for; yours and the body stay), through `atomic.update_file`: kb's
    writers wait for each other, an edit saved meanwhile is never lost. Returns the changes
    (also on `dry_run`, where nothing is written). Raises what `update_file` and `update_text`
    raise, with nothing written."""
    changes: list[Change] = []

    def change(text: str) -> str:
        new_text, found = update_text(text, paper_fields(work), today, SPEAKS_FOR[work.source],
                                      work.source)
        changes[:] = found  # the last attempt's (an edit made meanwhile means another)
        return new_text

    update_file(root / path, root, change, dry_run=dry_run)
    return changes
