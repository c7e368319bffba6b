"""`kb import`: turn Notion/Obsidian exports and hand-written lists into notes, losing no words.

The importer reads an outline (headings, bullets, indented children) and *moves* blocks of it into
notes: an arXiv link with the bullets under it becomes a paper note, a bullet under a "... concepts"
label (or a `[x]` box, or a "what is X?" question) a concept note, a `### Name` section under
`## Authors` an author note. What remains of the page becomes a note of its own, with a `[[link]]`
where each block was. Every line of the input ends up in exactly one note, word for word.

Parsing is pure (text -> proposals); `write_proposals` is the only function that touches files.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import unquote

from ..arxiv import ids as arxivid
from ..arxiv.ownership import mark_owned
from ..index import Index
from ..notes.atomic import write_atomic
from ..notes.ids import STOPWORDS
from ..notes.ids import slug as slugify
from ..notes.serialize import note_text
from ..schema import AUTHOR, CONCEPT, FOLDER_OF, NOTE, PAPER

TEXT_SUFFIXES = (".md", ".markdown", ".txt")

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^([ \t]*)([-*+])(?:[ \t]+|$)(.*)$")
_CHECKBOX = re.compile(r"^\[( |x|X)\]\s+(.*)$")
_DONE = "\u2705"  # ✅
_MDLINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)")
_QUESTION = re.compile(r"^what (?:is|are) (?:an? |the )?(.{2,60}?)\s*\??$", re.IGNORECASE)
_NOTION_PAGE = re.compile(r"^(?P<name>.+?) (?P<hex>[0-9a-f]{32})\.md$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
_NAME_WORD = re.compile(r"^[A-Z][a-zA-Z'\-\u00c0-\u017f]*\.?$")
_NOT_NAMES = frozenset({"other", "papers", "notes", "links", "misc", "references", "related"})


@dataclass(slots=True)
class Proposal:
    """A note the import would create."""

    kind: str
    id: str
    title: str
    meta: dict
    body_lines: list[str]
    source: str
    line: int
    arxiv: str | None = None

    @property
    def folder(self) -> str:
        return FOLDER_OF[self.kind]

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.id}.md"


@dataclass(slots=True)
class ImportPlan:
    """What an import would do: notes to create, notes already there, and problems met."""

    proposals: list[Proposal] = field(default_factory=list)
    existing: list[tuple[str, str, str]] = field(default_factory=list)  # (what, note path, source)
    problems: list[str] = field(default_factory=list)
    images: list[tuple[Path, str]] = field(default_factory=list)  # (file found, relative dest)
    sources: dict[str, list[str]] = field(default_factory=dict)  # input name -> its lines


def _lines_of(lines: list[str], needle: str) -> list[int]:
    """1-based lines of the input holding `needle` (for messages)."""
    return [n + 1 for n, line in enumerate(lines) if needle in line]


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _blank(line: str) -> bool:
    return not line.strip()


def _is_name(text: str) -> bool:
    words = text.split()
    return (2 <= len(words) <= 4 and all(_NAME_WORD.match(w) for w in words)
            and not {w.lower() for w in words} & _NOT_NAMES)


def _marker(text: str) -> tuple[str, str | None]:
    """Strip a done-marker (✅, `[x]`, `[ ]`); return (text, 'done' | 'open' | None)."""
    text = text.strip()
    if text.startswith(_DONE):
        return text[len(_DONE):].strip(), "done"
    box = _CHECKBOX.match(text)
    if box:
        return box.group(2).strip(), "done" if box.group(1) in "xX" else "open"
    return text, None


class _PageParser:
    """Carves one input text into proposals and the remaining page body."""

    def __init__(self, text: str, source: str, index: Index, plan: ImportPlan,
                 seen_arxiv: dict[str, Proposal], seen_names: dict[str, Proposal], base_dir: Path):
        self.lines = text.splitlines()
        self.source = source
        self.index = index
        self.plan = plan
        self.seen_arxiv = seen_arxiv
        self.seen_names = seen_names
        self.base_dir = base_dir
        self.fenced = self._fenced_lines()

    def _fenced_lines(self) -> set[int]:
        inside, fence, found = False, "", set()
        for number, line in enumerate(self.lines):
            stripped = line.strip()
            if stripped.startswith(("```", "~~~")):
                if not inside:
                    inside, fence = True, stripped[:3]
                elif stripped.startswith(fence):
                    inside = False
                found.add(number)
            elif inside:
                found.add(number)
        return found

    # --- what a line is -------------------------------------------------------------------
    def _arxiv_on(self, number: int) -> arxivid.ArxivId | None:
        if number in self.fenced:
            return None
        refs = arxivid.find_refs(self.lines[number])
        return refs[0][1] if refs else None

    def _heading(self, number: int) -> re.Match | None:
        return None if number in self.fenced else _HEADING.match(self.lines[number])

    def _starts_with_link(self, number: int) -> bool:
        line = self.lines[number]
        return _indent(line) == 0 and line.lstrip().startswith(("[", "http", "!["))

    # --- block extents --------------------------------------------------------------------
    def _bullet_end(self, start: int, stop: int) -> int:
        """End (exclusive) of the children of the bullet at `start`: deeper lines and blanks."""
        own = _indent(self.lines[start])
        end, number = start + 1, start + 1
        while number < stop:
            line = self.lines[number]
            if not _blank(line):
                if _indent(line) <= own or self._heading(number):
                    break
                end = number + 1
            number += 1
        return end

    def _standalone_end(self, start: int, stop: int) -> int:
        """End of the annotations under a link written on its own line (Obsidian style)."""
        end, saw_blank, number = start + 1, False, start + 1
        while number < stop:
            line = self.lines[number]
            if _blank(line):
                saw_blank = True
            elif self._heading(number) or self._starts_with_link(number):
                break
            elif saw_blank and _indent(line) == 0 and not _BULLET.match(line):
                break
            else:
                end = number + 1
            number += 1
        return end

    # --- carving --------------------------------------------------------------------------
    def carve(self, start: int, stop: int) -> list[str]:
        """The lines of [start, stop) with every recognised block moved out into a proposal."""
        out: list[str] = []
        concept_context = False
        author_context = False
        number = start
        while number < stop:
            line = self.lines[number]
            heading = self._heading(number)
            bullet = _BULLET.match(line) if number not in self.fenced else None
            if heading:
                text = heading.group(2).strip()
                if re.fullmatch(r"authors?", text, re.IGNORECASE):
                    author_context = True
                elif author_context and _is_name(text):
                    end = self._section_end(number, stop)
                    out.extend(self._author(text, number, end))
                    number = end
                    continue
                else:
                    author_context = False
                concept_context = "concept" in text.lower()
                out.append(line)
                number += 1
                continue
            if not _blank(line) and _indent(line) == 0 and not bullet:
                if line.strip() == "---":
                    concept_context = False
                elif not self._starts_with_link(number):
                    concept_context = "concept" in line.lower()
            found = self._arxiv_on(number)
            if found is not None:
                end = (self._bullet_end(number, stop) if bullet
                       else self._standalone_end(number, stop) if _indent(line) == 0
                       else number + 1)
                out.extend(self._paper(found, number, end, bullet))
                number = end
                continue
            concept = self._concept_title(number, bullet, concept_context)
            if concept is not None:
                title, state, rest_of_line = concept
                end = self._bullet_end(number, stop) if bullet else number + 1
                out.extend(self._concept(title, state, rest_of_line, number, end, bullet))
                number = end
                continue
            out.append(line)
            number += 1
        return out

    def _section_end(self, start: int, stop: int) -> int:
        number = start + 1
        while number < stop and not self._heading(number):
            number += 1
        return number

    def _concept_title(self, number: int, bullet: re.Match | None,
                       concept_context: bool) -> tuple[str, str | None, bool] | None:
        if number in self.fenced:
            return None
        line = self.lines[number]
        text = bullet.group(3) if bullet else line.strip()
        text, state = _marker(text)
        plain = text
        link = _MDLINK.fullmatch(text)
        if link:
            plain = link.group(1).strip()
            if "://" in plain or not plain:
                return None
        elif "](" in text or "http" in text or "[[" in text:
            return None
        if not plain or len(plain.split()) > 8 or plain.endswith(":"):
            return None
        question = _QUESTION.match(plain)
        if question:
            return question.group(1).strip(), state, True
        if state is not None and (bullet is None or _indent(line) == 0 or concept_context):
            return plain, state, plain != text
        if concept_context and bullet and _indent(line) == 0:
            return plain, state, plain != text
        return None

    # --- proposals ------------------------------------------------------------------------
    def _children(self, start: int, end: int) -> list[str]:
        lines = self.carve(start, end)
        while lines and (_blank(lines[-1]) or lines[-1].strip() in "-*+"):
            lines.pop()
        while lines and _blank(lines[0]):
            lines.pop(0)
        depth = min((_indent(l) for l in lines if not _blank(l)), default=0)
        return [_dedent(l, depth) for l in lines]

    def _replacement(self, number: int, bullet: re.Match | None, target: str, done: bool) -> str:
        line = self.lines[number]
        prefix = line[: len(line) - len(line.lstrip())]
        mark = f"{_DONE} " if done else ""
        return f"{prefix}{bullet.group(2) + ' ' if bullet else ''}{mark}[[{target}]]"

    def _paper(self, found: arxivid.ArxivId, number: int, end: int,
               bullet: re.Match | None) -> list[str]:
        line = self.lines[number]
        text = bullet.group(3) if bullet else line.strip()
        text, state = _marker(text)
        link = next((m for m in _MDLINK.finditer(text) if arxivid.parse(m.group(2))), None)
        title = link.group(1).strip().lstrip("#").strip() if link else ""
        if not title or "://" in title or arxivid.parse(title):
            title = f"arXiv {found.base}"
        rest = (text[: link.start()] + text[link.end():]).strip() if link else ""
        if not link:
            rest = re.sub(r"https?://\S+", "", text).strip()
        existing = self._existing_paper(found.base)
        if existing is not None:
            # Never edit an existing note: the annotations stay on the page, word for word.
            self.plan.existing.append((f"arXiv {found.base}", existing, f"{self.source}:{number + 1}"))
            return self.lines[number:end]
        body = ([rest] if rest else []) + self._children(number + 1, end)
        known = self.seen_arxiv.get(found.base)
        if known is not None:
            if body:
                known.body_lines += ["", f"From {self.source}:{number + 1}:", "", *body]
            return [self._replacement(number, bullet, known.id, state == "done")]
        paper_id = _unique(slugify(" ".join(_significant(title)[:4])) if not title.startswith("arXiv ")
                           else f"arxiv-{slugify(found.base)}", self.index, self.seen_names)
        meta = {"title": title, "arxiv": found.base,
                "status": "read" if state == "done" else "to-read"}
        if title == f"arXiv {found.base}":
            mark_owned(meta, ["title"])  # a placeholder: the first `kb fetch` replaces it
        proposal = Proposal(PAPER, paper_id, title, meta, body, self.source, number + 1, found.base)
        self._add(proposal)
        self.seen_arxiv[found.base] = proposal
        return [self._replacement(number, bullet, paper_id, state == "done")]

    def _existing_paper(self, base: str) -> str | None:
        found = self.index.arxiv.get(arxivid.canonical_id(base))
        return self.index.notes[found].path if found is not None else None

    def _concept(self, title: str, state: str | None, keep_line: bool, number: int, end: int,
                 bullet: re.Match | None) -> list[str]:
        line = self.lines[number]
        known = self._known(title)
        if known is not None:
            self.plan.existing.append((f"concept '{title}'", known, f"{self.source}:{number + 1}"))
            return self.lines[number:end]
        body = ([line.strip()] if keep_line else []) + self._children(number + 1, end)
        pending = self.seen_names.get(title.lower())
        if pending is not None:
            if body:
                pending.body_lines += ["", *body]
            return [self._replacement(number, bullet, pending.id, state == "done")]
        concept_id = _unique(slugify(title), self.index, self.seen_names)
        meta = {"title": title, "status": "studied" if state == "done" else "to-study"}
        self._add(Proposal(CONCEPT, concept_id, title, meta, body, self.source, number + 1))
        return [self._replacement(number, bullet, concept_id, state == "done")]

    def _author(self, name: str, number: int, end: int) -> list[str]:
        author_id = slugify(name)
        known = self.index.notes.get(author_id)
        if known is not None:
            self.plan.existing.append((f"author {name}", known.path, f"{self.source}:{number + 1}"))
            return self.lines[number:end]
        body = self._children(number + 1, end)
        pending = self.seen_names.get(name.lower())
        if pending is not None:
            pending.body_lines += ["", *body]
        else:
            self._add(Proposal(AUTHOR, author_id, name, {"title": name}, body, self.source, number + 1))
        level = self.lines[number].split(" ", 1)[0]
        return [f"{level} [[{author_id}|{name}]]", ""]

    def _known(self, title: str) -> str | None:
        found = self.index.resolve_name(title)
        if found is not None and found in self.index.notes:
            return self.index.notes[found].path
        return None

    def _add(self, proposal: Proposal) -> None:
        self.plan.proposals.append(proposal)
        self.seen_names[proposal.title.lower()] = proposal
        self.seen_names[proposal.id] = proposal


def _significant(title: str) -> list[str]:
    words = re.findall(r"[A-Za-z0-9]+", title)
    return [w for w in words if w.lower() not in STOPWORDS] or words


def _unique(candidate: str, index: Index, pending: dict[str, Proposal]) -> str:
    candidate = candidate[:60].strip("-") or "untitled"
    chosen, counter = candidate, 2
    while chosen in index.notes or chosen in pending:
        chosen, counter = f"{candidate}-{counter}", counter + 1
    return chosen


def _dedent(line: str, depth: int) -> str:
    if _blank(line):
        return ""
    expanded = line.expandtabs(4) if line[:1] in " \t" else line
    if _indent(line) >= depth and expanded[:depth].strip() == "":
        # Keep tabs of deeper levels as written: only the common indentation is removed.
        removed, position = 0, 0
        while removed < depth and position < len(line):
            removed += 4 - (removed % 4) if line[position] == "\t" else 1
            position += 1
        return line[position:]
    return line.lstrip()


def _page_title(lines: list[str], fallback: str) -> str:
    """The page's `# Heading` if it opens with one, else its first line of plain words."""
    for line in lines[:3]:
        heading = _HEADING.match(line)
        if heading and heading.group(1) == "#":
            return heading.group(2).strip()
    for line in lines:
        text = _IMAGE.sub("", line)
        text = _MDLINK.sub(lambda m: m.group(1), text)
        text = re.sub(r"[#*_`\[\]>]", "", text).strip(" -\t")
        if text:
            return text[:80]
    return fallback


def read_text_input(path: Path) -> str:
    """An input file's text; raises ValueError with the reason when it is binary or not UTF-8."""
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise ValueError("binary file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ValueError(f"not UTF-8 (line {line})") from None


def input_files(paths: list[Path]) -> list[Path]:
    """Files named, and text files under folders named, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file()
                                and p.suffix.lower() in TEXT_SUFFIXES and not p.name.startswith(".")))
        else:
            found.append(path)
    return found


def plan_import(paths: list[Path], index: Index) -> ImportPlan:
    """Read the inputs and decide what to create. Pure apart from reading the inputs."""
    plan = ImportPlan()
    seen_arxiv: dict[str, Proposal] = {}
    seen_names: dict[str, Proposal] = {}
    pages: list[tuple[Proposal, Path]] = []
    for path in input_files(paths):
        shown = str(path)
        try:
            text = read_text_input(path)
        except (ValueError, OSError) as exc:
            plan.problems.append(f"{shown}: skipped: {exc}")
            continue
        parser = _PageParser(text, path.name, index, plan, seen_arxiv, seen_names, path.parent)
        plan.sources[path.name] = parser.lines
        body = parser.carve(0, len(parser.lines))
        title = _page_title(parser.lines, path.stem)
        page_id = slugify(title)[:60].strip("-")
        known = index.notes.get(page_id)
        if known is not None:
            plan.existing.append((f"page '{title}'", known.path, f"{path.name}:1"))
            continue
        page = Proposal(NOTE, _unique(page_id, index, seen_names), title, {"title": title},
                        "\n".join(body).split("\n"), path.name, 1)
        parser._add(page)
        pages.append((page, path.parent))
    _link_notion_pages(plan)
    for proposal, folder in pages:
        _collect_images(plan, proposal, folder)
    for proposal in plan.proposals:
        if proposal.kind != NOTE:
            _collect_images(plan, proposal, Path(_source_dir(pages, proposal)))
    return plan


def _source_dir(pages: list[tuple[Proposal, Path]], proposal: Proposal) -> Path:
    return next((folder for page, folder in pages if page.source == proposal.source), Path("."))


def _link_notion_pages(plan: ImportPlan) -> None:
    """Rewrite `[Name](Page%20Name%20<32 hex>.md)` to `[[id|Name]]` when that page was imported."""
    titles = {p.title.lower(): p for p in plan.proposals}

    def rewrite(proposal: Proposal, match: re.Match) -> str:
        target = unquote(match.group(2)).rsplit("/", 1)[-1]
        page = _NOTION_PAGE.match(target)
        if not page:
            return match.group(0)
        found = titles.get(page.group("name").lower())
        if found is None:
            line = (_lines_of(plan.sources.get(proposal.source, []), match.group(2)) or [proposal.line])[0]
            plan.problems.append(
                f"{proposal.source}:{line}: link to Notion page '{page.group('name')}' that is not "
                "in the import; kept as written")
            return match.group(0)
        return f"[[{found.id}|{match.group(1)}]]"

    for proposal in plan.proposals:
        proposal.body_lines = [
            _MDLINK.sub(partial(rewrite, proposal), line) if ".md" in line else line
            for line in proposal.body_lines
        ]


def _collect_images(plan: ImportPlan, proposal: Proposal, folder: Path) -> None:
    """Images beside the input are copied next to the notes; missing ones are reported only."""
    def rewrite(match: re.Match) -> str:
        target = match.group(2)
        if "://" in target:
            return match.group(0)
        found = folder / unquote(target)
        if not found.is_file():
            lines = _lines_of(plan.sources.get(proposal.source, []), match.group(0)) or [proposal.line]
            message = (f"{proposal.source}:{lines[0]}: image '{unquote(target)}' is not present; "
                       "left as written, not invented")
            if len(lines) > 1:
                message += f" (also lines {', '.join(map(str, lines[1:]))})"
            if message not in plan.problems:
                plan.problems.append(message)
            return match.group(0)
        dest = f"notes/assets/{found.name}"
        plan.images.append((found, dest))
        return f"![{match.group(1)}]({posixpath.relpath(dest, proposal.folder)})"

    proposal.body_lines = [_IMAGE.sub(rewrite, line) if "![" in line else line
                           for line in proposal.body_lines]


@dataclass(slots=True)
class ImportResult:
    created: list[Proposal] = field(default_factory=list)
    clashes: list[str] = field(default_factory=list)


def write_proposals(root: Path, plan: ImportPlan) -> ImportResult:
    """Create each proposed note atomically; an existing file is never replaced (a clash)."""
    result = ImportResult()
    for proposal in plan.proposals:
        text = note_text(proposal.meta, "\n".join(proposal.body_lines).strip("\n") + "\n")
        try:
            write_atomic(root / proposal.path, text, exclusive=True)
        except FileExistsError:
            result.clashes.append(f"{proposal.path} exists; left untouched (from "
                                  f"{proposal.source}:{proposal.line})")
            continue
        result.created.append(proposal)
    for found, dest in plan.images:
        target = root / dest
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(found, target)
    return result
