"""Shared bits of the benchmarks: timing with repeats, child peak memory, a printed table."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = ROOT / ".venv" / "bin"
KB = str(BIN / "kb") if (BIN / "kb").exists() else "kb"  # the checkout's own, when installed

# Benchmarks write thousands of files. On this shared virtual disk that alone varied a site build
# by 1.5x and an import's writing by 2.5x from one minute to the next, so their folders live in
# memory (/dev/shm) when there is one: the figures measure our code, not the disk's mood.
# KB_BENCH_DISK=1 puts them in the usual temp folder, on disk, instead.
MEMORY = ("/dev/shm" if not os.environ.get("KB_BENCH_DISK") and os.path.isdir("/dev/shm")
          and os.access("/dev/shm", os.W_OK) else None)


def scratch(prefix: str) -> Path:
    """A fresh folder for a benchmark's bases and sites (in memory when possible, see MEMORY)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=MEMORY))


def best_of(func: Callable[[], object], repeats: int = 3) -> float:
    """Fastest wall time of `repeats` runs: the least disturbed by other load on the machine."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def run_child(argv: list[str], cwd: Path | None = None) -> tuple[float, float, int]:
    """Run a command; return (wall seconds, peak RSS in MB of that child, exit code)."""
    wall, _, peak, code = run_child_cpu(argv, cwd)
    return wall, peak, code


def run_child_cpu(argv: list[str], cwd: Path | None = None) -> tuple[float, float, float, int]:
    """Run a command; return (wall seconds, CPU seconds (user + system), peak RSS in MB, exit
    code). CPU time is what other load on a shared machine disturbs least."""
    wall, cpu, peak, code, _ = run_child_output(argv, cwd)
    return wall, cpu, peak, code


def run_child_output(argv: list[str], cwd: Path | None = None) -> tuple[float, float, float, int, str]:
    """`run_child_cpu`, and what the command printed on stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss is the max over all children so far: only meaningful if this child is the largest.
    return wall, cpu, max(after.ru_maxrss, before.ru_maxrss) / 1024, done.returncode, done.stdout


def report(title: str, rows: list[tuple[str, str]]) -> None:
    print(f"\n== {title}")
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
