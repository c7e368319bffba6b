"""Pages imported as themselves: a Markdown folder (an Obsidian vault, a Foam, Logseq or zk
folder, a Notion export) becomes one note per page, its text as written, its folders kept.

Each page lands at its own path inside a folder of the base named after the export
(`notes/<export>/Algo/Trie.md`), so its relative links and the attachments beside it keep working
as written; its file name is its id and its title (Obsidian's rule). Only the front matter gains
fields: a `title` when it has none, the `imported_from` stamp, and what `targets` finds its links
need. A page becomes a paper only when it says so (an `arxiv` or `doi` field) or lies in a folder
given with `--papers`; nothing is carved out of it.

Importing the export again is a sync keyed by each page's path inside the export and its content,
never by where the export lies on disk (see `stamps`): an unchanged page is skipped, a changed one
replaces its note when you have not edited that note since (else your note is kept and the report
says so), a new one is added. The export is recognised by its pages, so a renamed or moved export
folder syncs into the same notes.
"""

from __future__ import annotations

import os
import posixpath
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..identifiers import ARXIV, field_problem
from ..model import Note
from ..notes.ids import slug
from ..problems import INFO, WARNING, define
from ..schema import FOLDER_OF, NOTE, PAPER
from .drafts import Draft, Registry
from .inputs import Source, prepare
from .pages import RENAMED, qualified, valid_field
from .report import CREATE, SKIP, UPDATE, Row
from .stamps import ABSENT, STAMP_FIELD, PageStamp, edited_since, page_stamp_of

KEPT = define(
    "kept-your-edits", WARNING, "a page changed in the export and its note was edited since",
    "The page changed in the export since the last import, and its note in the base was edited "
    "since too. The note was kept as you left it; the export's version was not imported. Merge "
    "the two by hand (the message names both), then import again.", command="import")
GONE = define(
    "page-gone", INFO, "a page imported earlier is no longer in the export",
    "Its note stays in the base as it is: an import never deletes. Delete it yourself if the "
    "page is gone for good.", command="import")
_RESERVED_HOMES = frozenset({"authors", "assets"})  # notes/authors/ holds author notes


@dataclass(slots=True)
class Export:
    """Where one export's pages go in the base, and the notes an earlier import made of it."""

    home: str  # the folder under notes/ (and papers/) holding the export's pages, or ""
    earlier: dict[str, tuple[Note, PageStamp]] = field(default_factory=dict)  # rel -> its note


def existing_pages(notes: Iterable[Note]) -> list[tuple[Note, PageStamp]]:
    """The notes of the base an import made of a page, with their stamps."""
    found = []
    for note in notes:
        stamp = page_stamp_of(note.meta)
        if stamp is not None:
            found.append((note, stamp))
    return found


def home_of(path: str, rel: str) -> str | None:
    """The export's folder in the base, from a note's path and its page's path in the export;
    None when the note no longer sits where the import put it."""
    parts = path.split("/")[1:-1]  # without the tree (notes/, papers/) and the file name
    folders = rel.split("/")[:-1]
    if folders and parts[-len(folders):] != folders:
        return None
    return "/".join(parts[: len(parts) - len(folders)])


def recognise(sources: list[Source], earlier: list[tuple[Note, PageStamp]], root_names: set[str],
              name: str, single: bool) -> Export:
    """Which earlier import these pages are a newer version of: the home whose notes have the
    most pages with the same path and content (or, every page edited, the same path and the same
    folder name); else a new home named after the export's folder."""
    wanted = "" if single else _home_name(name)
    by_home: dict[str, dict[str, tuple[Note, PageStamp]]] = {}
    for note, stamp in earlier:
        home = home_of(note.path, stamp.rel)
        if home is not None:
            by_home.setdefault(home, {})[stamp.rel] = (note, stamp)
    pages = {source.rel: source.digest for source in sources}
    best, score = None, (0, 0)
    for home, notes in by_home.items():
        same = sum(1 for rel, (_, stamp) in notes.items() if pages.get(rel) == stamp.page)
        paths = sum(1 for rel in notes if rel in pages)
        if same or (paths and home == wanted):
            if (same, paths) > score:
                best, score = home, (same, paths)
    if best is not None:
        return Export(best, by_home[best])
    home = wanted
    number = 1
    while home in root_names or (not single and home in by_home):
        number += 1
        home = f"{wanted}-{number}"
    return Export(home)


def _home_name(name: str) -> str:
    home = slug(name.lstrip(".")) if name.strip(". ") else "vault"
    return f"{home}-vault" if home in _RESERVED_HOMES else home


def taken_homes(root: Any) -> set[str]:
    """Folders already under notes/ and papers/: a new export never moves into one."""
    names: set[str] = set()
    for tree in (FOLDER_OF[NOTE], FOLDER_OF[PAPER]):
        try:
            names |= {entry.name for entry in os.scandir(root / tree) if entry.is_dir()}
        except OSError:
            continue
    return names


def kind_of_page(source: Source, papers: tuple[str, ...]) -> str:
    """A paper when the page says it is one (a valid `arxiv` id, a `doi`) or lies in a folder the
    user mapped to papers; else a note."""
    if any(source.rel == folder or source.rel.startswith(folder.rstrip("/") + "/") for folder in papers):
        return PAPER
    arxiv, doi = source.meta.get("arxiv"), source.meta.get("doi")
    if (arxiv is not None and field_problem(ARXIV, arxiv) is None) or (isinstance(doi, str) and doi.startswith("10.")):
        return PAPER
    return NOTE


def place_pages(registry: Registry, sources: list[Source], export: Export,
                papers: tuple[str, ...]) -> list[Draft]:
    """A draft per page: its note's path and id, its title, and whether it is created, updated,
    unchanged or kept (edited in the base since). Shallow pages claim their names first, so of
    two `Index.md` the one nearer the top keeps the plain name, as Obsidian prefers it."""
    drafts: list[Draft] = []
    for source in sorted(sources, key=lambda s: (s.rel.count("/"), s.rel)):
        found = export.earlier.get(source.rel)
        if found is not None:
            drafts.append(_again(registry, source, *found))
            continue
        registry.problems.extend(prepare(source))
        kind = kind_of_page(source, papers)
        folder = "/".join(part for part in (FOLDER_OF[kind], export.home, posixpath.dirname(source.rel)) if part)
        stem = unicodedata.normalize("NFC", posixpath.basename(source.rel).rsplit(".", 1)[0])
        note_id = registry.claim_name(stem, kind)
        draft = Draft(kind, note_id, source.title, {}, [], source.shown, source.first_line,
                      source.stamp, folder, state="create")
        _fields(registry, source, draft)
        _title(registry, source, draft)
        registry.rows.append(Row(CREATE, kind, draft.path, draft.title, f"{source.shown}:1"))
        drafts.append(registry.add(draft))
    present = {source.rel for source in sources}
    for rel, (note, stamp) in export.earlier.items():
        if rel not in present and stamp.page != ABSENT:  # a stub is no page of the export
            registry.problems.append(GONE.at(note.path, 1, f"'{rel}' is no longer in the export; "
                                                           "its note is kept as it is"))
    return drafts


def _again(registry: Registry, source: Source, note: Note, stamp: PageStamp) -> Draft:
    """A page imported before: unchanged, updated in place, or kept because you edited it."""
    folder = posixpath.dirname(note.path)
    draft = Draft(note.kind, note.id, note.title, {}, [], source.shown, source.first_line,
                  source.stamp, folder, state="same")
    if stamp.page == source.digest:
        registry.rows.append(Row(SKIP, note.kind, note.path, note.title, f"{source.shown}:1",
                                 "already imported, unchanged"))
        return registry.add(draft)
    try:
        current = (registry.root / note.path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        current = ""
    if edited_since(current, stamp):
        draft.state = "kept"
        registry.problems.append(KEPT.at(source.shown, 1, f"changed in the export, and "
                                                          f"{note.path} was edited since: kept as it is"))
        registry.rows.append(Row(SKIP, note.kind, note.path, note.title, f"{source.shown}:1",
                                 "edited since the last import; the export's new version not imported"))
        return registry.add(draft)
    registry.problems.extend(prepare(source))
    draft.state, draft.replaces, draft.title = "update", current, source.title
    _fields(registry, source, draft)
    _title(registry, source, draft, again=note)
    registry.rows.append(Row(UPDATE, note.kind, note.path, draft.title, f"{source.shown}:1",
                             "changed in the export since the last import"))
    return registry.add(draft)


def _title(registry: Registry, source: Source, draft: Draft, again: Note | None = None) -> None:
    """The title the note goes by: the page's own, else its file name; qualified when that name
    already means another note of the base (`LoRA (imported)`, related to it)."""
    own = source.meta.get("title")
    if own is not None and not isinstance(own, (list, dict)) and str(own).strip():
        return  # the page's own title, as written
    title = source.title
    existing = registry.note(registry.index.resolve_name(title))
    if existing is not None and existing is not again and existing.id != draft.id:
        title = qualified(registry, title, "imported")
        if "related" not in source.meta:
            draft.meta["related"] = [existing.id]
        registry.linked(existing, source.title, f"{source.shown}:1",
                        f"collides with {existing.path}: imported as {draft.path} '{title}'")
    draft.title = title
    draft.meta["title"] = title


def _fields(registry: Registry, source: Source, draft: Draft) -> None:
    """Front-matter fields `kb check` would refuse, kept under another name (`created_imported`)."""
    for key, value in source.meta.items():
        if key == STAMP_FIELD or key in ("kind", "arxiv_sync") or not valid_field(key, value, draft.kind):
            draft.meta[key] = None  # removed from the page's front matter...
            draft.meta[f"{key}_imported"] = value  # ...and kept under this name
            registry.problems.append(RENAMED.at(source.shown, source.first_line - 1,
                                                f"'{key}: {str(value)[:40]}' kept as '{key}_imported'"))
