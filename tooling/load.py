"""Stage 1: find every note under the root and load it once (front matter parsed, body kept as is).

Nothing here raises for bad content: a note that cannot be read becomes a `Problem` (with the
codes below) and an unreadable placeholder, so links to it still resolve and one bad file never
hides the problems of the others.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Note, kind_of
from .notes.files import note_files
from .notes.frontmatter import FrontMatterError, RepeatedKey, as_written, parse_front_matter, split
from .problems import ERROR, Problem, define
from .schema import NOTE_DIRS

NOT_UTF8 = define(
    "not-utf8", ERROR, "the file is not UTF-8 text",
    "Notes must be UTF-8. Re-save the file as UTF-8 (most editors: 'Save with encoding'). The "
    "line given is where the first undecodable byte is.")
UNREADABLE = define(
    "unreadable", ERROR, "a file or folder cannot be read",
    "The operating system refused to read the file or list the folder (permissions, a broken "
    "link, or it vanished during the run). Its notes are missing from everything else.")
LINK_OUTSIDE = define(
    "link-outside-base", ERROR, "a note or note folder is a link to somewhere outside the base",
    "A symbolic link under papers/, concepts/ or notes/ (or one of those folders itself) leads "
    "out of the knowledge base. Git stores links, so a cloned base can carry one pointing at any "
    "file of yours (`notes/leak.md -> ~/.ssh/id_rsa`): no command reads it and the site never "
    "publishes it. Links between files inside the base work as usual. Replace the link by the "
    "file itself if you meant to include it.")
define("unclosed-front-matter", ERROR, "front matter is opened but never closed",
       "A note that starts with '---' must close its front matter with another '---' line. "
       "Without it the whole file would be read as YAML.")
define("invalid-yaml", ERROR, "the front matter is not valid YAML",
       "The YAML between the '---' lines does not parse. The line points at where the parser gave "
       "up; common causes are an unquoted ':' in a title or a tab for indentation. Aliases "
       "(*name), values nested more than 32 levels and integers of thousands of digits are "
       "refused too: they make every command slow or crash.")
define("not-a-mapping", ERROR, "the front matter is not a mapping of fields",
       "Front matter must be 'field: value' lines. A bare list or a lone string is not a note's "
       "metadata.")


Stamp = tuple[int, int, int, int]  # a file's size, modification and change times, inode


@dataclass(slots=True)
class Loaded:
    """Every note found, in path order, the problems met while reading them, and the stamp of
    each file as it was before being read (what `load_notes` compares to reuse a note)."""

    notes: list[Note] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    stamps: dict[str, Stamp] = field(default_factory=dict)


def note_id(path: str) -> str:
    """A note's id: its file name without `.md`, in Unicode NFC (macOS writes names in NFD, and
    `[[café]]` typed on any keyboard must still find `café.md`)."""
    stem = path.rsplit("/", 1)[-1][: -len(".md")]
    return stem if stem.isascii() else unicodedata.normalize("NFC", stem)


def load_note(root: Path, path: str) -> tuple[Note, list[Problem]]:
    """Read one note. Never raises for bad content: problems come back as values."""
    return _read_note(root, path)[:2]


def _read_note(root: Path, path: str) -> tuple[Note, list[Problem], Stamp]:
    """One note, its problems, and its file's stamp as it was when read (taken from the open
    file before reading it: a later write gives a new stamp, so it is read again)."""
    with open(os.path.join(root, path), "rb") as handle:
        stamp = file_stamp(os.fstat(handle.fileno()))
        raw = handle.read()
    note, problems = _parse_note(path, raw)
    return note, problems, stamp


def _parse_note(path: str, raw: bytes) -> tuple[Note, list[Problem]]:
    ident = note_id(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return _unreadable(path, ident, ""), [NOT_UTF8.at(path, line,
                                                          f"not UTF-8 text (byte {exc.start})")]
    try:
        parts = split(text)
    except FrontMatterError as exc:
        return _unreadable(path, ident, text), [Problem(path, exc.line, ERROR, exc.code, exc.message)]
    meta: dict[str, Any] = {}
    repeats: list[RepeatedKey] = []
    if parts.yaml_text is not None:
        try:
            meta, repeats = parse_front_matter(parts.yaml_text, parts.yaml_line)
        except FrontMatterError as exc:
            note = _unreadable(path, ident, parts.body)
            note.body_line = parts.body_line
            return note, [Problem(path, exc.line, ERROR, exc.code, exc.message)]
    title = meta.get("title")
    if isinstance(title, bool):  # `title: yes` is true to YAML: show it as written
        title = as_written(parts.yaml_text or "", "title") or ident
    note = Note(
        path=path,
        id=ident,
        kind=kind_of(path, meta),
        title=str(title).strip() if title not in (None, "") else ident,
        meta=meta,
        body=parts.body,
        body_line=parts.body_line,
        yaml_text=parts.yaml_text or "",
        yaml_line=parts.yaml_line,
        has_front_matter=parts.yaml_text is not None,
        repeated_keys=tuple(repeats),
    )
    return note, []


def _unreadable(path: str, note_id: str, body: str) -> Note:
    # Kept in the base so links to it still resolve: one bad file must not cascade.
    return Note(path, note_id, kind_of(path, {}), note_id, {}, body, 1, readable=False)


def load_notes(root: Path, previous: Loaded | None = None) -> Loaded:
    """Load every note under `root`; unreadable files become problems, never exceptions. With
    `previous` (an earlier load of the same root: `kb serve` after a save), a file whose stamp
    is unchanged is not read again: its note and problems are taken as they were."""
    loaded = Loaded()
    found = note_files(root, NOTE_DIRS)
    loaded.problems.extend(UNREADABLE.at(path, 0, f"cannot read: {reason}")
                           for path, reason in found.unreadable)
    loaded.problems.extend(LINK_OUTSIDE.at(path, 0, f"not read: it is a link leading out of the "
                                                    f"base (to {target})")
                           for path, target in found.outside)
    kept = _by_path(previous) if previous is not None else {}
    stamps = previous.stamps if previous is not None else {}
    for path in found.files:
        try:
            old = kept.get(path)
            if old is not None and stamps.get(path) == (
                    stamp := file_stamp(os.stat(os.path.join(root, path)))):
                note, problems = old
            else:
                note, problems, stamp = _read_note(root, path)
        except OSError as exc:
            loaded.problems.append(UNREADABLE.at(path, 1, f"cannot read: {exc.strerror}"))
            continue
        loaded.notes.append(note)
        loaded.problems.extend(problems)
        loaded.stamps[path] = stamp
    return loaded


def file_stamp(found: os.stat_result) -> Stamp:
    """What tells a file's versions apart without reading it: size, modification and change
    times, inode (a file put back with its old modification time still has a new change time)."""
    return found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino


def _by_path(loaded: Loaded) -> dict[str, tuple[Note, list[Problem]]]:
    """Each note of an earlier load with the problems met reading its file."""
    found: dict[str, tuple[Note, list[Problem]]] = {note.path: (note, []) for note in loaded.notes}
    for problem in loaded.problems:
        if problem.path in found:
            found[problem.path][1].append(problem)
    return found
