"""`kb import`: bring Notion/Obsidian exports and hand-written lists into the base."""

from __future__ import annotations

from pathlib import Path

import click

from .common import CONTEXT, root_option


@click.command("import", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@root_option
@click.option("--dry-run", is_flag=True, help="Print what would be created; write nothing.")
def import_(paths: tuple[Path, ...], root: Path, dry_run: bool) -> None:
    """Import Markdown/text exports (files or folders) as papers, concepts, authors and notes.

    Every arXiv link becomes a paper (deduplicated by id across inputs and against the base),
    the bullets under it its body; `✅`/`[x]` mark read/studied; `## Authors` sections become
    author notes; the rest of each page becomes a note linking to them. Existing notes are never
    touched, and importing the same input twice creates nothing the second time.

    \b
    Examples:
      kb import ~/Downloads/notion-export/ --dry-run
      kb import obsidian/Reading.md --root ~/kb
    """
    from ..base import open_base
    from ..importing import plan_import, write_proposals

    kb = open_base(root)
    plan = plan_import(list(paths), kb.index)
    for problem in plan.problems:
        click.echo(f"warning: {problem}", err=True)
    for what, path, source in plan.existing:
        click.echo(f"exists  {what}: {path} (from {source})")
    if dry_run:
        for p in plan.proposals:
            click.echo(f"would create {p.kind:7} {p.path}  {p.title!r}  (from {p.source}:{p.line})")
        click.echo(f"dry run: {len(plan.proposals)} notes would be created; nothing was written")
        return
    result = write_proposals(root, plan)
    for p in result.created:
        click.echo(f"created {p.kind:7} {p.path}  {p.title!r}  (from {p.source}:{p.line})")
    for clash in result.clashes:
        click.echo(f"clash   {clash}", err=True)
    counts: dict[str, int] = {}
    for p in result.created:
        counts[p.kind] = counts.get(p.kind, 0) + 1
    detail = ", ".join(f"{n} {kind}{'s' * (n != 1)}" for kind, n in sorted(counts.items()))
    click.echo(f"imported {len(result.created)} notes" + (f" ({detail})" if detail else "")
               + f"; {len(plan.existing)} already in the base; {len(result.clashes)} clashes; "
               f"{len(plan.problems)} warnings")
    if any(p.kind == "paper" and p.title.startswith("arXiv ") for p in result.created):
        click.echo("next: `kb fetch` fills titles, authors and dates from arXiv")
    if result.clashes:
        raise click.exceptions.Exit(1)
