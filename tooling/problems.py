"""Findings a user reads, from every command, as one kind of value.

A `Problem` is printed `path:line: severity code: message` and serialised the same way by every
`--json`. Each code is defined once, with a severity, a summary and an explanation, by the module
that reports it (`define`); `kb check --explain CODE` looks it up in `tooling.lint.catalog()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)

@dataclass(frozen=True, slots=True)
class Code:
    """What a code means: `kb check --list` and `--explain` print these."""

    code: str
    severity: str
    summary: str
    explanation: str
    command: str  # the command that reports it: check, import, fetch, add, ...

    def at(self, path: str, line: int, message: str) -> Problem:
        """A finding of this code in a file."""
        return Problem(path, line, self.severity, self.code, message)


CODES: dict[str, Code] = {}


def define(code: str, severity: str, summary: str, explanation: str, command: str = "check") -> Code:
    """Register a code (once; defining it again with other words is a programming error)."""
    found = Code(code, severity, summary, explanation, command)
    known = CODES.setdefault(code, found)
    if known != found:
        raise ValueError(f"problem code {code!r} defined twice")
    return found


MAX_MESSAGE = 1000  # characters: a message quoting a 100 MB line prints a bounded part of it


def check(code: str | Code, severity: str = "", summary: str = "", explanation: str = ""
          ) -> Callable[[F], F]:
    """Mark a function as the check that finds `code` (defined here, or already defined where
    the problem is also reported); `tooling.lint` lists the checks `kb check` runs."""
    found = code if isinstance(code, Code) else define(code, severity, summary, explanation)

    def mark(func: F) -> F:
        func.code = found.code  # type: ignore[attr-defined]
        return func

    return mark


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: printed as `path:line: severity code: message` (messages past MAX_MESSAGE
    characters are cut, saying how long they were)."""

    path: str
    line: int
    severity: str
    code: str
    message: str

    def __post_init__(self) -> None:
        if len(self.message) > MAX_MESSAGE:
            cut = f"{self.message[:MAX_MESSAGE]}… ({len(self.message):,} characters)"
            object.__setattr__(self, "message", cut)

    def __str__(self) -> str:
        """`path:line: severity code: message` (no line: `path: ...`; no path: `severity ...`)."""
        where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: " if self.path else ""
        return f"{where}{self.severity} {self.code}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "severity": self.severity,
                "code": self.code, "message": self.message}


def count(problems: list[Problem], severity: str) -> int:
    return sum(p.severity == severity for p in problems)


def summary(problems: list[Problem]) -> str:
    """`2 errors, 1 warning`."""
    errors, warnings = count(problems, ERROR), count(problems, WARNING)
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
