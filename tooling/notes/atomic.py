"""Atomic file writes: a note is either fully written or untouched, never half-written.

Temp files are hidden (`.name.<pid>.<random>.tmp`, beside the target) and carry the writer's
process id, so a later run can tell the leftovers of a killed writer from the work of one still
running (`remove_stale_temps`).
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

_TEMP = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


def write_atomic(path: Path, text: str | bytes, *, exclusive: bool = False,
                 durable: bool = True) -> None:
    """Write `text` (or bytes) to `path` via a temp file in the same folder and a rename.

    With `exclusive`, refuse to replace an existing file (FileExistsError), checked as late as
    possible so a file created meanwhile is never clobbered. The file keeps the mode of the one
    it replaces (a new one gets the umask's default, not mkstemp's 0600). `durable=False` skips
    the fsync, for disposable files such as caches and for bulk writers that sync once at the end.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp",
                               dir=path.parent)
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as raw:
                raw.write(text)
                raw.flush()
                if durable:
                    os.fsync(raw.fileno())
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                if durable:
                    os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if exclusive:
            # link() fails if the target exists: no window where an existing note is replaced.
            os.link(tmp, path)
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def rewrite(path: Path, text: str) -> None:
    """Replace an existing note atomically; a symbolic link is written through, to its target,
    and stays a link (a rename onto the link would replace it with a copy)."""
    write_atomic(Path(os.path.realpath(path)), text)


def remove_stale_temps(root: Path, folders: Iterable[str]) -> list[str]:
    """Delete the temp files a killed writer left under `root/folder` (its process is gone);
    return their paths relative to `root`. Temps of a writer still running are left alone."""
    removed: list[str] = []
    for folder in folders:
        for current, _, files in os.walk(root / folder):
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


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~_umask()


_UMASK: list[int] = []
_UMASK_LOCK = threading.Lock()


def _umask() -> int:
    """The process's umask, read once: reading it means setting it, which writers running in
    threads must never do at the same time (one would restore the other's 0)."""
    with _UMASK_LOCK:
        if not _UMASK:
            mask = os.umask(0)
            os.umask(mask)
            _UMASK.append(mask)
        return _UMASK[0]
