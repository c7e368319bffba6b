"""When each note was created and last modified: from git when the base is a repository (one
`git log` pass for the whole base: a call per file costs ~10 ms each), else from the file.

A `created` (or `added`) date in the front matter wins over both: it is the user's word.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..model import Note, parse_date
from ..schema import NOTE_DIRS


@dataclass(frozen=True, slots=True)
class Dates:
    created: dt.date | None
    modified: dt.date | None


def git_dates(root: Path) -> dict[str, tuple[dt.date, dt.date]]:
    """(first, last) commit date of every file under the note folders, by path relative to
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
    found: dict[str, tuple[dt.date, dt.date]] = {}
    when: dt.date | None = None
    for line in done.stdout.splitlines():  # newest commit first
        if line.startswith("\x00"):
            when = dt.datetime.fromtimestamp(int(line[1:]), dt.timezone.utc).date()
        elif line and when is not None:
            last = found.get(line)
            found[line] = (when, last[1] if last else when)
    return found


def note_dates(root: Path, note: Note, from_git: dict[str, tuple[dt.date, dt.date]]) -> Dates:
    """A note's dates: front matter, then git, then the file's modification time."""
    written = parse_date(note.meta.get("created")) or parse_date(note.meta.get("added"))
    tracked = from_git.get(note.path)
    if tracked is not None:
        return Dates(written or tracked[0], tracked[1])
    try:
        mtime = dt.datetime.fromtimestamp(os.stat(root / note.path).st_mtime, dt.timezone.utc).date()
    except OSError:
        mtime = None
    return Dates(written or mtime, mtime)
