"""Prose as words: where sentences end, and a stretch of Markdown as the text a reader sees
(links as their label or the linked note's title, code as its text, markup and comments gone,
math kept apart so a page can typeset it).

One sentence rule for every reader (page descriptions, backlink sentences, previews): a sentence
ends at `.`, `!` or `?` followed by a space and a capital, digit, quote or bracket, except after
the abbreviations notes are full of ("Meng et al. 2022", "e.g. ROME", "Fig. 3") and single
initials ("K. Meng"); at a blank line; and before a list item, a heading or a quote.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import unescape

from .inline import CODE, MATH, Span
from .links import WIKI, Ref

TEXT = "text"
# The boundary begins with the space or line break it consumes, as a character class, so `re`
# skips to the next such character instead of trying every lookbehind at every position (2.5x
# faster); each lookbehind therefore ends with that consumed space. The rule is the one above.
_NOT_AFTER = "".join(rf"(?<!{word}[ \t])" for word in (
    r"\bal\.", r"\be\.g\.", r"\bi\.e\.", r"\bvs\.", r"\bcf\.", r"\b[Ff]ig\.", r"\b[Ee]q\.", r"\b[Ss]ec\.",
    r"\bNo\.", r"\bpp\.", r"\bp\.", r"\bDr\.", r"\bMr\.", r"\bMs\.", r"\bSt\.", r"\bapprox\.",
    r"[\s(][A-Z]\."))
_BLOCK_START = r"(?=[ \t]*(?:[-*+]|\d{1,9}[.)]|#{1,6}|>)[ \t])"
BOUNDARY = re.compile(
    r"[ \t\r\n](?:(?<=[.!?][ \t])" + _NOT_AFTER + r"[ \t]*(?=[A-Z0-9\"'(\[\u201c])"
    r"|(?<=\r)\n[ \t]*\r?\n\s*|(?<=\n)[ \t]*\r?\n\s*"
    r"|(?<=\r)\n" + _BLOCK_START + r"|(?<=\n)" + _BLOCK_START + ")")
# Markup that is not words, in the text between spans and links: images, HTML tags, footnote
# references, block ids, callout heads, heading/list/quote markers at a line's start, emphasis
# delimiters at word edges, table pipes.
_MARKUP = re.compile(
    r"!\[[^\]\n]*\]\([^)\n]*\)|<[A-Za-z/!][^>\n]*>|\[\^[^\]\n]+\]|(?<!\S)\^[A-Za-z0-9-]+(?=\s*$)"
    r"|\[![A-Za-z-]+\][+-]?|^[ \t]*(?:(?:>[ \t]?)+|#{1,6}[ \t]|(?:[-*+]|\d{1,9}[.)])[ \t]"
    r"(?:\[[ xX]\][ \t])?)|(?<!\w)(?:\*{1,3}|_{1,3}|==|~~)|(?:\*{1,3}|_{1,3}|==|~~)(?!\w)|\|",
    re.MULTILINE)
_CUT = 600  # characters looked at on each side of a link for its sentence
# A Markdown link to another site (relative ones are refs, read as links): its label is the words.
_EXTERNAL_LINK = re.compile(r"(?<!!)\[([^\[\]\n]*)\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:[ \t]+\"[^\"\n]*\")?\)")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_ASIDE = 0xF0000
_SET_ASIDE = re.compile("[\U000F0021-\U000F007E]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of reading text: words (TEXT) or a formula's TeX (MATH), shown as typeset."""

    kind: str
    text: str


def boundaries(prose: str) -> tuple[list[int], list[int]]:
    """Where each sentence boundary of `prose` (text with code blanked, so code never ends a
    sentence) starts, and where each ends: found once per text, for all its links."""
    starts: list[int] = []
    ends: list[int] = []
    for found in BOUNDARY.finditer(prose):
        starts.append(found.start())
        ends.append(found.end())
    return starts, ends


def sentence_bounds(cuts: tuple[list[int], list[int]], length: int, start: int,
                    end: int) -> tuple[int, int]:
    """The sentence holding start..end (a link) in a text of `length` with these `boundaries`,
    as offsets, at most _CUT characters on each side. A boundary just before the link counts:
    a link that begins a sentence gets that sentence, not the one before it too."""
    starts, ends = cuts
    before = bisect_right(ends, start) - 1
    begin = max(start - _CUT, ends[before] if before >= 0 else 0, 0)
    after = bisect_left(starts, end)
    limit = min(length, end + _CUT)
    return begin, starts[after] if after < len(starts) and starts[after] < limit else limit


def first_sentence_of(text: str, length: int = 200) -> str:
    """The first sentence of plain text (an abstract), cut to `length` at a word."""
    text = " ".join(text.split())
    found = BOUNDARY.search(text)
    return shorten(text[:found.start()] if found else text, length)


def shorten(text: str, length: int) -> str:
    """`text` cut to at most `length` characters at a word, with an ellipsis when cut."""
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0] + "…"


def pieces(text: str, begin: int, end: int, spans: Iterable[Span], refs: Iterable[Ref],
           title_of: Callable[[str], str | None] | None = None) -> list[Piece]:
    """text[begin:end] as reading pieces. `text` has block code blanked; `spans` and `refs` are
    its inline spans and links (any order; those outside the range are ignored)."""
    events: list[tuple[int, int, Span | Ref]] = sorted(
        [(s.start, s.end, s) for s in spans if s.start < end and s.end > begin]
        + [(r.start - r.embed, r.end, r) for r in refs if r.start < end and r.end > begin],
        key=lambda event: event[0])
    out: list[Piece] = []
    position = begin
    for start, stop, item in events:
        if start < position:
            continue  # inside something already read (a link in a comment cannot happen)
        _words(out, text[position:start], line_start=_at_line_start(text, position))
        if isinstance(item, Ref):
            if not item.embed:
                _words(out, _link_text(item, title_of), markup=item.kind != WIKI)
        elif item.kind == CODE:
            out.append(Piece(TEXT, text[item.inner_start:item.inner_end]))
        elif item.kind == MATH:
            out.append(Piece(MATH, text[item.inner_start:item.inner_end].strip()))
        position = max(position, stop)
    _words(out, text[position:end], line_start=_at_line_start(text, position))
    return out


def _at_line_start(text: str, offset: int) -> bool:
    return offset == 0 or text[offset - 1] == "\n"


def _link_text(ref: Ref, title_of: Callable[[str], str | None] | None) -> str:
    if ref.label:
        return ref.label
    if ref.kind == WIKI and ref.target:
        title = title_of(ref.target) if title_of is not None else None
        return title or ref.target
    return ref.anchor or ref.target


def _words(out: list[Piece], text: str, markup: bool = True, line_start: bool = False) -> None:
    if markup:  # a NUL keeps `^` from taking the start of a stretch for a line's start
        if "](" in text:
            text = _EXTERNAL_LINK.sub(r"\1", text)
        escaped = "\\" in text
        if escaped:  # `\*` is a star, never markup: set aside (private-use characters) meanwhile
            text = _ESCAPED.sub(lambda m: chr(_ASIDE + ord(m.group(1))), text)
        words = _MARKUP.sub(" ", text) if line_start else _MARKUP.sub(" ", "\0" + text)[1:]
        if escaped:
            words = _SET_ASIDE.sub(lambda m: chr(ord(m.group()) - _ASIDE), words)
        if "&" in words:
            words = _ENTITY.sub(lambda entity: unescape(entity.group()), words)
    else:
        words = text
    if words:  # a space alone still parts the words around it
        out.append(Piece(TEXT, words))


def plain_title(text: str) -> str:
    """A title (a note's, a heading's) as the plain words a reader sees, for `<h1>`, `<title>`
    and link text: `**Scheduler**` -> `Scheduler`, `` `fsrs` `` -> `fsrs`, `[[a|b]]` -> `b`,
    formulas kept as `$TeX$`. A title with no Markdown is returned as it is, at no cost."""
    if not _TITLE_MARKUP.search(text):
        return text
    from .scan import Scan

    # `<` stays a character: a title is text, and `<b>` in one is shown, never taken as a tag.
    kept = text.replace("<", _LESS)
    return (as_text(Scan(kept).pieces(0, len(kept))) or text.strip()).replace(_LESS, "<")


_LESS = "\U000F003C"
_TITLE_MARKUP = re.compile(r"[*_`\[\]<>$\\&#~=|^%]")


def as_text(found: Iterable[Piece]) -> str:
    """Pieces as one line of plain text (formulas as their TeX between `$`)."""
    return "".join(f"${piece.text}$" if piece.kind == MATH else piece.text
                   for piece in found).strip()


_SPACES = re.compile(r"\s+")


def normalised(found: list[Piece]) -> list[Piece]:
    """Runs of whitespace as one space (none at either end of the whole); empty pieces
    dropped; neighbouring words merged."""
    out: list[Piece] = []
    for piece in found:
        text = _SPACES.sub(" ", piece.text) if piece.kind == TEXT else piece.text.strip()
        if not text.strip() and piece.kind == TEXT:
            text = " " if text else ""
        if not text:
            continue
        if out and piece.kind == TEXT and out[-1].kind == TEXT:
            joined = out[-1].text + text
            out[-1] = Piece(TEXT, joined.replace("  ", " "))
        else:
            out.append(Piece(piece.kind, text))
    if out and out[0].kind == TEXT:
        out[0] = Piece(TEXT, out[0].text.lstrip())
    if out and out[-1].kind == TEXT:
        out[-1] = Piece(TEXT, out[-1].text.rstrip())
    return [piece for piece in out if piece.text]
