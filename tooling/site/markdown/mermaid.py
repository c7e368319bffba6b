"""Mermaid fences render as diagrams, as in Obsidian:

    ```mermaid
    graph LR; A --> B
    ```

The fence (found by `tooling.syntax`, so one inside a quote or a list item counts and one shown
inside a longer fence does not) becomes `<pre class="kb-mermaid">` holding its source as text.
The page's script (assets/kb/kb.js) loads the vendored mermaid only when such a block is on the
page and draws it there (strict security level: labels cannot carry HTML that runs), so a page
without a diagram loads no mermaid, and until the script has run the source stays readable.
"""

from __future__ import annotations

from html import escape
from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from ...syntax import Scan
from .context import KbExtension
from .pipeline import add
from .sanitise import trusted

CLASS = "kb-mermaid"


class MermaidPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if not any("mermaid" in line for line in lines):
            return lines
        blocks = [b for b in Scan("\n".join(lines)).fences() if b.info.split()[:1] == ["mermaid"]]
        if not blocks:
            return lines
        lines = list(lines)
        for block in reversed(blocks):
            source = "\n".join(block.code(lines))
            placeholder = trusted(self.md, f'<pre class="{CLASS}">{escape(source)}</pre>')
            # In a quote or a list item the placeholder stays inside it, where the fence was.
            opening = lines[block.first]
            prefix = opening[:opening.index(block.fence)]
            after = [prefix.rstrip()] if block.last + 1 < len(lines) and lines[block.last + 1].strip() else []
            lines[block.first:block.last + 1] = [prefix.rstrip(), prefix + placeholder, *after]
        return lines


class MermaidExtension(KbExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        add(md, "preprocessors", "kb_mermaid", MermaidPreprocessor(md))


def makeExtension(**kwargs: Any) -> MermaidExtension:  # noqa: N802
    return MermaidExtension(**kwargs)
