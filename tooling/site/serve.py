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
import signal
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..base import KnowledgeBase, collector_paused, open_base
from ..errors import KbError
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


BACKLOG = 256  # connections waiting to be accepted: 200 readers at once all get an answer
IDLE_SECONDS = 30  # a connection that sends nothing for this long is closed


def check_address(address: str) -> None:
    """KbError, before anything is built, when the address cannot be listened on (another
    `kb serve` has the port)."""
    import socket

    host, _, port = address.rpartition(":")
    try:
        number = int(port)
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
            probe.bind((host.strip("[]") or "127.0.0.1", number))
    except (ValueError, OverflowError) as exc:
        raise KbError(f"cannot serve on {address}: {exc} (give HOST:PORT, e.g. 127.0.0.1:8001)") from None
    except OSError as exc:
        raise KbError(f"cannot serve on {address}: {exc.strerror} (another kb serve? pick another "
                      "port: kb serve -a 127.0.0.1:8001)") from None


def no_nul(app: Callable[..., Any]) -> Callable[..., Any]:
    """WSGI middleware: a path holding a NUL (`/%00`) is a bad request (400), not a crash of the
    file lookup (500)."""

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if "\x00" in environ.get("PATH_INFO", ""):
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"400 Bad Request: the path holds a NUL character"]
        return app(environ, start_response)

    return guarded


def not_found_page(site_dir: Path) -> Callable[[int], bytes | None]:
    """The site's own 404 page (menu, search, a way home) for a missing URL, where the server
    would answer with a plain-text line."""

    def page(code: int) -> bytes | None:
        try:
            return (site_dir / "404.html").read_bytes() if code == 404 else None
        except OSError:
            return None

    return page


def serve(root: Path, config_file: Path, address: str, ready: Callable[[], None] | None = None) -> None:
    """Build once, then serve and rebuild on each save until interrupted (Ctrl-C, SIGTERM or
    SIGHUP: the temporary site folder is removed in every case)."""
    from mkdocs.livereload import LiveReloadServer, _Handler

    class Handler(_Handler):
        timeout = IDLE_SECONDS  # StreamRequestHandler sets it on the connection

        def handle(self) -> None:
            try:
                super().handle()
            except (TimeoutError, ConnectionError):
                self.close_connection = True  # an idle or vanished client: nothing to answer

    class Server(LiveReloadServer):
        request_queue_size = BACKLOG

        def finish_request(self, request: Any, client_address: Any) -> None:
            Handler(request, client_address, self)

    check_address(address)
    site_dir = Path(tempfile.mkdtemp(prefix="kb-serve-"))
    main = threading.current_thread() is threading.main_thread()  # only it may set handlers
    previous = {number: signal.signal(number, _interrupt)
                for number in (signal.SIGTERM, signal.SIGHUP)} if main else {}
    rebuild = Incremental(root, config_file, site_dir, address)
    try:
        rebuild.full()
        host, port = rebuild.config.dev_addr
        server = Server(builder=rebuild, host=host, port=port, root=str(site_dir),
                        mount_path=urlsplit(rebuild.config.site_url or "/").path)
        server.error_handler = not_found_page(site_dir)
        app = server.get_app()
        if app is not None:  # lets demos' Stop interrupt Python
            server.set_app(no_nul(cross_origin_isolated(app)))
        for folder in NOTE_DIRS:
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        server.watch(str(config_file))
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        except OSError as exc:  # the port was taken while we built
            raise KbError(f"cannot serve on {address}: {exc.strerror}") from None
        finally:
            server.shutdown()
    except KeyboardInterrupt:
        log.info("Stopped before serving")
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)
        for number, handler in previous.items():
            signal.signal(number, handler)


def _interrupt(signum: int, frame: Any) -> None:
    """SIGTERM and SIGHUP stop `kb serve` as Ctrl-C does, so its temporary folder is removed."""
    raise KeyboardInterrupt
