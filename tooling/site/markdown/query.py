"""Fenced `kb-query` blocks become the table or list they ask for, at build time.

    ```kb-query
    LIST FROM concepts WHERE links_to("residual-stream")
    ```

Like the other extensions it takes `root` (the notes folder) and reaches the base through the
shared context, so any Python-Markdown host can use it. Results link to the notes' pages,
relative to the page being converted (from its marker; text without a marker gets links from the
site root). A broken query becomes a visible error box and a warning on the context naming the
note and line (the MkDocs plugin turns it into a build warning, so `--strict` fails).
"""

from __future__ import annotations

from html import escape
from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from ...study.query.blocks import INFO, Block, body_blocks, scan
from ...study.query.engine import engine_for
from ...study.query.parse import QueryError
from ...study.query.render import as_html
from .context import Context, KbExtension, current_page
from .sanitise import trusted

PRIORITY = 28  # after the page marker, cards and wikilinks; before fenced code (25)


class QueryPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, context: Context) -> None:
        super().__init__(md)
        self.context = context

    def run(self, lines: list[str]) -> list[str]:
        if not any(INFO in line for line in lines):
            return lines
        blocks = list(scan(lines))
        out: list[str] = []
        position = 0
        for number, block in enumerate(blocks):
            out += lines[position:block.start]
            out += ["", trusted(self.md, self.render(block, number)), ""]
            position = block.end + 1
        return out + lines[position:]

    def render(self, block: Block, number: int) -> str:
        """One block's results, with the query folded underneath; or an error box."""
        src = current_page(self.md)
        try:
            result = engine_for(self.context.kb).run(block.text)
        except QueryError as exc:
            self.context.warnings.append(f"{self.where(src, number, exc.line)}: kb-query, "
                                         f"column {exc.column}: {exc.message}")
            return ('<div class="admonition failure kb-query-error"><p class="admonition-title">'
                    f"kb-query: line {exc.line}, column {exc.column}</p><p>{escape(exc.message)}</p>"
                    f"<pre><code>{escape(exc.pointer())}</code></pre></div>")
        site = self.context.renderer.site

        def href(node: str) -> str:
            return site.href(src or "index.md", site.url_of(node))

        return (f'<div class="kb-query-result">{as_html(result, href)}'
                '<details class="kb-query-source"><summary>Query</summary>'
                f"<pre><code>{escape(block.text)}</code></pre></details></div>")

    def where(self, src: str | None, number: int, line: int) -> str:
        """`notes/x.md:12`: the note's file and the line of the mistake (the page, otherwise)."""
        page = self.context.pages.get(src) if src else None
        note = self.context.kb.note(page.node) if page is not None and page.node else None
        if note is None:
            return src or "a page"
        blocks = body_blocks(note.body)
        if number >= len(blocks):
            return note.path
        return f"{note.path}:{blocks[number].file_line(note.body_line) + line - 1}"


class QueryExtension(KbExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.register(QueryPreprocessor(md, self.context(md)), "kb_query", PRIORITY)


def makeExtension(**kwargs: Any) -> QueryExtension:  # noqa: N802 (Python-Markdown's name)
    return QueryExtension(**kwargs)
