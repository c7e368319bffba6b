"""The knowledge base as the site's Markdown extensions see it: computed once per notes root and
shared by every extension of every page, with no MkDocs in sight.

A generated page starts with a marker line, `[//]: # (kb-page papers/x.md)`: a Markdown comment
any renderer hides, which tells the extensions which page they render, whatever host runs them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from ...base import KnowledgeBase, open_base
from ...notes.dates import keep_history

_MARKER = re.compile(r"\[//\]: # \(kb-(page|embed) (.+)\)")


def page_marker(src: str) -> str:
    """The first line of a generated page: which page it is (`src`, e.g. `papers/x.md`)."""
    return f"[//]: # (kb-page {src})\n\n"


def embed_marker(src: str) -> str:
    """The first line of another note's text shown inside page `src` (an embed): links are
    relative to `src`, and no card, footer, demo or anchor id is added."""
    return f"[//]: # (kb-embed {src})\n\n"


@dataclass
class Page:
    """What the extensions need to know about one page of the site."""

    src: str
    node: str | None = None  # the graph node it shows (a note or an author), if any
    footer: Callable[[], str] | None = None  # HTML after the body: backlinks, lists


@dataclass
class Context:
    """One notes root's base, site map and pages; `renderer` draws HTML fragments."""

    root: Path
    kb: KnowledgeBase
    directory_urls: bool = True
    pages: dict[str, Page] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)  # per-build caches (dates, layouts)
    warnings: list[str] = field(default_factory=list)  # for the host to report (MkDocs: warnings)
    # Makes a converter with the site's Markdown extensions (embeds render other notes with it);
    # None: Python-Markdown with the common extensions and ours (`transclude.default_converter`).
    converter: Callable[[], Markdown] | None = None

    @property
    def renderer(self) -> Any:
        from ..render import Renderer
        from ..urls import SiteMap

        found = self.memo.get("renderer")
        if found is None or found.site.directory_urls != self.directory_urls:
            found = self.memo["renderer"] = Renderer(SiteMap(self.kb, self.directory_urls))
        return found


    def sentences(self) -> dict[tuple[str, str], Any]:
        """The linking sentence of every (source, target) body link, computed once."""
        from ..backlinks import link_sentences

        found = self.memo.get("sentences")
        if found is None:
            found = self.memo["sentences"] = link_sentences(self.kb, self.kb.index.notes.values())
        return found

    def dates(self, note: Any) -> Any:
        """Created and modified dates of a note (git history read once per base)."""
        from ..dates import note_dates

        return note_dates(self.kb, note)

    def card_of(self, page: Page) -> str:
        """The header card of a note or author page."""
        from ..card import card

        assert page.node is not None
        note = self.kb.note(page.node)
        return card(self.renderer, note, page.node, page.src, self.dates(note) if note else None)

    def footer_of(self, node: str, src: str, skip: tuple[str, ...] = ()) -> str:
        """Backlinks and the local graph of a note or author page (its neighbourhood inlined)."""
        from ..backlinks import backlinks_html
        from ..graphdata import local_json, neighbours

        html = backlinks_html(self.renderer, node, src, self.sentences(), skip)
        if neighbours(self).get(node):
            html += (f'<div class="kb-local-graph" data-kb-node="{escape(node)}">'
                     f'<script type="application/json">{local_json(self, node, src)}</script></div>')
        return html


_CONTEXTS: dict[Path, Context] = {}
_RESOLVED: dict[str, Path] = {}  # each extension asks once per page: no filesystem call each time
_LOCK = threading.Lock()


def for_root(root: Path | str, directory_urls: bool = True) -> Context:
    """The shared context of a notes root, loaded on first use."""
    key = _RESOLVED.get(str(root))
    if key is None:
        key = _RESOLVED[str(root)] = Path(root).resolve()
    with _LOCK:
        found = _CONTEXTS.get(key)
        if found is None:
            found = _CONTEXTS[key] = Context(key, open_base(key), directory_urls)
        found.directory_urls = directory_urls
        return found


def reload(root: Path | str, kb: KnowledgeBase | None = None) -> Context:
    """Replace a root's context with a fresh base (a new build, or an edit under `kb serve`)."""
    key = Path(root).resolve()
    with _LOCK:
        old = _CONTEXTS.get(key)
        fresh = Context(key, kb or open_base(key), old.directory_urls if old else True)
        if old is not None:
            fresh.pages, fresh.converter = old.pages, old.converter
            fresh.memo = {k: v for k, v in old.memo.items() if k in _KEPT}
            keep_history(old.kb, fresh.kb)  # an edit does not change the git history
        _CONTEXTS[key] = fresh
        return fresh


_KEPT = ("layout",)  # caches an edit does not invalidate wholesale


class _PageMarker(Preprocessor):
    """Reads and removes the page marker; `current_page(md)` answers from it."""

    def run(self, lines: list[str]) -> list[str]:
        for position, line in enumerate(lines[:3]):
            match = _MARKER.fullmatch(line)
            if match:
                self.md.kb_page = match.group(2)  # type: ignore[attr-defined]
                self.md.kb_embedded = match.group(1) == "embed"  # type: ignore[attr-defined]
                return lines[:position] + lines[position + 1:]
        self.md.kb_page = None  # type: ignore[attr-defined]
        self.md.kb_embedded = False  # type: ignore[attr-defined]
        return lines


def use_page_marker(md: Markdown) -> None:
    """Register the marker reader once per Markdown instance (every extension calls this)."""
    if "kb_page" not in md.preprocessors:
        md.preprocessors.register(_PageMarker(md), "kb_page", 40)


def current_page(md: Markdown) -> str | None:
    """The page being converted, as its marker named it (None for text without one)."""
    return getattr(md, "kb_page", None)


def is_embedded(md: Markdown) -> bool:
    """Whether the text being converted is another note's, shown inside a page (an embed)."""
    return bool(getattr(md, "kb_embedded", False))


def root_config() -> dict[str, list[Any]]:
    """The configuration every extension takes: the notes root and the URL style."""
    return {"root": [".", "the folder holding papers/, concepts/ and notes/"],
            "directory_urls": [True, "pages at x/ (True) or x.html (False)"]}


class KbExtension(Extension):
    """Base of the site's extensions: configured with `root` (and `directory_urls`), reaching
    the shared context with `self.context(md)`, which also registers the page-marker reader."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = root_config() | getattr(self, "extra_config", {})
        super().__init__(**kwargs)

    def context(self, md: Markdown) -> Context:
        use_page_marker(md)
        return for_root(self.getConfig("root"), self.getConfig("directory_urls"))
