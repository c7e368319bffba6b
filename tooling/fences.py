"""Fenced code blocks as CommonMark reads them, found once for every reader of them (demo blocks,
kb-query blocks): a block opened by three or more backticks or tildes (indented at most three
spaces) runs to a line of at least as many of the same character, or to the end of the text. A
fence inside another block is text, so a README showing the syntax holds no block."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_OPEN = re.compile(r"^([ ]{0,3})(`{3,}|~{3,})(.*)$")


@dataclass(frozen=True, slots=True)
class Fence:
    """One top-level fenced block: 0-based indexes of its opening and closing lines (`close`
    is the number of lines when the block is never closed)."""

    start: int
    close: int
    fence: str  # the opening run, e.g. ``` or ~~~~
    indent: int  # spaces before the opening run
    info: str  # the rest of the opening line


def fences(lines: list[str]) -> Iterator[Fence]:
    """Every top-level fenced block of these lines (without line endings), in order."""
    index = 0
    while index < len(lines):
        opening = _OPEN.match(lines[index])
        # A backtick fence's info string may not contain a backtick (that is inline code).
        if opening is None or (opening.group(2)[0] == "`" and "`" in opening.group(3)):
            index += 1
            continue
        fence = opening.group(2)
        close = _closing_line(lines, index + 1, fence)
        yield Fence(index, close, fence, len(opening.group(1)), opening.group(3))
        index = close + 1


def _closing_line(lines: list[str], start: int, fence: str) -> int:
    """Index of the line closing `fence` (same character, at least as long, nothing after it
    but spaces), or len(lines) when the block runs to the end."""
    closing = re.compile(rf"^[ ]{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    for index in range(start, len(lines)):
        if closing.match(lines[index]):
            return index
    return len(lines)
