"""Every page of the site as Markdown, generated from the knowledge base (one emitter per kind).

A plain emitter: takes the shared context and returns page sources; any host (the MkDocs plugin,
`kb emit`) hands them to its Markdown. Cards and footers come from the `cards` extension.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from .. import reports
from ..graph import backlinks
from ..model import Note, as_list
from ..schema import AUTHOR, CONCEPT, DONE_STATUSES, NOTE, PAPER, PLAN
from ..study.review import due
from ..syntax import plain_title
from .inputs import FIELD, LISTING, NODE, SUGGESTIONS, key, own_page
from .markdown.context import Context, Page, page_marker
from .render import Renderer, esc, md_text, page_meta, table_html, tag_src, year_of
from .study import NEXT_ON_HOME, build_plans, chart_html, next_html, plans_html, ranked, reviews_html
from .urls import (
    AUTHORS_INDEX,
    CONCEPTS_INDEX,
    GRAPH,
    HOME,
    NOTES_INDEX,
    PAPERS_INDEX,
    READING,
    SUGGESTED,
    TAGS_INDEX,
)


@dataclass(slots=True)
class GeneratedPage:
    """A page source for the host: Markdown starting with the page marker, and the page's
    metadata (title, description, what the theme hides) as values: no front matter for the
    host to parse back. The card and the footer (backlinks, long lists) are added by the `cards`
    extension from the context."""

    src: str  # page source path in the site (e.g. papers/x.md)
    markdown: str
    edit_path: str | None = None  # the real file, relative to the root, for edit links
    meta: dict[str, Any] = field(default_factory=dict)


def emit(ctx: Context, only: set[str] | None = None) -> list[GeneratedPage]:
    """Every page of the site (or those whose source is in `only`), registered on the context so
    the extensions can draw their cards and footers."""
    makers = page_makers(ctx)
    wanted = makers if only is None else {src: makers[src] for src in only if src in makers}
    return [make() for make in wanted.values()]


def page_makers(ctx: Context) -> dict[str, Callable[[], GeneratedPage]]:
    """Each page's source and how to make it (made once per context: nothing is drawn yet)."""
    found: dict[str, Callable[[], GeneratedPage]] | None = ctx.memo.get("makers")
    if found is not None:
        return found
    r: Renderer = ctx.renderer
    kb = ctx.kb
    makers: dict[str, Callable[[], GeneratedPage]] = {}
    edits: dict[str, str] = ctx.memo.setdefault("edit-paths", {})
    for node, data in kb.graph.nodes(data=True):
        note = kb.note(node)
        if note is not None:
            src = r.site.src_of(node)
            makers[src], edits[src] = functools.partial(note_page, ctx, note), note.path
        elif data["kind"] == AUTHOR:
            makers[r.site.src_of(node)] = functools.partial(author_page, ctx, None, node)
    makers.update(listings(ctx))  # never a note's: notes named like them are moved aside
    ctx.memo["makers"] = makers
    return makers


def edit_path(ctx: Context, src: str) -> str | None:
    """The note file behind the page `src` (for edit links), None for generated pages."""
    page_makers(ctx)
    found: dict[str, str] = ctx.memo["edit-paths"]
    return found.get(src)


# --- notes ------------------------------------------------------------------------------------

def note_page(ctx: Context, note: Note) -> GeneratedPage:
    if note.kind == AUTHOR:
        return author_page(ctx, note, note.id)
    src = ctx.renderer.site.src_of(note.id)
    ctx.read(src, *own_page(note))
    ctx.pages[src] = Page(src, note.id, lambda: ctx.footer_of(note.id, src))
    return GeneratedPage(src, page_marker(src) + note.body, note.path,
                         _meta(ctx, plain_title(note.title), note))


def author_page(ctx: Context, note: Note | None, node: str) -> GeneratedPage:
    """An author: the user's note if any, then their papers with status."""
    r, kb = ctx.renderer, ctx.kb
    src = r.site.src_of(node)
    name = kb.graph.nodes[node]["title"]
    ctx.read(src, NODE + node, *(own_page(note) if note is not None else ()))

    def footer() -> str:
        papers = sorted(backlinks(kb.graph, node).get("author", []),
                        key=lambda p: (-year_of(kb.note(p)), kb.graph.nodes[p]["title"].lower()))
        ctx.read(src, *(k for p in papers for k in (key(FIELD, p, "year"), NODE + p)))
        rows = "".join(
            f"<tr><td>{r.link(src, p)}</td><td>{esc(year_of(kb.note(p)) or '')}</td>"
            f"<td>{r.status_badge(kb.graph.nodes[p]['status'])}</td></tr>" for p in papers)
        table = (f'<h2 id="papers">Papers ({len(papers)})</h2>\n' + table_html(
            "<th>Title</th><th>Year</th><th>Status</th>", rows) if papers else "")
        return table + ctx.footer_of(node, src, skip=("author",))

    ctx.pages[src] = Page(src, node, footer)
    body = note.body if note is not None else ""
    return GeneratedPage(src, page_marker(src) + body, note.path if note else None,
                         _meta(ctx, name, note))


def _meta(ctx: Context, title: str, note: Note | None) -> dict[str, Any]:
    return page_meta(title, description=escape(ctx.renderer.description(note) or title))


def listings(ctx: Context) -> dict[str, Callable[[], GeneratedPage]]:
    """The generated pages that are not notes: indexes, tags, dashboards, the graph."""
    makers: dict[str, Callable[[], GeneratedPage]] = {
        HOME: lambda: home_page(ctx), READING: lambda: reading_page(ctx),
        GRAPH: lambda: graph_page(ctx), PAPERS_INDEX: lambda: papers_index(ctx),
        CONCEPTS_INDEX: lambda: concepts_index(ctx), NOTES_INDEX: lambda: notes_index(ctx),
        AUTHORS_INDEX: lambda: authors_index(ctx), TAGS_INDEX: lambda: tags_index(ctx),
        SUGGESTED: lambda: suggested_page(ctx)}
    for tag in tagged(ctx):
        makers[tag_src(tag)] = functools.partial(tag_page, ctx, tag)
    return makers


def tagged(ctx: Context) -> dict[str, list[Note]]:
    """Each tag's notes, computed once per build (every tag page, the index and the home use it)."""
    found = ctx.memo.get("tagged")
    if found is None:
        found = ctx.memo["tagged"] = reports.tags(ctx.kb)
    return found


# --- lists ------------------------------------------------------------------------------------

def papers_index(ctx: Context) -> GeneratedPage:
    """All papers as a table, sortable and filterable in the browser by status and tag."""
    r = ctx.renderer
    kb, src = r.site.kb, PAPERS_INDEX
    papers = kb.of_kind(PAPER)
    statuses = sorted({p.status for p in papers if p.status})
    tags = sorted({t for p in papers for t in p.tags})
    rows = []
    for p in papers:
        authors = [a for a in as_list(p.meta.get("authors")) if isinstance(a, str)]
        shown = ", ".join(r.author(src, a) for a in authors[:3])
        if len(authors) > 3:
            shown += f" +{len(authors) - 3}"
        ptags = p.tags
        rows.append(
            f'<tr data-status="{esc(p.status)}" data-tags="{esc("|".join(ptags))}">'
            f"<td>{r.link(src, p.id)}</td><td>{shown}</td><td>{esc(year_of(p) or '')}</td>"
            f"<td>{r.status_badge(p.status)}</td><td>{esc(p.meta.get('priority') or '')}</td>"
            f"<td>{esc(', '.join(ptags))}</td></tr>")
    controls = (
        '<div class="kb-filters" data-kb-filter-for="kb-papers">'
        '<label>Status <select data-kb-filter="status"><option value="">all</option>'
        + "".join(f'<option value="{esc(s)}">{esc(s)}</option>' for s in statuses)
        + '</select></label> <label>Tag <select data-kb-filter="tags"><option value="">all</option>'
        + "".join(f'<option value="{esc(t)}">{esc(t)}</option>' for t in tags)
        + '</select></label> <input type="search" data-kb-filter="text" placeholder="Filter titles…">'
        f' <span class="kb-count" data-kb-count>{len(papers)} papers</span></div>')
    table = table_html("<th>Title</th><th>Authors</th><th>Year</th><th>Status</th><th>Priority</th>"
                   "<th>Tags</th>", "".join(rows), ' id="kb-papers" data-kb-sortable')
    return _listing(ctx, src, "Papers", controls + table, hide_toc=True)  # the table needs the room


def concepts_index(ctx: Context) -> GeneratedPage:
    """Concepts grouped by status, each with its prerequisites."""
    r = ctx.renderer
    kb, src = r.site.kb, CONCEPTS_INDEX
    parts = []
    for status, notes in reports.concepts_by_status(kb).items():
        if not notes:
            continue
        items = []
        for note in notes:
            prereqs = list(kb.prerequisites.successors(note.id))
            needs = (' <span class="kb-needs">needs ' + ", ".join(r.link(src, t) for t in prereqs)
                     + "</span>") if prereqs else ""
            items.append(f"<li>{r.link(src, note.id)}{needs}</li>")
        parts.append(f'<h2 id="{esc(status)}">{esc(status)} ({len(notes)})</h2>\n'
                     f'<ul class="kb-list">{"".join(items)}</ul>\n')
    return _listing(ctx, src, "Concepts", "".join(parts))


def notes_index(ctx: Context) -> GeneratedPage:
    r = ctx.renderer
    kb, src = r.site.kb, NOTES_INDEX
    plans = kb.of_kind(PLAN)
    notes = kb.of_kind(NOTE)
    parts = []
    if plans:
        parts.append('<h2 id="plans">Study plans</h2>' + r.node_list(src, [p.id for p in plans]))
    parts.append(f'<h2 id="all-notes">All notes ({len(notes)})</h2>' + r.node_list(src, [n.id for n in notes]))
    return _listing(ctx, src, "Notes", "".join(parts))


def authors_index(ctx: Context) -> GeneratedPage:
    """Every author, by number of papers in the base; those with a note are marked."""
    r = ctx.renderer
    kb, src = r.site.kb, AUTHORS_INDEX
    authors = [(node, len(backlinks(kb.graph, node).get("author", [])))
               for node, data in kb.graph.nodes(data=True) if data["kind"] == AUTHOR]
    authors.sort(key=lambda item: (-item[1], kb.graph.nodes[item[0]]["title"].lower()))
    note_mark = ' <span class="kb-kind">note</span>'
    items = "".join(
        f'<li>{r.link(src, node)} <span class="kb-count">{count} paper{"s" * (count != 1)}</span>'
        f"{note_mark if kb.note(node) else ''}</li>"
        for node, count in authors)
    return _listing(ctx, src, "Authors", f'<ul class="kb-list">{items}</ul>')


def tag_page(ctx: Context, tag: str) -> GeneratedPage:
    r, src = ctx.renderer, tag_src(tag)
    notes = tagged(ctx).get(tag, [])
    return _listing(ctx, src, f"#{tag}", r.node_list(src, [n.id for n in notes]))


def tags_index(ctx: Context) -> GeneratedPage:
    r = ctx.renderer
    items = "".join(
        f'<li><a class="kb-tag" href="{esc(r.site.href(TAGS_INDEX, r.site.url_of_src(tag_src(t))))}">'
        f"#{esc(t)}</a> <span class=\"kb-count\">{len(n)}</span></li>" for t, n in tagged(ctx).items())
    return _listing(ctx, TAGS_INDEX, "Tags", f'<ul class="kb-tags">{items}</ul>')


# --- dashboards -------------------------------------------------------------------------------

def home_page(ctx: Context) -> GeneratedPage:
    """What to do next first (the order and reasons of `kb next`), then the plans' progress with
    their gaps, what is in progress, reviews due, recently finished, counts, items finished per
    week. A section with nothing to show is left out."""
    r = ctx.renderer
    kb, src = r.site.kb, HOME
    today = ctx.today
    sections = []
    steps = ranked(kb, today)
    if steps:
        sections.append(f'<h2 id="next">What next</h2>{next_html(r, src, steps[:NEXT_ON_HOME])}'
                        f'<p>{r.page_link(src, READING, f"All {len(steps)} in this order")}</p>')
    if build_plans(kb, today):
        sections.append('<h2 id="plans">Study plans</h2>' + plans_html(r, src, kb, today))
    now = reports.in_progress(kb)
    if now:
        sections.append('<h2 id="now">Reading and studying now</h2>' + r.node_list(src, [n.id for n in now]))
    reviews = due(kb, today)
    if reviews:
        sections.append(f'<h2 id="reviews">Reviews due: {len(reviews)}</h2>' + reviews_html(r, src, reviews, today))
    finished = reports.recently_finished(kb)
    if finished:
        sections.append('<h2 id="finished">Recently finished</h2>' + r.node_list(src, [n.id for n, _ in finished]))
    counts = reports.status_counts(kb)
    tiles = []
    for kind, statuses in counts.items():
        cells = "".join(f'<li>{r.status_badge(s)} <strong>{n}</strong></li>' for s, n in statuses.items())
        tiles.append(f'<div class="kb-tile"><h3>{esc(kind.capitalize())}s: {sum(statuses.values())}</h3>'
                     f'<ul class="kb-counts">{cells}</ul></div>')
    authors = sum(1 for _, d in kb.graph.nodes(data=True) if d["kind"] == AUTHOR)
    tiles.append(f'<div class="kb-tile"><h3>Authors: {authors}</h3><p>{len(kb.of_kind(NOTE, PLAN))} notes, '
                 f'{len(tagged(ctx))} tags</p></div>')
    sections.append(f'<h2 id="counts">The base</h2><div class="kb-dashboard">{"".join(tiles)}</div>')
    chart = chart_html(kb, today)
    if chart:
        sections.append('<h2 id="finished-per-week">Finished per week</h2>' + chart)
    sections.append(f'<p><a href="{esc(r.site.href(src, r.site.url_of_src(READING)))}">All reading lists</a> · '
                    f'<a href="{esc(r.site.href(src, r.site.url_of_src(GRAPH)))}">Graph</a></p>')
    return _listing(ctx, src, "Knowledge base", "\n".join(sections), title="Home")


def reading_page(ctx: Context) -> GeneratedPage:
    """Reading lists: in progress, everything open in the order of `kb next` with its reasons,
    each plan's groups with their gaps, items finished per week, and what is done (most recently
    finished first)."""
    r = ctx.renderer
    kb, src = r.site.kb, READING
    today = ctx.today
    parts = []
    now = reports.in_progress(kb)
    if now:
        parts.append('<h2 id="in-progress">In progress</h2>' + r.node_list(src, [n.id for n in now]))
    steps = ranked(kb, today)
    parts.append(f'<h2 id="next">What next ({len(steps)}, in the order of <code>kb next</code>)</h2>'
                 + (next_html(r, src, steps) or '<p class="kb-empty">Nothing left to read or study.</p>'))
    if build_plans(kb, today):
        parts.append('<h2 id="plans">Study plans</h2>' + plans_html(r, src, kb, today, groups=True))
    chart = chart_html(kb, today)
    if chart:
        parts.append('<h2 id="finished-per-week">Finished per week</h2>' + chart)
    finished = [n for n in kb.index.notes.values() if n.status in DONE_STATUSES]
    if finished:
        dated = {n.id: day for n, day in reports.recently_finished(kb, limit=None)}
        finished.sort(key=lambda n: n.title.lower())
        finished.sort(key=lambda n: dated.get(n.id, dt.date.min), reverse=True)
        parts.append(f'<h2 id="done">Done ({len(finished)}), most recently finished first</h2>'
                     + r.node_list(src, [n.id for n in finished]))
    return _listing(ctx, src, "Reading lists", "\n".join(parts))


def suggestions(ctx: Context, shown: int = 30) -> tuple[int, int, list[Any]]:
    """What the Suggested reading page shows: of how many read papers references are stored,
    how many read papers there are, and the suggestions, best first."""
    from ..citations.suggest import choose, stored_for, stored_references, suggest

    store = stored_references(ctx.kb)
    chosen = choose(ctx.kb)
    stored = sum(1 for note in chosen.notes if stored_for(store, note) is not None)
    return stored, len(chosen.notes), suggest(ctx.kb, store, chosen.notes, limit=shown)


def suggested_page(ctx: Context) -> GeneratedPage:
    """Papers outside the base that several read papers cite or that cite several of them, from
    the references `kb fetch --references` stored (the build never asks the network)."""
    from ..identifiers import id_from_key

    r, src = ctx.renderer, SUGGESTED
    ctx.read(src, SUGGESTIONS)
    stored, read, found = suggestions(ctx)
    intro = (f'<p class="kb-count">From the references of {stored} of your {read} '
             "read papers (<code>kb fetch --references</code> stores them; "
             "<code>kb suggest</code> lists the same).</p>")
    if not found:
        return _listing(ctx, src, "Suggested reading", intro + '<p class="kb-empty">No suggestions '
                        "yet: no outside work is cited by two read papers in the stored "
                        "references.</p>")
    items = []
    for item in found:
        ref = id_from_key(item.add_id)
        name = esc(item.known.title if item.known else item.add_id)
        title = f'<a class="kb-ext" href="{esc(ref.url)}">{name}</a>' if ref else name
        byline = f' <span class="kb-count">{esc(item.known.byline)}</span>' if item.known else ""
        reasons = []
        for verb, notes in (("cited by", item.cited_by), ("cites", item.cites)):
            if notes:
                reasons.append(f"{verb} {len(notes)} of your read papers: "
                               + ", ".join(r.link(src, n) for n in notes))
        items.append(f"<li>{title}{byline}<br><code>kb add {esc(item.add_id)}</code>"
                     f'<br><span class="kb-needs">{"; ".join(reasons)}</span></li>')
    return _listing(ctx, src, "Suggested reading", intro + f'<ol class="kb-list">{"".join(items)}</ol>')


def graph_page(ctx: Context) -> GeneratedPage:
    """The whole graph: papers, concepts, notes and plans; authors behind a toggle."""
    kinds = "".join(
        f'<label><input type="checkbox" data-kb-kind="{k}"{"" if k == AUTHOR else " checked"}> '
        f'<span class="kb-swatch kb-swatch-{k}"></span>{k}s</label> '
        for k in (PAPER, CONCEPT, NOTE, PLAN, AUTHOR))
    controls = (
        '<div class="kb-graph-controls"><label>Find <input type="search" data-kb-graph-search '
        'placeholder="a title…" list="kb-graph-titles"></label><datalist id="kb-graph-titles"></datalist> '
        f'{kinds}<label>Status <select data-kb-graph-status><option value="">all</option>'
        '<option value="open">not done</option><option value="done">done</option></select></label>'
        '<span class="kb-zoom"><button type="button" data-kb-zoom="in" aria-label="Zoom in">+</button>'
        '<button type="button" data-kb-zoom="out" aria-label="Zoom out">−</button>'
        '<button type="button" data-kb-zoom="fit">Fit</button></span></div>')
    graph = ('<div class="kb-global-graph" role="group" aria-label="Graph of the notes: papers, concepts '
             'and notes linked by their relations"></div>'
             '<p class="kb-graph-help">Drag to move, pinch or Ctrl + wheel to zoom (the wheel alone '
             'scrolls the page), hover a node to see its neighbours, click to open it. With the '
             'keyboard: Tab into the graph, arrow keys move between nodes, Enter opens one, + and − '
             'zoom, 0 fits the graph.</p>')
    return _listing(ctx, GRAPH, "Graph", controls + graph, hide_toc=True)


def _listing(ctx: Context, src: str, heading: str, html: str, title: str | None = None,
             hide_toc: bool = False) -> GeneratedPage:
    """A generated list page: a Markdown heading, then HTML kept out of Markdown and search."""
    extra: dict[str, object] = {"hide": ["toc"]} if hide_toc else {}
    ctx.read(src, *LISTING)
    ctx.pages[src] = Page(src, None, lambda: html)
    return GeneratedPage(src, page_marker(src) + f"# {md_text(heading)}\n",
                         meta=page_meta(title or heading, description=escape(heading), **extra))
