"""Stage 4a: the core checks of `kb check`, a linter for the whole base. Every check has a code,
a severity and an explanation (`kb check --explain CODE`), like `papis doctor`.

Checks are plain functions over the KnowledgeBase; they never read files. `tooling.lint` lists
the checks `kb check` runs (these, then the study tracker's) and runs them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from .base import KnowledgeBase
from .demos import demo_blocks, has_demo, runs_demos
from .graph import linked_nodes, prerequisite_cycles, prerequisites_acyclic
from .identifiers import ACL, ARXIV, DOI, OPENALEX, OPENREVIEW, arxiv_base_of, field_problem, ids_of
from .model import Note, parse_date
from .problems import CODES, ERROR, WARNING, Problem, check
from .schema import (
    AUTHOR_FIELD,
    CONCEPT,
    DATE_FIELDS,
    INT_FIELDS,
    LINK_FIELDS,
    LIST_FIELDS,
    PAPER,
    PLAN,
    PRIORITIES,
    STATUSES,
    TEXT_FIELDS,
)
from .syntax import may_hold_fences


def _p(note: Note, line: int, code: str, message: str) -> Problem:
    return CODES[code].at(note.path, line, message)


def _readable(kb: KnowledgeBase) -> Iterator[Note]:
    return (note for note in kb.notes if note.readable)


@check("missing-title", ERROR, "a note has no title",
       "Every note needs a 'title' field: the site, search and '[[Title]]' links use it.")
def missing_title(kb: KnowledgeBase) -> Iterator[Problem]:
    for note in _readable(kb):
        title = note.meta.get("title")
        if title is None or not str(title).strip():
            yield _p(note, note.line_of("title"), "missing-title", "missing title")


@check("unknown-status", ERROR, "a status outside the kind's vocabulary",
       "Papers use to-read, reading, read, skimmed, dropped; concepts use to-study, studying, "
       "studied. Other kinds have no status vocabulary.")
def unknown_status(kb: KnowledgeBase) -> Iterator[Problem]:
    for note in _readable(kb):
        allowed = STATUSES.get(note.kind)
        value = note.meta.get("status")
        if allowed is None or value is None or value in allowed:
            continue
        yield _p(note, note.line_of("status"), "unknown-status",
                 f"unknown status '{value}' for a {note.kind} (expected one of {', '.join(allowed)})")


@check("invalid-date", ERROR, "a date field that is not a real YYYY-MM-DD date",
       f"Date fields ({', '.join(DATE_FIELDS)}) must be ISO dates such as 2024-03-01, or a full "
       "ISO timestamp. Impossible dates like 2024-02-30 are rejected.")
def invalid_date(kb: KnowledgeBase) -> Iterator[Problem]:
    for note in _readable(kb):
        for key in DATE_FIELDS:
            value = note.meta.get(key)
            if value is None or isinstance(value, (dt.date, dt.datetime)):
                continue
            if parse_date(value) is None:
                yield _p(note, note.line_of(key), "invalid-date",
                         f"'{key}' is not a valid date: {value!r} (expected YYYY-MM-DD)")


@check("malformed-arxiv", ERROR, "an 'arxiv' field that is not an arXiv id",
       "The 'arxiv' field holds a bare id: '2202.05262', '2202.05262v3' or 'hep-th/9901001'. "
       "Quote it: unquoted, YAML reads 2202.05260 as the number 2202.0526 and loses the zero.")
def malformed_arxiv(kb: KnowledgeBase) -> Iterator[Problem]:
    for note in _readable(kb):
        problem = field_problem(ARXIV, note.meta.get("arxiv"))
        if problem is not None:
            yield _p(note, note.line_of("arxiv"), "malformed-arxiv", problem)


@check("invalid-field", ERROR, "a known field holding the wrong type of value",
       "List fields (tags, aliases, authors, concepts, prerequisites, related, papers, items) hold "
       "a list or a single value; 'priority' is high, medium or low; 'year' and 'version' are "
       f"whole numbers (year: 2022, not twenty); text fields ({', '.join(TEXT_FIELDS)}) hold "
       "text, not a list or a mapping.")
def invalid_field(kb: KnowledgeBase) -> Iterator[Problem]:
    for note in _readable(kb):
        for key, value in note.meta.items():  # one pass over the note's own fields
            message = _wrong_type(key, value, note.kind)
            if message is not None:
                yield _p(note, note.line_of(key), "invalid-field", message)


# An identifier field (arXiv's has its own check) holds text too: a list or mapping there is the
# wrong type, reported here; a malformed string is `malformed-paper-id`'s.
_LISTS, _TEXTS, _INTS = (frozenset(LIST_FIELDS), frozenset(TEXT_FIELDS) | {DOI, ACL, OPENREVIEW, OPENALEX},
                         frozenset(INT_FIELDS))


def _shown(value: object, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _wrong_type(key: str, value: object, kind: str) -> str | None:
    if value is None:
        return None
    if key in _LISTS:
        if isinstance(value, dict) and not (key == "items" and kind == PLAN):
            return f"'{key}' should be a list, not a mapping"
    elif key in _TEXTS:
        if isinstance(value, (list, dict)):
            return f"'{key}' should be text, not a {'list' if isinstance(value, list) else 'mapping'}"
        if isinstance(value, bool):
            return (f"'{key}' should be text, not {str(value).lower()}: YAML reads yes, no, on and "
                    f"off as true or false; quote the words ({key}: \"...\")")
    elif key in _INTS:
        if not isinstance(value, int) or isinstance(value, bool):
            return f"'{key}' should be a whole number, not {_shown(value)}"
    elif key == "priority" and value not in PRIORITIES:
        return f"unknown priority {_shown(value)} (expected one of {', '.join(PRIORITIES)})"
    return None


@check("duplicate-key", ERROR, "a front-matter key written twice",
       "YAML accepts a key written twice in one mapping and silently keeps only the last value: "
       "the first one is lost to every command. Keep one line per key (merge the two values). "
       "The message gives the lines of both; keys inside a field's mapping (a plan's item groups) "
       "count too.")
def duplicate_key(kb: KnowledgeBase) -> Iterator[Problem]:
    for note in _readable(kb):
        for repeat in note.repeated_keys:
            yield _p(note, repeat.line, "duplicate-key",
                     f"key '{repeat.key}' is written twice, on lines {repeat.first_line} and "
                     f"{repeat.line}: only the value on line {repeat.line} is kept")


@check("duplicate-id", ERROR, "two files share a note id",
       "A note's id is its file name without '.md' and must be unique across papers/, concepts/ "
       "and notes/, because '[[id]]' links and page URLs use it. Every file with the id is "
       "reported; until one is renamed, a paper wins over a concept, a concept over an author "
       "note, an author note over other notes. Names that differ only in Unicode normalisation "
       "(as macOS writes them) are the same id.")
def duplicate_id(kb: KnowledgeBase) -> Iterator[Problem]:
    by_id: dict[str, list[Note]] = defaultdict(list)
    for note in kb.notes:
        by_id[note.id].append(note)
    for note_id, same in by_id.items():
        if len(same) < 2:
            continue
        kept = kb.index.notes[note_id]
        for note in same:
            others = ", ".join(other.path for other in same if other is not note)
            role = ("this file is the one links, the site and exports use" if note is kept
                    else "this file is left out of links, the site and exports")
            yield _p(note, 1, "duplicate-id", f"duplicate id '{note_id}': also {others} ({role})")


@check("unresolved-link", ERROR, "a link whose target is no note",
       "A front-matter id, a '[[wikilink]]' or a relative Markdown link points at nothing. "
       "Wikilinks match a note id, then a title or alias (case-insensitive); relative links "
       "must name an existing file.")
def unresolved_link(kb: KnowledgeBase) -> Iterator[Problem]:
    for link in kb.unresolved:
        note = kb.index.notes[link.source]
        if link.type == "wikilink":
            message = f"unresolved wikilink [[{link.raw}]]"
        elif link.type == "link":
            message = f"unresolved link to '{link.raw}' (no such file)"
        else:
            message = f"unresolved link to '{link.raw}' in '{_field_of(link.type)}'"
        yield _p(note, link.line, "unresolved-link", message)


def _field_of(edge: str) -> str:
    if edge == "author":
        return AUTHOR_FIELD
    return next((key for key, value in LINK_FIELDS.items() if value == edge), edge)


@check("prerequisite-cycle", ERROR, "concepts that are each other's prerequisites",
       "Prerequisites must form a DAG so a study order exists. Remove one edge of the cycle.")
def prerequisite_cycle(kb: KnowledgeBase) -> Iterator[Problem]:
    if prerequisites_acyclic(kb.links):
        return
    for cycle in prerequisite_cycles(kb.prerequisites):
        note = kb.index.notes[cycle[0]]
        shown = " -> ".join([*cycle, cycle[0]])
        yield _p(note, note.line_of("prerequisites"), "prerequisite-cycle",
                 f"prerequisite cycle: {shown}")


@check("orphan-note", WARNING, "a note nothing links to and that links to nothing",
       "An orphan is unreachable from the rest of the base. Link it from a related note, or give "
       "it 'related', 'concepts' or '[[links]]' of its own.")
def orphan_note(kb: KnowledgeBase) -> Iterator[Problem]:
    linked = linked_nodes(kb.links)  # the graph's orphans, without building the graph
    for note in kb.index.notes.values():
        if note.id not in linked and note.readable:  # an unreadable note has its own error
            yield _p(note, 1, "orphan-note", f"orphan note '{note.id}': no links in or out")


@check("concept-without-demo", WARNING, "a concept note without a runnable demo",
       "Each concept carries one demo: a fenced code block whose info string is 'python demo'. "
       "It uses only the standard library and numpy and prints a result a learner can check.")
def concept_without_demo(kb: KnowledgeBase) -> Iterator[Problem]:
    for note in _readable(kb):
        if note.kind == CONCEPT and not has_demo(note.body, note.scan):
            yield _p(note, note.body_line, "concept-without-demo",
                     f"concept '{note.id}' has no ```python demo block")


@check("unclosed-fence", WARNING, "a fenced code block that is never closed",
       "A line of three or more backticks (or tildes) opens a code block that runs to a line of at "
       "least as many of the same character with nothing else on it. Without one, everything to "
       "the end of the note (or of the quote or list item holding it) is code: its links are no "
       "links and a `python demo` block never runs. A line such as ```python inside the block "
       "does not close it.")
def unclosed_fence(kb: KnowledgeBase) -> Iterator[Problem]:
    for note in _readable(kb):
        for block in note.scan.fences() if may_hold_fences(note.body) else ():
            if not block.closed:
                yield _p(note, note.body_line + block.first, "unclosed-fence",
                         f"the code block opened here with {block.fence} is never closed: the "
                         "rest of the note is code")


@check("demo-outside-concept", WARNING, "a demo block in a note that is not a concept",
       "Only concept notes run their ```python demo blocks (at build time and with the site's Run "
       "button). Elsewhere, in a paper, a note or an imported page, the block is shown as plain "
       "Python code and never runs: text brought in from elsewhere must not become code that "
       "runs. Move the demo to a concept note, or write ```python to show code.")
def demo_outside_concept(kb: KnowledgeBase) -> Iterator[Problem]:
    for note in _readable(kb):
        if not runs_demos(note) and "demo" in note.body:
            for demo in demo_blocks(note.body):
                yield _p(note, note.body_line + demo.line - 1, "demo-outside-concept",
                         f"a ```python demo block in a {note.kind}: it does not run (only concepts' do)")


@check("empty-read-paper", WARNING, "a paper marked read with nothing written about it",
       "A paper you have read deserves a line of notes; an empty body usually means the status "
       "was set by mistake or the notes live elsewhere.")
def empty_read_paper(kb: KnowledgeBase) -> Iterator[Problem]:
    for note in _readable(kb):
        if note.kind == PAPER and note.meta.get("status") == "read" and not _has_prose(note.body):
            yield _p(note, note.line_of("status"), "empty-read-paper",
                     f"paper '{note.id}' is marked read but its body is empty")


@check("malformed-paper-id", ERROR, "a doi, acl, openreview or openalex field that is not one",
       "These fields hold an identifier: doi '10.1038/nature14539' (a doi.org URL is fine too), "
       "acl '2020.acl-main.463' or 'P19-1001', openreview the id of an openreview.net/forum?id=... "
       "link, openalex 'W2741809807'. `kb fetch` refuses to run until they parse.")
def malformed_paper_id(kb: KnowledgeBase) -> Iterator[Problem]:
    for note in _readable(kb):
        for scheme in (DOI, ACL, OPENREVIEW, OPENALEX):
            value = note.meta.get(scheme)
            if isinstance(value, (list, dict)):
                continue  # the wrong type: `invalid-field` says so
            problem = field_problem(scheme, value)
            if problem is not None:
                yield _p(note, note.line_of(scheme), "malformed-paper-id", problem)


@check("duplicate-paper-id", WARNING, "two papers with the same DOI, ACL, OpenReview or OpenAlex id",
       "Two paper notes hold the same identifier (DOIs compared without case; a paper's `url` "
       "counts when it is an identifier's link). Merge them, keeping your notes from both.")
def duplicate_paper_id(kb: KnowledgeBase) -> Iterator[Problem]:
    for note in _readable(kb):
        if note.kind != PAPER:
            continue
        for scheme, ref in ids_of(note.meta).items():
            first = kb.index.ids.get(ref.key)
            if scheme != ARXIV and first is not None and first != note.id:
                yield _p(note, note.line_of(scheme if scheme in note.meta else "url"),
                         "duplicate-paper-id", f"{ref} is also in {kb.index.notes[first].path}")


def _has_prose(body: str) -> bool:
    # Headings alone (such as the empty "## Notes" section `kb add` writes) are not notes.
    return any(line.strip() and not line.lstrip().startswith("#") for line in body.splitlines())


@check("duplicate-arxiv", WARNING, "two papers with the same arXiv id",
       "Two paper notes point at the same arXiv paper (versions ignored). Merge them, keeping "
       "your notes from both.")
def duplicate_arxiv(kb: KnowledgeBase) -> Iterator[Problem]:
    for note in _readable(kb):
        base = arxiv_base_of(note.meta.get("arxiv")) if note.kind == PAPER else None
        first = kb.index.arxiv.get(base) if base is not None else None
        if first is not None and first != note.id:
            yield _p(note, note.line_of("arxiv"), "duplicate-arxiv",
                     f"arXiv {base} is also in {kb.index.notes[first].path}")
