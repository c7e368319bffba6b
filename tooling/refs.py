"""References as written in Markdown bodies: wikilinks and relative Markdown links, found with
code masked out (fenced blocks and inline spans are never links). The linter and the site's
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
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
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


def mask_code(body: str) -> str:
    """The body with code blocks and inline code blanked out, same length, same line breaks."""
    if "`" not in body and "~~~" not in body:
        return body
    out: list[str] = []
    fence: str | None = None
    for line in body.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            out.append(_blank(line))
        elif match:
            fence = match.group(1)
            out.append(_blank(line))
        elif "`" in line:
            out.append(_INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line))
        else:
            out.append(line)
    return "".join(out)


def _embedded(text: str, start: int) -> bool:
    """Whether the link at `start` is an embed (`![[...]]`, `![alt](...)`)."""
    return start > 0 and text[start - 1] == "!"


def _blank(line: str) -> str:
    stripped = line.rstrip("\r\n")
    return " " * len(stripped) + line[len(stripped) :]


def parse_wikilink(inner: str) -> tuple[str, str | None, str | None]:
    """`target#anchor|label` -> (target, anchor, label); `||label` and `\\|` are accepted too."""
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
            start = match.start()
            found.append(BodyRef("wikilink", target, label, anchor, 0, _embedded(masked, start),
                                 start, match.end()))
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
    found.sort(key=lambda ref: ref.start)
    # Count newlines incrementally: one pass over the text for all links.
    line, position = body_line, 0
    for ref in found:
        line += masked.count("\n", position, ref.start)
        position = ref.start
        ref.line = line
    return found
