"""Demos in the reader's browser: Debian's chromium (Playwright) on the fixture base's site,
served on 127.0.0.1, with and without cross-origin isolation. Every request of every page is
recorded: none may leave 127.0.0.1. Tests that run Python need the vendored Pyodide: they skip
without it, except in CI (KB_REQUIRE_BROWSER=1), where they fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import run_kb
from site_helpers import DEMO_BASE, Watch, require_browser, require_runtime, serve

from tooling.site import runtime

pytestmark = pytest.mark.browser
LIVE = '[data-kb-output="live"]'
BUILT = '[data-kb-output="build"]'


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    require_browser()
    root = shutil.copytree(DEMO_BASE, tmp_path_factory.mktemp("base") / "kb")
    out = tmp_path_factory.mktemp("site")
    assert run_kb("build", "--root", str(root), "-d", str(out)).exit_code == 0
    return out


@pytest.fixture(scope="module")
def urls(site, tmp_path_factory):
    without = tmp_path_factory.mktemp("without") / "site"
    shutil.copytree(site, without)
    shutil.rmtree(without / runtime.SITE_PATH, ignore_errors=True)
    servers = {"plain": serve(site), "isolated": serve(site, isolated=True), "without": serve(without)}
    yield {name: url for name, (_, url) in servers.items()}
    for server, _ in servers.values():
        server.shutdown()


@pytest.fixture
def open_page(browser):
    """Opens pages in a fresh context; afterwards, asserts every http request went to 127.0.0.1,
    no dialog opened (no injected script ran) and no script error occurred."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watch, workers = Watch(), []

    def open_(url: str, init: str = ""):
        page = watch.attach(context.new_page())
        if init:
            page.add_init_script(init)
        page.on("worker", lambda worker: "demo-worker" in worker.url and workers.append(worker.url))
        page.workers_started = workers
        page.requests = watch.requests
        page.errors = watch.errors
        page.goto(url)
        return page

    yield open_
    context.close()
    watch.assert_clean()


def run_and_wait(page, demo) -> None:
    demo.locator('[data-kb-action="run"]').click()
    demo.locator(f"{LIVE} .kb-demo-status").wait_for(state="detached", timeout=60_000)


def test_the_build_time_output_shows_without_clicking_and_python_stays_unloaded(open_page, urls):
    page = open_page(urls["plain"] + "concepts/printing/")
    built = page.locator(f".kb-demo {BUILT} .kb-demo-stdout")
    assert built.is_visible()
    assert "mean of 1..4 = 2.5" in built.inner_text()
    assert page.locator(f".kb-demo {BUILT} .kb-demo-source").inner_text() == "From the build"
    # The buttons sit between the code and its output (they were 600-900 px above the output).
    code, bar, output = (page.locator(f".kb-demo {part}").bounding_box()
                         for part in (".highlight", ".kb-demo-bar", BUILT))
    assert code["y"] + code["height"] <= bar["y"] and bar["y"] + bar["height"] <= output["y"] <= \
        bar["y"] + bar["height"] + 30
    assert page.locator(f".kb-demo {BUILT} .kb-demo-stderr code").inner_text() == "a warning on stderr\n"
    for action in ("run", "edit", "reset"):
        assert page.locator(f'[data-kb-action="{action}"]').is_visible()
    assert page.locator('[data-kb-action="stop"]').is_hidden()
    page.wait_for_load_state("networkidle")
    assert not [url for url in page.requests if "pyodide" in url]  # loaded on the first Run only
    assert page.workers_started == []


def test_run_edit_run_reset(open_page, urls):
    require_runtime()
    page = open_page(urls["plain"] + "concepts/printing/")
    demo = page.locator(".kb-demo")
    run_and_wait(page, demo)
    stdout = demo.locator(f"{LIVE} .kb-demo-stdout code").inner_text()
    assert stdout.startswith("mean of 1..4 = 2.5\n<script>alert(1)</script> & <b>not bold</b>")
    assert demo.locator(f"{LIVE} .kb-demo-stderr code").inner_text().strip() == "a warning on stderr"
    assert demo.locator(f"{LIVE} b, {LIVE} script").count() == 0  # inserted as text
    assert demo.locator(BUILT).is_hidden()

    demo.locator('[data-kb-action="edit"]').click()
    editor = demo.locator("textarea.kb-demo-editor")
    assert editor.evaluate("node => node === document.activeElement")
    editor.fill("")
    page.keyboard.type("for i in range(3):\n")
    page.keyboard.press("Tab")  # indents instead of leaving the editor
    page.keyboard.type("print(i * 21)")
    assert editor.input_value() == "for i in range(3):\n    print(i * 21)"
    run_and_wait(page, demo)
    assert demo.locator(f"{LIVE} .kb-demo-stdout code").inner_text() == "0\n21\n42\n"

    page.reload()
    demo = page.locator(".kb-demo")
    assert demo.locator("textarea.kb-demo-editor").input_value() == "for i in range(3):\n    print(i * 21)"
    assert demo.locator(BUILT).is_visible()
    assert demo.locator(".kb-demo-edited").is_visible()  # the reader sees it is their edit
    demo.locator('[data-kb-action="reset"]').click()
    assert demo.locator("textarea").count() == 0
    assert demo.locator(".kb-demo-edited").is_hidden()
    assert demo.locator(".highlight").is_visible() and demo.locator(BUILT).is_visible()
    page.reload()
    assert page.locator(".kb-demo textarea").count() == 0  # the edit is forgotten


SLOW_TO_STOP = """print('looping', flush=True)
import time
try:
    while True:
        pass
except KeyboardInterrupt:  # tidies up for longer than Stop's grace, still checking interrupts
    end = time.monotonic() + 4
    while time.monotonic() < end:
        pass
"""


@pytest.mark.parametrize("mode", ["isolated", "plain", "slow"])
def test_stop_ends_an_endless_loop_and_the_next_run_works(open_page, urls, mode):
    """Isolated, Python is interrupted in place; otherwise its worker is replaced. A demo slow to
    stop after it noticed (as any is on a busy machine) is interrupted again, not replaced: a
    timer alone decided, and a loaded machine once got two workers where one was expected."""
    require_runtime()
    page = open_page(urls["plain" if mode == "plain" else "isolated"] + "concepts/printing/")
    assert page.evaluate("crossOriginIsolated") is (mode != "plain")
    demo = page.locator(".kb-demo")
    demo.locator('[data-kb-action="edit"]').click()
    demo.locator("textarea").fill(SLOW_TO_STOP if mode == "slow" else
                                  "print('looping', flush=True)\nwhile True:\n    pass\n")
    demo.locator('[data-kb-action="run"]').click()
    demo.locator(f"{LIVE} .kb-demo-stdout", has_text="looping").wait_for(timeout=60_000)
    assert demo.locator('[data-kb-action="run"]').is_disabled()
    demo.locator('[data-kb-action="stop"]').click()
    demo.locator(f"{LIVE} .kb-demo-note", has_text="Stopped.").wait_for(timeout=20_000)
    assert demo.locator('[data-kb-action="stop"]').is_hidden()
    demo.locator("textarea").fill("print('after stop')")
    run_and_wait(page, demo)
    assert demo.locator(f"{LIVE} .kb-demo-stdout code").inner_text() == "after stop\n"
    assert len(page.workers_started) == (2 if mode == "plain" else 1)


def test_a_failing_run_shows_the_demos_traceback_as_text(open_page, urls):
    require_runtime()
    page = open_page(urls["plain"] + "concepts/printing/")
    demo = page.locator(".kb-demo")
    demo.locator('[data-kb-action="edit"]').click()
    demo.locator("textarea").fill("x = 1\nraise ValueError('<b>bold?</b>')")
    run_and_wait(page, demo)
    error = demo.locator(f"{LIVE} .kb-demo-error pre").inner_text()
    assert error.startswith("Traceback (most recent call last):\n  File \"<demo>\", line 2, in <module>\n"
                            "    raise ValueError('<b>bold?</b>')\n")  # the failing line itself
    assert error.endswith("ValueError: <b>bold?</b>")
    assert "_pyodide" not in error and demo.locator(f"{LIVE} b").count() == 0


def buttons(demo, actions=("run", "edit", "reset", "stop")) -> dict:
    """Where each button is, to the pixel."""
    return {action: tuple(round(v) for v in demo.locator(f'[data-kb-action="{action}"]').bounding_box().values())
            for action in actions}


# Records, at every change of the demo, whether the build's output was still shown and whether
# this run had shown anything yet.
WATCH_OUTPUTS = """() => { window.kbSeen = [];
  new MutationObserver(() => { const live = document.querySelector('[data-kb-output="live"]');
    if (live) window.kbSeen.push({built: !document.querySelector('[data-kb-output="build"]').hidden,
      shown: !!live.querySelector('.kb-demo-stream, .kb-demo-error, .kb-demo-note'),
      status: (live.querySelector('.kb-demo-status') || {}).textContent || ''}); })
  .observe(document.querySelector('.kb-demo'), {subtree: true, childList: true, attributes: true,
                                                characterData: true}); }"""


def test_the_buttons_never_move_and_the_build_output_stays_until_the_run_shows_its_own(open_page, urls):
    require_runtime()
    page = open_page(urls["plain"] + "concepts/printing/")
    demo = page.locator(".kb-demo")
    still = buttons(demo)
    page.evaluate(WATCH_OUTPUTS)
    demo.locator('[data-kb-action="run"]').click()
    demo.locator('[data-kb-action="stop"]').wait_for()
    running = buttons(demo)
    # Stop appears in a place of its own: it pushed the others 69 px left, so a double click on
    # Stop landed on Reset and threw the reader's edit away.
    assert running == still
    demo.locator(f"{LIVE} .kb-demo-status").wait_for(state="detached", timeout=60_000)
    assert buttons(demo) == still
    assert demo.locator(f"{LIVE} .kb-demo-source").inner_text() == "This run"
    seen = page.evaluate("window.kbSeen")
    loading = [s for s in seen if not s["shown"]]
    assert loading and all(s["built"] for s in loading), seen  # shown while Python loads
    assert any("Loading Python" in s["status"] for s in loading), seen
    assert not seen[-1]["built"] and demo.locator(BUILT).is_hidden()  # then replaced
    demo.locator('[data-kb-action="edit"]').click()
    assert buttons(demo) == still  # the editor takes the code's height


def test_python_loads_when_the_pointer_nears_run_unless_the_reader_saves_data(open_page, urls):
    """Loading starts ahead of the click, so the first Run rarely waits for it; never on a
    connection that asks to save data."""
    require_runtime()
    near = """page => { const bar = document.querySelector('.kb-demo-bar').getBoundingClientRect();
      return [bar.left + 20, bar.top - 40]; }"""
    thrifty = page = open_page(urls["plain"] + "concepts/printing/",
                               init="Object.defineProperty(navigator, 'connection', "
                                    "{value: {saveData: true}})")
    page.mouse.move(*page.evaluate(near))
    page.locator('[data-kb-action="edit"]').focus()
    page.wait_for_load_state("networkidle")
    assert page.workers_started == [] and not [u for u in page.requests if "pyodide" in u]
    thrifty.close()
    page = open_page(urls["plain"] + "concepts/printing/")
    page.mouse.move(5, 5)
    page.wait_for_load_state("networkidle")
    assert page.workers_started == []  # far from the buttons: nothing
    with page.expect_request("**/pyodide.asm.wasm"):
        page.mouse.move(*page.evaluate(near))
    assert len(page.workers_started) == 1
    run_and_wait(page, page.locator(".kb-demo"))
    assert len(page.workers_started) == 1  # the Run used the worker that was warming up


def test_a_session_block_runs_after_the_blocks_before_it(open_page, urls):
    require_runtime()
    page = open_page(urls["plain"] + "concepts/session/")
    second = page.locator(".kb-demo").nth(1)
    run_and_wait(page, second)
    assert second.locator(f"{LIVE} .kb-demo-stdout code").inner_text() == "total is 42\n"


def test_run_explains_a_missing_runtime_and_keeps_the_build_output(open_page, urls):
    page = open_page(urls["without"] + "concepts/printing/")
    page.locator('[data-kb-action="run"]').click()
    message = page.locator(".kb-demo-message")
    message.wait_for(timeout=10_000)
    assert "python -m tooling.site.vendor pyodide" in message.inner_text()
    assert page.locator(BUILT).is_visible() and page.locator(LIVE).count() == 0
    assert page.workers_started == []


def test_run_explains_that_a_page_opened_from_a_file_needs_a_server(open_page, site):
    page = open_page((site / "concepts/printing/index.html").as_uri())
    page.locator('[data-kb-action="run"]').click()
    assert "served over HTTP" in page.locator(".kb-demo-message").inner_text()
    assert "kb serve" in page.locator(".kb-demo-message").inner_text()
    assert page.locator(BUILT).is_visible()
    # Material's search cannot fetch its index from file:// either; nothing else may fail.
    page.errors[:] = [e for e in page.errors if e != "Failed to fetch" and "search_index" not in e]


def test_the_rest_of_the_site_works_when_cross_origin_isolated(open_page, urls):
    page = open_page(urls["isolated"] + "graph/")
    assert page.evaluate("crossOriginIsolated")
    page.locator(".kb-global-graph g.kb-node").first.wait_for()
    assert page.locator(".kb-global-graph g.kb-node").count() == 6
    page.click(".md-search__input")
    page.keyboard.type("Memory hog")
    page.locator(".md-search-result__item", has_text="Memory hog").first.wait_for(timeout=15_000)
