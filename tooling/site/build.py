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
def notes_root(root: Path) -> Iterator[None]:
    """Tell the kb plugin where the notes are (it reads KB_ROOT when its `root` option is unset)."""
    previous = os.environ.get("KB_ROOT")
    os.environ["KB_ROOT"] = str(root.resolve())
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("KB_ROOT", None)
        else:
            os.environ["KB_ROOT"] = previous


@contextmanager
def demos_off(off: bool) -> Iterator[None]:
    """Tell the kb plugin not to run demos (it reads KB_NO_EXEC), for `kb build --no-exec`."""
    previous = os.environ.get("KB_NO_EXEC")
    if off:
        os.environ["KB_NO_EXEC"] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("KB_NO_EXEC", None)
        else:
            os.environ["KB_NO_EXEC"] = previous


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
    with notes_root(root), demos_off(not execute):
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
    with notes_root(root):
        serve(root.resolve(), config_file(root), address)
