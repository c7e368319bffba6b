"""The MkDocs plugin: wiring only. The pages come from the emitters (`pages`, `graphdata`), the
Markdown from the extensions in `markdown/`; this file hands both to MkDocs and reports warnings.

To add a Markdown extension: put its module in `markdown/` (a `KbExtension`) and its name in
markdown.EXTENSIONS; it receives the build's context (the base, the map of what each page read). Demos run
before pages render (`on_pre_build`, cached and in parallel); the `demo` extension shows their
output, and failures are warnings, so `--strict` fails on them.
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path
from typing import Any

import markdown
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from ..demos import DemoCache, problems, run_base
from ..demos.batch import base_settings
from ..notes.files import make_folders, walk
from ..schema import AUTHOR_FIELD, MAX_AUTHOR_NODES, NOTE_DIRS
from ..study.log import LOG_PATH
from . import runtime
from .build import site_folder_problem
from .demo_site import EXTENSION, DemoTally, cross_origin_isolated, demo_results, extension_config
from .demo_site import STYLE as DEMO_STYLE
from .graphdata import index_json
from .markdown import EXTENSIONS, context
from .markdown.cards import fill_slots
from .pages import edit_path, page_makers
from .urls import INDEX_JSON

log = logging.getLogger("mkdocs.plugins.kb")
OVERRIDES = Path(__file__).resolve().parent / "overrides"  # main.html: a script before the theme's

DEFERRED = {"tooling.site.markdown.cards": {"defer": True}}  # slots filled in on_post_page


class KbConfig(Config):
    root = c.Optional(c.Type(str))  # the folder holding papers/, concepts/, notes/ (default: mkdocs.yml's)
    execute = c.Type(bool, default=True)  # run demos missing from the cache (`kb build --no-exec`: off)


class KnowledgeBasePlugin(BasePlugin[KbConfig]):
    # Set by `kb serve` before a rebuild: the last build's context, whose caches an edit leaves
    # valid (git dates, the graph's layout).
    previous: context.Context | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(self.config.root or os.path.dirname(config.config_file_path or ".") or ".")
        if not root.is_dir():
            raise PluginError(f"kb: the notes root '{root}' is not a folder")
        unsafe = site_folder_problem(root, Path(config.site_dir))
        if unsafe is not None:  # plain `mkdocs build` with a site_dir that holds the notes
            raise PluginError(f"kb: refusing to write the site to {config.site_dir}: {unsafe}")
        self.ctx = context.load_context(root, directory_urls=config.use_directory_urls,
                                        previous=self.previous)  # a fresh base for every build
        for name in EXTENSIONS:
            add_extension(config, name, {"context": self.ctx, "root": str(self.ctx.root),
                                         "directory_urls": config.use_directory_urls, **DEFERRED.get(name, {})})
        self.execute = self.config.execute
        self.metas: dict[str, dict[str, Any]] = {}  # each made page's metadata, until MkDocs reads it
        self.demos = DemoTally()
        self.demo_cache = DemoCache.of_root(self.ctx.root)  # one for the batch run and every page
        if self.demo_cache.refused:
            log.warning(f"kb: {self.demo_cache.refused}")
        self.ctx.demo_results = functools.partial(demo_results, self.demo_cache, base_settings(self.ctx.root))
        add_extension(config, EXTENSION, extension_config(
            self.ctx.root, self.execute, lambda report: self.demos.add(report, cached_too=False),
            self.demo_cache, lambda: self.ctx))
        for key, asset in (("extra_javascript", "assets/kb/kb.js"), ("extra_css", "assets/kb/kb.css"),
                           ("extra_css", DEMO_STYLE)):
            if asset not in config[key]:
                config[key].append(asset)
        dirs = config.theme.dirs  # after the user's own custom_dir, before the theme's templates
        if str(OVERRIDES) not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
        if config.theme.get("font") is not False:
            log.warning("kb: set `theme.font: false` so the site loads no web fonts from Google")
        # Embeds render other notes with the site's own extensions (markdown/transclude.py), as
        # instances of their own: a shared one (footnotes) keeps the page's state while an embed
        # is converted in the middle of the page.
        names = list(config.markdown_extensions)
        self.ctx.converter = lambda: markdown.Markdown(extensions=names,
                                                       extension_configs=config.mdx_configs)
        share_extensions(config)
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        # Every demo once, in parallel, before any page renders; the extension reads the cache.
        self.demo_report = run_base(self.ctx.kb.index.notes.values(), self.ctx.root, self.execute,
                                    cache=self.demo_cache)
        self.demos.add(self.demo_report)
        for problem in problems(self.demo_report):
            log.warning(f"{problem.path}:{problem.line}: {problem.message}")
        log.info(f"kb: {self.demos.describe()}")

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        # Every page's file, its Markdown made only when MkDocs reads the page (`on_pre_page`):
        # a build that reuses most pages (`kb build`'s cache, `kb serve`) never makes theirs.
        self.pending = page_makers(self.ctx)
        for src in self.pending:
            put(files, File.generated(config, src, content=""), edit_path(self.ctx, src))
        put(files, File.generated(config, INDEX_JSON, content=index_json(self.ctx)))
        for path in runtime.files():
            put(files, File.generated(config, f"{runtime.SITE_PATH}/{path.name}", abs_src_path=str(path)))
        if not runtime.present():
            log.info(f"kb: {runtime.missing_message()}")
        for rel in walk(self.ctx.root, NOTE_DIRS, confine=True).files:
            if not rel.endswith(".md") and rel != LOG_PATH:  # the review log is data, not a page
                put(files, File.generated(config, rel, abs_src_path=str(self.ctx.root / rel)))
        for file in files:  # MkDocs creates folders recursively: a thousand levels would crash it
            if file.dest_uri.count("/") > DEEP:
                make_folders(Path(config.site_dir) / file.dest_uri.rsplit("/", 1)[0])
        for each in self.ctx.kb.index.notes.values():
            authors = len(each.list_field(AUTHOR_FIELD))
            if authors > MAX_AUTHOR_NODES:
                log.warning(f"{each.path}: {authors:,} authors; the first {MAX_AUTHOR_NODES} have "
                            "author pages, the others are listed on its card as text")
        for link in self.ctx.kb.unresolved:
            if link.type == "wikilink":
                note = self.ctx.kb.note(link.source)
                log.warning(f"{note.path if note else link.source}:{link.line}: "
                            f"unresolved wikilink [[{link.raw}]]")
        return files

    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        make = self.pending.get(page.file.src_uri)
        if make is not None:
            made = make()
            page.file.content_string = made.markdown
            self.metas[page.file.src_uri] = made.meta
        return page

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        meta = self.metas.pop(page.file.src_uri, None)  # read_source found no front matter
        if meta is not None:
            page.meta = dict(meta)
        return markdown

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        self.env = env
        env.globals["kb_nav_cache"] = {}  # overrides/main.html: the menu, drawn once per key
        env.globals["kb_nav_key"] = nav_key
        return env

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        return fill_slots(self.ctx, page.file.src_uri, output)  # search has indexed the page

    def on_post_build(self, config: MkDocsConfig) -> None:
        for warning in self.ctx.warnings:
            log.warning(warning)
        self.ctx.warnings.clear()

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        for folder in NOTE_DIRS:  # plain `mkdocs serve` (`kb serve` rebuilds only what changed)
            if (self.ctx.root / folder).is_dir():
                server.watch(str(self.ctx.root / folder))
        server.set_app(cross_origin_isolated(server.get_app()))  # lets Stop interrupt Python
        return server


def add_extension(config: MkDocsConfig, name: str, options: dict[str, Any]) -> None:
    """Our extension with its options; mkdocs.yml may list it by name to choose its place."""
    config.mdx_configs[name] = options
    if name not in config.markdown_extensions:
        config.markdown_extensions.append(name)


# Extensions that keep no per-page state on their instance, so one instance serves every page
# (tests/test_site_build.py checks it). pymdownx.superfences is not one: it appends its default
# fence to a list on each page, so sharing it made every page slower than the last. Extensions
# not listed here, and any a user adds, are built per page as MkDocs does.
REUSABLE = frozenset({
    "toc", "tables", "admonition", "attr_list", "md_in_html", "footnotes", "fenced_code",
    "pymdownx.details", "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.tasklist",
    "pymdownx.arithmatex", "pymdownx.mark", "pymdownx.magiclink"})
OURS = "tooling.site.markdown."


def share_extensions(config: MkDocsConfig) -> None:
    """Build each reusable extension once, not once per page as MkDocs does (2,000 notes:
    1.17x faster, 30% less memory, the same output; Python-Markdown resets every registered
    extension when it makes a page's converter)."""
    builder = markdown.Markdown()
    built: list[Any] = [
        builder.build_extension(name, config.mdx_configs.get(name, {}))
        if isinstance(name, str) and (name in REUSABLE or name.startswith(OURS)) else name
        for name in config.markdown_extensions]
    config.markdown_extensions[:] = built


def nav_key(page: Page, nav: Any) -> tuple[object, ...]:
    """All the menu drawn on a page depends on: where each entry's link leads from this page
    (links are relative), which entries are active, and whether the page hides the menu."""
    from mkdocs.utils import get_relative_url

    parts: list[object] = [str((page.meta or {}).get("hide", ""))]
    items = list(nav.items)
    while items:
        item = items.pop()
        url = getattr(item, "url", None)
        parts.append((get_relative_url(url, page.url) if url is not None else item.title,
                      bool(getattr(item, "active", False))))
        items.extend(getattr(item, "children", None) or ())
    return tuple(parts)


DEEP = 64  # folders below which a page's output folders are made here, one level at a time


def put(files: Files, file: File, edit_path: str | None = None) -> None:
    """Add a file, replacing one at the same path; `edit_path` is the note behind the page."""
    if edit_path:
        file.edit_uri = edit_path
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)
