"""`kb demo run` and `kb demo check`: the concept demos, in the terminal."""

from __future__ import annotations

from pathlib import Path

import click

from .common import CONTEXT, echo, echo_json, failed, progress_bar, root_option


@click.group(context_settings=CONTEXT)
def demo() -> None:
    """Run the demos (```python demo blocks) in the terminal, as the site build does.

    Each runs in its own Python process with a timeout (30 s unless the block says
    `timeout=N`), a memory limit and one BLAS thread. Results are cached in .kb-cache/demos/.
    """


@demo.command("run")
@click.argument("note_id", metavar="ID")
@root_option
def run(note_id: str, root: Path) -> None:
    """Run one note's demos now (never from the cache) and show what they print.

    Exit status 1 when one fails or times out. The result replaces the cached one, so the
    next `kb build` shows it.

    \b
    Examples:
      kb demo run activation-patching
      kb demo run pca --root ~/kb
    """
    from ..base import open_base
    from ..demos import DemoCache, base_settings, note_jobs, run_all, runs_demos
    from ..errors import KbError

    kb = open_base(root, lasting=True)
    note = kb.note(note_id)
    if note is None:
        raise KbError(f"no note with id '{note_id}'")
    if not runs_demos(note):
        raise KbError(f"{note.path}: demos run only in concept notes (this is a {note.kind}); "
                      "see kb check --explain demo-outside-concept")
    settings = base_settings(root)
    jobs = note_jobs(note, settings)
    if not jobs:
        raise KbError(f"{note.path}: no demo (a ```python demo block)")
    cache = DemoCache.of_root(root)
    if cache.refused:
        echo(f"warning: {cache.refused}", err=True)
    report = run_all(jobs, cache, settings, fresh=True)
    for outcome in report.outcomes:
        result = outcome.result
        assert result is not None  # fresh runs always have a result
        echo(f"── {outcome.where}: {result.status} ({result.seconds:.2f} s)", bold=True)
        if result.stdout:
            echo(result.stdout, nl=not result.stdout.endswith("\n"))
        if result.stderr:
            echo("stderr:", fg="yellow")
            echo(result.stderr, nl=not result.stderr.endswith("\n"))
        if result.figures:
            echo(f"[{len(result.figures)} figure(s), SVG: shown on the site]")
        if not result.ok:
            echo(result.error.rstrip(), fg="red", err=True)
    if report.failed:
        raise click.exceptions.Exit(1)


@demo.command("check")
@root_option
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
@click.option("--rerun", is_flag=True, help="Run every demo, even those in the cache.")
def check(root: Path, as_json: bool, rerun: bool) -> None:
    """Run every demo of the base (cached ones are not run again) and report failures.

    Prints one problem per line, `concepts/x.md:57: error demo-failed: ...`, then a summary.
    Exit status 1 when a demo fails or times out.

    \b
    Examples:
      kb demo check
      kb demo check --root ~/kb --json
      kb demo check --rerun
    """
    from ..base import open_base
    from ..demos import DemoCache, problems, run_base

    kb = open_base(root, lasting=True)
    cache = DemoCache.of_root(root)
    if cache.refused:
        echo(f"warning: {cache.refused}", err=True)
    progress = None if as_json else progress_bar("running {total} demos")
    report = run_base(kb.index.notes.values(), root, fresh=rerun, progress=progress, cache=cache)
    found = problems(report)
    if as_json:
        echo_json([p.as_dict() for p in found])
    else:
        for problem in found:
            echo(str(problem))
        total = len(report.outcomes)
        echo(f"checked {total} demo block{'s' * (total != 1)}: {report.executed} run, "
                   f"{report.from_cache} from the cache, {len(report.failed)} failed")
    if failed(found):
        raise click.exceptions.Exit(1)
