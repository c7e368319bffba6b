"""Stage 1: find every note under the root and load it once (front matter parsed, body kept as is)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .frontmatter import FrontMatterError, parse_yaml, split
from .model import ERROR, NOTE_DIRS, Note, Problem, kind_of


@dataclass(slots=True)
class Loaded:
    """Every note found, in path order, and the problems met while reading them."""

    notes: list[Note] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def note_files(root: Path) -> list[str]:
    """Relative POSIX paths of all `.md` files under the note folders, sorted, hidden ones skipped."""
    found: list[str] = []
    for top in NOTE_DIRS:
        base = root / top
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel = os.path.relpath(dirpath, root).replace(os.sep, "/")
            found.extend(
                f"{rel}/{name}" for name in filenames if name.endswith(".md") and name[0] != "."
            )
    return sorted(found)


def load_note(root: Path, path: str) -> tuple[Note, list[Problem]]:
    """Read one note. Never raises for bad content: problems come back as values."""
    note_id = path.rsplit("/", 1)[-1][: -len(".md")]
    with open(os.path.join(root, path), "rb") as handle:
        raw = handle.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problem = Problem(path, line, ERROR, "not-utf8", f"not UTF-8 text (byte {exc.start})")
        return _unreadable(path, note_id, ""), [problem]
    try:
        parts = split(text)
    except FrontMatterError as exc:
        return _unreadable(path, note_id, text), [Problem(path, exc.line, ERROR, exc.code, exc.message)]
    if parts.yaml_text is None:
        meta: dict = {}
    else:
        try:
            meta = parse_yaml(parts.yaml_text, parts.yaml_line)
        except FrontMatterError as exc:
            note = _unreadable(path, note_id, parts.body)
            note.body_line = parts.body_line
            return note, [Problem(path, exc.line, ERROR, exc.code, exc.message)]
    title = meta.get("title")
    note = Note(
        path=path,
        id=note_id,
        kind=kind_of(path, meta),
        title=str(title).strip() if title not in (None, "") else note_id,
        meta=meta,
        body=parts.body,
        body_line=parts.body_line,
        yaml_text=parts.yaml_text or "",
        yaml_line=parts.yaml_line,
        has_front_matter=parts.yaml_text is not None,
    )
    return note, []


def _unreadable(path: str, note_id: str, body: str) -> Note:
    # Kept in the base so links to it still resolve: one bad file must not cascade.
    return Note(path, note_id, kind_of(path, {}), note_id, {}, body, 1, readable=False)


def load_notes(root: Path) -> Loaded:
    """Load every note under `root`; unreadable files become problems, never exceptions."""
    loaded = Loaded()
    for path in note_files(root):
        try:
            note, problems = load_note(root, path)
        except OSError as exc:
            loaded.problems.append(Problem(path, 1, ERROR, "unreadable", f"cannot read: {exc.strerror}"))
            continue
        loaded.notes.append(note)
        loaded.problems.extend(problems)
    return loaded
