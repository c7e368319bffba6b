"""`kb check`: lint the whole base."""

from __future__ import annotations

from pathlib import Path

import click

from .common import CONTEXT, echo, echo_json, root_option


@click.command(context_settings=CONTEXT)
@root_option
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
@click.option("--explain", metavar="CODE", help="Describe one problem code (of any command) and exit.")
@click.option("--list", "list_checks", is_flag=True,
              help="List every problem code with its severity and the command reporting it.")
def check(root: Path, as_json: bool, explain: str | None, list_checks: bool) -> None:
    """Check every note: front matter, statuses, dates, arXiv ids, links, cycles.

    Prints one problem per line as `path:line: severity code: message`, then a summary.
    Exit status: 0 without errors (warnings allowed), 1 with errors, 2 on a usage error.

    \b
    Examples:
      kb check
      kb check --root ~/kb --json
      kb check --explain unresolved-link
    """
    from ..base import open_base
    from ..lint import catalog, run_checks
    from ..problems import ERROR, summary

    if explain is not None:
        found = catalog().get(explain)
        if found is None:
            raise click.UsageError(f"no problem code named '{explain}' (see `kb check --list`)")
        echo(f"{found.code} ({found.severity}, reported by kb {found.command}): "
                   f"{found.summary}\n\n{found.explanation}")
        return
    if list_checks:
        for found in catalog().values():
            echo(f"{found.code:24} {found.severity:8} {found.command:8} {found.summary}")
        return

    kb = open_base(root, lasting=True)
    problems = run_checks(kb)
    if as_json:
        echo_json([p.as_dict() for p in problems])
    else:
        for problem in problems:
            echo(str(problem))
        echo(f"checked {len(kb.notes)} notes: {summary(problems)}")
    if any(p.severity == ERROR for p in problems):
        raise click.exceptions.Exit(1)
