"""Link forms: wikilinks (id, label, heading, title/alias, `||`), Markdown links, authors, code."""

from __future__ import annotations

from helpers import write_base

from tooling.base import open_base
from tooling.syntax import Scan, mask_code, parse_wikilink


def links_of(kb, source):
    return [(l.type, l.target, l.label, l.anchor, l.line) for l in kb.links if l.source == source]


def test_parse_wikilink_forms():
    assert parse_wikilink("meng2022locating") == ("meng2022locating", None, None)
    assert parse_wikilink("meng2022locating|ROME") == ("meng2022locating", None, "ROME")
    assert parse_wikilink("meng2022locating#Method") == ("meng2022locating", "Method", None)
    assert parse_wikilink("a#Sec|label") == ("a", "Sec", "label")
    assert parse_wikilink("Some Title||criticism") == ("Some Title", None, "criticism")
    assert parse_wikilink("a\\|escaped in table") == ("a", None, "escaped in table")


def test_code_is_never_a_link():
    body = "before [[a]]\n```python\nx = '[[b]]'\n```\ninline `[[c]]` and ``[[d]]`` then [[e]]\n~~~\n[[f]]\n~~~\n"
    masked = mask_code(body)
    assert len(masked) == len(body) and masked.count("\n") == body.count("\n")
    assert [r.target for r in Scan(body).refs] == ["a", "e"]


def test_lines_are_file_lines(tmp_path):
    write_base(tmp_path, {
        "notes/a.md": "---\ntitle: A\n---\nline four\n\nline six [[b]]\n[[b|again]] [t](b.md)\n",
        "notes/b.md": "---\ntitle: B\n---\n",
    })
    kb = open_base(tmp_path)
    assert links_of(kb, "a") == [
        ("wikilink", "b", None, None, 6),
        ("wikilink", "b", "again", None, 7),
        ("link", "b", "t", None, 7),
    ]


def test_resolution_by_id_title_alias_case_insensitive_and_heading(tmp_path):
    write_base(tmp_path, {
        "papers/meng2022locating.md": "---\ntitle: Locating and Editing Factual Associations in GPT\n"
                                      "aliases: [ROME paper]\n---\n",
        "notes/n.md": "---\ntitle: N\n---\n[[meng2022locating]] [[locating and editing factual "
                      "associations in gpt]] [[Rome Paper|r]] [[meng2022locating#Method]]\n"
                      "[[Locating and Editing Factual Associations in GPT||strong criticism]]\n",
    })
    kb = open_base(tmp_path)
    assert links_of(kb, "n") == [
        ("wikilink", "meng2022locating", None, None, 4),
        ("wikilink", "meng2022locating", None, None, 4),
        ("wikilink", "meng2022locating", "r", None, 4),
        ("wikilink", "meng2022locating", None, "Method", 4),
        ("wikilink", "meng2022locating", "strong criticism", None, 5),
    ]


def test_markdown_links_relative_to_the_note(tmp_path):
    write_base(tmp_path, {
        "notes/talks/t.md": "---\ntitle: T\n---\n[paper](../../papers/p.md#abstract) "
                            "[ext](https://arxiv.org/abs/1) [self](#top) ![img](fig.png) "
                            "[Patch](Page%20Name%2013dafed922dc8063af51d46d7209ec05.md)\n",
        "notes/talks/fig.png": b"\x89PNG",
        "papers/p.md": "---\ntitle: P\n---\n",
    })
    kb = open_base(tmp_path)
    assert links_of(kb, "t") == [
        ("link", "p", "paper", "abstract", 4),
        ("link", None, "Patch", None, 4),  # a Notion link to a page that was not exported
    ]
    assert kb.unresolved[0].raw == "Page Name 13dafed922dc8063af51d46d7209ec05.md"


def test_front_matter_fields_make_typed_edges_and_authors_are_slugs(tmp_path):
    write_base(tmp_path, {
        "papers/p.md": "---\ntitle: P\nauthors: [Kevin Meng, Sébastien Bubeck]\nconcepts: [c]\n"
                       "related: [n]\n---\n",
        "concepts/c.md": "---\ntitle: C\nprerequisites: [d]\npapers: [p]\n---\n",
        "concepts/d.md": "---\ntitle: D\n---\n",
        "notes/n.md": "---\ntitle: N\nkind: plan\nitems:\n  main: [c]\n  optional: [d]\n---\n",
        "notes/authors/kevin-meng.md": "---\ntitle: Kevin Meng\n---\n",
    })
    kb = open_base(tmp_path)
    assert links_of(kb, "p") == [
        ("author", "kevin-meng", "Kevin Meng", None, 3),
        ("author", "sebastien-bubeck", "Sébastien Bubeck", None, 3),
        ("concept", "c", None, None, 4),
        ("related", "n", None, None, 5),
    ]
    assert [(l.type, l.target, l.group) for l in kb.links if l.source == "n"] == [
        ("item", "c", "main"), ("item", "d", "optional")]
    assert kb.graph.nodes["sebastien-bubeck"] == {
        "kind": "author", "title": "Sébastien Bubeck", "status": None, "path": None}
    assert kb.graph.nodes["kevin-meng"]["path"] == "notes/authors/kevin-meng.md"
    assert kb.note("n").kind == "plan"


def test_author_note_aliases_unify_name_variants(tmp_path):
    write_base(tmp_path, {
        "papers/p.md": "---\ntitle: P\nauthors: [K. Meng]\n---\n",
        "notes/authors/kevin-meng.md": "---\ntitle: Kevin Meng\naliases: [K. Meng]\n---\n",
    })
    kb = open_base(tmp_path)
    assert [l.target for l in kb.links] == ["kevin-meng"]
    assert "k-meng" not in kb.graph


def test_wikilink_to_an_author_without_a_note(tmp_path):
    write_base(tmp_path, {
        "papers/p.md": "---\ntitle: P\nauthors: [Jacob Steinhardt]\n---\n",
        "notes/n.md": "---\ntitle: N\n---\nAsk [[Jacob Steinhardt]].\n",
    })
    kb = open_base(tmp_path)
    assert [l.target for l in kb.links if l.source == "n"] == ["jacob-steinhardt"]
    assert kb.unresolved == []


def test_wikilinks_in_front_matter_values_are_accepted(tmp_path):
    write_base(tmp_path, {
        "papers/p.md": '---\ntitle: P\nconcepts: ["[[Model editing]]"]\n---\n',
        "concepts/model-editing.md": "---\ntitle: Model editing\n---\n",
    })
    assert [l.target for l in open_base(tmp_path).links] == ["model-editing"]


def test_attachment_embeds_are_not_note_links(tmp_path):
    write_base(tmp_path, {"notes/n.md": "---\ntitle: N\n---\n![[diagram.png]] ![[other-note]]\n"})
    kb = open_base(tmp_path)
    assert [(l.raw, l.target) for l in kb.links] == [("other-note", None)]
