"""HTML fragments of note pages: the header card, the body with wikilinks resolved, backlinks.

Everything taken from front matter or arXiv goes through `esc` (HTML-escaped): a title such as
`<img src=x onerror=alert(1)>` renders as text. Links are computed here, relative to the page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape, unescape
from typing import Any

from markdown.extensions.toc import slugify as heading_slug

from ..arxiv.ids import parse_bare
from ..demos import DEMO_OPEN
from ..graph import backlinks, outlinks
from ..model import Note, as_list
from ..notes.ids import slug
from ..refs import body_refs
from ..schema import AUTHOR_FIELD, DATE_FIELDS, DONE_STATUSES, KNOWN_FIELDS, PLAN
from .urls import SiteMap

# How a backlink group is titled on the target's page, by edge type.
BACKLINK_TITLES = {
    "concept": "Papers about this concept",
    "prerequisite": "Concepts that build on this",
    "paper": "Concepts citing this paper",
    "related": "Related from",
    "item": "In study plans",
    "wikilink": "Mentioned in",
    "link": "Linked from",
    "author": "Papers",
}


# Where the non-indexed part of a card goes (filled in the final page by the plugin).
CARD_SLOT = '<div class="kb-card-slot"></div>'


def esc(value: Any) -> str:
    return escape(str(value), quote=True)


@dataclass(slots=True)
class BrokenLink:
    """A wikilink that resolved to nothing, reported as a build warning."""

    path: str
    line: int
    target: str


@dataclass(slots=True)
class Renderer:
    """Renders the pieces of pages for one site map; collects broken links as it goes."""

    site: SiteMap
    broken: list[BrokenLink] = field(default_factory=list)

    # --- small pieces ---------------------------------------------------------------------
    def link(self, from_src: str, node: str, label: str | None = None, anchor: str | None = None,
             cls: str = "kb-link") -> str:
        title = self.site.kb.graph.nodes[node]["title"] if node in self.site.kb.graph else node
        href = self.site.href(from_src, self.site.url_of(node), anchor)
        return f'<a class="{cls}" href="{esc(href)}">{esc(label if label is not None else title)}</a>'

    def status_badge(self, status: str | None) -> str:
        if not status:
            return ""
        done = " kb-done" if status in DONE_STATUSES else ""
        return f'<span class="kb-status kb-status-{esc(status)}{done}">{esc(status)}</span>'

    def node_item(self, from_src: str, node: str, kind: bool = True) -> str:
        data = self.site.kb.graph.nodes[node]
        shown = f' <span class="kb-kind">{esc(data["kind"])}</span>' if kind else ""
        return f'<li>{self.link(from_src, node)}{shown} {self.status_badge(data["status"])}</li>'

    def node_list(self, from_src: str, nodes: Iterable[str], kind: bool = True) -> str:
        items = "".join(self.node_item(from_src, node, kind) for node in nodes)
        return f'<ul class="kb-list">{items}</ul>' if items else ""

    # --- the header card ------------------------------------------------------------------
    def card(self, note: Note | None, node: str, src: str) -> tuple[str, str]:
        """The header card, in two parts: what search should index (title, authors, tags,
        abstract; around CARD_SLOT) and the rest (badges, links, relations, fields), which the
        plugin puts in the slot after indexing."""
        kb = self.site.kb
        data = kb.graph.nodes[node]
        kind = data["kind"]
        meta = note.meta if note is not None else {}
        indexed = [f'<div class="kb-card kb-kind-{esc(kind)}" data-kb-node="{esc(node)}">',
                   f'<h1 class="kb-title">{esc(data["title"])}</h1>']
        byline = []
        names = [n for n in as_list(meta.get(AUTHOR_FIELD)) if isinstance(n, str) and n.strip()]
        if names:
            byline.append(", ".join(self.link(src, kb.index.author_id(n), n.strip(), cls="kb-author")
                                    for n in names))
        for key in ("year", "venue"):
            if meta.get(key) not in (None, ""):
                byline.append(f'<span class="kb-{key}">{esc(meta[key])}</span>')
        if byline:
            indexed.append(f'<p class="kb-byline">{" · ".join(byline)}</p>')
        tags = [str(t) for t in as_list(meta.get("tags")) if str(t).strip()]
        if tags:
            indexed.append('<p class="kb-tags">' + " ".join(
                f'<a class="kb-tag" href="{esc(self.site.href(src, self.site.url_of_src(tag_src(t))))}">'
                f"#{esc(t)}</a>" for t in tags) + "</p>")
        indexed.append(CARD_SLOT)
        if meta.get("abstract"):
            indexed.append(f'<details class="kb-abstract"><summary>Abstract</summary>'
                           f'<p>{esc(meta["abstract"])}</p></details>')
        indexed.append("</div>")

        badges = [f'<span class="kb-kind">{esc("study plan" if kind == PLAN else kind)}</span>',
                  self.status_badge(data["status"])]
        if meta.get("priority"):
            badges.append(f'<span class="kb-priority kb-priority-{esc(meta["priority"])}">'
                          f'{esc(meta["priority"])} priority</span>')
        rest = [f'<p class="kb-badges">{" ".join(b for b in badges if b)}</p>',
                self._external_links(meta), self._relations(note, src)]
        if kind == PLAN and note is not None:
            rest.append(self._plan(note, src))
        rest.append(self._extra_fields(meta))
        if note is not None:
            dates = " · ".join(f"{key} {esc(meta[key])}" for key in DATE_FIELDS
                               if key in ("created", "added", "started", "finished", "due")
                               and meta.get(key))
            rest.append(f'<p class="kb-source"><code>{esc(note.path)}</code>'
                        f'{" · " + dates if dates else ""}</p>')
        return "\n".join(indexed), "\n".join(p for p in rest if p)

    def _external_links(self, meta: dict) -> str:
        links = []
        arxiv = meta.get("arxiv")
        parsed = parse_bare(arxiv) if isinstance(arxiv, str) else None
        if parsed is not None:
            links.append(f'<a class="kb-ext" href="{esc(parsed.abs_url)}">arXiv {esc(parsed)}</a>')
            pdf = meta.get("pdf_url") or f"https://arxiv.org/pdf/{parsed}"
            links.append(f'<a class="kb-ext" href="{esc(pdf)}">PDF</a>')
        if meta.get("doi"):
            links.append(f'<a class="kb-ext" href="https://doi.org/{esc(meta["doi"])}">'
                         f'doi:{esc(meta["doi"])}</a>')
        url = meta.get("url")
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            links.append(f'<a class="kb-ext" href="{esc(url)}">{esc(_host(url))}</a>')
        return f'<p class="kb-links">{" · ".join(links)}</p>' if links else ""

    def _relations(self, note: Note | None, src: str) -> str:
        if note is None:
            return ""
        rows = []
        related = outlinks(self.site.kb.graph, note.id)
        for edge, label in (("concept", "Concepts"), ("prerequisite", "Prerequisites"),
                            ("paper", "Papers"), ("related", "Related")):
            targets = related.get(edge)
            if targets:
                rows.append(f"<dt>{label}</dt><dd>"
                            + ", ".join(self.link(src, t) for t in targets) + "</dd>")
        return f'<dl class="kb-relations">{"".join(rows)}</dl>' if rows else ""

    def _plan(self, note: Note, src: str) -> str:
        from .study import plan_card_html  # goal, rule, due, progress with quotas, groups

        return plan_card_html(self, note, src)

    def _extra_fields(self, meta: dict) -> str:
        rows = [f"<tr><th>{esc(key)}</th><td>{esc(_show(value))}</td></tr>"
                for key, value in meta.items()
                if key not in KNOWN_FIELDS and not str(key).startswith("_")]
        return f'<table class="kb-extra"><tbody>{"".join(rows)}</tbody></table>' if rows else ""

    # --- the body -------------------------------------------------------------------------
    def body(self, note: Note) -> tuple[str, list[str]]:
        """The note's Markdown with each wikilink replaced by a placeholder word, and the HTML
        of each link (broken ones marked) for `fill_links` to put back after conversion.

        Plain words cost Markdown nothing, where inline HTML costs ~40% of its time."""
        text = note.body
        pieces: list[str] = []
        links: list[str] = []
        position = 0
        for ref in body_refs(text, note.body_line):
            if ref.kind != "wikilink" or not ref.target:
                continue
            if ref.is_attachment:
                continue
            start = ref.start - 1 if ref.embed else ref.start
            pieces.append(text[position:start])
            target = self.site.kb.index.resolve_name(ref.target)
            if target is None or target not in self.site.kb.graph:
                self.broken.append(BrokenLink(note.path, ref.line, ref.target))
                links.append(f'<span class="kb-broken" title="No note named this">'
                             f"{esc(ref.label or ref.target)}</span>")
            else:
                label = ref.label if ref.label else (None if ref.target == target else ref.target)
                anchor = heading_slug(ref.anchor, "-") if ref.anchor else None
                links.append(self.link(note.path, target, label, anchor))
            pieces.append(placeholder(len(links) - 1))
            position = ref.end
        pieces.append(text[position:])
        return DEMO_OPEN.sub(r'\1\2python title="Demo"', "".join(pieces)), links

    # --- backlinks ------------------------------------------------------------------------
    def backlinks(self, node: str, src: str, skip: Iterable[str] = ()) -> str:
        groups = backlinks(self.site.kb.graph, node)
        parts = []
        for edge, sources in groups.items():
            if edge in skip:
                continue
            parts.append(f'<div class="kb-backlink-group"><h3>{esc(BACKLINK_TITLES.get(edge, edge))}'
                         f"</h3>{self.node_list(src, sources, kind=False)}</div>")
        if not parts:
            parts.append('<p class="kb-empty">Nothing links here yet.</p>')
        return ('<section class="kb-backlinks"><h2 id="backlinks">Backlinks</h2>'
                + "".join(parts) + "</section>")

    def local_graph(self, node: str) -> str:
        return f'<div class="kb-local-graph" data-kb-node="{esc(node)}" aria-label="Local graph"></div>'


_PLACEHOLDER = re.compile(r"kbref(\d{6})ref")


def placeholder(number: int) -> str:
    """A word Markdown leaves alone, standing for the link of that number."""
    return f"kbref{number:06d}ref"


def fill_links(html: str, links: list[str]) -> str:
    """Put the links back in place of their placeholders. Inside attributes (the `id` of a
    heading holding a link, and `#` links to it) a placeholder becomes the link text's slug."""
    if not links:
        return html
    html = _IN_ATTRIBUTE.sub(lambda m: m.group(1) + fill_text(m.group(2), links, slug=True) + '"', html)
    return _PLACEHOLDER.sub(lambda m: _nth(links, m, lambda link: link), html)


def fill_text(text: str, links: list[str], slug: bool = False) -> str:
    """Placeholders replaced by the links' plain text (or its slug, for ids)."""
    def plain(link: str) -> str:
        words = _TAGS.sub("", link)
        return heading_slug(unescape(words), "-") if slug else words

    return _PLACEHOLDER.sub(lambda m: _nth(links, m, plain), text)


def _nth(links: list[str], match: re.Match[str], render: Callable[[str], str]) -> str:
    number = int(match.group(1))
    return render(links[number]) if number < len(links) else match.group(0)


_IN_ATTRIBUTE = re.compile(r'((?:id|href)="#?)([^"<>]*kbref\d{6}ref[^"<>]*)"')
_TAGS = re.compile(r"<[^>]+>")


def tag_src(tag: str) -> str:
    return f"tags/{slug(tag)}.md"


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0]


def _show(value: Any) -> str:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def front_matter(title: str, **extra: Any) -> str:
    """The YAML block a generated page starts with; the title is HTML-escaped because themes
    print `page.title` unescaped."""
    lines = [f"title: {json.dumps(escape(title), ensure_ascii=False)}"]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in extra.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"

