"""The parts of a note a link can name, found as Obsidian finds them: a heading's section
(`[[note#Heading]]`, `[[note#Part#Sub]]`) and a block (`[[note#^id]]`), as offsets into the
text, so an embed can show exactly that part.

A section runs from its heading to the next heading of the same or a higher level. A block is
the paragraph or list item whose last line ends with `^id`; an id alone on its line, after a
blank line, names the block above it (a list, a quote, a table), as in Obsidian.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .scan import Heading, Scan

# Characters Obsidian leaves out of a heading when it writes a link to it.
_UNLINKABLE = re.compile(r"[#^|:%\[\]\\]+")
_LIST_LINE = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_HEADING_LINE = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]|$)")


def anchor_key(text: str) -> str:
    """How a heading and a link's anchor are compared: as plain words, case and the characters
    a link cannot hold aside (`Step 1: Setup` matches `[[#step 1 setup]]`)."""
    from .prose import plain_title

    return " ".join(_UNLINKABLE.sub(" ", plain_title(text)).casefold().split())


def find_heading(headings: list[Heading], anchor: str) -> Heading | None:
    """The heading an anchor names (`A#B`: heading B inside A's section), or None."""
    found: Heading | None = None
    candidates = headings
    for part in (p for p in anchor.split("#") if p.strip()):
        key = anchor_key(part)
        match = next((h for h in candidates if anchor_key(h.text) == key), None)
        if match is None:
            return None
        found = match
        after = headings[headings.index(match) + 1:]
        end = next((i for i, h in enumerate(after) if h.level <= match.level), len(after))
        candidates = after[:end]
    return found


def section_bounds(scan: Scan, anchor: str) -> tuple[int, int] | None:
    """Offsets of the section an anchor names: its heading line up to the next heading of the
    same or a higher level (or the end)."""
    heading = find_heading(scan.headings, anchor)
    if heading is None:
        return None
    later = [h for h in scan.headings if h.start > heading.start and h.level <= heading.level]
    return heading.start, (later[0].start - 1 if later else len(scan.text))


def block_bounds(scan: Scan, name: str) -> tuple[int, int] | None:
    """Offsets of the block `^name` marks (its lines, the marker included), or None."""
    found = next((b for b in scan.block_ids if b.name == name), None)
    if found is None:
        return None
    lines, starts = scan.lines, scan.line_starts
    number = found.line - scan.line
    own = lines[number][:found.start - starts[number]]
    if not own.strip():  # alone on its line: the block above it
        last = number - 1
        while last >= 0 and not lines[last].strip():
            last -= 1
        if last < 0:
            return None
        first = last
        while first > 0 and lines[first - 1].strip():
            first -= 1
        return starts[first], found.end
    if _LIST_LINE.match(own):  # a list item: its line and the lines nested under it
        indent = _width(own)
        last = number
        while (last + 1 < len(lines) and lines[last + 1].strip()
               and _width(lines[last + 1]) > indent):
            last += 1
        end = starts[last] + len(lines[last].rstrip("\r"))
        return starts[number], max(end, found.end)
    first = number
    while (first > 0 and lines[first - 1].strip() and not _LIST_LINE.match(lines[first])
           and not _HEADING_LINE.match(lines[first - 1])):
        first -= 1
    return starts[first], found.end


def _width(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
