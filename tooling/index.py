"""The index of the base: every way a note can be named (id, title, alias, slug, path, paper
identifiers),
built once from the loaded notes and consulted by link resolution and every later stage.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .identifiers import ARXIV, ids_of, parse_id
from .model import Note
from .notes.ids import slug
from .schema import AUTHOR, AUTHOR_FIELD, CONCEPT, MAX_AUTHOR_NODES, PAPER
from .syntax import parse_wikilink

# Which file holds an id when several do (`duplicate-id` reports them all): a stray note named
# like a paper must never hide the paper.
_PRECEDENCE = {PAPER: 0, CONCEPT: 1, AUTHOR: 2}


@dataclass(slots=True)
class Index:
    """Everything needed to turn a written reference into a node id; built once per base."""

    notes: dict[str, Note]
    names: dict[str, str] = field(default_factory=dict)  # lower-cased title/alias -> id
    slugs: dict[str, str] = field(default_factory=dict)  # slug of title/alias -> id (fuzzy match)
    paths: dict[str, str] = field(default_factory=dict)  # relative path -> id
    authors: dict[str, str] = field(default_factory=dict)  # author node id -> display name
    arxiv: dict[str, str] = field(default_factory=dict)  # canonical arXiv id -> (first) paper id
    ids: dict[str, str] = field(default_factory=dict)  # PaperId.key of any scheme -> (first) paper
    root: Path | None = None
    _files: dict[str, list[str]] | None = None  # lower-cased file name -> note paths
    _author_nodes: dict[str, str | None] = field(default_factory=dict)  # name as written -> node

    @classmethod
    def build(cls, notes: Iterable[Note], root: Path | None = None) -> Index:
        index = cls(notes={}, root=root)
        for note in notes:
            held = index.notes.get(note.id)
            if held is None or _rank(note) < _rank(held):
                index.notes[note.id] = note
        for note in index.notes.values():
            index.paths[note.path] = note.id
            index.names.setdefault(note.title.lower(), note.id)
            for alias in note.aliases:
                index.names.setdefault(alias.lower(), note.id)
        # Slugs are a looser match ("black box" = "black-box"), consulted after exact names.
        for name, note_id in index.names.items():
            index.slugs.setdefault(slug(name), note_id)
        for note in index.notes.values():
            if note.kind == AUTHOR:
                index.authors.setdefault(note.id, note.title)
            elif note.kind == PAPER:
                for ref in ids_of(note.meta).values():
                    index.ids.setdefault(ref.key, note.id)
                    if ref.scheme == ARXIV:
                        index.arxiv.setdefault(ref.value, note.id)
        for note in index.notes.values():
            for name in note.list_field(AUTHOR_FIELD)[:MAX_AUTHOR_NODES]:
                author = index.author_node(name) if isinstance(name, str) else None
                if author is not None:
                    index.authors.setdefault(author, name.strip())
        return index

    def author_id(self, name: str) -> str:
        """The id an author note for this name has or would have: an author note by title or
        alias, else the name's slug (what `kb import` names a new author note)."""
        known = self.names.get(name.strip().lower())
        if known is not None and self.notes[known].kind == AUTHOR:
            return known
        return slug(name)

    def author_node(self, name: str) -> str | None:
        """The graph node of a name in `authors`, or None when it names nobody: the one rule for
        author nodes (links, the site's bylines and author pages all ask here). An author note by
        title or alias; else a full name's slug. A surname alone (`gao`, as imported outlines
        write bylines) stays text on the paper: nineteen papers by "gao" are not one person,
        and guessing which Gao would invent authorship. An alias on an author note (`aliases:
        [Meng]`) is how to say who a surname is. Remembered per name: the index and the links
        both ask for every byline."""
        try:
            return self._author_nodes[name]
        except KeyError:
            pass
        known = self.names.get(name.strip().lower())
        if known is not None and self.notes[known].kind == AUTHOR:
            node: str | None = known
        elif surname_only(name):
            node = None
        else:
            node = slug(name) or None
        self._author_nodes[name] = node
        return node

    def resolve_name(self, text: str) -> str | None:
        """Resolve a wikilink target or front-matter value: id, title/alias, slug, then path."""
        if text in self.notes:  # the common case, first
            return text
        text = text.strip()
        if text.startswith("[[") and text.endswith("]]"):
            text = parse_wikilink(text[2:-2])[0]
        if text in self.notes:
            return text
        lowered = text.lower()
        if lowered in self.names:
            return self.names[lowered]
        folded = slug(text)
        if folded in self.notes or folded in self.authors:
            return folded
        if folded in self.slugs:
            return self.slugs[folded]
        if text.lower().endswith(".md") or "/" in text:
            return self._by_path(text[:-3] if text.lower().endswith(".md") else text)
        return None

    def _by_path(self, stem: str) -> str | None:
        """Obsidian's reading of `[[Name.md]]` and `[[folder/Name]]`: the note's name without
        `.md`, or the note whose path ends with the folders given (the shortest such path)."""
        if "/" not in stem:
            return self.resolve_name(stem) if stem and not stem.lower().endswith(".md") else None
        found = self.paths.get(stem + ".md") or self.paths.get(posixpath.normpath(stem) + ".md")
        if found:
            return found
        tail = "/" + posixpath.normpath(stem.strip("/")).lower() + ".md"
        if self._files is None:  # built on the first path link: most bases have none
            self._files = {}
            for path in self.paths:
                self._files.setdefault(path.rsplit("/", 1)[-1].lower(), []).append(path)
        ending = sorted((path for path in self._files.get(tail.rsplit("/", 1)[-1], [])
                         if path.lower().endswith(tail)), key=lambda path: (path.count("/"), path))
        if ending:
            return self.paths[ending[0]]
        last = stem.rsplit("/", 1)[-1]
        return last if last in self.notes else None

    def paper(self, name: str) -> Note | None:
        """A paper note by note id or by any written form of any of its identifiers."""
        note = self.notes.get(name)
        if note is not None and note.kind == PAPER:
            return note
        ref = parse_id(name)
        found = self.ids.get(ref.key) if ref is not None else None
        return self.notes[found] if found is not None else None

    def papers(self, names: Iterable[str]) -> tuple[list[Note], list[str]]:
        """Paper notes for names (note ids or paper identifiers), in order without repeats, and the names
        that found none."""
        found: dict[str, Note] = {}
        unknown: list[str] = []
        for name in names:
            note = self.paper(name)
            if note is None:
                unknown.append(name)
            else:
                found.setdefault(note.id, note)
        return list(found.values()), unknown

    def resolve_path(self, source: Note, target: str) -> tuple[str | None, bool]:
        """Resolve a relative Markdown link: (note id or None, whether the file exists at all)."""
        if not target:
            return None, True  # a pure `#anchor` link to the same page
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source.path), target))
        if joined in self.paths:
            return self.paths[joined], True
        if self.root is not None and not joined.startswith("../"):
            return None, (self.root / joined).exists()
        return None, False


def surname_only(name: str) -> bool:
    """A byline of one word (`vaswani`, `Gao`): a surname, not a person's full name."""
    return len(name.split()) == 1


def _rank(note: Note) -> int:
    return _PRECEDENCE.get(note.kind, len(_PRECEDENCE))
