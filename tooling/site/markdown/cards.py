"""The card above a note or author page and the footer below it (backlinks and local graph, or an
index page's list), drawn from the shared context for the page the marker names.

With `defer_footer` (what the MkDocs plugin sets) the footer is a slot the host fills after its
search indexer has read the page: long backlink lists then cost the index nothing.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from ..card import card
from .context import Context, KbExtension, current_page

FOOTER_SLOT = '<div class="kb-footer-slot"></div>'


class CardPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, context: Context, defer: bool) -> None:
        super().__init__(md)
        self.context, self.defer = context, defer

    def run(self, lines: list[str]) -> list[str]:
        src = current_page(self.md)
        page = self.context.pages.get(src) if src else None
        if page is None:
            return lines
        before: list[str] = []
        if page.node is not None:
            note = self.context.kb.note(page.node)
            dates = self.context.dates(note) if note is not None else None
            before = [self.md.htmlStash.store(card(self.context.renderer, note, page.node, page.src,
                                                   dates)), ""]
        after: list[str] = []
        if page.footer is not None:
            after = ["", self.md.htmlStash.store(FOOTER_SLOT if self.defer else page.footer())]
        return before + lines + after


class CardExtension(KbExtension):
    extra_config = {"defer_footer": [False, "leave a slot the host fills after search indexing"]}

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        context = self.context(md)
        md.preprocessors.register(CardPreprocessor(md, context, self.getConfig("defer_footer")),
                                  "kb_cards", 29.7)


def makeExtension(**kwargs: Any) -> CardExtension:  # noqa: N802
    return CardExtension(**kwargs)
