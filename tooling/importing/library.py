"""`kb import refs.bib` and `kb import library.json`: a reference manager's library as paper notes.

Reads BibTeX/BibLaTeX (bibtexparser), CSL JSON (any manager's, Zotero's included) and Better
BibTeX JSON (Zotero's items with their child notes). Each entry becomes a paper: title, authors,
year and venue (LaTeX decoded), its identifiers (DOI, arXiv eprint, and any arXiv, ACL,
OpenReview or OpenAlex URL), URL, abstract and keywords as tags, its citation key as an alias
(so `[[vaswani2017attention]]` finds it), every other field kept under `bibtex` or `csl`; the
metadata recorded as the tool's without a fetch date (unchecked: `kb fetch` refreshes it). The
entry's note or annotation text is the body, word for word as the file holds it.

Entries are deduplicated against the base and among themselves by DOI, then arXiv id, then
normalised title. An entry already in the base is not imported again; when it carries notes,
they go to a note of their own, related to the paper, so no words are lost. A note imported from
the same file before is skipped (an import run again, or after it was interrupted, writes only
what is missing).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser import middlewares
from pylatexenc.latex2text import LatexNodes2Text

from ..base import KnowledgeBase, open_base
from ..identifiers import ARXIV, DOI, SCHEMES, PaperId, arxiv_base_of, parse_id
from ..notes.ids import fold, paper_id, slug
from ..notes.serialize import dump_field, dump_fields
from ..problems import ERROR, Problem, define
from ..schema import DEFAULT_STATUS, FOLDER_OF, NOTE, PAPER, SYNC_FIELD, TOOL_FIELDS
from ..sources.ownership import mark_owned
from .decode import decode
from .report import CREATE, SKIP, ImportReport, Row
from .stamps import STAMP_FIELD, carved_stamp_of

LIBRARY_SUFFIXES = (".bib", ".bibtex", ".json")
_LATEX = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)
_BODY_FIELDS = ("note", "annote", "annotation", "comment")
_TAKEN_FIELDS = {"title", "author", "editor", "year", "date", "journal", "journaltitle",
                 "booktitle", "doi", "eprint", "archiveprefix", "eprinttype", "url", "abstract",
                 "keywords", *_BODY_FIELDS}

UNREADABLE_ENTRY = define(
    "library-entry-unreadable", ERROR, "a library entry or file could not be read",
    "A BibTeX entry that does not parse (the message gives bibtexparser's reason), or a .json "
    "file that is neither a CSL JSON list nor a Better BibTeX export. Nothing of it was "
    "imported; fix it and import again (what was imported is not imported twice).",
    command="import")


@dataclass(slots=True)
class Entry:
    """One library entry, read: the fields a paper note takes, and the rest as written."""

    where: str  # `refs.bib:12`
    key: str | None
    title: str
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str | None = None
    ids: dict[str, str] = field(default_factory=dict)
    url: str | None = None
    abstract: str | None = None
    tags: list[str] = field(default_factory=list)
    body: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    extra_name: str = "bibtex"


def is_library(path: Path) -> bool:
    return path.is_file() and path.name.lower().endswith(LIBRARY_SUFFIXES)


def _text(value: Any) -> str:
    """A BibTeX value as text: LaTeX decoded (`{\\"u}` -> ü), braces dropped, spaces collapsed.
    Values with no LaTeX but braces (most) skip the decoder, which costs a millisecond each."""
    text = str(value)
    if not any(char in text for char in "\\$~%"):
        return " ".join(text.replace("{", "").replace("}", "").split())
    return " ".join(_LATEX.latex_to_text(text).split())


def _year(text: Any) -> int | None:
    found = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", str(text or ""))
    return int(found.group(1)) if found else None


def _identify(entry: Entry, *texts: Any) -> None:
    """File the identifiers these values hold (URLs, DOIs, `arXiv:` ids) under their schemes."""
    for text in texts:
        if not isinstance(text, str) or not text.strip():
            continue
        ref = parse_id(text.strip())
        if ref is not None:
            entry.ids.setdefault(ref.scheme, ref.value)
        elif entry.url is None and text.strip().startswith(("http://", "https://")):
            entry.url = text.strip()


def read_bib(path: Path, text: str) -> tuple[list[Entry], list[Problem]]:
    """Every entry of a .bib file (LaTeX decoded in the metadata, the notes as written)."""
    library = bibtexparser.parse_string(text, append_middleware=[
        middlewares.SeparateCoAuthors(), middlewares.SplitNameParts(),
        middlewares.MergeNameParts(style="first")])
    problems = [UNREADABLE_ENTRY.at(str(path), (block.start_line or 0) + 1,
                                    f"not imported: {' '.join(str(block.error).split())[:200]}")
                for block in library.failed_blocks]
    entries = []
    for item in library.entries:
        raw = {f.key.lower(): f.value for f in item.fields}
        entry = Entry(f"{path.name}:{(item.start_line or 0) + 1}", item.key,
                      _text(raw.get("title") or "") or item.key)
        entry.authors = [_text(name) for name in raw.get("author") or raw.get("editor") or []
                         if _text(name)]
        entry.year = _year(raw.get("year") or raw.get("date"))
        venue = raw.get("journal") or raw.get("journaltitle") or raw.get("booktitle")
        entry.venue = _text(venue) if venue else None
        if str(raw.get("archiveprefix") or raw.get("eprinttype") or "").lower() == "arxiv":
            base = arxiv_base_of(str(raw.get("eprint") or ""))
            if base:
                entry.ids[ARXIV] = base
        _identify(entry, raw.get("doi") and f"doi:{raw['doi']}", raw.get("url"))
        entry.abstract = _text(raw["abstract"]) if raw.get("abstract") else None
        entry.tags = _tags(raw.get("keywords"))
        entry.body = "\n\n".join(str(raw[k]).strip() for k in _BODY_FIELDS if str(raw.get(k) or "").strip())
        entry.extra = {"type": item.entry_type, **{k: _plain(v) for k, v in raw.items()
                                                   if k not in _TAKEN_FIELDS}}
        entries.append(entry)
    return entries, problems


def _plain(value: Any) -> Any:
    return [str(v) for v in value] if isinstance(value, list) else str(value)


def _tags(value: Any) -> list[str]:
    words = re.split(r"[,;]", value) if isinstance(value, str) else value or []
    return [tag for tag in (slug(str(w)) for w in words if str(w).strip()) if tag != "untitled"]


def read_json(path: Path, text: str) -> tuple[list[Entry], list[Problem]]:
    """Every item of a CSL JSON list or a Better BibTeX JSON export."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        return [], [UNREADABLE_ENTRY.at(str(path), getattr(exc, "lineno", 0),
                                        f"not imported: not JSON ({exc})")]
    better = isinstance(data, dict) and isinstance(data.get("items"), list)
    items = data["items"] if better else data
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        return [], [UNREADABLE_ENTRY.at(str(path), 1, "not imported: neither a CSL JSON list of "
                                                      "items nor a Better BibTeX JSON export")]
    lines = _element_lines(text, "items" if better else None)
    read = _zotero if better else _csl
    return [read(item, f"{path.name}:{lines[n] if n < len(lines) else 1}")
            for n, item in enumerate(items)], []


def _csl(item: dict[str, Any], where: str) -> Entry:
    entry = Entry(where, _str(item.get("citation-key") or item.get("id")),
                  " ".join(str(item.get("title") or "").split()), extra_name="csl")
    entry.title = entry.title or entry.key or "Untitled"
    for person in item.get("author") or item.get("editor") or []:
        if isinstance(person, dict):
            name = person.get("literal") or " ".join(
                str(person.get(p)) for p in ("given", "non-dropping-particle", "family") if person.get(p))
            if name:
                entry.authors.append(str(name))
    parts = (item.get("issued") or {}).get("date-parts") if isinstance(item.get("issued"), dict) else None
    entry.year = _year(parts[0][0]) if parts and parts[0] else _year((item.get("issued") or {}).get("raw")
                                                                    if isinstance(item.get("issued"), dict) else None)
    entry.venue = _str(item.get("container-title"))
    _identify(entry, item.get("DOI") and f"doi:{item['DOI']}", item.get("number"), item.get("URL"))
    entry.abstract = _str(item.get("abstract"))
    entry.tags = _tags(item.get("keyword"))
    entry.body = str(item.get("note") or "").strip()
    entry.extra = {k: v for k, v in item.items() if k not in {
        "title", "author", "editor", "issued", "container-title", "DOI", "URL", "abstract",
        "keyword", "note", "citation-key", "id"}}
    return entry


def _zotero(item: dict[str, Any], where: str) -> Entry:
    entry = Entry(where, _str(item.get("citationKey") or item.get("citekey")),
                  " ".join(str(item.get("title") or "").split()), extra_name="zotero")
    entry.title = entry.title or entry.key or "Untitled"
    for person in item.get("creators") or []:
        if isinstance(person, dict) and person.get("creatorType", "author") in ("author", "editor"):
            name = person.get("name") or " ".join(
                str(person.get(p)) for p in ("firstName", "lastName") if person.get(p))
            if name:
                entry.authors.append(str(name))
    entry.year = _year(item.get("date"))
    entry.venue = _str(item.get("publicationTitle") or item.get("proceedingsTitle")
                       or item.get("bookTitle") or item.get("conferenceName"))
    extra = str(item.get("extra") or "")
    _identify(entry, item.get("DOI") and f"doi:{item['DOI']}", item.get("archiveID"),
              *re.findall(r"(?im)^(?:arxiv|doi):\s*\S+", extra), item.get("url"))
    entry.abstract = _str(item.get("abstractNote"))
    entry.tags = _tags([t.get("tag") if isinstance(t, dict) else t for t in item.get("tags") or []])
    notes = [n.get("note") if isinstance(n, dict) else n for n in item.get("notes") or []]
    entry.body = "\n\n".join(str(n).strip() for n in notes if str(n or "").strip())
    entry.extra = {k: v for k, v in item.items() if k not in {
        "title", "creators", "date", "publicationTitle", "DOI", "url", "abstractNote", "tags",
        "notes", "citationKey", "attachments", "relations", "collections", "itemID"}}
    return entry


def _str(value: Any) -> str | None:
    return " ".join(str(value).split()) or None if value not in (None, "", []) else None


def _element_lines(text: str, key: str | None) -> list[int]:
    """The line each item starts on: the elements of the top-level list, or of the list under
    `key` of the top-level object (walked with the JSON decoder itself, value by value)."""
    decoder = json.JSONDecoder()
    skip = re.compile(r"[\s,:]*")
    position = skip.match(text, 0).end()  # type: ignore[union-attr]
    if key is not None:  # into the object, to the list under `key`
        position = skip.match(text, position + 1).end()  # type: ignore[union-attr]
        while position < len(text) and text[position] == '"':
            name, position = decoder.raw_decode(text, position)
            position = skip.match(text, position).end()  # type: ignore[union-attr]
            if name == key:
                break
            _, position = decoder.raw_decode(text, position)
            position = skip.match(text, position).end()  # type: ignore[union-attr]
    lines: list[int] = []
    position = skip.match(text, position + 1).end()  # type: ignore[union-attr]
    while position < len(text) and text[position] != "]":
        lines.append(text.count("\n", 0, position) + 1)
        _, position = decoder.raw_decode(text, position)
        position = skip.match(text, position).end()  # type: ignore[union-attr]
    return lines


# --- the plan --------------------------------------------------------------------------------


def plan_libraries(root: Path, paths: list[Path], report: ImportReport) -> list[tuple[str, str]]:
    """The notes (path, text) importing these library files writes; rows and problems go to
    `report`."""
    kb = open_base(root)
    seen = _Seen(kb)
    notes: list[tuple[str, str]] = []
    for path in paths:
        try:
            text = decode(path.read_bytes())
        except (OSError, ValueError) as exc:
            report.problems.append(UNREADABLE_ENTRY.at(str(path), 0, f"not imported: {exc}"))
            continue
        reader = read_json if path.name.lower().endswith(".json") else read_bib
        entries, problems = reader(path, text)
        report.problems.extend(problems)
        for entry in entries:
            planned = _plan_entry(entry, path, seen, report)
            if planned is not None:
                notes.append(planned)
    return notes


@dataclass(slots=True)
class _Seen:
    """The papers of the base and of this import, by identifier and by normalised title."""

    kb: KnowledgeBase
    by_key: dict[str, str] = field(default_factory=dict)  # id key -> path
    by_title: dict[str, str] = field(default_factory=dict)  # folded title -> path
    stamps: dict[str, str] = field(default_factory=dict)  # path -> the file it was imported from
    imported: set[str] = field(default_factory=set)  # `file:line` of every imported note
    taken: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for key, note_id in self.kb.index.ids.items():
            self.by_key[key] = self.kb.index.notes[note_id].path
        for note in self.kb.index.notes.values():
            if note.kind == PAPER:
                self.by_title.setdefault(title_key(note.title), note.path)
            stamp = carved_stamp_of(note.meta)
            if stamp is not None:
                self.stamps[note.path] = stamp[0]
                self.imported.add(str(note.meta[STAMP_FIELD]).rpartition(" ")[0])
        self.taken = {note.id for note in self.kb.notes}

    def find(self, entry: Entry) -> tuple[str, str] | None:
        """(path, why) of the paper this entry is: same DOI, arXiv id or other id, else title."""
        for scheme in (DOI, ARXIV, *SCHEMES):
            value = entry.ids.get(scheme)
            key = PaperId(scheme, value).key if value else None
            if key in self.by_key:
                return self.by_key[key], f"same {scheme}"
        found = self.by_title.get(title_key(entry.title))
        return (found, "same title") if found and title_key(entry.title) else None


def title_key(title: str) -> str:
    """Titles compared as `fold` compares them, spacing aside too (`H$_2$O` is `H₂O`)."""
    return fold(title).replace(" ", "")


def _plan_entry(entry: Entry, path: Path, seen: _Seen, report: ImportReport) -> tuple[str, str] | None:
    stamp = f"{path.name}:{entry.where.rsplit(':', 1)[1]}"
    if stamp in seen.imported:
        report.rows.append(Row(SKIP, PAPER, stamp, entry.title, entry.where, "already imported"))
        return None
    present = seen.find(entry)
    if present is not None:
        where, why = present
        if seen.stamps.get(where) == path.name:
            report.rows.append(Row(SKIP, PAPER, where, entry.title, entry.where,
                                   "already imported from this file"))
            return None
        if not entry.body:
            report.rows.append(Row(SKIP, PAPER, where, entry.title, entry.where,
                                   f"already in the base ({why})"))
            return None
        return _companion(entry, path, where, stamp, seen, report)
    meta: dict[str, Any] = {"title": entry.title}
    if entry.authors:
        meta["authors"] = entry.authors
    meta.update({k: v for k, v in (("year", entry.year), ("venue", entry.venue)) if v})
    meta.update({scheme: entry.ids[scheme] for scheme in SCHEMES if scheme in entry.ids})
    if entry.abstract:
        meta["abstract"] = entry.abstract
    mark_owned(meta, [key for key in TOOL_FIELDS if key in meta])  # unchecked: no fetch date
    record = meta.pop("arxiv_sync")
    meta.update({k: v for k, v in (("url", entry.url), ("aliases", [entry.key] if entry.key else None),
                                   ("tags", entry.tags), ("status", DEFAULT_STATUS[PAPER]),
                                   (entry.extra_name, entry.extra)) if v})
    note_id = _free_id(paper_id(entry.authors, entry.year, entry.title), seen.taken)
    target = f"{FOLDER_OF[PAPER]}/{note_id}.md"
    for scheme, value in entry.ids.items():
        seen.by_key[PaperId(scheme, value).key] = target
    seen.by_title.setdefault(title_key(entry.title), target)
    report.rows.append(Row(CREATE, PAPER, target, entry.title, entry.where))
    return target, _text_of(meta, record, _body(entry, report), stamp)


def _companion(entry: Entry, path: Path, paper: str, stamp: str, seen: _Seen,
               report: ImportReport) -> tuple[str, str]:
    """The notes of an entry whose paper is already in the base, in a note of their own."""
    paper_note = seen.kb.index.paths.get(paper) or Path(paper).stem
    title = f"{entry.title} (notes from {path.name})"
    note_id = _free_id(slug(title), seen.taken)
    target = f"{FOLDER_OF[NOTE]}/{note_id}.md"
    report.rows.append(Row(CREATE, NOTE, target, title, entry.where,
                           f"its paper is already in the base as {paper}; its notes kept here"))
    return target, _text_of({"title": title, "related": [paper_note]}, None, _body(entry, report), stamp)


def _body(entry: Entry, report: ImportReport) -> str:
    """An entry's notes as written: imported text is made safe where the site publishes it (as
    rendered HTML), never by rewriting its words."""
    body = entry.body
    return body.strip("\n") + "\n" if body.strip() else ""


def _free_id(stem: str, taken: set[str]) -> str:
    for n in range(1, 10_000):
        candidate = stem if n == 1 else f"{stem}-{n}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise ValueError(f"no free note id for {stem!r}")


def _text_of(meta: dict[str, Any], record: Any, body: str, stamp: str) -> str:
    """The note's text (as `note_text` writes it), stamped with where it came from and a hash of
    what was written; the fields are serialised once."""
    fields = dump_fields(meta)
    digest = hashlib.sha256(f"---\n{fields}---\n{body}".encode()).hexdigest()[:8]
    stamped = dump_field(STAMP_FIELD, f"{stamp} {digest}")
    owned = dump_field(SYNC_FIELD, record) if record is not None else ""
    return f"---\n{fields}{stamped}{owned}---\n{body}"
