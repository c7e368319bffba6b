"""Fenced query blocks in Markdown: `kb-query` blocks, and Obsidian's `dataview` blocks (imported
vaults have them), where they are and what they ask.

    ```kb-query
    TABLE title, year FROM papers WHERE status = "to-read" SORT year DESC
    ```

Only blocks at the top level count (`tooling.syntax`: not inside a block quote or a list item); a
fence shown inside another fenced block (documentation of the syntax) is text, not a query. A
`dataview` block is run when kb-query understands it and shown as code otherwise; a `dataviewjs`
block is JavaScript and always shown as code. `kb check`, the site's Markdown extension and the
plugin's warnings all find blocks here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ...model import Note
from ...syntax import Scan, may_hold_fences

INFO = "kb-query"
DATAVIEW = "dataview"
DATAVIEW_JS = "dataviewjs"
KINDS = (INFO, DATAVIEW, DATAVIEW_JS)


@dataclass(frozen=True, slots=True)
class Block:
    """One query block: its text, and positions as 0-based line indexes of the lines scanned."""

    text: str
    start: int  # the opening fence
    end: int  # the closing fence (len(lines) when the block is never closed)
    kind: str = INFO  # kb-query, dataview or dataviewjs
    closed: bool = True

    def file_line(self, first_line: int) -> int:
        """The 1-based file line of the query's first line, for lines starting at `first_line`."""
        return first_line + self.start + 1

    def fence_line(self, first_line: int) -> int:
        """The 1-based file line of the opening fence."""
        return first_line + self.start


def scan(lines: list[str]) -> Iterator[Block]:
    """Every top-level query block of these lines (without line endings)."""
    return _query_blocks(Scan("\n".join(lines)), lines)


def _query_blocks(reading: Scan, lines: list[str]) -> Iterator[Block]:
    for block in reading.fences(top_level=True):
        words = block.info.split()[:1]
        if words and words[0].lower() in KINDS:
            end = block.last if block.closed else len(lines)
            code = (line.removesuffix("\r") for line in block.code(lines))  # a CRLF note's lines
            yield Block("\n".join(code), block.first, end, words[0].lower(), block.closed)


def note_blocks(note: Note) -> list[Block]:
    """The query blocks of a note, from its one reading: a note none of whose fences carries an
    info string has none, and most notes are read for their links anyway (`kb check` asks this
    of every note, three times)."""
    if not (note.readable and may_hold_fences(note.body)
            and any(b.info for b in note.scan.fences(top_level=True))):
        return []
    return list(_query_blocks(note.scan, note.scan.lines))


def mentions_blocks(text: str) -> bool:
    """Whether text may hold a query block: the quick test before scanning."""
    return INFO in text or DATAVIEW in text.lower()
