"""Atomic file writes: a note is either fully written or untouched, never half-written.

Temp files are hidden (`.name.<pid>.<random>.tmp`, beside the target) and carry the writer's
process id, so a later run can tell the leftovers of a killed writer from the work of one still
running (`remove_stale_temps`).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .files import every_folder, make_folders
from .inside import inside

_TEMP = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def write_atomic(path: Path, text: str | bytes, *, exclusive: bool = False,
                 durable: bool = True, root: Path | None = None) -> None:
    """Write `text` (or bytes) to `path` via a temp file in the same folder and a rename.

    With `exclusive`, refuse to replace an existing file (FileExistsError), checked as late as
    possible so a file created meanwhile is never clobbered. The file keeps the mode of the one
    it replaces (a new one gets the umask's default, not mkstemp's 0600). `durable=False` skips
    the fsync, for disposable files such as caches and for bulk writers that sync once at the end.
    Folders are created only when missing: an import writes thousands of notes into a few.
    With `root`, the file (its links followed) must stay inside that base (`inside.OutsideBase`
    otherwise) and is written where its links lead.
    """
    if root is not None:
        path = inside(root, path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    mode = None if exclusive else _existing_mode(path)  # a new file: the umask decides
    try:
        fd, tmp = _temp_beside(path)
    except FileNotFoundError:
        make_folders(path.parent)
        fd, tmp = _temp_beside(path)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
            if mode is not None:
                os.fchmod(fd, mode)
        finally:
            os.close(fd)
        if exclusive:
            # link() fails if the target exists: no window where an existing note is replaced.
            os.link(tmp, path)
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise


def _temp_beside(path: Path) -> tuple[int, str]:
    """A new hidden temp file beside `path`, opened for writing: `.name.<pid>.<random>.tmp`,
    created with mode 0666 less the umask (what any new file gets), never an existing file."""
    while True:
        tmp = os.path.join(path.parent, f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_CLOEXEC, 0o666), tmp
        except FileExistsError:
            continue


class ChangedMeanwhile(Exception):
    """The file kept changing under another program while kb was editing it."""


RETRIES = 5  # attempts when a program that is not kb changes the note between read and write


def update_file(path: Path, root: Path, change: Callable[[str], str], *,
                dry_run: bool = False) -> tuple[str, str]:
    """Read a note of the base under `root`, make its new text with `change`, and replace it
    atomically; return (old text, new text). Nothing is written when they are equal or on
    `dry_run`. A symbolic link is written through, to its target, and stays a link (a rename onto
    the link would replace it with a copy), unless it leads out of the base (`inside.OutsideBase`).

    The read, the change and the rename happen under a lock on the note's folder that every kb
    writer takes, so two kb writers wait for each other instead of racing. Another program (an
    editor) is caught by comparing the file with what was read just before the rename; the
    change is then made again on the new text, up to RETRIES times, and refused after that
    (ChangedMeanwhile): no one's edit is lost. `change` may raise; nothing is written then.
    """
    real = inside(root, path)
    for _ in range(RETRIES):
        with folder_lock(real.parent):
            raw = real.read_bytes()
            old = raw.decode("utf-8")
            new = change(old)
            if new == old or dry_run:
                return old, new
            with open(real, "rb") as handle:
                if handle.read() != raw:
                    continue
            write_atomic(real, new)
            return old, new
    raise ChangedMeanwhile(f"it kept changing while it was being edited ({RETRIES} tries)")


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive advisory lock on a folder, held by kb's writers around read-check-rename (a
    lock on the file itself would not do: the rename replaces it)."""
    try:
        import fcntl
    except ImportError:  # no flock on this system: the content check alone remains
        yield
        return
    fd = os.open(folder, os.O_RDONLY | _O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def remove_stale_temps(root: Path, folders: Iterable[str]) -> list[str]:
    """Delete the temp files a killed writer left under `root/folder` (its process is gone);
    return their paths relative to `root`. Temps of a writer still running are left alone."""
    removed: list[str] = []
    for folder in folders:
        for current, files in every_folder(root / folder):
            for name in files:
                found = _TEMP.match(name)
                if found is None or _alive(int(found.group(1))):
                    continue
                try:
                    os.unlink(os.path.join(current, name))
                except OSError:
                    continue
                removed.append(os.path.relpath(os.path.join(current, name), root).replace(os.sep, "/"))
    return sorted(removed)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _existing_mode(path: Path) -> int | None:
    """The permission bits of the file `path` names now, or None when there is none."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return None
