"""The study tracker's checks, run by `kb check` after the core ones (`tooling.lint` lists them):
kb-query blocks and plan queries that would not run, plans whose items cannot be read as groups,
and review-log lines that cannot be replayed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..base import KnowledgeBase
from ..model import Note
from ..problems import ERROR, INFO, WARNING, Problem, check
from ..schema import CONCEPT, PLAN
from .log import INVALID_REVIEW, LOG_PATH, log_of
from .plans import INVALID_PLAN, read_groups
from .query.blocks import DATAVIEW, DATAVIEW_JS, Block, note_blocks
from .query.blocks import INFO as KB_QUERY


@check("invalid-query", ERROR, "a kb-query that cannot run",
       "A fenced ```kb-query block, or a plan group's `query`, has a mistake: the message gives "
       "the column and what was expected. Queries read like Dataview: TABLE title, year FROM papers "
       "WHERE status = \"to-read\" AND contains(tags, \"interp\") SORT year DESC LIMIT 10. The site "
       "build warns about the same block, so `kb build --strict` fails on it. A block never closed "
       "(no ``` line after the query) is reported at its opening fence.")
def invalid_query(kb: KnowledgeBase) -> Iterator[Problem]:
    yield from query_block_problems(kb)
    yield from plan_query_problems(kb)


def query_block_problems(kb: KnowledgeBase, kinds: tuple[str, ...] = (KB_QUERY,)) -> Iterator[Problem]:
    """One problem per query block (of `kinds`) that would not run, at its file line (also the
    site's build warnings)."""
    for note, blocks in kb.derived(_notes_with_query_blocks):
        for block in blocks:
            if block.kind not in kinds:
                continue
            if not block.closed:
                yield Problem(note.path, block.fence_line(note.body_line), ERROR if block.kind == KB_QUERY else WARNING,
                              "invalid-query" if block.kind == KB_QUERY else DATAVIEW_CODE,
                              f"this {block.kind} block is never closed (add a line ``` after the query)")
                continue
            from .query.engine import check_query  # the parser loads only when a block exists

            error = check_query(kb, block.text, note.id)
            if error is not None:
                line = block.file_line(note.body_line) + error.line - 1
                if block.kind == KB_QUERY:
                    yield Problem(note.path, line, ERROR, "invalid-query",
                                  f"kb-query, column {error.column}: {error.message}")
                else:
                    yield Problem(note.path, line, WARNING, DATAVIEW_CODE,
                                  f"shown as code on the site (kb-query cannot run it): column "
                                  f"{error.column}: {error.message}")


DATAVIEW_CODE = "dataview-as-code"


@check(DATAVIEW_CODE, WARNING, "an Obsidian dataview block the site shows as code",
       "A ```dataview block (imported vaults have them) is run like a kb-query block when kb-query "
       "understands it; this one it does not (the message says why: a Dataview feature kb-query "
       "does not have, such as TASK views or lambdas), so the site shows it as code and the build "
       "warns. Rewrite it in the kb-query language, or leave it as code. ```dataviewjs blocks are "
       "JavaScript and always shown as code (counted by dataview-blocks).")
def dataview_as_code(kb: KnowledgeBase) -> Iterator[Problem]:
    yield from query_block_problems(kb, (DATAVIEW,))


@check("dataview-blocks", INFO, "how many Obsidian dataview blocks the base has, and how they show",
       "Counts the ```dataview blocks (rendered like kb-query blocks when kb-query can run them, "
       "else shown as code: see dataview-as-code) and the ```dataviewjs blocks (JavaScript, "
       "always shown as code). Reported once, when the base has any.")
def dataview_blocks(kb: KnowledgeBase) -> Iterator[Problem]:
    counts = {DATAVIEW: 0, DATAVIEW_JS: 0}
    as_code, notes = 0, set()
    for note, blocks in kb.derived(_notes_with_query_blocks):
        for block in blocks:
            if block.kind in counts:
                counts[block.kind] += 1
                notes.add(note.id)
                if block.kind == DATAVIEW and (not block.closed or _fails(kb, block.text, note.id)):
                    as_code += 1
    total = counts[DATAVIEW] + counts[DATAVIEW_JS]
    if total:
        yield Problem("", 0, INFO, "dataview-blocks",
                      f"{counts[DATAVIEW]} dataview block{'s' * (counts[DATAVIEW] != 1)} in {len(notes)} "
                      f"note{'s' * (len(notes) != 1)}: {counts[DATAVIEW] - as_code} rendered as tables or "
                      f"lists, {as_code} shown as code; {counts[DATAVIEW_JS]} dataviewjs block"
                      f"{'s' * (counts[DATAVIEW_JS] != 1)} shown as code")


def _notes_with_query_blocks(kb: KnowledgeBase) -> list[tuple[Note, list[Block]]]:
    """The notes with query blocks, and their blocks: read once for the three checks above."""
    return [(note, blocks) for note in kb.index.notes.values() if (blocks := note_blocks(note))]


def _fails(kb: KnowledgeBase, text: str, note_id: str) -> object:
    from .query.engine import check_query  # the parser loads only when a block exists

    return check_query(kb, text, note_id)


def plan_query_problems(kb: KnowledgeBase) -> Iterator[Problem]:
    from .plans import group_query_error

    for note in kb.of_kind(PLAN):
        specs, _ = read_groups(note)
        for spec in specs:
            if spec.query is None:
                continue
            from .query.engine import engine_for  # loads only for a plan with a query

            error = group_query_error(engine_for(kb), spec.query)
            if error is not None:
                yield Problem(note.path, _query_line(note, spec.name), ERROR, "invalid-query",
                              f"query of group '{spec.name}', column {error.column}: {error.message}")


def _query_line(note: Note, group: str) -> int:
    """The line of a group's `query:` key (else of `items`), found in the front matter text."""
    text = note.yaml_text
    start = re.search(rf"^[ \t]+{re.escape(group)}[ \t]*:", text, re.MULTILINE)
    found = re.compile(r"^[ \t]+query[ \t]*:", re.MULTILINE).search(text, start.end()) if start else None
    if found is None:
        return note.line_of("items")
    return note.yaml_line + text.count("\n", 0, found.start())


@check(INVALID_PLAN)
def invalid_plan(kb: KnowledgeBase) -> Iterator[Problem]:
    for note in kb.of_kind(PLAN):
        yield from read_groups(note)[1]


@check(INVALID_REVIEW)
def invalid_review(kb: KnowledgeBase) -> Iterator[Problem]:
    """Unreadable log lines, and reviews of notes that are not concepts (a renamed concept)."""
    log = log_of(kb)
    yield from log.problems
    for entry in log.entries:
        note = kb.note(entry.note)
        if note is None or note.kind != CONCEPT:
            what = "no note" if note is None else f"a {note.kind}, not a concept"
            yield INVALID_REVIEW.at(LOG_PATH, entry.line,
                                    f"'{entry.note}' is {what} (renamed? fix the id on this line)")

