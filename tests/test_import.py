"""`kb import`: Notion/Obsidian-shaped exports become notes; nothing is lost, nothing overwritten."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from helpers import check_json, meta_of, run_kb, write_base

from tooling.base import open_base
from tooling.notes.frontmatter import split

NOTION_PAGE = """\
# Reading group prep

### Core

Basic NLP concepts

- ✅ tokenization
    
    split text into subword units
    
- [Attention](https://www.notion.so/Attention-0123456789abcdef0123456789abcdef?pvs=21)
- beam search
    - keeps the k best prefixes

Circuits concepts

[Probing](Reading%20group%20prep%20aaaaaaaabbbbbbbbccccccccdddddddd/Probing%20eeeeeeeeffffffff0000000011111111.md)

---

Papers to skim:

- ✅ [Toy Models of Superposition](https://arxiv.org/pdf/2209.10652v1.pdf)
    - features outnumber dimensions
        - interference is the price
- [Some Other Paper](https://arxiv.org/abs/2312.01234)

![chart.png](Reading%20group%20prep%20aaaaaaaabbbbbbbbccccccccdddddddd/chart.png)
![present.png](present.png)
"""

OBSIDIAN_NOTE = """\
Venues to watch: ICML

[Editing] -

[Locating and Editing Factual Associations in GPT](https://doi.org/10.48550/arXiv.2202.05262)
- Clear experiments.
- [[A critique of ROME||there is a critique]]
\t- nested remark with a tab

-

[https://arxiv.org/abs/2211.00593](https://l.messenger.com/l.php?u=https%3A%2F%2Farxiv.org%2Fabs%2F2211.00593&h=AT0xyz)

## Authors

### Ada Lovelace
Wrote about engines.

## Alan Turing
[Computing Machinery Paper](https://arxiv.org/abs/hep-th/9901001v2)
- an old-style id

## Other papers

- [Toy Models of Superposition](arxiv.org/abs/2209.10652) seen again
"""

TODO_LIST = """\
what is attribution patching?
[x] attention for images
[ ] graph networks
- https://arxiv.org/pdf/2209.10652
"""


def inputs(tmp_path: Path) -> Path:
    src = tmp_path / "exports"
    write_base(src, {"notion.md": NOTION_PAGE, "obsidian.md": OBSIDIAN_NOTE, "todo.txt": TODO_LIST,
                     "present.png": b"\x89PNG\r\n"})
    return src


def notes_under(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*.md"))}




def body_of(text: str) -> str:
    return split(text).body


@pytest.fixture
def imported(tmp_path):
    src = inputs(tmp_path)
    root = tmp_path / "kb"
    root.mkdir()
    result = run_kb("import", str(src), "--root", str(root), "--carve")
    assert result.exit_code == 0, result.output
    return root, src, result


def test_arxiv_links_become_papers_deduplicated_in_every_form(imported):
    root, _, _ = imported
    papers = {meta_of(t)["arxiv"]: (path, meta_of(t), body_of(t))
              for path, t in notes_under(root).items() if path.startswith("papers/")}
    assert set(papers) == {"2209.10652", "2312.01234", "2202.05262", "2211.00593", "hep-th/9901001"}
    path, meta, body = papers["2202.05262"]
    assert meta["title"] == "Locating and Editing Factual Associations in GPT"
    assert meta["status"] == "to-read"
    assert body == ("- Clear experiments.\n- [[A critique of ROME||there is a critique]]\n"
                    "\t- nested remark with a tab\n")
    # a redirector-wrapped link with a URL as its text: the id is decoded, the title a placeholder
    assert papers["2211.00593"][1]["title"] == "arXiv 2211.00593"
    # ✅ means read; annotations of both mentions are kept, word for word
    toy = papers["2209.10652"]
    assert toy[1]["status"] == "read"
    assert "- features outnumber dimensions\n    - interference is the price" in toy[2]
    assert "seen again" in toy[2]


def test_concepts_from_labels_checkboxes_and_questions(imported):
    root, _, _ = imported
    concepts = {meta_of(t)["title"]: (meta_of(t), body_of(t))
                for path, t in notes_under(root).items() if path.startswith("concepts/")}
    assert set(concepts) == {"tokenization", "Attention", "beam search", "attribution patching",
                             "attention for images", "graph networks"}
    assert concepts["tokenization"][0]["status"] == "studied"
    assert concepts["tokenization"][1].strip() == "split text into subword units"
    assert concepts["beam search"][1].strip() == "- keeps the k best prefixes"
    assert concepts["attention for images"][0]["status"] == "studied"
    assert concepts["graph networks"][0]["status"] == "to-study"
    # the Notion web link of a concept is kept in its body, not dropped
    assert "notion.so/Attention-0123456789abcdef" in concepts["Attention"][1]


def test_author_sections_become_author_notes_with_their_text(imported):
    root, _, _ = imported
    notes = notes_under(root)
    assert body_of(notes["notes/authors/ada-lovelace.md"]).strip() == "Wrote about engines."
    turing = body_of(notes["notes/authors/alan-turing.md"])
    paper_id = next(p[len("papers/"):-3] for p, t in notes.items()
                    if p.startswith("papers/") and meta_of(t)["arxiv"] == "hep-th/9901001")
    assert turing.strip() == f"[[{paper_id}]]"
    assert "- an old-style id" in body_of(notes[f"papers/{paper_id}.md"])


def test_the_page_remains_as_a_note_linking_to_what_was_moved(imported):
    root, _, _ = imported
    notes = notes_under(root)
    page = body_of(notes["notes/notion.md"])
    assert "- ✅ [[tokenization]]" in page
    assert "Papers to skim:" in page
    kb = open_base(root)
    assert {l.target for l in kb.links if l.source == "notion"} >= {
        "tokenization", "beam-search", "attention"}


def test_no_word_of_the_input_is_lost(imported):
    root, src, _ = imported
    written = " ".join(notes_under(root).values())
    for name in ("notion.md", "obsidian.md", "todo.txt"):
        text = (src / name).read_text()
        # Link URLs become arXiv ids or wikilinks; every word outside URLs must survive.
        words = set(re.findall(r"[A-Za-z]{3,}", re.sub(r"\(\S+?\)|https?://\S+", " ", text)))
        missing = {w for w in words if w not in written}
        assert missing == set(), (name, missing)


def test_missing_images_and_notion_pages_are_reported_present_images_copied(imported):
    root, _, result = imported
    assert "image 'Reading group prep aaaaaaaabbbbbbbbccccccccdddddddd/chart.png' is not present" in result.output
    assert "link to Notion page 'Probing' that is not in the import" in result.output
    # copied into a folder of the page's own, so two pages' `image.png` never meet
    assert (root / "notes/assets/notion/present.png").read_bytes() == b"\x89PNG\r\n"
    page = notes_under(root)["notes/notion.md"]
    assert "![present.png](assets/notion/present.png)" in page
    assert not list((root / "notes/assets").rglob("chart.png"))
    # what is missing is kept as text (a code span, so no broken link), never invented
    assert "`![chart.png](Reading%20group%20prep%20aaaaaaaabbbbbbbbccccccccdddddddd/chart.png)`" in page


def test_dry_run_prints_and_writes_nothing(tmp_path):
    src = inputs(tmp_path)
    root = tmp_path / "kb"
    root.mkdir()
    result = run_kb("import", str(src), "--root", str(root), "--dry-run", "--carve")
    assert result.exit_code == 0
    assert list(root.iterdir()) == []
    assert re.search(r"would create paper +papers/\S+\.md +'Locating and Editing Factual "
                     r"Associations in GPT' +\(from \S*/exports/obsidian\.md:5\)", result.output)
    assert "would copy file    notes/assets/notion/present.png" in result.output
    assert "would create author  notes/authors/ada-lovelace.md" in result.output


def test_second_import_creates_nothing_and_changes_nothing(imported):
    root, src, _ = imported
    before = {p: hashlib.sha256(t.encode()).hexdigest() for p, t in notes_under(root).items()}
    again = run_kb("import", str(src), "--root", str(root), "--carve")
    assert again.exit_code == 0
    assert "imported 0 notes" in again.output
    after = {p: hashlib.sha256(t.encode()).hexdigest() for p, t in notes_under(root).items()}
    assert after == before


def test_existing_notes_are_never_edited_and_their_annotations_stay_on_the_page(tmp_path):
    root = write_base(tmp_path / "kb", {
        "papers/meng2022locating.md": '---\ntitle: ROME\narxiv: "2202.05262v2"\n---\nMy own words.\n',
        "concepts/tokenization.md": "---\ntitle: Tokenization\n---\nMine.\n",
    })
    before = {p: (root / p).read_bytes() for p in notes_under(root)}
    result = run_kb("import", str(inputs(tmp_path)), "--root", str(root), "--carve")
    assert result.exit_code == 0
    assert re.search(r"linked +paper +papers/meng2022locating\.md +'Locating and Editing", result.output)
    assert re.search(r"linked +concept +concepts/tokenization\.md", result.output)
    # the ✅ on an existing concept is not lost: the exact command to apply it is printed
    assert re.search(r"to mark +kb mark tokenization studied", result.output)
    assert {p: (root / p).read_bytes() for p in before} == before
    page = body_of((root / "notes/obsidian.md").read_text())
    assert "- Clear experiments." in page  # kept on the page rather than lost
    # ... and the page links to the note it is about
    assert "[[meng2022locating|Locating and Editing Factual Associations in GPT]]" in page
    assert "- ✅ [[tokenization|tokenization]]" in body_of((root / "notes/notion.md").read_text())


def test_a_clash_with_an_unrelated_file_is_reported_and_left_untouched(tmp_path):
    root = write_base(tmp_path / "kb", {"notes/authors/ada-lovelace.md": "not a note at all"})
    # an id taken in another folder is a different note: the importer picks a free id instead
    result = run_kb("import", str(inputs(tmp_path)), "--root", str(root), "--carve")
    assert (root / "notes/authors/ada-lovelace.md").read_text() == "not a note at all"
    assert re.search(r"linked +author +notes/authors/ada-lovelace\.md +'Ada Lovelace'", result.output)


def test_binary_and_wrongly_encoded_inputs_are_skipped_by_name(tmp_path):
    src = write_base(tmp_path / "in", {
        "good.md": "- [A Paper](https://arxiv.org/abs/2101.00001)\n",
        "latin.txt": "caf\xe9 [B](https://arxiv.org/abs/2101.00002)\n".encode("latin-1"),
        "blob.md": b"\x00\x01\x02\x03",
    })
    root = tmp_path / "kb"
    root.mkdir()
    result = run_kb("import", str(src), "--root", str(root), "--carve")
    assert result.exit_code == 1  # something could not be placed
    assert "latin.txt: error input-not-text: skipped: not UTF-8 (line 1)" in result.output
    assert "blob.md: error input-not-text: skipped: binary file" in result.output
    assert [meta_of(t)["arxiv"] for p, t in notes_under(root).items() if p.startswith("papers/")] == ["2101.00001"]


def test_imported_base_passes_check_even_with_links_to_pages_never_exported(imported):
    root, _, result = imported
    errors = [p for p in check_json(root) if p["severity"] == "error"]
    assert errors == []
    # what import only warned about is still said: in the import's report
    assert "warning missing-page: link to Notion page 'Probing'" in result.output
    assert "info stub-created: [[A critique of ROME]] names no page" in result.output


def test_created_notes_get_ordinary_file_permissions(imported):
    import os
    import stat

    root, _, _ = imported
    umask = os.umask(0)
    os.umask(umask)
    modes = {stat.S_IMODE(p.stat().st_mode) for p in root.rglob("*.md")}
    assert modes == {0o666 & ~umask}


def test_placeholder_titles_are_replaced_by_the_first_fetch_user_titles_are_kept(imported, fake_arxiv):
    root, _, _ = imported
    by_arxiv = {meta_of(t)["arxiv"]: p for p, t in notes_under(root).items() if p.startswith("papers/")}
    fake_arxiv.add("2211.00593", title="Interpretability in the Wild", authors=["Kevin Wang"])
    fake_arxiv.add("2202.05262", title="Locating and Editing Factual Associations in GPT (v5)",
                         authors=["Kevin Meng"])
    result = run_kb("fetch", "2211.00593", "2202.05262", "--root", str(root))
    assert result.exit_code == 0, result.output
    ioi = meta_of((root / by_arxiv["2211.00593"]).read_text())
    assert ioi["title"] == "Interpretability in the Wild"
    rome = meta_of((root / by_arxiv["2202.05262"]).read_text())
    assert rome["title"] == "Locating and Editing Factual Associations in GPT"  # the user's link text
    assert "kept your title" in result.output
