"""Obsidian Markdown as Obsidian shows it (issue 22), on the hand-made feature vault in
data/obsidian-features/ (SOURCE.md lists what each note holds): the vault is built once, each
construct is checked in the HTML, then in Chromium as the element a reader sees (tag pill,
in-page link target, transcluded block, list items, diagram SVG)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from helpers import REPO, run_kb
from site_helpers import Watch, serve

FEATURES = REPO / "tests" / "data" / "obsidian-features"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("features") / "kb"
    shutil.copytree(FEATURES, root)
    out = tmp_path_factory.mktemp("features-site")
    result = run_kb("build", "--root", str(root), "-d", str(out), "--strict")
    assert result.exit_code == 0, result.output
    return out


def body(site: Path, url: str) -> str:
    """The note's own part of a page: after its card, before its backlinks."""
    html = (site / url / "index.html").read_text(encoding="utf-8")
    start = html.index("</div>", html.index('class="kb-card')) + len("</div>")
    return html[start:html.index('<section class="kb-backlinks')]


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


# --- tags ---------------------------------------------------------------------------------

def test_a_line_of_tags_is_tag_pills_not_a_heading(site):
    html = body(site, "notes/tags")
    assert re.findall(r"<h\d[^>]*>(.*?)<", html) == ["A real heading"]
    assert ('<p><a class="kb-tag" href="../../tags/category-theory/">#category-theory</a> '
            '<a class="kb-tag" href="../../tags/topos-theory/">#topos-theory</a></p>') in html
    assert '<a class="kb-tag" href="../../tags/sheaves/">#sheaves</a>' in html
    assert '<a class="kb-tag" href="../../tags/maths-algebra/">#maths/algebra</a>' in html


def test_what_is_not_a_tag_stays_as_written(site):
    html = body(site, "notes/tags")
    assert "not #123 and not C#." in html
    assert "<p>#2024 was a year, not a heading and not a tag.</p>" in html
    assert re.search(r'<span style="color: ?#ff0000;?">red</span>', html)
    assert '<a href="#a-real-heading">link to a part</a>' in html
    assert "<code>#in-code</code>" in html


def test_tags_in_the_text_are_the_notes_tags_on_tag_pages(site):
    for tag in ("category-theory", "topos-theory", "sheaves", "maths-algebra", "front-matter-tag"):
        page = (site / "tags" / tag / "index.html").read_text(encoding="utf-8")
        assert 'href="../../notes/tags/"' in page, tag
    index = (site / "tags" / "index.html").read_text(encoding="utf-8")
    assert "#topos-theory" in index and "#123" not in index and "#in-code" not in index
    assert not (site / "tags" / "in-code").exists()


def test_the_tag_rule_is_the_notes(tmp_path):
    from tooling.base import open_base

    root = tmp_path / "kb"
    (root / "notes").mkdir(parents=True)
    (root / "notes" / "n.md").write_text("---\ntags: \"#Alpha, beta\"\n---\n#alpha #Gamma `#code`\n"
                                         "[x](#part) #gamma\n", encoding="utf-8")
    assert open_base(root).note("n").tags == ["Alpha", "beta", "Gamma"]


# --- same-note links and block ids ---------------------------------------------------------

def test_same_note_links_lead_to_the_heading_and_the_block(site):
    html = body(site, "notes/links")
    assert '<a class="kb-link" href="#second-part">Second part</a>' in html
    assert '<a class="kb-link" href="#deeper">Second part &gt; Deeper</a>' in html
    # the second "Notes" heading, as the toc numbers it (found case aside, inside its part)
    assert '<a class="kb-link" href="#notes_1">second part &gt; notes</a>' in html
    assert '<h3 id="notes_1">Notes' in html
    assert '<a class="kb-link" href="#^key-claim">the key claim</a>' in html
    assert '<h2 id="second-part">' in html and '<h3 id="deeper">' in html
    assert "[[#" not in html


def test_block_ids_are_anchors_not_text(site):
    html = body(site, "notes/links")
    assert '<p id="^key-claim">The key claim is stated here.</p>' in html
    assert '<li id="^item-one">an item with an id</li>' in html
    assert '<blockquote id="^quoted">' in html and '<table id="^table-id">' in html
    assert "^key-claim" not in text_of(html) and "^quoted" not in text_of(html)


def test_links_to_another_notes_heading_and_block(site):
    html = body(site, "notes/links")
    assert '<a class="kb-link" href="../../notes/source/#method">Source note &gt; Method</a>' in html
    assert 'href="../../notes/source/#^result"' in html
    target = body(site, "notes/source")
    assert '<h2 id="method">' in target and '<p id="^result">' in target


# --- embeds ----------------------------------------------------------------------------------

def embeds(site: Path) -> list[str]:
    """Each top-level embed box of the embeds page, in order."""
    html = body(site, "notes/embeds")
    boxes, position = [], 0
    while (start := html.find('<div class="kb-embed">', position)) >= 0:
        depth, at = 0, start
        for tag in re.finditer(r"<(/?)div\b", html[start:]):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                at = start + tag.end()
                break
        boxes.append(html[start:at])
        position = at
    return boxes


def test_an_embedded_note_is_rendered_whole_under_a_link(site):
    whole = embeds(site)[0]
    assert '<p class="kb-embed-title"><a class="kb-link" href="../../notes/source/">Source note</a>' in whole
    for words in ("Opening words", "<strong>bold</strong>", "The result sentence", "Appendix text"):
        assert words in whole
    # its link to itself leads to the source note's heading, from this page
    assert '<a class="kb-link" href="../../notes/source/#results">link to its results</a>' in whole


def test_an_embedded_section_and_block_are_that_part_only(site):
    _, section, block, item, quote, missing, _ = embeds(site)
    assert "The method section" in section and "Opening words" not in section
    assert "Results" not in text_of(section)
    assert "<p>The result sentence is here.</p>" in block
    assert "^result" not in text_of(block.split("kb-embed-body", 1)[1])
    assert "first finding" in item and "its detail" in item and "second finding" not in item
    assert "No section named No such heading" in missing
    assert re.search(r'<div class="kb-embed-body"><blockquote>\s*<p>A quotation that is a block.</p>'
                     r"\s*</blockquote></div>", quote)  # no empty paragraph left by the id


def test_footnotes_of_the_page_and_of_an_embed_stay_apart(site):
    html = (site / "notes" / "embeds" / "index.html").read_text(encoding="utf-8")
    whole = embeds(site)[0]
    assert "<p>The source note's footnote." in whole and "embedding page" not in whole
    page_notes = html[html.rindex('<div class="footnote">'):]
    assert "The embedding page" in page_notes and "source note" not in page_notes


def test_an_embed_cycle_stops(site):
    cycle = embeds(site)[-1]
    assert "A says hello" in cycle and "B says hello" in cycle
    assert cycle.count("A says hello") == 1 and "it embeds itself" in cycle


def test_embeds_add_no_permalink_and_no_second_id(site):
    html = (site / "notes" / "embeds" / "index.html").read_text(encoding="utf-8")
    for box in embeds(site):
        assert "headerlink" not in box and "¶" not in box and "&para;" not in box
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


# --- lines -------------------------------------------------------------------------------------

def test_single_newlines_are_line_breaks(site):
    html = body(site, "notes/lines")
    assert re.search(r"<p>rating:: 9<br ?/?>\nauthor:: Someone<br ?/?>\nstatus:: read</p>", html)
    assert re.search(r"<p>10 Main Street<br ?/?>\nSpringfield<br ?/?>\nNowhere</p>", html)


def test_parenthesised_numbers_start_a_list_even_after_a_line_of_text(site):
    html = body(site, "notes/lines")
    assert re.search(r"<p>Steps:</p>\s*<ol>\s*<li>first step</li>\s*<li>second step</li>\s*"
                     r"<li>third step</li>\s*</ol>", html)


def test_code_tables_and_lists_keep_their_shape(site):
    html = body(site, "notes/lines")
    code = html[html.index("<pre"):html.index("</pre>")]
    assert "<br" not in code and code.count("\n") >= 2
    table = html[html.index("<table>"):html.index("</table>")]
    assert "<br" not in table and table.count("<tr>") == 3
    assert re.search(r"<ul>\s*<li>item one<br ?/?>\s*continued on a second line</li>\s*"
                     r"<li>item two</li>\s*</ul>", html)


# --- media -----------------------------------------------------------------------------------

def test_an_iframe_is_a_link_card_and_harmless_html_renders(site):
    html = body(site, "notes/media")
    assert "<iframe" not in html
    assert re.search(r'<a class="kb-link-card" href="https://www.youtube.com/embed/dQw4w9WgXcQ"[^>]*>'
                     r"A talk on sheaves</a>", html)
    assert "<kbd>Ctrl</kbd>" in html and "H<sub>2</sub>O" in html
    assert re.search(r'<span style="color: ?#1565c0;?">blue words</span>', html)
    assert "<details><summary>More</summary>" in html


# --- diagrams and titles -------------------------------------------------------------------

def test_mermaid_fences_become_diagram_blocks(site):
    html = body(site, "notes/diagram")
    assert '<pre class="kb-mermaid">graph LR\n  A[Start] --&gt; B{Choice}' in html
    assert '<pre class="kb-mermaid">sequenceDiagram\n  Alice-&gt;&gt;Bob: Hello</pre>' in html
    assert "```" not in html


def test_a_page_without_a_diagram_or_math_loads_neither(site):
    page = (site / "notes" / "plain" / "index.html").read_text(encoding="utf-8")
    assert "mermaid" not in page and "katex" not in page.lower() and "demo.js" not in page


def test_titles_show_no_markdown(site):
    page = (site / "notes" / "titled" / "index.html").read_text(encoding="utf-8")
    assert "<title>Scheduler with fsrs - " in page
    assert '<h1 class="kb-title">Scheduler with fsrs</h1>' in page
    linking = (site / "concepts" / "placeholder" / "index.html").read_text(encoding="utf-8")
    assert '<a class="kb-link" href="../../notes/titled/">Scheduler with fsrs</a>' in linking
    assert "**" not in linking and "`fsrs`" not in linking


# --- in Chromium -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(site):
    server, url = serve(site)
    yield url
    server.shutdown()


def test_in_the_browser_each_construct_is_the_element_obsidian_shows(browser, served):
    watch = Watch()
    page = watch.attach(browser.new_page())
    page.goto(served + "notes/tags/")
    pill = page.locator("article a.kb-tag", has_text="#topos-theory")
    assert pill.is_visible()
    pill.click()
    page.wait_for_url("**/tags/topos-theory/")
    assert page.locator("article a[href$='notes/tags/']").count() >= 1

    page.goto(served + "notes/links/")
    page.locator("article a", has_text="the key claim").click()
    page.wait_for_function("location.hash === '#%5Ekey-claim' || location.hash === '#^key-claim'")
    target = page.evaluate("document.getElementById('^key-claim').textContent")
    assert target == "The key claim is stated here."
    page.locator("article a", has_text="Second part").first.click()
    assert page.evaluate("location.hash") == "#second-part"
    assert page.locator("h2#second-part").is_visible()

    page.goto(served + "notes/embeds/")
    blocks = page.locator(".kb-embed-body").all_inner_texts()
    assert "The result sentence is here." in blocks

    page.goto(served + "notes/media/")
    card = page.locator("article a.kb-link-card")
    assert card.is_visible() and card.inner_text() == "A talk on sheaves"
    assert card.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"  # drawn as a card
    assert page.locator("iframe").count() == 0

    page.goto(served + "notes/lines/")
    assert page.locator("article ol > li").all_inner_texts() == ["first step", "second step", "third step"]
    assert page.locator("article p", has_text="rating::").inner_text().split("\n") == [
        "rating:: 9", "author:: Someone", "status:: read"]
    watch.assert_clean()
    page.close()


def test_in_the_browser_diagrams_are_drawn_and_only_where_they_are(browser, served):
    watch = Watch()
    page = watch.attach(browser.new_page())
    page.goto(served + "notes/plain/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in watch.requests if "mermaid" in url]
    page.goto(served + "notes/diagram/")
    page.wait_for_selector(".kb-mermaid-diagram svg", timeout=30000)
    page.wait_for_function("document.querySelectorAll('.kb-mermaid-diagram svg').length === 2",
                           timeout=30000)
    assert page.locator("pre.kb-mermaid").count() == 0
    assert "Start" in page.locator(".kb-mermaid-diagram").first.inner_text()
    assert [url for url in watch.requests if url.endswith("mermaid.min.js")]
    watch.assert_clean()
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_the_obsidian_pages(browser, served, scheme):
    """Tag pills, anchors, embeds, diagrams and link cards in both colour schemes."""
    axe = (REPO / "tests" / "data" / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    page = browser.new_page(color_scheme=scheme)
    for url in ("notes/tags/", "notes/links/", "notes/embeds/", "notes/diagram/", "notes/media/"):
        page.goto(served + url)
        page.wait_for_load_state("networkidle")
        shown = page.evaluate("document.body.dataset.mdColorScheme")
        assert shown == ("slate" if scheme == "dark" else "default"), (url, shown)
        if url == "notes/diagram/":
            page.wait_for_selector(".kb-mermaid-diagram svg", timeout=30000)
        page.add_script_tag(content=axe)
        # a colour the note's author chose (`<span style>`) is theirs, in either scheme
        found = page.evaluate("""async () => (await axe.run({exclude: [['[style]']]},
            {resultTypes: ['violations']}))
          .violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
          .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))""")
        assert found == [], (url, found)
    page.close()


def test_in_the_browser_previews_show_no_permalink_sign(browser, served):
    watch = Watch()
    page = watch.attach(browser.new_page())
    page.goto(served + "notes/tags/")
    page.locator("article a.kb-tag", has_text="#sheaves").hover()
    page.wait_for_selector(".kb-popover", timeout=10000)
    title = page.locator(".kb-popover-title").inner_text()
    assert title.strip() and "¶" not in page.locator(".kb-popover").inner_text()
    watch.assert_clean()
    page.close()
