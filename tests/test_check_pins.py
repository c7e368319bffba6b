"""Which note a relational check flags, pinned to path AND line: a change that reports the right
code on the wrong note (the holder instead of the duplicate, the target instead of the source,
the field instead of the item) must fail here."""

from __future__ import annotations

from helpers import check_json, write_base


def flagged(root, code: str) -> list[tuple[str, int, str]]:
    return sorted((p["path"], p["line"], p["message"]) for p in check_json(root) if p["code"] == code)


def test_duplicate_arxiv_flags_each_later_paper_at_its_arxiv_line(tmp_path):
    # Path order decides which paper holds the id (papers/a.md); each other one is flagged at its
    # own `arxiv` line, naming the holder. A note outside papers/ with the id is no paper.
    write_base(tmp_path, {
        "papers/a.md": '---\ntitle: A\narxiv: "2202.05262"\nrelated: [b, c, m]\n---\n',
        "papers/b.md": '---\ntitle: B\nyear: 2022\narxiv: "2202.05262v2"\n---\n',
        "papers/m.md": '---\ntitle: M\narxiv: "2211.00593"\n---\n',
        "papers/z.md": '---\ntitle: Z\nyear: 2022\nstatus: reading\narxiv: "2202.05262v1"\n---\n[[a]]\n',
        "notes/c.md": '---\ntitle: C\narxiv: "2202.05262"\n---\n',
    })
    assert flagged(tmp_path, "duplicate-arxiv") == [
        ("papers/b.md", 4, "arXiv 2202.05262 is also in papers/a.md"),
        ("papers/z.md", 5, "arXiv 2202.05262 is also in papers/a.md"),
    ]


def test_duplicate_id_flags_every_file_at_line_1_and_says_which_one_is_used(tmp_path):
    write_base(tmp_path, {
        "notes/x.md": "---\ntitle: Stray\n---\n[[x]]\n",
        "concepts/x.md": "---\ntitle: The concept\n---\n```python demo\nprint(1)\n```\n",
        "notes/deep/x.md": "---\ntitle: Deeper\n---\n",
        "notes/y.md": "---\ntitle: Y\n---\n[[x]]\n",
    })
    found = flagged(tmp_path, "duplicate-id")
    assert [(path, line) for path, line, _ in found] == [
        ("concepts/x.md", 1), ("notes/deep/x.md", 1), ("notes/x.md", 1)]
    used = [path for path, _, message in found if "is the one links, the site and exports use" in message]
    assert used == ["concepts/x.md"]
    assert "also notes/deep/x.md, notes/x.md" in found[0][2]


def test_unresolved_link_flags_the_source_note_at_the_link_line(tmp_path):
    write_base(tmp_path, {
        "notes/a.md": "---\ntitle: A\nrelated: [b]\n---\nFirst.\n\nSee [[ghost]].\n",
        "notes/b.md": ("---\ntitle: B\nrelated:\n  - a\n  - c\n  - phantom\nconcepts: [a, spook]\n"
                       "---\n[[a]] and [[c]]\n"),
        "notes/c.md": "---\ntitle: C\naliases: [Sea]\n---\n[[Sea]] [text](b.md) [x](gone.md)\n",
    })
    assert flagged(tmp_path, "unresolved-link") == [
        ("notes/a.md", 7, "unresolved wikilink [[ghost]]"),
        ("notes/b.md", 6, "unresolved link to 'phantom' in 'related'"),
        ("notes/b.md", 7, "unresolved link to 'spook' in 'concepts'"),
        ("notes/c.md", 5, "unresolved link to 'gone.md' (no such file)"),
    ]
