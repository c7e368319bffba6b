"""Spans inside prose that are not prose: inline code, HTML comments, Obsidian `%%comments%%`
and math (`$x$`, `$$x$$`). Found in one left-to-right pass, the first opener winning, as a
reader meets them: a backtick inside a comment opens nothing, a `%%` inside code hides nothing.

Rules, each as the site renders it and Obsidian shows it:
- a code span opens with a run of backticks not preceded by a backslash and closes with the
  next run of exactly as many; it may continue on the next line, never past a blank line;
  without a closing run the backticks are literal;
- `<!--` runs to `-->`, `%%` to the next `%%`, either to the end of the text when unclosed
  (an unclosed `%%` hides the rest of the note in Obsidian);
- `$$` runs to the next `$$`; `$x$` needs a non-space after the opening `$` and before the
  closing one, which is not followed by a digit (so "$5 and $10" is no math), on one paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import NamedTuple

CODE, COMMENT, HIDDEN, MATH = "code", "comment", "hidden", "math"  # HIDDEN: %%...%%

_OPENER = re.compile(r"``*|<!--|%%|\$\$*")  # literals first: a fast scan
_NOT_NEWLINE = re.compile(r"[^\r\n]+")
_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")


class Span(NamedTuple):
    """An inline region: [start, end) offsets in the text, and what it is. `inner_start` and
    `inner_end` bound its content (the text between the delimiters). A tuple: a code-heavy note
    has hundreds, and a tuple is made several times faster than a frozen dataclass."""

    kind: str
    start: int
    end: int
    inner_start: int
    inner_end: int


def blank(text: str) -> str:
    """Spaces in place of every character but line breaks (offsets and lines kept)."""
    return _NOT_NEWLINE.sub(_spaces, text)


def _spaces(run: re.Match[str]) -> str:
    return " " * (run.end() - run.start())


def may_hold_spans(text: str) -> bool:
    """Cheap test: no backtick, comment opener or dollar, nothing to find."""
    return "`" in text or "$" in text or ("<" in text and "<!--" in text) \
        or ("%" in text and "%%" in text)


def find_spans(text: str) -> list[Span]:
    """The inline spans of `text` (block-level code already blanked out), in order: one regex
    pass for ordinary texts, the token walk below for long ones (where an unclosed opener
    rescanning its paragraph could cost quadratic time). Both give the same answer (a property
    test compares them)."""
    if len(text) > _REGEX_LIMIT:
        return walk_spans(text)
    spans: list[Span] = []
    for found in _spans_pattern(text).finditer(text):
        kind = found.lastgroup
        start, end = found.span()
        if kind == "code":
            width = 1 + found.end("ticks") - found.start("ticks")
            spans.append(Span(CODE, start, end, start + width, end - width))
            continue
        assert kind is not None
        opening, closing = _WIDTHS[kind]
        closed = kind in ("math1", "math2") or found.group(f"{kind}_end") is not None
        spans.append(Span(_KIND_OF[kind], start, end, start + opening,
                          end - closing if closed else end))
    return spans


# One alternation: at each position the first opener that can open a span wins, as a reader
# meets them. Code: a whole run of backticks (not escaped), the shortest stretch of the paragraph
# up to a whole run of the same width. Comments run to their closer or to the end.
_PARAGRAPH_CHAR = r"(?:[^\n]|\n(?![ \t]*\r?\n))"
_CODE_SPAN = rf"`(?<![\\`]`)(?P<ticks>`*)(?!`){_PARAGRAPH_CHAR}*?(?<!`)`(?P=ticks)(?!`)(?P<code>)"
_SPAN = re.compile(
    # Every branch starts with a literal character outside any group, so `re` skips prose by a
    # first-character test (a group or a look-behind first would make it try every branch at
    # every character: 15x slower). Checks on what precedes an opener come just after its first
    # character; an empty group ending each branch names it (`lastgroup`).
    _CODE_SPAN
    + r"|<!--.*?(?:-->(?P<comment_end>)|\Z)(?P<comment>)"
    r"|%%.*?(?:%%(?P<hidden_end>)|\Z)(?P<hidden>)"
    r"|\$\$(?<![\\$]\$\$)(?!\$).*?(?<!\$)\$\$(?!\$)(?P<math2>)"
    rf"|\$(?<![\\$]\$)(?![ \t\r\n$]){_PARAGRAPH_CHAR}*?(?<![ \t\r\n\\$])\$(?![\d$])(?P<math1>)",
    re.DOTALL)
# The code branch alone, for texts holding no other opener (most notes with code spans): `re`
# then finds each backtick as `str.find` would, where the alternation tests every character
# (masking 3x faster over a code-heavy base). Where no other opener occurs, no other branch
# can match, so both give the same spans.
_CODE_ONLY = re.compile(_CODE_SPAN, re.DOTALL)


def _spans_pattern(text: str) -> re.Pattern[str]:
    if "$" in text or ("<" in text and "<!--" in text) or ("%" in text and "%%" in text):
        return _SPAN
    return _CODE_ONLY


# Delimiter widths of the branches other than code: (opening, closing).
_WIDTHS = {"comment": (4, 3), "hidden": (2, 2), "math2": (2, 2), "math1": (1, 1)}
_KIND_OF = {"comment": COMMENT, "hidden": HIDDEN, "math2": MATH, "math1": MATH}
_REGEX_LIMIT = 20_000


def blank_spans(text: str) -> str:
    """`mask_spans(text, find_spans(text))`, in one regex pass that makes no spans."""
    if len(text) > _REGEX_LIMIT:
        return mask_spans(text, walk_spans(text))
    return _spans_pattern(text).sub(_blank_match, text)


def _blank_match(found: re.Match[str]) -> str:
    matched = found.group()
    return blank(matched) if "\n" in matched else " " * len(matched)


def walk_spans(text: str) -> list[Span]:
    """`find_spans`, linear on any input (hostile texts: thousands of unclosed openers).

    Every opener and closer candidate is found in one regex pass, then walked once: a code
    span's closer is the next run of its width (indexed from the end), a `%%` comment's the next
    `%%`. Linear on hostile input, and no regex search per span (a code-heavy note has hundreds).
    """
    tokens = [(m.start(), m.end()) for m in _OPENER.finditer(text)]
    if not tokens:
        return []
    following = _next_alike(text, tokens)
    finder = _Finder(text)
    spans: list[Span] = []
    position = 0
    for index, (start, stop) in enumerate(tokens):
        if start < position:
            continue
        char = text[start]
        if start and text[start - 1] == "\\" and char in "`$":
            continue
        span: Span | None = None
        if char == "`":
            close = following[index]
            if close >= 0 and not finder.breaks_between(stop, tokens[close][0]):
                span = Span(CODE, start, tokens[close][1], stop, tokens[close][0])
        elif char == "%":
            close = following[index]
            end = tokens[close][1] if close >= 0 else len(text)
            span = Span(HIDDEN, start, end, stop, end - 2 if close >= 0 else end)
        elif char == "$":
            if stop - start == 2:  # display math runs to the next `$$` (a run of three is text)
                close = following[index]
                if close >= 0:
                    span = Span(MATH, start, tokens[close][1], stop, tokens[close][0])
            elif stop - start == 1:
                span = finder.inline_math(start)
        else:
            span = finder.span_at(start, text[start:stop])
        if span is not None:
            spans.append(span)
            position = span.end
    return spans


def _next_alike(text: str, tokens: list[tuple[int, int]]) -> list[int]:
    """For each token, the index of the next token written the same way (a backtick run of
    the same width, another `%%`), or -1: one pass from the end."""
    following = [-1] * len(tokens)
    last: dict[str, int] = {}
    for index in range(len(tokens) - 1, -1, -1):
        start, stop = tokens[index]
        key = text[start:stop]
        if key[0] in "`%$":
            following[index] = last.get(key, -1)
            last[key] = index
    return following


class _Finder:
    """Where comments and math close, indexed on first use: paragraph ends, and the `$`
    characters that may close inline math."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._breaks: list[int] | None = None
        self._dollars: list[int] | None = None

    def paragraph_end(self, start: int) -> int:
        if self._breaks is None:
            self._breaks = [m.start() for m in _BLANK_LINE.finditer(self.text)]
        at = bisect_left(self._breaks, start)
        return self._breaks[at] if at < len(self._breaks) else len(self.text)

    def breaks_between(self, start: int, end: int) -> bool:
        """Whether a blank line (a paragraph's end) lies between two offsets."""
        if self.text.find("\n", start, end) < 0:
            return False
        return self.paragraph_end(start) < end

    def span_at(self, start: int, opener: str) -> Span | None:
        """A comment opened at `start` (code, `%%` and `$$` are paired by tokens)."""
        close = self.text.find("-->", start + 4)
        end = len(self.text) if close < 0 else close + 3
        return Span(COMMENT, start, end, start + 4, close if close >= 0 else end)

    def inline_math(self, start: int) -> Span | None:
        """`$x$` opened by a lone `$` at `start`: a non-space after it, and a lone `$` after a
        non-space, not before a digit, in the paragraph, closing it."""
        after = start + 1
        if after >= len(self.text) or self.text[after] in " \t\r\n":
            return None
        close = self._next_dollar(after)
        return None if close < 0 else Span(MATH, start, close + 1, after, close)

    def _next_dollar(self, start: int) -> int:
        """The first `$` after `start` that can close inline math, in the paragraph, or -1."""
        if self._dollars is None:
            text = self.text
            self._dollars = [m.start() for m in _DOLLAR.finditer(text)
                             if text[m.start() - 1] not in " \t\r\n\\"
                             and not text[m.start() + 1:m.start() + 2].isdigit()]
        at = bisect_left(self._dollars, start + 1)
        if at < len(self._dollars) and self._dollars[at] < self.paragraph_end(start):
            return self._dollars[at]
        return -1


_DOLLAR = re.compile(r"(?<=[^$])\$(?!\$)", re.DOTALL)


def mask_spans(text: str, spans: list[Span], kinds: frozenset[str] | None = None) -> str:
    """`text` with the spans (of the given kinds) blanked."""
    pieces: list[str] = []
    done = 0
    for span in spans:
        if kinds is not None and span.kind not in kinds:
            continue
        pieces.append(text[done:span.start])
        inner = text[span.start:span.end]
        pieces.append(blank(inner) if "\n" in inner else " " * len(inner))
        done = span.end
    pieces.append(text[done:])
    return "".join(pieces)
