"""`kb add`: a paper note from any source, with complete metadata, under a readable id; or, with
`--replace NOTE`, a paper found by id written into a note known by title only, keeping its words.

Everything is asked first and written afterwards, so when a source fails, or a reference is
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
from ..identifiers import PaperId, parse_id
from ..model import Note
from ..notes.atomic import ChangedMeanwhile, write_atomic
from ..notes.editor import EditError
from ..notes.frontmatter import FrontMatterError
from ..notes.ids import paper_id
from ..notes.serialize import note_text
from ..problems import INFO, WARNING, Problem, define
from ..schema import DEFAULT_STATUS, FOLDER_OF, PAPER, TOOL_FIELDS
from .fields import exact_title_matches, paper_fields
from .lookup import Caches, Counter, describe_missing, look_up, works_titled
from .ownership import Change, mark_owned, write_work
from .work import Work

MAX_CANDIDATES = 10

ALREADY_IN_BASE = define(
    "already-in-base", INFO, "the paper is already in the base",
    "`kb add` never adds a paper twice: a note already holds one of its identifiers (an arXiv id "
    "in any version, a DOI in any case, an ACL, OpenReview or OpenAlex id). The message names it.",
    command="add")
UNKNOWN_CONCEPT = define(
    "unknown-concept", WARNING, "`--concept` names no concept note yet",
    "The new paper links to a concept that has no note; `kb check` reports the link until you "
    "write concepts/<id>.md.", command="add")


@dataclass(slots=True)
class Added:
    path: str
    work: Work


@dataclass(slots=True)
class AddReport:
    created: list[Added] = field(default_factory=list)
    replaced: list[tuple[str, list[Change]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    requests: dict[str, int] = field(default_factory=dict)


def papers_by_id(kb: KnowledgeBase) -> dict[str, str]:
    """Identifier key (`PaperId.key`) -> path of the paper note holding it."""
    return {key: kb.index.notes[note_id].path for key, note_id in kb.index.ids.items()}


def parse_refs(refs: Iterable[str]) -> list[tuple[str, PaperId]]:
    """(reference as typed, identifier) for each; KbError naming every unreadable one."""
    parsed: list[tuple[str, PaperId]] = []
    bad: list[str] = []
    for ref in refs:
        ident = parse_id(ref)
        if ident is None:
            bad.append(repr(ref))
        else:
            parsed.append((ref, ident))
    if bad:
        raise KbError(f"not a paper identifier: {', '.join(bad)} (expected an arXiv id or URL such "
                      "as 2202.05262, a DOI or doi.org URL, an ACL Anthology id or URL, an "
                      "openreview.net/forum?id=... URL or an OpenAlex id such as W2741809807); "
                      "nothing was added")
    return parsed


def add_papers(root: Path, refs: Sequence[str] = (), *, title: str | None = None,
               status: str | None = None, concepts: Sequence[str] = (),
               replace: str | None = None, today: dt.date | None = None) -> AddReport:
    """Create a note in papers/ for each reference (and the paper titled `title`); with
    `replace`, write the one paper found into that existing note instead.

    Papers already in the base are reported, not added. Everything is looked up before anything
    is written: a malformed reference, an unknown id or an ambiguous title adds nothing.
    """
    root, today = Path(root), today or dt.date.today()
    kb = open_base(root)
    known = papers_by_id(kb)
    report = AddReport()
    target = _replace_target(kb, replace, refs, title) if replace is not None else None
    wanted: list[PaperId] = []
    for ref, ident in parse_refs(refs):
        if ident.key in known and (target is None or known[ident.key] != target.path):
            report.problems.append(_present(ref, known[ident.key]))
        elif ident not in wanted:
            wanted.append(ident)
    caches, counter = Caches(root, today), Counter()
    found, missing = look_up(wanted, caches)
    if missing:
        raise KbError(describe_missing(missing) + "; nothing was added")
    answers: dict[str, Work] = {}
    for ident in wanted:
        _keep_new(found[ident.key], str(ident), known, target, answers, report)
    if title is not None:
        _keep_new(find_by_title(title, caches), title, known, target, answers, report)
    report.requests = counter.counts()
    if target is not None:
        for work in answers.values():
            report.replaced.append((target.path, _replace(root, target, work, today)))
        return report
    missing_concepts = [c for c in concepts if c not in kb.index.notes]
    if missing_concepts:
        report.problems.append(UNKNOWN_CONCEPT.at(
            "", 0, f"no note for concept {', '.join(map(repr, missing_concepts))} yet "
            "(`kb check` will report the link until you write it)"))
    taken = {note.id for note in kb.notes}
    extra = {"status": status or DEFAULT_STATUS[PAPER], "concepts": list(concepts),
             "added": today.isoformat()}
    for work in answers.values():
        path = write_new_note(root, paper_fields(work), extra, taken, today)
        report.created.append(Added(path, work))
    return report


def _keep_new(work: Work, asked: str, known: Mapping[str, str], target: Note | None,
              answers: dict[str, Work], report: AddReport) -> None:
    """Keep a found work unless a note other than the one being replaced holds one of its ids."""
    present = next((known[key] for key in sorted(work.keys) if key in known
                    and (target is None or known[key] != target.path)), None)
    if present is not None:
        report.problems.append(_present(asked, present))
    else:
        answers.setdefault(min(work.keys) if work.keys else work.title, work)


def _replace_target(kb: KnowledgeBase, name: str, refs: Sequence[str], title: str | None) -> Note:
    """The paper note `--replace` names; KbError unless exactly one paper is asked for."""
    if len(refs) + (title is not None) != 1:
        raise KbError("--replace takes exactly one REF (or --title): the paper to write into "
                      f"{name!r}; nothing was changed")
    note = kb.index.paper(name)
    if note is None:
        raise KbError(f"no paper note {name!r} under {kb.root} to replace; nothing was changed")
    return note


def _replace(root: Path, note: Note, work: Work, today: dt.date) -> list[Change]:
    """Write a found paper's metadata into an existing note by the ownership rule: the tool's
    fields (those a title-only import recorded as the tool's) take the source's values, yours
    and the body stay as they are."""
    try:
        return write_work(root, note.path, work, today)
    except (OSError, UnicodeDecodeError, ChangedMeanwhile) as exc:
        raise KbError(f"{note.path}: cannot read or write it ({exc}); nothing was changed") from None
    except (FrontMatterError, EditError) as exc:
        raise KbError(f"{note.path}: its front matter cannot be edited safely ({exc}); nothing "
                      "was changed") from None


def _present(ref: str, path: str) -> Problem:
    return ALREADY_IN_BASE.at("", 0, f"{ref}: already in the base as {path}; nothing added")


def find_by_title(title: str, caches: Caches, *, refresh: bool = False) -> Work:
    """The one paper whose title is exactly `title` (folded): arXiv first, then OpenAlex;
    KbError listing the candidates otherwise."""
    works = works_titled(title, caches, refresh=refresh)
    exact = exact_title_matches(title, works)
    if len(exact) == 1:
        return exact[0]
    raise KbError(no_single_match(title, exact, works) + "; nothing was added")


def no_single_match(title: str, exact: list[Work], works: list[Work]) -> str:
    """Why a title search found no single paper, with the candidates to choose from by id."""
    shown = (exact or works)[:MAX_CANDIDATES]
    head = (f"{len(exact)} papers have the title {title!r}" if exact
            else f"no paper has exactly the title {title!r}")
    if not shown:
        return head + " (and the search found nothing close)"
    rows = "".join(f"\n  {w.label}  {w.title} ({', '.join(w.authors[:2])}"
                   f"{' et al.' if len(w.authors) > 2 else ''}{', ' if w.authors else ''}"
                   f"{w.year or '?'})" for w in shown)
    return f"{head}; candidates (add one by id):{rows}\n"


def paper_note_text(fresh: Mapping[str, Any], extra: Mapping[str, Any], today: dt.date) -> str:
    """A new paper note: the source's fields (owned), then `extra` (yours, e.g. status) before the
    abstract, the ownership record, and an empty `## Notes` section."""
    meta = {key: fresh[key] for key in TOOL_FIELDS if key in fresh and key != "abstract"}
    meta.update({key: value for key, value in extra.items() if value not in (None, "", [])})
    if "abstract" in fresh:
        meta["abstract"] = fresh["abstract"]
    mark_owned(meta, [key for key in TOOL_FIELDS if key in fresh], today)
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
            write_atomic(path, text, exclusive=True, root=root)
        except FileExistsError:
            continue
        except OSError as exc:
            raise KbError(f"papers/{note_id}.md: cannot write it ({exc.strerror})") from None
        taken.add(note_id)
        return f"{FOLDER_OF[PAPER]}/{note_id}.md"
    raise KbError(f"no free note id for {stem!r} in papers/")
