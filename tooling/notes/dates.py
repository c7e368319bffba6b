"""When each note file was created and last changed: from git when the base is a repository (one
`git log` pass for the whole base: a call per file costs ~10 ms each), else the file's
modification time. Read once per base and shared by every reader (the query engine's
`file.ctime`/`file.mtime`, the review schedule, the site's cards).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..schema import NOTE_DIRS

if TYPE_CHECKING:
    from ..base import KnowledgeBase
    from ..model import Note

History = dict[str, tuple[dt.datetime, dt.datetime]]  # path -> (first, last) commit time, UTC


@dataclass(frozen=True, slots=True)
class FileTimes:
    created: dt.datetime | None
    modified: dt.datetime | None


def git_history(root: Path) -> History:
    """(first, last) commit time of every file under the note folders, by path relative to
    `root`; empty when `root` is not in a git work tree or git is missing."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "log", "--format=%x00%ct", "--name-only", "--no-renames",
             "--relative", "--", *NOTE_DIRS],
            capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError):
        return {}
    if done.returncode != 0:
        return {}
    found: History = {}
    when: dt.datetime | None = None
    for line in done.stdout.splitlines():  # newest commit first
        if line.startswith("\x00"):
            try:
                when = dt.datetime.fromtimestamp(int(line[1:]), dt.timezone.utc)
            except (ValueError, OverflowError, OSError):
                when = None
        elif line and when is not None:
            last = found.get(line)
            found[line] = (when, last[1] if last else when)
    return found


def file_times(root: Path, path: str, history: History) -> FileTimes:
    """A file's times: its git history when it has one, else its modification time (both)."""
    tracked = history.get(path)
    if tracked is not None:
        return FileTimes(tracked[0], tracked[1])
    try:
        mtime = dt.datetime.fromtimestamp(os.stat(root / path).st_mtime, dt.timezone.utc)
    except (OSError, ValueError, OverflowError):
        return FileTimes(None, None)
    return FileTimes(mtime, mtime)


def history_of(kb: KnowledgeBase) -> History:
    """The base's git history, read once per base."""
    return kb.derived(_history)


def _history(kb: KnowledgeBase) -> History:
    return git_history(kb.root)


def times_of(kb: KnowledgeBase, note: Note) -> FileTimes:
    return file_times(kb.root, note.path, history_of(kb))


def keep_history(old: KnowledgeBase, new: KnowledgeBase) -> None:
    """Hand the history one base read to its successor (`kb serve` reloads the base on every
    save; a save changes no commit)."""
    old.hand_on(new, _history)
