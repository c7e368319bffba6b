"""Outlines carved into notes (`kb import --carve`, or a text outline given by name, like my
transformers map): each recognised block *moves* into a note of its own (a paper, a concept, an
author, a section of a long page) and a `[[link]]` stands where it was; see `carve`. Links are
rewritten to the ids of the notes made, and files the outline shows are copied beside them.

Re-runs give the same result as one run. Each note records where it came from and a hash of what
the import wrote (`imported_from: outline.txt:12 1a2b3c4d`). Planning first ignores the notes an
earlier run of the same inputs made, so it decides exactly what one run would; a planned note
whose file already holds that text (an interrupted run, an import run twice) is skipped, one
whose recorded hash still matches is yours now (edited since) and is kept as it is. When the
inputs changed since (an updated outline), the earlier notes count as existing notes again and
the plan is made once more: the new version is imported beside the old one, linked to it.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from ..demos.blocks import demo_blocks
from ..index import Index
from ..model import Note, aliases_of
from ..notes.serialize import note_text
from ..problems import INFO, define
from ..schema import CONCEPT, NOTE
from ..syntax import mask_code
from .carve import Carver
from .classify import title_keys
from .drafts import Draft, Registry
from .inputs import Inputs, Source
from .outline import as_markdown_lists, hidden_lines, parse
from .pages import merge_front_matter, named_draft, section_title, sections, table_notes
from .references import ASSET_SCHEME, STUB, STUB_SCHEME, Linker, Pages
from .report import CREATE, Row
from .stamps import STAMP_FIELD, carved_stamp_of

SPLIT_OVER = 300  # non-blank lines: a longer page is split into one note per top-level section

CONVERTED = define(
    "outline-converted", INFO, "a `•` outline was written as a Markdown list",
    "Bullets Markdown does not know (`•`, `◦`, `▪`) became `-` and nesting became 4 columns per "
    "level, so the site shows the outline as a list; the words are unchanged.", command="import")
DEMO_KEPT_OFF = define(
    "demo-made-plain", INFO, "a `python demo` fence carved into a concept was made plain `python`",
    "Imported text never becomes code that runs. Concept notes run their demos, so a block "
    "carved into one has its fence line written `python` instead of `python demo` (the one line "
    "an import changes). Read the code; write `python demo` back yourself to run it.",
    command="import")

_ASSET = re.compile(re.escape(ASSET_SCHEME) + r"([^)\s]+)")
_STUB = re.compile(r"\[\[" + re.escape(STUB_SCHEME) + r"(\d+)([^\]]*)\]\]")
_LINK_TARGET = re.compile(r"\[\[[^\]|#]*")


def plan_outlines(root: Path, inputs: Inputs, notes: list[Note], split_over: int,
                  reserved: Iterable[Draft] = (), pages: dict[str, Draft] | None = None
                  ) -> tuple[Registry, dict[str, tuple[str, str]], dict[str, Note]]:
    """The notes carved from `inputs` (outlines and CSV tables): the registry, each note's text
    and hash, and the notes an earlier run of the same inputs made. `reserved` are notes this
    import makes otherwise (pages imported as themselves): their ids are taken; `pages` are
    those pages by title, for a table row that has its own page."""
    stamps = {source.stamp for source in inputs.sources}
    ours = {note.path: note for note in notes
            if (stamp := carved_stamp_of(note.meta)) is not None and stamp[0] in stamps}
    ignored = set(ours)
    reserved = list(reserved)
    while True:
        registry = _plan_once(root, inputs, [n for n in notes if n.path not in ignored],
                              split_over, reserved, pages or {})
        texts = finish_carved(registry)
        changed = {d.path for d in registry.drafts
                   if d.path in ignored and not same_import(ours[d.path], texts[d.path][1])}
        if not changed:
            return registry, texts, ours
        ignored -= changed  # an updated export: those notes are existing notes again


def _plan_once(root: Path, inputs: Inputs, notes: list[Note], split_over: int,
               reserved: list[Draft], by_title: dict[str, Draft]) -> Registry:
    registry = Registry(Index.build(notes, root), root)
    registry.reserve(reserved)
    pages = Pages()
    page_of: list[Draft] = []
    for source in inputs.sources:  # every page's id first: any of them may link to any other
        page = named_draft(registry, NOTE, source.title, source, 0)
        pages.add(source, page, aliases_of(source.meta.get("aliases")))
        page_of.append(page)
    linker = Linker(registry, pages)
    for source, page in zip(inputs.sources, page_of):
        if source.table is None:
            _carve_page(registry, linker, source, page, split_over)
    for source, page in zip(inputs.sources, page_of):
        if source.table is not None:
            table_notes(registry, source, page, {**pages.by_name, **by_title})
    _stubs(registry, linker)
    return registry


def _carve_page(registry: Registry, linker: Linker, source: Source, page: Draft,
                split_over: int) -> None:
    lines, tags, hidden = linker.rewrite(source, page, source.lines)
    lines, converted = as_markdown_lists(lines)
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



# --- final texts -----------------------------------------------------------------------------


def finish_carved(registry: Registry) -> dict[str, tuple[str, str]]:
    """Each draft's final text and the hash it records: placeholders resolved for its folder,
    the import stamped."""
    stubs = {str(n): target for n, target in enumerate(registry.stub_ids)}
    texts: dict[str, tuple[str, str]] = {}
    for draft in registry.drafts:
        if draft.kind == CONCEPT:
            _plain_demos(registry, draft)
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


def same_import(note: Note, digest: str) -> bool:
    """Whether `note` was written by an import that would write the same thing today."""
    earlier = carved_stamp_of(note.meta)
    return earlier is not None and earlier[1] == digest


def _plain_demos(registry: Registry, draft: Draft) -> None:
    """A `python demo` fence carved into a concept: its fence line made `python`, reported."""
    lines = "\n".join(draft.body).split("\n")
    demos = demo_blocks("\n".join(lines))
    for demo in demos:
        fence = lines[demo.line - 1]
        lines[demo.line - 1] = fence[: fence.index("python")] + "python"
        registry.problems.append(DEMO_KEPT_OFF.at(draft.source, draft.line, f"a `python demo` "
                                                  f"block carved into {draft.path}: its fence "
                                                  f"line made `{lines[demo.line - 1].strip()}`"))
    if demos:
        draft.body = lines
