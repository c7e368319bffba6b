"""`kb build` and `kb serve`: the static site of the knowledge base."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from .common import CONTEXT, echo, root_option, show_log


@click.command(context_settings=CONTEXT)
@root_option
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the site (default: ROOT/site).")
@click.option("--strict", is_flag=True,
              help="Fail on any warning, e.g. an unresolved wikilink or a failing demo.")
@click.option("--no-exec", is_flag=True,
              help="Run no demo: show the cached output of those that have one.")
@click.option("--clean", is_flag=True,
              help="Render every page, ignoring the pages kept from the last build.")
def build(root: Path, site_dir: Path | None, strict: bool, no_exec: bool, clean: bool) -> None:
    """Build the searchable static site (MkDocs + Material) of the notes.

    Uses ROOT/mkdocs.yml when there is one, else the tool's default configuration. Demos run
    first (in parallel, each in its own process; unchanged ones come from .kb-cache/demos/).
    Only pages whose inputs changed since the last build are rendered: the others, with their
    search entries, come from .kb-cache/site/ (--clean renders them all).

    \b
    Examples:
      kb build
      kb build --root ~/kb -d /tmp/site --strict
      kb build --no-exec
      kb build --clean
    """
    from ..site import runtime
    from ..site.build import build_site

    show_log(logging.getLogger("mkdocs"), logging.WARNING)
    built = build_site(root, site_dir, strict, execute=not no_exec, clean=clean)
    if not runtime.present():
        echo(f"warning: {runtime.missing_message()}", err=True)
    reused = built.pages - built.rendered
    echo(f"site written to {built.folder} ({built.rendered} of {built.pages} pages rendered"
         + (f", {reused} unchanged from .kb-cache/site/)" if reused else ")"))


@click.command(context_settings=CONTEXT)
@root_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True,
              help="Address to serve on.")
def serve(root: Path, dev_addr: str) -> None:
    """Serve the site locally, rebuilding when a note changes.

    \b
    Example:
      kb serve --root ~/kb -a 127.0.0.1:8001
    """
    from ..site.build import serve_site
    from ..site.serve import log

    show_log(logging.getLogger("mkdocs"), logging.WARNING)
    show_log(log, logging.INFO)  # `kb serve` says what it rebuilt
    log.setLevel(logging.INFO)
    log.propagate = False
    serve_site(root, dev_addr)
