"""Embeds of notes, as Obsidian shows them: `![[note]]` the whole note, `![[note#Heading]]` its
section, `![[note#^id]]` one block, rendered in the page under a link to the source.

The part embedded is found by `tooling.syntax` (`Scan.section`, `Scan.block`) and rendered by
a second converter with the site's own extensions (the host's: `Context.converter`), marked as
an embed (`context.embed_marker`): links in it are relative to the page showing it, and it
gets no card, no footer, no runnable demo, no heading permalinks or ids (the page keeps one of
each). Links the note makes to itself (`[[#Heading]]`) and its relative Markdown links are
rewritten to name the note first, so they still lead where they did. Embeds nest up to
MAX_DEPTH; an embed of a note already being shown (A embeds B embeds A) is a link instead.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as etree
from collections.abc import Callable
from html import escape

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from ...model import Note
from ...syntax import LINK, WIKI, Scan, splice
from .anchors import shown_anchor
from .context import Context, embed_marker, is_embedded
from .pipeline import add

MAX_DEPTH = 4
_DEFAULT = ["toc", "tables", "fenced_code", "footnotes", "attr_list", "md_in_html", "admonition"]


def embed_html(context: Context, note: Note, anchor: str | None, src: str, link: str) -> str:
    """An embedded note (or its section or block) as HTML for the page `src`; `link` leads to
    the part embedded."""
    stack: list[tuple[str, str]] = context.memo.setdefault("embedding", [])
    page = context.pages.get(src)
    shown = {(page.node, "")} if page is not None and page.node else set()
    key = (note.id, anchor or "")
    if key in stack or key in shown or len(stack) >= MAX_DEPTH:
        context.memo["embeds_cut"] = context.memo.get("embeds_cut", 0) + 1
        why = ("already shown on this page: it embeds itself" if key in stack or key in shown
               else "embedded too deep")
        return _box(link, f'<p class="kb-embed-note">{escape(why)}</p>')
    text = fragment_text(context, note, anchor)
    if text is None:
        what = "block" if anchor and anchor.startswith("^") else "section"
        return _box(link, f'<p class="kb-embed-note">No {what} named '
                          f"{escape(anchor or '')} in this note</p>")
    # A fragment is converted once per place in the site's tree and depth; with it are kept the
    # inputs its conversion read, which every page showing it reads too (`depmap`).
    cache: dict[tuple[str, str, str, int], tuple[str, frozenset[str]]] = \
        context.memo.setdefault("fragments", {})
    cached = (note.id, anchor or "", context.renderer.site.root_from(src), len(stack))
    found = cache.get(cached)
    if found is not None:
        context.read(src, *found[1])
        return _box(link, f'<div class="kb-embed-body">{found[0]}</div>')
    cut = context.memo.get("embeds_cut", 0)
    stack.append(key)
    try:
        with context.reads.apart(src) as read:
            body = _convert(context, len(stack), embed_marker(src) + text)
    finally:
        stack.pop()
    if context.memo.get("embeds_cut", 0) == cut:  # cut short, it depends on the page: not kept
        cache[cached] = (body, frozenset(read))
    return _box(link, f'<div class="kb-embed-body">{body}</div>')


def _box(link: str, inner: str) -> str:
    return f'<div class="kb-embed"><p class="kb-embed-title">{link}</p>{inner}</div>'


def fragment_text(context: Context, note: Note, anchor: str | None) -> str | None:
    """The Markdown of the part of `note` an anchor names (None: no such part), with links to
    the note itself and relative Markdown links rewritten as wikilinks naming their target."""
    scan = note.scan
    if anchor is None:
        bounds: tuple[int, int] | None = (0, len(note.body))
    elif anchor.startswith("^"):
        bounds = scan.block(anchor[1:].strip())
    else:
        bounds = scan.section(anchor)
    if bounds is None:
        return None
    text = note.body[bounds[0]:bounds[1]]
    return _own_links(context, note, text)


def _own_links(context: Context, note: Note, text: str) -> str:
    refs = [r for r in Scan(text).refs if (r.kind == WIKI and not r.target) or r.kind == LINK]
    if not refs:
        return text
    return splice(text, ((ref.start - 1 if ref.embed else ref.start, ref.end,
                          _rewritten(context, note, ref.kind, ref.target, ref.anchor, ref.label,
                                     ref.embed)) for ref in refs))


def _rewritten(context: Context, note: Note, kind: str, target: str, anchor: str | None,
               label: str | None, embed: bool) -> str | None:
    """A link of `note` written so that it names its target from anywhere, or None to keep it."""
    bang = "!" if embed else ""
    if kind == WIKI:  # [[#Heading]] in the note: the note's own heading
        if not anchor:
            return None
        return f"{bang}[[{note.id}#{anchor}|{label or shown_anchor(anchor)}]]"
    rel = posixpath.normpath(posixpath.join(posixpath.dirname(note.path), target))
    if rel.startswith("../") or not target:
        return None
    node = context.kb.index.paths.get(rel)
    name = node or rel
    part = f"#{anchor}" if anchor else ""
    words = f"|{label}" if label and not embed else ""
    return f"{bang}[[{name}{part}{words}]]"


def _convert(context: Context, depth: int, text: str) -> str:
    """`text` as HTML, by the converter of this nesting depth (made once, reset each time)."""
    converters: dict[int, Markdown] = context.memo.setdefault("converters", {})
    md = converters.get(depth)
    if md is None:
        make = context.converter or default_converter(context)
        md = converters[depth] = make()
    md.reset()
    return md.convert(text)


def default_converter(context: Context) -> Callable[[], Markdown]:
    """Without a host's converter: Python-Markdown with the common extensions and ours."""
    from . import EXTENSIONS

    options = {"context": context, "root": str(context.root),
               "directory_urls": context.directory_urls}
    return lambda: Markdown(extensions=[*_DEFAULT, *EXTENSIONS],
                            extension_configs={name: dict(options) for name in EXTENSIONS})


class EmbeddedTreeprocessor(Treeprocessor):
    """In an embed, headings keep no id and no permalink (`¶`): the page has its own."""

    def run(self, root: etree.Element) -> None:
        if not is_embedded(self.md):
            return
        for element in root.iter():
            if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                element.attrib.pop("id", None)
                for child in list(element):
                    if "headerlink" in (child.get("class") or ""):
                        if child.tail:
                            _append_text(element, child, child.tail)
                        element.remove(child)


def _append_text(parent: etree.Element, child: etree.Element, text: str) -> None:
    """Keep the words after `child` when it is removed."""
    children = list(parent)
    at = children.index(child)
    if at == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = children[at - 1]
        previous.tail = (previous.tail or "") + text


def register(md: Markdown) -> None:
    """What the wikilinks extension adds for embeds."""
    add(md, "treeprocessors", "kb_embedded", EmbeddedTreeprocessor(md))
