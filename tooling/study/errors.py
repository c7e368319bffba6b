"""The study commands' one failure type: a `Problem` a user reads, and the exit status it means."""

from __future__ import annotations

from ..errors import KbError
from ..problems import Problem

USAGE = 2  # a bad status, grade or date: like a bad option, nothing was looked up or changed


class StudyError(KbError):
    """A command that cannot do what was asked; nothing was changed."""

    def __init__(self, problem: Problem, exit_code: int = 1):
        super().__init__(problem.message)
        self.problem = problem
        self.exit_code = exit_code

    def __str__(self) -> str:
        """`papers/x.md:3: code: message` (the CLI prints it after `error: `)."""
        p = self.problem
        where = f"{p.path}:{p.line}: " if p.path and p.line else f"{p.path}: " if p.path else ""
        return f"{where}{p.code}: {p.message}"
