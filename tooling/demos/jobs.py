"""From demo blocks to jobs: what runs in one process, with each block's cache key.

A block without a session is a job of its own; the blocks of one note sharing a `session=` name
form one job, in the order they appear. The same planning serves the whole base (the MkDocs
plugin, `kb demo check`) and a single page (the Markdown extension), so both find the same keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Note
from .blocks import Demo, demo_blocks, runs_demos
from .cache import block_key
from .runner import RunSettings


@dataclass(frozen=True, slots=True)
class Job:
    """Blocks that run in one process, in order."""

    path: str  # the note file, relative to the root ("" outside a knowledge base)
    demos: tuple[Demo, ...]
    lines: tuple[int, ...]  # 1-based line of each block's opening fence in the file
    keys: tuple[str, ...]  # cache key of each block

    def where(self, index: int) -> str:
        """`concepts/x.md:57`, or `line 57` outside a base."""
        return f"{self.path}:{self.lines[index]}" if self.path else f"line {self.lines[index]}"


def plan_jobs(demos: Iterable[Demo], path: str = "", first_line: int = 1,
              settings: RunSettings = RunSettings()) -> list[Job]:
    """The jobs of one text's demo blocks. `first_line` is the file line of the text's first
    line (a note's body starts after its front matter)."""
    groups: dict[object, list[Demo]] = {}
    for number, demo in enumerate(demos):
        groups.setdefault(demo.session if demo.session is not None else number, []).append(demo)
    jobs = []
    for group in groups.values():
        codes = [demo.code for demo in group]
        keys = tuple(block_key(demo.code, codes[:index], demo.timeout, settings.memory_mb,
                               settings.python) for index, demo in enumerate(group))
        lines = tuple(first_line + demo.line - 1 for demo in group)
        jobs.append(Job(path, tuple(group), lines, keys))
    return sorted(jobs, key=lambda job: job.lines[0])


def note_jobs(note: Note, settings: RunSettings = RunSettings()) -> list[Job]:
    """The jobs of one note's demos (none outside concepts)."""
    if not runs_demos(note) or "demo" not in note.body:
        return []
    return plan_jobs(demo_blocks(note.body), note.path, note.body_line, settings)


def base_jobs(notes: Iterable[Note], settings: RunSettings = RunSettings()) -> list[Job]:
    """Every job of a knowledge base's notes, in path order."""
    jobs = []
    for note in sorted(notes, key=lambda n: n.path):
        jobs.extend(note_jobs(note, settings))
    return jobs
