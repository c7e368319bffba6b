"""What the links of pages imported as themselves need so that, left as written, each still leads
where it led in the vault.

Every link of a page is read twice: as Obsidian reads it in the export (a path, else a file name,
the one nearest the page first, else a title or alias) and as the base will read it once the
import is written (`Index.resolve_name`, `Index.resolve_path`). When both agree, nothing is done.
Otherwise, without touching the page's words:

- a file it shows or links to (`![[diagram.png]]`, `![](files/a.png)`, `[[slides.pdf]]`) is
  copied to the same place under the export's folder, bytes as they are; two files of one name
  in two folders stay two files; a drawing comes with the image exported from it;
- a name the base would not find (`[[B/note]]` when two pages are named `note`) becomes an alias
  of the page it means;
- a name no page has (`[[Not written yet]]`) gets an empty note, as Obsidian offers to create;
- a link the base would read as another note (the vault's page and a note of the base share a
  name) is reported, and so are files missing from the export or lying outside it (never read).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from ..demos.blocks import demo_blocks
from ..index import Index
from ..model import Note, aliases_of, as_list
from ..notes.ids import slug
from ..problems import INFO, WARNING, define
from ..schema import LINK_FIELDS, NOTE
from ..syntax import Scan, is_attachment_name
from .drafts import Asset, Draft, Registry
from .inputs import Source
from .references import MISSING_FILE, OUTSIDE, STUB, Pages, exists_outside, fold
from .report import CREATE, Row

ELSEWHERE = define(
    "link-leads-elsewhere", WARNING, "a link of an imported page would lead to another note",
    "In the vault the link leads to one page; in the base its name already belongs to another "
    "note, which takes precedence. The link was kept as written: rename one of the two, or write "
    "the link with the page's new name (the message says which).", command="import")
DEMO = define(
    "imported-demo", INFO, "an imported page holds a `python demo` block",
    "Imported text never becomes code that runs: the page is a note, and demos run only in "
    "concept notes. The block is kept as written. To run it, move it into a concept of yours "
    "after reading it.", command="import")


@dataclass(slots=True)
class Targets:
    """The link checker for one export's pages (see the module docstring)."""

    registry: Registry
    pages: Pages
    home: str
    drafts: list[tuple[Source, Draft]]
    index: Index = field(init=False)
    stubs: dict[str, Draft] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The base once written: the pages this import writes as they will be, the others as
        # they are.
        mine = {draft.id for _, draft in self.drafts if draft.state in ("create", "update")}
        notes = [note for note in self.registry.index.notes.values() if note.id not in mine]
        notes += [_as_note(source, draft) for source, draft in self.drafts if draft.id in mine]
        self.index = Index.build(notes, self.registry.root)

    def check(self) -> None:
        for source, draft in self.drafts:
            if draft.state not in ("create", "update"):
                continue
            body = "\n".join(source.lines)
            for ref in Scan(body, source.first_line).refs:
                if ref.kind == "wikilink" and ref.target:
                    if ref.is_attachment:
                        self.file(source, draft, ref.target, ref.line, by_name=True)
                    else:
                        self.name(source, draft, ref.target, ref.line)
                elif ref.kind == "link" and ref.target:
                    self.path(source, draft, ref.target, ref.line)
            for key in LINK_FIELDS:
                for value in as_list(source.meta.get(key)):
                    if isinstance(value, (str, int)) and str(value).strip():
                        self.name(source, draft, _inner(str(value)), source.first_line - 1)
            for demo in demo_blocks(body):
                self.report(DEMO, source, source.first_line + demo.line - 1,
                            "a `python demo` block: kept as written, it never runs here")

    # --- [[names]] ---------------------------------------------------------------------------
    def name(self, source: Source, draft: Draft, target: str, line: int) -> None:
        meant = self.pages.find(target, source.folder)
        found = self.index.resolve_name(target)
        if meant is not None:
            if found == meant.id:
                return
            # An alias is read before paths and slugs: it wins unless the name is another
            # note's id, title or alias already.
            free = target not in self.index.notes and target.strip().lower() not in self.index.names
            if free and meant.state in ("create", "update"):
                self.alias(meant, target)
                return
            where = self.index.notes[found].path if found else "nothing"
            self.report(ELSEWHERE, source, line, f"[[{target}]] is {meant.path} in the vault, but "
                                                 f"{where} in the base; kept as written")
            return
        if found is None:
            self.stub(source, target, line)

    def alias(self, draft: Draft, name: str) -> None:
        source_aliases = aliases_of(draft.meta.get("aliases", self._own(draft).get("aliases")))
        draft.meta["aliases"] = list(dict.fromkeys([*source_aliases, name]))
        self.index.names.setdefault(name.strip().lower(), draft.id)

    def _own(self, draft: Draft) -> dict[str, Any]:
        return next((source.meta for source, mine in self.drafts if mine is draft), {})

    def stub(self, source: Source, target: str, line: int, folder: str | None = None) -> Draft:
        """An empty note for a name no page has, where Obsidian would create it (the export's
        top folder, or the folder a path names), unless the name is no safe file name."""
        key = target.strip().lower()
        if key in self.stubs:
            return self.stubs[key]
        parts = target.strip().split("/")
        safe = all(part.strip() and not part.startswith(".") and part.isprintable()
                   and "\\" not in part and len(part.encode()) < 200 for part in parts)
        wanted = parts[-1].strip() if safe else slug(target)
        where = folder if folder is not None else "/".join(
            part for part in ("notes", self.home, *(parts[:-1] if safe else [])) if part)
        title = parts[-1].strip() if safe else target.strip()
        draft = Draft(NOTE, self.registry.claim_name(wanted, NOTE), title, {"title": title}, [],
                      source.shown, line, "", where, state="stub")
        draft.stamp = rel_in_export(draft.path, self.home)
        self.registry.add(draft)
        self.stubs[key] = draft
        self.index.names.setdefault(key, draft.id)
        self.index.names.setdefault(title.lower(), draft.id)
        self.index.notes[draft.id] = Note(draft.path, draft.id, NOTE, title, {"title": title}, "", 1)
        self.index.paths[draft.path] = draft.id
        self.registry.rows.append(Row(CREATE, NOTE, draft.path, title, f"{source.shown}:{line}",
                                      "empty: a link names it and no page has that name"))
        self.report(STUB, source, line, f"[[{target}]] names no page: created {draft.path}, empty")
        return draft

    # --- [text](relative/path) ---------------------------------------------------------------
    def path(self, source: Source, draft: Draft, target: str, line: int) -> None:
        rel = posixpath.normpath(posixpath.join(source.folder, target))
        if target.startswith("/") or not source.export.contains(rel):
            self.report(OUTSIDE, source, line, f"'{target[:120]}' is outside the export; not read")
            return
        page = self.pages.by_path.get(fold(rel.rsplit(".", 1)[0] if rel.lower().endswith(".md") else rel))
        if page is not None:
            found, _ = self.index.resolve_path(_as_note(source, draft), target)
            if found != page.id:
                self.report(ELSEWHERE, source, line, f"'{target}' is {page.path} in the vault, but that "
                                                     "page has another name in the base; kept as written")
            return
        if rel.lower().endswith(".md"):
            tree = draft.path.split("/", 1)[0]
            folder = posixpath.dirname(f"{tree}/{self.home}/{rel}" if self.home else f"{tree}/{rel}")
            self.stub(source, PurePosixPath(rel).stem, line, folder)
            return
        self.file(source, draft, target, line)

    # --- files -------------------------------------------------------------------------------
    def file(self, source: Source, draft: Draft, target: str, line: int, by_name: bool = False) -> None:
        export = source.export
        names = [target]
        if target.lower().endswith(".excalidraw"):
            names = [f"{target}.md", target]
        drawing = any(name.lower().endswith((".excalidraw", ".excalidraw.md")) for name in names)
        for name in names:
            found = self._find(source, name, by_name)
            if found == "":
                self.report(OUTSIDE, source, line, f"'{target[:120]}' is outside the export; not read")
                return
            if found is not None:
                self._copy(source, draft, found, line)
                if drawing:  # the images the Excalidraw plugin exports beside a drawing
                    base = found[:-3] if found.lower().endswith(".md") else found
                    for image in (f"{base}.svg", f"{base}.png"):
                        if export.contains(image) and export.inside(image) is not None:
                            self._copy(source, draft, image, line)
                return
        kind = "image" if is_attachment_name(target) and target.lower().endswith(_IMAGES) else "file"
        self.report(MISSING_FILE, source, line, f"{kind} '{target[:120]}' is not in the export; "
                                                "kept as written")

    def _find(self, source: Source, name: str, by_name: bool) -> str | None:
        """The file's path in the export ('' when it lies outside): beside the page, at that path
        from the export's top, else (a wikilink) the file of that name nearest the page."""
        export = source.export
        name = name.strip()
        if name.startswith("/") or "\0" in name:
            return ""
        candidates = [posixpath.normpath(posixpath.join(source.folder, name))]
        if by_name:
            candidates.append(posixpath.normpath(name))
        for rel in candidates:
            if not export.contains(rel):
                return ""
            if export.files and not export.has(rel):  # not found by the walk: look no further
                continue
            if export.inside(rel) is not None:
                return rel
            if exists_outside(export, rel):
                return ""
        if by_name:
            tail = "/" + posixpath.normpath(name).lower()
            named = [rel for rel in export.named(posixpath.basename(name))
                     if ("/" + rel.lower()).endswith(tail) and export.inside(rel) is not None]
            if named:
                return min(named, key=lambda rel: (-_shared(rel, source.folder), rel.count("/"), rel))
        return None

    def _copy(self, source: Source, draft: Draft, rel: str, line: int) -> None:
        tree = draft.path.split("/", 1)[0]
        dest = "/".join(part for part in (tree, self.home, rel) if part)
        if dest not in self.registry.assets:
            self.registry.assets[dest] = Asset(dest, f"{source.shown}:{line}", source.export.inside(rel))

    def report(self, code: Any, source: Source, line: int, message: str) -> None:
        self.registry.problems.append(code.at(source.shown, line, message))


_IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp")


def rel_in_export(path: str, home: str) -> str:
    """Where a note of the export's folder would lie in the export (`notes/<home>/a/b.md` ->
    `a/b.md`)."""
    parts = path.split("/")[1:]
    return "/".join(parts[len(home.split("/")) if home else 0:])


def _as_note(source: Source, draft: Draft) -> Note:
    meta = {**source.meta, **{k: v for k, v in draft.meta.items() if v is not None}}
    return Note(draft.path, draft.id, draft.kind, draft.title, meta, "", source.first_line)


def _inner(value: str) -> str:
    value = value.strip()
    if value.startswith("[[") and value.endswith("]]"):
        value = value[2:-2]
    return value.split("|", 1)[0].split("#", 1)[0].strip()


def _shared(rel: str, folder: str) -> int:
    count = 0
    for mine, theirs in zip(posixpath.dirname(rel).split("/"), folder.split("/")):
        if mine != theirs:
            break
        count += 1
    return count
