"""The `python demo` fence: the code, highlighted like any code block, then what it printed.

    markdown.Markdown(extensions=[DemoExtension(cache_dir=".kb-cache/demos")])

A preprocessor (ahead of the fenced-code one: pymdownx.superfences reads a bare `demo` word in an
info string as inline code) replaces each demo block with a wrapper, a plain ```python block for
the code (so highlighting and copy buttons are the site's usual ones), a bar and the build-time
output, labelled as the build's: stdout and stderr in separate labelled blocks, figures as `<img>`
of base64 SVG (never inline SVG markup), and an error box with the traceback or the timeout. All
text is HTML-escaped. Results come from the demo cache; a miss runs the page's demos at once
unless `execute` is off. The browser's runner (assets/kb/demo.js) puts Run/Edit/Reset/Stop in the
bar, between the code and the output, so a run's output shows next to the button that asked.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from ...demos import DemoCache, RunReport, RunSettings, demo_blocks, plan_jobs, run_all
from ...demos.blocks import Demo
from ...demos.runner import DEFAULT_MEMORY_MB, BlockResult
from .context import current_page
from .pipeline import add
from .sanitise import trusted

NOT_RUN = ("Not run at build time (the site was built without executing demos). "
           "Press Run to see its output.")


def _ignore(report: RunReport) -> None:
    """The default `on_report` (Python-Markdown would read a None default as a boolean)."""


def _everywhere(page: str | None) -> bool:
    """The default `runs_on`: outside a knowledge base, every page's demos run."""
    return True


class DemoExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "cache_dir": ["", "Folder of the demo cache ('' keeps results in memory only)"],
            "execute": [True, "Run demos missing from the cache (False: show cached output only)"],
            "memory_mb": [DEFAULT_MEMORY_MB, "Address-space limit of a demo's process, in MB"],
            "scratch": ["", "A lasting folder for tools' caches (matplotlib's fonts)"],
            "on_report": [_ignore, "Called with each page's RunReport (counts what ran)"],
            "runs_on": [_everywhere, "Called with the page being converted (its marker's src, or "
                                     "None): do its demos run? Elsewhere they are plain code"],
            "cache": ["", "A DemoCache to share (the kb plugin's, filled by its batch run); "
                            "else one on cache_dir, made once for every page ('' as the default: "
                          "Python-Markdown reads a None default as a yes/no option)"],
        }
        super().__init__(**kwargs)
        self._cache: DemoCache | None = None

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        if "fenced_code_block" not in md.preprocessors:
            md.registerExtensions(["fenced_code"], {})  # plain Markdown: render the code block
        config = self.getConfigs()
        scratch = Path(config["scratch"]) if config["scratch"] else None
        settings = RunSettings(memory_mb=int(config["memory_mb"]), scratch=scratch)
        if self._cache is None:
            self._cache = config["cache"] or DemoCache(Path(config["cache_dir"]) if config["cache_dir"] else None)
        cache = self._cache
        processor = DemoPreprocessor(md, cache, settings, bool(config["execute"]),
                                     config["on_report"], config["runs_on"])
        add(md, "preprocessors", "kb_demo", processor)


class DemoPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, cache: DemoCache, settings: RunSettings, execute: bool,
                 on_report: Callable[[RunReport], None],
                 runs_on: Callable[[str | None], bool] = _everywhere) -> None:
        super().__init__(md)
        self.cache, self.settings, self.execute, self.on_report = cache, settings, execute, on_report
        self.runs_on = runs_on

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        demos = demo_blocks(text) if "demo" in text else []
        if not demos:
            return lines
        ready = demos if self.runs_on(current_page(self.md)) else []
        results: dict[int, tuple[BlockResult | None, str | None]] = {}
        if ready:
            report = run_all(plan_jobs(ready, settings=self.settings), self.cache, self.settings,
                             execute=self.execute)
            self.on_report(report)
            for outcome in report.outcomes:
                demo = outcome.job.demos[outcome.index]
                results[demo.line] = (outcome.result, demo.session)
        numbers = {demo.line: number for number, demo in enumerate(ready)}
        out: list[str] = []
        position = 0
        for demo in demos:
            out.extend(lines[position:demo.line - 1])
            if demo.line in results:
                result, session = results[demo.line]
                out.extend(self._block(numbers[demo.line], demo, result, session))
            else:  # not run here: plain Python code, no widget
                out.append(" " * demo.indent + demo.fence + "python")
                out.extend(lines[demo.line:demo.end])
            position = demo.end
        out.extend(lines[position:])
        return out

    def _block(self, number: int, demo: Demo, result: BlockResult | None,
               session: str | None) -> list[str]:
        def stash(html: str) -> str:
            return trusted(self.md, html)

        shared = f' data-kb-session="{escape(session)}"' if session else ""
        opening = f'<div class="kb-demo" data-kb-demo="{number}"{shared}>'
        bar = '<div class="kb-demo-bar"><span class="kb-demo-title">Demo</span></div>'
        code = demo.code[:-1] if demo.code.endswith("\n") else demo.code
        return ["", stash(opening), "", f"{demo.fence}python", *code.split("\n"), demo.fence, "",
                stash(bar + render_output(result) + "\n</div>"), ""]


def render_output(result: BlockResult | None) -> str:
    """The build-time output of one block as HTML (every piece of text escaped)."""
    parts = ['<div class="kb-demo-output" data-kb-output="build">'
             '<p class="kb-demo-source">From the build</p>']
    if result is None:
        parts.append(f'<p class="kb-demo-note">{escape(NOT_RUN)}</p>')
    else:
        if result.stdout:
            parts.append(_stream("stdout", "Output", result.stdout))
        if result.stderr:
            parts.append(_stream("stderr", "Standard error", result.stderr))
        for number, svg in enumerate(result.figures, 1):
            data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
            parts.append(f'<figure class="kb-demo-figure"><img src="data:image/svg+xml;base64,{data}" '
                         f'alt="Figure {number} drawn by the demo"></figure>')
        if not result.ok:
            parts.append('<div class="kb-demo-error" role="alert">'
                         f'<div class="kb-demo-label">{escape(_error_title(result))}</div>'
                         f"<pre>{escape(result.error.rstrip())}</pre></div>")
        elif not (result.stdout or result.stderr or result.figures):
            parts.append('<p class="kb-demo-note">The demo printed nothing.</p>')
    parts.append("</div>")
    return "".join(parts)


def _stream(name: str, label: str, text: str) -> str:
    return (f'<div class="kb-demo-stream kb-demo-{name}"><div class="kb-demo-label">{label}</div>'
            f"<pre><code>{escape(text)}</code></pre></div>")


def _error_title(result: BlockResult) -> str:
    return {"timeout": "Timed out", "memory": "Out of memory",
            "skipped": "Not run"}.get(result.status, "Error")


def makeExtension(**kwargs: Any) -> DemoExtension:
    return DemoExtension(**kwargs)
