"""`kb`: a thin command line over the library. Commands parse arguments, call one library
function and print; all behaviour lives in the library modules."""

from __future__ import annotations

import gc
import os
import sys
from typing import Any

import click

from ..errors import KbError
from .check import check
from .common import CONTEXT, echo
from .demo import demo
from .export import export
from .importing import import_
from .mark import mark
from .next import next_
from .papers import add, fetch
from .query import query
from .report import report
from .review import review
from .site import build, serve
from .status import status
from .suggest import suggest


class KbGroup(click.Group):
    """Prints the library's readable errors as `error: ...` and exits with status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KbError as exc:
            echo(f"error: {exc}", err=True)
            raise click.exceptions.Exit(exc.exit_code) from None
        finally:
            from ..base import release

            release()  # what the command's base froze (`open_base(..., lasting=True)`)


@click.group(cls=KbGroup, context_settings=CONTEXT)
@click.version_option(package_name="kb-tooling", prog_name="kb")
def cli() -> None:
    """Knowledge base of ML papers, concepts and authors: check, import, fetch, build, and track
    study (mark, status, next, query, review, report).

    Every command takes --root DIR (default: the current directory).
    """


cli.add_command(check)
cli.add_command(import_)
cli.add_command(report)
cli.add_command(build)
cli.add_command(serve)
cli.add_command(add)
cli.add_command(fetch)
cli.add_command(export)
cli.add_command(demo)
cli.add_command(mark)
cli.add_command(status)
cli.add_command(next_)
cli.add_command(query)
cli.add_command(review)
cli.add_command(suggest)


def run() -> None:
    """The `kb` program: `main`, then an exit without the interpreter's last collection. The
    process ends, so there is nothing to reclaim, and that collection walked every object left
    (half a second after `kb next --plan` on 5,000 notes). `main` alone is for callers that go
    on running (the tests)."""
    try:
        main()
    finally:
        gc.freeze()


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors print one readable line; a crash never dumps a traceback unasked."""
    try:
        cli.main(args=argv, prog_name="kb")
    except Exception as exc:
        if os.environ.get("KB_DEBUG"):
            raise
        echo(f"kb: internal error: {type(exc).__name__}: {exc} "
                   "(set KB_DEBUG=1 to see the traceback)", err=True)
        sys.exit(70)
