"""`kb build` and `kb serve`: MkDocs with the notes root's mkdocs.yml, or the tool's default one."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import KbError

DEFAULT_CONFIG = Path(__file__).resolve().parent / "default-mkdocs.yml"


def config_file(root: Path) -> Path:
    """The root's own mkdocs.yml when it has one, else the tool's default configuration."""
    own = root / "mkdocs.yml"
    return own if own.is_file() else DEFAULT_CONFIG


@contextmanager
def plugin_setting(name: str, value: str | None) -> Iterator[None]:
    """Set an environment variable the kb plugin reads (KB_ROOT: where the notes are, when its
    `root` option is unset; KB_NO_EXEC: run no demo) for one build; None leaves it as it is."""
    previous = os.environ.get(name)
    if value is not None:
        os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


class _EchoHandler(logging.Handler):
    """Prints MkDocs warnings to the current stderr (looked up at each message, not at start)."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"{record.levelname.lower()}: {record.getMessage()}", file=sys.stderr, flush=True)


def _show_warnings() -> None:
    logger = logging.getLogger("mkdocs")
    if not any(isinstance(h, _EchoHandler) for h in logger.handlers):
        handler = _EchoHandler(logging.WARNING)
        logger.addHandler(handler)


def build_site(root: Path, site_dir: Path | None = None, strict: bool = False,
               execute: bool = True) -> Path:
    """Build the static site of the notes under `root`; return the folder written. Without
    `execute`, demos missing from the cache are not run (their cached output is still shown)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    target = (site_dir or root / "site").resolve()
    _show_warnings()
    with plugin_setting("KB_ROOT", str(root.resolve())), \
            plugin_setting("KB_NO_EXEC", None if execute else "1"):
        try:
            config = load_config(config_file=str(config_file(root)), site_dir=str(target),
                                 strict=strict)
            build(config)
        except (Abort, ConfigurationError, PluginError) as exc:
            raise KbError(f"site build failed: {exc}") from None
    return target


def serve_site(root: Path, address: str = "127.0.0.1:8000") -> None:
    """Serve the site with live reload, rebuilding only the pages an edit touches."""
    from .serve import log, serve

    _show_warnings()
    if not any(isinstance(h, _EchoHandler) for h in log.handlers):
        log.addHandler(_EchoHandler(logging.INFO))
        log.setLevel(logging.INFO)
        log.propagate = False
    with plugin_setting("KB_ROOT", str(root.resolve())):
        serve(root.resolve(), config_file(root), address)
