"""Small HTML pieces every page uses: links between pages, status badges, lists of notes,
a note's one-sentence description, safe external URLs.

Everything taken from front matter or arXiv goes through `esc` (HTML-escaped): a title such as
`<img src=x onerror=alert(1)>` renders as text, and only http(s), mailto or relative URLs reach
an href (`safe_urls`: the rule the note pages' sanitiser applies too).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from ..base import KnowledgeBase
from ..model import Note
from ..notes.ids import slug
from ..schema import DONE_STATUSES
from ..syntax import MATH, Piece, first_sentence_of, plain_title
from .depmap import Reads
from .inputs import AUTHOR, NODE, TITLE
from .safe_urls import safe_url
from .urls import SiteMap

__all__ = ["Renderer", "esc", "note_title", "page_meta", "reading_html", "safe_url", "tag_src"]


def esc(value: Any) -> str:
    return escape(str(value), quote=True)


@dataclass(slots=True)
class Renderer:
    """Renders the pieces of pages for one site map."""

    site: SiteMap
    today: dt.date  # the build's day (`Context.today`): review dates, plan cards
    reads: Reads = field(default_factory=Reads)  # links and items drawn, as each page's inputs
    _links: dict[tuple[str, str, str], str] = field(default_factory=dict, repr=False)
    # Each note's description, by id: the page's head and the dependency map's digest both ask.
    _descriptions: dict[tuple[str, int], str] = field(default_factory=dict, repr=False)

    def link(self, from_src: str, node: str, label: str | None = None, anchor: str | None = None,
             cls: str = "kb-link") -> str:
        self.reads.add(from_src, TITLE + node)
        if label is None and anchor is None:  # the common case, the same from every page at a depth
            key = (self.site.root_from(from_src), node, cls)
            found = self._links.get(key)
            if found is None:
                found = self._links[key] = self._link(from_src, node, None, None, cls)
            return found
        return self._link(from_src, node, label, anchor, cls)

    def _link(self, from_src: str, node: str, label: str | None, anchor: str | None, cls: str) -> str:
        graph = self.site.kb.graph
        title = graph.nodes[node]["title"] if node in graph else node
        href = self.site.href(from_src, self.site.url_of(node), anchor)
        return f'<a class="{cls}" href="{esc(href)}">{esc(label if label is not None else title)}</a>'

    def author(self, from_src: str, name: str) -> str:
        """An author as a byline shows them: linked to their page, or as text when the name has
        none (a surname that names nobody, `Index.author_node`; a name past MAX_AUTHOR_NODES)."""
        self.reads.add(from_src, AUTHOR + name)
        node = self.site.kb.index.author_node(name)
        if node is None or node not in self.site.kb.graph:  # a surname alone; or past MAX_AUTHOR_NODES
            return f'<span class="kb-author">{esc(name.strip())}</span>'
        return self.link(from_src, node, name.strip(), cls="kb-author")

    def page_link(self, from_src: str, to_src: str, label: str) -> str:
        return f'<a href="{esc(self.site.href(from_src, self.site.url_of_src(to_src)))}">{esc(label)}</a>'

    def status_badge(self, status: str | None) -> str:
        if not status:
            return ""
        done = " kb-done" if status in DONE_STATUSES else ""
        return f'<span class="kb-status kb-status-{esc(status)}{done}">{esc(status)}</span>'

    def node_item(self, from_src: str, node: str, kind: bool = True, extra: str = "") -> str:
        self.reads.add(from_src, NODE + node)
        data = self.site.kb.graph.nodes[node]
        shown = f' <span class="kb-kind">{esc(data["kind"])}</span>' if kind else ""
        return f'<li>{self.link(from_src, node)}{shown} {self.status_badge(data["status"])}{extra}</li>'

    def node_list(self, from_src: str, nodes: Iterable[str], kind: bool = True) -> str:
        items = "".join(self.node_item(from_src, node, kind) for node in nodes)
        return f'<ul class="kb-list">{items}</ul>' if items else ""

    def description(self, note: Note | None, length: int = 200) -> str:
        """The note's first sentence (a paper's abstract's, when it has one), as plain text."""
        if note is None:
            return ""
        key = (note.id, length)
        found = self._descriptions.get(key)
        if found is None:
            abstract = note.meta.get("abstract")
            found = self._descriptions[key] = first_sentence_of(str(abstract), length) if abstract \
                else note.scan.first_sentence(self.title_of, length)
        return found

    def title_of(self, name: str) -> str | None:
        return note_title(self.site.kb, name)


def note_title(kb: KnowledgeBase, name: str) -> str | None:
    """The title of the note a wikilink names, or None when it names none."""
    node = kb.index.resolve_name(name)
    note = kb.note(node) if node else None
    return plain_title(note.title) if note is not None else None


def reading_html(found: Iterable[Piece]) -> str:
    """Reading pieces as HTML: words escaped, formulas as the site's math spans (typeset in the
    browser like the page's own)."""
    return "".join(f'<span class="arithmatex">\\({esc(piece.text)}\\)</span>' if piece.kind == MATH
                   else esc(piece.text) for piece in found)


def tag_src(tag: str) -> str:
    return f"tags/{slug(tag)}.md"


def page_meta(title: str, **extra: Any) -> dict[str, Any]:
    """A generated page's metadata, handed to the host as values (a YAML block it would parse
    back cost a pure-Python YAML parse per page); the title is HTML-escaped because themes print
    `page.title` unescaped."""
    return {"title": escape(title), **extra}


def table_html(head: str, rows: str, attributes: str = "") -> str:
    """A table the theme styles (no class) inside the theme's scrolling wrapper."""
    return ('<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
            f"<table{attributes}><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            "</div></div>")


def md_text(text: str) -> str:
    """Text safe inside a Markdown heading: HTML-escaped, Markdown punctuation backslashed."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|])", r"\\\1", escape(text, quote=False))


def year_of(note: Note | None) -> int:
    if note is None:
        return 0
    value = note.meta.get("year")
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0
