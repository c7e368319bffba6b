"""Paper notes and arXiv: `kb add` creates notes, `kb fetch` keeps their metadata current.

Both ask arXiv for everything first and write afterwards, so when arXiv fails nothing is written.
What may be written is decided by the ownership rule in `sync`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import arxiv

from . import arxiv_api, arxivid
from .arxiv_api import Cache
from .base import KnowledgeBase, open_base
from .errors import KbError
from .frontmatter import FrontMatterError
from .fsio import write_atomic
from .metadata import exact_title_matches, paper_fields, result_id
from .model import DEFAULT_STATUS, PAPER, Note
from .naming import paper_id
from .sync import Change, render_note, update_text

MAX_CANDIDATES = 10


# --- finding papers in the base --------------------------------------------------------------


def arxiv_of(note: Note) -> str | None:
    """The canonical version-less arXiv id a note holds, or None (absent or malformed)."""
    return arxivid.base_of(note.meta.get("arxiv"))


def papers_by_arxiv(kb: KnowledgeBase) -> dict[str, str]:
    """Canonical arXiv id -> path of the (first) paper note holding it."""
    return {base: kb.index.notes[note_id].path for base, note_id in kb.index.arxiv.items()}


def named_papers(kb: KnowledgeBase, names: Iterable[str]) -> list[Note]:
    """Paper notes by note id or by any form of their arXiv id; KbError naming unknown ones."""
    chosen: list[Note] = []
    unknown: list[str] = []
    for name in names:
        note = kb.index.notes.get(name)
        if note is None or note.kind != PAPER:
            ref = arxivid.parse(name)
            found = kb.index.arxiv.get(arxivid.canonical_id(ref.base)) if ref else None
            note = kb.index.notes[found] if found is not None else None
        if note is None:
            unknown.append(repr(name))
        elif note not in chosen:
            chosen.append(note)
    if unknown:
        raise KbError(f"no paper note {', '.join(unknown)} under {kb.root}")
    return chosen


def _malformed(note: Note) -> str | None:
    problem = arxivid.field_problem(note.meta.get("arxiv"))
    return f"{note.path}:{note.line_of('arxiv')}: {problem}" if problem else None


# --- kb add ----------------------------------------------------------------------------------


@dataclass(slots=True)
class AddReport:
    created: list[tuple[str, arxiv.Result]] = field(default_factory=list)  # (path, answer)
    present: list[tuple[str, str]] = field(default_factory=list)  # (reference, path of its note)
    warnings: list[str] = field(default_factory=list)
    requests: int = 0


def parse_refs(refs: Iterable[str]) -> list[tuple[str, str]]:
    """(reference as typed, canonical id) for each; KbError naming every unreadable one."""
    parsed: list[tuple[str, str]] = []
    bad: list[str] = []
    for ref in refs:
        ident = arxivid.parse(ref)
        if ident is None:
            bad.append(repr(ref))
        else:
            parsed.append((ref, arxivid.canonical_id(ident.base)))
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
            report.present.append((ref, known[base]))
        elif base not in wanted:
            wanted.append(base)
    cache = Cache.at(root, today)
    before = arxiv_api.request_count()
    answers = _fetch_all(wanted, cache)
    if title is not None:
        match = find_by_title(title, cache)
        base = result_id(match).base
        if base in known:
            report.present.append((title, known[base]))
        else:
            answers.setdefault(base, match)
    report.requests = arxiv_api.request_count() - before
    missing = [c for c in concepts if c not in kb.index.notes]
    if missing:
        report.warnings.append(f"no note for concept {', '.join(map(repr, missing))} yet "
                               "(`kb check` will report the link until you write it)")
    taken = {note.id for note in kb.notes}
    extra = {"status": status or DEFAULT_STATUS[PAPER], "concepts": list(concepts),
             "added": today.isoformat()}
    for result in answers.values():
        path = write_new_note(root, paper_fields(result), extra, taken, today)
        report.created.append((path, result))
    return report


def _fetch_all(bases: list[str], cache: Cache) -> dict[str, arxiv.Result]:
    if not bases:
        return {}
    fetched = arxiv_api.fetch_ids(bases, cache)
    if fetched.missing:
        raise KbError(f"arXiv has no paper {', '.join(fetched.missing)}; nothing was added")
    return {base: fetched.results[base] for base in bases}


def find_by_title(title: str, cache: Cache | None = None, *, refresh: bool = False
                  ) -> arxiv.Result:
    """The one paper whose title is exactly `title` (normalised); KbError listing candidates."""
    results = arxiv_api.search_title(title, cache, refresh=refresh)
    exact = exact_title_matches(title, results)
    if len(exact) == 1:
        return exact[0]
    raise KbError(no_single_match(title, exact, results) + "; nothing was added")


def no_single_match(title: str, exact: list[arxiv.Result], results: list[arxiv.Result]) -> str:
    """Why a title search found no single paper, with the candidates to choose from by id."""
    shown = (exact or results)[:MAX_CANDIDATES]
    head = (f"{len(exact)} arXiv papers have the title {title!r}" if exact
            else f"no arXiv paper has exactly the title {title!r}")
    if not shown:
        return head + " (and the search found nothing close)"
    rows = "".join(f"\n  {result_id(r).base}  {r.title}" for r in shown)
    return f"{head}; candidates (add one by id):{rows}\n"


def write_new_note(root: Path, fields: dict, extra: dict, taken: set[str], today: dt.date) -> str:
    """Write `papers/<id>.md` under a fresh readable id; returns its relative path."""
    folder = root / "papers"
    stem = paper_id(fields.get("authors", []), fields.get("year"), fields.get("title", ""))
    text = render_note(fields, extra, today)
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
        return f"papers/{note_id}.md"
    raise KbError(f"no free note id for {stem!r} in papers/")


# --- kb fetch --------------------------------------------------------------------------------


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
    problems: list[str] = field(default_factory=list)  # `path: what went wrong`, one per note
    notices: list[str] = field(default_factory=list)  # worth saying, not a failure
    checked: int = 0
    requests: int = 0
    dry_run: bool = False

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def fetch_papers(root: Path, names: Sequence[str] = (), *, refresh: bool = False,
                 dry_run: bool = False, resolve: bool = False, today: dt.date | None = None
                 ) -> FetchReport:
    """Bring the arXiv metadata of paper notes up to date (all of them, or those named).

    Raises KbError, before any request, for malformed ids and unknown names, and when arXiv
    does not answer; per-note troubles (an id arXiv does not know, front matter that cannot be
    edited) are reported in the result and leave that note untouched.
    """
    root, today = Path(root), today or dt.date.today()
    kb = open_base(root)
    notes = named_papers(kb, names) if names else [n for n in kb.notes if n.kind == PAPER]
    report = FetchReport(dry_run=dry_run)
    unreadable = {p.path: p for p in kb.load_problems}
    report.problems.extend(f"{p.path}:{p.line}: skipped, {p.message}"
                           for p in (unreadable.get(n.path) for n in notes) if p)
    notes = [n for n in notes if n.path not in unreadable]
    bad = [problem for problem in map(_malformed, notes) if problem]
    if bad:
        raise KbError("\n".join(bad) + "\nnothing was asked or changed")
    cache = Cache.at(root, today)
    before = arxiv_api.request_count()
    with_id = [(note, arxiv_of(note)) for note in notes if arxiv_of(note)]
    fetched = arxiv_api.fetch_ids([base for _, base in with_id], cache, refresh=refresh)
    found = [(note, fetched.results.get(base), base) for note, base in with_id]
    found += _resolve(notes, cache, refresh, report) if resolve else _no_id(notes, names, report)
    report.requests = arxiv_api.request_count() - before
    for note, result, base in found:
        if result is None:
            report.problems.append(f"{note.path}: arXiv has no paper {base}")
        else:
            _update_note(root, note, paper_fields(result), today, report)
    report.checked = len(found)
    return report


def _no_id(notes: list[Note], names: Sequence[str], report: FetchReport) -> list:
    if names:  # named explicitly: say why nothing happens to it
        report.problems.extend(f"{n.path}: no arxiv id (`kb fetch --resolve` finds it by title)"
                               for n in notes if n.meta.get("arxiv") is None)
    return []


def _resolve(notes: list[Note], cache: Cache, refresh: bool, report: FetchReport) -> list:
    """Title searches for the notes without an id: filled only on a single exact match."""
    found = []
    for note in notes:
        title = note.meta.get("title")
        if note.meta.get("arxiv") is not None or not isinstance(title, str) or not title.strip():
            continue
        results = arxiv_api.search_title(title, cache, refresh=refresh)
        exact = exact_title_matches(title, results)
        if len(exact) == 1:
            found.append((note, exact[0], result_id(exact[0]).base))
        else:
            report.notices.append(f"{note.path}: not resolved, "
                                  + no_single_match(title, exact, results).rstrip())
    return found


def _update_note(root: Path, note: Note, fresh: dict, today: dt.date, report: FetchReport) -> None:
    path = root / note.path
    try:
        text = path.read_bytes().decode("utf-8")
        new_text, changes = update_text(text, fresh, today)
    except (OSError, UnicodeDecodeError) as exc:
        report.problems.append(f"{note.path}: cannot read it ({exc})")
        return
    except FrontMatterError as exc:
        report.problems.append(f"{note.path}:{exc.line}: {exc.message}; not updated")
        return
    except KbError as exc:
        report.problems.append(f"{note.path}: {exc}; not updated")
        return
    if new_text != text and not report.dry_run:
        try:
            write_atomic(path, new_text)
        except OSError as exc:
            report.problems.append(f"{note.path}: cannot write it ({exc.strerror}); unchanged")
            return
    if changes:
        report.updates.append(NoteUpdate(note.path, changes))
