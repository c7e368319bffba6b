"""The one walker: which files under a folder belong to the base, with one hidden-path rule.

A path with any component starting with `.` is hidden (`.git/`, `.obsidian/`, `.trash/`,
`.kb-cache/`, editors' `.x.md.swp`, our own `.x.md.tmp` files) and never read. Only regular files
count: a FIFO or a link to a device named `x.md` would block or flood whoever reads it. A folder
that cannot be listed is reported, never skipped in silence.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class Walk:
    """Regular files found (POSIX paths relative to the root, sorted) and folders that could not
    be listed (path, reason)."""

    files: list[str] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)


def hidden(name: str) -> bool:
    """The hidden-path rule, for one path component."""
    return name.startswith(".")


def walk(root: Path, tops: Iterable[str] = (".",)) -> Walk:
    """Every regular, non-hidden file under `root/top` for each top folder (missing ones skipped)."""
    found = Walk()
    for top in tops:
        start = os.path.join(root, top)
        if os.path.isdir(start):
            _scan(start, "" if top == "." else top.strip("/") + "/", found)
    found.files.sort()
    return found


def _scan(folder: str, prefix: str, found: Walk) -> None:
    try:
        with os.scandir(folder) as entries:
            listed = sorted(entries, key=lambda entry: entry.name)
    except OSError as exc:
        found.unreadable.append((prefix.rstrip("/") or ".", exc.strerror or str(exc)))
        return
    for entry in listed:
        if hidden(entry.name):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                _scan(entry.path, f"{prefix}{entry.name}/", found)
            elif entry.is_file():  # follows links: a link to a regular file is one
                found.files.append(prefix + entry.name)
        except OSError as exc:  # a link pointing nowhere readable
            found.unreadable.append((prefix + entry.name, exc.strerror or str(exc)))


def is_note_file(path: str) -> bool:
    """Whether a file of the note folders is a note: Markdown, except Excalidraw drawings
    (`*.excalidraw.md`: the drawing plugin's JSON in a Markdown wrapper, an attachment)."""
    return path.endswith(".md") and not path.lower().endswith(".excalidraw.md")


def note_files(root: Path, tops: Iterable[str]) -> Walk:
    """The Markdown notes under the note folders."""
    found = walk(root, tops)
    found.files = [path for path in found.files if is_note_file(path)]
    return found
