"""Atomic file writes: a note is either fully written or untouched, never half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str, *, exclusive: bool = False, durable: bool = True) -> None:
    """Write `text` to `path` via a temp file in the same folder and a rename.

    With `exclusive`, refuse to replace an existing file (FileExistsError), checked as late as
    possible so a file created meanwhile is never clobbered. The file keeps the mode of the one
    it replaces (a new one gets the umask's default, not mkstemp's 0600). `durable=False` skips
    the fsync, for disposable files such as caches.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
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


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
