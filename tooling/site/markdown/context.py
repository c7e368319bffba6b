"""The knowledge base as the site's Markdown extensions see it: one `Context` per build, handed
to every extension by the host (the kb plugin), with no MkDocs in sight and no state kept
between builds in the module.

A generated page starts with a marker line, `[//]: # (kb-page papers/x.md)`: a Markdown comment
any renderer hides, which tells the extensions which page they render, whatever host runs them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from ...base import KnowledgeBase, open_base
from ...notes.dates import keep_history
from ..depmap import Reads
from .pipeline import add

_MARKER = re.compile(r"\[//\]: # \(kb-(page|embed) (.+)\)")


def clock() -> dt.date:
    """The day now: read once per build (a new `Context`) and once per `kb serve` reload
    (`rebase`), and nowhere else in the site."""
    return dt.date.today()


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
    reads: Reads = field(default_factory=Reads)  # what each page read, for `depmap`
    # Each demo block of a note with its cache key and result, as its page shows them (set by the
    # host that runs demos; the input `demos:` of `inputs`).
    demo_results: Callable[[Any], Any] | None = None
    # The build's day, read once: a build that runs past midnight draws every page (review dates,
    # what is due, queries on dates) and digests its `today` input for one and the same day.
    today: dt.date = field(default_factory=clock)

    @property
    def renderer(self) -> Any:
        found = self.memo.get("renderer")
        if found is not None and found.site.directory_urls == self.directory_urls:
            return found  # asked for by every link a page draws: no import on this path
        from ..render import Renderer
        from ..urls import SiteMap

        found = self.memo["renderer"] = Renderer(SiteMap(self.kb, self.directory_urls), self.today,
                                                 self.reads)
        return found

    def rebase(self, kb: KnowledgeBase) -> None:
        """The same context over a new base (an edit under `kb serve`): what was drawn from the
        old one is forgotten, but for the caches an edit does not invalidate."""
        self.kb = kb
        self.today = clock()
        self.pages = {}
        self.memo = {k: v for k, v in self.memo.items() if k in _KEPT}
        self.reads = Reads()

    def read(self, page: str, *keys: str) -> None:
        """Note that the page `page` read these inputs (see `inputs`)."""
        self.reads.add(page, *keys)

    def body_links(self) -> dict[str, list[Any]]:
        """Each note's body links, in the order written (computed once)."""
        from ..backlinks import body_links

        found = self.memo.get("body-links")
        if found is None:
            found = self.memo["body-links"] = body_links(self.kb.links)
        return found

    def sentence(self, source: str, target: str) -> Any:
        """The sentence of `source`'s body that links to `target` (None when none does), read
        once per source note, when first asked for."""
        from ..backlinks import sentences_of

        memo: dict[str, Any] = self.memo.setdefault("sentences", {})
        found = memo.get(source)
        if found is None:
            note = self.kb.note(source)
            found = memo[source] = {} if note is None else \
                sentences_of(self.kb, note, self.body_links().get(source, ()))
        return found.get(target)

    def page_sentence(self, page: str, source: str, target: str) -> Any:
        """`sentence`, for a page that shows it."""
        from ..inputs import SENTENCE, key

        self.reads.add(page, key(SENTENCE, source, target))
        return self.sentence(source, target)

    def dates(self, note: Any) -> Any:
        """Created and modified dates of a note (git history read once per base)."""
        from ..dates import note_dates

        return note_dates(self.kb, note)

    def card_of(self, page: Page) -> str:
        """The header card of a note or author page."""
        from ..card import card
        from ..inputs import card_inputs

        assert page.node is not None
        note = self.kb.note(page.node)
        self.reads.add(page.src, *card_inputs(note, page.node))
        return card(self.renderer, note, page.node, page.src, self.dates(note) if note else None)

    def footer_of(self, node: str, src: str, skip: tuple[str, ...] = ()) -> str:
        """Backlinks and the local graph of a note or author page (its neighbourhood inlined)."""
        from ..backlinks import backlinks_html
        from ..graphdata import local_json, neighbours
        from ..inputs import AROUND, IN, OUT

        self.reads.add(src, IN + node, OUT + node, AROUND + node)
        html = backlinks_html(self.renderer, node, src, self.page_sentence, skip)
        if neighbours(self).get(node):
            html += (f'<div class="kb-local-graph" data-kb-node="{escape(node)}">'
                     f'<script type="application/json">{local_json(self, node, src)}</script></div>')
        return html


def load_context(root: Path | str, kb: KnowledgeBase | None = None, directory_urls: bool = True,
                 previous: Context | None = None) -> Context:
    """A fresh context for a notes root (a new build, or an edit under `kb serve`); `previous`,
    the last build's, lends it the caches an edit does not invalidate (git dates, the layout)."""
    key = Path(root).resolve()
    fresh = Context(key, kb or open_base(key, previous.kb if previous is not None else None),
                    directory_urls)
    if previous is not None:
        fresh.memo = {k: v for k, v in previous.memo.items() if k in _KEPT}
        fresh.converter = previous.converter
        keep_history(previous.kb, fresh.kb)  # an edit does not change the git history
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
        add(md, "preprocessors", "kb_page", _PageMarker(md))


def current_page(md: Markdown) -> str | None:
    """The page being converted, as its marker named it (None for text without one)."""
    return getattr(md, "kb_page", None)


def is_embedded(md: Markdown) -> bool:
    """Whether the text being converted is another note's, shown inside a page (an embed)."""
    return bool(getattr(md, "kb_embedded", False))


def root_config() -> dict[str, list[Any]]:
    """The configuration every extension takes: the base's context (what the kb plugin gives),
    or the notes root and URL style to make one from."""
    return {"context": ["", "the base's Context, shared by every extension of a build (the kb "
                            "plugin passes its own); '' to load one from `root`"],
            "root": [".", "the folder holding papers/, concepts/ and notes/"],
            "directory_urls": [True, "pages at x/ (True) or x.html (False)"]}


class KbExtension(Extension):
    """Base of the site's extensions: configured with the base's `context` (or with `root`, and
    `directory_urls`, to load one), reaching it with `self.context(md)`, which also registers the
    page-marker reader."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = root_config() | getattr(self, "extra_config", {})
        self._loaded: Context | None = None
        super().__init__(**kwargs)

    def context(self, md: Markdown) -> Context:
        use_page_marker(md)
        given = self.getConfig("context")
        if isinstance(given, Context):
            return given
        if self._loaded is None:  # a host that can only name the root: loaded once per extension
            self._loaded = load_context(self.getConfig("root"),
                                        directory_urls=self.getConfig("directory_urls"))
        return self._loaded
