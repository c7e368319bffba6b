"""Where every node and generated page lives in the site, and how one page links to another.

Notes keep their real path as their page source (`papers/x.md` -> `papers/x/`), so the user's own
relative Markdown links keep working; authors without a note get a page beside the author notes.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from ..base import KnowledgeBase
from ..schema import AUTHOR, AUTHORS_DIR

INDEX_JSON = "assets/kb/kb-index.json"
# The pages the site makes that are no note's (`pages` emits them). A note is never published
# in their place: a note whose page would land at one of their URLs is moved aside.
HOME, READING, GRAPH, SUGGESTED = "index.md", "reading.md", "graph.md", "suggested.md"
PAPERS_INDEX, CONCEPTS_INDEX = "papers/index.md", "concepts/index.md"
NOTES_INDEX, AUTHORS_INDEX, TAGS_INDEX = "notes/index.md", f"{AUTHORS_DIR}/index.md", "tags/index.md"
LISTINGS = (HOME, READING, GRAPH, SUGGESTED, PAPERS_INDEX, CONCEPTS_INDEX, NOTES_INDEX, AUTHORS_INDEX,
            TAGS_INDEX)


@dataclass(slots=True)
class SiteMap:
    """Page sources and URLs for one build (directory URLs or `.html` files)."""

    kb: KnowledgeBase
    directory_urls: bool = True
    _urls: dict[str, str] = field(default_factory=dict, repr=False)  # node -> URL, per build
    _roots: dict[str, str] = field(default_factory=dict, repr=False)  # page -> path to the root
    _moved: dict[str, str] | None = field(default=None, repr=False)  # note id -> its page source

    def src_of(self, node: str) -> str:
        """The page source of a node: a note's own path (so its relative links work), unless
        that page would take a generated page's URL or another note's (`notes/index.md`,
        `notes/authors.md`, `x.md` beside `x/index.md`): then a free name beside it."""
        if self._moved is None:
            self._moved = self._collisions()
        note = self.kb.note(node)
        if note is None:
            return f"{AUTHORS_DIR}/{node}.md"
        return self._moved.get(node, note.path)

    def _collisions(self) -> dict[str, str]:
        taken = {self.url_of_src(src) for src in LISTINGS}
        taken |= {self.url_of_src(f"{AUTHORS_DIR}/{node}.md") for node, data in self.kb.graph.nodes(data=True)
                  if data["kind"] == AUTHOR and self.kb.note(node) is None}
        moved: dict[str, str] = {}
        for note in sorted(self.kb.index.notes.values(), key=lambda n: (n.path.count("/"), n.path)):
            src = note.path
            number = 1
            while self.url_of_src(src) in taken:
                number += 1
                src = f"{note.path[:-3]}-{number}.md"
            taken.add(self.url_of_src(src))
            if src != note.path:
                moved[note.id] = src
        return moved

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
