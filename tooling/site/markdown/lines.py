"""A single line break is a line break, as Obsidian shows it by default ("strict line breaks"
off): Dataview's `key:: value` lines, addresses, verse, one per line.

Python-Markdown's `nl2br` pattern does it. It acts on the text of paragraphs, list items and
quotes only: code blocks and code spans, tables (split into rows before inline patterns run),
math and raw HTML are set aside before it and keep their newlines.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.inlinepatterns import SubstituteTagInlineProcessor

from .context import KbExtension
from .pipeline import add

# A newline with words after it on its line (none at a paragraph's end, where it would add an
# empty line: a callout or a list item ending in a blank `>` line).
BREAK = r"\n(?=[ \t]*\S)"


class LineBreakExtension(KbExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        add(md, "inlinePatterns", "nl", SubstituteTagInlineProcessor(BREAK, "br"))


def makeExtension(**kwargs: Any) -> LineBreakExtension:  # noqa: N802
    return LineBreakExtension(**kwargs)
