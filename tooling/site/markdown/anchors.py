"""Where `[[#Heading]]`, `[[note#Heading]]` and `[[note#^id]]` lead, and block ids as anchors.

A block id (`^id` ending a line, as `tooling.syntax` finds it) is no text on the page: it becomes
the `id` of its paragraph or list item (`id="^id"`, so `#^id` in a URL is the one Obsidian
writes); an id alone on its line after a blank line names the block above it (a list, a quote,
a table). A heading's anchor is the id the toc extension gives it, computed with the toc's own
slugify and separator (whatever mkdocs.yml sets), so a link and its target cannot disagree.
Inside an embed (another page's text shown in this one) ids are left out: the page keeps one of
each.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import Any

from markdown import Markdown
from markdown.extensions.toc import slugify as default_slugify
from markdown.extensions.toc import unique
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ...syntax import Heading, Scan, find_heading, may_hold_block_ids, plain_title, splice
from .context import KbExtension, is_embedded
from .pipeline import add

# The marker a block id leaves in the text until the tree is built (STX/ETX never reach here
# from a note: Python-Markdown removes them from the source first).
_MARK = re.compile("[ \t]*\x02kb-block:([A-Za-z0-9-]+)\x03")
_BLOCKS = frozenset({"p", "li", "td", "th", "dt", "dd"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def block_anchor(name: str) -> str:
    """The element id of block `^name`."""
    return f"^{name}"


def shown_anchor(anchor: str) -> str:
    """An anchor as Obsidian shows it in a link's text: `Part#Sub` as "Part > Sub"."""
    return " > ".join(part.strip() for part in anchor.split("#") if part.strip())


def slugify_of(md: Markdown) -> tuple[Callable[..., str], str]:
    """The toc extension's slugify and separator on this converter (its defaults without it)."""
    toc = md.treeprocessors["toc"] if "toc" in md.treeprocessors else None
    if toc is None:
        return default_slugify, "-"
    return getattr(toc, "slugify", default_slugify), getattr(toc, "sep", "-")


def heading_ids(headings: list[Heading], md: Markdown) -> dict[int, str]:
    """The id the toc extension gives each heading (by its offset), duplicates numbered as it
    numbers them (`setup`, `setup_1`)."""
    slugify, sep = slugify_of(md)
    used: set[str] = set()
    return {h.start: unique(slugify(plain_title(h.text), sep), used) for h in headings}


def anchor_id(anchor: str, scan: Scan, md: Markdown) -> str:
    """The element id a link's anchor leads to in the text `scan` reads: a block's, or the
    heading it names (`A#B`: B inside A); an anchor naming no heading is slugified as written."""
    if anchor.startswith("^"):
        return block_anchor(anchor[1:].strip())
    heading = find_heading(scan.headings, anchor)
    if heading is None:
        slugify, sep = slugify_of(md)
        return str(slugify(plain_title(anchor.split("#")[-1]), sep))
    return heading_ids(scan.headings, md)[heading.start]


class BlockIdPreprocessor(Preprocessor):
    """Each block id becomes a marker the tree processor turns into its block's id."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if not may_hold_block_ids(text):
            return lines
        found = Scan(text).block_ids
        if not found:
            return lines
        return splice(text, ((block.start, block.end, f"\x02kb-block:{block.name}\x03")
                             for block in found)).split("\n")


class BlockIdTreeprocessor(Treeprocessor):
    """Markers out of the text; their block (or, for a marker alone, the block above) gets the
    id. Runs after inline patterns, before the toc numbers headings."""

    def run(self, root: etree.Element) -> None:
        keep = not is_embedded(self.md)
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in list(root.iter()):
            for owner, attribute in _texts(element):
                value = getattr(owner, attribute)
                if not value or "\x02kb-block:" not in value:
                    continue
                names = _MARK.findall(value)
                setattr(owner, attribute, _MARK.sub("", value))
                if names:
                    self._place(element, names[-1], parents, keep)

    def _place(self, element: etree.Element, name: str,
               parents: dict[etree.Element, etree.Element], keep: bool) -> None:
        """Give the block holding `element` the id (`keep` False: only tidy the marker away)."""
        block = element
        while block.tag not in _BLOCKS and block.tag not in _HEADINGS and block in parents:
            block = parents[block]
        if block.tag in _HEADINGS:
            return  # a heading keeps the id its links use
        if block.tag == "p" and not _has_content(block) and block in parents:
            parent = parents[block]
            siblings = list(parent)
            at = siblings.index(block)
            if at > 0:  # alone on its line: the block above it (a list, a quote, a table)
                if keep:
                    siblings[at - 1].set("id", block_anchor(name))
                parent.remove(block)
                return
        if keep:
            block.set("id", block_anchor(name))


def _texts(element: etree.Element) -> list[tuple[Any, str]]:
    """Where an element's own words are: its text, and the tail after each child."""
    return [(element, "text"), *((child, "tail") for child in element)]


def _has_content(element: etree.Element) -> bool:
    return bool((element.text or "").strip()) or len(element) > 0


class AnchorExtension(KbExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        self.context(md)
        add(md, "preprocessors", "kb_block_ids", BlockIdPreprocessor(md))
        add(md, "treeprocessors", "kb_block_ids", BlockIdTreeprocessor(md))


def makeExtension(**kwargs: Any) -> AnchorExtension:  # noqa: N802
    return AnchorExtension(**kwargs)
