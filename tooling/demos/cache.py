"""The demo cache: one JSON file per block result under `<root>/.kb-cache/demos/`.

A block's key covers everything its output can depend on: its code, the code of the blocks of its
session that run before it, its timeout and memory limit, the Python, numpy and matplotlib versions
and the runner's own version. An unchanged demo is never run again; a changed one (or a new numpy)
always is. The folder is disposable: deleting it only costs a rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from ..notes.atomic import write_atomic
from ..notes.inside import is_inside
from .runner import RUNNER_VERSION, BlockResult

CACHE_DIR = Path(".kb-cache") / "demos"


@cache
def environment(python: str = sys.executable) -> dict[str, str | None]:
    """The versions a demo's output depends on, for the interpreter that runs demos."""
    if Path(python).resolve() == Path(sys.executable).resolve():
        versions = {name: _version(name) for name in ("numpy", "matplotlib")}
        versions["python"] = platform.python_version()
    else:  # another interpreter: ask it (once per process)
        import subprocess

        probe = ("import json, platform\nfrom importlib import metadata\nv = {}\n"
                 "for n in ('numpy', 'matplotlib'):\n"
                 "    try: v[n] = metadata.version(n)\n    except Exception: v[n] = None\n"
                 "v['python'] = platform.python_version()\nprint(json.dumps(v))")
        done = subprocess.run([python, "-I", "-c", probe], capture_output=True, text=True, timeout=60)
        versions = json.loads(done.stdout) if done.returncode == 0 else {"python": f"? {python}"}
    versions["runner"] = RUNNER_VERSION
    return versions


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def block_key(code: str, earlier: Iterable[str], timeout: float, memory_mb: int,
              python: str = sys.executable, versions: dict[str, str | None] | None = None) -> str:
    """The cache key of one block (a hex digest). `versions` defaults to `environment(python)`."""
    payload = json.dumps({"code": code, "earlier": list(earlier), "timeout": timeout,
                          "memory_mb": memory_mb,
                          "environment": versions if versions is not None else environment(python)},
                         sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:40]


@dataclass
class DemoCache:
    """Results by key, in memory and (with a folder) on disk. Without a folder nothing lasts
    beyond the process: plain Markdown conversion of a single page still runs its demos once."""

    folder: Path | None = None
    _memory: dict[str, BlockResult] = field(default_factory=dict)
    refused: str | None = None  # why the base's cache folder is not used (a link out of the base)

    @classmethod
    def of_root(cls, root: Path) -> DemoCache:
        """The base's cache; kept in memory only when its folder is a link leading out of the
        base (a cloned base could point it anywhere: pruning would delete files there)."""
        folder = Path(root) / CACHE_DIR
        if not is_inside(root, folder):
            return cls(None, refused=f"{CACHE_DIR.as_posix()} is a link leading out of the base "
                                     f"(to {os.path.realpath(folder)}): demo results are not "
                                     "cached; remove the link")
        return cls(folder)

    def get(self, key: str) -> BlockResult | None:
        if key in self._memory:
            return self._memory[key]
        if self.folder is None:
            return None
        try:  # an entry that is a link is not followed: it is read as absent
            fd = os.open(self.folder / f"{key}.json", os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with open(fd, encoding="utf-8") as handle:
                data = json.loads(handle.read())
            result = BlockResult.from_dict(data["result"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent or damaged: the block runs again
        self._memory[key] = result
        return result

    def put(self, key: str, result: BlockResult) -> None:
        self._memory[key] = result
        if self.folder is not None:
            text = json.dumps({"key": key, "result": result.as_dict()}, ensure_ascii=False)
            write_atomic(self.folder / f"{key}.json", text, durable=False)

    def prune(self, keep: Iterable[str]) -> int:
        """Delete the entries no demo uses any more (after a full run); return how many."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        wanted = {f"{key}.json" for key in keep}
        removed = 0
        for path in self.folder.glob("*.json"):
            if path.name not in wanted:
                path.unlink(missing_ok=True)
                self._memory.pop(path.stem, None)
                removed += 1
        return removed
