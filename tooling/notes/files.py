"""The one walker: which files under a folder belong to the base, with one hidden-path rule.

A path with any component starting with `.` is hidden (`.git/`, `.obsidian/`, `.trash/`,
`.kb-cache/`, editors' `.x.md.swp`, our own `.x.md.tmp` files) and never read. Only regular files
count: a FIFO or a link to a device named `x.md` would block or flood whoever reads it. A folder
that cannot be listed is reported, never skipped in silence. Linked folders are not entered; with
`confine`, a linked file (or a top folder) leading out of the root is set apart (`outside`) and
never listed, so no reader of the base opens it (`inside.py`). The walk is a loop, not a
recursion: a tree a thousand folders deep is walked like any other.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .inside import real_root, within


@dataclass(slots=True)
class Walk:
    """Regular files found (POSIX paths relative to the root, sorted), folders that could not
    be listed (path, reason) and, with `confine`, links leading out of the root (path, target)."""

    files: list[str] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    outside: list[tuple[str, str]] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)  # hidden names met (not entered), sorted


def hidden(name: str) -> bool:
    """The hidden-path rule, for one path component."""
    return name.startswith(".")


def walk(root: Path, tops: Iterable[str] = (".",), confine: bool = False) -> Walk:
    """Every regular, non-hidden file under `root/top` for each top folder (missing ones skipped).
    With `confine`, links (files, or a top folder) whose target lies outside `root` are listed in
    `outside` instead of `files`."""
    found = Walk()
    base = real_root(root) if confine else ""
    for top in tops:
        start = os.path.join(root, top)
        if not os.path.isdir(start):
            continue
        prefix = "" if top == "." else top.strip("/") + "/"
        if confine and top != "." and os.path.islink(start.rstrip("/")):
            target = os.path.realpath(start)
            if not within(target, base):
                found.outside.append((prefix.rstrip("/"), target))
                continue
        _scan(start, prefix, found, base)
    found.files.sort()
    found.hidden.sort()
    return found


def _scan(start: str, start_prefix: str, found: Walk, base: str) -> None:
    pending = [(start, start_prefix)]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda entry: entry.name)
        except OSError as exc:
            found.unreadable.append((prefix.rstrip("/") or ".", exc.strerror or str(exc)))
            continue
        for entry in reversed(listed):  # popped in name order
            if hidden(entry.name):
                found.hidden.append(prefix + entry.name)
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file():  # follows links: a link to a regular file is one
                    if base and entry.is_symlink():
                        target = os.path.realpath(entry.path)
                        if not within(target, base):
                            found.outside.append((prefix + entry.name, target))
                            continue
                    found.files.append(prefix + entry.name)
            except OSError as exc:  # a link pointing nowhere readable
                found.unreadable.append((prefix + entry.name, exc.strerror or str(exc)))


def is_note_file(path: str) -> bool:
    """Whether a file of the note folders is a note: Markdown, except Excalidraw drawings
    (`*.excalidraw.md`: the drawing plugin's JSON in a Markdown wrapper, an attachment)."""
    return path.endswith(".md") and not path.lower().endswith(".excalidraw.md")


def make_folders(folder: Path) -> None:
    """`folder` and every missing folder above it, made top down in a loop (`os.makedirs` and
    `Path.mkdir(parents=True)` recurse once per level: a thousand levels crash them)."""
    missing = []
    current = Path(folder)
    while not current.is_dir():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        path.mkdir(exist_ok=True)


def every_folder(top: str | Path) -> Iterator[tuple[str, list[str]]]:
    """(folder, names of its files) for `top` and every folder under it, hidden ones included,
    linked folders not entered: `os.walk` without its recursion (Python 3.11's fails at a
    thousand levels)."""
    pending = [str(top)]
    while pending:
        folder = pending.pop()
        files: list[str] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            pending.append(entry.path)
                        else:
                            files.append(entry.name)
                    except OSError:
                        continue
        except OSError:
            continue
        yield folder, files


def note_files(root: Path, tops: Iterable[str]) -> Walk:
    """The Markdown notes under the note folders, confined to the root."""
    found = walk(root, tops, confine=True)
    found.files = [path for path in found.files if is_note_file(path)]
    found.outside = [(path, target) for path, target in found.outside
                     if path.endswith(".md") or "/" not in path]
    return found
