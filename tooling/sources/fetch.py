"""`kb fetch`: keep paper notes' metadata current from their sources without touching the user's
words, and find the identifiers of papers known by title only (`--resolve`).

Everything is asked first and written afterwards. Each note is fetched by its first identifier
(`lookup.primary`: arXiv, else OpenReview, else OpenAlex's); what may be written is decided by
the ownership rule (`ownership`), covering only the fields the answering source speaks for; how
is the front-matter editor's business. Per-note troubles are `Problem`s and leave that note
untouched; only a failure of a source itself stops the command.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base import open_base
from ..errors import KbError
from ..identifiers import ARXIV, SCHEMES, field_problem, ids_of
from ..model import Note
from ..notes.atomic import ChangedMeanwhile
from ..notes.editor import EditError
from ..notes.frontmatter import FrontMatterError
from ..problems import ERROR, INFO, WARNING, Problem, define
from ..schema import PAPER
from .fields import confirms, exact_title_matches
from .lookup import Caches, Counter, Progress, look_up, primary, works_titled
from .ownership import Change, write_work
from .work import ARXIV_SOURCE, Work

SKIPPED = define(
    "skipped-unreadable", ERROR, "a paper note that cannot be read was not fetched",
    "The note's front matter does not load (see `kb check`); fix it and fetch again.",
    command="fetch")
UNKNOWN_ID = define(
    "arxiv-unknown-id", ERROR, "the source has no paper with the note's identifier",
    "The source answered, but not for this identifier (arXiv for an arXiv id, OpenReview for an "
    "OpenReview id, OpenAlex and Crossref for a DOI, ACL or OpenAlex id): it is well-formed but "
    "unknown (a typo, or a withdrawn number). Check it on the source's site.", command="fetch")
NO_ID = define(
    "no-arxiv-id", ERROR, "a paper named on the command line has no identifier",
    "Only notes with an identifier field (arxiv, doi, acl, openreview, openalex) can be fetched "
    "by id. `kb fetch --resolve` looks papers without one up by their exact title.",
    command="fetch")
IGNORED_ID = define(
    "ignored-paper-id", WARNING, "a doi, acl, openreview or openalex field that is not one was ignored",
    "The field does not hold an identifier (see `kb check`'s malformed-paper-id); the note was "
    "fetched by its other identifiers, or resolved by title, as if the field were absent.",
    command="fetch")
NOT_EDITABLE = define(
    "not-editable", ERROR, "the note's front matter cannot be edited safely",
    "The tool edits front matter line by line and will not touch a note whose fields share "
    "lines (a {flow mapping}, a key written twice) or whose file cannot be read or written. "
    "The note was left as it was.", command="fetch")
NOT_RESOLVED = define(
    "not-resolved", INFO, "no paper was confirmed for the note's title",
    "`--resolve` writes an identifier only when arXiv (first) or OpenAlex has a single paper "
    "whose title equals the note's (case and punctuation ignored), whose year is within one of "
    "the note's and whose first author has the surname of the note's first author. Anything "
    "less is listed as candidates: check one and run the `kb add ID --replace NOTE` printed.",
    command="fetch")


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
    requests: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def failed(self) -> bool:
        return any(problem.severity == ERROR for problem in self.problems)

    def as_json(self) -> dict[str, Any]:
        return {"checked": self.checked, "requests": sum(self.requests.values()),
                "requests_by_source": self.requests, "dry_run": self.dry_run,
                "updates": [{"path": u.path, "written": u.written,
                             "changes": [c.as_json() for c in u.changes]} for u in self.updates],
                "problems": [p.as_dict() for p in self.problems]}


def fetch_papers(root: Path, names: Sequence[str] = (), *, refresh: bool = False,
                 dry_run: bool = False, resolve: bool = False, today: dt.date | None = None,
                 progress: Progress | None = None) -> FetchReport:
    """Bring the metadata of paper notes up to date (all of them, or those named).

    Raises KbError, before any request, for malformed identifiers and unknown names, and when a
    source does not answer.
    """
    root, today = Path(root), today or dt.date.today()
    kb = open_base(root)
    notes = kb.papers_named(names) if names else [n for n in kb.notes if n.kind == PAPER]
    report = FetchReport(dry_run=dry_run)
    unreadable = {p.path: p for p in kb.load_problems}
    report.problems.extend(SKIPPED.at(p.path, p.line, f"skipped, {p.message}")
                           for p in (unreadable.get(n.path) for n in notes) if p)
    notes = [n for n in notes if n.path not in unreadable]
    bad = [f"{n.path}:{n.line_of(ARXIV)}: {problem}" for n in notes
           if (problem := field_problem(ARXIV, n.meta.get(ARXIV)))]
    if bad:
        raise KbError("\n".join(bad) + "\nnothing was asked or changed")
    report.problems.extend(IGNORED_ID.at(n.path, n.line_of(scheme), f"{problem}; fetched without it")
                           for n in notes for scheme in SCHEMES if scheme != ARXIV
                           and (problem := field_problem(scheme, n.meta.get(scheme))))
    caches, counter = Caches(root, today), Counter()
    with_id = [(note, ref) for note in notes if (ref := primary(ids_of(note.meta))) is not None]
    found, _ = look_up([ref for _, ref in with_id], caches, refresh=refresh, progress=progress)
    fetched = [(note, found.get(ref.key), str(ref)) for note, ref in with_id]
    if resolve:
        fetched += _resolve([n for n in notes if not ids_of(n.meta)], caches, refresh, report)
    elif names:  # named explicitly: say why nothing happens to it
        report.problems.extend(NO_ID.at(n.path, 0, "no arxiv id or other identifier (`kb fetch "
                                                    "--resolve` finds it by title)")
                               for n in notes if not ids_of(n.meta))
    counts = counter.counts()
    used = {ARXIV_SOURCE} if not with_id or any(ref.scheme == ARXIV for _, ref in with_id) else set()
    used |= {work.source for _, work, _ in fetched if work is not None}
    report.requests = {name: n for name, n in counts.items() if n or name in used}
    for note, work, asked in fetched:
        if work is None:
            scheme, _, value = asked.partition(":")
            what = f"arXiv has no paper {value}" if scheme == ARXIV else f"no source knows {asked}"
            report.problems.append(UNKNOWN_ID.at(note.path, note.line_of(scheme), what))
        else:
            _update_note(root, note, work, today, report)
    report.checked = len(fetched)
    return report


def _resolve(notes: list[Note], caches: Caches, refresh: bool, report: FetchReport
             ) -> list[tuple[Note, Work | None, str]]:
    """Title searches for the notes without an identifier: written only when confirmed."""
    found: list[tuple[Note, Work | None, str]] = []
    for note in notes:
        title = note.meta.get("title")
        if not isinstance(title, str) or not title.strip():
            continue
        works = works_titled(title, caches, refresh=refresh)
        exact = exact_title_matches(title, works)
        sure = [w for w in exact if confirms(w, note.meta.get("year"), note.list_field("authors"))]
        if len(sure) == 1:
            found.append((note, sure[0], sure[0].label))
        else:
            report.problems.append(NOT_RESOLVED.at(note.path, 0, candidates(note, exact, works)))
    return found


def candidates(note: Note, exact: list[Work], works: list[Work], limit: int = 5) -> str:
    """Why a note was not resolved, and the commands that would take each candidate."""
    title = note.title
    if not works:
        return f"not resolved: nothing found for the title {title!r}"
    head = (f"not resolved: {len(exact)} paper{'s' * (len(exact) != 1)} titled {title!r} but "
            "none confirmed by year and first author" if exact else f"not resolved: no paper has exactly the title {title!r}")
    rows = "".join(f"\n  kb add {w.label} --replace {note.id}   # {w.title} "
                   f"({w.authors[0] if w.authors else '?'}, {w.year or '?'}, {w.source})"
                   for w in (exact or works)[:limit])
    return head + "; candidates:" + rows


def _update_note(root: Path, note: Note, work: Work, today: dt.date, report: FetchReport) -> None:
    try:
        changes = write_work(root, note.path, work, today, dry_run=report.dry_run)
    except (OSError, UnicodeDecodeError, ChangedMeanwhile) as exc:
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
