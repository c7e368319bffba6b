"""A list right after a line of text is a list, as in Obsidian (Markdown wants a blank line).

mdx-breakless-lists does the work; it is registered here after fenced code is set aside, so a
`- item` line inside a code block is never touched.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from mdx_breakless_lists.mdx_breakless_lists import BreaklessListsProcessor

from .context import KbExtension


class BreaklessListExtension(KbExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.preprocessors.register(BreaklessListsProcessor(md.parser), "kb_breakless_lists", 24.9)


def makeExtension(**kwargs: Any) -> BreaklessListExtension:  # noqa: N802
    return BreaklessListExtension(**kwargs)
