"""What a reader clicks, in Debian's chromium driven by Playwright, against the built site served
on 127.0.0.1. Every request of every page is recorded: none may leave 127.0.0.1."""

from __future__ import annotations

import json

import pytest
from helpers import run_kb
from site_helpers import Watch, copy_base, require_browser, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    require_browser()
    root = copy_base(tmp_path_factory.mktemp("base") / "kb")
    out = tmp_path_factory.mktemp("site")
    assert run_kb("build", "--root", str(root), "-d", str(out)).exit_code == 0
    server, url = serve(out)
    yield url
    server.shutdown()


@pytest.fixture
def page(browser, site_url):
    """A fresh page; afterwards, assert it requested nothing outside 127.0.0.1 and ran clean."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watch = Watch()
    page = watch.attach(context.new_page())
    page.base = site_url
    yield page
    context.close()
    watch.assert_clean()  # offline, and no injected script ever ran


def test_search_for_an_author_finds_their_paper(page):
    page.goto(page.base)
    page.click(".md-search__input")
    page.keyboard.type("David Bau")
    result = page.locator(".md-search-result__item", has_text="Locating and Editing Factual Associations")
    result.first.wait_for(timeout=15000)
    assert result.count() >= 1


def test_clicking_a_wikilink_navigates(page):
    page.goto(page.base + "papers/zhu2020modifying/")
    page.click('.md-content a.kb-link[href$="/meng2022locating/"]')
    page.wait_for_url("**/papers/meng2022locating/")
    assert page.locator("h1.kb-title").inner_text() == "Locating and Editing Factual Associations in GPT"


def test_the_graph_draws_every_node_and_a_click_opens_the_note(page):
    index = json.loads(page.request.get(page.base + "assets/kb/kb-index.json").text())
    page.goto(page.base + "graph/")
    nodes = page.locator(".kb-global-graph g.kb-node")
    page.locator('.kb-global-graph g.kb-node:not([display="none"])').first.wait_for()
    assert nodes.count() == len(index["nodes"])
    assert page.locator(".kb-global-graph line.kb-edge").count() == len(index["edges"])
    assert {index["types"][t] for _, _, t in index["edges"]} >= {"author", "concept", "item", "wikilink"}
    assert "kb-node-done" in page.locator('g.kb-node[data-id="meng2022locating"]').get_attribute("class")
    page.uncheck('[data-kb-kind="author"]')
    assert page.locator('g.kb-node[data-id="david-bau"]').get_attribute("display") == "none"
    page.locator('g.kb-node[data-id="zhu2020modifying"] circle').click()
    page.wait_for_url("**/papers/zhu2020modifying/")


def test_each_note_has_a_local_graph_of_its_neighbours(page):
    page.goto(page.base + "concepts/activation-patching/")
    local = page.locator(".md-sidebar--secondary .kb-local-graph .kb-node")
    local.first.wait_for()
    ids = sorted(local.evaluate_all("nodes => nodes.map(n => n.dataset.id)"))
    assert ids == ["activation-patching", "meng2022locating", "plan", "residual-stream"]
    # In the right sidebar, every node and label inside the drawing: nothing clipped.
    inside = page.evaluate("""() => {
      const svg = document.querySelector('.kb-local-graph svg').getBoundingClientRect();
      return [...document.querySelectorAll('.kb-local-graph .kb-node circle, .kb-local-graph .kb-node text')]
        .every(el => { const b = el.getBoundingClientRect();
          return b.left >= svg.left - 0.5 && b.right <= svg.right + 0.5 && b.top >= svg.top - 0.5
                 && b.bottom <= svg.bottom + 0.5; });
    }""")
    assert inside
    page.check(".kb-depth input")
    page.locator('.kb-local-graph .kb-node[data-id="kevin-meng"]').wait_for()  # depth 2


def test_hovering_an_internal_link_shows_a_preview(page):
    page.goto(page.base + "papers/meng2022locating/")
    page.hover('.md-content p a.kb-link[href$="/activation-patching/"]')
    popover = page.locator(".kb-popover")
    popover.wait_for(timeout=5000)
    assert "Activation patching" in popover.inner_text()
    assert "Run the model twice" in popover.inner_text()
    page.mouse.move(5, 5)
    popover.wait_for(state="detached")
    page.hover('.kb-card a.kb-link[href$="/activation-patching/"]')
    page.hover('.kb-card a[href$="/zhu2020modifying/"]')
    page.locator(".kb-popover", has_text="Constrained fine-tuning").wait_for(timeout=5000)


def test_a_preview_shows_the_title_once_and_rendered_math(page):
    page.goto(page.base + "papers/meng2022locating/")
    page.hover('.md-content p a.kb-link[href$="/activation-patching/"]')  # [[id|causal tracing]]
    popover = page.locator(".kb-popover")
    popover.locator(".katex").first.wait_for(timeout=10000)  # the note's own math, rendered
    text = popover.inner_text()
    assert text.startswith("Activation patching") and "activation-patching" not in text
    assert "studying" in text  # a key fact of the card
    assert "$" not in text


def test_backlinks_have_no_duplicates_and_show_the_linking_sentence(page):
    # meng2022locating names activation-patching in `concepts` and again in its body: once here.
    for url in ("concepts/residual-stream/", "concepts/activation-patching/"):
        page.goto(page.base + url)
        hrefs = page.locator(".kb-backlinks a.kb-link").evaluate_all("links => links.map(a => a.href)")
        assert len(hrefs) == len(set(hrefs)) and hrefs, url
        if url == "concepts/residual-stream/":
            assert "Start with Residual stream." in page.locator(".kb-backlinks .kb-context").first.inner_text()


def test_the_papers_table_filters_by_status_and_tag_and_sorts(page):
    page.goto(page.base + "papers/")
    rows = page.locator("#kb-papers tbody tr")
    assert rows.count() == 3
    page.select_option('[data-kb-filter="status"]', "read")
    assert page.locator("#kb-papers tbody tr:not([hidden])").count() == 1
    assert page.locator("[data-kb-count]").inner_text() == "1 of 3 papers"
    page.select_option('[data-kb-filter="status"]', "")
    page.select_option('[data-kb-filter="tags"]', "model-editing")
    assert page.locator("#kb-papers tbody tr:not([hidden])").count() == 2
    page.select_option('[data-kb-filter="tags"]', "")
    page.click("#kb-papers th:nth-child(3) button")  # Year, ascending: the paper without a year first
    years = page.locator("#kb-papers tbody td:nth-child(3)").all_inner_texts()
    assert years == ["", "2020", "2022"]


def test_escaped_front_matter_renders_as_text(page):
    page.goto(page.base + "papers/evil/")
    assert page.locator("h1.kb-title").inner_text() == "<img src=x onerror=alert(1)> Evil & Co"
    assert page.locator(".kb-card img").count() == 0


def test_math_renders_offline(page):
    page.goto(page.base + "concepts/residual-stream/")
    page.locator(".katex").first.wait_for()
    assert page.locator(".katex-display").count() == 1


def test_a_page_loads_only_what_it_shows(page):
    """KaTeX only with math; d3 and the graph index only on the graph page (a local graph draws
    from data inlined in its page); the search index only once the reader reaches for search."""
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(page.base + "papers/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in urls if "katex" in u or "/d3" in u], urls
    urls.clear()
    page.goto(page.base + "papers/meng2022locating/")  # no math, a local graph in view
    page.locator(".kb-local-graph .kb-node").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert [u for u in urls if u.endswith("/local-graph.js")]
    assert not [u for u in urls if "katex" in u or "/vendor/d3/" in u or "kb-index.json" in u
                or "search_index.json" in u], urls
    with page.expect_request("**/search/search_index.json"):
        page.hover(".md-search__input")
    urls.clear()
    page.goto(page.base + "graph/")
    page.locator(".kb-global-graph[data-kb-drawn]").wait_for(state="attached")
    assert [u for u in urls if "/vendor/d3/" in u] and [u for u in urls if "kb-index.json" in u]
