"""Stage 6 of `kb import`, the only one that writes: copies files, then creates notes, each
atomically and never over an existing file (linked notes first, the pages linking to them last).

An interrupted import (killed, or the disk full) leaves whole files only; running the same import
again finishes it with the same result as one run (see `plan`), after removing the temp files
the killed run left. A disk error stops the writing and is reported with what was written.
Notes are synced to disk once at the end rather than one by one. They are written one after
the other: without a sync per file nothing waits on the disk, and a pool of writer threads made
the writing 20-40% slower.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from ..notes.atomic import remove_stale_temps, write_atomic
from ..problems import ERROR, INFO, define
from ..schema import NOTE_DIRS
from .drafts import Asset
from .inputs import MAX_INPUT
from .plan import Plan, Planned
from .report import COPY, CREATE, UPDATE, ImportReport

Progress = Callable[[int, int], None]

STALE = define(
    "stale-temp-removed", INFO, "a temp file of an interrupted write was removed",
    "Notes are written to a hidden temp file and renamed into place. A run that was killed "
    "leaves its temp files behind; the next import removes those whose writer is gone.",
    command="import")
CLASH = define(
    "clash", ERROR, "a file appeared where a note was to be created",
    "Another program created the file while the import ran. It was left untouched; run the "
    "import again to place the note under a free name.", command="import")
UNCOPIED = define(
    "not-copied", ERROR, "a file of the export could not be read when copying it",
    "The file was there when the import was planned but could not be read now (moved, "
    "permissions, over 50 MB). The note shows its path; copy it by hand.", command="import")
WRITE_FAILED = define(
    "write-failed", ERROR, "the disk refused a write; the import stopped",
    "A note or file could not be written (disk full, a file-size limit, permissions). The "
    "message says what was written before it. Nothing written is half-written; fix the cause "
    "and run the same `kb import` again: it writes only what is missing.", command="import")


def write_plan(root: Path, plan: Plan, progress: Progress | None = None) -> ImportReport:
    """Write what `plan` decided under `root` (created if missing); return the report of what
    was written."""
    report = plan.report
    total = len(plan.assets) + len(plan.notes)
    done: set[str] = set()
    failure: tuple[str, OSError] | None = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        for stale in remove_stale_temps(root, NOTE_DIRS):
            report.problems.append(STALE.at(stale, 0, "temp file of an interrupted write removed"))
        files: list[tuple[str, Planned | Asset]] = [(asset.dest, asset) for asset in plan.assets]
        files += [(note.path, note) for note in plan.notes]  # linked notes first
        failure = _write_all(root, files, report, done, lambda: _tick(progress, len(done), total))
    except OSError as refused:
        failure = (str(root), refused)
    finally:
        if done:
            os.sync()
    if failure is not None:
        path, error = failure
        reason = error.strerror or str(error)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            reason += " (the disk is full)"
        report.problems.append(WRITE_FAILED.at(
            path, 0, f"could not write it: {reason}. Written before it: "
                     f"{_count(report.written, 'note')} and {_count(report.copied, 'file')} (listed "
                     f"above); {total - len(done)} not written. Run the same `kb import` again once "
                     "fixed: it writes only what is missing"))
    # Rows of notes and files the run did not write stay out of the table (the error counts them).
    report.rows = [row for row in report.rows
                   if row.action not in (CREATE, UPDATE, COPY) or row.path in done]
    return report


def _write_all(root: Path, files: Sequence[tuple[str, Planned | Asset]], report: ImportReport,
               done: set[str], tick: Callable[[], None]) -> tuple[str, OSError] | None:
    """Write the files in order; stop at the first disk error and return it."""
    for path, content in files:
        try:
            data = _read(content) if isinstance(content, Asset) else content.text
        except OSError as exc:
            report.problems.append(UNCOPIED.at(path, 0, f"not copied: {exc.strerror or exc}"))
            continue
        replace = content.replace if isinstance(content, Asset) else content.replaces is not None
        if isinstance(content, Planned) and content.replaces is not None \
                and _current(root / path) != content.replaces:
            report.problems.append(CLASH.at(path, 0, "changed since the import read it; left "
                                                     "untouched, not updated"))
            continue
        try:
            write_atomic(root / path, data, exclusive=not replace, durable=False, root=root)
        except FileExistsError:
            report.problems.append(CLASH.at(path, 0, "exists now; left untouched, not imported"))
            continue
        except OSError as exc:
            return path, exc
        done.add(path)
        if path.endswith(".md"):
            report.written += 1
        else:
            report.copied += 1
        tick()
    return None


def _current(path: Path) -> str | None:
    """A note's text now, to check an update replaces only what the plan read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _count(number: int, what: str) -> str:
    return f"{number} {what}{'s' * (number != 1)}"


def _read(asset: Asset) -> bytes:
    """An asset's bytes: decoded already, or a file of the export read now (its path was checked
    to lie inside the export)."""
    if asset.data is not None or asset.src is None:
        return asset.data or b""
    src = asset.src
    with open(src, "rb") as handle:
        data = handle.read(MAX_INPUT + 1)
    if len(data) > MAX_INPUT:
        raise OSError(errno.EFBIG, f"{src.name} is over 50 MB; not copied")
    return data


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
