"""Stage 2: find every reference a note makes (front matter and body) and resolve it to a node id.

Wikilink forms: `[[id]]`, `[[id|label]]`, `[[id#heading]]`, `[[Title or alias]]` (case-insensitive),
and `[[target||label]]` as the user's Obsidian exports write it. Relative Markdown links to note files
count too. Text inside code (fenced blocks and inline spans) is never a link.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from . import arxivid
from .model import (
    AUTHOR,
    AUTHOR_FIELD,
    LINK_FIELDS,
    PAPER,
    PLAN,
    Link,
    Note,
    as_list,
    slugify,
)

# No optional leading `!` in the patterns: it would defeat the regex engine's literal-prefix scan
# (20x slower on large bases). Embeds are recognised by looking one character back.
WIKILINK = re.compile(r"\[\[([^\[\]\n]+)\]\]")
MDLINK = re.compile(r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#)")


@dataclass(slots=True)
class BodyRef:
    """A link as written in a body, before resolution."""

    kind: str  # "wikilink" or "link"
    target: str
    label: str | None
    anchor: str | None
    line: int
    embed: bool
    start: int  # offsets in the body, for renderers that rewrite the text
    end: int

    @property
    def is_attachment(self) -> bool:
        """An embedded file (`![[figure.png]]`), not a link to a note."""
        name = self.target.rsplit("/", 1)[-1]
        return self.embed and "." in name and not name.endswith(".md")


def mask_code(body: str) -> str:
    """The body with code blocks and inline code blanked out, same length, same line breaks."""
    if "`" not in body and "~~~" not in body:
        return body
    out: list[str] = []
    fence: str | None = None
    for line in body.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            out.append(_blank(line))
        elif match:
            fence = match.group(1)
            out.append(_blank(line))
        elif "`" in line:
            out.append(_INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line))
        else:
            out.append(line)
    return "".join(out)


def _embedded(text: str, start: int) -> bool:
    """Whether the link at `start` is an embed (`![[...]]`, `![alt](...)`)."""
    return start > 0 and text[start - 1] == "!"


def _blank(line: str) -> str:
    stripped = line.rstrip("\r\n")
    return " " * len(stripped) + line[len(stripped) :]


def parse_wikilink(inner: str) -> tuple[str, str | None, str | None]:
    """`target#anchor|label` -> (target, anchor, label); `||label` and `\\|` are accepted too."""
    inner = inner.replace("\\|", "|")
    target, _, label = inner.partition("|")
    label = label.lstrip("|").strip() or None
    target, _, anchor = target.partition("#")
    return target.strip(), (anchor.strip() or None), label


def body_refs(body: str, body_line: int) -> list[BodyRef]:
    """Every wikilink and relative Markdown link in a body, with its file line."""
    masked = mask_code(body)
    found: list[BodyRef] = []
    if "[[" in masked:
        for match in WIKILINK.finditer(masked):
            target, anchor, label = parse_wikilink(match.group(1))
            start = match.start()
            found.append(BodyRef("wikilink", target, label, anchor, 0, _embedded(masked, start),
                                 start, match.end()))
    if "](" in masked:
        for match in MDLINK.finditer(masked):
            url = match.group(2)
            if _EXTERNAL.match(url):
                continue
            path, _, anchor = url.partition("#")
            start = match.start()
            found.append(BodyRef("link", unquote(path.split("?", 1)[0]), match.group(1) or None,
                                 anchor or None, 0, _embedded(masked, start), start, match.end()))
    if not found:
        return []
    found.sort(key=lambda ref: ref.start)
    # Count newlines incrementally: one pass over the text for all links.
    line, position = body_line, 0
    for ref in found:
        line += masked.count("\n", position, ref.start)
        position = ref.start
        ref.line = line
    return found


@dataclass(slots=True)
class Index:
    """Everything needed to turn a written reference into a node id; built once per base."""

    notes: dict[str, Note]
    names: dict[str, str] = field(default_factory=dict)  # lower-cased title/alias -> id
    slugs: dict[str, str] = field(default_factory=dict)  # slug of title/alias -> id (fuzzy match)
    paths: dict[str, str] = field(default_factory=dict)  # relative path -> id
    authors: dict[str, str] = field(default_factory=dict)  # author node id -> display name
    arxiv: dict[str, str] = field(default_factory=dict)  # canonical arXiv id -> (first) paper id
    root: Path | None = None

    @classmethod
    def build(cls, notes: Iterable[Note], root: Path | None = None) -> Index:
        index = cls(notes={}, root=root)
        for note in notes:
            if note.id in index.notes:
                continue  # duplicate ids are reported by checks; the first file wins
            index.notes[note.id] = note
            index.paths[note.path] = note.id
            index.names.setdefault(note.title.lower(), note.id)
            for alias in note.list_field("aliases"):
                if isinstance(alias, (str, int, float)):
                    index.names.setdefault(str(alias).strip().lower(), note.id)
        # Slugs are a looser match ("black box" = "black-box"), consulted after exact names.
        for name, note_id in index.names.items():
            index.slugs.setdefault(slugify(name), note_id)
        for note in index.notes.values():
            if note.kind == AUTHOR:
                index.authors.setdefault(note.id, note.title)
            elif note.kind == PAPER:
                base = arxivid.base_of(note.meta.get("arxiv"))
                if base is not None:
                    index.arxiv.setdefault(base, note.id)
        for note in index.notes.values():
            for name in note.list_field(AUTHOR_FIELD):
                if isinstance(name, str) and name.strip():
                    author = index.author_id(name)
                    index.authors.setdefault(author, name.strip())
        return index

    def author_id(self, name: str) -> str:
        """The node of an author name: an author note by title or alias, else the name's slug."""
        known = self.names.get(name.strip().lower())
        if known is not None and self.notes[known].kind == AUTHOR:
            return known
        return slugify(name)

    def resolve_name(self, text: str) -> str | None:
        """Resolve a wikilink target or front-matter value: id, title/alias, slug, then path."""
        if text in self.notes:  # the common case, first
            return text
        text = text.strip()
        if text.startswith("[[") and text.endswith("]]"):
            text = parse_wikilink(text[2:-2])[0]
        if text in self.notes:
            return text
        lowered = text.lower()
        if lowered in self.names:
            return self.names[lowered]
        slug = slugify(text)
        if slug in self.notes or slug in self.authors:
            return slug
        if slug in self.slugs:
            return self.slugs[slug]
        if text.endswith(".md") or "/" in text:
            stem = text[:-3] if text.endswith(".md") else text
            found = self.paths.get(stem + ".md") or self.paths.get(posixpath.normpath(stem) + ".md")
            if found:
                return found
            tail = stem.rsplit("/", 1)[-1]
            if tail in self.notes:
                return tail
        return None

    def resolve_path(self, source: Note, target: str) -> tuple[str | None, bool]:
        """Resolve a relative Markdown link: (note id or None, whether the file exists at all)."""
        if not target:
            return None, True  # a pure `#anchor` link to the same page
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source.path), target))
        if joined in self.paths:
            return self.paths[joined], True
        if self.root is not None and not joined.startswith("../"):
            return None, (self.root / joined).exists()
        return None, False


def front_matter_links(note: Note, index: Index) -> Iterator[Link]:
    """Links from the id-holding fields and the `authors` names of one note."""
    for position, name in enumerate(note.list_field(AUTHOR_FIELD)):
        if isinstance(name, str) and name.strip():
            yield Link(note.id, index.author_id(name), name, "author",
                       note.line_of(AUTHOR_FIELD, position), label=name.strip())
    for key, edge in LINK_FIELDS.items():
        value = note.meta.get(key)
        if value is None:
            continue
        if key == "items" and note.kind == PLAN and isinstance(value, dict):
            position = 0
            for group, members in value.items():
                for member in as_list(members):
                    yield _field_link(note, index, key, edge, member, position, str(group))
                    position += 1
            continue
        for position, member in enumerate(as_list(value)):
            yield _field_link(note, index, key, edge, member, position, None)


def _field_link(note: Note, index: Index, key: str, edge: str, member: object,
                position: int, group: str | None) -> Link:
    raw = str(member) if member is not None else ""
    target = index.resolve_name(raw) if isinstance(member, (str, int, float)) else None
    return Link(note.id, target, raw, edge, note.line_of(key, position), group=group)


def body_links(note: Note, index: Index) -> Iterator[Link]:
    """Links from the body's wikilinks and relative Markdown links."""
    for ref in body_refs(note.body, note.body_line):
        if ref.kind == "wikilink":
            if not ref.target:  # `[[#heading]]`: a link within the page
                continue
            if ref.is_attachment:
                continue
            target = index.resolve_name(ref.target)
            yield Link(note.id, target, ref.target, "wikilink", ref.line, ref.label, ref.anchor)
        else:
            target, exists = index.resolve_path(note, ref.target)
            if target is None and exists:
                continue  # an image or a file beside the note, not a note
            yield Link(note.id, target, ref.target, "link", ref.line, ref.label, ref.anchor)


def resolve_links(notes: Iterable[Note], index: Index) -> list[Link]:
    """All links of all notes, resolved (unresolved ones keep `target=None`)."""
    links: list[Link] = []
    for note in notes:
        if index.notes.get(note.id) is not note:
            continue
        links.extend(front_matter_links(note, index))
        links.extend(body_links(note, index))
    return links
