"""A budget per page, so no note can hang or crash a build that `kb check` accepted.

Python-Markdown is quadratic on unbalanced or deeply nested `[` (20,000 of them: two minutes) and
recurses once per level of nested lists or quotes (600 levels: RecursionError). Brackets that can
never form a link (unmatched, or nested past `MAX_BRACKETS`) become HTML entities, which render
the same, in linear time; a page nested past `MAX_INDENT` columns or `MAX_QUOTES` levels is shown as
plain text. Either way the note is named in a warning (collected on the context for the host).
A link whose URL `urlsplit` rejects (`http://[zz]/`, a host that changes under NFKC) would crash
MkDocs' link rewriting: it is percent-encoded instead. A run of MAX_SPACES or more spaces between
two words outside code (attr_list's heading and table-cell pattern is quadratic on it: a tag with
300,000 spaces took a minute) becomes one space, which HTML renders the same. `<![` opening
anything but `<![CDATA[` (which made the standard HTML parser raise) becomes `&lt;![`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from html import escape
from typing import Any
from urllib.parse import quote, urlsplit

from markdown import Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ...syntax import Scan, splice
from .context import Context, KbExtension, current_page
from .pipeline import add
from .sanitise import trusted

MAX_INDENT = 400  # columns: 100 levels of 4-space nesting (Python-Markdown fails near 300)
MAX_QUOTES = 100
MAX_BRACKETS = 8  # nesting depth of `[` kept as written
WARN_ESCAPED = 1000  # escaped brackets past which the note is named
MAX_SPACES = 64
_SPACE_RUN = re.compile(rf"(?<=\S) {{{MAX_SPACES},}}(?=\S)")  # linear: one start can match
_MARKED = re.compile(r"<!\[(?!CDATA\[)")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _quote_marks(line: str) -> int:
    """How deep a line is quoted: the `>` marks before its text."""
    head = line[:len(line) - len(line.lstrip("> "))]
    return head.count(">")


class GuardPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, context: Context) -> None:
        super().__init__(md)
        self.context = context

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        scan = Scan(text)
        masked = scan.masked
        if " " * MAX_SPACES in masked:
            text, masked = _collapse_spaces(text, masked)
            lines = text.split("\n")
        if "<![" in masked:  # the HTML parser asserts on a marked section other than CDATA
            text = _escape_marked(text, masked)
            scan = Scan(text)
            masked = scan.masked
            lines = text.split("\n")
        page = current_page(self.md) or "a page"
        # Nesting is read outside code blocks but with inline code kept: a code span is text,
        # never indentation or quote marks.
        prose = scan.prose.split("\n") if scan.blocks else lines
        deepest = max((_indent(line) for line in prose if line.strip()), default=0)
        quotes = max((_quote_marks(line) for line in prose if line.lstrip().startswith(">")),
                     default=0)
        if deepest > MAX_INDENT or quotes > MAX_QUOTES:
            self.context.warnings.append(
                f"{page}: nested too deep to render ({deepest} columns of indentation, {quotes} "
                "quote marks); shown as plain text")
            return [trusted(self.md, f'<pre class="kb-too-deep">{escape(text)}</pre>')]
        if "[" not in masked:
            return lines
        escaped = _unlinkable_brackets(masked)
        if not escaped:
            return lines
        if len(escaped) > WARN_ESCAPED:
            self.context.warnings.append(
                f"{page}: {len(escaped)} unbalanced or deeply nested '[' or ']' shown as text")
        # As entities: `\[` would open math for arithmatex.
        return splice(text, ((offset, offset + 1, "&#91;" if text[offset] == "[" else "&#93;")
                             for offset in escaped)).split("\n")


def _escape_marked(text: str, masked: str) -> str:
    """`<![` outside code, unless it opens `<![CDATA[`, as `&lt;![` (rendered the same)."""
    pieces, position = [], 0
    for match in _MARKED.finditer(masked):
        pieces += [text[position:match.start()], "&lt;"]
        position = match.start() + 1
    return "".join(pieces) + text[position:]


def _collapse_spaces(text: str, masked: str) -> tuple[str, str]:
    """Long runs of spaces between two characters outside code, as one space (text and its
    masked copy kept aligned)."""
    kept_text, kept_masked, position = [], [], 0
    for match in _SPACE_RUN.finditer(text):
        start, end = match.span()
        if masked[start - 1] == text[start - 1] and masked[end] == text[end]:  # not in code
            kept_text.append(text[position:start] + " ")
            kept_masked.append(masked[position:start] + " ")
            position = end
    return "".join(kept_text) + text[position:], "".join(kept_masked) + masked[position:]


def _unlinkable_brackets(masked: str) -> list[int]:
    """Offsets of brackets that cannot be part of a link: unmatched `[`, and pairs nested deeper
    than MAX_BRACKETS. One pass; escaped brackets (`\\[`) are skipped."""
    stack: list[int] = []
    escaped: list[int] = []
    position = masked.find("[")
    while position != -1 and position < len(masked):
        char = masked[position]
        if position and masked[position - 1] == "\\":
            pass
        elif char == "[":
            stack.append(position)
        elif char == "]" and stack:
            opened = stack.pop()
            if len(stack) >= MAX_BRACKETS:
                escaped += (opened, position)
        position = _next_bracket(masked, position + 1)
    escaped.extend(stack)
    return sorted(escaped)


def _next_bracket(text: str, start: int) -> int:
    opening, closing = text.find("[", start), text.find("]", start)
    if opening == -1:
        return closing
    return opening if closing == -1 else min(opening, closing)


class UrlGuard(Treeprocessor):
    """Before MkDocs rewrites links (its `relpath` runs at priority 0)."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            name = {"a": "href", "img": "src"}.get(element.tag)
            url = element.get(name) if name else None
            if url is not None and not _splits(url):
                element.set(name, quote(url, safe="/:?#@!$&'()*+,;=%~"))  # type: ignore[arg-type]


def _splits(url: str) -> bool:
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


class GuardExtension(KbExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        context = self.context(md)
        add(md, "preprocessors", "kb_guard", GuardPreprocessor(md, context))
        add(md, "treeprocessors", "kb_url_guard", UrlGuard(md))


def makeExtension(**kwargs: Any) -> GuardExtension:  # noqa: N802
    return GuardExtension(**kwargs)
