"""What a site build keeps for the next one: the map of what each page read (`depmap`), and each
page's output, search entries and warnings. `kb build` keeps it in `.kb-cache/site/`; `kb serve`
keeps it in memory, its pages staying in the folder it serves.

On disk: `manifest.json` (plain JSON: the fingerprint of the configuration and code it was built
with, the map, each page's record, the graph's layout, the site folder written and the stamp of
each page written there) and `pages/<hash of the page>.html`. A page whose file in the site folder
still has the stamp the last build left is not written again. The manifest is removed before a
build changes any page file and written last, so a build that stops half-way leaves no manifest,
and the next build renders everything. Like every cache of the base it is disposable, and it is
never read or written through a link leading out of the root.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..notes.atomic import write_atomic
from ..notes.inside import is_inside
from .depmap import DepMap
from .mkdocs_api import Reused

FOLDER = Path(".kb-cache") / "site"
VERSION = 3  # of the manifest's layout
Stamp = tuple[int, int]  # a file's size and modification time


@dataclass
class PageRecord:
    """One built page: where its output goes in the site, its search entries, the warnings
    its build logged, and those it left on the context (reported at the end of a build)."""

    dest: str  # relative to the site folder
    search: list[Any] = field(default_factory=list)
    logged: list[str] = field(default_factory=list)
    noted: list[str] = field(default_factory=list)
    stamp: Stamp | None = None  # of its file in the site folder, as the build left it


@dataclass
class SiteCache:
    fingerprint: str
    depmap: DepMap = field(default_factory=DepMap)
    pages: dict[str, PageRecord] = field(default_factory=dict)
    layout: tuple[str, dict[str, Any]] | None = None  # (graph structure digest, positions)
    site: str | None = None  # the site folder the pages were written to (its real path)

    def as_json(self) -> dict[str, Any]:
        return {"version": VERSION, "fingerprint": self.fingerprint, "map": self.depmap.as_json(),
                "pages": {src: [r.dest, r.search, r.logged, r.noted, r.stamp]
                          for src, r in self.pages.items()},
                "layout": list(self.layout) if self.layout else None, "site": self.site}

    @classmethod
    def from_json(cls, data: Any) -> SiteCache:
        """ValueError when `data` is not a manifest of this version."""
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ValueError("not a site cache manifest of this version")
        pages = {str(src): PageRecord(str(dest), list(search), list(logged), list(noted),
                                      (int(stamp[0]), int(stamp[1])) if stamp else None)
                 for src, (dest, search, logged, noted, stamp) in data["pages"].items()}
        layout, site = data.get("layout"), data.get("site")
        return cls(str(data["fingerprint"]), DepMap.from_json(data["map"]), pages,
                   (str(layout[0]), dict(layout[1])) if layout else None,
                   str(site) if site else None)


class Store:
    """Where page outputs are kept between builds. The base class keeps nothing: the site
    folder itself holds the previous outputs (`kb serve`, which also keeps its graph's layout
    in memory, new nodes placed beside their neighbours)."""

    keeps_layout = False  # whether the global layout is kept with the cache

    def reused(self, src: str, record: PageRecord) -> Reused | None:
        return Reused(None, record.search, record.logged)

    def keep(self, src: str, dest: str) -> None:
        """A page was built at `dest`."""

    def start(self) -> None:
        """Pages are about to be written (the previous manifest stops being valid)."""

    def drop(self, site_dir: str, record: PageRecord) -> None:
        """A page of the last build is gone: its output leaves the site folder."""
        Path(site_dir, record.dest).unlink(missing_ok=True)


class FolderStore(Store):
    """Outputs in `<root>/.kb-cache/site/pages/`, copied into the site by each build."""

    keeps_layout = True  # laid out again only when the graph's nodes or edges change

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.folder = self.root / FOLDER
        self.site: Path | None = None  # the site folder still holding the last build's pages
        self.usable = all(is_inside(self.root, path) for path in
                          (self.folder, self.folder / "pages", self.folder / "manifest.json"))

    def page_file(self, src: str) -> Path:
        name = hashlib.blake2b(src.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
        return self.folder / "pages" / f"{name}.html"

    def reused(self, src: str, record: PageRecord) -> Reused | None:
        if self.site is not None and record.stamp is not None \
                and stamp_of(self.site / record.dest) == record.stamp:
            return Reused(None, record.search, record.logged)  # the site folder has it as left
        try:
            html = self.page_file(src).read_bytes()
        except OSError:
            return None  # lost: the page is built again
        return Reused(html, record.search, record.logged)

    def keep(self, src: str, dest: str) -> None:
        if self.usable:
            target = self.page_file(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(dest, target)

    def drop(self, site_dir: str, record: PageRecord) -> None:
        pass  # the build emptied the site folder

    def start(self) -> None:
        if self.usable:
            (self.folder / "manifest.json").unlink(missing_ok=True)

    def load(self) -> SiteCache | None:
        """The cache the last build left, or None (none, unreadable, or of another version)."""
        if not self.usable:
            return None
        try:
            return SiteCache.from_json(json.loads((self.folder / "manifest.json").read_bytes()))
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None

    def save(self, cache: SiteCache) -> None:
        if not self.usable:
            return
        pages = self.folder / "pages"
        wanted = {self.page_file(src).name for src in cache.pages}
        if pages.is_dir():
            for old in os.scandir(pages):
                if old.name not in wanted:
                    os.unlink(old.path)
        text = json.dumps(cache.as_json(), ensure_ascii=False, separators=(",", ":"))
        write_atomic(self.folder / "manifest.json", text, durable=False, root=self.root)


def stamp_of(path: Path) -> Stamp | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns
