"""`kb serve`: the site on 127.0.0.1 with live reload, rebuilding only what an edit touches.

The first build is a full MkDocs build. After that, saving a note re-renders the note's page, the
pages of every note it links to or linked to (their backlinks and cards change), the index and tag
pages it appears in, and the graph index; nothing else. A new, deleted or renamed note, or a
changed mkdocs.yml, rebuilds everything. MkDocs has no public API for one page, so this uses its
build steps `_populate_page` and `_build_page` (MkDocs is pinned below 2).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..base import KnowledgeBase, collector_paused, open_base
from ..notes.files import walk
from ..reports import tags
from ..schema import NOTE_DIRS
from .demo_site import cross_origin_isolated
from .graphdata import index_json
from .markdown import context
from .pages import AUTHORS_INDEX, CONCEPTS_INDEX, HOME, NOTES_INDEX, PAPERS_INDEX, READING, TAGS_INDEX, emit
from .render import tag_src
from .urls import INDEX_JSON, SiteMap

log = logging.getLogger("mkdocs.plugins.kb.serve")  # `kb serve` shows its info lines
LISTINGS = {HOME, READING, PAPERS_INDEX, CONCEPTS_INDEX, NOTES_INDEX, AUTHORS_INDEX, TAGS_INDEX}


def snapshot(root: Path) -> dict[str, int]:
    """Modification time of every file of the base."""
    found = {}
    for rel in walk(root, NOTE_DIRS, confine=True).files:
        try:
            found[rel] = (root / rel).stat().st_mtime_ns
        except OSError:
            continue
    return found


def touched_pages(old: KnowledgeBase, new: KnowledgeBase, changed: set[str]) -> set[str]:
    """Page sources an edit of the notes at `changed` paths can alter."""
    pages = set(LISTINGS)
    for kb in (old, new):
        site = SiteMap(kb)
        ids = {kb.index.paths[p] for p in changed if p in kb.index.paths}
        for node in ids:
            if node in kb.graph:
                for near in (*kb.graph.predecessors(node), *kb.graph.successors(node), node):
                    pages.add(site.src_of(near))
        tagged = tags(kb)
        pages |= {tag_src(t) for t, notes in tagged.items() if any(n.path in changed for n in notes)}
    return pages


class Incremental:
    """Rebuilds after a save: only the touched pages when the set of notes is unchanged."""

    def __init__(self, root: Path, config_file: Path, site_dir: Path, address: str) -> None:
        self.root, self.config_file, self.site_dir, self.address = root, config_file, site_dir, address
        self.config: Any = None
        self.files_seen = snapshot(root)

    def load(self) -> Any:
        from mkdocs.config import load_config
        from mkdocs.livereload import _serve_url

        config = load_config(config_file=str(self.config_file), site_dir=str(self.site_dir),
                             dev_addr=self.address)
        host, port = config.dev_addr
        config.site_url = _serve_url(host, port, urlsplit(config.site_url or "/").path)
        return config

    def full(self) -> None:
        from mkdocs.commands.build import build

        self.config = self.load()
        build(self.config, serve_url=self.config.site_url)
        self.files_seen = snapshot(self.root)

    def __call__(self, *_: Any) -> None:
        now = snapshot(self.root)
        changed = {p for p, t in now.items() if self.files_seen.get(p) != t}
        if self.config is None or set(now) != set(self.files_seen) or not changed \
                or any(not p.endswith(".md") for p in changed):
            self.full()
            return
        self.files_seen = now
        with collector_paused():  # two bases in memory: a full collection alone took 0.4 s
            self.pages(changed)

    def pages(self, changed: set[str]) -> None:
        from mkdocs.commands.build import _build_page, _populate_page

        plugin = self.config.plugins["kb"]
        old = plugin.ctx
        ctx = context.reload(self.root, open_base(self.root))
        sentences = {k: v for k, v in old.sentences().items()
                     if ctx.kb.index.notes.get(k[0]) is None or ctx.kb.index.notes[k[0]].path not in changed}
        from .backlinks import link_sentences

        sentences.update(link_sentences(ctx.kb, [n for n in ctx.kb.index.notes.values() if n.path in changed]))
        ctx.memo["sentences"] = sentences
        plugin.ctx = ctx
        wanted = touched_pages(old.kb, ctx.kb, changed)
        files, nav, env = plugin.files, plugin.nav, plugin.env
        doc_files = files.documentation_pages()
        for page in emit(ctx, only=wanted):
            file = files.get_file_from_path(page.src)
            if file is None or file.page is None:
                continue
            file.content_string = page.markdown
            _populate_page(file.page, self.config, files)
            _build_page(file.page, self.config, doc_files, nav, env)
        (self.site_dir / INDEX_JSON).write_text(index_json(ctx), encoding="utf-8")
        log.info(f"kb: rebuilt {len(wanted)} pages for {', '.join(sorted(changed))}")


def serve(root: Path, config_file: Path, address: str, ready: Callable[[], None] | None = None) -> None:
    """Build once, then serve and rebuild on each save until interrupted."""
    from mkdocs.livereload import LiveReloadServer

    site_dir = Path(tempfile.mkdtemp(prefix="kb-serve-"))
    rebuild = Incremental(root, config_file, site_dir, address)
    try:
        rebuild.full()
        host, port = rebuild.config.dev_addr
        server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(site_dir),
                                  mount_path=urlsplit(rebuild.config.site_url or "/").path)
        app = server.get_app()
        if app is not None:  # lets demos' Stop interrupt Python
            server.set_app(cross_origin_isolated(app))
        for folder in NOTE_DIRS:
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        server.watch(str(config_file))
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)
