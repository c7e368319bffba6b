"""`kb check`: lint the whole base."""

from __future__ import annotations

import json

import click

from .common import CONTEXT, root_option


@click.command(context_settings=CONTEXT)
@root_option
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
@click.option("--explain", metavar="CODE", help="Describe one check and exit.")
@click.option("--list", "list_checks", is_flag=True, help="List every check with its severity.")
def check(root, as_json: bool, explain: str | None, list_checks: bool) -> None:
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
    from ..checks import CHECKS, run_checks
    from ..model import ERROR, WARNING

    if explain is not None:
        found = CHECKS.get(explain)
        if found is None:
            raise click.UsageError(
                f"no check named '{explain}' (see `kb check --list`)"
            )
        click.echo(f"{found.code} ({found.severity}): {found.summary}\n\n{found.explanation}")
        return
    if list_checks:
        for found in CHECKS.values():
            click.echo(f"{found.code:24} {found.severity:8} {found.summary}")
        return

    kb = open_base(root)
    problems = run_checks(kb)
    if as_json:
        click.echo(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            click.echo(str(problem))
        errors = sum(p.severity == ERROR for p in problems)
        warnings = sum(p.severity == WARNING for p in problems)
        click.echo(f"checked {len(kb.notes)} notes: {errors} error{'s' * (errors != 1)}, "
                   f"{warnings} warning{'s' * (warnings != 1)}")
    if any(p.severity == ERROR for p in problems):
        raise click.exceptions.Exit(1)
