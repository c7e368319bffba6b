"""Wikilinks and embeds as Obsidian renders them: `[[id]]`, `[[id|label]]`, `[[id#heading]]`,
`[[Title or alias]]`, `![[note]]` (the note's first sentence, boxed) and `![[figure.png]]`.

Links are found by `tooling.syntax`, the reading `kb check` uses, so code, HTML comments and
`%%comments%%` hold no links here either. Each link becomes a stashed HTML fragment: Markdown never
re-parses it, and a heading holding one still gets a clean table-of-contents entry.
"""

from __future__ import annotations

import posixpath
from html import escape
from typing import Any

from markdown import Markdown
from markdown.extensions.toc import slugify as heading_slug
from markdown.preprocessors import Preprocessor

from ...notes.files import walk
from ...schema import NOTE_DIRS
from ...syntax import WIKI, Ref, Scan
from .context import Context, KbExtension, current_page

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
        pieces, position = [], 0
        for ref in Scan(text).refs:
            if ref.kind != WIKI or not ref.target:
                continue
            start = ref.start - 1 if ref.embed else ref.start
            pieces.append(text[position:start])
            pieces.append(self.md.htmlStash.store(self.html(ref, src)))
            position = ref.end
        pieces.append(text[position:])
        return "".join(pieces).split("\n")

    def html(self, ref: Ref, src: str) -> str:
        r = self.context.renderer
        target = self.context.kb.index.resolve_name(ref.target)
        if target is None and ref.is_attachment:
            return attachment_html(self.context, ref, src)
        if target is None or target not in self.context.kb.graph:
            return (f'<span class="kb-broken" title="No note named this">'
                    f"{escape(ref.label or ref.target)}</span>")
        label = ref.label if ref.label else (None if ref.target == target else ref.target)
        anchor = heading_slug(ref.anchor, "-") if ref.anchor else None
        link = r.link(src, target, label, anchor)
        if not ref.embed:
            return str(link)
        note = self.context.kb.note(target)
        summary = r.description(note) if note is not None else ""
        return (f'<div class="kb-embed"><p class="kb-embed-title">{link}</p>'
                f"<p>{escape(summary)}</p></div>")


def attachment_html(context: Context, ref: Ref, src: str) -> str:
    """An embedded file: an image shown, any other file linked (found beside the note first,
    then anywhere in the base by name, as Obsidian does)."""
    rel = _find_attachment(context, ref.target, src)
    name = escape(ref.label or ref.target.rsplit("/", 1)[-1])
    if rel is None:
        return f'<span class="kb-broken" title="No file named this">{name}</span>'
    href = escape(context.renderer.site.href(src, rel))
    if rel.lower().endswith(IMAGES):
        return f'<img class="kb-embed-image" src="{href}" alt="{name}" loading="lazy">'
    return f'<a class="kb-attachment" href="{href}">{name}</a>'


def _find_attachment(context: Context, target: str, src: str) -> str | None:
    files = context.memo.get("attachments")
    if files is None:
        found = [rel for rel in walk(context.root, NOTE_DIRS).files if not rel.endswith(".md")]
        files = context.memo["attachments"] = (set(found), {posixpath.basename(f): f for f in found})
    every, by_name = files
    beside = posixpath.normpath(posixpath.join(posixpath.dirname(src), target))
    if beside in every:
        return str(beside)
    if target in every:
        return target
    return by_name.get(posixpath.basename(target))


class WikilinkExtension(KbExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        context = self.context(md)
        md.preprocessors.register(WikilinkPreprocessor(md, context), "kb_wikilinks", 29.5)


def makeExtension(**kwargs: Any) -> WikilinkExtension:  # noqa: N802
    return WikilinkExtension(**kwargs)
