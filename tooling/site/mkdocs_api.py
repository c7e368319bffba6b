"""MkDocs as the site's host, through one door: a build that takes some pages from a cache, the
dev server's URL, and every private API of MkDocs (and of mkdocs-material's search) that needs.

MkDocs (pinned below 2) has no public way to build one page, or to leave a page out of a build
and still list it in the menu, the sitemap and the search index; its `build` is a fixed sequence
of plugin events and private steps. `build` below is that sequence with one difference: a page
the caller can supply (`PageHooks.reuse`) is written as cached, with its search entries and
warnings, instead of being rendered. Each private name used is listed in PRIVATE with the
parameters passed to it; `tests/test_adapters.py` fails naming any that an upgrade renames or
reshapes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NoReturn, Protocol

import markdown
from markdown import Markdown
from mkdocs import utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, BuildError
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page

# Private names -> the parameters this module passes (attributes: an empty tuple).
PRIVATE: dict[str, tuple[str, ...]] = {
    "mkdocs.commands.build._populate_page": ("page", "config", "files"),
    "mkdocs.commands.build._build_page": ("page", "config", "doc_files", "nav", "env", "excluded"),
    "mkdocs.commands.build._build_theme_template": ("template_name", "env", "files", "config", "nav"),
    "mkdocs.commands.build._build_extra_template": ("template_name", "files", "config", "nav"),
    "mkdocs.livereload._serve_url": ("host", "port", "path"),
    "mkdocs.livereload._Handler": (),  # the dev server's request handler (`kb serve` times it out)
    "mkdocs.structure.pages.markdown": (),  # the module `Page.render` makes its Markdown with
    "material.plugins.search.plugin.SearchIndex.entries": (),
}
SEARCH_PLUGINS = ("material/search", "search")  # the theme's search: its index has `entries`
log = logging.getLogger("mkdocs.plugins.kb")


def serve_url(host: str, port: int, path: str) -> str:
    """The URL the dev server serves the site at (MkDocs' own rule)."""
    from mkdocs.livereload import _serve_url

    return _serve_url(host, port, path)


def request_handler() -> Any:
    """The dev server's request handler class (to subclass: `kb serve` times idle clients out)."""
    from mkdocs.livereload import _Handler

    return _Handler


@dataclass
class Reused:
    """A page taken from a cache: its HTML (None when the site folder already holds it), the
    entries it adds to the search index, and the warnings its build logged."""

    html: bytes | None
    search: list[Any] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class PageHooks(Protocol):
    """What a build asks of the cache that steers it."""

    def plan(self, config: MkDocsConfig) -> None:
        """Called once plugins are configured and demos have run, before any page is read."""

    def reuse(self, src: str) -> Reused | None:
        """The page to write as cached instead of building it, or None to build it."""

    def entered(self, src: str) -> None:
        """A page's Markdown is about to be rendered, or its template filled."""

    def left(self, src: str) -> None:
        """... and is done."""

    def built(self, src: str, dest: str, search: list[Any], warnings: list[str]) -> None:
        """A page was built and written at `dest`, adding `search` to the index."""


def search_entries(config: MkDocsConfig) -> list[Any] | None:
    """The search index's list of entries, which grows as pages are built (None without the
    theme's search plugin)."""
    for name in SEARCH_PLUGINS:
        plugin = config.plugins.get(name)
        index = getattr(plugin, "search_index", None)
        entries = getattr(index, "entries", None)
        if isinstance(entries, list):
            return entries
    return None


class _Caught(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _warnings(into: list[str]) -> Iterator[None]:
    """Collect the warnings MkDocs and its plugins log meanwhile (they still reach the log)."""
    handler = _Caught()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        into.extend(handler.messages)


@dataclass
class Host:
    """A site MkDocs has built and can render pages of again: its configuration, files, menu
    and templates, and the search entries of each page (in the order pages are built)."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Any
    inclusion: Callable[[InclusionLevel], bool]  # which pages this build includes (drafts in serve)
    search: dict[str, list[Any]] = field(default_factory=dict)

    def doc_files(self) -> list[File]:
        return list(self.files.documentation_pages(inclusion=self.inclusion))


def outputs(host: Host) -> set[str]:
    """Every file a build of this site writes (absolute paths): its files (pages, assets,
    attachments, the theme's), the theme's own templates (404 page, sitemap) and the search
    index."""
    site = host.config.site_dir
    found = {file.abs_dest_path for file in host.files}
    for template in host.config.theme.static_templates:
        found.add(os.path.join(site, template))
        if template == "sitemap.xml":
            found.add(os.path.join(site, "sitemap.xml.gz"))
    if search_entries(host.config) is not None:
        found.add(os.path.join(site, "search", "search_index.json"))
    return {os.path.normpath(path) for path in found}


def build(config: MkDocsConfig, hooks: PageHooks, serve: str | None = None,
          clean: bool = True) -> tuple[Host, str | None]:
    """MkDocs' `build`, except that pages `hooks.reuse` supplies are written, not rendered.
    Without `clean` the site folder is not emptied first and unchanged static files are not
    copied again (`kb serve` writes into the folder it serves). Returns the site, to render
    pages of again (`rebuild`), and in strict mode what makes the build fail (`N warnings`), for
    the caller to raise once it has kept the cache."""
    logger = logging.getLogger("mkdocs")
    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    if config.strict:
        logger.addHandler(counter)
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        hooks.plan(config)
        if clean:
            utils.clean_directory(config.site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        inclusion = InclusionLevel.is_in_serve if serve else InclusionLevel.is_included
        host = Host(config, files, nav, env, inclusion)
        for file in host.doc_files():
            if file.page is None and file.inclusion.is_not_in_nav():
                Page(None, file, config)
        reused, caught = _read_pages(host, hooks)
        host.env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(dirty=not clean, inclusion=inclusion)
        for template in config.theme.static_templates:
            mkdocs_build._build_theme_template(template, host.env, files, config, nav)
        for template in config.extra_templates:
            mkdocs_build._build_extra_template(template, files, config, nav)
        _write_pages(host, hooks, reused, caught)
        for file in host.doc_files():
            if file.src_uri not in reused:
                assert file.page is not None
                file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        config.plugins.on_post_build(config=config)
        counts = counter.get_counts()
        return host, ", ".join(f"{v} {k.lower()}s" for k, v in counts) if counts else None
    except Exception as exc:
        _build_failed(config, exc)
    finally:
        logger.removeHandler(counter)


def rebuild(host: Host, hooks: PageHooks) -> None:
    """Render again, on a site `build` made, the pages `hooks.reuse` declines (the set of pages
    is the same): their HTML, and the search index, with every other page left as it is."""
    config = host.config
    try:
        reused, caught = _read_pages(host, hooks)
        # Plugins renew what they keep for templates (the kb plugin: the menu drawn once per
        # build, which holds the current page's table of contents) as a build does.
        host.env = config.plugins.on_env(host.env, config=config, files=host.files)
        _write_pages(host, hooks, reused, caught)
        config.plugins.on_post_build(config=config)
    except Exception as exc:
        _build_failed(config, exc)


def _build_failed(config: MkDocsConfig, exc: Exception) -> NoReturn:
    """What MkDocs' own build does when one fails: plugins hear of it, and a BuildError becomes
    its one-line Abort (anything else goes on as raised)."""
    config.plugins.on_build_error(error=exc)
    if isinstance(exc, BuildError):
        log.error(str(exc))
        raise Abort("Aborted with a BuildError!") from None
    raise exc


def _read_pages(host: Host, hooks: PageHooks) -> tuple[dict[str, Reused], dict[str, list[str]]]:
    """Render the Markdown of every page but those `hooks` supplies (returned, with the
    warnings each rendered page logged)."""
    reused: dict[str, Reused] = {}
    caught: dict[str, list[str]] = {}
    with _one_markdown():
        for file in host.doc_files():
            assert file.page is not None
            found = hooks.reuse(file.src_uri)
            if found is not None:
                reused[file.src_uri] = found
                continue
            hooks.entered(file.src_uri)
            with _warnings(caught.setdefault(file.src_uri, [])):
                mkdocs_build._populate_page(file.page, host.config, host.files)
            hooks.left(file.src_uri)
    return reused, caught


class _MarkdownModule:
    """The `markdown` module as `Page.render` sees it, but for `Markdown`: one instance for
    every page of a build, reset between pages (Python-Markdown's own way to convert many
    documents), instead of one built per page (a tenth of a build's time at 2,000 notes).
    Each page's own processors (MkDocs' link and anchor rewriters) replace the last page's."""

    def __init__(self) -> None:
        self._made: tuple[int, int, Markdown] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(markdown, name)

    def Markdown(self, extensions: list[Any], extension_configs: dict[str, Any]) -> Markdown:  # noqa: N802
        made = self._made
        if made is not None and made[0] == id(extensions) and made[1] == len(extensions):
            return made[2].reset()
        md = markdown.Markdown(extensions=extensions, extension_configs=extension_configs)
        self._made = (id(extensions), len(extensions), md)
        return md


@contextmanager
def _one_markdown() -> Iterator[None]:
    saved = mkdocs_pages.markdown
    mkdocs_pages.markdown = _MarkdownModule()  # type: ignore[assignment]
    try:
        yield
    finally:
        mkdocs_pages.markdown = saved


def _write_pages(host: Host, hooks: PageHooks, reused: dict[str, Reused],
                 caught: dict[str, list[str]]) -> None:
    """Write every page (rendered, or as supplied) and the search entries of each, in order."""
    config, doc_files = host.config, host.doc_files()
    entries = search_entries(config)
    for file in doc_files:
        assert file.page is not None
        src = file.src_uri
        found = reused.get(src)
        if found is not None:
            if found.html is not None:
                utils.write_file(found.html, file.abs_dest_path)
            host.search[src] = found.search
            for message in found.warnings:
                log.warning(message)
            continue
        start = len(entries) if entries is not None else 0
        hooks.entered(src)
        with _warnings(caught[src]):
            mkdocs_build._build_page(file.page, config, doc_files, host.nav, host.env,
                                     excluded=file.inclusion.is_excluded())
        hooks.left(src)
        host.search[src] = entries[start:] if entries is not None else []
        hooks.built(src, file.abs_dest_path, host.search[src], caught[src])
    if entries is not None:
        entries[:] = [entry for file in doc_files for entry in host.search.get(file.src_uri, ())]
