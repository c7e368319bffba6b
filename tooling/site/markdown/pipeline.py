"""The order of the site's Markdown pipeline, in one table.

Python-Markdown runs each registry (preprocessors, block processors, inline patterns, tree
processors, postprocessors) by priority, highest first, and breaks ties by registration order.
The extensions in this folder used to write their priorities where they registered, eight files
apart, and two of them tied. Here each step of ours (and each of Python-Markdown's that we
replace under its own name) has its priority and the reason for it, next to the steps it is
ordered against; `add` is the only way the extensions register, so the table is the order.

Python-Markdown's own steps, for reference: preprocessors `normalize_whitespace` 30,
`html_block` 20, `fenced_code_block` 25; postprocessors `raw_html` 30, `amp_substitute` 20;
treeprocessors `inline` 20, `prettify` 10, `unescape` 0; the toc's treeprocessor 5.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from markdown import Markdown


class Step(NamedTuple):
    registry: str  # preprocessors, blockprocessors, inlinePatterns, treeprocessors, postprocessors
    name: str
    priority: float
    why: str


STEPS: tuple[Step, ...] = (
    # Preprocessors: the page's lines, before Python-Markdown parses blocks.
    Step("preprocessors", "kb_trusted_reset", 1000,
         "forget the last page's trusted HTML before anything of this page is stashed"),
    Step("preprocessors", "kb_page", 40,
         "read the page marker first: every later step asks which page it renders"),
    Step("preprocessors", "kb_guard", 29.9,
         "bound the page's cost after whitespace is normalised (30), before any step reads it"),
    Step("preprocessors", "kb_comments", 29.8,
         "drop %%comments%% before the steps that draw (links and tags skip them by the shared "
         "reading too)"),
    Step("preprocessors", "kb_fences", 29.75,
         "close an unclosed fence as CommonMark does, before fenced code (25) reads fences"),
    Step("preprocessors", "kb_cards", 29.7,
         "put the card above the body, the footer below it, before links are drawn in either"),
    Step("preprocessors", "kb_mermaid", 29.65,
         "take mermaid fences (closed by kb_fences) before fenced code (25) highlights them"),
    Step("preprocessors", "kb_wikilinks", 29.5,
         "draw links and embeds while code is still fenced text the shared reading skips"),
    Step("preprocessors", "kb_block_ids", 29.45,
         "turn `^id` into anchors after embeds (which read them) and before tags"),
    Step("preprocessors", "kb_tags", 29.4,
         "draw #tag pills once links are drawn (a tag inside a link stays the link's words)"),
    Step("preprocessors", "kb_demo", 29,
         "show demo output after the page's links are drawn, before fenced code (25)"),
    Step("preprocessors", "kb_query", 28,
         "run kb-query blocks after the marker, cards and links, before fenced code (25)"),
    Step("preprocessors", "kb_breakless_lists", 24.9,
         "start a list without a blank line before it, after fences (25) are stashed"),
    # Block processors: Python-Markdown's own, replaced under their names where Obsidian differs.
    Step("blockprocessors", "hashheader", 70,
         "Python-Markdown's heading, which here needs '# ' (a #tag line is no heading)"),
    Step("blockprocessors", "olist", 40, "Python-Markdown's ordered list, which here takes `1)` too"),
    Step("blockprocessors", "ulist", 30,
         "Python-Markdown's bullet list, whose nested items may be numbered `1)` too"),
    Step("blockprocessors", "kb_callouts", 21.1,
         "Obsidian's `> [!note]` before Python-Markdown's block quote (20) takes the lines"),
    # Inline patterns.
    Step("inlinePatterns", "nl", 5, "a single newline is a line break, as Obsidian shows it, last"),
    # Tree processors: the parsed page.
    Step("treeprocessors", "kb_block_ids", 10, "give block anchors their ids after inline (20)"),
    Step("treeprocessors", "kb_embedded", 4,
         "strip ids and permalinks from an embed's headings after the toc (5) adds them"),
    Step("treeprocessors", "kb_url_guard", 1, "check every URL the tree holds, once it is whole"),
    # Postprocessors: the page's HTML.
    Step("postprocessors", "kb_trusted_tokens", 31,
         "swap our trusted HTML for tokens before raw HTML (30) is put back"),
    Step("postprocessors", "kb_sanitise", 5,
         "sanitise the whole page after raw HTML and entities (20) are back, then restore ours"),
)

_BY_KEY = {(step.registry, step.name): step for step in STEPS}


def add(md: Markdown, registry: str, name: str, item: Any) -> None:
    """Register `item` as the step `name` of `registry` at the table's priority (KeyError for a
    step the table does not list: a new step gets its row, and its reason, first)."""
    step = _BY_KEY[(registry, name)]
    target = md.parser.blockprocessors if registry == "blockprocessors" else getattr(md, registry)
    target.register(item, name, step.priority)
