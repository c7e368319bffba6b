"""The state an import builds up while it reads: notes it will create (`Draft`s), files it will
copy (`Asset`s), ids it has claimed, and the rows and problems of its report.

One `Registry` per planning pass; the stages before writing fill it, `plan` finishes it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..index import Index
from ..model import Note
from ..notes.ids import MAX_ID, slug
from ..problems import Problem
from ..schema import AUTHOR, DONE_MARK, DONE_STATUSES, FOLDER_OF
from .classify import title_keys
from .report import LINK, MARK, Row


@dataclass(slots=True)
class Draft:
    """A note the import will create."""

    kind: str
    id: str
    title: str
    meta: dict[str, Any]
    body: list[str]
    source: str  # the input's path as given, for the report
    line: int  # where in it
    stamp: str  # the input it comes from, stable across runs (see `plan`)
    folder: str = ""

    path: str = ""  # the note's file in the base, from its folder and id
    # A page imported as itself (`state` set): `meta` holds only the fields the import sets in the
    # page's front matter (None deletes one); the text is the page's (see `plan.page_text`).
    state: str = ""  # create, update, same (unchanged), kept (yours now), stub; "" when carved
    replaces: str | None = None  # an update: the note's text the plan read, replaced only if intact

    def __post_init__(self) -> None:
        self.folder = self.folder or FOLDER_OF[self.kind]
        self.path = f"{self.folder}/{self.id}.md"

    @property
    def at(self) -> str:
        return f"{self.source}:{self.line}"


@dataclass(slots=True)
class Asset:
    """A file to copy into the base: from the export (`src`) or decoded from a `data:` URL."""

    dest: str  # relative to the base root
    source: str  # `path:line` of the first reference
    src: Path | None = None
    data: bytes | None = None
    replace: bool = False  # the export changed a file an earlier import copied: write it anew


def _key(note_id: str) -> str:
    """Ids that name the same file on a case-insensitive or normalising file system."""
    return unicodedata.normalize("NFC", note_id).casefold()


@dataclass(slots=True)
class Registry:
    """What one planning pass has decided so far."""

    index: Index
    root: Path
    drafts: list[Draft] = field(default_factory=list)
    by_arxiv: dict[str, Draft] = field(default_factory=dict)
    by_title: dict[str, Draft] = field(default_factory=dict)  # paper title keys -> draft
    by_name: dict[str, Draft] = field(default_factory=dict)  # lower-cased names -> draft
    assets: dict[str, Asset] = field(default_factory=dict)  # dest -> asset
    asset_of: dict[str, str] = field(default_factory=dict)  # a file (or data hash) -> its dest
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    marked: set[str] = field(default_factory=set)
    stub_ids: list[str] = field(default_factory=list)  # the note each `kb-stub:N` link names
    _taken: set[str] = field(default_factory=set)
    _paper_titles: dict[str, str] | None = None

    def __post_init__(self) -> None:
        self._taken = {_key(note_id) for note_id in self.index.notes}

    # --- ids ------------------------------------------------------------------------------
    def free(self, note_id: str, kind: str) -> bool:
        if _key(note_id) in self._taken:
            return False
        return kind == AUTHOR or note_id not in self.index.authors  # an author node is taken

    def claim(self, wanted: str, kind: str) -> str:
        """A free id close to `wanted` (`x`, `x-2`, `x-3`...), claimed for this import."""
        base = slug(wanted)[: MAX_ID - 4].strip("-") or "untitled"
        chosen, number = base, 2
        while not self.free(chosen, kind):
            chosen, number = f"{base}-{number}", number + 1
        self._taken.add(_key(chosen))
        return chosen

    def claim_name(self, wanted: str, kind: str) -> str:
        """A page's id: its file name as written (`Residual stream`), else `name-2`...: free
        among the base's ids (any case), author nodes, and the names its notes go by, so that no
        link of the base changes meaning."""
        chosen, number = wanted or "untitled", 2
        while not self.free(chosen, kind) or chosen.lower() in self.index.names:
            chosen, number = f"{wanted}-{number}", number + 1
        self._taken.add(_key(chosen))
        return chosen

    def reserve(self, drafts: list[Draft]) -> None:
        """Notes this import makes elsewhere (pages imported as themselves): their ids are
        taken, and links may name them."""
        for draft in drafts:
            self._taken.add(_key(draft.id))
            self.by_name.setdefault(draft.title.lower(), draft)

    def add(self, draft: Draft) -> Draft:
        self.drafts.append(draft)
        self.by_name.setdefault(draft.title.lower(), draft)
        self.by_name.setdefault(draft.id, draft)
        return draft

    # --- notes already in the base ---------------------------------------------------------
    def note(self, note_id: str | None) -> Note | None:
        return self.index.notes.get(note_id) if note_id is not None else None

    def paper_titled(self, title: str) -> Note | None:
        """A paper in the base whose title (or an alias) folds to the same as `title`."""
        if self._paper_titles is None:
            self._paper_titles = {}
            for note in self.index.notes.values():
                if note.kind == "paper":
                    names = [note.title, *(a for a in note.list_field("aliases") if isinstance(a, str))]
                    for name in names:
                        for key in title_keys(name):
                            self._paper_titles.setdefault(key, note.id)
        for key in title_keys(title):
            if key in self._paper_titles:
                return self.index.notes[self._paper_titles[key]]
        return None

    def linked(self, note: Note, what: str, source: str, detail: str = "") -> None:
        """Report a link from imported text to a note already in the base (once per place)."""
        row = Row(LINK, note.kind, note.path, what, source, detail)
        if row not in self.rows[-50:]:
            self.rows.append(row)

    def mark(self, note: Note, source: str) -> None:
        """A done mark on a note already in the base: the exact command that would apply it
        (existing notes are never edited by an import)."""
        status = DONE_MARK.get(note.kind)
        if status is None or note.status in DONE_STATUSES or note.id in self.marked:
            return
        self.marked.add(note.id)
        self.rows.append(Row(MARK, note.kind, note.path, f"kb mark {note.id} {status}", source))
