"""Running many jobs: from the cache when it has them, else in parallel processes.

`run_all` is the one entry point the MkDocs plugin, the Markdown extension, `kb demo check` and the
tests share. Its report counts what ran and what came from the cache, so a caller can prove that a
warm rebuild executes nothing without timing anything. Progress goes to a callback (the CLI draws
a bar with it); the library never prints.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Note
from ..notes.inside import is_inside
from ..problems import CODES, ERROR, WARNING, Problem, define
from .cache import DemoCache
from .jobs import Job, base_jobs
from .runner import MEMORY, SKIPPED, TIMEOUT, BlockResult, RunSettings, run_blocks

Progress = Callable[[int, int], None]  # (blocks done, blocks in all)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One block of a run: its result (None when it was not run and nothing was cached)."""

    job: Job
    index: int
    result: BlockResult | None
    ran: bool  # executed in this run, rather than taken from the cache

    @property
    def where(self) -> str:
        return self.job.where(self.index)

    @property
    def key(self) -> str:
        return self.job.keys[self.index]


@dataclass(slots=True)
class RunReport:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def executed(self) -> int:
        """Blocks executed in this run (0 on a warm rebuild)."""
        return sum(o.ran for o in self.outcomes)

    @property
    def from_cache(self) -> int:
        return sum(not o.ran and o.result is not None for o in self.outcomes)

    @property
    def not_run(self) -> int:
        return sum(o.result is None for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.result is not None and not o.result.ok]


def run_all(jobs: Iterable[Job], cache: DemoCache, settings: RunSettings = RunSettings(),
            execute: bool = True, workers: int | None = None, fresh: bool = False,
            progress: Progress | None = None) -> RunReport:
    """Results of every block of `jobs`: cached ones read, the others run (a session whole) in
    up to `workers` parallel processes (default: one per core). With `execute=False` nothing
    runs; with `fresh=True` the cache is not read (results are still stored)."""
    jobs = list(jobs)
    total = sum(len(job.demos) for job in jobs)
    done = 0
    found: dict[tuple[int, int], Outcome] = {}
    to_run: list[tuple[int, Job]] = []
    for number, job in enumerate(jobs):
        cached = [None if fresh else cache.get(key) for key in job.keys]
        if all(result is not None for result in cached) or not execute:
            for index, result in enumerate(cached):
                found[number, index] = Outcome(job, index, result, ran=False)
            done += len(job.demos)
        else:
            to_run.append((number, job))
    if progress is not None:
        progress(done, total)
    if to_run:
        with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            futures = {pool.submit(_run_job, job, settings): (number, job) for number, job in to_run}
            for future in as_completed(futures):
                number, job = futures[future]
                for index, result in enumerate(future.result()):
                    cache.put(job.keys[index], result)
                    found[number, index] = Outcome(job, index, result, ran=True)
                done += len(job.demos)
                if progress is not None:
                    progress(done, total)
    return RunReport([found[key] for key in sorted(found)])


def base_settings(root: Path) -> RunSettings:
    """How a knowledge base's demos run: the defaults, with tools' caches in its .kb-cache
    (unless that is a link leading out of the base: then in each demo's own temporary folder)."""
    scratch = Path(root) / ".kb-cache"
    return RunSettings(scratch=scratch if is_inside(root, scratch) else None)


def run_base(notes: Iterable[Note], root: Path, execute: bool = True, fresh: bool = False,
             progress: Progress | None = None, cache: DemoCache | None = None) -> RunReport:
    """Every demo of a knowledge base (the notes under `root`), cache-aware and in parallel.
    After a run that could execute, cache entries no demo uses any more are deleted. `cache`
    defaults to the base's own; pass one to keep its results in memory for later readers."""
    settings = base_settings(root)
    cache = cache if cache is not None else DemoCache.of_root(root)
    report = run_all(base_jobs(notes, settings), cache, settings, execute=execute, fresh=fresh,
                     progress=progress)
    if execute:
        cache.prune(outcome.key for outcome in report.outcomes)
    return report


def _run_job(job: Job, settings: RunSettings) -> list[BlockResult]:
    return run_blocks([demo.code for demo in job.demos], [demo.timeout for demo in job.demos],
                      settings)


def problems(report: RunReport) -> list[Problem]:
    """Every finding of a run, as Problem values: failed blocks (errors) and options that were
    not understood (warnings), by file and line."""
    found = []
    for outcome in report.outcomes:
        demo, line = outcome.job.demos[outcome.index], outcome.job.lines[outcome.index]
        for words in demo.problems:
            found.append(CODES["demo-option"].at(outcome.job.path, line, words))
        result = outcome.result
        if result is None or result.ok:
            continue
        code = _BY_STATUS.get(result.status, "demo-failed")
        found.append(CODES[code].at(outcome.job.path, line, summary(result)))
    return found


_BY_STATUS = {TIMEOUT: "demo-timeout", MEMORY: "demo-memory", SKIPPED: "demo-skipped"}
define("demo-failed", ERROR, "a concept's demo raised an error",
       "The demo block ran in its own Python process and ended with an exception; the page shows "
       "the traceback in an error box. Run `kb demo run ID` to see it in the terminal.",
       command="demo")
define("demo-timeout", ERROR, "a demo ran past its time limit",
       "Each block may run 30 s unless its fence says otherwise (```python demo timeout=60). The "
       "process and anything it started were killed; the page says so.", command="demo")
define("demo-memory", ERROR, "a demo ran out of memory",
       "Demos run with a memory limit (1 GB); a block that needs more was stopped.", command="demo")
define("demo-skipped", ERROR, "a demo block was not run",
       "An earlier block of the same session failed, so the blocks after it were not run.",
       command="demo")
define("demo-option", WARNING, "a demo fence option was not understood",
       "Demo fences take `timeout=SECONDS` and `session=NAME`; other words after `python demo` are "
       "ignored.", command="demo")


def summary(result: BlockResult) -> str:
    """One line saying how a block failed: the traceback's last line, or the reason."""
    if result.status == TIMEOUT:
        return f"demo {result.error}"
    lines = [line for line in result.error.strip().splitlines() if line.strip()]
    last = lines[-1].strip() if lines else result.status
    if result.status == MEMORY:
        return f"demo {last}" + (f": {lines[-2].strip()}" if len(lines) >= 2 else "")
    return f"demo failed: {last}"
