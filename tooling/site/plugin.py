"""The MkDocs plugin: an adapter that hands MkDocs the pages generated from the knowledge base.

MkDocs cannot use the repository root as `docs_dir`, so the notes are not read by MkDocs at all:
`on_files` adds one generated page per note (at the note's own path, with an edit link to it),
the author, index, tag, reading-list and graph pages, the browser's JSON index and the notes'
attachments. Cards and footers are HTML added around the converted Markdown (`on_page_content`,
`on_post_page`), never parsed as Markdown. Unresolved wikilinks are warnings, so
`mkdocs build --strict` fails on them.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, cast

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from ..base import KnowledgeBase, open_base
from ..notes.files import walk
from ..schema import NOTE_DIRS
from ..study.checks import query_block_problems
from ..study.log import LOG_PATH
from ..study.query.engine import engine_for
from .markdown.query import QueryExtension, page_links
from .pages import generate, index_json
from .render import CARD_SLOT, fill_links, fill_text
from .urls import INDEX_JSON

log = logging.getLogger("mkdocs.plugins.kb")

# Where a page's footer goes: filled in the final HTML, after search has indexed the content.
FOOTER_SLOT = '<div class="kb-footer-slot"></div>'

SCRIPTS = ("assets/vendor/katex/katex.min.js", "assets/vendor/katex/contrib/auto-render.min.js",
           "assets/vendor/d3/d3.min.js", "assets/kb/kb.js", "assets/kb/graph.js")
STYLES = ("assets/vendor/katex/katex.min.css", "assets/kb/kb.css")


class KbConfig(Config):
    root = c.Optional(c.Type(str))  # the folder holding papers/, concepts/, notes/


class KnowledgeBasePlugin(BasePlugin[KbConfig]):
    kb: KnowledgeBase

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # The root: the plugin option, else KB_ROOT (set by `kb build --root`), else the folder
        # of mkdocs.yml, so a plain `mkdocs build` at the repository root just works.
        root = Path(self.config.root or os.environ.get("KB_ROOT")
                    or os.path.dirname(config.config_file_path or ".") or ".")
        if not root.is_dir():
            raise PluginError(f"kb: the notes root '{root}' is not a folder")
        self.root = root.resolve()
        self.kb = open_base(self.root)
        # ```kb-query blocks: run on this base, linked relative to the page being converted.
        self.query_links = page_links(self.kb, config.use_directory_urls)
        extensions = cast(list[Any], config.markdown_extensions)  # MkDocs takes instances too
        extensions.append(QueryExtension(  # broken blocks are warned in on_files
            engine=lambda: engine_for(self.kb), href=self.query_links, warn=lambda message: None))
        for script in SCRIPTS:
            if script not in config.extra_javascript:
                config.extra_javascript.append(script)
        for style in STYLES:
            if style not in config.extra_css:
                config.extra_css.append(style)
        if config.theme.get("font") is not False:
            log.warning("kb: set `theme.font: false` so the site loads no web fonts from Google")
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        pages, renderer = generate(self.kb, config.use_directory_urls)
        self.around = {}
        for page in pages:
            generated = File.generated(config, page.src, content=page.markdown)
            if page.edit_path:
                generated.edit_uri = page.edit_path
            _put(files, generated)
            if page.header or page.footer or page.links:
                self.around[page.src] = page
        _put(files, File.generated(config, INDEX_JSON,
                                   content=index_json(self.kb, config.use_directory_urls)))
        for rel, path in attachments(self.root):
            _put(files, File.generated(config, rel, abs_src_path=str(path)))
        for broken in renderer.broken:
            log.warning(f"{broken.path}:{broken.line}: unresolved wikilink [[{broken.target}]]")
        for problem in query_block_problems(self.kb):
            log.warning(f"{problem.path}:{problem.line}: {problem.message}")
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        self.query_links.page = page.file.src_uri
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        generated = self.around.get(page.file.src_uri)
        if generated is None:
            return html
        if generated.links:
            html = fill_links(html, generated.links)
            _fill_toc(page.toc, generated.links)
        return generated.header + html + (FOOTER_SLOT if generated.footer else "")

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        generated = self.around.get(page.file.src_uri)
        if generated is None:
            return output
        if generated.card_rest:
            output = output.replace(CARD_SLOT, generated.card_rest, 1)
        if generated.footer:
            output = output.replace(FOOTER_SLOT, generated.footer, 1)
        return output

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        for folder in NOTE_DIRS:
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server


def _fill_toc(toc: Any, links: list[str]) -> None:
    """Headings holding a wikilink: the table of contents shows the link's text."""
    for item in toc:
        item.title = fill_text(item.title, links)
        item.id = fill_text(item.id, links, slug=True)
        _fill_toc(item.children, links)


def _put(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)


def attachments(root: Path) -> list[tuple[str, Path]]:
    """Non-Markdown files beside the notes (images, PDFs), published at the same paths."""
    return [(rel, root / rel) for rel in walk(root, NOTE_DIRS).files
            if not rel.endswith(".md") and rel != LOG_PATH]  # the review log is data, not a page
