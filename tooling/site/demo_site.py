"""What the site needs around demos, as plain functions the MkDocs plugin calls.

- `extension_config`: how the plugin configures the `demo` Markdown extension.
- `demo_results`: a note's demo blocks with their cached results (what its page shows of them).
- `cross_origin_isolated`: WSGI middleware for `kb serve` sending COOP/COEP, so the browser grants
  SharedArrayBuffer and Stop can interrupt Python instead of restarting it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..demos import DemoCache, RunReport, RunSettings, demo_blocks, has_demo, plan_jobs, runs_demos
from ..demos.batch import base_settings
from ..model import Note
from .markdown.context import Context

EXTENSION = "tooling.site.markdown.demo"
STYLE = "assets/kb/demo.css"  # on every page, registered once; kb.js loads demo.js where needed
ISOLATION_HEADERS = [("Cross-Origin-Opener-Policy", "same-origin"),
                     ("Cross-Origin-Embedder-Policy", "require-corp")]


@dataclass
class DemoTally:
    """How many blocks a build ran, took from the cache, or left unrun: the proof that a warm
    rebuild executes nothing."""

    executed: int = 0
    from_cache: int = 0
    not_run: int = 0
    failed: int = 0

    def add(self, report: RunReport, cached_too: bool = True) -> None:
        self.executed += report.executed
        if cached_too:
            self.from_cache += report.from_cache
            self.not_run += report.not_run
            self.failed += len(report.failed)

    def describe(self) -> str:
        total = self.executed + self.from_cache + self.not_run
        parts = [f"{self.executed} run", f"{self.from_cache} from the cache"]
        if self.not_run:
            parts.append(f"{self.not_run} not run")
        return f"{total} demo block{'s' * (total != 1)}: {', '.join(parts)}, {self.failed} failed"


def extension_config(root: Path, execute: bool, on_report: Callable[[RunReport], None],
                     cache: DemoCache, context: Callable[[], Context]) -> dict[str, Any]:
    """The demo extension's options in a build: the cache the plugin's batch run filled (so no
    page reads a result from disk again), the base's settings, and which pages run demos (those
    of the notes whose kind runs them; `context` gives the build's current one)."""

    def runs_on(src: str | None) -> bool:
        ctx = context()
        page = ctx.pages.get(src) if src else None
        note = ctx.kb.note(page.node) if page is not None and page.node else None
        return note is not None and runs_demos(note)

    return {"cache": cache, "cache_dir": str(cache.folder or ""), "execute": execute,
            "scratch": str(base_settings(root).scratch or ""), "on_report": on_report,
            "runs_on": runs_on}


def demo_results(cache: DemoCache, settings: RunSettings, note: Note) -> list[tuple[str, Any]]:
    """Each demo block of `note` (as a page runs them) with its cache key and cached result:
    what the note's page shows of its demos, so a changed result makes the page stale."""
    if not runs_demos(note):
        return []
    return [(key, result.as_dict() if (result := cache.get(key)) is not None else None)
            for key in _demo_keys(note.body, settings)]


@functools.lru_cache(maxsize=4096)
def _demo_keys(body: str, settings: RunSettings) -> tuple[str, ...]:
    """The cache keys of a text's demo blocks (a note's body: the same after most saves)."""
    if not has_demo(body):
        return ()
    return tuple(key for job in plan_jobs(demo_blocks(body), settings=settings) for key in job.keys)


def cross_origin_isolated(app: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a WSGI app so every response carries the cross-origin isolation headers. The site
    loads only its own files, which such pages may always load."""

    def isolated(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(status, [*headers, *ISOLATION_HEADERS], exc_info)

        return app(environ, start)

    return isolated
