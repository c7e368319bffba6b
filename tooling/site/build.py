"""`kb build` and `kb serve`: MkDocs with the notes root's mkdocs.yml, or the tool's default one."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import KbError
from ..notes.files import every_folder
from ..notes.inside import real_root, within
from ..schema import NOTE_DIRS

DEFAULT_CONFIG = Path(__file__).resolve().parent / "default-mkdocs.yml"


def config_file(root: Path) -> Path:
    """The root's own mkdocs.yml when it has one, else the tool's default configuration."""
    own = root / "mkdocs.yml"
    return own if own.is_file() else DEFAULT_CONFIG


class SiteFolderError(KbError):
    """A site folder a build must not write to (building empties it first)."""

    exit_code = 2


def site_folder_problem(root: Path, site_dir: Path) -> str | None:
    """Why `site_dir` must not receive the site of the notes under `root` (None when it may):
    a build empties the folder first, so it must not be a link (whose target would be emptied),
    the root or a folder holding it, a folder inside a note folder, or one holding note folders
    (another base). The one rule for `kb build`, `kb serve` and plain `mkdocs build`."""
    if os.path.islink(str(site_dir).rstrip("/") or "/"):
        return (f"it is a link (to {os.path.realpath(site_dir)}); give that folder itself with -d "
                "if you mean it")
    real, base = os.path.realpath(site_dir), real_root(root)
    if real == base:
        return "it is the notes root"
    if within(base, real):
        return f"it holds the notes root ({base})"
    for folder in NOTE_DIRS:
        if within(real, os.path.join(base, folder)):
            return f"it lies inside the note folder {folder}/"
        if _holds_notes(os.path.join(real, folder)):
            return f"it holds a note folder with notes in it ({folder}/): another knowledge base"
    return None


def _holds_notes(folder: str, budget: int = 10_000) -> bool:
    """Whether `folder` holds a Markdown file (a built site holds none: its pages are HTML),
    looking at no more than `budget` entries."""
    for _, files in every_folder(folder):
        if any(name.endswith(".md") for name in files):
            return True
        budget -= len(files) + 1
        if budget <= 0:
            return False
    return False


def check_site_folder(root: Path, site_dir: Path) -> None:
    """SiteFolderError (exit 2) naming the folder and the reason, when it must not be written."""
    problem = site_folder_problem(root, site_dir)
    if problem is not None:
        raise SiteFolderError(f"refusing to write the site to {site_dir}: {problem}; a build "
                              "first deletes what its site folder holds")


def site_config(root: Path, site_dir: Path, strict: bool = False, execute: bool = True,
                dev_addr: str | None = None) -> Any:
    """The MkDocs configuration of the notes under `root` (its own mkdocs.yml or the tool's),
    with the kb plugin's settings given to the plugin itself: the root, and whether demos run."""
    from mkdocs.config import load_config

    extra = {"dev_addr": dev_addr} if dev_addr else {}
    config = load_config(config_file=str(config_file(root)), site_dir=str(site_dir), strict=strict,
                         **extra)
    plugin = config.plugins.get("kb")
    if plugin is not None:
        plugin.config["root"] = str(root.resolve())
        plugin.config["execute"] = execute
    return config


@dataclass(frozen=True)
class SiteBuilt:
    """Where a build wrote the site, and how many of its pages it rendered (the others came
    from the cache)."""

    folder: Path
    rendered: int
    pages: int


def build_site(root: Path, site_dir: Path | None = None, strict: bool = False,
               execute: bool = True, clean: bool = False) -> SiteBuilt:
    """Build the static site of the notes under `root`. Without `execute`, demos missing from
    the cache are not run (their cached output is still shown). Pages whose inputs are unchanged
    since the last build come from `.kb-cache/site/`; with `clean` that cache is not read (it
    is written afresh)."""
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    from .incremental import build_cached
    from .mkdocs_api import outputs
    from .sitecache import FolderStore

    given = site_dir or root / "site"
    check_site_folder(root, given)
    target = given.resolve()
    store = FolderStore(root)
    previous = None if clean else store.load()
    # The site folder the last build wrote, untouched since: its pages stay, the rest goes.
    in_place = previous is not None and previous.site == os.path.realpath(target) and target.is_dir()
    store.site = target if in_place else None
    try:
        config = site_config(root, target, strict, execute)
        built = build_cached(config, previous, store, clean=not in_place)
        if in_place:
            remove_others(target, outputs(built.host))
        store.save(built.cache)
        if built.failed:
            raise Abort(f"Aborted with {built.failed} in strict mode!")
    except (Abort, ConfigurationError, PluginError) as exc:
        raise KbError(f"site build failed: {exc}") from None
    return SiteBuilt(target, len(built.rendered), len(built.cache.pages))


def remove_others(site: Path, wanted: set[str]) -> None:
    """Delete from the site folder every file a build did not write (a deleted note's page, a
    removed attachment), and the folders left empty: what emptying it first would have done.
    Links are removed, never followed; folders are walked in a loop (a thousand levels deep)."""
    folders = []
    for folder, names in every_folder(site):
        folders.append(folder)
        for name in names:
            path = os.path.join(folder, name)
            if os.path.normpath(path) not in wanted:
                os.unlink(path)
    for folder in sorted(folders[1:], key=lambda f: f.count(os.sep), reverse=True):
        if not os.listdir(folder):
            os.rmdir(folder)


def serve_site(root: Path, address: str = "127.0.0.1:8000") -> None:
    """Serve the site with live reload, rebuilding only the pages an edit touches."""
    from .serve import serve

    serve(root.resolve(), address)
