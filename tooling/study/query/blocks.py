"""Fenced `kb-query` blocks in Markdown: where they are and what they ask.

    ```kb-query
    TABLE title, year FROM papers WHERE status = "to-read" SORT year DESC
    ```

Only blocks at the top level count (a fence indented by at most three spaces); a `kb-query`
fence shown inside another fenced block (documentation of the syntax) is text, not a query.
`kb check`, the site's Markdown extension and the plugin's warnings all find blocks here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ...syntax import Scan

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
    for block in Scan("\n".join(lines)).fences(top_level=True):
        if block.info.split()[:1] == [INFO]:
            end = block.last if block.closed else len(lines)
            yield Block("\n".join(block.code(lines)), block.first, end)


def body_blocks(body: str) -> list[Block]:
    """The query blocks of a note body (cheap for the many bodies that have none)."""
    if INFO not in body:
        return []
    return list(scan(body.replace("\r\n", "\n").split("\n")))
