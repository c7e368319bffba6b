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
from dataclasses import dataclass

CODE, COMMENT, HIDDEN, MATH = "code", "comment", "hidden", "math"  # HIDDEN: %%...%%

_OPENER = re.compile(r"`+|<!--|%%|\$\$?")
_NOT_NEWLINE = re.compile(r"[^\r\n]")
_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")


@dataclass(frozen=True, slots=True)
class Span:
    """An inline region: [start, end) offsets in the text, and what it is. `inner` is where
    its content starts and ends (the text between the delimiters)."""

    kind: str
    start: int
    end: int
    inner_start: int
    inner_end: int


def blank(text: str) -> str:
    """Spaces in place of every character but line breaks (offsets and lines kept)."""
    return _NOT_NEWLINE.sub(" ", text)


def may_hold_spans(text: str) -> bool:
    """Cheap test: no backtick, comment opener or dollar, nothing to find."""
    return "`" in text or "$" in text or ("<" in text and "<!--" in text) \
        or ("%" in text and "%%" in text)


def find_spans(text: str) -> list[Span]:
    """The inline spans of `text` (block-level code already blanked out), in order. Linear on
    hostile input: closing candidates are indexed once, not searched for again per opener."""
    finder = _Finder(text)
    spans: list[Span] = []
    position = 0
    while (found := _OPENER.search(text, position)) is not None:
        start, opener = found.start(), found.group()
        if start and text[start - 1] == "\\" and opener[0] in "`$":
            position = found.end()
            continue
        span = finder.span_at(start, opener)
        if span is None:
            position = found.end()
            continue
        spans.append(span)
        position = span.end
    return spans


class _Finder:
    """Where spans close, indexed on first use: paragraph ends, backtick runs by width, `$`
    characters that may close inline math."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._breaks: list[int] | None = None
        self._runs: dict[int, list[int]] | None = None
        self._dollars: list[int] | None = None

    def paragraph_end(self, start: int) -> int:
        if self._breaks is None:
            self._breaks = [m.start() for m in _BLANK_LINE.finditer(self.text)]
        at = bisect_left(self._breaks, start)
        return self._breaks[at] if at < len(self._breaks) else len(self.text)

    def span_at(self, start: int, opener: str) -> Span | None:
        text, after = self.text, start + len(opener)
        if opener[0] == "`":
            close = self._next_run(after, len(opener))
            if close < 0:
                return None
            return Span(CODE, start, close + len(opener), after, close)
        if opener == "<!--":
            close = text.find("-->", after)
            end = len(text) if close < 0 else close + 3
            return Span(COMMENT, start, end, after, close if close >= 0 else end)
        if opener == "%%":
            close = text.find("%%", after)
            end = len(text) if close < 0 else close + 2
            return Span(HIDDEN, start, end, after, close if close >= 0 else end)
        if opener == "$$":
            close = text.find("$$", after)
            return None if close < 0 else Span(MATH, start, close + 2, after, close)
        if after >= len(text) or text[after] in " \t\r\n$":
            return None
        close = self._next_dollar(after)
        return None if close < 0 else Span(MATH, start, close + 1, after, close)

    def _next_run(self, start: int, width: int) -> int:
        """Start of the first run of exactly `width` backticks at or after `start`, in the
        paragraph, or -1."""
        if self._runs is None:
            self._runs = {}
            for run in _TICKS.finditer(self.text):
                self._runs.setdefault(len(run.group()), []).append(run.start())
        starts = self._runs.get(width, [])
        at = bisect_left(starts, start)
        if at < len(starts) and starts[at] < self.paragraph_end(start):
            return starts[at]
        return -1

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


_TICKS = re.compile(r"`+")
_DOLLAR = re.compile(r"(?<=.)\$", re.DOTALL)


def mask_spans(text: str, spans: list[Span], kinds: frozenset[str] | None = None) -> str:
    """`text` with the spans (of the given kinds) blanked."""
    pieces: list[str] = []
    done = 0
    for span in spans:
        if kinds is not None and span.kind not in kinds:
            continue
        pieces.append(text[done:span.start])
        pieces.append(blank(text[span.start:span.end]))
        done = span.end
    pieces.append(text[done:])
    return "".join(pieces)
