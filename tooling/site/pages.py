"""Every page of the site as Markdown, generated from the knowledge base (one emitter per kind).

Pure: takes the KnowledgeBase and returns pages; the MkDocs plugin only hands them to MkDocs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from html import escape

from .. import reports
from ..base import KnowledgeBase
from ..graph import backlinks
from ..model import Note, as_list
from ..schema import AUTHOR, AUTHORS_DIR, CONCEPT, DONE_STATUSES, EDGE_TYPES, NOTE, PAPER, PLAN
from .render import Renderer, esc, front_matter, tag_src
from .study import chart_html, dashboard_markdown, plans_html, review_html
from .urls import SiteMap

HOME, READING, GRAPH = "index.md", "reading.md", "graph.md"
PAPERS_INDEX, CONCEPTS_INDEX = "papers/index.md", "concepts/index.md"
NOTES_INDEX, AUTHORS_INDEX, TAGS_INDEX = "notes/index.md", f"{AUTHORS_DIR}/index.md", "tags/index.md"

_MARKUP = re.compile(r"```.*?```|~~~.*?~~~|<[^>]+>|!\[[^\]]*\]\([^)]*\)|[#>*_`|\[\]]", re.DOTALL)


@dataclass(slots=True)
class GeneratedPage:
    """A page: Markdown for MkDocs, plus HTML placed around it after conversion.

    The HTML never goes through Markdown (whose raw-HTML parsing would dominate build time):
    `header` is put before the converted body and is indexed by search (the card: title, authors,
    tags); `footer` (backlinks, graphs, long lists) is put in the final page, outside the index.
    """

    src: str  # page source path in the site (e.g. papers/x.md)
    markdown: str
    edit_path: str | None = None  # the real file, relative to the root, for edit links
    header: str = ""
    footer: str = ""
    card_rest: str = ""  # goes into the header's CARD_SLOT in the final page
    links: list[str] = field(default_factory=list)  # HTML of the body's placeholder links


def generate(kb: KnowledgeBase, directory_urls: bool = True) -> tuple[list[GeneratedPage], Renderer]:
    """All pages of the site. The renderer carries the broken links found on the way."""
    site = SiteMap(kb, directory_urls)
    r = Renderer(site)
    notes = [note_page(r, note) for note in kb.index.notes.values()]
    generated = [author_page(r, None, node) for node, data in kb.graph.nodes(data=True)
                 if data["kind"] == AUTHOR and node not in kb.index.notes]
    generated += [home_page(r), reading_page(r), graph_page(r), papers_index(r), concepts_index(r),
                  notes_index(r), authors_index(r), *tag_pages(r)]
    # A note at a generated page's path wins: the index yields to the user's own page.
    taken = {page.src for page in notes}
    return notes + [page for page in generated if page.src not in taken], r


# --- notes ------------------------------------------------------------------------------------

def note_page(r: Renderer, note: Note) -> GeneratedPage:
    if note.kind == AUTHOR:
        return author_page(r, note, note.id)
    src = note.path
    header, card_rest = r.card(note, note.id, src)
    if note.kind == CONCEPT:
        card_rest += review_html(r.site.kb, note, dt.date.today())
    body, links = r.body(note)
    return GeneratedPage(src, front_matter(note.title) + body, note.path, header=header,
                         footer=r.backlinks(note.id, src) + r.local_graph(note.id),
                         card_rest=card_rest, links=links)


def author_page(r: Renderer, note: Note | None, node: str) -> GeneratedPage:
    """An author: the user's note if any, then their papers with status."""
    kb = r.site.kb
    src = r.site.src_of(node)
    name = kb.graph.nodes[node]["title"]
    papers = sorted(
        backlinks(kb.graph, node).get("author", []),
        key=lambda p: (-_year(kb.note(p)), kb.graph.nodes[p]["title"].lower()),
    )
    rows = "".join(
        f"<tr><td>{r.link(src, p)}</td><td>{esc(_year(kb.note(p)) or '')}</td>"
        f"<td>{r.status_badge(kb.graph.nodes[p]['status'])}</td></tr>" for p in papers)
    table = (f'<h2 id="papers">Papers ({len(papers)})</h2>\n<table class="kb-table"><thead><tr>'
             f"<th>Title</th><th>Year</th><th>Status</th></tr></thead><tbody>{rows}</tbody></table>"
             if papers else "")
    body, links = r.body(note) if note is not None else (
        f'<p class="kb-empty">No note about {esc(name)} yet: write '
        f"<code>{esc(AUTHORS_DIR)}/{esc(node)}.md</code> to add one.</p>", [])
    header, card_rest = r.card(note, node, src)
    return GeneratedPage(src, front_matter(name) + body, note.path if note is not None else None,
                         header=header, card_rest=card_rest, links=links,
                         footer=table + r.backlinks(node, src, skip=("author",)) + r.local_graph(node))


# --- lists ------------------------------------------------------------------------------------

def papers_index(r: Renderer) -> GeneratedPage:
    """All papers as a table, sortable and filterable in the browser by status and tag."""
    kb, src = r.site.kb, PAPERS_INDEX
    papers = kb.of_kind(PAPER)
    statuses = sorted({p.status for p in papers if p.status})
    tags = sorted({str(t) for p in papers for t in as_list(p.meta.get("tags"))})
    rows = []
    for p in papers:
        authors = [a for a in as_list(p.meta.get("authors")) if isinstance(a, str)]
        shown = ", ".join(r.link(src, kb.index.author_id(a), a, cls="kb-author") for a in authors[:3])
        if len(authors) > 3:
            shown += f" +{len(authors) - 3}"
        ptags = [str(t) for t in as_list(p.meta.get("tags"))]
        rows.append(
            f'<tr data-status="{esc(p.status)}" data-tags="{esc("|".join(ptags))}">'
            f"<td>{r.link(src, p.id)}</td><td>{shown}</td><td>{esc(_year(p) or '')}</td>"
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
    table = ('<table class="kb-table kb-sortable" id="kb-papers"><thead><tr><th>Title</th>'
             "<th>Authors</th><th>Year</th><th>Status</th><th>Priority</th><th>Tags</th></tr></thead>"
             f"<tbody>{''.join(rows)}</tbody></table>")
    return _listing(src, "Papers", controls + table)


def concepts_index(r: Renderer) -> GeneratedPage:
    """Concepts grouped by status, each with its prerequisites."""
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
    return _listing(src, "Concepts", "".join(parts))


def notes_index(r: Renderer) -> GeneratedPage:
    kb, src = r.site.kb, NOTES_INDEX
    plans = kb.of_kind(PLAN)
    notes = kb.of_kind(NOTE)
    parts = []
    if plans:
        parts.append('<h2 id="plans">Study plans</h2>' + r.node_list(src, [p.id for p in plans]))
    parts.append(f'<h2 id="all-notes">All notes ({len(notes)})</h2>' + r.node_list(src, [n.id for n in notes]))
    return _listing(src, "Notes", "".join(parts))


def authors_index(r: Renderer) -> GeneratedPage:
    """Every author, by number of papers in the base; those with a note are marked."""
    kb, src = r.site.kb, AUTHORS_INDEX
    authors = [(node, len(backlinks(kb.graph, node).get("author", [])))
               for node, data in kb.graph.nodes(data=True) if data["kind"] == AUTHOR]
    authors.sort(key=lambda item: (-item[1], kb.graph.nodes[item[0]]["title"].lower()))
    note_mark = ' <span class="kb-kind">note</span>'
    items = "".join(
        f'<li>{r.link(src, node)} <span class="kb-count">{count} paper{"s" * (count != 1)}</span>'
        f"{note_mark if kb.note(node) else ''}</li>"
        for node, count in authors)
    return _listing(src, "Authors", f'<ul class="kb-list">{items}</ul>')


def tag_pages(r: Renderer) -> list[GeneratedPage]:
    kb = r.site.kb
    tagged = reports.tags(kb)
    pages = []
    for tag, notes in tagged.items():
        src = tag_src(tag)
        pages.append(_listing(src, f"#{tag}", r.node_list(src, [n.id for n in notes])))
    items = "".join(
        f'<li><a class="kb-tag" href="{esc(r.site.href(TAGS_INDEX, r.site.url_of_src(tag_src(t))))}">'
        f"#{esc(t)}</a> <span class=\"kb-count\">{len(n)}</span></li>" for t, n in tagged.items())
    pages.append(_listing(TAGS_INDEX, "Tags", f'<ul class="kb-tags">{items}</ul>'))
    return pages


# --- dashboards -------------------------------------------------------------------------------

def home_page(r: Renderer) -> GeneratedPage:
    """Counts by status, what is in progress, what is next, recently finished, plans."""
    kb, src = r.site.kb, HOME
    counts = reports.status_counts(kb)
    tiles = []
    for kind, statuses in counts.items():
        cells = "".join(f'<li>{r.status_badge(s)} <strong>{n}</strong></li>' for s, n in statuses.items())
        tiles.append(f'<div class="kb-tile"><h3>{esc(kind.capitalize())}s: {sum(statuses.values())}</h3>'
                     f'<ul class="kb-counts">{cells}</ul></div>')
    authors = sum(1 for _, d in kb.graph.nodes(data=True) if d["kind"] == AUTHOR)
    tiles.append(f'<div class="kb-tile"><h3>Authors: {authors}</h3><p>{len(kb.of_kind(NOTE, PLAN))} notes, '
                 f'{len(reports.tags(kb))} tags</p></div>')
    sections = [f'<div class="kb-dashboard">{"".join(tiles)}</div>']
    now = reports.in_progress(kb)
    sections.append('<h2 id="now">Reading and studying now</h2>'
                    + (r.node_list(src, [n.id for n in now]) or '<p class="kb-empty">Nothing in progress.</p>'))
    steps = reports.study_plan(kb)[:8]
    if steps:
        sections.append('<h2 id="study-next">Study next (prerequisites first)</h2>'
                        + r.node_list(src, [s.note.id for s in steps]))
    finished = reports.recently_finished(kb)
    if finished:
        sections.append('<h2 id="finished">Recently finished</h2>' + r.node_list(src, [n.id for n in finished]))
    today = dt.date.today()
    if kb.of_kind(PLAN):
        sections.append('<h2 id="plans">Study plans</h2>' + plans_html(r, src, kb, today))
    sections.append('<h2 id="finished-per-week">Finished per week</h2>' + chart_html(kb, today))
    sections.append(f'<p><a href="{esc(r.site.href(src, r.site.url_of_src(READING)))}">All reading lists</a> · '
                    f'<a href="{esc(r.site.href(src, r.site.url_of_src(GRAPH)))}">Graph</a></p>')
    page = _listing(src, "Knowledge base", "\n".join(sections), title="Home")
    page.markdown += "\n" + dashboard_markdown(kb, today)  # reviews due, reading list: kb-query blocks
    return page


def reading_page(r: Renderer) -> GeneratedPage:
    """Reading lists published with the site: in progress, queue, study order, plans."""
    kb, src = r.site.kb, READING
    parts = []
    parts.append('<h2 id="in-progress">In progress</h2>'
                 + (r.node_list(src, [n.id for n in reports.in_progress(kb)]) or '<p class="kb-empty">Nothing.</p>'))
    queue = reports.next_up(kb)
    parts.append(f'<h2 id="to-read">To read ({len(queue)}), by priority</h2>' + r.node_list(src, [n.id for n in queue]))
    steps = reports.study_plan(kb)
    items = "".join(
        f"<li>{r.link(src, s.note.id)} {r.status_badge(s.note.status)}"
        + (' <span class="kb-needs">after ' + ", ".join(r.link(src, w) for w in s.waiting_on) + "</span>"
           if s.waiting_on else "") + "</li>" for s in steps)
    parts.append(f'<h2 id="study-order">Study order ({len(steps)} concepts, prerequisites first)</h2>'
                 f'<ol class="kb-list">{items}</ol>')
    if kb.of_kind(PLAN):
        parts.append('<h2 id="plans">Study plans</h2>' + plans_html(r, src, kb, dt.date.today(), groups=True))
    parts.append('<h2 id="finished-per-week">Finished per week</h2>' + chart_html(kb, dt.date.today()))
    finished = [n for n in kb.index.notes.values() if n.status in DONE_STATUSES]
    parts.append(f'<h2 id="done">Done ({len(finished)})</h2>'
                 + r.node_list(src, [n.id for n in sorted(finished, key=lambda n: n.title.lower())]))
    return _listing(src, "Reading lists", "\n".join(parts))


def graph_page(r: Renderer) -> GeneratedPage:
    kinds = "".join(f'<label><input type="checkbox" data-kb-kind="{k}" checked> {k}</label> '
                    for k in (PAPER, CONCEPT, AUTHOR, NOTE, PLAN))
    controls = (f'<div class="kb-graph-controls">{kinds}<label>Status <select data-kb-graph-status>'
                '<option value="">all</option><option value="open">not done</option>'
                '<option value="done">done</option></select></label></div>')
    return _listing(GRAPH, "Graph", controls + '<div class="kb-global-graph" aria-label="Graph of all notes"></div>',
                    hide_toc=True)


def _listing(src: str, heading: str, html: str, title: str | None = None,
             hide_toc: bool = False) -> GeneratedPage:
    """A generated list page: a Markdown heading, then HTML kept out of Markdown and search."""
    extra = {"hide": ["toc"]} if hide_toc else {}
    return GeneratedPage(src, front_matter(title or heading, **extra) + f"# {_md_text(heading)}\n",
                         footer=html)


def _md_text(text: str) -> str:
    """Text safe inside a Markdown heading: HTML-escaped, Markdown punctuation backslashed."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|])", r"\\\1", escape(text, quote=False))


# --- the browser's index: graph, previews -----------------------------------------------------

def index_json(kb: KnowledgeBase, directory_urls: bool = True) -> str:
    """Nodes (title, kind, status, URL, degree, preview text) and typed edges, for the scripts.

    Edges are `[source, target, type]` as positions in `nodes` and `types`: a third of the size
    of spelled-out ids, which matters at thousands of notes."""
    site = SiteMap(kb, directory_urls)
    nodes: list[dict[str, object]] = []
    position: dict[str, int] = {}
    for node, data in kb.graph.nodes(data=True):
        note = kb.note(node)
        position[node] = len(nodes)
        nodes.append({"id": node, "title": data["title"], "kind": data["kind"],
                      "status": data["status"], "url": site.url_of(node),
                      "degree": kb.graph.degree(node), "preview": preview(note) if note else ""})
    types = list(EDGE_TYPES)
    edges = [[position[u], position[v], types.index(key)]
             for u, v, key in kb.graph.edges(keys=True) if u != v]
    return json.dumps({"nodes": nodes, "types": types, "edges": edges}, ensure_ascii=False,
                      separators=(",", ":"))


def preview(note: Note, length: int = 240) -> str:
    """The first words of a note (a paper's abstract when it has one), as plain text."""
    abstract = note.meta.get("abstract")
    text = str(abstract) if abstract else _MARKUP.sub(" ", note.body)
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def _year(note: Note | None) -> int:
    if note is None:
        return 0
    value = note.meta.get("year")
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0

