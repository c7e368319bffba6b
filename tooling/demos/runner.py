"""Running one job (a block, or the blocks of one session) in its own Python process.

Never inside MkDocs or `kb`: the process starts in a session of its own from a clean environment
(nothing inherited but PATH; HOME is its temporary folder), with `-s` (no user site-packages) in a
fresh temporary working directory, one BLAS/OpenMP thread, a fixed hash seed, the Agg matplotlib
backend, limits on address space, file size, processes and the disk its folder may take, and a
timeout per block. (`python -I` would ignore PYTHONHASHSEED, since it implies `-E`; building the
environment from scratch gives the same isolation and keeps the seed.) The process supervises the
demo (`child.py`): when the demo ends, times out or `kb` dies, every process it started is killed,
daemons included, and a `kb` that died leaves no temporary folder behind.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

RUNNER_VERSION = "1"  # part of every cache key: bump when results could differ
CHILD = Path(__file__).with_name("child.py")

OK, ERROR, TIMEOUT, MEMORY, SKIPPED = "ok", "error", "timeout", "memory", "skipped"
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
DEFAULT_MEMORY_MB = 1024
MAX_STREAM = 100_000  # characters of stdout or stderr kept per block
_POLL = 0.02  # seconds between looks at a running job


@dataclass(frozen=True, slots=True)
class RunSettings:
    """How demos run. The defaults are the documented ones."""

    memory_mb: int = DEFAULT_MEMORY_MB  # address-space limit of the demo's process
    output_mb: int = 64  # largest file the demo (or its output) may write
    disk_mb: int = 256  # all the demo's temporary folder may hold (it is stopped past it)
    processes: int = 64  # processes and threads it may add to the user's
    python: str = sys.executable
    scratch: Path | None = None  # a lasting folder for tools' caches (matplotlib's font cache)


@dataclass(frozen=True, slots=True)
class BlockResult:
    """What one block did: its output streams apart, figures as SVG text, and how it ended."""

    status: str  # ok, error, timeout, memory (ran out of memory), skipped (an earlier block failed)
    stdout: str = ""
    stderr: str = ""
    figures: tuple[str, ...] = ()
    error: str = ""  # the traceback, or why the block stopped, in words
    seconds: float = 0.0  # wall time, for information only

    @property
    def ok(self) -> bool:
        return self.status == OK

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["figures"] = list(self.figures)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BlockResult:
        return cls(str(data["status"]), str(data.get("stdout", "")), str(data.get("stderr", "")),
                   tuple(str(f) for f in data.get("figures", ())), str(data.get("error", "")),
                   float(data.get("seconds", 0.0)))


def child_environment(home: Path, scratch: Path | None) -> dict[str, str]:
    """The demo's whole environment: nothing of the caller's but PATH."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONUTF8": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONSAFEPATH": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": str(scratch / "matplotlib" if scratch else home / ".matplotlib"),
    }
    env.update(dict.fromkeys(THREAD_VARIABLES, "1"))
    return env


def run_blocks(codes: list[str], timeouts: list[float], settings: RunSettings = RunSettings()
               ) -> list[BlockResult]:
    """Run the blocks in order in one new process (a session shares its state); one result per
    block. A block that fails stops the session: the blocks after it are `skipped`."""
    with tempfile.TemporaryDirectory(prefix="kb-demo-") as temp:
        folder, work = Path(temp) / "io", Path(temp) / "work"
        folder.mkdir()
        work.mkdir()
        job = {"blocks": codes, "memory_mb": settings.memory_mb, "output_mb": settings.output_mb,
               "disk_mb": settings.disk_mb, "processes": settings.processes,
               "cpu_seconds": int(sum(timeouts)) + 10}
        (folder / "job.json").write_text(json.dumps(job), encoding="utf-8")
        started = time.monotonic()
        with open(folder / "driver.err", "wb") as driver_err:
            process = subprocess.Popen(
                [settings.python, "-s", "-c", CHILD.read_text(encoding="utf-8"), str(folder)],
                cwd=work, env=child_environment(Path(temp), settings.scratch),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=driver_err,
                start_new_session=True)
            timed_out, times = _watch(process, folder / "results.jsonl", timeouts, started)
        return _collect(folder, codes, timeouts, settings, process.returncode, timed_out, times)


def _watch(process: subprocess.Popen, results: Path, timeouts: list[float], started: float
           ) -> tuple[int | None, list[float]]:
    """Wait for the process, killing its group when the running block outlives its timeout.
    Returns the index of the block that timed out (or None) and each finished block's seconds."""
    done, block_start, size, times = 0, started, -1, []
    timed_out = None
    try:
        while True:
            try:
                process.wait(timeout=_POLL)
                exited = True
            except subprocess.TimeoutExpired:
                exited = False
            now = time.monotonic()
            current = _size(results)
            if current != size:
                size = current
                finished = _count_lines(results)
                while done < finished:
                    times.append(now - block_start)
                    done, block_start = done + 1, now
            if exited:
                break
            if done < len(timeouts) and now - block_start > timeouts[done]:
                timed_out = done
                times.append(now - block_start)
                _stop(process)
                break
    finally:
        if process.returncode is None:  # on KeyboardInterrupt, or any error of ours
            _stop(process)
        _kill_group(process)  # whatever is left in its process group
    return timed_out, times


STOP_GRACE = 5.0  # seconds the supervisor has to kill the demo's processes before it is killed


def _stop(process: subprocess.Popen) -> None:
    """Ask the demo's supervisor to kill everything it started (daemons in other sessions
    included) and wait for it; kill its process group if it does not end in time."""
    try:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=STOP_GRACE)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        process.wait()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _count_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _collect(folder: Path, codes: list[str], timeouts: list[float], settings: RunSettings,
             returncode: int | None, timed_out: int | None, times: list[float]) -> list[BlockResult]:
    finished: dict[int, dict[str, Any]] = {}
    results = folder / "results.jsonl"
    if results.exists():
        for line in results.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # the last line, cut by a kill
            finished[int(record["index"])] = record
    out: list[BlockResult] = []
    for index in range(len(codes)):
        stdout, stderr = _stream(folder / f"{index}.out"), _stream(folder / f"{index}.err")
        seconds = round(times[index], 3) if index < len(times) else 0.0
        record = finished.get(index)
        if record is not None:
            status = str(record["status"])
            error = str(record["error"] or "")
            if status == MEMORY:
                error = f"{error.rstrip()}\n\nran out of memory (limit {settings.memory_mb} MB)"
            out.append(BlockResult(status, stdout, stderr, tuple(record["figures"]), error, seconds))
        elif index == timed_out:
            out.append(BlockResult(TIMEOUT, stdout, stderr, (), f"timed out after {timeouts[index]:g} s",
                                   seconds))
        elif out and not out[-1].ok:
            out.append(BlockResult(SKIPPED, error=f"not run: block {len(out)} of this session "
                                   f"did not finish"))
        else:
            out.append(BlockResult(ERROR, stdout, stderr, (), _died(returncode, folder), seconds))
    return out


def _died(returncode: int | None, folder: Path) -> str:
    """Why a process ended without reporting its block."""
    detail = _stream(folder / "driver.err").strip()
    if returncode is not None and returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        reason = f"the demo's process was killed by {name}"
    else:
        reason = f"the demo's process ended with status {returncode} before finishing"
    return reason + (f":\n{detail}" if detail else "")


def _stream(path: Path) -> str:
    if not path.exists():
        return ""
    with open(path, "rb") as handle:
        data = handle.read(MAX_STREAM * 4 + 4)
    size = path.stat().st_size
    text = data.decode("utf-8", errors="replace")
    if len(text) > MAX_STREAM or size > len(data):
        text = text[:MAX_STREAM] + f"\n[... output cut: {size:,} bytes in all]\n"
    return text
