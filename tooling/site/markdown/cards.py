"""The card above a note or author page and the footer below it (backlinks and local graph, or an
index page's list), drawn from the shared context for the page the marker names.

With `defer` (what the MkDocs plugin sets) both are slots the host fills (`fill_slots`) after its
search indexer has read the page: the card's slot holds the title with the note's aliases and
the card's facts as plain text (authors, year, venue, tags, arXiv id, DOI, abstract), so search
still finds them, while the card's markup, long backlink lists and graph data cost the indexer
nothing.
"""

from __future__ import annotations

from html import escape
from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from ..card import search_text, search_title
from .context import Context, KbExtension, Page, current_page, is_embedded
from .pipeline import add
from .sanitise import trusted

FOOTER_SLOT = '<div class="kb-footer-slot"></div>'
# The card's slot, from CARD_SLOT to CARD_END (its text is escaped). Its heading opens the page's
# first section at the top level, so the theme's indexer takes it as the page's search title and
# keeps the text below in that section.
CARD_SLOT, CARD_END = '<h1 class="kb-title kb-card-slot" id="kb-title">', "<!-- /kb-card-slot -->"


def card_slot(context: Context, page: Page) -> str:
    """What stands for the card until `fill_slots`: its title (with the note's aliases) and facts
    as text."""
    assert page.node is not None
    note = context.kb.note(page.node)
    title = search_title(note, context.kb.graph.nodes[page.node]["title"])
    facts = search_text(note)
    return (f"{CARD_SLOT}{escape(title)}</h1>" + (f"<p>{escape(facts)}</p>" if facts else "")
            + CARD_END)


def fill_slots(context: Context, src: str, html: str) -> str:
    """The page `src`'s HTML with its card and footer slots filled."""
    page = context.pages.get(src)
    if page is None:
        return html
    start = html.find(CARD_SLOT) if page.node is not None else -1
    if start >= 0:
        end = html.index(CARD_END, start) + len(CARD_END)
        html = html[:start] + context.card_of(page) + html[end:]
    footer = page.footer
    at = html.find(FOOTER_SLOT, max(start, 0)) if footer is not None else -1
    if footer is not None and at >= 0:
        html = html[:at] + footer() + html[at + len(FOOTER_SLOT):]
    return html


class CardPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, context: Context, defer: bool) -> None:
        super().__init__(md)
        self.context, self.defer = context, defer

    def run(self, lines: list[str]) -> list[str]:
        src = current_page(self.md)
        page = self.context.pages.get(src) if src and not is_embedded(self.md) else None
        if page is None:
            return lines
        before: list[str] = []
        if page.node is not None:
            card = card_slot(self.context, page) if self.defer else self.context.card_of(page)
            before = [trusted(self.md, card), ""]
        after: list[str] = []
        if page.footer is not None:
            after = ["", trusted(self.md, FOOTER_SLOT if self.defer else page.footer())]
        return before + lines + after


class CardExtension(KbExtension):
    extra_config = {"defer": [False, "leave slots the host fills after search indexing (fill_slots)"]}

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        context = self.context(md)
        add(md, "preprocessors", "kb_cards", CardPreprocessor(md, context, self.getConfig("defer")))


def makeExtension(**kwargs: Any) -> CardExtension:  # noqa: N802
    return CardExtension(**kwargs)
