"""Links as written in prose: wikilinks and embeds (`[[x]]`, `![[x]]`) and Markdown links
(`[text](url)`, `![alt](url)`), each with its offsets, found in text whose code, comments and
math are already blanked (so none of those holds a link).

Wikilink forms: `[[id]]`, `[[id|label]]`, `[[id#heading]]`, `[[id#^block]]`, `[[#heading]]` (in
the same note), `[[Title or alias]]`, `[[target||label]]` as the user's Obsidian exports write it,
and `[[target\\|label]]` inside a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

WIKILINK = re.compile(r"\[\[([^\[\]\n]+)\]\]")
MDLINK = re.compile(r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)")
EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#)")
WIKI, LINK = "wikilink", "link"

# File types a link names as a file, not a note (Obsidian's accepted formats and common
# documents). Any other dotted name is a note's: `[[Node.js]]`, `[[java.util.Scanner]]`,
# `[[v1.2 release]]`.
ATTACHMENT_TYPES = frozenset({
    "png", "jpg", "jpeg", "gif", "bmp", "svg", "webp", "avif", "ico", "tif", "tiff", "heic",
    "mp3", "wav", "m4a", "ogg", "flac", "3gp", "webm", "mp4", "ogv", "mov", "mkv", "avi",
    "pdf", "canvas", "excalidraw", "zip", "csv", "tsv", "xlsx", "xls", "docx", "doc", "pptx",
    "ppt", "odt", "ods", "odp", "epub", "json", "ipynb", "bib", "txt", "html", "htm"})
_TYPE = re.compile(r"\.([A-Za-z0-9]{1,10})$")


@dataclass(slots=True)
class Ref:
    """A link as written, before resolution. Offsets are in the text scanned; `start` is the
    first `[` (an embed's `!` is just before it)."""

    kind: str  # WIKI or LINK
    target: str  # "" for a link within the same note (`[[#heading]]`)
    label: str | None
    anchor: str | None  # a heading, or `^id` for a block
    embed: bool
    start: int
    end: int
    line: int = 0

    @property
    def is_attachment(self) -> bool:
        """Whether the target names a file (an image, a PDF, a drawing) rather than a note."""
        return is_attachment_name(self.target)


def is_attachment_name(target: str) -> bool:
    """A link target naming a file by its type: `figure.png`, `two/diagram.png`, `x.excalidraw`.
    Obsidian decides by which file exists; a name alone can only be read by its extension, so a
    note whose name ends like a file type (`Report.pdf`) resolves as a note first (see
    `links.body_links`)."""
    name = target.rsplit("/", 1)[-1]
    if name.lower().endswith(".excalidraw.md"):  # a drawing, stored under the `.md` it is no note by
        return True
    found = _TYPE.search(name)
    return found is not None and found.group(1).lower() in ATTACHMENT_TYPES


def parse_wikilink(inner: str) -> tuple[str, str | None, str | None]:
    """`target#anchor|label` -> (target, anchor, label); `||label` and `\\|` are accepted too."""
    if "|" not in inner and "#" not in inner:  # the common `[[id]]`
        return inner.strip(), None, None
    inner = inner.replace("\\|", "|")
    target, _, written = inner.partition("|")
    label = written.lstrip("|").strip() or None
    target, _, anchor = target.partition("#")
    return target.strip(), (anchor.strip() or None), label


def find_links(masked: str) -> list[Ref]:
    """Every wikilink, embed and relative Markdown link of prose text, in order (no lines)."""
    found: list[Ref] = []
    if "[[" in masked:
        for match in WIKILINK.finditer(masked):
            target, anchor, label = parse_wikilink(match.group(1))
            start, end = match.span()
            found.append(Ref(WIKI, target, label, anchor, start > 0 and masked[start - 1] == "!",
                             start, end))
    wikilinks = len(found)
    if "](" in masked:
        for match in MDLINK.finditer(masked):
            url = match.group(2)
            if EXTERNAL.match(url):
                continue
            path, _, anchor = url.partition("#")
            start = match.start()
            found.append(Ref(LINK, unquote(path.split("?", 1)[0]), match.group(1) or None,
                             anchor or None, start > 0 and masked[start - 1] == "!", start,
                             match.end()))
    if len(found) > wikilinks > 0:  # both kinds: back in the order they are written
        found.sort(key=lambda ref: ref.start)
    return found
