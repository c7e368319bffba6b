"""One reading of one Markdown text: its blocks, inline spans, links, headings, tags and block
ids, each computed once, on first use, from the layers below it.

    blocks (fences, indented code, $$)  ->  prose (blocks blanked)  ->  spans (code, comments,
    math)  ->  masked (everything but prose blanked)  ->  links, tags, block ids, sentences

Every reader of Markdown (links and checks, backlinks, page descriptions, the importer, demos
and query blocks, the site's extensions) asks a `Scan`, so they cannot disagree on what is code
or what is a link.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .blocks import FENCE, MATH, Block, find_blocks, line_starts, may_hold_blocks
from .inline import CODE, Span, blank, blank_spans, find_spans, mask_spans, may_hold_spans
from .links import MDLINK, Ref, find_links
from .prose import BOUNDARY, Piece, as_text, boundaries, normalised, pieces, sentence_bounds, shorten
from .sections import block_bounds, section_bounds

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?=[ \t]|\r?$)([^\n]*)", re.MULTILINE)
_CLOSING_HASHES = re.compile(r"(?:^|[ \t])#+$")
# Each pattern starts with its literal character (`#`, `^`) and looks behind it after: a pattern
# starting with a look-behind is tried at every character (several times slower on long notes).
_TAG = re.compile(r"#(?<![^\s(\[,;]#)([^\s#!\"$%&'()*+,.:;<=>?@\[\]^`{|}~\\]*"
                  r"[^\s\d#!\"$%&'()*+,.:;<=>?@\[\]^`{|}~\\/-][^\s#!\"$%&'()*+,.:;<=>?@\[\]^`{|}~\\]*)")
_HTML_TAG = re.compile(r"<[A-Za-z/][^<>]*>")
_BLOCK_ID = re.compile(r"\^(?<![^ \t\n]\^)([A-Za-z0-9-]+)[ \t]*\r?$", re.MULTILINE)


T = TypeVar("T")


class once(Generic[T]):  # noqa: N801 (used like the decorator it replaces)
    """`functools.cached_property` without the lock 3.11 takes on every first read (a note's
    reading has a few layers and `kb check` reads thousands): computed once, then an ordinary
    attribute of the instance."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, obj: Any, owner: Any = None) -> T:
        value = obj.__dict__[self.name] = self.func(obj)
        return value


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str  # as written (Markdown)
    line: int  # file line
    start: int  # offset of the line


@dataclass(frozen=True, slots=True)
class Tag:
    name: str  # without `#`
    start: int  # offset of the `#`
    end: int


@dataclass(frozen=True, slots=True)
class BlockId:
    name: str  # without `^`
    start: int  # offset of the `^`
    end: int
    line: int  # file line


def may_hold_tags(text: str) -> bool:
    """Cheap test before a full reading: could `text` hold an inline tag (`#word`)?"""
    return "#" in text and _TAG.search(text) is not None


def may_hold_block_ids(text: str) -> bool:
    """Cheap test before a full reading: could `text` hold a block id (`^id` ending a line)?"""
    return "^" in text and _BLOCK_ID.search(text) is not None


class Scan:
    """The reading of `text`, whose first line is line `line` of its file."""

    def __init__(self, text: str, line: int = 1) -> None:
        self.text = text
        self.line = line

    # --- blocks ---------------------------------------------------------------------------

    @once
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @once
    def may_hold_blocks(self) -> bool:
        """The cheap test before the line pass (asked by `blocks` and by `refs`)."""
        return may_hold_blocks(self.text)

    @once
    def blocks(self) -> list[Block]:
        """Code and math blocks, in order (see `blocks`)."""
        if not self.may_hold_blocks:
            return []
        return find_blocks(self.text, self.lines, starts=self.line_starts)

    def fences(self, top_level: bool = False) -> list[Block]:
        """Fenced code blocks; with `top_level`, only those outside block quotes and lists
        (demos and query blocks: a page replaces them whole)."""
        return [b for b in self.blocks
                if b.kind == FENCE and not (top_level and (b.quotes or b.base))]

    @once
    def line_starts(self) -> list[int]:
        """Offset of each line's first character, then one past the end of the text."""
        return line_starts(self.lines)

    @once
    def prose(self) -> str:
        """The text with block lines blanked (same length, same lines)."""
        if not self.blocks:
            return self.text
        text, starts, lines = self.text, self.line_starts, self.lines
        pieces: list[str] = []
        done = 0
        for block in self.blocks:
            start, end = starts[block.first], starts[block.last + 1] - 1
            pieces.append(text[done:start])
            pieces.append("\n".join(map(" ".__mul__, map(len, lines[block.first:block.last + 1]))))
            done = end
        pieces.append(text[done:])
        return "".join(pieces)

    # --- inline ---------------------------------------------------------------------------

    @once
    def spans(self) -> list[Span]:
        """Inline code, comments and math outside blocks, in order."""
        prose = self.prose
        return find_spans(prose) if may_hold_spans(prose) else []

    @once
    def masked(self) -> str:
        """Only prose left: blocks and every inline span blanked (same length, same lines).
        Blanked in the same regex pass that finds the spans, without making them (`kb check`
        needs only this text for links)."""
        if "spans" in self.__dict__:
            return mask_spans(self.prose, self.spans) if self.spans else self.prose
        prose = self.prose
        return blank_spans(prose) if may_hold_spans(prose) else prose

    @once
    def code_masked(self) -> str:
        """Only code blanked (fenced and indented blocks, code spans): comments and math kept,
        for readers that must see everything a browser could read as HTML."""
        if not self.blocks and not self.spans:
            return self.text
        lines = list(self.lines)
        for block in self.blocks:
            if block.kind != MATH:
                for number in range(block.first, block.last + 1):
                    lines[number] = blank(lines[number])
        text = "\n".join(lines)
        if "`" not in text:
            return text
        return mask_spans(text, find_spans(text), frozenset({CODE}))

    def is_prose(self, offset: int) -> bool:
        """Whether the character at `offset` is prose (not code, a comment or math)."""
        return self.masked[offset] == self.text[offset] or self.text[offset].isspace()

    # --- what prose holds -----------------------------------------------------------------

    @once
    def refs(self) -> list[Ref]:
        """Wikilinks, embeds and relative Markdown links, with offsets and file lines."""
        text = self.text
        if "[" not in text:
            return []
        # Prose with nothing to mask (most notes) is read as it is, without the layers.
        masked = self.masked if self.may_hold_blocks or may_hold_spans(text) else text
        found = find_links(masked)
        if found:
            line, position = self.line, 0
            for ref in found:  # one pass for every line number
                line += masked.count("\n", position, ref.start)
                position = ref.start
                ref.line = line
        return found

    def line_at(self, offset: int) -> int:
        """The file line of an offset."""
        return self.line + self.text.count("\n", 0, offset)

    @once
    def headings(self) -> list[Heading]:
        """ATX headings (`# Title`) outside code; `#tag` without a space is not one."""
        masked = self.masked
        if "#" not in masked:
            return []
        return [Heading(len(m.group(1)), _heading_text(self.text[m.start(2):m.end(2)]),
                        self.line_at(m.start()), m.start())
                for m in _HEADING.finditer(masked)]

    @once
    def tags(self) -> list[Tag]:
        """Inline tags (`#tag`, `#a/b`, not `#123`, not a heading's `# `), outside code and
        links; the `#` follows a space, a line's start or an opening bracket."""
        masked = self.masked
        if "#" not in masked:
            return []
        found = [Tag(m.group(1), m.start(), m.end()) for m in _TAG.finditer(masked)]
        if not found:
            return []
        # Not in a link (`[x](#part)` too) or inside an HTML tag (`<span style="color: #f00">`).
        taken = self._link_spans()
        if "](" in masked:
            taken += [m.span() for m in MDLINK.finditer(masked)]
        if "<" in masked:
            taken += [m.span() for m in _HTML_TAG.finditer(masked)]
        taken.sort()
        return [tag for tag in found if not _inside(taken, tag.start)]

    @once
    def block_ids(self) -> list[BlockId]:
        """Block ids (`^id` ending a line), which `[[note#^id]]` links point at."""
        masked = self.masked
        if "^" not in masked:
            return []
        return [BlockId(m.group(1), m.start(1) - 1, m.end(1), self.line_at(m.start(1)))
                for m in _BLOCK_ID.finditer(masked)]

    def section(self, anchor: str) -> tuple[int, int] | None:
        """Offsets of the section `[[note#anchor]]` names (`A#B` nests), or None."""
        return section_bounds(self, anchor)

    def block(self, name: str) -> tuple[int, int] | None:
        """Offsets of the block `^name` marks (`[[note#^name]]`), or None."""
        return block_bounds(self, name)

    def _link_spans(self) -> list[tuple[int, int]]:
        return [(ref.start, ref.end) for ref in self.refs]

    # --- reading text ---------------------------------------------------------------------

    def pieces(self, begin: int, end: int,
               title_of: Callable[[str], str | None] | None = None) -> list[Piece]:
        """text[begin:end] as words and formulas, as a reader sees them."""
        return normalised(pieces(self.prose, begin, end, self.spans, self.refs, title_of))

    @once
    def boundaries(self) -> tuple[list[int], list[int]]:
        """The sentence boundaries of the masked text, found once for all the note's links."""
        return boundaries(self.masked)

    def sentence(self, start: int, end: int,
                 title_of: Callable[[str], str | None] | None = None) -> list[Piece]:
        """The sentence holding start..end (a link), as reading pieces."""
        begin, finish = sentence_bounds(self.boundaries, len(self.masked), start, end)
        return self.pieces(begin, finish, title_of)

    def first_sentence(self, title_of: Callable[[str], str | None] | None = None,
                       length: int = 200) -> str:
        """The first sentence of prose (headings, code and empty markup skipped), as plain text
        cut to `length`: a page's description."""
        masked, position = self.masked, 0
        while position < len(masked):
            begin = _first_prose(masked, position)
            if begin < 0:
                return ""
            stop = BOUNDARY.search(masked, begin)
            finish = stop.start() if stop else len(masked)
            text = as_text(self.pieces(begin, finish, title_of))
            if text:
                return shorten(text, length)
            position = stop.end() if stop else len(masked)
        return ""

    def plain(self, title_of: Callable[[str], str | None] | None = None) -> str:
        """The whole text as one line of plain words (titles, search snippets)."""
        return as_text(self.pieces(0, len(self.text), title_of))


_SKIPPED_LINE = re.compile(r"[ \t]*(?:#{1,6}(?:[ \t][^\n]*)?|>?[ \t]*\[![^\]\n]*\][^\n]*|[-*_=]{3,}[ \t]*)?\r?(?:\n|$)")


def _heading_text(written: str) -> str:
    """A heading's words: spaces around them and a closing run of `#` removed (linear: a
    regex holding both would backtrack through a long run of spaces)."""
    text = written.strip(" \t\r")
    return _CLOSING_HASHES.sub("", text).rstrip(" \t")


def _first_prose(masked: str, position: int) -> int:
    """Offset of the first line at or after `position` holding words: headings, callout heads,
    rules and blank lines skipped."""
    while position < len(masked):
        skipped = _SKIPPED_LINE.match(masked, position)
        if skipped is None or skipped.end() == position:
            return position
        position = skipped.end()
    return -1


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    starts = [start for start, _ in spans]
    at = bisect_right(starts, offset) - 1
    return at >= 0 and spans[at][0] <= offset < spans[at][1]
