"""Stage 1 of `kb import`: find and read the inputs. Files and folders (Obsidian vaults, Notion
trees, plain outlines), found by the one walker; text decoded strictly (see `decode`), Notion's
CSV databases read as rows. A page is hashed as read; its front matter is parsed, its mojibake
repaired and its title found only when it is to be imported (`prepare`): a re-import's unchanged
pages need their hash alone.

Every file given or found is either read or reported: nothing is skipped without a word.
Files an export merely refers to (images, PDFs) are read later, and only inside the export.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..notes.files import walk
from ..notes.frontmatter import FrontMatterError, parse_yaml, split
from ..problems import ERROR, INFO, WARNING, Problem, define
from ..syntax import plain_title as syntax_plain_title
from .decode import decode, repaired, text_lines
from .report import SKIP, Row
from .stamps import digest

PAGE_SUFFIXES = (".md", ".markdown", ".txt")
TABLE_SUFFIX = ".csv"
MAX_INPUT = 50 * 1024 * 1024  # bytes: no note is this large; a log file or a dump is
TEMPLATE_FOLDERS = frozenset({"templates", "_templates", "template"})
NOTION_NAME = re.compile(r"^(?P<name>.+?) (?P<hex>[0-9a-f]{32})(?P<all>_all)?$")

UNREADABLE = define(
    "input-unreadable", ERROR, "an input file or folder cannot be read",
    "The operating system refused to read it (permissions, a broken link, a FIFO or device, or "
    "over 50 MB). Nothing of it was imported.", command="import")
NOT_TEXT = define(
    "input-not-text", ERROR, "an input is binary or not UTF-8 text",
    "Pages must be UTF-8 (or UTF-16 with a byte-order mark). The file was skipped, not guessed: "
    "re-save it as UTF-8 and import it again. The line given holds the first undecodable byte.",
    command="import")
EMPTY = define(
    "input-empty", INFO, "an input file holds nothing",
    "An empty or blank file given by name makes no note; an empty page of a folder makes an "
    "empty note, as it is one in Obsidian (links to it lead there).", command="import")
BAD_FRONT_MATTER = define(
    "front-matter-kept-as-text", WARNING, "an input's front matter could not be read",
    "The page starts with `---` but its YAML does not parse (see the message). Its lines were "
    "kept in the body as written, so nothing is lost; fix the YAML in the new note if you want "
    "the fields.", command="import")


@dataclass(slots=True)
class Export:
    """A folder given to `kb import` (or the folder of a file given): the only place referenced
    files may be read from."""

    root: Path  # as given
    real: str  # its real path, for the inside-check
    files: list[str] = field(default_factory=list)  # every file found in it (folder inputs)
    single: bool = False  # a file given by name, not a folder
    _inside: dict[str, Path | None] = field(default_factory=dict)
    _names: dict[str, list[str]] = field(default_factory=dict)
    _found: set[str] | None = None

    def inside(self, rel: str) -> Path | None:
        """The regular file at `rel` when it really lies inside the export, else None.

        Checked on the real path (links resolved) before anything is opened."""
        if rel not in self._inside:
            self._inside[rel] = self._check(rel)
        return self._inside[rel]

    def _check(self, rel: str) -> Path | None:
        real = os.path.realpath(os.path.join(self.real, rel))
        if real != self.real and not real.startswith(self.real.rstrip(os.sep) + os.sep):
            return None
        try:
            return Path(real) if stat.S_ISREG(os.stat(real).st_mode) else None
        except OSError:
            return None

    def has(self, rel: str) -> bool:
        """Whether the walk found a file at `rel` (cheap: no system call; `inside` still decides
        whether it may be read)."""
        if self._found is None:
            self._found = set(self.files)
        return rel in self._found

    def named(self, name: str) -> list[str]:
        """The files of the export with this file name, wherever they are."""
        if not self._names:
            for rel in self.files:
                self._names.setdefault(rel.rsplit("/", 1)[-1], []).append(rel)
        return self._names.get(name, [])

    def contains(self, rel: str) -> bool:
        """Whether `rel` (relative to the export) stays inside it, before any file is looked at."""
        parts = rel.split("/")
        return not (rel.startswith("/") or ".." in parts)


@dataclass(slots=True)
class Source:
    """One input file, read: a page (lines of Markdown or text) or a table (CSV rows)."""

    path: Path
    shown: str  # the path as the user gave it, for messages
    stamp: str  # stable across runs and places: the path inside the export
    export: Export
    rel: str  # POSIX path inside the export
    lines: list[str] = field(default_factory=list)
    first_line: int = 1  # the file line of lines[0] (after front matter)
    meta: dict[str, Any] = field(default_factory=dict)  # front matter, as read
    front: list[str] = field(default_factory=list)  # its lines as written, `---` lines included
    text: str = ""  # as decoded, before `prepare`
    digest: str = ""  # a hash of the page as read (see `stamps`)
    prepared: bool = False  # `prepare` has filled lines, meta, front and title
    title: str = ""
    table: list[tuple[int, list[str]]] | None = None  # (file line, cells) per CSV row, header first

    @property
    def folder(self) -> str:
        return self.rel.rsplit("/", 1)[0] if "/" in self.rel else ""

    @property
    def notion_id(self) -> str | None:
        name = NOTION_NAME.match(Path(self.rel).stem)
        return name.group("hex") if name else None

    def at(self, number: int) -> str:
        """`shown:line` for the line of index `number` in `lines`."""
        return f"{self.shown}:{self.first_line + number}"


@dataclass(slots=True)
class Inputs:
    sources: list[Source] = field(default_factory=list)
    exports: list[Export] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Row] = field(default_factory=list)


def read_inputs(paths: list[Path]) -> Inputs:
    """Read every input named or found under a folder named; each file once."""
    found = Inputs()
    seen: set[tuple[int, int]] = set()
    for given in paths:
        if given.is_dir():
            export = Export(given, os.path.realpath(given))
            found.exports.append(export)
            listing = walk(given)
            export.files = listing.files
            for rel, reason in listing.unreadable:
                found.problems.append(UNREADABLE.at(str(given / rel), 0, f"not read: {reason}"))
            _skip_hidden_folders(given, found)
            found.skipped.extend(Row(SKIP, "input", str(given / rel), rel, str(given / rel), "a hidden file (its name starts with a dot)") for rel in listing.hidden if rel.lower().endswith(PAGE_SUFFIXES))  # noqa: E501
            templates = _template_folders(given)
            for rel in listing.files:
                if _under(rel, templates):
                    found.skipped.append(Row(SKIP, "input", str(given / rel), rel, str(given / rel),
                                             "in a templates folder"))
                elif rel.lower().endswith(".excalidraw.md"):
                    continue  # a drawing: an attachment, copied when a page shows it
                elif rel.lower().endswith(PAGE_SUFFIXES + (TABLE_SUFFIX,)):
                    _read(given / rel, export, rel, rel, found, seen)
        else:
            export = Export(given.parent, os.path.realpath(given.parent), single=True)
            found.exports.append(export)
            _read(given, export, given.name, given.name, found, seen)
    _prefer_full_tables(found)
    return found


def _read(path: Path, export: Export, rel: str, stamp: str, found: Inputs,
          seen: set[tuple[int, int]]) -> None:
    shown = str(path)
    # The walker descends into no linked folder: only a found file itself may be a link out.
    if export.files and os.path.islink(path) and export.inside(rel) is None:
        found.problems.append(UNREADABLE.at(shown, 0, "not read: it links to a file outside the "
                                                      "export"))
        return
    try:
        info = os.stat(path)
        if (info.st_dev, info.st_ino) in seen:
            found.skipped.append(Row(SKIP, "input", shown, path.name, shown, "given twice; read once"))
            return
        seen.add((info.st_dev, info.st_ino))
        if not stat.S_ISREG(info.st_mode):
            raise OSError("not a regular file")
        if info.st_size > MAX_INPUT:
            raise OSError(f"{info.st_size // 2**20} MB, over the 50 MB a page may have")
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        found.problems.append(UNREADABLE.at(shown, 0, f"skipped: {exc.strerror or exc}"))
        return
    try:
        text = decode(raw)
    except ValueError as exc:
        line = exc.args[1] if len(exc.args) > 1 else 0
        found.problems.append(NOT_TEXT.at(shown, 0, f"skipped: {exc.args[0]}"
                                          + (f" (line {line})" if line else "")))
        return
    if not text.strip():
        if export.single or not rel.lower().endswith((".md", ".markdown")):
            found.problems.append(EMPTY.at(shown, 0, "skipped: empty file"))
            found.skipped.append(Row(SKIP, "input", shown, path.name, shown, "empty"))
            return
        # An empty page of a folder is a note all the same (its links lead somewhere).
        found.problems.append(EMPTY.at(shown, 0, "an empty page: imported as an empty note"))
    source = Source(path, shown, stamp, export, rel, text=text, digest=digest(text))
    if path.suffix.lower() == TABLE_SUFFIX:
        source.table = _table(text)
        source.title = _stem(rel)
        source.prepared = True
    found.sources.append(source)


def prepare(source: Source) -> list[Problem]:
    """A page read for importing: its front matter parsed, mojibake repaired, its title found.
    Done only for pages an import writes (a re-import's unchanged pages need their hash only);
    returns what was met on the way, once."""
    if source.prepared:
        return []
    problems: list[Problem] = []
    _front_matter(source, text_lines(source.text), problems)
    source.lines = repaired(source.shown, source.first_line, source.lines, problems)
    source.title = page_title(source)
    source.prepared = True
    return problems


def _front_matter(source: Source, lines: list[str], problems: list[Problem]) -> None:
    source.lines = lines
    if not lines or lines[0].rstrip() != "---" or not source.rel.lower().endswith((".md", ".markdown")):
        return
    try:
        parts = split("\n".join(lines) + "\n")
        if parts.yaml_text is None:
            return
        source.meta = parse_yaml(parts.yaml_text, parts.yaml_line)
    except FrontMatterError as exc:
        problems.append(BAD_FRONT_MATTER.at(source.shown, exc.line,
                                            f"{exc.message}; its lines were kept as text"))
        return
    source.front = lines[:parts.end_line]
    source.lines = lines[parts.end_line:]
    source.first_line = parts.end_line + 1


def _stem(rel: str) -> str:
    stem = unicodedata.normalize("NFC", Path(rel).stem)
    notion = NOTION_NAME.match(stem)
    return notion.group("name") if notion else stem


_DONE_MARK = re.compile(r"^(?:\u2705|x )\s*")


def plain_title(text: str) -> str:
    """A line's words as a title: the one reading's plain title (`syntax.plain_title`: links as
    their text, code as written, markup dropped), a list or quote marker and a done mark left
    out (a title is read from the start of a line only: a hostile line is never read whole)."""
    text = " ".join(syntax_plain_title(text[:500]).split()).strip(" -\t")
    return _DONE_MARK.sub("", text).strip()


def page_title(source: Source) -> str:
    """A page's title: its front matter's, else its file name for a Markdown page (the rule of
    Obsidian, Foam, Logseq and zk; Notion's id dropped); a text file (a hand-written outline) is
    titled by a `# Heading` opening it, else its first line of words, else its file name."""
    own = source.meta.get("title")
    if isinstance(own, str) and own.strip():
        return own.strip()
    if not source.rel.lower().endswith(".txt"):
        return _stem(source.rel)
    first = next((line for line in source.lines if line.strip()), "")
    heading = re.match(r"#[ \t]+(.+?)[ \t#]*$", first)
    if heading:
        return plain_title(heading.group(1)) or _stem(source.rel)
    for line in source.lines:
        words = plain_title(line)
        if words:
            return words[:80].strip()
    return _stem(source.rel)


def _table(text: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error:
        pass  # a malformed tail: the rows before it are kept, the rest reported by the planner
    return rows


# Where Obsidian's Templates plugin and the Templater plugin keep their settings, and the key
# naming the templates folder in each.
_TEMPLATE_SETTINGS = ((".obsidian/templates.json", "folder"),
                      (".obsidian/plugins/templater-obsidian/data.json", "templates_folder"))


def _template_folders(root: Path) -> set[str]:
    """Folders of templates (those the vault's template plugins are set to, and any named like
    one): templates are no notes (`{{date}}`, `<% tp.file.title %>` placeholders)."""
    folders: set[str] = set()
    for settings, key in _TEMPLATE_SETTINGS:
        try:
            config = json.loads((root / settings).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(config, dict) and isinstance(config.get(key), str) and config[key].strip("/"):
            folders.add(unicodedata.normalize("NFC", config[key].strip("/")).lower())
    return folders


def _under(rel: str, configured: set[str]) -> bool:
    folders = [unicodedata.normalize("NFC", part).lower() for part in rel.split("/")[:-1]]
    return any(part in TEMPLATE_FOLDERS for part in folders) or any(
        "/".join(folders[:n]) in configured for n in range(1, len(folders) + 1))


def _skip_hidden_folders(root: Path, found: Inputs) -> None:
    """Say what the hidden-path rule left out at the top of an export: deleted notes in
    `.trash/` (other hidden folders, such as `.obsidian/`, hold settings, not notes)."""
    trash = root / ".trash"
    if trash.is_dir():
        count = sum(len(files) for _, _, files in os.walk(trash))
        found.skipped.append(Row(SKIP, "input", str(trash), ".trash/", str(trash),
                                 f"Obsidian's deleted notes ({count} file{'s' * (count != 1)}), not imported"))


def _prefer_full_tables(found: Inputs) -> None:
    """Notion exports a database twice (`X <id>.csv`, the view, and `X <id>_all.csv`, every row):
    the full one is imported, the view reported."""
    full = {re.sub(r"_all\.csv$", ".csv", s.rel) for s in found.sources if s.rel.endswith("_all.csv")}
    kept = []
    for source in found.sources:
        if source.table is not None and source.rel in full:
            found.skipped.append(Row(SKIP, "input", source.shown, source.title, source.shown,
                                     "Notion's view of a database; its _all.csv has every row"))
        else:
            kept.append(source)
    found.sources = kept
