"""`kb fetch --references`: the works each paper of the base cites, asked of OpenAlex in batches
(Crossref for a DOI OpenAlex lacks) and stored for good (`citations.store`), so a rerun asks
nothing; then what the most-cited of those works are (title, year, authors: one more batch), so
`kb suggest` and the site can name them offline. With `citing`, also the works citing the base's
papers (OpenAlex's most cited, one page per batch).

A paper is asked by the identifier OpenAlex takes best: its OpenAlex id, else its DOI, ACL
Anthology DOI or arXiv DOI. Papers known only by title or only on OpenReview have no references
source; the report counts them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base import open_base
from ..citations.store import Known, Paper, Store, load, save
from ..citations.suggest import base_keys
from ..identifiers import ACL, ARXIV, DOI, OPENALEX, PaperId, acl_doi, id_from_key, ids_of
from ..schema import PAPER
from . import crossref, openalex
from .lookup import Caches, Counter, Progress
from .work import CROSSREF_SOURCE, OPENALEX_SOURCE, Work

NAMED_PER_RUN = openalex.BATCH  # cited works named per run: one request


@dataclass(slots=True)
class ReferencesReport:
    asked: int = 0
    stored: int = 0  # papers whose references are now stored (asked now or before)
    unknown: list[str] = field(default_factory=list)  # notes no source knew
    no_source: list[str] = field(default_factory=list)  # notes with nothing OpenAlex takes
    named: int = 0
    citing: int = 0
    requests: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"asked": self.asked, "stored": self.stored, "unknown": self.unknown,
                "no_source": self.no_source, "named": self.named, "citing": self.citing,
                "requests": sum(self.requests.values()), "requests_by_source": self.requests}


def asked_by(refs: dict[str, PaperId]) -> PaperId | None:
    """The identifier OpenAlex is asked by for a paper's references."""
    for scheme in (OPENALEX, DOI, ACL, ARXIV):
        if scheme in refs:
            return refs[scheme]
    return None


def fetch_references(root: Path, names: Sequence[str] = (), *, citing: bool = False,
                     today: dt.date | None = None, progress: Progress | None = None
                     ) -> ReferencesReport:
    """Store the references of the base's papers (all, or those named) not stored yet."""
    root, today = Path(root), today or dt.date.today()
    kb = open_base(root)
    notes = kb.papers_named(names) if names else [n for n in kb.index.notes.values()
                                                  if n.kind == PAPER and n.readable]
    store, report = load(root, fresh=True), ReferencesReport()
    caches, counter = Caches(root, today), Counter()
    wanted: list[tuple[list[str], PaperId]] = []
    for note in notes:
        refs = ids_of(note.meta)
        keys = [ref.key for ref in refs.values()]
        asked = asked_by(refs)
        if store.paper(keys) is not None:
            report.stored += 1
        elif asked is None:
            report.no_source.append(note.id)
        elif store.missing.get(asked.key) != today.isoformat():
            wanted.append((keys, asked))
    report.asked = len(wanted)
    found = openalex.look_up([asked for _, asked in wanted], caches.of(OPENALEX_SOURCE),
                             progress=progress)
    for keys, asked in wanted:
        work = found.get(asked.key)
        if work is None and asked.scheme in (DOI, ACL):  # Crossref only when OpenAlex lacks it
            doi = asked.value if asked.scheme == DOI else acl_doi(asked.value)
            work = crossref.look_up(doi, caches.of(CROSSREF_SOURCE))
        if work is None or work.references is None:
            store.missing[asked.key] = today.isoformat()
            report.unknown.append(asked.value)
            continue
        store.add_paper(Paper(tuple(sorted(set(keys) | work.keys)), work.references,
                              today.isoformat()))
        report.stored += 1
    base = base_keys(kb, store)
    report.named = _name_cited(store, base, caches)
    if citing:
        report.citing = _store_citing(store, base)
    save(root, store)
    report.requests = {name: n for name, n in counter.counts().items() if n}
    return report


def _name_cited(store: Store, base: dict[str, str], caches: Caches) -> int:
    """Ask for the title, year and authors of the NAMED_PER_RUN works the base cites most (at
    least twice) that are not named yet: one request at most."""
    tally: Tally[str] = Tally()
    for paper in store.papers:
        if any(key in base for key in paper.ids):
            tally.update(key for key in set(paper.cites) if key not in base)
    top = [key for key, count in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
           if count >= 2][:NAMED_PER_RUN]
    wanted = [key for key in top if key not in store.works]  # a rerun finds them named: no request
    refs = [ref for ref in map(id_from_key, wanted) if ref is not None]
    found = openalex.look_up(refs, caches.of(OPENALEX_SOURCE)) if refs else {}
    named = 0
    for ref in refs:
        work = found.get(ref.key)
        if work is not None:
            store.works[ref.key] = known(work)
            named += 1
    return named


def _store_citing(store: Store, base: dict[str, str]) -> int:
    """The works citing the base's papers that OpenAlex ranks first, each with the base papers it
    cites."""
    ours = sorted({key for paper in store.papers for key in paper.ids
                   if key.startswith(f"{OPENALEX}:") and key in base})
    works = openalex.citing([key.split(":", 1)[1] for key in ours])
    count = 0
    for work in works:
        key = next((k for k in sorted(work.keys) if k.startswith(f"{OPENALEX}:")), None)
        if key is None or key in base or any(k in base for k in work.keys):
            continue
        cited = tuple(sorted(set(work.references or ()) & set(ours)))
        if cited:
            store.citers[key] = cited
            store.works[key] = known(work)
            count += 1
    return count


def known(work: Work) -> Known:
    return Known(" ".join(work.title.split()), work.year, work.authors[:20],
                 tuple(sorted(work.keys)))
