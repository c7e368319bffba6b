"""Stage 5 of `kb import`: the plan. Every input becomes notes (pages, sections, papers,
concepts, authors, table rows, stubs for links to pages nobody exported) and files to copy, each
note's final text decided here; `write` only writes it.

Re-runs give the same result as one run. Each note records where it came from and a hash of what
the import wrote (`imported_from: exports/page.md:12 1a2b3c4d`). Planning first ignores the notes
an earlier run of the same inputs made, so it decides exactly what one run would; a planned note
whose file already holds that text (an interrupted run, an import run twice) is skipped, one
whose recorded hash still matches is yours now (edited since) and is kept as it is. When the
inputs changed since (an updated export), the earlier notes count as existing notes again and
the plan is made once more: the new version is imported beside the old one, linked to it.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from ..base import open_base
from ..index import Index
from ..model import Note
from ..notes.serialize import note_text
from ..problems import INFO, define
from ..schema import AUTHOR, CONCEPT, NOTE, PAPER
from ..syntax import mask_code
from .carve import Carver
from .classify import title_keys
from .drafts import Asset, Draft, Registry
from .inputs import Inputs, Source, read_inputs
from .outline import as_markdown_lists, hidden_lines, parse
from .pages import (
    STAMP_FIELD,
    merge_front_matter,
    named_draft,
    section_title,
    sections,
    stamp_of,
    table_notes,
)
from .references import ASSET_SCHEME, STUB, STUB_SCHEME, Linker, Pages
from .report import COPY, CREATE, SKIP, ImportReport, Row
from .sanitise import UNSAFE, sanitise

SPLIT_OVER = 300  # non-blank lines: a longer page is split into one note per top-level section

CONVERTED = define(
    "outline-converted", INFO, "a `•` outline was written as a Markdown list",
    "Bullets Markdown does not know (`•`, `◦`, `▪`) became `-` and nesting became 4 columns per "
    "level, so the site shows the outline as a list; the words are unchanged.", command="import")

_ASSET = re.compile(re.escape(ASSET_SCHEME) + r"([^)\s]+)")
_STUB = re.compile(r"\[\[" + re.escape(STUB_SCHEME) + r"(\d+)([^\]]*)\]\]")
_LEAF_KINDS = (PAPER, CONCEPT, AUTHOR)
_LINK_TARGET = re.compile(r"\[\[[^\]|#]*")


@dataclass(slots=True)
class Plan:
    """What an import will write: notes (path -> text, linked notes first) and files to copy."""

    notes: list[tuple[str, str]] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    report: ImportReport = field(default_factory=ImportReport)


def plan_import(root: Path, paths: list[Path], *, split_over: int = SPLIT_OVER) -> Plan:
    """Read the inputs and decide everything an import of them into `root` would write."""
    inputs = read_inputs(paths)
    kb = open_base(root)
    stamps = {source.stamp for source in inputs.sources}
    ours = {note.path: note for note in kb.notes
            if (stamp := stamp_of(note.meta)) is not None and stamp[0] in stamps}
    ignored = set(ours)
    while True:
        registry = _plan_once(root, inputs, [n for n in kb.notes if n.path not in ignored],
                              split_over)
        texts = _finish(registry)
        changed = {d.path for d in registry.drafts
                   if d.path in ignored and not _same_import(ours[d.path], texts[d.path][1])}
        if not changed:
            break
        ignored -= changed  # an updated export: those notes are existing notes again
    return _reconcile(root, registry, texts, ours, {note.path for note in kb.notes})


def _plan_once(root: Path, inputs: Inputs, notes: list[Note], split_over: int) -> Registry:
    registry = Registry(Index.build(notes, root), root)
    registry.problems.extend(inputs.problems)
    registry.rows.extend(inputs.skipped)
    pages = Pages()
    page_of: list[Draft] = []
    for source in inputs.sources:  # every page's id first: any of them may link to any other
        page = named_draft(registry, NOTE, source.title, source, 0)
        aliases = source.meta.get("aliases")
        pages.add(source, page, [a for a in aliases if isinstance(a, str)]
                  if isinstance(aliases, list) else [])
        page_of.append(page)
    linker = Linker(registry, pages)
    for source, page in zip(inputs.sources, page_of):
        if source.table is None:
            _carve_page(registry, linker, source, page, split_over)
    for source, page in zip(inputs.sources, page_of):
        if source.table is not None:
            table_notes(registry, source, page, pages.by_name)
    _stubs(registry, linker)
    _unused_files(registry, inputs)
    return registry


def _carve_page(registry: Registry, linker: Linker, source: Source, page: Draft,
                split_over: int) -> None:
    lines, tags, hidden = linker.rewrite(source, page, source.lines)
    written = "\n".join(lines)
    text, unsafe = sanitise(written)
    for offset, what in unsafe:
        line = source.first_line + written.count("\n", 0, offset)
        registry.problems.append(UNSAFE.at(source.shown, line, f"{what} would run on the site; "
                                                               "kept as text"))
    lines, converted = as_markdown_lists(text.split("\n"))
    if converted:
        registry.problems.append(CONVERTED.at(source.shown, source.first_line,
                                              "•-style bullets written as a Markdown list"))
    merge_front_matter(registry, source, page, tags,
                       lambda name, at: _field_link(registry, linker, source, name, at))
    if converted:  # indentation changed: what reads as an indented code block may have too
        hidden = hidden_lines(lines, mask_code("\n".join(lines)).split("\n"))
    parsed = parse(lines, hidden)
    carver = Carver(registry, source, lines, parsed)
    found = sections(parsed, split_over)
    if not found:
        page.body = carver.carve(0, len(lines))
        return
    body = carver.carve(0, found[0][0])
    for start, end in found:
        section = named_draft(registry, NOTE, section_title(parsed[start]), source, start,
                              f"notes/{page.id}")
        section.body = carver.children(start + 1, end)
        body.append(f"- [[{section.id}]]")
    page.body = body


def _field_link(registry: Registry, linker: Linker, source: Source, name: str, page: Draft) -> str:
    """A front-matter link of an Obsidian page (`related: "[[Other]]"`) as an id, like a
    `[[link]]` in its body."""
    inner = name.strip()
    inner = inner[2:-2] if inner.startswith("[[") and inner.endswith("]]") else inner
    rewritten, _, _ = linker.rewrite(source, page, [f"[[{inner}]]"])
    found = re.fullmatch(r"\[\[([^|#\]]+)[^\]]*\]\]", rewritten[0])
    return found.group(1) if found else inner


def _stubs(registry: Registry, linker: Linker) -> None:
    """Each `[[link]]` to a page neither imported nor in the base: the note the import makes
    anyway (a paper or concept of that name), else an empty note with that title."""
    made: dict[str, Draft] = {}
    for target, where, inner in linker.stubs:
        key = target.strip().lower()
        draft = registry.by_name.get(key) or made.get(key)
        if draft is None:
            draft = next((registry.by_title[k] for k in title_keys(target) if k in registry.by_title),
                         None)
        if draft is None:
            shown, _, line = where.rpartition(":")
            draft = Draft(NOTE, registry.claim(target, NOTE), target.strip(), {"title": target.strip()},
                          [], shown, int(line), _stamp_for(registry, shown))
            registry.add(draft)
            registry.rows.append(Row(CREATE, NOTE, draft.path, draft.title, where,
                                     "empty: a [[link]] names it and no page has that name"))
            registry.problems.append(STUB.at(shown, int(line), f"[[{target}]] names no page: "
                                                              f"created {draft.path}, empty"))
            made[key] = draft
        # A link that names its note's title exactly resolves as written: it is kept so.
        keep = draft.title.lower() == key and sum(d.title.lower() == key for d in registry.drafts) == 1
        registry.stub_ids.append(f"[[{inner}]]" if keep else draft.id)


def _stamp_for(registry: Registry, shown: str) -> str:
    return next((d.stamp for d in registry.drafts if d.source == shown), shown)


def _unused_files(registry: Registry, inputs: Inputs) -> None:
    """Files of an export that are no page and that no page uses: listed, never silently left."""
    used = {str(asset.src) for asset in registry.assets.values() if asset.src is not None}
    for export in inputs.exports:
        for rel in export.files:
            if rel.lower().endswith((".md", ".markdown", ".txt", ".csv")):
                continue  # an input: read, or reported by the reader
            found = export.inside(rel)
            if found is None or str(found) in used:
                continue
            shown = str(export.root / rel)
            registry.rows.append(Row(SKIP, "file", shown, rel, shown,
                                     "not a page, and no page shows or links to it"))


# --- final texts -----------------------------------------------------------------------------


def _finish(registry: Registry) -> dict[str, tuple[str, str]]:
    """Each draft's final text and the hash it records: placeholders resolved for its folder,
    the import stamped."""
    stubs = {str(n): target for n, target in enumerate(registry.stub_ids)}
    texts: dict[str, tuple[str, str]] = {}
    for draft in registry.drafts:
        body = "\n".join(draft.body).strip("\n") + "\n"
        if ASSET_SCHEME in body:
            body = _ASSET.sub(lambda m: quote(posixpath.relpath(m.group(1), draft.folder)), body)
        if STUB_SCHEME in body:
            body = _STUB.sub(lambda m: _stub_link(stubs.get(m.group(1)), m), body)
        meta = {k: v for k, v in draft.meta.items() if k != STAMP_FIELD}
        # The words, not where links lead: a page whose linked page was re-imported under a new
        # id has not changed.
        words = _LINK_TARGET.sub("[[", note_text(meta, body))
        digest = hashlib.sha256(words.encode("utf-8")).hexdigest()[:8]
        meta[STAMP_FIELD] = f"{draft.stamp}:{draft.line} {digest}"  # after the fields, before the record
        texts[draft.path] = (note_text(meta, body), digest)
    return texts


def _stub_link(target: str | None, match: re.Match[str]) -> str:
    """A stub's link: as written (`[[...]]` recorded), or to the id of the note it names."""
    if target is None or target.startswith("[["):
        return target or match.group(0)
    return f"[[{target}{match.group(2)}]]"


def _same_import(note: Note, digest: str) -> bool:
    """Whether `note` was written by an import that would write the same thing today."""
    earlier = stamp_of(note.meta)
    return earlier is not None and earlier[1] == digest


def _reconcile(root: Path, registry: Registry, texts: dict[str, tuple[str, str]],
               ours: dict[str, Note], present: set[str]) -> Plan:
    """The plan against the disk: notes already written as planned are skipped (a re-run),
    imported notes edited since are kept as they are."""
    plan = Plan(report=ImportReport(problems=registry.problems))
    skipped: dict[str, str] = {}
    for draft in registry.drafts:
        path, (text, digest) = draft.path, texts[draft.path]
        if path in present:  # every Markdown file under the note folders was loaded
            target = root / path
            try:
                same = target.read_bytes() == text.encode("utf-8")
            except OSError:
                same = False
            if same:
                skipped[path] = "already imported, unchanged"
                continue
            if path in ours and _same_import(ours[path], digest):
                skipped[path] = "already imported; kept as it is (edited since, or only its links moved)"
                continue
        plan.notes.append((path, text))
    kinds = {d.path: d.kind for d in registry.drafts}
    plan.notes.sort(key=lambda item: kinds[item[0]] not in _LEAF_KINDS)  # linked notes first
    rows: list[Row] = []
    for row in registry.rows:
        if row.action == CREATE and row.path in skipped:
            rows.append(Row(SKIP, row.kind, row.path, row.title, row.source, skipped[row.path]))
        else:
            rows.append(row)
    for asset in registry.assets.values():
        if (root / asset.dest).exists():
            continue  # the same bytes are there already (checked when the name was chosen)
        plan.assets.append(asset)
        what = asset.src.name if asset.src is not None else "inline image"
        rows.append(Row(COPY, "file", asset.dest, what, asset.source))
    plan.report.rows = rows
    return plan
