"""Fenced `kb-query` blocks in Markdown: where they are and what they ask.

    ```kb-query
    TABLE title, year FROM papers WHERE status = "to-read" SORT year DESC
    ```

Only blocks at the top level count (a fence indented by at most three spaces); a `kb-query`
fence shown inside another fenced block (documentation of the syntax) is text, not a query.
`kb check`, the site's Markdown extension and the plugin's warnings all find blocks here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[ \t]*([^`\n]*?)[ \t]*$")
INFO = "kb-query"


@dataclass(frozen=True, slots=True)
class Block:
    """One query block: its text, and positions as 0-based line indexes of the lines scanned."""

    text: str
    start: int  # the opening fence
    end: int  # the closing fence (len(lines) when the block is never closed)

    def file_line(self, first_line: int) -> int:
        """The 1-based file line of the query's first line, for lines starting at `first_line`."""
        return first_line + self.start + 1


def scan(lines: list[str]) -> Iterator[Block]:
    """Every top-level kb-query block of these lines (without line endings)."""
    index = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if match is None:
            index += 1
            continue
        fence, info = match.group(1), match.group(2).split()
        close = _closing(lines, index + 1, fence)
        if info[:1] == [INFO]:
            yield Block("\n".join(lines[index + 1:close]), index, close)
        index = close + 1


def _closing(lines: list[str], start: int, fence: str) -> int:
    pattern = re.compile(rf"^[ ]{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    for index in range(start, len(lines)):
        if pattern.match(lines[index]):
            return index
    return len(lines)


def body_blocks(body: str) -> list[Block]:
    """The query blocks of a note body (cheap for the many bodies that have none)."""
    if INFO not in body:
        return []
    return list(scan(body.replace("\r\n", "\n").split("\n")))
