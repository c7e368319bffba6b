"""Backlinks: every note linking to a page, once each, grouped by how it links, with the sentence
that holds the link when the link is in a body.

A note already listed in the page's own card (its concepts, prerequisites, papers, related) is not
repeated; a note that links in several ways appears once, in its first group, with the others
named beside it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from ..base import KnowledgeBase
from ..graph import backlinks as graph_backlinks
from ..model import Note
from ..refs import body_refs
from .card import card_relations
from .render import Renderer, esc, note_title, plain_text

# How a backlink group is titled on the target's page, by edge type, in display order.
TITLES = {
    "concept": "Papers about this concept",
    "prerequisite": "Concepts that build on this",
    "paper": "Concepts citing this paper",
    "item": "In study plans",
    "related": "Related from",
    "wikilink": "Mentioned in",
    "link": "Linked from",
    "author": "Papers",
}
CONTEXT_CHARS = 220
# A sentence ends at . ! ? and a space, but not after the abbreviations notes are full of
# ("Meng et al. 2022", "e.g. ROME"), at a blank line, or before a list item or a heading.
_BOUNDARY = re.compile(r"(?<=[.!?])(?<!\bal\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\bcf\.)"
                       r"(?<!\bfig\.)(?<!\bFig\.)(?<!\bEq\.)\s+|\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)]|#+)\s)")


def link_sentences(kb: KnowledgeBase, notes: Iterable[Note]) -> dict[tuple[str, str], str]:
    """For each (source, target) linked in a body, the sentence around the first such link, as
    plain text. One scan of each body."""
    found: dict[tuple[str, str], str] = {}
    title_of = functools.partial(note_title, kb)
    for note in notes:
        for ref in body_refs(note.body, note.body_line):
            if not ref.target or ref.embed:
                continue
            if ref.kind == "wikilink":
                target = kb.index.resolve_name(ref.target)
            else:
                target = kb.index.resolve_path(note, ref.target)[0]
            if target is not None and target != note.id and (note.id, target) not in found:
                found[(note.id, target)] = sentence_at(note.body, ref.start, ref.end, title_of)
    return found


def sentence_at(body: str, start: int, end: int,
                title_of: Callable[[str], str | None] | None = None) -> str:
    """The sentence of `body` holding the span start..end, as plain text (wikilinks as the
    titles `title_of` gives, as the page shows them), at most CONTEXT_CHARS."""
    window_start = max(0, start - 600)
    before = body[window_start:start]
    cuts = list(_BOUNDARY.finditer(before))
    begin = window_start + cuts[-1].end() if cuts else window_start
    after = body[end:end + 600]
    stop = _BOUNDARY.search(after)
    finish = end + (stop.start() if stop else len(after))
    text = plain_text(body[begin:finish], title_of)
    if len(text) > CONTEXT_CHARS:
        text = text[: CONTEXT_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return text


def backlinks_html(r: Renderer, node: str, src: str, sentences: dict[tuple[str, str], str],
                   skip: Iterable[str] = ()) -> str:
    groups = graph_backlinks(r.site.kb.graph, node)
    shown = card_relations(r, node) | {node}
    types_of: dict[str, list[str]] = {}
    for edge in TITLES:
        for source in groups.get(edge, ()):
            types_of.setdefault(source, []).append(edge)
    parts = []
    for edge, title in TITLES.items():
        if edge in skip:
            continue
        items = []
        for source in groups.get(edge, ()):
            if source in shown:
                continue
            shown.add(source)
            also = [TITLES[t].lower() for t in types_of[source][1:] if t not in skip]
            extra = (f' <span class="kb-also">also {esc(", ".join(also))}</span>' if also else "")
            context = sentences.get((source, node))
            if context:
                extra += f'<p class="kb-context">{esc(context)}</p>'
            items.append(r.node_item(src, source, kind=False, extra=extra))
        if items:
            parts.append(f'<div class="kb-backlink-group"><h3>{esc(title)} ({len(items)})</h3>'
                         f'<ul class="kb-list">{"".join(items)}</ul></div>')
    if not parts:
        parts.append('<p class="kb-empty">Nothing else links here yet.</p>')
    return ('<section class="kb-backlinks" aria-labelledby="backlinks"><h2 id="backlinks">Backlinks</h2>'
            + "".join(parts) + "</section>")
