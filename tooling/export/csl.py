"""`kb export csl`: paper notes as CSL JSON, the citation format of Zotero, Pandoc (citeproc),
Quarto and most reference managers.

One item per paper: the note id as `id` and `citation-key` (stable across `kb fetch`), `type`
(`article` for a preprint, `paper-conference` for a proceedings or OpenReview paper,
`article-journal` otherwise), title, authors split into family and given names (a one-word name
as a `literal`), `issued` from the published date or the year, the venue as `container-title`,
DOI (an ACL Anthology paper's own), URL, abstract, and for an arXiv paper `number: arXiv:ID`
with `publisher: arXiv`, as Zotero writes them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..identifiers import ACL, ARXIV, DOI, OPENREVIEW, PaperId, acl_doi, ids_of
from ..model import Note, parse_date
from . import selected

_CONFERENCE = re.compile(r"proceedings|conference|workshop|symposium|\b(?:iclr|neurips|nips|icml|"
                         r"acl|emnlp|naacl|eacl|coling|cvpr|iccv|eccv|aaai|ijcai)\b", re.IGNORECASE)


def name(text: str) -> dict[str, str]:
    """`Kevin Meng` -> family Meng, given Kevin; `Meng, Kevin` likewise; `vaswani` -> literal."""
    text = " ".join(text.split())
    if "," in text:
        family, _, given = text.partition(",")
        return {"family": family.strip(), "given": given.strip()}
    parts = text.split(" ")
    if len(parts) == 1:
        return {"literal": text}
    return {"family": parts[-1], "given": " ".join(parts[:-1])}


def item(note: Note) -> dict[str, Any]:
    """One CSL JSON item for a paper note."""
    meta = note.meta
    refs = ids_of(meta)
    venue = _text(meta.get("venue")) or _text(meta.get("journal_ref"))
    found: dict[str, Any] = {"id": note.id, "citation-key": note.id, "type": _type(refs, venue),
                             "title": note.title}
    authors = [name(str(a)) for a in note.list_field("authors") if str(a).strip()]
    if authors:
        found["author"] = authors
    date = parse_date(meta.get("published"))
    year = meta.get("year")
    if date is not None:
        found["issued"] = {"date-parts": [[date.year, date.month, date.day]]}
    elif isinstance(year, int) or str(year or "").isdigit():
        found["issued"] = {"date-parts": [[int(str(year))]]}
    if venue:
        found["container-title"] = venue
    doi = refs[DOI].value if DOI in refs else acl_doi(refs[ACL].value) if ACL in refs else None
    if doi:
        found["DOI"] = doi
    url = _text(meta.get("url")) or next((refs[s].url for s in (ARXIV, OPENREVIEW, ACL) if s in refs), None)
    if url:
        found["URL"] = url
    if ARXIV in refs:
        found["number"] = f"arXiv:{refs[ARXIV].value}"
        found.setdefault("publisher", "arXiv")
    if meta.get("abstract"):
        found["abstract"] = _text(meta["abstract"])
    return found


def _type(refs: dict[str, PaperId], venue: str) -> str:
    if ACL in refs or OPENREVIEW in refs or _CONFERENCE.search(venue):
        return "paper-conference"
    if DOI in refs or venue:
        return "article-journal"
    return "article"  # a preprint


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def render(notes: Iterable[Note]) -> str:
    return json.dumps([item(note) for note in notes], ensure_ascii=False, indent=2) + "\n"


def export(root: Path, ids: Iterable[str] = (), status: str | None = None,
           tag: str | None = None) -> tuple[str, int]:
    """(CSL JSON text, number of items) for the named papers, or all, filtered."""
    chosen = selected(root, ids, status, tag)
    return render(chosen), len(chosen)
