"""What imported text refers to, rewritten for the base: links between imported pages (Obsidian
`[[Name]]`, `[[Folder/Name#Heading|label]]`, aliases; Notion's `Page%20<id>.md` paths and
notion.so URLs) become `[[id]]` links; attachments (`![[image.png]]`, `![](Page/image.png)`,
`data:` images) are copied next to the notes under a folder per page, so two pages' `image.png`
never meet; `#tags` are collected. Code and comments (`<!-- -->`, Obsidian `%%...%%`, which the
site never publishes) are left as they are.

Only files inside the export are ever read: a target written with `../`, as an absolute path,
`%2F`-encoded or through a link leading out is reported and never opened. A target that is not
there is kept as text (in a code span, so it is no broken link) and reported, never invented.
Line structure never changes: one line in, one line out.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import os
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from ..notes.ids import slug
from ..problems import INFO, WARNING, Code, define
from ..syntax import MDLINK, WIKILINK, mask_code, parse_wikilink
from .drafts import Asset, Draft, Registry
from .inputs import NOTION_NAME, Export, Source
from .outline import hidden_lines

ASSETS = "notes/assets"
ASSET_SCHEME = "kb-asset:"  # placeholders until each note's folder is known (see `finish`)
STUB_SCHEME = "kb-stub:"
MAX_DATA = 20 * 1024 * 1024

MISSING_FILE = define(
    "missing-attachment", WARNING, "a file the page shows or links to is not in the export",
    "The image or file is not where the page says (exports often leave them out). The reference "
    "was kept as text, in a code span so it is no broken link; nothing was invented. Add the "
    "file beside the new note and restore the link to show it.", command="import")
MISSING_PAGE = define(
    "missing-page", WARNING, "a link to a page that is not in the import",
    "The page links to another export page that was not imported. The link was kept as text, "
    "in a code span; import that page too (or the whole export) to make it a link.",
    command="import")
OUTSIDE = define(
    "outside-export", WARNING, "a reference to a file outside the export",
    "Only files inside the folder being imported are ever read. A path with `../`, an absolute "
    "path, a `%2F`-encoded one or a link leading out is reported, kept as text and never "
    "opened, so an export cannot copy `/etc/passwd` into the site.", command="import")
BAD_DATA = define(
    "bad-data-url", WARNING, "an inline `data:` image that cannot be decoded",
    "A `data:` URL that is not a base64 image (or is over 20 MB) was kept as text.",
    command="import")
STUB = define(
    "stub-created", INFO, "an empty note was created for a link target",
    "A `[[link]]` names a page that is neither in the import nor in the base (Obsidian shows "
    "such links as notes to write). An empty note with that title was created so the link "
    "resolves; write it, or delete it and the link.", command="import")
REMOTE_IMAGE = define(
    "remote-image", INFO, "an image from another host became a link",
    "The site loads nothing from other hosts, so `![alt](https://...)` was made a plain link "
    "to the image. Download the image beside the note to show it.", command="import")

_TAG = re.compile(r"#([\w/-]*[^\W\d][\w/-]*)")  # a `#` first: the engine looks for it fast
_SIZE = re.compile(r"\d+(?:x\d+)?")
_NOTION_URL = re.compile(r"notion\.so/\S*?([0-9a-f]{32})")
_DATA = re.compile(r"data:image/(png|jpe?g|gif|webp|svg\+xml);base64,([A-Za-z0-9+/=\s]+)$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_WEB_ADDRESS = re.compile(r"^(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/")


def as_code(text: str) -> str:
    """`text` in an inline code span: shown as written, never a link."""
    run = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (run + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


@dataclass(slots=True)
class Pages:
    """The imported pages by every name a link may use."""

    by_path: dict[str, Draft] = field(default_factory=dict)  # rel path without .md, lower
    by_tail: dict[str, Draft] = field(default_factory=dict)  # its trailing parts (`folder/name`)
    by_stem: dict[str, list[tuple[str, Draft]]] = field(default_factory=dict)  # (folder, page)
    by_name: dict[str, Draft] = field(default_factory=dict)  # titles and aliases, lower
    by_notion: dict[str, Draft] = field(default_factory=dict)
    named: dict[str, int] = field(default_factory=dict)  # how many pages answer to a name

    def unique(self, name: str) -> bool:
        return self.named.get(fold(name), 0) == 1

    def add(self, source: Source, page: Draft, aliases: list[str]) -> None:
        rel = fold(source.rel.rsplit(".", 1)[0])
        self.by_path[rel] = page
        parts = rel.split("/")
        for start in range(1, len(parts) - 1):
            self.by_tail.setdefault("/".join(parts[start:]), page)
        if source.table is not None and rel.endswith("_all"):
            self.by_path.setdefault(rel[: -len("_all")], page)  # Notion links to the view
        stem = fold(PurePosixPath(source.rel).stem)
        self.by_stem.setdefault(stem, []).append((source.folder, page))
        notion = NOTION_NAME.match(PurePosixPath(source.rel).stem)
        if notion:
            self.by_notion[notion.group("hex")] = page
            self.by_stem.setdefault(fold(notion.group("name")), []).append((source.folder, page))
        for name in dict.fromkeys(fold(n) for n in (page.title, *aliases)):
            self.by_name.setdefault(name, page)
            self.named[name] = self.named.get(name, 0) + 1

    def find(self, target: str, folder: str) -> Draft | None:
        """Obsidian's rule: a path (its tail) first, then a file name (the one in the same folder,
        else the shortest path), then a title or alias."""
        name = fold(target.replace("\\", "/").strip().removesuffix(".md"))
        if "/" in name:
            return (self.by_path.get(posixpath.normpath(posixpath.join(folder.lower(), name)))
                    or self.by_path.get(name) or self.by_tail.get(name))
        found = self.by_stem.get(name)
        if found:
            near = [page for where, page in found if where == folder]
            return near[0] if near else min(found, key=lambda fp: (fp[0].count("/"), fp[0]))[1]
        return self.by_name.get(name)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    return (text if text.isascii() else unicodedata.normalize("NFC", text)).lower()


class _LineCounter:
    """The file line of an offset in a text, counted on from the last offset asked (offsets
    come in increasing order, so the text is scanned once, not once per link)."""

    def __init__(self, text: str, first_line: int):
        self.text, self.offset, self.line = text, 0, first_line

    def __call__(self, offset: int) -> int:
        if offset < self.offset:
            self.offset, self.line = 0, self.line - self.text.count("\n", 0, self.offset)
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


class Linker:
    """Rewrites the references of each imported page (see the module's docstring)."""

    def __init__(self, registry: Registry, pages: Pages):
        self.registry = registry
        self.pages = pages
        self.stubs: list[tuple[str, str, str]] = []  # (target, where, inner) per kb-stub number

    def rewrite(self, source: Source, page: Draft, lines: list[str]
                ) -> tuple[list[str], list[str], list[bool]]:
        """The page's lines with their references rewritten, the `#tags` found, and which lines
        are code or comment as a whole (for the outline)."""
        text = "\n".join(lines)
        masked = mask_code(text)
        spans: list[tuple[int, int, str]] = []
        at = _LineCounter(text, source.first_line)
        for match in WIKILINK.finditer(masked):
            start = match.start() - (match.start() > 0 and masked[match.start() - 1] == "!")
            new = self._wikilink(source, page, match.group(1), start < match.start(),
                                 at(start))
            if new is not None:
                spans.append((start, match.end(), new))
        for match in MDLINK.finditer(masked):
            if any(s <= match.start() < e for s, e, _ in spans):
                continue
            start = match.start() - (match.start() > 0 and masked[match.start() - 1] == "!")
            new = self._mdlink(source, page, text[start:match.end()], match.group(1),
                               match.group(2), start < match.start(), at(start))
            if new is not None:
                spans.append((start, match.end(), new))
        # Comments and code are masked: their `#words` are no tags.
        tags = [m.group(1) for m in _TAG.finditer(masked)
                if m.start() == 0 or masked[m.start() - 1].isspace()]  # `page#part` is no tag
        for start, end, new in sorted(spans, reverse=True):
            text = text[:start] + new + text[end:]
        if not lines:  # a page of front matter only: no line, not one empty line
            return [], list(dict.fromkeys(tags)), []
        return text.split("\n"), list(dict.fromkeys(tags)), hidden_lines(lines, masked.split("\n"))

    # --- [[wikilinks]] and ![[embeds]] ---------------------------------------------------
    def _wikilink(self, source: Source, page: Draft, inner: str, embed: bool, line: int
                  ) -> str | None:
        target, anchor, label = parse_wikilink(inner)
        if not target:
            return None
        name = target.rsplit("/", 1)[-1]
        if "." in name and not name.lower().endswith(".md"):
            alt = name if label is None or _SIZE.fullmatch(label) else label
            size = f'{{ width="{label.split("x")[0]}" }}' if label and _SIZE.fullmatch(label) else ""
            written = f"{'!' * embed}[[{inner}]]"
            dest = self._attachment(source, page, target, line, written, by_name=True)
            if dest is None:
                return as_code(written)
            return f"{'!' * embed}[{alt}]({ASSET_SCHEME}{dest}){size}"
        found = self.pages.find(target, source.folder)
        shown = label or (f"{target}#{anchor}" if anchor else target)
        hash_part = f"#{anchor}" if anchor else ""
        base = self.registry.index.resolve_name(target)
        if found is not None:
            if base is None and "/" not in target and fold(found.title) == fold(target) \
                    and self.pages.unique(target):
                return None  # the page's own title: the link resolves as written
            return f"{'!' * embed}[[{found.id}{hash_part}|{shown}]]"
        if base is not None:
            return None  # a note already in the base: the link resolves as written
        self.stubs.append((target, f"{source.shown}:{line}", inner))
        return f"{'!' * embed}[[{STUB_SCHEME}{len(self.stubs) - 1}{hash_part}|{shown}]]"

    # --- [text](target) and ![alt](target) ------------------------------------------------
    def _mdlink(self, source: Source, page: Draft, written: str, label: str, url: str,
                embed: bool, line: int) -> str | None:
        if url.startswith("#"):
            return None
        lowered = url.lower()
        if lowered.startswith(("http://", "https://")):
            notion = _NOTION_URL.search(url)
            if notion and notion.group(1) in self.pages.by_notion:
                return f"[[{self.pages.by_notion[notion.group(1)].id}|{label or url}]]"
            if embed:
                self._problem(REMOTE_IMAGE, source, line, f"image {url[:80]!r} is on another host; "
                                                          "made a link to it")
                return f"[{label or 'image'}]({url})"
            return None
        if lowered.startswith("data:"):
            return self._data(source, page, label, url, embed, line, written)
        if lowered.startswith("file:") or url.startswith(("/", "~", "\\")) or re.match(r"[A-Za-z]:[\\/]", url):
            return self._outside(source, url, line, written)
        if _SCHEME.match(html.unescape(url)):
            return None  # mailto:, and schemes (however encoded) the sanitiser judges
        path = unquote(url.split("#", 1)[0].split("?", 1)[0])
        anchor = url.split("#", 1)[1] if "#" in url else ""
        rel = posixpath.normpath(posixpath.join(source.folder, path)) if path else ""
        if not path:
            return None
        if path.startswith("/") or not source.export.contains(rel):
            return self._outside(source, url, line, written)
        if _WEB_ADDRESS.match(path) and source.export.inside(rel) is None:
            return None  # `arxiv.org/abs/...`: a web address written without its scheme
        suffix = PurePosixPath(path).suffix.lower()
        if suffix in (".md", "", ".csv") and (found := self._page_at(rel)) is not None:
            return f"{'!' * embed}[[{found.id}{'#' + anchor if anchor else ''}|{label or found.title}]]"
        if suffix == ".md":
            notion = NOTION_NAME.match(PurePosixPath(path).stem)
            name = notion.group("name") if notion else path
            kind = "Notion page" if notion else "page"
            self._problem(MISSING_PAGE, source, line,
                          f"link to {kind} '{name}' that is not in the import; kept as text")
            return as_code(written)
        dest = self._attachment(source, page, path, line, written)
        if dest is None:
            return as_code(written)
        return f"{'!' * embed}[{label}]({ASSET_SCHEME}{dest})"

    def _page_at(self, rel: str) -> Draft | None:
        found = self.pages.by_path.get(fold(re.sub(r"\.(md|csv)$", "", rel)))
        if found is None:
            notion = NOTION_NAME.match(PurePosixPath(rel).stem)
            found = self.pages.by_notion.get(notion.group("hex")) if notion else None
        return found

    def _outside(self, source: Source, url: str, line: int, written: str) -> str:
        self._problem(OUTSIDE, source, line, f"'{unquote(url)[:120]}' is outside the export; "
                                             "not read, kept as text")
        return as_code(written)

    # --- files -----------------------------------------------------------------------------
    def _attachment(self, source: Source, page: Draft, target: str, line: int, written: str,
                    by_name: bool = False) -> str | None:
        """The base path a file of the export will be copied to, or None (reported)."""
        export = source.export
        rel = posixpath.normpath(posixpath.join(source.folder, target))
        if target.startswith("/") or not export.contains(rel):
            self._outside(source, target, line, written)
            return None
        found = export.inside(rel)
        if found is None and by_name:
            for candidate in (posixpath.normpath(target), *self._named(source, target)):
                if export.contains(candidate) and (found := export.inside(candidate)) is not None:
                    break
        if found is None:
            if exists_outside(export, rel):
                self._outside(source, target, line, written)
                return None
            self._problem(MISSING_FILE, source, line,
                          f"image '{target}' is not present; kept as text, not invented"
                          if embed_like(written) else
                          f"file '{target}' is not present; kept as text, not invented")
            return None
        return self._asset(page, str(found), PurePosixPath(target).name, found, None,
                           f"{source.shown}:{line}")

    def _named(self, source: Source, target: str) -> list[str]:
        """Files of the export with this name (Obsidian finds attachments by name alone)."""
        matches = source.export.named(target.rsplit("/", 1)[-1])
        return sorted(matches, key=lambda f: (posixpath.dirname(f) != source.folder, f.count("/"), f))

    def _data(self, source: Source, page: Draft, label: str, url: str, embed: bool, line: int,
              written: str) -> str:
        found = _DATA.match(url)
        data = None
        if found and len(url) <= MAX_DATA * 4 // 3 + 100:
            try:
                data = base64.b64decode("".join(found.group(2).split()), validate=True)
            except (binascii.Error, ValueError):
                data = None
        if not found or not data:
            self._problem(BAD_DATA, source, line, "a data: URL that is not a base64 image; kept "
                                                  "as text")
            return as_code(written)
        ext = {"jpeg": "jpg", "svg+xml": "svg"}.get(found.group(1), found.group(1))
        digest = hashlib.sha256(data).hexdigest()[:12]
        dest = self._asset(page, digest, f"pasted-image-{digest}.{ext}", None, data,
                           f"{source.shown}:{line}")
        return f"{'!' * embed}[{label}]({ASSET_SCHEME}{dest})"

    def _asset(self, page: Draft, origin: str, name: str, src: Path | None, data: bytes | None,
               where: str) -> str:
        known = self.registry.asset_of.get(origin)  # one copy of a file, whichever pages show it
        if known is not None:
            return known
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        clean = name if re.fullmatch(r"[\w .()-]{1,100}", name) else (
            f"{slug(stem)[:60]}{'.' + ext.lower() if ext else ''}")
        folder = f"{ASSETS}/{page.id}"
        dest, number = f"{folder}/{clean}", 2
        while dest in self.registry.assets or not _same_or_absent(self.registry, dest, src, data):
            base, dot, ext = clean.rpartition(".")
            dest = f"{folder}/{base or clean}-{number}{dot}{ext if base else ''}"
            number += 1
        self.registry.assets[dest] = Asset(dest, where, src, data)
        self.registry.asset_of[origin] = dest
        return dest

    def _problem(self, code: Code, source: Source, line: int, message: str) -> None:
        self.registry.problems.append(code.at(source.shown, line, message))


def embed_like(written: str) -> bool:
    return written.startswith("!")


def exists_outside(export: Export, rel: str) -> bool:
    """A path inside the export that exists but leads out (a link): reported as outside."""
    path = os.path.join(export.real, rel)
    if not os.path.lexists(path):
        return False
    real = os.path.realpath(path)
    return real != export.real and not real.startswith(export.real.rstrip(os.sep) + os.sep)


def _same_or_absent(registry: Registry, dest: str, src: Path | None, data: bytes | None) -> bool:
    """Whether `dest` in the base is free, or already holds exactly these bytes (a re-run)."""
    target = registry.root / dest
    if not target.exists():
        return True
    try:
        wanted = data if data is not None else src.read_bytes() if src is not None else b""
        return target.read_bytes() == wanted
    except OSError:
        return False
