"""Obsidian comments: `%%hidden%%` (inline or across lines) never reaches the page.

The comments are those the one reading (`tooling.syntax`) finds, so `%%` inside code stays
as written.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from ...syntax import Scan
from ...syntax.inline import HIDDEN
from .context import KbExtension
from .pipeline import add


class CommentPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "%%" not in text:
            return lines
        comments = [(s.start, s.end) for s in Scan(text).spans if s.kind == HIDDEN]
        if not comments:
            return lines
        kept, position = [], 0
        for start, end in comments:
            kept.append(text[position:start])
            position = end
        kept.append(text[position:])
        return "".join(kept).split("\n")


class CommentExtension(KbExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        add(md, "preprocessors", "kb_comments", CommentPreprocessor(md))


def makeExtension(**kwargs: Any) -> CommentExtension:  # noqa: N802
    return CommentExtension(**kwargs)
