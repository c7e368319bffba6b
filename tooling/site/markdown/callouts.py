"""Obsidian callouts: `> [!tip] Optional title`, folded with `[!tip]-` (closed) or `[!tip]+`.

Built on markdown-callouts' GitHub-style processor (`> [!NOTE]`), widened to Obsidian's forms:
any type, a title on the marker line, and folding. Types map onto the theme's admonition styles
(Obsidian and Material share them; Obsidian's aliases are folded in), so no CSS is needed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown, util

from .callouts_api import CalloutBlockProcessor
from .context import KbExtension
from .pipeline import add

STYLES = {"summary": "abstract", "tldr": "abstract", "hint": "tip", "important": "tip",
          "check": "success", "done": "success", "help": "question", "faq": "question",
          "caution": "warning", "attention": "warning", "fail": "failure", "missing": "failure",
          "error": "danger", "cite": "quote", "todo": "info"}
KNOWN = {"note", "abstract", "info", "tip", "success", "question", "warning", "failure", "danger",
         "bug", "example", "quote"}


class CalloutProcessor(CalloutBlockProcessor):
    """A blockquote whose first line is `[!type]`, with what follows on that line as its title."""

    REGEX = re.compile(r"(?:^|\n)( {0,3}> *\[!([A-Za-z][\w-]*)\]([+-]?)[ \t]*([^\n]*))(?:\n|$)")

    def test(self, parent: etree.Element, block: str) -> bool:
        if "[!" not in block:  # asked of every block of every page: most hold no marker
            return False
        match = self.REGEX.search(block)
        if match is None or self.parser.state.isstate("blockquote") or util.nearing_recursion_limit():
            return False
        before = block[: match.start(1)].rstrip("\n").rsplit("\n", 1)[-1]
        return not before.lstrip().startswith(">")  # the marker opens the quote

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        match = self.REGEX.search(block)
        assert match is not None
        if match.start(1):
            self.parser.parseBlocks(parent, [block[: match.start(1)]])
        kind, fold, title = match.group(2).lower(), match.group(3), match.group(4).strip()
        style = STYLES.get(kind, kind if kind in KNOWN else "note")
        if fold:
            box = etree.SubElement(parent, "details", {"class": style})
            if fold == "+":
                box.set("open", "open")
            heading = etree.SubElement(box, "summary")
        else:
            box = etree.SubElement(parent, "div", {"class": f"admonition {style}"})
            heading = etree.SubElement(box, "p", {"class": "admonition-title"})
        heading.text = title or kind.capitalize()
        rest = block[match.end():]
        if rest.strip():
            self.parser.state.set("blockquote")
            self.parser.parseChunk(box, "\n".join(self.clean(line) for line in rest.split("\n")))
            self.parser.state.reset()


class CalloutExtension(KbExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        add(md, "blockprocessors", "kb_callouts", CalloutProcessor(md.parser))


def makeExtension(**kwargs: Any) -> CalloutExtension:  # noqa: N802
    return CalloutExtension(**kwargs)
