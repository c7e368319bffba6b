"""Notes render as Obsidian renders them, through the site's Python-Markdown extensions, in a real
MkDocs build; the link scanner `kb check` uses agrees with the renderer on what is a link."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import check_json, run_kb, write_base

from tooling.syntax import Scan
from tooling.syntax.inline import HIDDEN

OBSIDIAN = """\
---
title: Obsidian note
---
Open questions:
- first item
- second item

> [!tip] Read this first
> A callout with **bold**.

> [!warning]- Folded
> Hidden until opened.

This is ==highlighted== and %%a hidden comment with [[gone]]%% visible again.
%%
a whole hidden block
%%
A bare URL: https://example.org/page and an email-free line.

    [[in-indented-code]]

<!-- [[in-html-comment]] -->

Inline `[[in-code]]` and a real [[other|other note]].

![[other]]

![[figure.png]]
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    root = write_base(tmp_path_factory.mktemp("base") / "kb", {
        "notes/obsidian.md": OBSIDIAN,
        "notes/other.md": "---\ntitle: Other\n---\nThe other note's first sentence. More.\n",
        "notes/img/figure.png": b"\x89PNG\r\n",
    })
    out = tmp_path_factory.mktemp("site")
    result = run_kb("build", "--root", str(root), "-d", str(out))
    assert result.exit_code == 0, result.output
    return root, out


def article(site: Path, url: str) -> str:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    return html[html.index('<article class="md-content__inner'):html.index("</article>")]


def test_a_list_right_after_a_line_of_text_is_a_list(built):
    html = article(built[1], "notes/obsidian")
    assert re.search(r"<p>Open questions:</p>\s*<ul>\s*<li>first item</li>\s*<li>second item</li>", html)


def test_callouts_render_as_admonitions_with_title_and_folding(built):
    html = article(built[1], "notes/obsidian")
    assert re.search(r'<div class="admonition tip">\s*<p class="admonition-title">Read this first</p>'
                     r"\s*<p>A callout with <strong>bold</strong>.</p>", html)
    assert re.search(r'<details class="warning">\s*<summary>Folded</summary>', html)
    assert "[!tip]" not in html


def test_highlights_comments_and_bare_urls(built):
    html = article(built[1], "notes/obsidian")
    assert "<mark>highlighted</mark>" in html
    assert "hidden comment" not in html and "whole hidden block" not in html and "%%" not in html
    assert "visible again" in html
    assert '<a href="https://example.org/page">https://example.org/page</a>' in html


def test_wikilinks_in_code_and_comments_stay_code_and_are_not_reported(built):
    root, site = built
    html = article(site, "notes/obsidian")
    assert "<code>[[in-indented-code]]\n</code>" in html
    assert "<code>[[in-code]]</code>" in html
    assert "in-html-comment" not in re.sub(r"<!--.*?-->", "", html, flags=re.S)
    assert 'href="../../notes/other/">other note</a>' in html
    unresolved = [p for p in check_json(root) if p["code"] == "unresolved-link"]
    assert unresolved == []  # [[gone]], [[in-...]] are all in code or comments


def test_embeds_show_the_note_and_the_image(built):
    html = article(built[1], "notes/obsidian")
    assert re.search(r'<div class="kb-embed"><p class="kb-embed-title"><a class="kb-link" '
                     r'href="\.\./\.\./notes/other/">Other</a></p><div class="kb-embed-body">'
                     r"<p>The other note.{1,6}s first sentence\. More\.</p>", html)
    assert '<img class="kb-embed-image" src="../../notes/img/figure.png" alt="figure.png"' in html


def test_the_scanner_masks_indented_code_comments_but_not_nested_lists():
    body = ("Text\n\n    [[code]]\n\n- item\n    - [[nested]]\n<!-- [[c1]] -->\n%%[[c2]]%% [[ok]]\n"
            "unclosed %% [[c3]]")
    scan = Scan(body)
    assert [r.target for r in scan.refs] == ["nested", "ok"]
    comments = [(s.start, s.end) for s in scan.spans if s.kind == HIDDEN]
    assert len(scan.masked) == len(body) and [body[s:e] for s, e in comments] == ["%%[[c2]]%%", "%% [[c3]]"]


HOSTILE_URLS = ["javascript:alert(1)", "  JavaScript:alert(1)", "java\tscript:alert(1)",
                "data:text/html,<script>alert(1)</script>", "VBScript:msgbox(1)", "\x01javascript:x"]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_only_http_and_relative_urls_from_front_matter_reach_an_href(tmp_path, url):
    import json

    root = write_base(tmp_path / "kb", {"papers/p.md": "---\ntitle: P\narxiv: \"2202.05262\"\n"
                                        f"pdf_url: {json.dumps(url)}\nurl: {json.dumps(url)}\n---\n"})
    assert run_kb("build", "--root", str(root), "-d", str(tmp_path / "site")).exit_code == 0
    html = (tmp_path / "site/papers/p/index.html").read_text()
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert not [h for h in hrefs if re.match(r"\s*(java|vb)\s*script|\s*data:", h, re.I)
                or "script:" in h.replace("\t", "").lower()], hrefs
    assert 'href="https://arxiv.org/pdf/2202.05262"' in html  # the arXiv PDF instead


def test_safe_urls_keep_http_and_relative():
    from tooling.site.render import safe_url

    assert safe_url("https://example.org/x") == "https://example.org/x"
    assert safe_url("  HTTP://example.org") == "HTTP://example.org"
    assert safe_url("files/paper.pdf") == "files/paper.pdf"
    assert [safe_url(u) for u in HOSTILE_URLS] == [None] * len(HOSTILE_URLS)


def test_hostile_notes_that_kb_check_accepts_build(tmp_path):
    long_name = "Ω" * 200  # 400 bytes: over the 255 a file name may have
    bullets = "".join("  " * i + "- x\n" for i in range(600)) + "".join("    " * i + "- y\n" for i in range(600))
    root = write_base(tmp_path / "kb", {
        "papers/p.md": f"---\ntitle: P\nauthors: [\"{long_name}\"]\ntags: [\"{long_name}\"]\n---\nText.\n",
        "notes/deep.md": "---\ntitle: Deep\n---\n" + bullets + ">" * 300 + " quoted\n",
        "notes/brackets.md": "---\ntitle: Brackets\n---\n" + "[" * 20000 + "\n\n" + "[a " * 5000 + "\n",
    })
    assert [p for p in check_json(root) if p["severity"] == "error"] == []
    result = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    assert "notes/deep.md: nested too deep to render" in result.output
    assert "notes/brackets.md: 25000 unbalanced or deeply nested" in result.output
    pages = [p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*.html")]
    assert all(len(part.encode()) <= 255 for page in pages for part in page.split("/"))
    deep = (tmp_path / "site/notes/deep/index.html").read_text()
    assert "kb-too-deep" in deep
    brackets = (tmp_path / "site/notes/brackets/index.html").read_text()
    assert "[[[[" in brackets.replace("&#91;", "[")


def test_unmatched_brackets_render_as_written():
    import markdown

    from tooling.site.markdown.guard import _unlinkable_brackets

    text = "a [b](c) [unclosed and [[x]] and \\[ kept"
    assert [text[i] for i in _unlinkable_brackets(text)] == ["["]
    from html import unescape

    assert unescape(markdown.markdown(text.replace("[unclosed", "&#91;unclosed"))) == unescape(markdown.markdown(text))


# --- the page reads Markdown as `kb check` does (tooling.syntax) -------------------------------

READING = {
    "notes/meng.md": "---\ntitle: Meng\n---\nMeng et al. 2022 showed, e.g. with [[fenced]], that `[[a]]` is "
                     "syntax. Second sentence.\n",
    "notes/maths.md": "---\ntitle: Maths\n---\n# Loss\n\nThe loss $\\mathcal{L}_{i}^{2}$ of [[meng]] is "
                      "convex. Next.\n",
    "notes/quoted.md": "---\ntitle: Quoted\n---\n> `" + "x" * 120 + "` opens this quote, then [[meng]].\n",
    "notes/fenced.md": "---\ntitle: Fenced\n---\n````\n```python\n[[shown]]\n```\n````\nAfter [[meng]].\n\n"
                       "```python demo\nprint('never run')\n",
}


@pytest.fixture(scope="module")
def reading_site(tmp_path_factory) -> Path:
    root = write_base(tmp_path_factory.mktemp("reading") / "kb", READING)
    out = tmp_path_factory.mktemp("reading-site")
    result = run_kb("build", "--root", str(root), "-d", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_descriptions_read_past_abbreviations_and_keep_code_as_written(reading_site):
    page = (reading_site / "notes" / "meng" / "index.html").read_text(encoding="utf-8")
    assert ('<meta name="description" content="Meng et al. 2022 showed, e.g. with Fenced, that '
            '[[a]] is syntax.">') in page


def test_backlink_sentences_typeset_their_math(reading_site):
    page = (reading_site / "notes" / "meng" / "index.html").read_text(encoding="utf-8")
    assert ('The loss <span class="arithmatex">\\(\\mathcal{L}_{i}^{2}\\)</span> of Meng is '
            'convex.') in page


def test_a_quote_holding_a_long_code_span_renders_as_a_quote(reading_site):
    page = (reading_site / "notes" / "quoted" / "index.html").read_text(encoding="utf-8")
    assert "kb-too-deep" not in page and "<blockquote>" in page


def test_fence_syntax_shown_in_code_and_an_open_fence_render_as_code(reading_site):
    page = article(reading_site, "notes/fenced")
    assert "[[shown]]" in page and 'href="../../notes/meng/"' in page
    # The open demo fence runs to the end as code, shown as Python, and never ran.
    assert "never run" in page and "kb-demo" not in page
