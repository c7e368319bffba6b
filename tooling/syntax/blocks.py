"""Block structure, as far as any reader needs it: which lines are code (fenced or indented) or
display math (`$$` lines), and where each fenced block opens and closes.

Fences follow CommonMark: a run of three or more backticks or tildes, indented at most three
columns inside its container, opens a block that runs to a line of at least as many of the same
character with nothing after it but spaces (a line carrying an info string never closes it), or
to the end of its container (the text, a block quote, a list item). Containers are read as
CommonMark reads them: `>` markers open block quotes (Obsidian callouts are block quotes) and list
items shift the column their content starts at, so a fence inside `> ` or under `- ` is a fence.
Indented code (four columns past the container's content) starts after a blank line or a block
boundary, never as a paragraph's continuation.

One pass over the lines; a line of prose is mostly decided by its first character.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from itertools import accumulate
from typing import NamedTuple

FENCE, INDENTED, MATH = "fence", "indented", "math"

_FENCE_OPEN = re.compile(r"(`{3,}|~{3,})(.*)")
_LIST_ITEM = re.compile(r"([-*+]|\d{1,9}[.)])(?:( {1,4})(?=\S)|[ \t]*$)")
_QUOTE_MARK = re.compile(r" {0,3}> ?")
_THEMATIC = re.compile(r"(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_MATH_CLOSE = re.compile(r".*\$\$[ \t]*$")
# A line starting with anything but these (and not blank) is a paragraph line at the top level,
# the common case: it cannot open a fence, a list item, a block quote or indented code.
_SPECIAL = frozenset(" \t`~>-*+_#$0123456789\r")
# The next line that is blank or starts with a special character: the lines before it are
# paragraph lines, read as one.
_NEXT_SPECIAL = re.compile(r"\n(?:[ \t`~>*+_#$0-9\r\n-]|$)")


class Block(NamedTuple):
    """Lines of a body that are not prose: a fenced or indented code block, or a `$$` block.

    Lines are 0-based indexes into the body split on `\\n`. `last` is the closing line, or the
    last line the block holds when its container or the text ended first (`closed` False).
    `quotes`: the `>` markers it sits in; `base`: the column its container's content starts at
    (a list item's); `indent`: the columns removed from each inner line to give the code as
    written (a fence's own column, or four past the container for indented code). A tuple:
    made fast (a few per note, every note, every command).
    """

    kind: str
    first: int
    last: int
    closed: bool = True
    info: str = ""  # a fence's info string, stripped ("python demo timeout=5")
    fence: str = ""  # the opening run (``` or ~~~~), or $$
    quotes: int = 0
    indent: int = 0
    base: int = 0

    @property
    def inner(self) -> range:
        """Indexes of the lines inside the block (its fences excluded)."""
        if self.kind == INDENTED:
            return range(self.first, self.last + 1)
        return range(self.first + 1, self.last if self.closed else self.last + 1)

    def code(self, lines: list[str]) -> list[str]:
        """The block's lines as written inside it: quote markers and indentation removed."""
        return [dedent(unquote(lines[i], self.quotes), self.indent) for i in self.inner]


def unquote(line: str, quotes: int) -> str:
    """`line` without its first `quotes` block-quote markers."""
    for _ in range(quotes):
        match = _QUOTE_MARK.match(line)
        if match is None:
            break
        line = line[match.end():]
    return line


def dedent(line: str, columns: int) -> str:
    """`line` without up to `columns` leading spaces (CommonMark's rule for fence content)."""
    head = line[:columns]
    return line[len(head) - len(head.lstrip(" ")):]


def columns(text: str) -> int:
    """Leading whitespace width, a tab reaching the next multiple of four."""
    width = 0
    for char in text:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def may_hold_blocks(text: str) -> bool:
    """Whether the line pass can find anything: a fence, a `$$`, or an indented line. Cheap:
    one-character tests (memchr) first, and most bodies fail them all."""
    return (may_hold_fences(text) or ("$" in text and "$$" in text) or "\n " in text
            or "\n\t" in text or text.startswith((" ", "\t")))


def may_hold_fences(text: str) -> bool:
    """Whether `text` could hold a fenced block: the cheap test before asking for its fences."""
    return ("`" in text and "```" in text) or ("~" in text and "~~~" in text)


def _quote_depth(line: str) -> tuple[int, str]:
    """How many `>` markers open the line, and the rest of it."""
    depth = 0
    while True:
        match = _QUOTE_MARK.match(line)
        if match is None:
            return depth, line
        depth += 1
        line = line[match.end():]


class _Reader:
    """The state of the line pass: the open list items and the block being read."""

    def __init__(self, lines: list[str], text: str, fast: bool = True,
                 starts: list[int] | None = None) -> None:
        self.lines, self.text, self.fast = lines, text, fast
        self.starts = starts  # `line_starts(lines)`, made when a search first needs them
        self.found: list[Block] = []
        self.items: list[int] = []  # content columns of open list items, innermost last
        self.quotes = 0  # the quote depth the list items belong to
        self.paragraph = False  # the previous line continues a paragraph
        self.blank = True  # the previous line was blank
        self.open: Block | None = None  # a fence or $$ block being read
        self.closer: re.Pattern[str] | None = None
        self.indented: tuple[int, int, int] | None = None  # (first line, quotes, base)
        self.empty_item = False  # the last line was a list marker with nothing after it

    def read(self) -> list[Block]:
        number, count = 0, len(self.lines)
        while number < count:
            raw = self.lines[number]
            if not raw and self.open is None and self.fast:  # blank, the commonest: as `_line`
                if self.quotes:
                    self.items.clear()
                    self.quotes = 0
                if self.indented is None:
                    self.blank, self.paragraph = True, False
                    if self.empty_item:
                        self.items.pop()
                        self.empty_item = False
                number += 1
                continue
            line = raw[:-1] if raw.endswith("\r") else raw
            if self.open is not None:
                if self._inside(number, line):
                    number += 1
                    continue
            self._line(number, line)
            if not self.fast:
                pass
            elif self.open is not None:
                if not (self.open.quotes or self.open.base) and self.open.kind == FENCE:
                    number = self._skip_top_level(self.open)  # nothing inside can end it early
            elif self.paragraph and not self.quotes and number + 1 < count \
                    and _plain(self.lines[number + 1]) and _plain(line):
                number = self._skip_paragraph(number)  # the lines after it change nothing
            number += 1
        last = count - 1
        if self.open is not None:
            self.found.append(_ended(self.open, last))
        if self.indented is not None:
            self._end_indented(last)
        return self.found

    def _skip_paragraph(self, number: int) -> int:
        """The last of the plain paragraph lines following line `number` (which was one):
        reading them would change no state, so one search finds where reading resumes."""
        starts = self._line_starts()
        found = _NEXT_SPECIAL.search(self.text, starts[number + 1] - 1) \
            if number + 1 < len(self.lines) else None
        if found is None:
            return len(self.lines) - 1
        return bisect_right(starts, found.start() + 1) - 2

    def _line_starts(self) -> list[int]:
        if self.starts is None:
            self.starts = line_starts(self.lines)
        return self.starts

    def _skip_top_level(self, block: Block) -> int:
        """Close a fence outside any container with one search of the text for its closing
        line (code-heavy notes spend most lines inside fences); returns the line reached."""
        found = _top_closer(block.fence).search(self.text, self._line_starts()[block.first + 1] - 1)
        if found is None:
            return len(self.lines) - 1  # left open: _ended at the end of read()
        closing = bisect_right(self._line_starts(), found.start() + 1) - 1
        self._close(Block(block.kind, block.first, closing, True, block.info, block.fence,
                          block.quotes, block.indent, block.base))
        return closing

    def _inside(self, number: int, line: str) -> bool:
        """Read a line while a fence or math block is open; False when the block ended before
        it (the line is then read as any other)."""
        block, closer = self.open, self.closer
        assert block is not None and closer is not None
        rest = line
        if block.quotes:
            if _quote_depth(line)[0] < block.quotes:  # the block quote ended, the block with it
                self._close(_ended(block, number - 1))
                return False
            rest = unquote(line, block.quotes)
        width = columns(rest)
        if width < block.base and rest.strip():  # less indented than its list item: it ended
            self._close(_ended(block, number - 1))
            return False
        if width - block.base <= 3 and closer.match(rest.lstrip(" \t")):
            self._close(Block(block.kind, block.first, number, True, block.info, block.fence,
                              block.quotes, block.indent, block.base))
        return True

    def _close(self, block: Block) -> None:
        self.found.append(block)
        self.open = None
        self.paragraph, self.blank = False, False

    def _line(self, number: int, line: str) -> None:
        first = line[:1]
        if first and first not in _SPECIAL:
            self._paragraph_line(number, line, 0)
            return
        quotes, rest = _quote_depth(line) if ">" in line[:4] else (0, line)
        if quotes != self.quotes:
            self.items.clear()
            self.quotes = quotes
        if not rest.strip():
            if self.indented is None:
                self.blank, self.paragraph = True, False
                if self.empty_item:  # an item cannot start with a blank line: it ended
                    self.items.pop()
                    self.empty_item = False
            return
        self.empty_item = False
        width = columns(rest)
        if self.indented is not None:
            _, quoted, indented_base = self.indented
            if quoted == quotes and width >= indented_base + 4:
                return
            self._end_indented(number - 1)
        if self.blank and self.items and width < self.items[-1]:
            while self.items and width < self.items[-1]:
                self.items.pop()  # after a blank line, a less indented line leaves its items
        base = self.items[-1] if self.items else 0
        relative = width - base
        if relative >= 4:
            if not self.paragraph:
                self.indented = (number, quotes, base)
                self.blank = False
                return
            self._paragraph_line(number, rest, quotes)
            return
        body = rest[len(rest) - len(rest.lstrip(" \t")):]
        if self._opens(number, body, quotes, width, base):
            return
        item = _LIST_ITEM.match(body) if body[:1] in "-*+0123456789" else None
        if item is not None and not _THEMATIC.match(body):
            spacing = item.group(2)
            content = width + item.end(1) + (len(spacing) if spacing else 1)
            while self.items and self.items[-1] > width:
                self.items.pop()
            self.items.append(content)
            inner = body[item.end():]
            self.blank = False
            self.paragraph = bool(inner.strip())
            self.empty_item = not self.paragraph
            if inner and self._opens(number, inner, quotes, content, content):
                self.paragraph = False
            return
        self.blank = False
        self.paragraph = body[:1] != "#" and not _THEMATIC.match(body)

    def _paragraph_line(self, number: int, line: str, quotes: int) -> None:
        if self.indented is not None:
            self._end_indented(number - 1)
        if (self.blank or self.empty_item) and self.items:
            self.items.clear()  # a flush-left line after a blank line ends every list
        self.empty_item = False
        if quotes != self.quotes:
            self.quotes = quotes
        if line.startswith("$$"):
            self._opens(number, line, quotes, 0, 0)
            return
        self.blank = False
        self.paragraph = line[:1] != "#"

    def _opens(self, number: int, body: str, quotes: int, column: int, base: int) -> bool:
        """Open a fence or a `$$` block if `body` (a line's text from `column`, in a container
        whose content starts at `base`) starts one."""
        if body[:1] in "`~":
            opening = _FENCE_OPEN.match(body)
            if opening is None or (opening.group(1)[0] == "`" and "`" in opening.group(2)):
                return False
            run = opening.group(1)
            self.open = Block(FENCE, number, number, False, opening.group(2).strip(), run,
                              quotes, column, base)
            self.closer = _closer(run)
        elif body.startswith("$$"):
            if body.rstrip().endswith("$$") and len(body.rstrip()) > 3:
                self.found.append(Block(MATH, number, number, True, "", "$$", quotes, column,
                                        base))
                self.blank, self.paragraph = False, False
                return True
            self.open = Block(MATH, number, number, False, "", "$$", quotes, column, base)
            self.closer = _MATH_CLOSE
        else:
            return False
        self.blank, self.paragraph = False, False
        return True

    def _end_indented(self, last: int) -> None:
        assert self.indented is not None
        first, quotes, base = self.indented
        while last > first and not self.lines[last].strip():
            last -= 1  # trailing blank lines are not part of the block
        self.found.append(Block(INDENTED, first, last, True, "", "", quotes, base + 4, base))
        self.indented = None
        self.blank, self.paragraph = False, False


def _plain(line: str) -> bool:
    """A paragraph line at the top level: not blank and not starting with a special mark."""
    return bool(line) and line[0] not in _SPECIAL


@functools.lru_cache(maxsize=64)
def _top_closer(run: str) -> re.Pattern[str]:
    """A closing line of `run` outside containers, searched for from the newline before it."""
    return re.compile(rf"\n {{0,3}}{re.escape(run[0])}{{{len(run)},}}[ \t]*\r?(?=\n|$)")


@functools.lru_cache(maxsize=64)
def _closer(run: str) -> re.Pattern[str]:
    """A closing line of `run` inside a container (its markers and indentation removed)."""
    return re.compile(rf"{re.escape(run[0])}{{{len(run)},}}[ \t]*\r?$")


def _ended(block: Block, last: int) -> Block:
    """An open block that its container (or the text) ended at line `last`."""
    return Block(block.kind, block.first, max(last, block.first), False, block.info, block.fence,
                 block.quotes, block.indent, block.base)


def line_starts(lines: list[str]) -> list[int]:
    """The offset of each line's first character (lines split on `\\n`), then one past the end
    of the text: one C-level pass (`accumulate` over `map`), no Python call per line."""
    return list(accumulate(map((1).__add__, map(len, lines)), initial=0))


def find_blocks(text: str, lines: list[str] | None = None, fast: bool = True,
                starts: list[int] | None = None) -> list[Block]:
    """Every code and math block of a text (`lines`: the text split on `\\n`), in order.
    `fast=False` reads every line one by one, without the searches that skip runs of lines
    (the reference the fast reading is tested against)."""
    return _Reader(lines if lines is not None else text.split("\n"), text, fast, starts).read()
