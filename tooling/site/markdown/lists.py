"""Lists as Obsidian reads them: a list right after a line of text is a list (Markdown wants a
blank line), and `1)` numbers an item as `1.` does (CommonMark's other delimiter).

mdx-breakless-lists does the first; it is registered here after fenced code is set aside, so a
`- item` line inside a code block is never touched. For the second, Python-Markdown's list
processors are given item patterns that accept `)` after the number.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import OListProcessor, UListProcessor
from mdx_breakless_lists.mdx_breakless_lists import BreaklessListsProcessor

from .context import KbExtension
from .pipeline import add

_NUMBER = r"\d+\."  # how Python-Markdown's patterns write an item's number


def _either_delimiter(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(pattern.pattern.replace(_NUMBER, r"\d+[.)]"), pattern.flags)


class OrderedList(OListProcessor):
    """`1.` and `1)` items."""

    def __init__(self, parser: BlockParser) -> None:
        super().__init__(parser)
        self.RE, self.CHILD_RE, self.INDENT_RE = (
            _either_delimiter(p) for p in (self.RE, self.CHILD_RE, self.INDENT_RE))


class BulletList(UListProcessor):
    """Bullets whose nested or following items may be numbered `1)`."""

    def __init__(self, parser: BlockParser) -> None:
        super().__init__(parser)
        self.CHILD_RE, self.INDENT_RE = (_either_delimiter(p) for p in (self.CHILD_RE, self.INDENT_RE))


class ListExtension(KbExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        breakless = BreaklessListsProcessor(md.parser)
        breakless.LI_RE = re.compile(r"^[ ]*(?:\d+[.)]|[*+-])[ ]+.*")
        add(md, "preprocessors", "kb_breakless_lists", breakless)
        add(md, "blockprocessors", "olist", OrderedList(md.parser))
        add(md, "blockprocessors", "ulist", BulletList(md.parser))


def makeExtension(**kwargs: Any) -> ListExtension:  # noqa: N802
    return ListExtension(**kwargs)
