"""Concept demos: find them in notes, run them in their own processes, cache what they print.

    blocks  fenced `python demo` blocks and their options (timeout=, session=)
    jobs    blocks grouped into processes (a session is one), each with its cache key
    runner  one job in a sandboxed `python` process: timeout, memory limit, one BLAS thread
    child   the program that process runs (standalone)
    cache   results on disk under <root>/.kb-cache/demos/, keyed by code and versions
    batch   run_all: cache-aware and parallel, with a progress callback; findings as Problems

No MkDocs and no click here: the site's Markdown extension, the plugin and `kb demo` call in.
"""

from .batch import Outcome, RunReport, base_settings, problems, run_all, run_base, summary
from .blocks import DEMO_OPEN, Demo, demo_blocks, has_demo, parse_options
from .cache import DemoCache, block_key
from .jobs import Job, base_jobs, note_jobs, plan_jobs, runs_demos
from .runner import BlockResult, RunSettings, run_blocks

__all__ = ["DEMO_OPEN", "BlockResult", "Demo", "DemoCache", "Job", "Outcome", "RunReport",
           "RunSettings", "base_jobs", "base_settings", "block_key", "demo_blocks", "has_demo", "parse_options",
           "note_jobs", "plan_jobs", "problems", "run_all", "run_base", "run_blocks", "runs_demos",
           "summary"]
