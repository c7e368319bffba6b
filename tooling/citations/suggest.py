"""`kb suggest`: what to read next, from the stored citation graph alone (no network).

For a chosen set of the base's papers (read ones, those being read, a plan's, or named ones), a
work outside the base is suggested when it connects several of them: cited by them (the chosen
papers are bibliographically coupled through it) or citing them (it co-cites them, when the
citing works were fetched). Works are ranked by how many chosen papers they connect, then by
links, then by title; each comes with its exact reasons.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..base import KnowledgeBase
from ..identifiers import ARXIV, DOI, id_from_key, ids_of
from ..model import Note
from ..schema import READ_STATUSES
from .store import Known, Store, load


def stored_references(kb: KnowledgeBase) -> Store:
    """The stored references as one loaded base reads them: once (every paper's card and the
    site's dependency map ask), not a file check per paper."""
    return kb.derived(_stored)


def _stored(kb: KnowledgeBase) -> Store:
    return load(kb.root)


@dataclass(slots=True)
class Suggestion:
    key: str
    known: Known | None
    cited_by: list[str] = field(default_factory=list)  # chosen note ids citing it
    cites: list[str] = field(default_factory=list)  # chosen note ids it cites

    @property
    def connects(self) -> int:
        return len(set(self.cited_by) | set(self.cites))

    @property
    def add_id(self) -> str:
        """The identifier to `kb add` it by: its arXiv id, else its DOI, else the one stored."""
        ids = self.known.ids if self.known else (self.key,)
        for scheme in (ARXIV, DOI):
            found = next((key for key in ids if key.startswith(f"{scheme}:")), None)
            if found is not None:
                return found
        return self.key

    def reasons(self, what: str) -> list[str]:
        """`cited by 4 of your read papers: a, b, c, d`, `cites 2 of your read papers: a, e`."""
        found = []
        if self.cited_by:
            found.append(f"cited by {len(self.cited_by)} of your {what}: {', '.join(self.cited_by)}")
        if self.cites:
            found.append(f"cites {len(self.cites)} of your {what}: {', '.join(self.cites)}")
        return found

    def as_json(self, what: str) -> dict[str, Any]:
        known = self.known
        return {"id": self.add_id, "key": self.key, "title": known.title if known else None,
                "year": known.year if known else None,
                "authors": list(known.authors) if known else [],
                "connects": self.connects, "cited_by": self.cited_by, "cites": self.cites,
                "reasons": self.reasons(what)}


def base_keys(kb: KnowledgeBase, store: Store) -> dict[str, str]:
    """Every identifier key of the base's papers (theirs, and those their stored entry adds,
    such as an OpenAlex id) -> note id."""
    found: dict[str, str] = dict(kb.index.ids)
    for key, note_id in kb.index.ids.items():
        paper = store.paper([key])
        if paper is not None:
            for other in paper.ids:
                found.setdefault(other, note_id)
    return found


_LAST: list[tuple[KnowledgeBase, Store, dict[str, str]]] = []


def _memo_base_keys(kb: KnowledgeBase, store: Store) -> dict[str, str]:
    """`base_keys` computed once for a base and store (the site asks on every paper page)."""
    if _LAST and _LAST[0][0] is kb and _LAST[0][1] is store:
        return _LAST[0][2]
    found = base_keys(kb, store)
    _LAST[:] = [(kb, store, found)]
    return found


def suggest(kb: KnowledgeBase, store: Store, chosen: Iterable[Note], *,
            base: Mapping[str, str] | None = None, limit: int | None = None,
            least: int | None = None) -> list[Suggestion]:
    """Works outside the base connected to at least `least` chosen papers (2, or 1 when one paper
    is chosen), best first."""
    base = base if base is not None else base_keys(kb, store)
    chosen = list(chosen)
    ids_of_chosen: dict[str, str] = {}
    found: dict[str, Suggestion] = {}
    for note in chosen:
        paper = store.paper(_keys_of(note))
        if paper is None:
            continue
        for key in paper.ids:
            ids_of_chosen[key] = note.id
        for cited in dict.fromkeys(paper.cites):
            if _in_base(cited, store, base):
                continue
            entry = found.setdefault(cited, Suggestion(cited, store.works.get(cited)))
            if note.id not in entry.cited_by:
                entry.cited_by.append(note.id)
    for citer, cited_keys in store.citers.items():
        if _in_base(citer, store, base):
            continue
        notes = list(dict.fromkeys(ids_of_chosen[k] for k in cited_keys if k in ids_of_chosen))
        if notes:
            entry = found.setdefault(citer, Suggestion(citer, store.works.get(citer)))
            entry.cites.extend(n for n in notes if n not in entry.cites)
    least = least if least is not None else (2 if len(chosen) > 1 else 1)
    ranked = sorted((s for s in found.values() if s.connects >= least),
                    key=lambda s: (-s.connects, -(len(s.cited_by) + len(s.cites)),
                                   s.known is None, (s.known.title.lower() if s.known else ""),
                                   s.key))
    return ranked[:limit] if limit is not None else ranked


def stored_for(store: Store, note: Note) -> Any:
    """The stored entry (`store.Paper`) of a base paper, or None."""
    return store.paper(_keys_of(note))


def _keys_of(note: Note) -> list[str]:
    return [ref.key for ref in ids_of(note.meta).values()]


def _in_base(key: str, store: Store, base: Mapping[str, str]) -> bool:
    if key in base:
        return True
    known = store.works.get(key)
    return known is not None and any(other in base for other in known.ids)


def cited_in_base(kb: KnowledgeBase, store: Store, note: Note,
                  base: Mapping[str, str] | None = None) -> tuple[list[str], int]:
    """(ids of the base's notes a paper cites, in its reference order; how many works it cites),
    from the stored references; ([], 0) when none are stored."""
    paper = store.paper(_keys_of(note))
    if paper is None:
        return [], 0
    base = base if base is not None else _memo_base_keys(kb, store)
    found = [base[key] for key in paper.cites if key in base and base[key] != note.id]
    return list(dict.fromkeys(found)), len(paper.cites)


def label(key: str) -> str:
    """A stored key as a user types it (`openalex:W1` stays; unknown forms shown as they are)."""
    ref = id_from_key(key)
    return str(ref) if ref is not None else key


@dataclass(slots=True)
class Chosen:
    """The papers suggestions are for, how to say so, and the slots a plan has open."""

    notes: list[Note]
    what: str  # "read papers", "papers of plan emnlp-prep", ...
    open_slots: dict[str, int] = field(default_factory=dict)  # plan group -> papers to find


READ, READING = "read", "reading"


def choose(kb: KnowledgeBase, sources: Iterable[str] = (), plan: str | None = None,
           today: Any = None) -> Chosen:
    """The chosen papers: a plan's, or those `--from` names (`read`: read or skimmed,
    `reading`, or note/paper ids); read papers by default. KbError for an unknown name."""
    import datetime as dt

    from ..schema import PAPER
    from ..study.plans import find_plan, plan_of

    if plan is not None:
        found = plan_of(kb, find_plan(kb, plan), today or dt.date.today())
        members = [kb.note(m) for m in dict.fromkeys(m for g in found.groups for m in g.members)]
        slots = {g.name: g.quota - len(g.members) for g in found.groups
                 if g.quota is not None and g.quota > len(g.members)}
        return Chosen([n for n in members if n is not None and n.kind == PAPER],
                      f"papers of plan {found.note.id}", slots)
    names = list(sources) or [READ]
    notes: list[Note] = []
    words = []
    papers = kb.of_kind(PAPER)
    for name in names:
        if name == READ:
            notes += [n for n in papers if n.status in READ_STATUSES]
            words.append("read")
        elif name == READING:
            notes += [n for n in papers if n.status == "reading"]
            words.append("reading")
        else:
            notes += kb.papers_named([name])
            words.append("named")
    unique = list({note.id: note for note in notes}.values())
    return Chosen(unique, " and ".join(dict.fromkeys(words)) + " papers")
