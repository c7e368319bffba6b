"""`kb query`: Dataview-style queries (or read-only SQL) over the notes, in the terminal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .common import CONTEXT, echo, root_option, today_option


@click.command(context_settings=CONTEXT)
@click.argument("text", metavar="QUERY")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="Output format.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--sql", "raw_sql", is_flag=True,
              help="QUERY is SQL over the tables notes(id, path, folder, kind, title, status, "
                   "next_review, reviews, meta, day, file_tags, file_etags), links(source, target, "
                   "type, anchor) and files(id, size, ctime, mtime, cday, mday); read-only, bounded.")
@root_option
@today_option
def query(text: str, fmt: str, as_json: bool, raw_sql: bool, root: Path, today: dt.date | None) -> None:
    """Run a query over the notes and print the notes it finds.

    TABLE fields FROM source, then WHERE, SORT field [ASC|DESC], LIMIT n, FLATTEN field [AS name]
    and GROUP BY field [AS name] in any order; or LIST FROM .... Sources: papers, concepts,
    notes, authors, plans, "folder", #tag, [[note]] (notes linking to it), outgoing([[note]]),
    combined with and/or/-. Fields: front matter, file.name, file.link, file.path, file.folder,
    file.size, file.ctime, file.mtime, file.cday, file.mday, file.day, file.tags,
    file.inlinks, file.outlinks, ...; after GROUP BY, key and rows.field. Conditions: = != < >
    <= >=, and, or, not, + - * /, dates and dur(1 week), [[note]] values, contains(f, v),
    length, date(today), links_to("id"), ... A mistake is reported with its line and column
    and what is supported (exit status 2).

    \b
    Examples:
      kb query 'TABLE title, year, status FROM papers WHERE status = "to-read" AND contains(tags, "interp") SORT year DESC LIMIT 10'
      kb query 'LIST FROM concepts WHERE links_to("residual-stream")' --format json
      kb query 'TABLE length(rows) AS papers FROM papers GROUP BY status'
      kb query --sql 'SELECT status, count(*) FROM notes WHERE kind = "paper" GROUP BY status'
    """
    from ..base import open_base
    from ..problems import ERROR, Problem
    from ..study.errors import USAGE, StudyError
    from ..study.query import render
    from ..study.query.engine import RawResult, engine_for
    from ..study.query.parse import QueryError

    engine = engine_for(open_base(root, lasting=True), today)
    fmt = "json" if as_json else fmt
    try:
        result = engine.sql(text) if raw_sql else engine.run(text)
    except QueryError as exc:
        where = "" if raw_sql else f"column {exc.column}: "
        problem = Problem("query", exc.line, ERROR, "invalid-query", where + exc.message)
        echo(f"error: {StudyError(problem)}", err=True)
        if not raw_sql:
            echo(exc.pointer(), err=True)
        raise click.exceptions.Exit(USAGE) from None
    if isinstance(result, RawResult):
        echo(render.raw(result, fmt), nl=False)
    elif fmt == "json":
        echo(render.as_json(result))
    elif fmt == "csv":
        echo(render.as_csv(result), nl=False)
    else:
        echo(render.as_text(result))
