"""The header card of a note or author page: breadcrumbs, title, byline, tags, badges, dates,
external links, relations, a paper's abstract and BibTeX, plan progress and unknown fields.

The note's file path is not shown: with `repo_url` set, the theme's edit button links to it.
"""

from __future__ import annotations

import json
from typing import Any

from ..export.bibtex import render_entry
from ..graph import outlinks
from ..identifiers import arxiv_bare, ids_of
from ..model import Note, as_list, tags_of
from ..notes.frontmatter import as_written
from ..schema import ARXIV_PDF_URL, AUTHOR, AUTHOR_FIELD, AUTHORS_DIR, CONCEPT, KNOWN_FIELDS, PAPER, PLAN
from ..sources.ownership import unchecked
from .dates import Dates
from .render import Renderer, esc, safe_url, tag_src

# Where each kind's index page is, for breadcrumbs.
SECTIONS = {PAPER: ("papers/index.md", "Papers"), CONCEPT: ("concepts/index.md", "Concepts"),
            AUTHOR: (f"{AUTHORS_DIR}/index.md", "Authors")}
NOTES_SECTION = ("notes/index.md", "Notes")
RELATIONS = (("concept", "Concepts"), ("prerequisite", "Prerequisites"), ("paper", "Papers"),
             ("related", "Related"))


def card(r: Renderer, note: Note | None, node: str, src: str, dates: Dates | None) -> str:
    kb = r.site.kb
    data = kb.graph.nodes[node]
    kind = data["kind"]
    meta = note.meta if note is not None else {}
    section = SECTIONS.get(kind, NOTES_SECTION)
    parts = [f'<div class="kb-card kb-kind-{esc(kind)}" data-kb-node="{esc(node)}">',
             f'<nav class="kb-breadcrumbs" aria-label="Breadcrumbs">{r.page_link(src, "index.md", "Home")}'
             f' <span aria-hidden="true">›</span> {r.page_link(src, section[0], section[1])}</nav>',
             f'<h1 class="kb-title">{esc(data["title"])}</h1>']
    byline = []
    names = [n for n in as_list(meta.get(AUTHOR_FIELD)) if isinstance(n, str) and n.strip()]
    if names:  # past MAX_AUTHOR_NODES, or a surname alone, a name has no page: it is shown as text
        byline.append(", ".join(r.author(src, n) for n in names))
    for key in ("year", "venue"):
        if meta.get(key) not in (None, ""):
            byline.append(f'<span class="kb-{key}">{esc(meta[key])}</span>')
    if byline:
        parts.append(f'<p class="kb-byline">{" · ".join(byline)}</p>')
    badges = [f'<span class="kb-kind">{esc("study plan" if kind == PLAN else kind)}</span>',
              r.status_badge(data["status"])]
    if kind == PAPER and unchecked(meta):
        badges.append('<span class="kb-unchecked" title="Title, authors and year as written in my '
                      'notes, not yet checked against arXiv (kb fetch --resolve checks them)">'
                      'metadata not checked</span>')
    if meta.get("priority"):
        badges.append(f'<span class="kb-priority kb-priority-{esc(meta["priority"])}">'
                      f'{esc(meta["priority"])} priority</span>')
    tags = tags_of(meta.get("tags"))
    badges += [f'<a class="kb-tag" href="{esc(r.site.href(src, r.site.url_of_src(tag_src(t))))}">'
               f"#{esc(t)}</a>" for t in tags]
    parts.append(f'<p class="kb-badges">{" ".join(b for b in badges if b)}</p>')
    parts.append(_facts(meta, dates))
    parts.append(_external_links(meta))
    if note is not None:
        parts.append(_relations(r, note, src))
        if kind == PAPER:
            parts.append(_cited_in_base(r, note, src))
        if kind == PLAN:
            parts.append(_plan(r, note, src))
        if kind == CONCEPT:
            from .study import review_html  # its next spaced review, replayed from the log

            parts.append(review_html(kb, note, r.today))
        if meta.get("abstract"):
            parts.append('<div class="kb-abstract"><p class="kb-abstract-title">Abstract</p>'
                         f'<p>{esc(meta["abstract"])}</p></div>')
        if kind == PAPER:
            parts.append(_bibtex(note))
        parts.append(_extra_fields(note))
    parts.append("</div>")
    return "\n".join(p for p in parts if p)


def search_title(note: Note | None, title: str) -> str:
    """The title search shows and ranks first: the note's title, then each alias it does not
    already contain ("Activation patching · interchange intervention"), so an alias finds its
    note as surely as the title does."""
    names = [title]
    for alias in as_list(note.meta.get("aliases")) if note is not None else []:
        name = " ".join(str(alias).split()) if isinstance(alias, (str, int, float)) else ""
        if name and not any(name.lower() in known.lower() for known in names):
            names.append(name)
    return " · ".join(names)


def search_text(note: Note | None) -> str:
    """The card's facts a reader searches for, as one line of plain text: authors, year, venue,
    tags, the paper's identifiers (arXiv, DOI, ACL, OpenReview, OpenAlex) and the abstract (the site's search indexes this, not the card's markup,
    and splits it into words as it does the page's text)."""
    if note is None:
        return ""
    meta = note.meta
    parts = [str(n).strip() for n in as_list(meta.get(AUTHOR_FIELD)) if isinstance(n, str) and n.strip()]
    parts += [str(meta[key]) for key in ("year", "venue") if meta.get(key) not in (None, "")]
    parts += [f"#{t}" for t in note.tags]
    parts += [str(paper_id) for paper_id in ids_of(meta).values()]  # "arxiv:2202.05262", "doi:10..."
    if meta.get("abstract"):
        parts.append(str(meta["abstract"]))
    return " · ".join(" ".join(p.split()) for p in parts)


def _facts(meta: dict[str, Any], dates: Dates | None) -> str:
    facts = []
    if dates is not None and dates.created:
        facts.append(f'Created <time datetime="{dates.created}">{dates.created}</time>')
    if dates is not None and dates.modified:
        facts.append(f'Modified <time datetime="{dates.modified}">{dates.modified}</time>')
    facts += [f"{key.capitalize()} {esc(meta[key])}" for key in ("started", "finished", "due")
              if meta.get(key)]
    return f'<p class="kb-dates">{" · ".join(facts)}</p>' if facts else ""


def _external_links(meta: dict[str, Any]) -> str:
    links = []
    arxiv = meta.get("arxiv")
    parsed = arxiv_bare(arxiv) if isinstance(arxiv, str) else None
    pdf = safe_url(meta.get("pdf_url"))
    if parsed is not None:
        links.append(f'<a class="kb-ext" href="{esc(parsed.abs_url)}">arXiv:{esc(parsed)}</a>')
        pdf = pdf or ARXIV_PDF_URL.format(parsed)
    if pdf:
        links.append(f'<a class="kb-ext" href="{esc(pdf)}">PDF</a>')
    doi = meta.get("doi")
    if isinstance(doi, str) and doi.strip():
        links.append(f'<a class="kb-ext" href="https://doi.org/{esc(doi.strip())}">doi:{esc(doi)}</a>')
    url = safe_url(meta.get("url"))
    if url:
        links.append(f'<a class="kb-ext" href="{esc(url)}">{esc(_host(url))}</a>')
    return f'<p class="kb-links">{" · ".join(links)}</p>' if links else ""


def _relations(r: Renderer, note: Note, src: str) -> str:
    rows = []
    related = outlinks(r.site.kb.graph, note.id)
    for edge, label in RELATIONS:
        targets = related.get(edge)
        if targets:
            rows.append(f"<dt>{label}</dt><dd>" + ", ".join(r.link(src, t) for t in targets) + "</dd>")
    return f'<dl class="kb-relations">{"".join(rows)}</dl>' if rows else ""


def _cited_in_base(r: Renderer, note: Note, src: str) -> str:
    """Which of the paper's references are notes of the base, from the references `kb fetch
    --references` stored (read from the cache folder, never the network)."""
    from ..citations.suggest import cited_in_base, stored_references

    kb = r.site.kb
    found, total = cited_in_base(kb, stored_references(kb), note)
    if not total:
        return ""
    links = ", ".join(r.link(src, n) for n in found) or "none of them"
    return (f'<dl class="kb-relations kb-references"><dt>Cites in the base ({len(found)} of '
            f"{total} references)</dt><dd>{links}</dd></dl>")


def card_relations(r: Renderer, node: str) -> set[str]:
    """Nodes the card already lists (its relations), which backlinks need not repeat."""
    related = outlinks(r.site.kb.graph, node)
    return {t for edge, _ in RELATIONS for t in related.get(edge, ())}


def _plan(r: Renderer, note: Note, src: str) -> str:
    from .study import plan_card_html  # goal, rule, progress with quotas and deadlines, groups

    return plan_card_html(r, note, src)


def _bibtex(note: Note) -> str:
    """The entry `kb export bibtex` writes, to copy."""
    entry = render_entry(note)
    return ('<details class="kb-bibtex"><summary>BibTeX</summary>'
            f'<pre><code>{esc(entry)}</code></pre></details>'
            '<button type="button" class="md-button kb-copy-bibtex" data-kb-copy>Copy BibTeX</button>')


def _extra_fields(note: Note) -> str:
    """The fields kb does not know, in a table; a scalar YAML reads as something else than its
    words (`yes` is true, `1e3` is 1000.0, an empty value is null) is shown as written."""
    rows = [f"<tr><th>{esc(key)}</th><td>{esc(_show(value, note, key))}</td></tr>"
            for key, value in note.meta.items()
            if key not in KNOWN_FIELDS and not str(key).startswith("_")]
    return f'<table class="kb-extra"><tbody>{"".join(rows)}</tbody></table>' if rows else ""


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0] or url


def _show(value: Any, note: Note, key: str) -> str:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if value is None or isinstance(value, (bool, float)):
        written = as_written(note.yaml_text, key)
        if written is not None:
            return written
    return str(value)
