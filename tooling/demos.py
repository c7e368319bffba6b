"""Concept demos: fenced code blocks whose info string is `python demo`.

The first word keeps every Markdown viewer highlighting the block as Python; the second marks it as
a demo the site runs (stdlib and numpy only, a few seconds at most, prints a result to check).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEMO_OPEN = re.compile(r"^([ ]{0,3})(`{3,}|~{3,})[ \t]*python[ \t]+demo\b[^\n]*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Demo:
    code: str
    line: int  # 1-based line of the opening fence, in the note's body


def demo_blocks(body: str) -> list[Demo]:
    """Every demo block of a body, with its code as written (fence indentation removed)."""
    demos = []
    for match in DEMO_OPEN.finditer(body):
        indent, fence = len(match.group(1)), match.group(2)
        rest = body[match.end() + 1:]
        closing = re.search(rf"^[ ]{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", rest, re.MULTILINE)
        code = rest[: closing.start()] if closing else rest
        lines = [line[indent:] if line[:indent].strip() == "" else line for line in code.splitlines()]
        demos.append(Demo("\n".join(lines) + "\n", body.count("\n", 0, match.start()) + 1))
    return demos


def has_demo(body: str) -> bool:
    return DEMO_OPEN.search(body) is not None
