"""Builds that render only the pages whose inputs changed: `kb build` with its cache, and every
rebuild of `kb serve`.

The plugin loads the base and runs the demos; then `Steering.plan` compares the digest of every
input the last build's pages read (`depmap`, `inputs`) with its value now and marks stale the
pages that read a changed one, and new pages. MkDocs (`mkdocs_api.build`) renders only those;
every other page is written from the cache with its search entries and warnings, so the site,
its search index and sitemap are what a clean build writes. A cache made with another
configuration, other code or other versions of the libraries (its `fingerprint`), or a site with
plugins this cannot vouch for, is not used.
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from ..base import few_full_collections
from .depmap import DepMap, changed_inputs, stale, updated
from .graphdata import index_json
from .inputs import Inputs, digest_of
from .mkdocs_api import Host, Reused, build, rebuild
from .pages import page_makers
from .sitecache import PageRecord, SiteCache, Store, stamp_of
from .urls import INDEX_JSON

PACKAGE = Path(__file__).resolve().parent.parent  # tooling/: its code and templates draw pages
SKIPPED = ("__pycache__", "runtime")  # compiled code; the fetched Python runtime (not in pages)
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "markdown-callouts",
             "mdx-breakless-lists", "pygments", "jinja2")
SUPPORTED = {"kb", "search", "material/search"}  # plugins whose per-page work the cache replays


class Steering:
    """Tells a build which pages to render and which to take from the cache, and records what
    the rendered ones read (the `mkdocs_api.PageHooks` of a build)."""

    def __init__(self, previous: SiteCache | None, store: Store, serve: str | None = None,
                 replay: bool = True) -> None:
        self.previous, self.store, self.serve, self.replay = previous, store, serve, replay
        self.usable: SiteCache | None = None
        self.made: set[str] = set()
        self.stale: set[str] = set()
        self.records: dict[str, PageRecord] = {}
        self.built_now: set[str] = set()
        self.noted: dict[str, list[str]] = {}
        self._mark = 0

    def plan(self, config: MkDocsConfig) -> None:
        plugin: Any = config.plugins["kb"]
        self.config = config
        self.fingerprint = fingerprint(config, plugin.execute, self.serve)
        previous = self.previous
        if previous is None or previous.fingerprint != self.fingerprint \
                or not set(config.plugins) <= SUPPORTED:
            previous = None
        self.start(plugin.ctx, previous)

    def start(self, ctx: Any, previous: SiteCache | None) -> None:
        """Compare every input `previous` recorded with its value in `ctx`'s base, and mark
        stale the pages that read a changed one (all of them without `previous`)."""
        self.ctx, self.usable = ctx, previous
        self.inputs = Inputs(ctx, previous.depmap if previous else None)
        self.made = set(page_makers(ctx))
        if previous is None:
            self.stale = set(self.made)
        else:
            changed = changed_inputs(previous.depmap, self.inputs.digest)
            self.stale = stale(previous.depmap, changed, self.made)
            if previous.layout is not None and previous.layout[0] == layout_key(ctx) \
                    and "layout" not in ctx.memo:
                ctx.memo["layout"] = {n: tuple(p) for n, p in previous.layout[1].items()}
        self.store.start()

    def reuse(self, src: str) -> Reused | None:
        previous = self.usable
        if previous is None or src in self.stale or src not in self.made:
            return None
        record = previous.pages.get(src)
        found = self.store.reused(src, record) if record is not None else None
        if found is None or record is None:
            self.stale.add(src)
            return None
        self.records[src] = record
        if not self.replay:
            return Reused(found.html, found.search)
        self.ctx.warnings.extend(record.noted)
        return found

    def entered(self, src: str) -> None:
        self._mark = len(self.ctx.warnings)

    def left(self, src: str) -> None:
        self.noted.setdefault(src, []).extend(self.ctx.warnings[self._mark:])

    def built(self, src: str, dest: str, search: list[Any], warnings: list[str]) -> None:
        if src not in self.made:
            return  # not one of the kb's pages (a page of docs_dir): built every time
        self.built_now.add(src)
        self.store.keep(src, dest)
        self.records[src] = PageRecord(os.path.relpath(dest, self.config.site_dir), list(search),
                                       list(warnings), self.noted.get(src, []))

    def finish(self) -> SiteCache:
        """What this build leaves for the next one."""
        reads = self.ctx.reads.by_page
        built = {src: reads.get(src, set()) for src in self.built_now}
        previous = self.usable.depmap if self.usable is not None else None
        depmap: DepMap = updated(previous, built, self.records, self.inputs.digests)
        if self.usable is not None:
            for src, record in self.usable.pages.items():
                if src not in self.made:
                    self.store.drop(self.config.site_dir, record)
        site = Path(self.config.site_dir)
        for record in self.records.values():  # as this build leaves them in the site folder
            record.stamp = stamp_of(site / record.dest)
        layout = self.ctx.memo.get("layout") if self.store.keeps_layout else None
        return SiteCache(self.fingerprint, depmap, dict(self.records),
                         (layout_key(self.ctx), dict(layout)) if layout is not None else None,
                         os.path.realpath(site))


@dataclass
class Built:
    """A build's outcome: what the next one can reuse, the pages it rendered, in strict mode
    why it fails (None: it does not), and the site as MkDocs holds it (to render pages of
    again)."""

    cache: SiteCache
    rendered: set[str]
    failed: str | None
    host: Host


def build_cached(config: MkDocsConfig, previous: SiteCache | None, store: Store,
                 serve: str | None = None, clean: bool = True, replay: bool = True) -> Built:
    """Build the site of `config`, rendering only the pages `previous` cannot supply (and,
    with `replay`, reporting again the warnings of those it reuses, as a clean build would)."""
    steering = Steering(previous, store, serve, replay)
    with few_full_collections():
        host, failed = build(config, steering, serve, clean)
        return Built(steering.finish(), steering.built_now, failed, host)


def rebuild_pages(built: Built, ctx: Any) -> Built | None:
    """Render again, on the site `built` made, the pages whose inputs differ in `ctx`'s base
    (the build's own context, given a new base); None when the set of pages changed, which
    takes a build (`build_cached`)."""
    steering = Steering(built.cache, Store(), replay=False)
    steering.config, steering.fingerprint = built.host.config, built.cache.fingerprint
    steering.start(ctx, built.cache)
    if steering.made != set(built.cache.pages):
        return None
    built.host.config.plugins["kb"].pending = page_makers(ctx)  # type: ignore[attr-defined]
    rebuild(built.host, steering)
    graph = built.host.files.get_file_from_path(INDEX_JSON)
    if graph is not None:  # the graph's data: titles, statuses and links may have changed
        Path(graph.abs_dest_path).write_text(index_json(ctx), encoding="utf-8")
    return Built(steering.finish(), steering.built_now, None, built.host)


def layout_key(ctx: Any) -> str:
    """What the global layout depends on: the nodes (authors apart) and the edges between them
    (computed once per base)."""
    found = ctx.memo.get("layout-key")
    if found is None:
        graph = ctx.kb.graph
        found = ctx.memo["layout-key"] = digest_of((
            sorted((n, d["kind"] == "author") for n, d in graph.nodes(data=True)),
            sorted((u, v) for u, v in graph.edges())))
    return str(found)


def fingerprint(config: MkDocsConfig, execute: bool, serve: str | None) -> str:
    """Everything besides the notes a page's HTML depends on: the configuration files (with the
    ones they inherit), the settings a build is given, the tool's code and templates, the theme's
    overrides, and the versions of Python and of the libraries that render Markdown and pages."""
    digest = hashlib.blake2b(digest_size=16)
    for path in _config_chain(Path(config.config_file_path or "mkdocs.yml")):
        digest.update(path.read_bytes())
    digest.update(repr((config.site_url, config.use_directory_urls, execute, bool(serve),
                        platform.python_version(), [_version(n) for n in LIBRARIES])).encode())
    folders = [PACKAGE] + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])
    for folder in folders:
        for path in sorted(_files(folder)):
            digest.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape"))
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _files(folder: Path) -> list[Path]:
    found = []
    for top, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in SKIPPED and not d.startswith(".")]
        found += [Path(top) / name for name in names if not name.endswith(".pyc")]
    return found


_INHERIT = re.compile(r"^INHERIT:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", re.MULTILINE)


def _config_chain(path: Path) -> list[Path]:
    """A configuration file and those it inherits (`INHERIT:`), nearest first."""
    chain: list[Path] = []
    while path.is_file() and path not in chain and len(chain) < 20:
        chain.append(path)
        found = _INHERIT.search(path.read_text(encoding="utf-8", errors="replace"))
        if found is None:
            break
        path = (path.parent / found.group(1).strip()).resolve()
    return chain


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
