"""The MkDocs plugin: an adapter that hands MkDocs the pages generated from the knowledge base.

MkDocs cannot use the repository root as `docs_dir`, so the notes are not read by MkDocs at all:
`on_files` adds one generated page per note (at the note's own path, with an edit link to it),
the author, index, tag, reading-list and graph pages, the browser's JSON index and the notes'
attachments. Cards and footers are HTML added around the converted Markdown (`on_page_content`,
`on_post_page`), never parsed as Markdown. Unresolved wikilinks are warnings, so
`mkdocs build --strict` fails on them. Demos run before pages render (`on_pre_build`, cached and
in parallel); the `demo` Markdown extension shows their output; failures are warnings too.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from ..base import KnowledgeBase, open_base
from ..demos import problems, run_base
from ..model import NOTE_DIRS
from . import runtime
from .demo_site import (
    EXTENSION,
    DemoTally,
    add_demo_assets,
    cross_origin_isolated,
    extension_config,
)
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
    execute = c.Type(bool, default=True)  # run demos missing from the cache (KB_NO_EXEC=1: off)


class KnowledgeBasePlugin(BasePlugin[KbConfig]):
    kb: KnowledgeBase

    def on_config(self, config):
        # The root: the plugin option, else KB_ROOT (set by `kb build --root`), else the folder
        # of mkdocs.yml, so a plain `mkdocs build` at the repository root just works.
        root = Path(self.config.root or os.environ.get("KB_ROOT")
                    or os.path.dirname(config.config_file_path or ".") or ".")
        if not root.is_dir():
            raise PluginError(f"kb: the notes root '{root}' is not a folder")
        self.root = root.resolve()
        self.kb = open_base(self.root)
        for script in SCRIPTS:
            if script not in config.extra_javascript:
                config.extra_javascript.append(script)
        for style in STYLES:
            if style not in config.extra_css:
                config.extra_css.append(style)
        self.execute = self.config.execute and not os.environ.get("KB_NO_EXEC")
        self.demos = DemoTally()
        if EXTENSION not in config.markdown_extensions:
            config.markdown_extensions.append(EXTENSION)
        config.mdx_configs[EXTENSION] = extension_config(
            self.root, self.execute, lambda report: self.demos.add(report, cached_too=False))
        if config.theme.get("font") is not False:
            log.warning("kb: set `theme.font: false` so the site loads no web fonts from Google")
        return config

    def on_pre_build(self, config) -> None:
        # Every demo once, in parallel, before any page renders; the extension reads the cache.
        self.demo_report = run_base(self.kb.index.notes.values(), self.root, self.execute)
        self.demos.add(self.demo_report)
        for problem in problems(self.demo_report):
            log.warning(f"{problem.path}:{problem.line}: {problem.message}")
        log.info(f"kb: {self.demos.describe()}")

    def on_files(self, files: Files, config) -> Files:
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
        for path in runtime.files():
            _put(files, File.generated(config, f"{runtime.SITE_PATH}/{path.name}", abs_src_path=str(path)))
        if not runtime.present():
            log.info(f"kb: {runtime.missing_message()}")
        for rel, path in attachments(self.root):
            _put(files, File.generated(config, rel, abs_src_path=str(path)))
        for broken in renderer.broken:
            log.warning(f"{broken.path}:{broken.line}: unresolved wikilink [[{broken.target}]]")
        return files

    def on_page_content(self, html: str, page, config, files) -> str:
        generated = self.around.get(page.file.src_uri)
        if generated is None:
            return html
        if generated.links:
            html = fill_links(html, generated.links)
            _fill_toc(page.toc, generated.links)
        return generated.header + html + (FOOTER_SLOT if generated.footer else "")

    def on_post_page(self, output: str, page, config) -> str:
        output = add_demo_assets(output, page.url)
        generated = self.around.get(page.file.src_uri)
        if generated is None:
            return output
        if generated.card_rest:
            output = output.replace(CARD_SLOT, generated.card_rest, 1)
        if generated.footer:
            output = output.replace(FOOTER_SLOT, generated.footer, 1)
        return output

    def on_serve(self, server, config, builder):
        for folder in NOTE_DIRS:
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        server.set_app(cross_origin_isolated(server.get_app()))  # lets Stop interrupt Python
        return server


def _fill_toc(toc, links: list[str]) -> None:
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
    found = []
    for folder in NOTE_DIRS:
        base = root / folder
        if base.is_dir():
            found.extend((p.relative_to(root).as_posix(), p) for p in sorted(base.rglob("*"))
                         if p.is_file() and p.suffix.lower() != ".md" and not p.name.startswith("."))
    return found
