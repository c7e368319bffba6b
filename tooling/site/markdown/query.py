"""A Python-Markdown extension: fenced `kb-query` blocks become the table or list they ask for.

    ```kb-query
    LIST FROM concepts WHERE links_to("residual-stream")
    ```

It runs on any Python-Markdown (MkDocs today, a successor tomorrow): configured with `engine`
(a QueryEngine, or a callable returning one) by the kb plugin, or with `root` (a notes folder)
on its own. `href(note_id)` gives each note's link (the plugin's is relative to the page being
converted; without one, titles are plain text). A broken query becomes a visible error box and a
`warn(message)` call (default: a logging warning); the kb plugin reports broken blocks itself,
with the note's path and line, when the build starts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from ...base import KnowledgeBase
from ...study.query.blocks import scan
from ...study.query.engine import QueryEngine
from ...study.query.parse import QueryError
from ...study.query.render import as_html
from ..urls import SiteMap

log = logging.getLogger(__name__)
PRIORITY = 28  # after whitespace normalisation (30), before fenced code (superfences: 25)


class QueryExtension(Extension):
    def __init__(self, **kwargs: Any):
        # Defaults are "" rather than None: Python-Markdown turns values given for None defaults
        # into booleans, which would lose the callables.
        self.config = {
            "engine": ["", "A QueryEngine, or a callable returning one (the kb plugin's)."],
            "root": ["", "Folder of the notes, when no engine is given."],
            "href": ["", "Callable: note id -> URL of its page (unset: no links)."],
            "warn": ["", "Callable: message -> None, for broken queries (unset: logging)."],
        }
        super().__init__(**kwargs)
        self._engine: QueryEngine | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        md.preprocessors.register(QueryBlocks(md, self), "kb_query", PRIORITY)

    def engine(self) -> QueryEngine:
        if self._engine is None:
            given = self.getConfig("engine")
            if isinstance(given, QueryEngine):
                self._engine = given
            elif callable(given):
                self._engine = given()
            else:
                from ...base import open_base

                self._engine = QueryEngine(open_base(self.getConfig("root") or "."))
        assert self._engine is not None
        return self._engine

    def render(self, text: str) -> str:
        """The HTML of one block: the results and, folded, the query that made them."""
        try:
            result = self.engine().run(text)
        except QueryError as exc:
            warn: Callable[[str], None] = self.getConfig("warn") or log.warning
            warn(f"kb-query: {exc}")
            return ('<div class="admonition failure kb-query-error"><p class="admonition-title">'
                    f"kb-query: line {exc.line}, column {exc.column}</p><p>{escape(exc.message)}</p>"
                    f"<pre><code>{escape(exc.pointer())}</code></pre></div>")
        return (f'<div class="kb-query-result">{as_html(result, self.getConfig("href") or None)}'
                '<details class="kb-query-source"><summary>Query</summary>'
                f"<pre><code>{escape(text)}</code></pre></details></div>")


class QueryBlocks(Preprocessor):
    """Replaces each top-level kb-query fence by its rendered HTML (kept out of Markdown)."""

    def __init__(self, md: Markdown, extension: QueryExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        blocks = list(scan(lines))
        if not blocks:
            return lines
        out: list[str] = []
        position = 0
        for block in blocks:
            out += lines[position:block.start]
            out += ["", self.md.htmlStash.store(self.extension.render(block.text)), ""]
            position = block.end + 1
        return out + lines[position:]


class PageLinks:
    """`href` for the kb plugin: links from the page being converted (it sets `page`)."""

    def __init__(self, site: SiteMap):
        self.site = site
        self.page = ""

    def __call__(self, node: str) -> str:
        return self.site.href(self.page, self.site.url_of(node))


def page_links(kb: KnowledgeBase, directory_urls: bool) -> PageLinks:
    return PageLinks(SiteMap(kb, directory_urls))


def makeExtension(**kwargs: Any) -> QueryExtension:  # noqa: N802 (Python-Markdown's name)
    return QueryExtension(**kwargs)
