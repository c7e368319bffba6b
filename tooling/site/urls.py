"""Where every node and generated page lives in the site, and how one page links to another.

Notes keep their real path as their page source (`papers/x.md` -> `papers/x/`), so the user's own
relative Markdown links keep working; authors without a note get a page beside the author notes.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from ..base import KnowledgeBase
from ..schema import AUTHORS_DIR

INDEX_JSON = "assets/kb/kb-index.json"


@dataclass(slots=True)
class SiteMap:
    """Page sources and URLs for one build (directory URLs or `.html` files)."""

    kb: KnowledgeBase
    directory_urls: bool = True
    _urls: dict[str, str] = field(default_factory=dict, repr=False)  # node -> URL, per build
    _roots: dict[str, str] = field(default_factory=dict, repr=False)  # page -> path to the root

    def src_of(self, node: str) -> str:
        note = self.kb.note(node)
        return note.path if note is not None else f"{AUTHORS_DIR}/{node}.md"

    def url_of_src(self, src: str) -> str:
        """Site-relative URL of a page source, as MkDocs computes it."""
        stem = src[:-3] if src.endswith(".md") else src
        directory, name = posixpath.split(stem)
        if name in ("index", "README"):
            return f"{directory}/" if directory else ""
        if self.directory_urls:
            return f"{stem}/"
        return f"{stem}.html"

    def url_of(self, node: str) -> str:
        found = self._urls.get(node)
        if found is None:
            found = self._urls[node] = self.url_of_src(self.src_of(node))
        return found

    def href(self, from_src: str, to_url: str, anchor: str | None = None) -> str:
        """A relative href from the page of `from_src` to a site-relative URL.

        Always via the site root (`../../concepts/x/`): valid from anywhere, and computed in
        constant time, which matters at tens of links per page and thousands of pages.
        """
        target = self.root_from(from_src) + to_url
        return (target or "./") + (f"#{anchor}" if anchor else "")

    def root_from(self, from_src: str) -> str:
        """Relative path from a page to the site root: '' or '../' repeated."""
        found = self._roots.get(from_src)
        if found is None:
            found = self._roots[from_src] = "../" * self.url_of_src(from_src).count("/")
        return found
