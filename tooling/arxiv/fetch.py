"""`kb fetch`: keep paper notes' arXiv metadata current without touching the user's words.

Everything is asked first and written afterwards. What may be written is decided by the ownership
rule (`ownership`); how is the front-matter editor's business. Per-note troubles are `Problem`s
and leave that note untouched; only a failure of arXiv itself stops the command.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base import open_base
from ..errors import KbError
from ..identifiers import ARXIV, arxiv_base_of, field_problem
from ..model import Note
from ..notes.atomic import rewrite
from ..notes.editor import EditError
from ..notes.frontmatter import FrontMatterError
from ..problems import ERROR, INFO, Problem, define
from ..schema import PAPER
from .add import no_single_match
from .cache import Cache
from .client import Progress, fetch_ids, search_title
from .fields import exact_title_matches, paper_fields
from .http import request_count
from .ownership import Change, update_text
from .records import Record

SKIPPED = define(
    "skipped-unreadable", ERROR, "a paper note that cannot be read was not fetched",
    "The note's front matter does not load (see `kb check`); fix it and fetch again.",
    command="fetch")
UNKNOWN_ID = define(
    "arxiv-unknown-id", ERROR, "arXiv has no paper with the note's id",
    "arXiv answered, but not for this id: it is well-formed but does not exist (a typo, or a "
    "withdrawn number). Check the id on arxiv.org.", command="fetch")
NO_ID = define(
    "no-arxiv-id", ERROR, "a paper named on the command line has no arXiv id",
    "Only notes with an `arxiv` field can be fetched by id. `kb fetch --resolve` looks papers "
    "without one up by their exact title.", command="fetch")
NOT_EDITABLE = define(
    "not-editable", ERROR, "the note's front matter cannot be edited safely",
    "The tool edits front matter line by line and will not touch a note whose fields share "
    "lines (a {flow mapping}, a key written twice) or whose file cannot be read or written. "
    "The note was left as it was.", command="fetch")
NOT_RESOLVED = define(
    "not-resolved", INFO, "no single arXiv paper has the note's exact title",
    "`--resolve` fills an id only on a single exact title match (case and punctuation "
    "ignored). The message lists candidates; add the right one's id by hand.", command="fetch")


@dataclass(slots=True)
class NoteUpdate:
    path: str
    changes: list[Change]

    @property
    def written(self) -> bool:
        return any(change.writes for change in self.changes)


@dataclass(slots=True)
class FetchReport:
    updates: list[NoteUpdate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    checked: int = 0
    requests: int = 0
    dry_run: bool = False

    @property
    def failed(self) -> bool:
        return any(problem.severity == ERROR for problem in self.problems)

    def as_json(self) -> dict[str, Any]:
        return {"checked": self.checked, "requests": self.requests, "dry_run": self.dry_run,
                "updates": [{"path": u.path, "written": u.written,
                             "changes": [c.as_json() for c in u.changes]} for u in self.updates],
                "problems": [p.as_dict() for p in self.problems]}


def fetch_papers(root: Path, names: Sequence[str] = (), *, refresh: bool = False,
                 dry_run: bool = False, resolve: bool = False, today: dt.date | None = None,
                 progress: Progress | None = None) -> FetchReport:
    """Bring the arXiv metadata of paper notes up to date (all of them, or those named).

    Raises KbError, before any request, for malformed ids and unknown names, and when arXiv
    does not answer.
    """
    root, today = Path(root), today or dt.date.today()
    kb = open_base(root)
    notes = kb.papers_named(names) if names else [n for n in kb.notes if n.kind == PAPER]
    report = FetchReport(dry_run=dry_run)
    unreadable = {p.path: p for p in kb.load_problems}
    report.problems.extend(SKIPPED.at(p.path, p.line, f"skipped, {p.message}")
                           for p in (unreadable.get(n.path) for n in notes) if p)
    notes = [n for n in notes if n.path not in unreadable]
    bad = [f"{n.path}:{n.line_of('arxiv')}: {problem}" for n in notes
           if (problem := field_problem(ARXIV, n.meta.get("arxiv")))]
    if bad:
        raise KbError("\n".join(bad) + "\nnothing was asked or changed")
    cache = Cache.at(root, today)
    before = request_count()
    with_id = [(note, base) for note in notes if (base := arxiv_base_of(note.meta.get("arxiv")))]
    fetched = fetch_ids([base for _, base in with_id], cache, refresh=refresh, progress=progress)
    found = [(note, fetched.results.get(base), base) for note, base in with_id]
    if resolve:
        found += _resolve(notes, cache, refresh, report)
    elif names:  # named explicitly: say why nothing happens to it
        report.problems.extend(NO_ID.at(n.path, 0, "no arxiv id (`kb fetch --resolve` finds it "
                                                    "by title)")
                               for n in notes if n.meta.get("arxiv") is None)
    report.requests = request_count() - before
    for note, record, base in found:
        if record is None:
            report.problems.append(UNKNOWN_ID.at(note.path, note.line_of("arxiv"),
                                                 f"arXiv has no paper {base}"))
        else:
            _update_note(root, note, paper_fields(record), today, report)
    report.checked = len(found)
    return report


def _resolve(notes: list[Note], cache: Cache, refresh: bool, report: FetchReport
             ) -> list[tuple[Note, Record | None, str]]:
    """Title searches for the notes without an id: filled only on a single exact match."""
    found: list[tuple[Note, Record | None, str]] = []
    for note in notes:
        title = note.meta.get("title")
        if note.meta.get("arxiv") is not None or not isinstance(title, str) or not title.strip():
            continue
        records = search_title(title, cache, refresh=refresh)
        exact = exact_title_matches(title, records)
        if len(exact) == 1:
            found.append((note, exact[0], exact[0].id))
        else:
            report.problems.append(NOT_RESOLVED.at(
                note.path, 0, "not resolved, " + no_single_match(title, exact, records).rstrip()))
    return found


def _update_note(root: Path, note: Note, fresh: dict[str, Any], today: dt.date,
                 report: FetchReport) -> None:
    try:
        text = (root / note.path).read_bytes().decode("utf-8")
        new_text, changes = update_text(text, fresh, today)
        if new_text != text and not report.dry_run:
            rewrite(root / note.path, new_text)
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        report.problems.append(NOT_EDITABLE.at(note.path, 0, f"cannot read or write it ({reason}); "
                                                             "unchanged"))
        return
    except FrontMatterError as exc:
        report.problems.append(NOT_EDITABLE.at(note.path, exc.line, f"{exc.message}; not updated"))
        return
    except EditError as exc:
        report.problems.append(NOT_EDITABLE.at(note.path, 0, f"{exc}; not updated"))
        return
    if changes:
        report.updates.append(NoteUpdate(note.path, changes))
