"""`kb add`: a paper note from arXiv, with complete metadata, under a readable id.

Everything is asked first and written afterwards, so when arXiv fails, or a reference is
malformed, unknown or ambiguous, nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base import KnowledgeBase, open_base
from ..errors import KbError
from ..identifiers import canonical_arxiv, parse_arxiv
from ..notes.atomic import write_atomic
from ..notes.ids import paper_id
from ..notes.serialize import note_text
from ..problems import INFO, WARNING, Problem, define
from ..schema import ARXIV_FIELDS, DEFAULT_STATUS, FOLDER_OF, PAPER
from .cache import Cache
from .client import fetch_ids, search_title
from .fields import exact_title_matches, paper_fields
from .http import request_count
from .ownership import mark_owned
from .records import Record

MAX_CANDIDATES = 10

ALREADY_IN_BASE = define(
    "already-in-base", INFO, "the paper is already in the base",
    "`kb add` never adds a paper twice: a note already holds this arXiv id (any version). "
    "The message names it.", command="add")
UNKNOWN_CONCEPT = define(
    "unknown-concept", WARNING, "`--concept` names no concept note yet",
    "The new paper links to a concept that has no note; `kb check` reports the link until you "
    "write concepts/<id>.md.", command="add")


@dataclass(slots=True)
class Added:
    path: str
    record: Record


@dataclass(slots=True)
class AddReport:
    created: list[Added] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    requests: int = 0


def papers_by_arxiv(kb: KnowledgeBase) -> dict[str, str]:
    """Canonical arXiv id -> path of the paper note holding it."""
    return {base: kb.index.notes[note_id].path for base, note_id in kb.index.arxiv.items()}


def parse_refs(refs: Iterable[str]) -> list[tuple[str, str]]:
    """(reference as typed, canonical id) for each; KbError naming every unreadable one."""
    parsed: list[tuple[str, str]] = []
    bad: list[str] = []
    for ref in refs:
        ident = parse_arxiv(ref)
        if ident is None:
            bad.append(repr(ref))
        else:
            parsed.append((ref, canonical_arxiv(ident.base)))
    if bad:
        raise KbError(f"not an arXiv id: {', '.join(bad)} (expected e.g. 2202.05262, "
                      "arXiv:2202.05262v3, hep-th/9901001 or an arxiv.org URL); nothing was added")
    return parsed


def add_papers(root: Path, refs: Sequence[str] = (), *, title: str | None = None,
               status: str | None = None, concepts: Sequence[str] = (),
               today: dt.date | None = None) -> AddReport:
    """Create a note in papers/ for each reference (and the paper titled `title`).

    Papers already in the base (any version) are reported, not added. Everything is looked up
    before anything is written: a malformed reference, an id arXiv does not know or an
    ambiguous title adds nothing.
    """
    root, today = Path(root), today or dt.date.today()
    kb = open_base(root)
    known = papers_by_arxiv(kb)
    report = AddReport()
    wanted: list[str] = []
    for ref, base in parse_refs(refs):
        if base in known:
            report.problems.append(_present(ref, known[base]))
        elif base not in wanted:
            wanted.append(base)
    cache = Cache.at(root, today)
    before = request_count()
    answers = _fetch_all(wanted, cache)
    if title is not None:
        match = find_by_title(title, cache)
        if match.id in known:
            report.problems.append(_present(title, known[match.id]))
        else:
            answers.setdefault(match.id, match)
    report.requests = request_count() - before
    missing = [c for c in concepts if c not in kb.index.notes]
    if missing:
        report.problems.append(UNKNOWN_CONCEPT.at(
            "", 0, f"no note for concept {', '.join(map(repr, missing))} yet "
            "(`kb check` will report the link until you write it)"))
    taken = {note.id for note in kb.notes}
    extra = {"status": status or DEFAULT_STATUS[PAPER], "concepts": list(concepts),
             "added": today.isoformat()}
    for record in answers.values():
        path = write_new_note(root, paper_fields(record), extra, taken, today)
        report.created.append(Added(path, record))
    return report


def _present(ref: str, path: str) -> Problem:
    return ALREADY_IN_BASE.at("", 0, f"{ref}: already in the base as {path}; nothing added")


def _fetch_all(bases: list[str], cache: Cache) -> dict[str, Record]:
    if not bases:
        return {}
    fetched = fetch_ids(bases, cache)
    if fetched.missing:
        raise KbError(f"arXiv has no paper {', '.join(fetched.missing)}; nothing was added")
    return {base: fetched.results[base] for base in bases}


def find_by_title(title: str, cache: Cache | None = None, *, refresh: bool = False) -> Record:
    """The one paper whose title is exactly `title` (folded); KbError listing candidates."""
    records = search_title(title, cache, refresh=refresh)
    exact = exact_title_matches(title, records)
    if len(exact) == 1:
        return exact[0]
    raise KbError(no_single_match(title, exact, records) + "; nothing was added")


def no_single_match(title: str, exact: list[Record], records: list[Record]) -> str:
    """Why a title search found no single paper, with the candidates to choose from by id."""
    shown = (exact or records)[:MAX_CANDIDATES]
    head = (f"{len(exact)} arXiv papers have the title {title!r}" if exact
            else f"no arXiv paper has exactly the title {title!r}")
    if not shown:
        return head + " (and the search found nothing close)"
    rows = "".join(f"\n  {r.id}  {r.title}" for r in shown)
    return f"{head}; candidates (add one by id):{rows}\n"


def paper_note_text(fresh: Mapping[str, Any], extra: Mapping[str, Any], today: dt.date) -> str:
    """A new paper note: arXiv's fields (owned), then `extra` (yours, e.g. status) before the
    abstract, the ownership record, and an empty `## Notes` section."""
    meta = {key: fresh[key] for key in ARXIV_FIELDS if key in fresh and key != "abstract"}
    meta.update({key: value for key, value in extra.items() if value not in (None, "", [])})
    if "abstract" in fresh:
        meta["abstract"] = fresh["abstract"]
    mark_owned(meta, [key for key in ARXIV_FIELDS if key in fresh], today)
    return note_text(meta, "\n## Notes\n")


def write_new_note(root: Path, fields: dict[str, Any], extra: dict[str, Any], taken: set[str],
                   today: dt.date) -> str:
    """Write `papers/<id>.md` under a fresh readable id; returns its relative path."""
    folder = root / FOLDER_OF[PAPER]
    stem = paper_id(fields.get("authors", []), fields.get("year"), fields.get("title", ""))
    text = paper_note_text(fields, extra, today)
    for n in range(1, 1000):
        note_id = stem if n == 1 else f"{stem}-{n}"
        path = folder / f"{note_id}.md"
        if note_id in taken or path.resolve().parent != folder.resolve():
            continue
        try:
            write_atomic(path, text, exclusive=True)
        except FileExistsError:
            continue
        except OSError as exc:
            raise KbError(f"papers/{note_id}.md: cannot write it ({exc.strerror})") from None
        taken.add(note_id)
        return f"{FOLDER_OF[PAPER]}/{note_id}.md"
    raise KbError(f"no free note id for {stem!r} in papers/")
