"""Stage 4 of `kb import`: carve a page. Each recognised block *moves* into a note of its own
(a paper with the bullets under it as its body, a concept, an author section) and leaves a
`[[link]]` where it stood; every other line stays on the page, word for word. A reference in the
middle of a sentence becomes a link in place, the sentence kept. Something already in the base is
linked, never edited: its annotations stay on the page, and a done mark on it becomes a
`kb mark` command in the report.
"""

from __future__ import annotations

import re
from typing import Any

from ..identifiers import canonical_arxiv
from ..model import Note
from ..notes.ids import paper_id
from ..problems import WARNING, define
from ..schema import AUTHOR, CONCEPT, DEFAULT_STATUS, DONE_MARK, PAPER
from ..sources.ownership import mark_owned
from .classify import (
    Mention,
    Ref,
    concept_title,
    is_name,
    link_title,
    mention,
    paper_refs,
    placeholder_title,
    significant,
    split_mark,
    title_keys,
)
from .drafts import Draft, Registry
from .inputs import Source
from .outline import BLANK, HEADING, ITEM, OPAQUE, TAB, TEXT, Line, block_end, section_end, standalone_end
from .report import CREATE, Row

_AUTHORS = re.compile(r"authors?", re.IGNORECASE)
MAX_DEPTH = 40  # blocks moved into blocks: deeper nesting is no outline anyone wrote by hand
TOO_DEEP = define(
    "nesting-too-deep", WARNING, "blocks nested too deep to carve",
    f"Papers or concepts nested more than {MAX_DEPTH} levels inside each other: the deeper lines "
    "were kept as written in the note above them, their links left as links.", command="import")


class Carver:
    """Carves the lines of one input (a whole page or a section of it)."""

    def __init__(self, registry: Registry, source: Source, raw: list[str], lines: list[Line]):
        self.registry = registry
        self.source = source
        self.raw = raw
        self.lines = lines
        self.depth = 0

    def at(self, number: int) -> str:
        return self.source.at(number)

    def carve(self, start: int, stop: int) -> list[str]:
        """The lines of [start, stop) with every recognised block moved out into a draft."""
        out: list[str] = []
        in_label = in_authors = False
        number = start
        while number < stop:
            line = self.lines[number]
            if line.kind in (OPAQUE, BLANK):
                end = min(line.end, stop)
                if line.kind == OPAQUE and self.raw[number].lstrip().startswith("|"):
                    # A table: its papers too, each link made a link to its note in place.
                    out.extend(self.in_place(n, self.raw[n], table=True) for n in range(number, end))
                else:
                    out.extend(self.raw[number:end])
                number = end
                continue
            if line.kind == HEADING:
                if _AUTHORS.fullmatch(line.content):
                    in_authors = True
                elif in_authors and is_name(line.content):
                    end = section_end(self.lines, number, stop)
                    out.extend(self._author(line, number, end))
                    number = end
                    continue
                else:
                    in_authors = False
                in_label = _names_concepts(line.content)
                out.append(self.in_place(number, self.raw[number]))
                number += 1
                continue
            if line.kind == TEXT and line.indent == 0:
                if line.rule:
                    in_label = False
                elif not line.starts_with_link:
                    in_label = _names_concepts(line.content)
            moved = self._paper(line, number, stop)
            if moved is None:
                moved = self._concept(line, number, stop, in_label)
            if moved is not None:
                number, lines = moved
                out.extend(lines)
                continue
            out.append(self.in_place(number, self.raw[number]))
            number += 1
        return out

    def children(self, start: int, end: int) -> list[str]:
        """The carved lines of [start, end), without their common indentation. Past MAX_DEPTH
        blocks moved inside each other, lines stay as written in the note above (reported)."""
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                if self.depth == MAX_DEPTH + 1:
                    self.registry.problems.append(TOO_DEEP.at(
                        self.source.shown, self.source.first_line + start,
                        f"blocks nested over {MAX_DEPTH} deep; the rest kept as written here"))
                lines = self.raw[start:end]
            else:
                lines = self.carve(start, end)
        finally:
            self.depth -= 1
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        depth = min((_indent(line) for line in lines if line.strip()), default=0)
        return [_dedent(line, depth) for line in lines]

    def _extent(self, line: Line, number: int, stop: int) -> int:
        if line.kind == ITEM:
            return block_end(self.lines, number, stop)
        if line.indent == 0:
            return standalone_end(self.lines, number, stop)
        return number + 1

    @staticmethod
    def _prefix(line: Line, mark: str) -> str:
        """What stands before a moved block's link: indentation, the item's marker, its mark."""
        indent = line.raw[: len(line.raw) - len(line.raw.lstrip(" \t"))]
        return f"{indent}{line.marker + ' ' if line.kind == ITEM else ''}{mark}"

    # --- papers -----------------------------------------------------------------------------
    def _paper(self, line: Line, number: int, stop: int) -> tuple[int, list[str]] | None:
        text, state, mark = split_mark(line.content)
        refs = paper_refs(text)
        head: Ref | None = None
        if refs and refs[0].start == 0:
            head = refs[0]
        elif len(refs) == 1 and refs[0].end == len(text.rstrip()):
            head = refs[0]  # a reference ending the line: the words before it are about it
        if head is not None:
            end = self._extent(line, number, stop)
            rest = (text[head.end:] if head.start == 0 else text[: head.start]).strip()
            title = link_title(head.label)
            if not title:  # `Knuth, D. E. (1984). Literate programming. [DOI](...)`
                cited = mention(rest)
                title = cited.title if cited is not None and cited.cite[:1] != "(" else ""
            existing = self._existing(head, title)
            if existing is not None:
                return number + 1, [self._link_existing(line, number, text, head, existing, state)]
            draft = self._known(head, title)
            body = _joined([self.in_place(number, rest)] if rest else [],
                           self.children(number + 1, end))
            if draft is not None:
                self._more(draft, body, number, state)
            else:
                draft = self.new_paper(head, title, body, number, state)
            return end, [f"{self._prefix(line, mark)}[[{draft.id}]]"]
        found = mention(text)
        if found is None or (line.kind != ITEM and found.cite[:1] == "("):
            return None  # a `Title (authors, year)` mention is an item; an APA reference any line
        end = block_end(self.lines, number, stop)
        existing_note = self.registry.paper_titled(found.title)
        if existing_note is not None:
            self._linked(existing_note, found.title, number, state)
            linked = text.replace(found.title, f"[[{existing_note.id}|{found.title}]]", 1)
            return number + 1, [f"{self._prefix(line, mark)}{self.in_place(number, linked)}"]
        body = _joined([self.in_place(number, found.remark)] if found.remark else [],
                       self.children(number + 1, end))
        draft = next((self.registry.by_title[k] for k in title_keys(found.title)
                      if k in self.registry.by_title), None)
        if draft is not None:
            self._more(draft, body, number, state)
        else:
            draft = self._mentioned(found, body, number, state)
        return end, [f"{self._prefix(line, mark)}[[{draft.id}]] {found.cite}"]

    def _existing(self, ref: Ref, title: str) -> Note | None:
        """The paper in the base this reference names: by arXiv id, else by title (a paper of
        that title with another arXiv id is another paper)."""
        if ref.arxiv is not None:
            found = self.registry.note(self.registry.index.arxiv.get(canonical_arxiv(ref.arxiv.base)))
            if found is not None:
                return found
        titled = self.registry.paper_titled(title) if title else None
        return None if _another_paper(ref, titled) else titled

    def _known(self, ref: Ref, title: str) -> Draft | None:
        """The paper this import already makes for the same arXiv id, venue link or title."""
        if ref.arxiv is not None and ref.arxiv.base in self.registry.by_arxiv:
            return self.registry.by_arxiv[ref.arxiv.base]
        keys = ([f"url:{ref.venue}"] if ref.venue else []) + (title_keys(title) if title else [])
        found = next((self.registry.by_title[k] for k in keys if k in self.registry.by_title), None)
        return None if _another_paper(ref, found) else found

    def new_paper(self, ref: Ref, title: str, body: list[str], number: int,
                  state: str | None) -> Draft:
        """A paper note for a reference; a placeholder title until `kb fetch` (or you) names it."""
        shown = title or placeholder_title(ref)
        if title:
            wanted = " ".join(significant(title)[:4])
        elif ref.arxiv is not None:
            wanted = f"arxiv-{ref.arxiv.base}"
        else:
            wanted = "paper-" + shown.removeprefix("Paper at ")[:40]
        meta: dict[str, Any] = {"title": shown}
        if ref.arxiv is not None:
            meta["arxiv"] = ref.arxiv.base
        else:
            meta["url"] = ref.venue or ref.url
        meta["status"] = DONE_MARK[PAPER] if state == "done" else DEFAULT_STATUS[PAPER]
        if not title:
            mark_owned(meta, ["title"])  # a placeholder: the first `kb fetch` replaces it
        draft = self._add(PAPER, wanted, shown, meta, body, number)
        if ref.arxiv is not None:
            self.registry.by_arxiv[ref.arxiv.base] = draft
        if ref.venue:
            self.registry.by_title.setdefault(f"url:{ref.venue}", draft)
        for key in title_keys(title) if title else []:
            self.registry.by_title.setdefault(key, draft)
        return draft

    def _mentioned(self, found: Mention, body: list[str], number: int, state: str | None) -> Draft:
        """`Title (authors, year)`: title, authors as written and year, all unchecked: recorded as
        the tool's in `arxiv_sync` (with no fetch date), so `kb fetch --resolve` replaces them."""
        meta: dict[str, Any] = {"title": found.title}
        if found.authors:
            meta["authors"] = found.authors
        meta["year"] = found.year
        meta["status"] = DONE_MARK[PAPER] if state == "done" else DEFAULT_STATUS[PAPER]
        mark_owned(meta, ["title", "authors", "year"])
        wanted = (paper_id(found.authors, found.year, found.title) if found.authors
                  else " ".join(significant(found.title)[:4]))
        draft = self._add(PAPER, wanted, found.title, meta, body, number)
        for key in title_keys(found.title):
            self.registry.by_title.setdefault(key, draft)
        return draft

    def _more(self, draft: Draft, body: list[str], number: int, state: str | None) -> None:
        """A second mention of something the import creates: its words join the first's note."""
        if body:  # the input by its path in the export: no folder of this machine enters a note
            draft.body += ["", f"From {self.source.rel}:{self.source.first_line + number}:", "", *body]
        if state == "done" and draft.kind in DONE_MARK:
            draft.meta["status"] = DONE_MARK[draft.kind]

    def _link_existing(self, line: Line, number: int, text: str, ref: Ref, note: Note,
                       state: str | None) -> str:
        """The line kept on the page, its reference now a link to the note in the base."""
        label = ref.label if ref.label and link_title(ref.label) else None
        self._linked(note, label or ref.url, number, state)
        start = len(line.raw.rstrip()) - len(text) + ref.start  # `text` ends the line
        link = f"[[{note.id}|{label}]]" if label and not re.search(r"[\[\]|]", label) else f"[[{note.id}]]"
        rest = self.in_place(number, line.raw[start + ref.end - ref.start:])
        return line.raw[:start] + link + rest

    def _linked(self, note: Note, what: str, number: int, state: str | None) -> None:
        self.registry.linked(note, what, self.at(number), "already in the base")
        if state == "done":
            self.registry.mark(note, self.at(number))

    def in_place(self, number: int, text: str, table: bool = False) -> str:
        """`text` with each paper reference replaced by a link to its note, the words kept (in a
        table row the label's `|` is escaped, as Obsidian writes it, so the row keeps its cells)."""
        if "://" not in text and "arxiv" not in text.lower():
            return text
        for ref in reversed(paper_refs(text)):
            title = link_title(ref.label)
            note = self._existing(ref, title)
            if note is not None:
                self.registry.linked(note, title or ref.url, self.at(number), "already in the base")
                target = note.id
            else:
                draft = self._known(ref, title) or self.new_paper(ref, title, [], number, None)
                target = draft.id
            bar = "\\|" if table else "|"
            link = f"[[{target}{bar}{ref.label}]]" if title and not re.search(r"[\[\]|]", title) else f"[[{target}]]"
            text = text[: ref.start] + link + text[ref.end:]
        return text

    # --- concepts and authors -------------------------------------------------------------
    def _concept(self, line: Line, number: int, stop: int, in_label: bool
                 ) -> tuple[int, list[str]] | None:
        text, state, mark = split_mark(line.content)
        found = concept_title(text, state, in_label, line.kind == ITEM, line.indent == 0)
        if found is None:
            return None
        title, keep_line = found
        existing = self.registry.note(self.registry.index.resolve_name(title))
        if existing is not None and existing.kind in (CONCEPT, PAPER):
            self._linked(existing, title, number, state)
            linked = f"[[{existing.id}|{text}]]" if text == title else f"{text} ([[{existing.id}]])"
            return number + 1, [f"{self._prefix(line, mark)}{linked}"]
        end = block_end(self.lines, number, stop) if line.kind == ITEM else number + 1
        body = _joined([line.raw.strip()] if keep_line else [], self.children(number + 1, end))
        pending = self.registry.by_name.get(title.lower())
        if pending is not None and pending.kind == CONCEPT:
            self._more(pending, body, number, state)
            draft = pending
        else:
            meta = {"title": title, "status": DONE_MARK[CONCEPT] if state == "done"
                    else DEFAULT_STATUS[CONCEPT]}
            draft = self._add(CONCEPT, title, title, meta, body, number)
        return end, [f"{self._prefix(line, mark)}[[{draft.id}]]"]

    def _author(self, line: Line, number: int, end: int) -> list[str]:
        name = line.content
        hashes = "#" * line.level
        note_id = self.registry.index.author_id(name)
        existing = self.registry.note(note_id)
        if existing is not None:
            self.registry.linked(existing, name, self.at(number), "already in the base")
            return [f"{hashes} [[{existing.id}|{name}]]", *self.carve(number + 1, end)]
        body = self.children(number + 1, end)
        pending = self.registry.by_name.get(name.lower())
        if pending is not None and pending.kind == AUTHOR:
            pending.body += ["", *body]
            draft = pending
        else:
            draft = self._add(AUTHOR, name, name, {"title": name}, body, number)
        return [f"{hashes} [[{draft.id}|{name}]]", ""]

    def _add(self, kind: str, wanted: str, title: str, meta: dict[str, Any], body: list[str],
             number: int) -> Draft:
        draft = Draft(kind, self.registry.claim(wanted, kind), title, meta, body,
                      self.source.shown, self.source.first_line + number, self.source.stamp)
        self.registry.rows.append(Row(CREATE, kind, draft.path, title, draft.at))
        return self.registry.add(draft)


def _joined(first: list[str], rest: list[str]) -> list[str]:
    """A note's body: the words of its line, then the lines under it, a paragraph apart (a
    Markdown list must not run on from a paragraph)."""
    return [*first, "", *rest] if first and rest else first + rest


def _names_concepts(text: str) -> bool:
    """A label over a list of concepts (`Basic NLP concepts`), not a sentence using the word."""
    return "concept" in text.lower() and len(text.split()) <= 6 and not text.endswith(".")


def _indent(line: str) -> int:
    expanded = line.expandtabs(TAB) if "\t" in line else line
    return len(expanded) - len(expanded.lstrip())


def _dedent(line: str, depth: int) -> str:
    """`line` without `depth` columns of indentation; tabs of deeper levels kept as written."""
    if not line.strip():
        return ""
    if _indent(line) < depth:
        return line.lstrip()
    removed = position = 0
    while removed < depth and position < len(line):
        removed += TAB - (removed % TAB) if line[position] == "\t" else 1
        position += 1
    return line[position:]


def _another_paper(ref: Ref, same_title: Draft | Note | None) -> bool:
    """The same title on another arXiv id is another paper: both have an id (had they the same
    one, the id would have matched first)."""
    return same_title is not None and ref.arxiv is not None and same_title.meta.get("arxiv") is not None
