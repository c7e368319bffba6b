"""Find one note from what a user types (an id, a title, or the start of one) without loading the
base: file names come from the walker, and only candidate files are read.

A name means what `[[name]]` means: the index's rule (`Index.resolve_name`: the id, a title or
alias ignoring case, then ignoring accents and punctuation), applied to the candidate notes, so
`kb mark "Title"` and `[[Title]]` always find the same note. Only when that finds nothing, two
typing conveniences follow: ids starting with the text, then titles starting with it. A match must
be unique (a command that writes never guesses); otherwise the error lists the candidates, or the
nearest ids when nothing matched.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..index import Index
from ..load import load_note, note_id
from ..model import Note, aliases_of, kind_of
from ..notes.files import note_files
from ..notes.frontmatter import FrontMatterError, parse_yaml, split
from ..notes.ids import fold, slug
from ..problems import ERROR, define
from ..schema import FOLDER_OF, NOTE_DIRS
from .errors import StudyError

NO_SUCH_NOTE = define(
    "no-such-note", ERROR, "no note matches the id or title given",
    "Give a note id (its file name without .md), the start of one, or its title. The message lists "
    "the nearest ids. Nothing was changed.", command="mark")
AMBIGUOUS_NOTE = define(
    "ambiguous-note", ERROR, "several notes match the id or title given",
    "The text given is the start of several ids or titles: type more of the id. Nothing was "
    "changed.", command="mark")


@dataclass(slots=True)
class Found:
    """The one note matched: its file, id, kind and front matter (its text as read)."""

    path: str
    id: str
    kind: str
    title: str
    meta: dict[str, Any]
    text: str


def find_note(root: Path, name: str, kinds: Iterable[str] = ()) -> Found:
    """The note `name` designates, among notes of `kinds` (all kinds when empty).

    StudyError (`no-such-note`, `ambiguous-note`) when there is not exactly one.
    """
    kinds = tuple(kinds)
    folders = tuple(sorted({FOLDER_OF[k] for k in kinds})) if kinds else NOTE_DIRS
    by_id: dict[str, list[str]] = {}
    for path in note_files(root, folders).files:
        if _kind_from_path(path) in kinds or not kinds:
            by_id.setdefault(note_id(path), []).append(path)
    what = " or ".join(kinds) if kinds else "note"
    wanted = name.strip()
    if wanted in by_id:
        return _one(root, wanted, by_id[wanted], name)
    named = _as_link(root, wanted, by_id)
    if len(named) == 1:
        return _one(root, named[0], by_id[named[0]], name)
    if named:
        raise _ambiguous(name, named)
    lowered = wanted.lower()
    prefixed = sorted(i for i in by_id if i.lower().startswith(lowered)) if lowered else []
    if len(prefixed) == 1:
        return _one(root, prefixed[0], by_id[prefixed[0]], name)
    if prefixed:
        raise _ambiguous(name, prefixed)
    titled = _by_title_start(root, wanted, by_id)
    if len(titled) == 1:
        return _one(root, titled[0], by_id[titled[0]], name)
    if titled:
        raise _ambiguous(name, titled)
    close = difflib.get_close_matches(wanted, list(by_id), n=5, cutoff=0.5)
    hint = f"; nearest: {', '.join(close)}" if close else ""
    raise StudyError(NO_SUCH_NOTE.at("", 0, f"no {what} with id or title '{name}'{hint}"))


def _as_link(root: Path, wanted: str, by_id: dict[str, list[str]]) -> list[str]:
    """The ids `[[wanted]]` would lead to among these notes: the index's own rule over the notes
    that can match (their id is the text's slug, or their file holds its words). Several when
    two notes carry the name (the index would take the first; a command must not)."""
    key = fold(wanted)
    candidates = [note for ident, paths in by_id.items() if ident == slug(wanted) or key
                  for note in _notes(root, paths, key if ident != slug(wanted) else "")]
    index = Index.build(candidates)
    found = index.resolve_name(wanted)
    if found is None:
        return []
    rivals = [note.id for note in candidates if note.id != found
              and Index.build([note]).resolve_name(wanted) == note.id]
    return sorted({found, *rivals})


def _notes(root: Path, paths: list[str], key: str) -> list[Note]:
    """The notes at `paths` whose text holds the words of `key` (all of them for an empty key)."""
    found = []
    for path in paths:
        try:
            text = (root / path).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if key:  # names live in the front matter: only its words are compared
            head = text[:text.find("\n---", 3) + 1] if text.startswith("---") else ""
            if not all(word in fold(head) for word in key.split()):
                continue
        try:
            found.append(load_note(root, path)[0])
        except OSError:
            continue
    return found


def _kind_from_path(path: str) -> str:
    return kind_of(path, {})


def _by_title_start(root: Path, wanted: str, by_id: dict[str, list[str]]) -> list[str]:
    """Ids whose title or alias starts with the text (case, accents and punctuation ignored).
    A file is parsed only when its text contains the words typed."""
    key = fold(wanted)
    if not key:
        return []
    needle = wanted.casefold()
    starting = []
    for ident, paths in by_id.items():
        for path in paths:
            try:
                text = (root / path).read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if needle not in text.casefold():
                continue
            if any(fold(n).startswith(key) for n in _names(text)):
                starting.append(ident)
    return sorted(set(starting))


def _names(text: str) -> list[str]:
    meta = _meta(text)
    names = [meta.get("title"), *aliases_of(meta.get("aliases"))]
    return [str(n) for n in names if isinstance(n, (str, int, float)) and str(n).strip()]


def _meta(text: str) -> dict[str, Any]:
    try:
        parts = split(text)
        return parse_yaml(parts.yaml_text, parts.yaml_line) if parts.yaml_text is not None else {}
    except FrontMatterError:
        return {}


def _one(root: Path, ident: str, paths: list[str], name: str) -> Found:
    if len(paths) > 1:
        raise StudyError(AMBIGUOUS_NOTE.at(paths[0], 1, f"'{name}' is the id of {len(paths)} files: "
                                                        f"{', '.join(paths)} (see kb check's duplicate-id)"))
    path = paths[0]
    text = (root / path).read_bytes().decode("utf-8", errors="replace")
    meta = _meta(text)
    title = meta.get("title")
    return Found(path, ident, kind_of(path, meta), str(title).strip() if title else ident, meta, text)


def _ambiguous(name: str, ids: list[str]) -> StudyError:
    shown = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
    return StudyError(AMBIGUOUS_NOTE.at("", 0, f"'{name}' matches {len(ids)} notes: {shown}; "
                                               "type more of the id"))

