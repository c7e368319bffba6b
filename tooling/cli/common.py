"""Options and output shared by every command."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from ..problems import ERROR, INFO, Problem

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

root_option = click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder holding papers/, concepts/ and notes/.",
)

json_option = click.option("--json", "as_json", is_flag=True,
                           help="Print the result as JSON (problems as {path, line, severity, "
                                "code, message}).")


# Characters a terminal acts on instead of showing: C0 controls but tab and newline (ESC opens the
# sequences that retitle a window, clear the screen or rewrite the clipboard; CR overwrites a
# line), DEL, C1 controls, and the bidirectional overrides that reorder what is shown.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every character a terminal would act on shown as its escape (`\\u001b`): a
    title or a file name holding an escape sequence prints as words, never as a command. The
    escape is JSON's, so JSON output stays valid (those characters only occur in its strings)."""
    return _CONTROL.sub(lambda found: f"\\u{ord(found.group(0)):04x}", text)


def echo(text: object = "", *, err: bool = False, nl: bool = True, **style: Any) -> None:
    """Every command's printer: `click.echo` of the `printable` text (styled with `style`, as
    `click.secho` does, after the text is made printable)."""
    message = printable(str(text))
    click.echo(click.style(message, **style) if style else message, err=err, nl=nl)


class EchoHandler(logging.Handler):
    """Prints the site build's warnings (MkDocs' logger) as `warning: ...`, printable, to the
    current stderr (looked up at each message, not at start)."""

    def emit(self, record: logging.LogRecord) -> None:
        echo(f"{record.levelname.lower()}: {record.getMessage()}", err=True)


def show_log(logger: logging.Logger, level: int) -> None:
    """Print `logger`'s records of `level` and above through `EchoHandler` (once)."""
    if not any(isinstance(h, EchoHandler) for h in logger.handlers):
        logger.addHandler(EchoHandler(level))


def echo_problems(problems: Iterable[Problem]) -> None:
    """Problems one per line: information on stdout, warnings and errors on stderr."""
    for problem in problems:
        echo(str(problem), err=problem.severity != INFO)


def echo_json(data: Any) -> None:
    echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def failed(problems: Iterable[Problem]) -> bool:
    return any(problem.severity == ERROR for problem in problems)


def progress_bar(label: str) -> Callable[[int, int], None] | None:
    """A progress callback drawing a bar on stderr when someone is watching, else None.

    `label` may hold `{total}`; one step of work draws no bar."""
    if not sys.stderr.isatty():
        return None
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if total <= 1:
            return
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label=label.format(total=total),
                                             file=sys.stderr)
            state["bar"].__enter__()
        state["bar"].update(done - state.get("done", 0))
        state["done"] = done
        if done >= total:
            state.pop("bar").__exit__(None, None, None)

    return update


class DateType(click.ParamType):
    """A YYYY-MM-DD option: a bad date is a usage error (exit 2) before anything runs."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import datetime as dt

        from ..model import parse_date

        if isinstance(value, dt.date):
            return value
        found = parse_date(value) if len(str(value).strip()) == 10 else None
        if found is None:
            self.fail(f"{value!r} is not a date (expected YYYY-MM-DD, e.g. 2024-11-05)", param, ctx)
        return found


DATE = DateType()

today_option = click.option("--today", "today", type=DATE, default=None,
                            help="Take this day as today (due dates, deadlines, date(today)); "
                                 "default: the real today.")
