"""The notes a whole input becomes: its page (titled, its Obsidian front matter kept), the
sections of a long page, and the rows of a CSV database.

A page never takes a name that already means something in the base: one that collides with an
existing note is imported under its own id and a qualified title ("LoRA (imported)"), `related`
to the note it collides with, and the report says so. Earlier links keep their meaning.
"""

from __future__ import annotations

from typing import Any

from ..identifiers import ARXIV, field_problem
from ..model import as_list, parse_date
from ..problems import INFO, WARNING, define
from ..schema import DATE, FIELD, IDS, INT, LINK_FIELDS, LIST, NAMES, NOTE, PRIORITIES, STATUSES, TEXT
from .drafts import Draft, Registry
from .inputs import Source, plain_title
from .outline import BLANK, Line, section_starts
from .report import CREATE, Row
from .stamps import STAMP_FIELD, carved_stamp_of

RENAMED = define(
    "field-renamed", WARNING, "an imported front-matter field was kept under another name",
    "The page's front matter has a field the base knows, with a value `kb check` would refuse "
    "(a date that is no date, a `kind`, the tool's own records). It was kept, renamed "
    "`<field>_imported`, so nothing is lost and the new note checks clean.", command="import")
EMPTY_TABLE = define(
    "table-empty", INFO, "a CSV file with no rows",
    "A CSV database with a header and no rows (or nothing readable) makes no notes.",
    command="import")
_RESERVED = frozenset({"kind", "arxiv_sync", STAMP_FIELD})


def qualified(registry: Registry, title: str, word: str) -> str:
    """`title (word)`, `title (word 2)`...: the first that no note of the base or of this import
    is titled or aliased. Names are compared exactly, never by their cut-down ids (a long title's
    candidates all fold to one id, which once made this loop forever)."""
    for number in range(1, 10_000):
        candidate = f"{title} ({word}{'' if number == 1 else f' {number}'})"
        folded = candidate.lower()
        if folded not in registry.index.names and folded not in registry.by_name:
            return candidate
    return f"{title} ({word} {len(registry.drafts) + 10_000})"


def named_draft(registry: Registry, kind: str, title: str, source: Source, line: int,
                folder: str = "") -> Draft:
    """A page-like note (page, section, table row, stub) titled `title`; on a collision with a
    note of the base, under its own id and a qualified title, related to that note."""
    existing = registry.note(registry.index.resolve_name(title))
    shown = title
    meta: dict[str, Any] = {"title": title}
    detail = ""
    if existing is not None:
        earlier = carved_stamp_of(existing.meta)
        again = earlier is not None and earlier[0] == source.stamp
        shown = qualified(registry, title, "updated" if again else "imported")
        meta = {"title": shown, "related": [existing.id]}
        detail = (f"changed since the last import ({existing.path})" if again
                  else f"collides with {existing.path}")
    draft = Draft(kind, registry.claim(title, kind), shown, meta, [], source.shown,
                  source.first_line + line, source.stamp, folder)
    if existing is not None:
        registry.linked(existing, title, draft.at,
                        f"{detail}: imported as {draft.path} '{shown}', related to it")
    registry.rows.append(Row(CREATE, kind, draft.path, shown, draft.at, detail))
    return registry.add(draft)


def merge_front_matter(registry: Registry, source: Source, page: Draft, tags: list[str],
                       resolve: Any) -> None:
    """The page's Obsidian front matter joined to ours: tags and aliases merged (with the body's
    `#tags`), note links resolved like `[[links]]`, other fields kept (renamed when `kb check`
    would refuse their value)."""
    meta = page.meta
    aliases = [a for a in as_list(source.meta.get("aliases")) if isinstance(a, (str, int))]
    own_title = source.meta.get("title")
    stem = source.rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if isinstance(own_title, str) and own_title.strip() and stem != page.title:
        aliases.append(stem)  # links written with the file name still find it
    merged_tags = [str(t).lstrip("#") for t in as_list(source.meta.get("tags")) if isinstance(t, (str, int))]
    merged_tags += [t for t in tags if t not in merged_tags]
    if merged_tags:
        meta["tags"] = list(dict.fromkeys(merged_tags))
    if aliases:
        meta["aliases"] = list(dict.fromkeys(str(a) for a in aliases))
    for key, value in source.meta.items():
        if key in ("title", "tags", "aliases"):
            continue
        if key in LINK_FIELDS:
            targets = [resolve(str(v), page) for v in as_list(value) if isinstance(v, (str, int))]
            meta[key] = list(dict.fromkeys([*as_list(meta.get(key)), *targets]))
        elif key in _RESERVED or not valid_field(key, value, NOTE):
            meta[f"{key}_imported"] = value
            registry.problems.append(RENAMED.at(source.shown, source.first_line - 1,
                                                f"'{key}: {str(value)[:40]}' kept as '{key}_imported'"))
        else:
            meta[key] = value


def valid_field(key: str, value: Any, note_kind: str) -> bool:
    """Whether `kb check` would accept this value of a field on a note of that kind (unknown
    fields hold anything; the same rules as its `invalid-field`, `invalid-date`,
    `unknown-status` and `malformed-arxiv`)."""
    if key not in FIELD or value is None:
        return True
    kind = FIELD[key].type
    if key == "status":
        return note_kind not in STATUSES or value in STATUSES[note_kind]
    if key == "arxiv":
        return field_problem(ARXIV, value) is None
    if key == "priority":
        return value in PRIORITIES
    if kind == DATE:
        return parse_date(value) is not None
    if kind in (LIST, NAMES, IDS):
        return not isinstance(value, dict)
    if kind == INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == TEXT:
        return not isinstance(value, (list, dict))
    return True


def sections(lines: list[Line], split_over: int) -> list[tuple[int, int]]:
    """The (start, end) of each top-level section worth a note of its own, when the page is
    longer than `split_over` non-blank lines and has two or more of them; else none."""
    if sum(line.kind != BLANK for line in lines) <= split_over:
        return []
    starts = section_starts(lines)
    # A heading with nothing under it stays where it stands, in the section before it.
    full = [start for number, start in enumerate(starts)
            if any(line.kind != BLANK for line in lines[start + 1:(starts[number + 1:] or [len(lines)])[0]])]
    found = [(start, (full[n + 1:] or [len(lines)])[0]) for n, start in enumerate(full)]
    return found if len(found) >= 2 else []


def section_title(line: Line) -> str:
    return plain_title(line.content) or line.content


def table_notes(registry: Registry, source: Source, database: Draft, pages: dict[str, Draft]
                ) -> None:
    """A CSV database: its note lists its rows, each a note with its cells as fields (a row that
    has its own page in the export gives that page the fields instead)."""
    rows = [(line, cells) for line, cells in (source.table or []) if any(c.strip() for c in cells)]
    if len(rows) < 2:
        registry.problems.append(EMPTY_TABLE.at(source.shown, 1, "no rows: only its title is "
                                                                 "imported"))
        database.body = [", ".join(cells) for _, cells in rows]
        return
    (_, header), body = rows[0], rows[1:]
    database.body = [f"Columns: {', '.join(header)}", ""]
    for line, cells in body:
        title = (cells[0].strip() if cells else "") or f"Row {line}"
        fields = _row_fields(header[1:], cells[1:])
        page = pages.get(title.lower())
        if page is not None:
            for key, value in fields.items():
                page.meta.setdefault(key, value)
            database.body.append(f"- [[{page.id}]]")
            continue
        row = named_draft(registry, NOTE, title, source, line - 1, f"notes/{database.id}")
        row.meta.update({k: v for k, v in fields.items() if k not in row.meta})
        database.body.append(f"- [[{row.id}]]")


def _row_fields(header: list[str], cells: list[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name, value in zip(header, cells):
        value = value.strip()
        if not name.strip() or not value:
            continue
        folded = name.strip().lower()
        if folded in ("tags", "tag", "labels"):
            fields["tags"] = [t.strip() for t in value.split(",") if t.strip()]
        elif folded in ("aliases", "alias"):
            fields["aliases"] = [a.strip() for a in value.split(",") if a.strip()]
        elif folded in ("url", "link") and "://" in value:
            fields["url"] = value
        elif folded in ("created", "date", "date created") and parse_date(value) is not None:
            fields["created"] = value
        else:
            fields[name.strip() if name.strip() not in FIELD else f"{name.strip()} (csv)"] = value
    return fields
