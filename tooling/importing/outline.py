"""Stage 2 of `kb import`: an outline's lines, classified once, and the extents of its blocks.

Any outline is understood: bullets `- * +` and the glyphs other tools write (`• ◦ ▪ ‣`),
numbered items (`1.`, `1)`), any indent width (tabs count 4), Markdown headings. Code fences,
`$$` math, tables, quotes and callouts (`> [!note]`), raw HTML blocks and Obsidian `%%` comment
blocks are opaque: kept whole, never carved, never split by an extent. Pure functions over lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BLANK, HEADING, ITEM, TEXT, OPAQUE = "blank", "heading", "item", "text", "opaque"

GLYPHS = "•◦▪‣"  # bullets that are not Markdown's; `as_markdown_lists` turns them into `-`
_MARKER = re.compile(rf"([-*+{GLYPHS}]|\d{{1,9}}[.)])(?:[ \t]+|$)")
_RULE = re.compile(r"(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE = re.compile(r"(`{3,}|~{3,})")
_HTML_BLOCK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*|!--|/[A-Za-z])")
_LINK_START = ("[", "http://", "https://", "![")
TAB = 4


@dataclass(slots=True)
class Line:
    """One input line as the outline sees it."""

    raw: str
    kind: str
    indent: int  # columns, tabs counting TAB
    marker: str = ""  # the item's marker as written (`-`, `•`, `1.`)
    content: str = ""  # the text after indent and marker (a heading's title)
    level: int = 0  # a heading's level
    end: int = 0  # index after this line's opaque block (after the line itself otherwise)
    rule: bool = False  # a thematic break (`---`)

    @property
    def starts_with_link(self) -> bool:
        """A line that opens with a link, written on its own (the Obsidian way of listing)."""
        return self.kind == TEXT and self.indent == 0 and self.content.startswith(_LINK_START)


def indent_of(line: str) -> int:
    expanded = line.expandtabs(TAB) if "\t" in line else line
    return len(expanded) - len(expanded.lstrip())


def hidden_lines(lines: list[str], masked: list[str]) -> list[bool]:
    """Which lines hold something that the code mask blanked entirely (code or comments):
    `masked` is the same lines through `syntax.mask_code`."""
    return [bool(line.strip()) and not shown.strip() for line, shown in zip(lines, masked)]


def parse(lines: list[str], hidden: list[bool] | None = None) -> list[Line]:
    """Classify every line; lines of an opaque block all carry the block's end. `hidden` marks
    lines Markdown reads as code or comment as a whole (indented code blocks, `%%` comments):
    they are opaque too."""
    parsed: list[Line] = []
    number = 0
    while number < len(lines):
        raw = lines[number]
        stripped = raw.strip()
        indent = indent_of(raw)
        end = _opaque_end(lines, number, stripped)
        if not end and hidden is not None and number < len(hidden) and hidden[number]:
            end = number + 1
            while end < len(lines) and end < len(hidden) and hidden[end]:
                end += 1
        if end:
            block = [Line(lines[n], OPAQUE, indent_of(lines[n]), end=end) for n in range(number, end)]
            block[0].indent = indent
            parsed.extend(block)
            number = end
            continue
        parsed.append(_line(raw, stripped, indent, number + 1))
        number += 1
    return parsed


def _line(raw: str, stripped: str, indent: int, end: int) -> Line:
    if not stripped:
        return Line(raw, BLANK, 0, end=end)
    body = raw.lstrip(" \t")
    if indent <= 3 and body.startswith("#"):
        level = len(body) - len(body.lstrip("#"))
        rest = body[level:]
        if level <= 6 and (not rest.strip() or rest[0] in " \t"):
            title = rest.strip()
            closed = title.rstrip("#")  # an optional closing run of `#`, after a space
            if closed != title and (not closed or closed[-1] in " \t"):
                title = closed.rstrip()
            return Line(raw, HEADING, indent, content=title, level=level, end=end)
    if _RULE.match(body):
        return Line(raw, TEXT, indent, content=stripped, end=end, rule=True)
    marker = _MARKER.match(body)
    if marker:
        return Line(raw, ITEM, indent, marker.group(1), body[marker.end():].rstrip(), end=end)
    return Line(raw, TEXT, indent, content=stripped, end=end)


def _opaque_end(lines: list[str], start: int, stripped: str) -> int:
    """End (exclusive) of the opaque block starting at `start`, or 0 if none starts there."""
    if not stripped:
        return 0
    fence = _FENCE.match(stripped)
    if fence:
        mark = fence.group(1)
        for number in range(start + 1, len(lines)):
            closing = lines[number].strip()
            if closing.startswith(mark[0] * len(mark)) and not closing.strip(mark[0]):
                return number + 1
        return len(lines)
    for opener, closer in (("$$", "$$"), ("%%", "%%")):
        if stripped == opener:
            for number in range(start + 1, len(lines)):
                if lines[number].strip() == closer:
                    return number + 1
            return len(lines)
    if stripped.startswith("|"):
        return _run(lines, start, lambda s: s.startswith("|"))
    if stripped.startswith(">"):
        return _run(lines, start, lambda s: s.startswith(">"))
    if _HTML_BLOCK.match(stripped) and indent_of(lines[start]) <= 3:
        return _run(lines, start, bool)  # raw HTML runs to the next blank line, as in Markdown
    return 0


def _run(lines: list[str], start: int, keeps: object) -> int:
    number = start + 1
    while number < len(lines) and keeps(lines[number].strip()):  # type: ignore[operator]
        number += 1
    return number


# --- extents ---------------------------------------------------------------------------------


def _trim(lines: list[Line], start: int, end: int) -> int:
    """`end` moved back over trailing blank lines and empty items (`-` alone): they stay put."""
    while end > start + 1 and (lines[end - 1].kind == BLANK
                                or (lines[end - 1].kind == ITEM and not lines[end - 1].content)):
        end -= 1
    return end


def block_end(lines: list[Line], start: int, stop: int) -> int:
    """End (exclusive) of the line at `start` with its children: the deeper-indented lines after
    it (blank lines between them included), opaque blocks whole."""
    own = lines[start].indent
    end = number = lines[start].end
    while number < stop:
        line = lines[number]
        if line.kind == BLANK:
            number += 1
            continue
        if line.kind == HEADING or line.indent <= own:
            break
        end = number = line.end
    return _trim(lines, start, min(end, stop))


def standalone_end(lines: list[Line], start: int, stop: int) -> int:
    """End of the annotations under a link written on its own line at the margin (Obsidian
    style): the lines after it up to a heading, the next such link, an opaque block at the
    margin, or a plain margin line after a blank one."""
    end, number, saw_blank = start + 1, start + 1, False
    while number < stop:
        line = lines[number]
        if line.kind == BLANK:
            saw_blank = True
            number += 1
            continue
        if line.kind == HEADING or line.starts_with_link:
            break
        if line.indent == 0 and (line.kind == OPAQUE or (saw_blank and line.kind != ITEM)):
            break
        end = number = line.end
    return _trim(lines, start, min(end, stop))


def section_end(lines: list[Line], start: int, stop: int) -> int:
    """End of the section a heading opens: the next heading of the same or a higher level."""
    level = lines[start].level
    number = start + 1
    while number < stop and not (lines[number].kind == HEADING and lines[number].level <= level):
        number = lines[number].end
    return min(number, stop)


# --- sections of a long page -----------------------------------------------------------------

_SENTENCE_END = tuple(".:;,!?")


def looks_like_heading(lines: list[Line], number: int) -> bool:
    """A plain margin line standing alone between blank lines, short and unpunctuated: how a
    heading reads once an export has lost its `#` (`nlp (see also this link)`)."""
    line = lines[number]
    if line.kind != TEXT or line.indent or line.rule or number == 0:
        return False
    text = line.content
    if len(text) > 60 or len(text.split()) > 8 or text.endswith(_SENTENCE_END):
        return False
    if "](" in text or "://" in text or "[[" in text or not any(c.isalpha() for c in text):
        return False
    before = lines[number - 1].kind == BLANK
    after = number + 1 >= len(lines) or lines[number + 1].kind == BLANK
    return before and after


def section_starts(lines: list[Line]) -> list[int]:
    """Where the top-level sections of a page start: its highest Markdown headings (a title
    heading on the first line aside) or, without any, its heading-like plain lines."""
    headings = [n for n, line in enumerate(lines) if line.kind == HEADING and n > 0]
    if headings:
        top = min(lines[n].level for n in headings)
        return [n for n in headings if lines[n].level == top]
    return [n for n in range(len(lines)) if looks_like_heading(lines, n)]


# --- glyph outlines as Markdown lists --------------------------------------------------------


def as_markdown_lists(lines: list[str]) -> tuple[list[str], bool]:
    """An outline written with `•`-style glyphs, as a Markdown list (`-` markers, 4 columns per
    level, so Markdown nests it as written); other outlines come back unchanged.

    Only markers and leading whitespace change, one line for one line: words stay as written.
    """
    if not any(glyph in line for line in lines for glyph in GLYPHS):
        return lines, False
    parsed = parse(lines)
    if not any(line.kind == ITEM and line.marker in GLYPHS for line in parsed):
        return lines, False
    out: list[str] = []
    stack: list[int] = []  # indents of the open items
    shift = 0  # how far the current opaque block moves
    for number, line in enumerate(parsed):
        if line.kind == BLANK:
            out.append("")
            continue
        if line.kind == OPAQUE and (number == 0 or parsed[number - 1].end != line.end):
            while stack and stack[-1] >= line.indent:
                stack.pop()
            shift = TAB * len(stack) - line.indent
        if line.kind == OPAQUE:
            out.append(_shifted(line.raw, shift))
            continue
        while stack and stack[-1] >= line.indent:
            stack.pop()
        depth = len(stack)
        if line.kind == ITEM:
            marker = "-" if line.marker in GLYPHS else line.marker
            out.append(" " * (TAB * depth) + (f"{marker} {line.content}" if line.content else marker))
            stack.append(line.indent)
        else:
            out.append(" " * (TAB * depth) + line.raw.lstrip(" \t"))
    return out, True


def _shifted(raw: str, shift: int) -> str:
    if shift >= 0:
        return " " * shift + raw if raw.strip() else raw
    expanded = raw.expandtabs(TAB)
    keep = min(-shift, indent_of(expanded))
    return expanded[keep:]
