"""Fenced `kb-query` blocks (and Obsidian's `dataview` blocks) become the table or list they ask
for, at build time.

    ```kb-query
    LIST FROM concepts WHERE links_to("residual-stream")
    ```

Like the other extensions it takes `root` (the notes folder) and reaches the base through the
shared context, so any Python-Markdown host can use it. Results link to the notes' pages,
relative to the page being converted (from its marker; text without a marker gets links from the
site root); `this` in a query is the page's note. Each problem is a warning on the context naming
the note and line (the MkDocs plugin turns it into a build warning, so `--strict` fails):
- a broken `kb-query` block becomes a visible error box; one never closed too, and, as CommonMark
  reads it, the rest of the note is that block's code, shown as code (never run as a query);
- a `dataview` block kb-query cannot run stays the code it is, shown as code;
- a result larger than a page should carry is cut (`render.MAX_ROWS` rows, `render.MAX_HTML`
  characters), saying how many rows it shows.
A `dataviewjs` block is JavaScript: it stays code, without a warning.
"""

from __future__ import annotations

from html import escape
from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from ...study.query.blocks import DATAVIEW, DATAVIEW_JS, INFO, Block, mentions_blocks, note_blocks, scan
from ...study.query.engine import engine_for
from ...study.query.parse import QueryError
from ...study.query.render import as_html
from ..inputs import QUERY, key
from .context import Context, KbExtension, current_page
from .pipeline import add
from .sanitise import trusted


class QueryPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, context: Context) -> None:
        super().__init__(md)
        self.context = context

    def run(self, lines: list[str]) -> list[str]:
        if not mentions_blocks("\n".join(lines)):
            return lines
        blocks = list(scan(lines))
        src = current_page(self.md)
        out: list[str] = []
        position = 0
        for number, block in enumerate(blocks):
            if block.kind == DATAVIEW_JS:
                continue  # JavaScript: shown as the code it is
            closed = block.closed and self.closed_in_note(src, number)
            html = self.render(block, number, closed)
            if html is None:  # a dataview block kb-query cannot run: left as code
                continue
            out += lines[position:block.start]
            out += ["", trusted(self.md, html), ""]
            # A block never closed runs to the end of the note (CommonMark): it stays as that code.
            position = block.end + 1 if closed else block.start
        return out + lines[position:]

    def closed_in_note(self, src: str | None, number: int) -> bool:
        """Whether the note itself closes its block `number` (the fences extension writes the
        closing line CommonMark implies at the note's end before this one runs)."""
        note = self.note(src)
        blocks = note_blocks(note) if note is not None else []
        return number >= len(blocks) or blocks[number].closed

    def render(self, block: Block, number: int, closed: bool) -> str | None:
        """One block's results, with the query folded underneath; an error box; or None for a
        dataview block to leave as code."""
        src = current_page(self.md)
        page = self.context.pages.get(src) if src else None
        this = page.node if page is not None else None
        if not closed and block.kind == INFO:
            return self.failed(src, number, QueryError(
                "this kb-query block is never closed (add a line ``` after the query): it runs to the "
                "end of the note, shown as code", 0, 1))
        if src is not None:  # what the block shows depends on its query and the page's note
            self.context.read(src, key(QUERY, this or "", block.text))
        try:
            if not closed:
                raise QueryError("this dataview block is never closed", 0, 1)
            result = engine_for(self.context.kb, self.context.today).run(block.text, this)
        except QueryError as exc:
            if block.kind == DATAVIEW:
                self.context.warnings.append(f"{self.where(src, number, exc.line)}: dataview block shown as "
                                             f"code (kb-query cannot run it): column {exc.column}: {exc.message}")
                return None
            return self.failed(src, number, exc)
        site = self.context.renderer.site

        def href(node: str) -> str | None:
            return site.href(src or "index.md", site.url_of(node)) if node in site.kb.graph else None

        table, shown = as_html(result, href)
        more = ""
        if shown < len(result.rows):
            more = (f'<p class="kb-query-cut">Showing {shown} of {len(result.rows)} rows: the page would be '
                    "too large (add LIMIT to the query).</p>")
            self.context.warnings.append(f"{self.where(src, number, 1)}: {block.kind} shows {shown} of "
                                         f"{len(result.rows)} rows (a page holds at most that much): add LIMIT")
        label = "Query" if block.kind == INFO else "Dataview query"
        return (f'<div class="kb-query-result">{table}{more}'
                f'<details class="kb-query-source"><summary>{label}</summary>'
                f"<pre><code>{escape(block.text)}</code></pre></details></div>")

    def failed(self, src: str | None, number: int, exc: QueryError) -> str:
        self.context.warnings.append(f"{self.where(src, number, exc.line)}: kb-query, "
                                     f"column {exc.column}: {exc.message}")
        where = f"line {exc.line}, column {exc.column}" if exc.line else "the opening fence"
        pointer = exc.pointer()
        return ('<div class="admonition failure kb-query-error"><p class="admonition-title">'
                f"kb-query: {where}</p><p>{escape(exc.message)}</p>"
                + (f"<pre><code>{escape(pointer)}</code></pre>" if pointer else "") + "</div>")

    def note(self, src: str | None) -> Any:
        page = self.context.pages.get(src) if src else None
        return self.context.kb.note(page.node) if page is not None and page.node else None

    def where(self, src: str | None, number: int, line: int) -> str:
        """`notes/x.md:12`: the note's file and the line of the mistake (line 0: the fence)."""
        note = self.note(src)
        if note is None:
            return src or "a page"
        blocks = note_blocks(note)
        if number >= len(blocks):
            return note.path
        return f"{note.path}:{blocks[number].file_line(note.body_line) + line - 1}"


class QueryExtension(KbExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        add(md, "preprocessors", "kb_query", QueryPreprocessor(md, self.context(md)))


def makeExtension(**kwargs: Any) -> QueryExtension:  # noqa: N802 (Python-Markdown's name)
    return QueryExtension(**kwargs)
