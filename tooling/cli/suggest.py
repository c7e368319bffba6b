"""`kb suggest`: what to read next, from the stored citation graph."""

from __future__ import annotations

from pathlib import Path

import click

from .common import CONTEXT, echo, echo_json, json_option, root_option


@click.command(context_settings=CONTEXT)
@click.option("--plan", metavar="PLAN", help="Suggest for a study plan's papers; with open quota "
                                             "slots, as many as the slots.")
@click.option("--from", "sources", multiple=True, metavar="read|reading|ID",
              help="Whose citations to follow: read papers (default), those being read, or "
                   "papers by id (repeatable).")
@click.option("-n", "limit", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many suggestions.")
@root_option
@json_option
def suggest(plan: str | None, sources: tuple[str, ...], limit: int, root: Path,
            as_json: bool) -> None:
    """Papers outside the base that several of your papers cite (or that cite several of them),
    most connected first, each with its reasons and the id to `kb add` it by.

    Works offline from the references `kb fetch --references` stored (and the citing works
    `--citing` stored); run that first, and again after adding papers.

    \b
    Examples:
      kb fetch --references && kb suggest
      kb suggest --from reading -n 5
      kb suggest --from meng2022locating --from wang2022interpretability
      kb suggest --plan emnlp-prep --json
    """
    from ..base import open_base
    from ..citations.store import load
    from ..citations.suggest import choose, stored_for
    from ..citations.suggest import suggest as rank

    kb = open_base(root, lasting=True)
    store = load(root)
    chosen = choose(kb, sources, plan)
    slots = sum(chosen.open_slots.values())
    found = rank(kb, store, chosen.notes, limit=min(limit, slots) if slots else limit)
    stored = sum(1 for note in chosen.notes if stored_for(store, note) is not None)
    if as_json:
        echo_json({"for": chosen.what, "papers": len(chosen.notes), "with_references": stored,
                   "open_slots": chosen.open_slots,
                   "suggestions": [s.as_json(chosen.what) for s in found]})
        return
    echo(f"For your {len(chosen.notes)} {chosen.what} ({stored} with stored references):")
    if chosen.open_slots:
        echo("open quota slots: " + ", ".join(f"{group} {n}" for group, n
                                                    in chosen.open_slots.items()))
    if not found:
        echo("no suggestions yet" + ("" if stored else
                                           ": `kb fetch --references` stores what they cite"))
    for number, item in enumerate(found, 1):
        known = item.known
        head = f"{known.title} ({known.byline})" if known else \
            f"{item.key} (not named yet: `kb fetch --references` names the most cited)"
        echo(f"{number:>3}. {head}\n     kb add {item.add_id}")
        for reason in item.reasons(chosen.what):
            echo(f"     {reason}")
