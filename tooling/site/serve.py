"""`kb serve`: the site on 127.0.0.1 with live reload, rebuilding only the pages an edit changes.

The first build renders every page. After a save the base is read again and the map of what
each page read (`depmap`) says which pages changed: only those are rendered again, whatever the
edit (front matter, body, a retitled, new, renamed or deleted note). A page listing read papers
in a `kb-query` block, a plan whose groups are queries, backlink sentences naming a retitled
note: each is rendered again when, and only when, what it shows changed. When the set of pages
stays the same (most saves) MkDocs keeps its files, menu and templates between saves and only
the changed pages and the search index are written; otherwise (a note added, removed or
renamed, a file beside the notes, the configuration) the site is built again over the same
folder, still rendering only the pages that changed.
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

from ..base import collector_paused, open_base
from ..errors import KbError
from ..load import Stamp, file_stamp
from ..notes.files import walk
from ..schema import NOTE_DIRS
from ..study.log import LOG_PATH
from .build import config_file, site_config
from .demo_site import cross_origin_isolated
from .incremental import Built, build_cached, rebuild_pages
from .mkdocs_api import request_handler, serve_url
from .sitecache import Store

log = logging.getLogger("mkdocs.plugins.kb.serve")  # `kb serve` shows its info lines


def snapshot(root: Path, config: Path) -> dict[str, Stamp]:
    """The stamp of every file of the base, and of the configuration (`load.file_stamp`, the
    notes' own: a file replaced by one with the same modification time still counts as changed)."""
    found = {}
    for path in [*(root / rel for rel in walk(root, NOTE_DIRS, confine=True).files), config]:
        try:
            found[str(path)] = file_stamp(path.stat())
        except OSError:
            continue
    return found


class Incremental:
    """The site kept up to date in `site_dir`: each call renders what changed since the last."""

    def __init__(self, root: Path, site_dir: Path, address: str) -> None:
        self.root, self.site_dir, self.address = root, site_dir, address
        self.config_file = config_file(root)
        self.built: Built | None = None
        self.files_seen: dict[str, Stamp] = {}

    @property
    def config(self) -> Any:
        assert self.built is not None
        config: Any = self.built.host.config
        return config

    def load(self) -> Any:
        config = site_config(self.root, self.site_dir, dev_addr=self.address)
        host, port = config.dev_addr
        config.site_url = serve_url(host, port, urlsplit(config.site_url or "/").path)
        if self.built is not None:  # git dates and the graph's layout outlive an edit
            config.plugins["kb"].previous = self.config.plugins["kb"].ctx
        return config

    def __call__(self, *_: Any) -> None:
        now, before = snapshot(self.root, self.config_file), self.files_seen
        changed = sorted(p for p in set(now) | set(before) if now.get(p) != before.get(p))
        self.files_seen = now
        first = self.built is None
        with collector_paused():  # the old base and the new in memory: a collection alone took 0.4 s
            in_place = not first and self.pages_only(changed, before, now)
            built = self.rebuild() if in_place else None
            if built is None:
                config = self.load()
                built = build_cached(config, self.built.cache if self.built else None, Store(),
                                     serve=config.site_url, clean=first, replay=False)
        self.built = built
        if not first:
            names = [str(Path(p).relative_to(self.root)) if p.startswith(str(self.root)) else p
                     for p in changed]
            log.info(f"kb: rebuilt {len(built.rendered)} pages for {', '.join(names[:5]) or 'no change'}"
                     + (f" and {len(names) - 5} more" if len(names) > 5 else ""))

    def pages_only(self, changed: list[str], before: dict[str, Stamp], now: dict[str, Stamp]) -> bool:
        """Whether the edit can only change pages, not which pages or files there are: notes
        edited in place (and the review log), not the configuration or an attachment."""
        log_file = str(self.root / LOG_PATH)
        return bool(changed) and str(self.config_file) not in changed and all(
            (p.endswith(".md") or p == log_file) and p in before and p in now for p in changed)

    def rebuild(self) -> Built | None:
        """The changed pages rendered again on the site as MkDocs holds it; None when the set
        of pages changed (a new tag, a note that now names a new author)."""
        assert self.built is not None
        ctx = self.config.plugins["kb"].ctx
        ctx.rebase(open_base(self.root, ctx.kb))
        return rebuild_pages(self.built, ctx)

    def full(self) -> None:
        self.__call__()


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


def serve(root: Path, address: str, ready: Callable[[], None] | None = None) -> None:
    """Build once, then serve and rebuild on each save until interrupted (Ctrl-C, SIGTERM or
    SIGHUP: the temporary site folder is removed in every case)."""
    from mkdocs.livereload import LiveReloadServer

    class Handler(request_handler()):  # type: ignore[misc]
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
    rebuild = Incremental(root, site_dir, address)
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
        server.watch(str(rebuild.config_file))
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
