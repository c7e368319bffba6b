"""The shipped site as a reader meets it, on a desktop and on a 390 px phone, in Debian's chromium:
the global graph is readable, tables fit phones, axe-core finds no serious accessibility problem.
Screenshots of the main pages go to the test run's folder (printed in the output)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from helpers import REPO, run_kb
from site_helpers import CHROMIUM, CHROMIUM_ARGS, require_browser, serve

pytestmark = pytest.mark.browser
AXE = REPO / "tests" / "data" / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
PAGES = {"home": "", "paper": "papers/meng2022locating/", "concept": "concepts/activation-patching/",
         "author": "notes/authors/jacob-steinhardt/", "index": "papers/", "graph": "graph/"}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    require_browser()
    out = tmp_path_factory.mktemp("shipped-site")
    result = run_kb("build", "--root", str(REPO), "-d", str(out))
    assert result.exit_code == 0, result.output
    server, url = serve(out)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def browser(site_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, site_url, viewport, requests):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    return context, page


@pytest.fixture(params=["desktop", "phone"])
def page(request, browser, site_url):
    requests, errors = [], []
    viewport = PHONE if request.param == "phone" else {"width": 1280, "height": 900}
    context, page = open_page(browser, site_url, viewport, requests)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.base, page.phone = site_url, request.param == "phone"
    yield page
    context.close()
    assert [u for u in requests if urlsplit(u).hostname != "127.0.0.1"] == []
    assert errors == []


def drawn_graph(page):
    page.goto(page.base + "graph/")
    page.locator(".kb-global-graph[data-kb-drawn]").wait_for(state="attached", timeout=20000)
    page.wait_for_timeout(100)


def test_the_global_graph_fits_the_viewport_without_authors(page):
    drawn_graph(page)
    boxes = page.evaluate("""() => {
      const svg = document.querySelector('.kb-global-graph svg').getBoundingClientRect();
      const nodes = [...document.querySelectorAll('.kb-global-graph g.kb-node')]
        .filter(n => n.getAttribute('display') !== 'none');
      return {svg: [svg.left, svg.top, svg.right, svg.bottom], width: window.innerWidth,
              kinds: [...new Set(nodes.map(n => n.classList[1]))],
              out: nodes.filter(n => { const b = n.querySelector('circle').getBoundingClientRect();
                 return b.left < svg.left || b.right > svg.right || b.top < svg.top || b.bottom > svg.bottom; }).length,
              count: nodes.length};
    }""")
    assert boxes["count"] > 50 and boxes["out"] == 0
    assert "kb-node-author" not in boxes["kinds"]
    assert boxes["svg"][2] <= boxes["width"]
    page.check('[data-kb-kind="author"]')
    shown = page.locator('.kb-global-graph g.kb-node-author:not([display="none"])').count()
    assert shown > 100


def test_graph_labels_never_overlap_and_more_appear_when_zooming(page):
    drawn_graph(page)
    script = """() => {
      const boxes = [...document.querySelectorAll('.kb-global-graph text')]
        .filter(t => t.getAttribute('display') !== 'none').map(t => t.getBoundingClientRect());
      let overlaps = 0;
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) overlaps++;
      }
      return [boxes.length, overlaps];
    }"""
    shown, overlaps = page.evaluate(script)
    assert shown >= 3 and overlaps == 0
    box = page.locator(".kb-global-graph svg").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.keyboard.down("Control")
    for _ in range(2):  # with Ctrl, d3 zooms 2^(0.02 * delta): about 1.7x each
        page.mouse.wheel(0, -40)
        page.wait_for_timeout(100)
    page.keyboard.up("Control")
    page.wait_for_timeout(300)
    more, overlaps = page.evaluate(script)
    assert overlaps == 0 and more > shown


def test_the_wheel_scrolls_the_page_and_hover_highlights_neighbours(page):
    if page.phone:
        pytest.skip("no wheel or hover on a phone")
    drawn_graph(page)
    before = page.locator(".kb-global-graph svg > g").get_attribute("transform")
    box = page.locator(".kb-global-graph svg").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 40)
    page.mouse.wheel(0, 400)
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") > 0
    assert page.locator(".kb-global-graph svg > g").get_attribute("transform") == before
    page.evaluate("window.scrollTo(0, 0)")
    page.locator('g.kb-node[data-id="activation-patching"]').dispatch_event("mouseenter")
    assert page.locator("g.kb-node.kb-dim").count() > 10
    assert page.locator('g.kb-node.kb-near[data-id="meng2022locating"]').count() == 1


def test_node_search_finds_and_highlights_a_note(page):
    drawn_graph(page)
    page.fill("[data-kb-graph-search]", "Induction heads")
    page.press("[data-kb-graph-search]", "Enter")
    page.locator('g.kb-node.kb-near[data-id="induction-heads"]').wait_for()


def test_no_page_is_wider_than_a_phone_and_tables_scroll_in_their_wrapper(page):
    if not page.phone:
        pytest.skip("a phone's width")
    for url in PAGES.values():
        page.goto(page.base + url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
    page.goto(page.base + "papers/")
    table = page.evaluate("""() => {
      const t = document.querySelector('#kb-papers'), td = t.querySelector('td');
      const style = getComputedStyle(td);
      return {wrapped: !!t.closest('.md-typeset__scrollwrap'), padding: parseFloat(style.paddingLeft),
              border: style.borderTopWidth, title: td.getBoundingClientRect().width,
              height: t.getBoundingClientRect().height, rows: t.rows.length};
    }""")
    assert table["wrapped"] and table["padding"] >= 8 and table["title"] >= 200
    # rows a few lines high whatever the number of papers: ~75 px a row on the shipped base,
    # 116 px without the title column's width and wrap rules, ~500 px when titles broke letter
    # by letter
    assert table["height"] / table["rows"] < 100, table


def test_axe_finds_no_serious_or_critical_violation(page):
    for name, url in PAGES.items():
        page.goto(page.base + url)
        page.wait_for_load_state("networkidle")
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
          .violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
          .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))""")
        assert found == [], (name, found)


def test_screenshots(page, request, tmp_path_factory):
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)
    device = "phone" if page.phone else "desktop"
    for name in ("home", "paper", "concept", "author", "graph"):
        page.goto(page.base + PAGES[name])
        page.wait_for_load_state("networkidle")
        if name == "graph":
            page.locator(".kb-global-graph[data-kb-drawn]").wait_for(state="attached")
        path = folder / f"{name}-{device}.png"
        page.screenshot(path=str(path), full_page=name != "graph")
        assert path.stat().st_size > 10_000
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"screenshots ({device}) saved in {folder}")
