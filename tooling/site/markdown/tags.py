"""Tags in the text are tags, as in Obsidian: `#topos-theory` is a pill linking to the tag's
page, and a line of them (`#category-theory #topos-theory`) is a line of pills, never a heading.

A heading needs a space after its `#` run (CommonMark's and Obsidian's rule; Python-Markdown
takes `#word` for one). The tags are those `tooling.syntax` finds (`Scan.tags`), the reading
that also makes them the note's tags (`Note.tags`), so the page and the tag index agree; a
`#` in code, a link or a URL is left as written.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from markdown import Markdown
from markdown.blockprocessors import HashHeaderProcessor
from markdown.preprocessors import Preprocessor

from ...syntax import Scan, may_hold_tags, splice
from ..render import tag_src
from .context import Context, KbExtension, current_page
from .pipeline import add
from .sanitise import trusted


class StrictHeadingProcessor(HashHeaderProcessor):
    """`# Title` is a heading, `#title` is not (a space, a tab or the line's end after the
    run of `#`)."""

    RE = re.compile(r"(?:^|\n)(?P<level>#{1,6})(?=[ \t]|\n|$)"
                    r"(?P<header>(?:\\.|[^\\#\n]|#+(?=[^#\n]))*?)#*(?:\n|$)")


class TagPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, context: Context) -> None:
        super().__init__(md)
        self.context = context

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if not may_hold_tags(text):
            return lines
        found = Scan(text).tags
        if not found:
            return lines
        src = current_page(self.md) or "index.md"
        return splice(text, ((tag.start, tag.end, trusted(self.md, self.pill(tag.name, src)))
                             for tag in found)).split("\n")

    def pill(self, name: str, src: str) -> str:
        site = self.context.renderer.site
        href = site.href(src, site.url_of_src(tag_src(name)))
        return f'<a class="kb-tag" href="{escape(href)}">#{escape(name)}</a>'


class TagExtension(KbExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        add(md, "preprocessors", "kb_tags", TagPreprocessor(md, self.context(md)))
        add(md, "blockprocessors", "hashheader", StrictHeadingProcessor(md.parser))


def makeExtension(**kwargs: Any) -> TagExtension:  # noqa: N802
    return TagExtension(**kwargs)
