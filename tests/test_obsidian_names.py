"""Names as Obsidian reads them, in the core every command shares (issue 19): aliases and tags
written as strings, names with dots, links by path, and a note named like a page the site
generates. These hold for notes written by hand as much as for imported ones."""

from __future__ import annotations

import pytest
from helpers import check_json, run_kb, write_base

from tooling import reports
from tooling.base import open_base
from tooling.model import aliases_of, tags_of
from tooling.syntax import is_attachment_name


@pytest.mark.parametrize(("value", "aliases", "tags"), [
    ("Beta", ["Beta"], ["Beta"]),
    ("Beta, Gamma Ray", ["Beta", "Gamma Ray"], ["Beta", "Gamma", "Ray"]),
    ("project, archived", ["project", "archived"], ["project", "archived"]),
    ("#project #archived", ["#project #archived"], ["project", "archived"]),
    (["machine learning", "#ml", 2024, None, {"a": 1}], ["machine learning", "#ml", "2024"],
     ["machine learning", "ml", "2024"]),
    (None, [], []),
])
def test_aliases_and_tags_written_as_strings_read_as_obsidian_reads_them(value, aliases, tags):
    assert aliases_of(value) == aliases
    assert tags_of(value) == tags


def test_string_aliases_resolve_and_string_tags_make_tag_pages(tmp_path):
    root = write_base(tmp_path / "kb", {
        "notes/alpha.md": '---\ntitle: Alpha\naliases: Beta, Gamma\ntags: "project, archived"\n---\n',
        "notes/other.md": "---\ntitle: Other\n---\nSee [[Beta]] and [[gamma]].\n"})
    kb = open_base(root)
    assert {(l.raw, l.target) for l in kb.links if l.source == "other"} == {
        ("Beta", "alpha"), ("gamma", "alpha")}
    assert set(reports.tags(kb)) == {"project", "archived"}
    assert [p for p in check_json(root) if p["severity"] == "error"] == []


@pytest.mark.parametrize(("target", "attachment"), [
    ("Node.js", False), ("java.util.Scanner", False), ("v1.2 release", False),
    ("2024.01.15 meeting", False), ("Bundle.excalidraw", True), ("Bundle.excalidraw.md", True),
    ("figure.png", True), ("two/diagram.PNG", True), ("paper.pdf", True), ("board.canvas", True),
    ("Notes.md", False)])
def test_a_name_is_a_file_only_when_its_extension_is_a_known_file_type(target, attachment):
    assert is_attachment_name(target) is attachment


def test_names_with_dots_are_notes_and_kb_check_sees_links_to_them(tmp_path):
    root = write_base(tmp_path / "kb", {
        "notes/Node.js.md": "---\ntitle: Node.js\n---\n",
        "notes/java.util.Scanner.md": "---\ntitle: java.util.Scanner\n---\n",
        "notes/page.md": "---\ntitle: Page\n---\n[[Node.js]], [[java.util.Scanner|scanner]], "
                         "[[v1.2 release]], ![[Bundle.excalidraw|800]], [[slides.pdf]]\n"})
    problems = check_json(root)
    unresolved = [p["message"] for p in problems if p["code"] == "unresolved-link"]
    assert len(unresolved) == 1 and "v1.2 release" in unresolved[0]  # a note nobody wrote
    kb = open_base(root)
    assert {l.target for l in kb.links if l.source == "page"} == {"Node.js", "java.util.Scanner", None}


def test_links_by_path_and_with_md_find_the_note_whose_path_ends_so(tmp_path):
    root = write_base(tmp_path / "kb", {
        "notes/vault/Algo/Trie.md": "---\ntitle: Trie\n---\n",
        "notes/vault/Other/Trie-2.md": "---\ntitle: Other trie\n---\n",
        "notes/page.md": "---\ntitle: Page\n---\n[[Algo/Trie]] [[vault/Algo/Trie.md]] [[Trie.md]] "
                         "[[Other/Trie-2]] [[algo/trie]]\n"})
    kb = open_base(root)
    assert [l.target for l in kb.links if l.source == "page"] == ["Trie", "Trie", "Trie", "Trie-2",
                                                                  "Trie"]  # any case, as Obsidian
    assert kb.index.resolve_name("x" + ".md" * 5000) is None  # no recursion, however written


@pytest.mark.slow
def test_a_note_named_like_a_generated_page_never_replaces_or_hides_it(tmp_path):
    root = write_base(tmp_path / "kb", {
        "notes/index.md": "---\ntitle: Index\n---\nMy own index page.\n",
        "notes/authors.md": "---\ntitle: Authors\n---\nPeople I read.\n",
        "notes/tags.md": "---\ntitle: Tags\n---\nHow I tag.\n",
        "notes/page.md": "---\ntitle: Page\ntags: [x]\n---\n[[Index]], [[Authors]], [[Tags]]\n",
        "papers/p.md": "---\ntitle: P\nauthors: [Ada Lovelace]\n---\n"})
    site = tmp_path / "site"
    built = run_kb("build", "--root", str(root), "-d", str(site), "--strict", "--no-exec")
    assert built.exit_code == 0, built.output
    listing = (site / "notes/index.html").read_text()
    assert "My own index page." not in listing and 'href="../notes/page/"' in listing
    assert "Ada Lovelace" in (site / "notes/authors/index.html").read_text()  # the authors list
    # each note is published beside the page it is named like (notes/tags/ takes nothing's place)
    for folder, words in (("notes/index-2", "My own index page."), ("notes/authors-2", "People I read."),
                          ("notes/tags", "How I tag.")):
        assert words in (site / folder / "index.html").read_text()
    page = (site / "notes/page/index.html").read_text()
    assert 'href="../../notes/index-2/"' in page and 'href="../../notes/authors-2/"' in page
