"""`kb build`: a real MkDocs build of a small base and of the shipped one, checked in the HTML."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from helpers import REPO, run_kb, write_base
from site_helpers import copy_base, kb_serve, poll


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_base(tmp_path_factory.mktemp("base") / "kb")
    out = tmp_path_factory.mktemp("site")
    result = run_kb("build", "--root", str(root), "-d", str(out))
    assert result.exit_code == 0, result.output
    return out


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_a_page_per_note_author_and_index(site):
    for url in ("papers/meng2022locating", "papers/zhu2020modifying", "concepts/activation-patching",
                "notes/plan", "notes/authors/kevin-meng", "notes/authors/david-bau", "papers",
                "concepts", "notes/authors", "notes", "tags", "tags/model-editing", "graph", "reading"):
        assert (site / url / "index.html").is_file(), url
    assert (site / "index.html").is_file()


def test_paper_card_shows_front_matter_with_links(site):
    html = page(site, "papers/meng2022locating")
    card = html[html.index('class="kb-card'):html.index("ROME edits one MLP layer")]
    assert '<h1 class="kb-title">Locating and Editing Factual Associations in GPT</h1>' in card
    assert re.search(r'<a class="kb-author" href="\.\./\.\./notes/authors/kevin-meng/"[^>]*>Kevin Meng</a>', card)
    assert re.search(r'<a class="kb-author" href="\.\./\.\./notes/authors/david-bau/"[^>]*>David Bau</a>', card)
    assert '<span class="kb-year">2022</span>' in card and '<span class="kb-venue">NeurIPS</span>' in card
    assert 'href="https://arxiv.org/abs/2202.05262"' in card
    assert 'href="https://arxiv.org/pdf/2202.05262"' in card
    assert "kb-status-read" in card and "high priority" in card
    assert re.search(r'<dt>Concepts</dt><dd><a class="kb-link" href="\.\./\.\./concepts/activation-patching/"', card)
    assert '<a class="kb-tag" href="../../tags/model-editing/">#model-editing</a>' in card
    assert "We locate factual associations" in card  # the abstract
    assert "<th>reviewer_mood</th><td>sceptical</td>" in card  # unknown fields are shown


def test_wikilinks_render_as_links_with_labels_and_titles(site):
    html = page(site, "papers/meng2022locating")
    assert '<a class="kb-link" href="../../concepts/activation-patching/">causal tracing</a>' in html
    assert 'href="../../papers/zhu2020modifying/">Modifying Memories in Transformer Models</a>' in html
    assert '<span class="kb-broken" title="No note named this">no-such-note</span>' in html
    zhu = page(site, "papers/zhu2020modifying")
    assert 'href="../../papers/meng2022locating/">Locating and Editing Factual Associations in GPT</a>' in zhu


def test_a_wikilink_in_a_heading_reads_well_in_the_table_of_contents(site):
    html = page(site, "notes/plan")
    assert '<h2 id="then-read-rome">Then read <a class="kb-link" href="../../papers/meng2022locating/"' in html
    assert re.search(r'<a href="#then-read-rome" class="md-nav__link">\s*<span class="md-ellipsis">'
                     r'\s*Then read ROME\s*</span>', html)
    assert "kbref" not in html


def test_backlinks_include_front_matter_edges_grouped_by_relation(site):
    html = page(site, "concepts/activation-patching")
    backlinks = html[html.index('class="kb-backlinks"'):]
    assert "<h3>Papers about this concept (1)</h3>" in backlinks  # from the paper's `concepts` field
    assert "<h3>In study plans (1)</h3>" in backlinks  # from the plan's `items`
    residual = page(site, "concepts/residual-stream")
    assert "<h3>Concepts that build on this (1)</h3>" in residual  # `prerequisites`
    assert "<h3>Mentioned in (1)</h3>" in residual  # the plan's body wikilink
    assert 'href="../../concepts/activation-patching/">Activation patching</a>' in residual


def test_author_pages_with_and_without_a_note(site):
    meng = page(site, "notes/authors/kevin-meng")
    assert "Did the ROME and MEMIT papers." in meng
    assert meng.index("Locating and Editing") < meng.index("Modifying Memories")  # newest first
    assert "<h2 id=\"papers\">Papers (2)</h2>" in meng
    bau = page(site, "notes/authors/david-bau")
    assert "David Bau" in bau and "authors/david-bau.md" not in bau  # no to-do for the reader
    assert "Papers (1)" in bau and "kb-status-read" in bau


def test_index_pages(site):
    papers = page(site, "papers")
    assert papers.count('<tr data-status="') == 3
    assert '<select data-kb-filter="status"><option value="">all</option><option value="read">read</option>' in papers
    concepts = page(site, "concepts")
    assert concepts.index('id="studying"') < concepts.index('id="to-study"')
    assert "needs" in concepts
    home = page(site, "")
    assert "Reading and studying now" in home and "Evil &amp; Co" in home
    reading = page(site, "reading")
    study = reading[reading.index('id="next"'):]
    assert study.index("Residual stream") < study.index("Activation patching")  # prerequisites first
    assert "1 of 2 required done" in reading  # the plan: the read paper counts (optional: not required)


def test_front_matter_is_html_escaped(site):
    html = page(site, "papers/evil")
    assert "<img src=x" not in html and "<script>alert(2)" not in html and "<b>bold?" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; Evil &amp; Co" in html
    assert "<title>&lt;img src=x onerror=alert(1)&gt; Evil &amp; Co" in html


def test_math_and_demo_blocks(site):
    html = page(site, "concepts/activation-patching")
    assert '<span class="arithmatex">' in html
    assert '<span class="kb-demo-title">Demo</span>' in html
    assert '<pre><code>patched\n</code></pre>' in html  # its output, from the build


def test_edit_links_point_at_the_real_note_file(tmp_path):
    root = copy_base(tmp_path / "kb")
    (root / "mkdocs.yml").write_text(
        "INHERIT: " + str(REPO / "tooling/site/default-mkdocs.yml") + "\n"
        "docs_dir: " + str(REPO / "tooling/site/docs") + "\n"
        "repo_url: https://example.org/me/kb\nedit_uri: edit/main/\n")
    result = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    html = (tmp_path / "site/papers/meng2022locating/index.html").read_text()
    assert 'href="https://example.org/me/kb/edit/main/papers/meng2022locating.md"' in html


def test_strict_build_fails_on_an_unresolved_wikilink(tmp_path):
    root = copy_base(tmp_path / "kb")
    result = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"), "--strict")
    assert result.exit_code == 1
    assert "papers/meng2022locating.md:20: unresolved wikilink [[no-such-note]]" in result.output
    (root / "papers/meng2022locating.md").write_text(
        (root / "papers/meng2022locating.md").read_text().replace(" and [[no-such-note]]", ""))
    assert run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"), "--strict").exit_code == 0


def test_built_site_loads_nothing_from_other_hosts(site):
    loaders = re.compile(r"<(?:script|img|iframe|source|audio|video)[^>]+src=\"(https?:)?//"
                         r"|<link[^>]+href=\"(https?:)?//|@import\s+url\(['\"]?https?:|url\(['\"]?https?://")
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not loaders.search(text), path
    assert "fonts.googleapis" not in page(site, "")


def test_attachments_beside_notes_are_published(tmp_path):
    root = write_base(tmp_path / "kb", {
        "notes/fig-note.md": "---\ntitle: Figure\n---\n![plot](img/plot.png)\n",
        "notes/img/plot.png": b"\x89PNG\r\n",
    })
    assert run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"), "--strict").exit_code == 0
    assert (tmp_path / "site/notes/img/plot.png").read_bytes() == b"\x89PNG\r\n"


def test_the_shipped_base_builds_strictly(tmp_path):
    result = run_kb("build", "--root", str(REPO), "-d", str(tmp_path / "site"), "--strict")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site/concepts/activation-patching/index.html").is_file()
    assert (tmp_path / "site/papers/meng2022locating/index.html").is_file()


def test_vendored_assets_match_their_pinned_releases():
    from tooling.site.vendor import check

    assert check() == []


def test_a_bundle_joins_its_parts_in_order_after_checking_each(monkeypatch):
    """The graph's d3 is the modules it uses joined, dependencies first; a part whose tarball does
    not match its pinned integrity stops the vendoring."""
    import base64
    import hashlib
    import io
    import tarfile

    from tooling.site import vendor

    def tarball(files: dict[str, bytes]) -> bytes:
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w:gz") as archive:
            for name, data in files.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
        return out.getvalue()

    tarballs = {"a": tarball({"package/dist/a.min.js": b"var a;\n"}),
                "b": tarball({"package/dist/b.min.js": b"var b;", "package/LICENSE": b"ISC"})}
    monkeypatch.setattr(vendor, "_download", lambda part: tarballs[part["package"]])

    def part(name: str, **extra: object) -> dict:
        digest = base64.b64encode(hashlib.sha512(tarballs[name]).digest()).decode()
        return {"package": name, "version": "1", "integrity": f"sha512-{digest}",
                "file": f"package/dist/{name}.min.js", **extra}

    built = vendor.bundle([part("b", files={"package/LICENSE": "x/LICENSE"}), part("a")])
    assert built == {"": b"var b;\nvar a;\n", "x/LICENSE": b"ISC"}
    tarballs["a"] = tarball({"package/dist/a.min.js": b"evil()"})
    with pytest.raises(SystemExit, match="integrity mismatch"):
        vendor.bundle([part("b"), {**part("a"), "integrity": part("b")["integrity"]}])


def test_plain_mkdocs_build_strict_works_at_the_repository_root(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d",
                           str(tmp_path / "site")], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site/notes/emnlp-prepa/index.html").is_file()


def test_kb_serve_shows_an_edit_on_the_page_and_its_backlinks(tmp_path):
    root = copy_base(tmp_path / "kb")
    with kb_serve(root) as served:
        assert poll(served.url + "papers/meng2022locating/", "Locating and Editing")[0]
        with pytest.raises(urllib.error.HTTPError) as missing:  # the site's page, not a text line
            urllib.request.urlopen(served.url + "papers/no-such-paper/", timeout=10)
        assert missing.value.code == 404 and missing.value.headers["Content-Type"] == "text/html"
        assert '<h1>404 - Not found</h1>' in missing.value.read().decode()
        note = root / "papers/zhu2020modifying.md"
        note.write_text(note.read_text() + "\nA freshly typed word: zanzibar, see [[residual-stream]].\n")
        assert poll(served.url + "papers/zhu2020modifying/", "zanzibar")[0]
        backlinks = poll(served.url + "concepts/residual-stream/", "freshly typed word")[0] or ""
        assert "Modifying Memories in Transformer Models" in backlinks[backlinks.index("kb-backlinks"):]
    assert "rebuilt" in served.log and "pages for papers/zhu2020modifying.md" in served.log, served.log[-2000:]


def test_extensions_built_once_per_build_keep_no_state_from_page_to_page(tmp_path):
    """The plugin builds the reusable extensions once for all pages; one that kept per-page state
    on its instance (pymdownx.superfences appends a fence on every page) would make each page
    slower than the last, or carry one page's state into the next. Every shared instance must
    look the same after many pages as after one, and a page must convert the same each time."""
    import markdown

    from tooling.site.build import site_config

    root = copy_base(tmp_path / "kb")
    config = site_config(root, tmp_path / "site", execute=False)
    config = config.plugins.on_config(config)
    shared = [e for e in config.markdown_extensions if not isinstance(e, str)]
    assert len(shared) >= 10  # the point: most are shared

    def state() -> list[dict[str, object]]:
        return [{k: len(v) if isinstance(v, (list, dict, set, tuple)) else type(v).__name__
                 for k, v in vars(e).items()} for e in shared]

    text = (root / "concepts/activation-patching.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]

    def convert() -> str:
        md = markdown.Markdown(extensions=config.markdown_extensions,
                               extension_configs=config.mdx_configs)
        return md.convert(text)

    first = convert()
    after_one = state()
    for _ in range(5):
        assert convert() == first
    assert state() == after_one


def test_a_backlinks_sentence_reads_as_the_page_does(tmp_path):
    """The sentence shown under a backlink names linked notes by their titles, as the page shows
    them (not their ids), and is not cut at "et al." or "e.g."."""
    from tooling.base import open_base
    from tooling.site.backlinks import link_sentences
    from tooling.syntax import as_text

    root = write_base(tmp_path / "kb", {
        "papers/meng2022locating.md": "---\ntitle: Locating and Editing Factual Associations in GPT\n---\n",
        "notes/reading.md": "---\ntitle: Reading\n---\nFirst thing. As Meng et al. 2022 showed, "
                            "e.g. in [[meng2022locating]], facts sit in MLPs. Next thing.\n",
    })
    kb = open_base(root)
    found = link_sentences(kb, [kb.note("reading")])
    assert {key: as_text(pieces) for key, pieces in found.items()} == {("reading", "meng2022locating"):
        "As Meng et al. 2022 showed, e.g. in Locating and Editing Factual Associations in GPT, "
        "facts sit in MLPs."}


def test_papers_whose_metadata_was_never_checked_say_so(tmp_path):
    """A paper known only from the user's notes (the tool's record has no `fetched` date) is
    badged "metadata not checked" (plain "unchecked" read like a reading state); one whose fields
    came from arXiv is not."""
    root = write_base(tmp_path / "kb", {
        "papers/vaswani2017attention.md": "---\ntitle: attention is all you need\nyear: 2017\n"
                                          "arxiv_sync: {title: 90b6dae7, year: 46e67c52}\n---\nx\n",
        "papers/meng2022locating.md": "---\ntitle: ROME\narxiv: '2202.05262'\n"
                                      "arxiv_sync: {fetched: 2026-11-25, title: 1a2b3c4d}\n---\n"
                                      "[[vaswani2017attention]]\n",
    })
    assert run_kb("build", "--root", str(root), "-d", str(tmp_path / "site")).exit_code == 0
    badge = re.search(r'<span class="kb-unchecked"[^>]*>([^<]*)</span>',
                      page(tmp_path / "site", "papers/vaswani2017attention"))
    assert badge is not None and badge.group(1) == "metadata not checked"
    assert 'class="kb-unchecked"' not in page(tmp_path / "site", "papers/meng2022locating")
