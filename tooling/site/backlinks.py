"""Backlinks: every note linking to a page, once each, grouped by how it links, with the sentence
that holds the link when the link is in a body.

A note already listed in the page's own card (its concepts, prerequisites, papers, related) is not
repeated; a note that links in several ways appears once, in its first group, with the others
named beside it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from ..base import KnowledgeBase
from ..graph import backlinks as graph_backlinks
from ..model import Link, Note
from ..syntax import Piece
from ..syntax.prose import TEXT
from .card import card_relations
from .render import Renderer, esc, note_title, reading_html

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


def link_sentences(kb: KnowledgeBase, notes: Iterable[Note]) -> dict[tuple[str, str], list[Piece]]:
    """For each (source, target) linked in a body, the sentence around the first such link, as
    reading pieces."""
    links = body_links(kb.links)
    return {(note.id, target): found for note in notes
            for target, found in sentences_of(kb, note, links.get(note.id, ())).items()}


def body_links(links: Iterable[Link]) -> dict[str, list[Link]]:
    """Each note's body links (those with offsets), in the order written."""
    found: dict[str, list[Link]] = {}
    for link in links:
        if link.span is not None:
            found.setdefault(link.source, []).append(link)
    return found


def sentences_of(kb: KnowledgeBase, note: Note, links: Iterable[Link]) -> dict[str, list[Piece]]:
    """For each note `note` links to in its body (`links`, its body links), the sentence around
    the first such link, as reading pieces. From the link index: each link keeps its offsets in
    its note's body, and the note's one reading finds the sentence."""
    title_of = functools.partial(note_title, kb)
    found: dict[str, list[Piece]] = {}
    for link in links:
        target = link.target
        if link.span is None or link.embed or target is None or target == link.source or target in found:
            continue
        found[target] = clipped(note.scan.sentence(link.span[0], link.span[1], title_of))
    return found


def clipped(found: list[Piece]) -> list[Piece]:
    """At most CONTEXT_CHARS of reading text; a formula that would cross the limit is left out
    with the rest (never cut inside)."""
    kept: list[Piece] = []
    used = 0
    for piece in found:
        room = CONTEXT_CHARS - used
        if len(piece.text) <= room:
            kept.append(piece)
            used += len(piece.text)
            continue
        if piece.kind == TEXT and room > 20:
            kept.append(Piece(TEXT, piece.text[:room - 1].rsplit(" ", 1)[0] + "…"))
        else:
            kept.append(Piece(TEXT, " …"))
        break
    return kept


def backlinks_html(r: Renderer, node: str, src: str,
                   sentence: Callable[[str, str, str], list[Piece] | None],
                   skip: Iterable[str] = ()) -> str:
    """The backlinks section of the page `src` of `node`; `sentence(page, source, target)` gives
    the sentence of a body link (and notes that the page read it)."""
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
            context = sentence(src, source, node)
            if context:
                extra += f'<p class="kb-context">{reading_html(context)}</p>'
            items.append(r.node_item(src, source, kind=False, extra=extra))
        if items:
            parts.append(f'<div class="kb-backlink-group"><h3>{esc(title)} ({len(items)})</h3>'
                         f'<ul class="kb-list">{"".join(items)}</ul></div>')
    if not parts:
        parts.append('<p class="kb-empty">Nothing else links here yet.</p>')
    return ('<section class="kb-backlinks" aria-labelledby="backlinks"><h2 id="backlinks">Backlinks</h2>'
            + "".join(parts) + "</section>")
