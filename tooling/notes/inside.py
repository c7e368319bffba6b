"""The base's boundary: no command reads, writes or deletes through a link that leaves the root.

Git stores symbolic links, so a cloned base can carry `notes/reviews.log -> ~/.bashrc`,
`site -> ~` or `notes/leak.md -> ~/.ssh/id_rsa`. Every reader and writer of a file in the base
asks here first: a path counts as inside when, with every link along it followed, it still lies
under the root (itself followed: a base kept at `~/kb -> /data/kb` is fine). Links between files
of the base keep working. The answer is an `OutsideBase` error, an `OSError` whose `strerror` is a
sentence, so callers that already report `OSError`s say why without new code.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path


class OutsideBase(OSError):
    """A path of the base that leads, through a link, out of the root."""

    def __init__(self, path: str, target: str) -> None:
        super().__init__(errno.EXDEV, f"it is a link leading out of the base (to {target})", path)
        self.target = target


def real_root(root: Path | str) -> str:
    """The root with its links followed: what `inside` compares against."""
    return os.path.realpath(root)


def within(real: str, base: str) -> bool:
    """Whether the real path `real` is `base` or lies under it (both already resolved)."""
    return real == base or real.startswith(base if base.endswith(os.sep) else base + os.sep)


def is_inside(root: Path | str, path: Path | str) -> bool:
    """Whether `path`, links followed (a missing tail is taken as written), stays under `root`."""
    return within(os.path.realpath(path), real_root(root))


def inside(root: Path | str, path: Path | str) -> Path:
    """`path` with its links followed, when it stays under `root`; OutsideBase otherwise."""
    real = os.path.realpath(path)
    if not within(real, real_root(root)):
        raise OutsideBase(str(path), real)
    return Path(real)
