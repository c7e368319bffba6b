"""Fenced code as CommonMark (and Obsidian) reads it, for Python-Markdown's fence parser: a fence
left open runs to the end of its container (the note, a quote, a list item), so its implied
closing line is written; and a fence whose info string is `python demo` but that is no runnable
demo (left open, or nested in a list or a quote) is shown as the Python it is (the fence parser
would read `python demo` as inline code). Runs on the note's text alone: before the card and
footer are added around it, and before the demo extension, which then finds no demo in it.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from ...syntax import Scan
from .context import KbExtension, is_embedded
from .pipeline import add


class FencePreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if not any("``" in line or "~~" in line for line in lines):
            return lines
        text = "\n".join(lines)
        blocks = Scan(text).fences()
        if all(block.closed and not _demo_word(block.info) for block in blocks):
            return lines
        lines = list(lines)
        embedded = is_embedded(self.md)  # another note's demo shown in this page: its code only
        for block in reversed(blocks):
            runnable = block.closed and not (block.quotes or block.base) and not embedded
            if not block.closed:
                lines.insert(block.last + 1, "> " * block.quotes + " " * block.indent + block.fence)
            if _demo_word(block.info) and not runnable:
                opening = lines[block.first]
                at = opening.index(block.fence) + len(block.fence)
                lines[block.first] = opening[:at] + "python"
        return lines


def _demo_word(info: str) -> bool:
    return info.split()[:2] == ["python", "demo"]


class FenceExtension(KbExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        add(md, "preprocessors", "kb_fences", FencePreprocessor(md))


def makeExtension(**kwargs: Any) -> FenceExtension:  # noqa: N802
    return FenceExtension(**kwargs)
