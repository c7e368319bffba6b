"""Concept demos: find them in notes, run them in their own processes, cache what they print.

    blocks  fenced `python demo` blocks and their options (timeout=, session=)
    jobs    blocks grouped into processes (a session is one), each with its cache key
    runner  one job in a sandboxed `python` process: timeout, memory limit, one BLAS thread
    child   the program that process runs (standalone)
    cache   results on disk under <root>/.kb-cache/demos/, keyed by code and versions
    batch   run_all: cache-aware and parallel, with a progress callback; findings as Problems

No MkDocs and no click here: the site's Markdown extension, the plugin and `kb demo` call in.
"""

from typing import TYPE_CHECKING, Any

from .blocks import DEMO_OPEN, Demo, demo_blocks, has_demo, parse_options, runs_demos

if TYPE_CHECKING:
    from .batch import Outcome, RunReport, base_settings, problems, run_all, run_base, summary
    from .cache import DemoCache, block_key
    from .jobs import Job, base_jobs, note_jobs, plan_jobs
    from .runner import BlockResult, RunSettings, run_blocks

# The runner side loads when first asked for (PEP 562): `kb check` asks only whether a note has a
# demo, and importing the runner, the cache and their dependencies cost it 90 ms.
_LAZY = {name: module for module, names in {
    "batch": ("Outcome", "RunReport", "base_settings", "problems", "run_all", "run_base", "summary"),
    "cache": ("DemoCache", "block_key"),
    "jobs": ("Job", "base_jobs", "note_jobs", "plan_jobs"),
    "runner": ("BlockResult", "RunSettings", "run_blocks"),
}.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f".{module}", __name__), name)


__all__ = ["DEMO_OPEN", "BlockResult", "Demo", "DemoCache", "Job", "Outcome", "RunReport",
           "RunSettings", "base_jobs", "base_settings", "block_key", "demo_blocks", "has_demo", "parse_options",
           "note_jobs", "plan_jobs", "problems", "run_all", "run_base", "run_blocks", "runs_demos",
           "summary"]
