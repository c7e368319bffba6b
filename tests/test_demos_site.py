"""Demos in the site: real MkDocs builds of a small fixture base, checked in the HTML; the
Markdown extension alone; `kb serve`'s isolation headers. Executions are counted from the
library's reports (the plugin keeps its build's RunReport), never timed."""

from __future__ import annotations

import base64
import importlib.util
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path

import markdown
import pytest
from helpers import run_kb
from site_helpers import DEMO_BASE, kb_serve, poll, require_runtime

from tooling.site import runtime
from tooling.site.markdown.demo import NOT_RUN, DemoExtension

HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
BLOCKS = 7  # demo blocks in the fixture base


@contextmanager
def _env(**values: str | None) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def build(root: Path, out: Path, execute: bool = True):
    """A real MkDocs build of the notes under `root`; returns the kb plugin (its `demo_report`
    and `demos` tally say what ran)."""
    from mkdocs.commands.build import build as mkdocs_build

    from tooling.site.build import site_config

    config = site_config(root, out, execute=execute)
    mkdocs_build(config)
    return config.plugins["kb"]


def copy_base(target: Path, with_cache_of: Path | None = None) -> Path:
    shutil.copytree(DEMO_BASE, target)
    if with_cache_of is not None:
        shutil.copytree(with_cache_of / ".kb-cache", target / ".kb-cache")
    return target


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    root = copy_base(tmp_path_factory.mktemp("base") / "kb")
    out = tmp_path_factory.mktemp("site")
    plugin = build(root, out)
    return root, out, plugin


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def demo_parts(html: str) -> list[str]:
    """Each demo's wrapper on a page."""
    return re.findall(r'<div class="kb-demo" .*?<div class="kb-demo-output".*?</div>\n</div>', html,
                      re.DOTALL)


def stream(html: str, name: str) -> str:
    found = re.search(rf'<div class="kb-demo-stream kb-demo-{name}">.*?<pre><code>(.*?)</code></pre>',
                      html, re.DOTALL)
    return unescape(found.group(1)) if found else ""


def test_outputs_appear_in_the_html_with_stderr_apart_and_escaped(first):
    _, site, plugin = first
    html = page(site, "concepts/printing")
    stdout, stderr = stream(html, "stdout"), stream(html, "stderr")
    assert "mean of 1..4 = 2.5" in stdout and "a warning on stderr" not in stdout
    assert stderr == "a warning on stderr\n"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;not bold&lt;/b&gt;" in html
    assert "<script>alert(1)" not in html and "<b>not bold" not in html
    assert plugin.demos.executed == BLOCKS and plugin.demos.from_cache == 0


def test_the_code_shows_first_highlighted_like_any_code_block(first):
    _, site, _ = first
    (demo,) = demo_parts(page(site, "concepts/printing"))
    assert demo.index('<div class="highlight">') < demo.index('class="kb-demo-output"')
    assert '<span class="kn">import</span>' in demo


@pytest.mark.skipif(not HAS_MATPLOTLIB, reason="matplotlib is not installed (the `figures` extra)")
def test_a_figure_is_embedded_as_a_base64_svg_image(first):
    _, site, _ = first
    (demo,) = demo_parts(page(site, "concepts/plotting"))
    images = re.findall(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', demo)
    assert len(images) == 1
    svg = base64.b64decode(images[0]).decode()
    assert "<svg" in svg and "kb-figure-title" in svg
    assert "<svg" not in demo  # never inline SVG markup in the page


def test_a_failing_demo_shows_its_traceback_and_keeps_what_it_printed(first):
    _, site, _ = first
    html = page(site, "concepts/failing")
    box = re.search(r'<div class="kb-demo-error" role="alert">(.*?)</div></div>', html, re.DOTALL)
    assert box is not None
    text = unescape(box.group(1))
    assert 'File "<demo>", line 3, in <module>' in text
    assert "ZeroDivisionError: division by zero" in text
    assert stream(html, "stdout") == "before the bug\n"


def test_a_failing_demo_warns_with_file_and_line_and_strict_fails(first, tmp_path):
    root, _, _ = first
    copy = copy_base(tmp_path / "kb", with_cache_of=root)  # cached failures warn as well
    result = run_kb("build", "--root", str(copy), "-d", str(tmp_path / "site"), "--strict")
    assert result.exit_code == 1
    assert "concepts/failing.md:6: demo failed: ZeroDivisionError: division by zero" in result.output
    assert "concepts/looping.md:6: demo timed out after 2 s" in result.output
    assert "concepts/hog.md:6: demo ran out of memory (limit 1024 MB)" in result.output


def test_an_endless_demo_is_killed_at_its_timeout_and_the_build_finishes(first):
    _, site, plugin = first
    html = page(site, "concepts/looping")
    assert stream(html, "stdout") == "started\n"
    assert '<div class="kb-demo-label">Timed out</div><pre>timed out after 2 s</pre>' in html
    assert (site / "concepts/session/index.html").is_file() and (site / "index.html").is_file()
    statuses = {o.where: o.result.status for o in plugin.demo_report.outcomes}
    assert statuses["concepts/looping.md:6"] == "timeout"


def test_a_memory_hog_is_stopped(first):
    _, site, _ = first
    html = page(site, "concepts/hog")
    assert '<div class="kb-demo-label">Out of memory</div>' in html
    assert "Unable to allocate" in html and "allocated" not in stream(html, "stdout")


def test_a_shared_session_carries_state(first):
    _, site, _ = first
    setup, result = demo_parts(page(site, "concepts/session"))
    assert 'data-kb-session="counting"' in setup and 'data-kb-session="counting"' in result
    assert stream(result, "stdout") == "total is 42\n"


def test_the_second_build_executes_no_demo_and_shows_the_same_output(first, tmp_path):
    root, site, _ = first
    plugin = build(root, tmp_path / "again")
    assert plugin.demos.executed == 0
    assert plugin.demos.from_cache == BLOCKS
    for name in ("printing", "failing", "looping", "session"):
        assert demo_parts(page(tmp_path / "again", f"concepts/{name}")) == \
            demo_parts(page(site, f"concepts/{name}"))


def test_editing_one_demo_reruns_only_that_one_and_prunes_what_no_page_uses(first, tmp_path):
    root, _, _ = first
    copy = copy_base(tmp_path / "kb", with_cache_of=root)
    note = copy / "concepts/printing.md"
    note.write_text(note.read_text().replace("np.arange(1, 5)", "np.arange(1, 7)"))
    session = copy / "concepts/session.md"  # new prose moves its blocks: they need not re-run
    session.write_text(session.read_text().replace("as in a notebook.", "as in a notebook.\n\nMore.\n"))
    (copy / "concepts/hog.md").unlink()
    plugin = build(copy, tmp_path / "site")
    assert [o.where for o in plugin.demo_report.outcomes if o.ran] == ["concepts/printing.md:6"]
    assert plugin.demos.executed == 1
    assert "mean of 1..4 = 3.5" in stream(page(tmp_path / "site", "concepts/printing"), "stdout")
    kept = {p.stem for p in (copy / ".kb-cache/demos").glob("*.json")}
    assert kept == {o.key for o in plugin.demo_report.outcomes}  # old printing and hog entries gone
    assert len(kept) == BLOCKS - 1


def test_no_exec_runs_nothing_and_shows_cached_output_where_there_is_some(first, tmp_path):
    root, _, _ = first
    copy = copy_base(tmp_path / "kb", with_cache_of=root)
    note = copy / "concepts/printing.md"
    note.write_text(note.read_text().replace("np.arange(1, 5)", "np.arange(1, 9)"))
    entries = sorted((copy / ".kb-cache/demos").iterdir())
    result = run_kb("build", "--root", str(copy), "-d", str(tmp_path / "site"), "--no-exec")
    assert result.exit_code == 0, result.output
    assert sorted((copy / ".kb-cache/demos").iterdir()) == entries  # nothing ran, nothing pruned
    assert NOT_RUN in page(tmp_path / "site", "concepts/printing")
    assert stream(page(tmp_path / "site", "concepts/session"), "stdout") == "total is 42\n"
    plugin = build(copy, tmp_path / "again", execute=False)
    assert (plugin.demos.executed, plugin.demos.not_run) == (0, 1)


def test_the_runner_is_registered_once_not_spliced_into_pages(first):
    """The runner's style is one of the site's stylesheets (registered once, as markdown-exec
    registers its assets); its script is loaded by kb.js on the pages that show a demo (the
    browser tests run it), so no page's HTML is edited to add it."""
    _, site, _ = first
    for url in ("concepts/printing", "", "concepts", "graph"):
        html = page(site, url)
        assert re.search(r'<link rel="stylesheet" href="(\.\./)*assets/kb/demo\.css">', html), url
        assert "demo.js" not in html, url
    assert 'querySelector(".kb-demo")) load("assets/kb/demo.js")' in (site / "assets/kb/kb.js").read_text()
    assert (site / "assets/kb/demo.js").is_file() and (site / "assets/kb/demo-worker.js").is_file()


def test_the_vendored_runtime_is_copied_into_the_site(first):
    _, site, _ = first
    require_runtime()
    assert runtime.check() == []
    for path in runtime.files():
        assert (site / runtime.SITE_PATH / path.name).read_bytes() == path.read_bytes()
    assert not (site / runtime.SITE_PATH / "index.html").exists()  # its README is not a page


def test_without_the_runtime_the_site_builds_with_a_warning_and_keeps_build_output(tmp_path):
    root = tmp_path / "kb"
    (root / "concepts").mkdir(parents=True)
    (root / "concepts/tiny.md").write_text("---\ntitle: Tiny\n---\n```python demo\nprint(6 * 7)\n```\n")
    empty = tmp_path / "no-runtime"
    empty.mkdir()
    with _env(**{runtime.FOLDER_VARIABLE: str(empty)}):
        result = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"), "--strict")
    assert result.exit_code == 0, result.output  # a missing runtime is no content error
    assert "warning: the Python runtime for running demos in the browser is not vendored" in result.output
    assert "python -m tooling.site.vendor pyodide" in result.output
    assert not (tmp_path / "site" / runtime.SITE_PATH).exists()
    assert stream(page(tmp_path / "site", "concepts/tiny"), "stdout") == "42\n"


# --- the Markdown extension on its own --------------------------------------------------------

TEXT = "Intro.\n\n```python demo\nprint(6 * 7)\n```\n\nAfter.\n"


def test_the_extension_works_in_plain_markdown_with_its_cache(tmp_path):
    reports = []
    convert = markdown.Markdown(extensions=[DemoExtension(cache_dir=str(tmp_path),
                                                          on_report=reports.append)]).convert
    html = convert(TEXT)
    assert '<pre><code class="language-python">print(6 * 7)\n</code></pre>' in html
    assert stream(html, "stdout") == "42\n"
    assert html.index("Intro.") < html.index('class="kb-demo"') < html.index("After.")
    again = markdown.Markdown(extensions=[DemoExtension(cache_dir=str(tmp_path),
                                                        on_report=reports.append)]).convert(TEXT)
    assert again == html
    assert [r.executed for r in reports] == [1, 0]


def test_the_extension_without_execution_shows_a_note_and_runs_nothing(tmp_path):
    reports = []
    md = markdown.Markdown(extensions=["pymdownx.superfences", "pymdownx.highlight",
                                       DemoExtension(cache_dir=str(tmp_path), execute=False,
                                                     on_report=reports.append)])
    html = md.convert(TEXT)
    assert NOT_RUN in html and '<div class="highlight">' in html
    assert "<code>python demo" not in html  # superfences alone would make it inline code
    assert reports[0].executed == 0 and list(tmp_path.iterdir()) == []


# --- kb serve ---------------------------------------------------------------------------------

def test_kb_serve_sends_the_cross_origin_isolation_headers(tmp_path):
    root = tmp_path / "kb"
    (root / "concepts").mkdir(parents=True)
    (root / "concepts/tiny.md").write_text("---\ntitle: Tiny\n---\n```python demo\nprint(1)\n```\n")
    with kb_serve(root) as served:
        page, headers = poll(served.url + "concepts/tiny/", timeout=60)
        assert page is not None
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert headers["Cross-Origin-Embedder-Policy"] == "require-corp"
        assert 'class="kb-demo"' in page  # kb.js loads the runner for it
        script = poll(served.url + "assets/kb/demo.js", timeout=10)[1]
        assert script["Cross-Origin-Embedder-Policy"] == "require-corp"