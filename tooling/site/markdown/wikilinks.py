"""Wikilinks and embeds as Obsidian renders them: `[[id]]`, `[[id|label]]`, `[[id#heading]]`,
`[[Title or alias]]`, `![[note]]` (the note's first sentence, boxed) and `![[figure.png]]`.

Links are found by `tooling.syntax`, the reading `kb check` uses, so code, HTML comments and
`%%comments%%` hold no links here either. Each link becomes a stashed HTML fragment: Markdown never
re-parses it, and a heading holding one still gets a clean table-of-contents entry.
"""

from __future__ import annotations

import posixpath
import re
from html import escape
from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from ...notes.files import is_note_file, walk
from ...schema import NOTE_DIRS
from ...syntax import WIKI, Ref, Scan, splice
from ..inputs import FILES, NAME, NOTE
from .anchors import anchor_id, shown_anchor
from .context import Context, KbExtension, current_page
from .pipeline import add
from .sanitise import trusted
from .transclude import embed_html, register

IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif")


class WikilinkPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, context: Context) -> None:
        super().__init__(md)
        self.context = context

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "[[" not in text:
            return lines
        src = current_page(self.md) or ""
        scan = Scan(text)
        return splice(text, (
            (ref.start - 1 if ref.embed else ref.start, ref.end,
             trusted(self.md, self.html(ref, src) if ref.target else self.same_page(ref, src, scan)))
            for ref in scan.refs if ref.kind == WIKI and (ref.target or ref.anchor))).split("\n")

    def html(self, ref: Ref, src: str) -> str:
        r = self.context.renderer
        target = self.context.kb.index.resolve_name(ref.target)
        self.context.read(src, NAME + ref.target)
        if target is None and ref.is_attachment:
            self.context.read(src, FILES)
            return attachment_html(self.context, ref, src)
        if target is None or target not in self.context.kb.graph:
            return (f'<span class="kb-broken" title="No note named this">'
                    f"{escape(ref.label or ref.target)}</span>")
        note = self.context.kb.note(target)
        label = ref.label if ref.label else (None if ref.target == target else ref.target)
        if not ref.label and ref.anchor:  # Obsidian shows `[[note#Part]]` as "note > Part"
            label = f"{label or r.title_of(target) or target} > {shown_anchor(ref.anchor)}"
        if ref.anchor or ref.embed:  # the part's heading or block, or the text shown, is its file's
            self.context.read(src, NOTE + target)
        anchor = anchor_id(ref.anchor, note.scan, self.md) if ref.anchor and note else None
        link = r.link(src, target, label, anchor)
        if not ref.embed or note is None:
            return str(link)
        return embed_html(self.context, note, ref.anchor, src, link)

    def same_page(self, ref: Ref, src: str, scan: Scan) -> str:
        """`[[#Heading]]`, `[[#^id|label]]`: a link to a part of this page (or, embedded,
        that part shown again)."""
        assert ref.anchor is not None
        page = self.context.pages.get(src)
        note = self.context.kb.note(page.node) if page is not None and page.node else None
        if ref.embed and note is not None:
            return self.html(Ref(WIKI, note.id, ref.label, ref.anchor, True, ref.start, ref.end),
                             src)
        shown = ref.label or shown_anchor(ref.anchor)
        return (f'<a class="kb-link" href="#{escape(anchor_id(ref.anchor, scan, self.md))}">'
                f"{escape(shown)}</a>")


def attachment_html(context: Context, ref: Ref, src: str) -> str:
    """A linked or embedded file, found as Obsidian finds it (see `_find_attachment`): an
    embedded image shown (`|800` or `|800x600` is its width), any other file linked. An
    Excalidraw drawing shows the image exported beside it, else its name: the site cannot draw
    it."""
    rel = _find_attachment(context, ref.target, src)
    size = ref.label if ref.label and _SIZE.fullmatch(ref.label.strip()) else None
    name = escape(ref.label if ref.label and not size else ref.target.rsplit("/", 1)[-1])
    if rel is None:
        return f'<span class="kb-broken" title="No file named this">{name}</span>'
    if rel.lower().endswith(DRAWINGS):
        return (f'<span class="kb-attachment" title="An Excalidraw drawing; the vault has no image '
                f'exported from it">{name}</span>')
    href = escape(context.renderer.site.href(src, rel))
    if ref.embed and rel.lower().endswith(IMAGES):
        width = f' width="{escape(size.split("x")[0].strip())}"' if size else ""
        return f'<img class="kb-embed-image" src="{href}" alt="{name}"{width} loading="lazy">'
    return f'<a class="kb-attachment" href="{href}">{name}</a>'


_SIZE = re.compile(r"\d+(?:x\d+)?")
DRAWINGS = (".excalidraw.md", ".excalidraw")


def _find_attachment(context: Context, target: str, src: str) -> str | None:
    """The file a link names, as Obsidian finds it: beside the page, else at that path from the
    root, else the file whose path ends with the link's (folders included, so two `image.png`
    of two folders stay apart), the nearest to the page first. A drawing is found by the image
    exported from it (`Drawing.excalidraw.svg`) before the drawing itself."""
    files = context.memo.get("attachments")
    if files is None:
        found = [rel for rel in walk(context.root, NOTE_DIRS, confine=True).files if not is_note_file(rel)]
        by_name: dict[str, list[str]] = {}
        for rel in found:
            by_name.setdefault(posixpath.basename(rel).lower(), []).append(rel)
        files = context.memo["attachments"] = (set(found), by_name)
    every, by_name = files
    target = target.strip().lstrip("/")
    if target.lower().endswith(".excalidraw.md"):
        target = target[:-3]
    names = ([f"{target}.svg", f"{target}.png", f"{target}.md", target]
             if target.lower().endswith(".excalidraw") else [target])
    here = posixpath.dirname(src)
    for name in names:
        beside = posixpath.normpath(posixpath.join(here, name))
        if beside in every:
            return str(beside)
        if name in every:
            return name
        tail = "/" + posixpath.normpath(name).lower()
        ending = [rel for rel in by_name.get(posixpath.basename(name).lower(), [])
                  if ("/" + rel.lower()).endswith(tail)]
        if ending:
            return min(ending, key=lambda rel: (-_shared(rel, here), rel.count("/"), rel))
    return None


def _shared(rel: str, folder: str) -> int:
    """How many leading folders a file shares with a page's folder."""
    count = 0
    for mine, theirs in zip(posixpath.dirname(rel).split("/"), folder.split("/")):
        if mine != theirs:
            break
        count += 1
    return count


class WikilinkExtension(KbExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        context = self.context(md)
        add(md, "preprocessors", "kb_wikilinks", WikilinkPreprocessor(md, context))
        register(md)


def makeExtension(**kwargs: Any) -> WikilinkExtension:  # noqa: N802
    return WikilinkExtension(**kwargs)
