"""References as written in Markdown bodies: wikilinks and relative Markdown links, found with
code masked out (fenced and indented blocks, inline spans, HTML and Obsidian `%%comments%%` are
never links). The linter and the site's
renderer both scan bodies through here, so they always agree on what is a link.

Wikilink forms: `[[id]]`, `[[id|label]]`, `[[id#heading]]`, `[[Title or alias]]` (case-insensitive),
and `[[target||label]]` as the user's Obsidian exports write it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

# No optional leading `!` in the patterns: it would defeat the regex engine's literal-prefix scan
# (20x slower on large bases). Embeds are recognised by looking one character back.
WIKILINK = re.compile(r"\[\[([^\[\]\n]+)\]\]")
MDLINK = re.compile(r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_INDENTED = re.compile(r"(?: {4}|\t| {1,3}\t)")
_INDENTED_LINE = re.compile(r"\n(?: {4}|\t)")  # a leading newline: found by a fast literal scan
_LIST_ITEM = re.compile(r"\s{0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
# Where inline code, an HTML comment or an Obsidian comment may start.
_OPENER = re.compile(r"`+|<!--|%%")
_CODE_OPENER = re.compile(r"`+")
_NOT_NEWLINE = re.compile(r"[^\r\n]")
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#)")


@dataclass(slots=True)
class BodyRef:
    """A link as written in a body, before resolution."""

    kind: str  # "wikilink" or "link"
    target: str
    label: str | None
    anchor: str | None
    line: int
    embed: bool
    start: int  # offsets in the body, for renderers that rewrite the text
    end: int

    @property
    def is_attachment(self) -> bool:
        """An embedded file (`![[figure.png]]`), not a link to a note."""
        name = self.target.rsplit("/", 1)[-1]
        return self.embed and "." in name and not name.endswith(".md")


def mask_code(body: str, comments: bool = True) -> str:
    """The body with everything that is not prose blanked out, same length, same line breaks:
    fenced and indented code blocks, inline code, and (unless `comments` is False) HTML
    comments and Obsidian `%%comments%%`."""
    return mask(body, comments)[0]


def mask(body: str, comments: bool = True) -> tuple[str, list[tuple[int, int]]]:
    """`mask_code`'s text, and the (start, end) offsets of the Obsidian `%%comments%%` in it
    (the renderer removes those from the page; an unclosed `%%` hides the rest, as in Obsidian).

    Plain substring tests decide first whether there is anything to mask: most bodies have
    none, and a regex search over every body costs more than the rest of link finding. A
    one-character test (memchr) goes before each longer one, which CPython searches 10x slower.
    """
    blocks = ("`" in body and "```" in body) or ("~" in body and "~~~" in body) \
        or _INDENTED_LINE.search(body) is not None or body.startswith(("    ", "\t"))
    text = _mask_blocks(body) if blocks else body
    if not comments:
        return (_mask_inline(text, _CODE_OPENER) if "`" in text else (text, []))
    if "`" in text or ("<" in text and "<!--" in text) or ("%" in text and "%%" in text):
        return _mask_inline(text, _OPENER)
    return text, []


def _mask_inline(text: str, opener: re.Pattern[str]) -> tuple[str, list[tuple[int, int]]]:
    """Inline code spans (closed by a run of as many backticks on the same line), and the HTML
    comments and `%%comments%%` `opener` also finds, blanked in the order they start; unclosed
    comments run to the end."""
    pieces: list[str] = []
    comments: list[tuple[int, int]] = []
    done = position = 0
    while (found := opener.search(text, position)) is not None:
        start, found_text = found.start(), found.group()
        if found_text[0] == "`":
            end = _code_span_end(text, found.end(), len(found_text))
            if end < 0:  # no closing run: the backticks are literal
                position = found.end()
                continue
        else:
            closer = "-->" if found_text == "<!--" else "%%"
            close = text.find(closer, found.end())
            end = len(text) if close < 0 else close + len(closer)
            if found_text == "%%":
                comments.append((start, end))
        pieces.append(text[done:start])
        pieces.append(_blank_text(text[start:end]))
        done = position = end
    pieces.append(text[done:])
    return "".join(pieces), comments


def _code_span_end(text: str, start: int, width: int) -> int:
    """End of the run of exactly `width` backticks closing a code span opened before `start`
    (on the same line, with something in between), or -1."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    position = start
    while (tick := text.find("`", position, line_end)) >= 0:
        run_end = tick
        while run_end < line_end and text[run_end] == "`":
            run_end += 1
        if run_end - tick == width and tick > start:
            return run_end
        position = run_end
    return -1


def _mask_blocks(body: str) -> str:
    """Fenced and indented code blocks blanked. An indented block starts after a blank line
    outside a list (in a list, indentation nests items), as Markdown reads it."""
    out: list[str] = []
    fence: str | None = None
    in_indented = in_list = False
    previous_blank = True
    for line in body.splitlines(keepends=True):
        stripped = line.strip()
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            out.append(_blank(line))
            continue
        indented = stripped != "" and _INDENTED.match(line) is not None
        if in_indented and (indented or not stripped):
            out.append(_blank(line))
            continue
        in_indented = False
        if indented and previous_blank and not in_list:
            in_indented = True
            out.append(_blank(line))
            continue
        if match:
            fence = match.group(1)
            out.append(_blank(line))
            previous_blank = False
            continue
        if _LIST_ITEM.match(line):
            in_list = True
        elif stripped and previous_blank and not line[:1].isspace():
            in_list = False
        previous_blank = not stripped
        out.append(line)
    return "".join(out)


def _blank_text(text: str) -> str:
    """Spaces in place of every character but line breaks."""
    return _NOT_NEWLINE.sub(" ", text)


def _embedded(text: str, start: int) -> bool:
    """Whether the link at `start` is an embed (`![[...]]`, `![alt](...)`)."""
    return start > 0 and text[start - 1] == "!"


def _blank(line: str) -> str:
    stripped = line.rstrip("\r\n")
    return " " * len(stripped) + line[len(stripped) :]


def parse_wikilink(inner: str) -> tuple[str, str | None, str | None]:
    """`target#anchor|label` -> (target, anchor, label); `||label` and `\\|` are accepted too."""
    if "|" not in inner and "#" not in inner:  # the common `[[id]]`
        return inner.strip(), None, None
    inner = inner.replace("\\|", "|")
    target, _, written = inner.partition("|")
    label = written.lstrip("|").strip() or None
    target, _, anchor = target.partition("#")
    return target.strip(), (anchor.strip() or None), label


def body_refs(body: str, body_line: int) -> list[BodyRef]:
    """Every wikilink and relative Markdown link in a body, with its file line."""
    masked = mask_code(body)
    found: list[BodyRef] = []
    if "[[" in masked:
        for match in WIKILINK.finditer(masked):
            target, anchor, label = parse_wikilink(match.group(1))
            start, end = match.span()
            found.append(BodyRef("wikilink", target, label, anchor, 0,
                                 start > 0 and masked[start - 1] == "!", start, end))
    wikilinks_only = len(found)
    if "](" in masked:
        for match in MDLINK.finditer(masked):
            url = match.group(2)
            if _EXTERNAL.match(url):
                continue
            path, _, anchor = url.partition("#")
            start = match.start()
            found.append(BodyRef("link", unquote(path.split("?", 1)[0]), match.group(1) or None,
                                 anchor or None, 0, _embedded(masked, start), start, match.end()))
    if not found:
        return []
    if len(found) > wikilinks_only:  # both kinds: back in the order they are written
        found.sort(key=lambda ref: ref.start)
    # Count newlines incrementally: one pass over the text for all links.
    line, position = body_line, 0
    for ref in found:
        line += masked.count("\n", position, ref.start)
        position = ref.start
        ref.line = line
    return found
