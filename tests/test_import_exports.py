"""`kb import` on real-shaped exports (issues 10 and 19): an Obsidian vault and a Notion tree
import as themselves, one note per page, words and links as written; a `•` outline is carved.
One test per finding, on the fixtures in data/import/."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import REPO, check_json, meta_of, run_kb, write_base

from tooling.base import open_base
from tooling.notes.frontmatter import split

DATA = REPO / "tests" / "data" / "import"
SEEDS = Path(__file__).parent / "data" / "seeds"


def notes_under(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*.md"))}


def body_of(text: str) -> str:
    return split(text).body


def page_from(root: Path, name: str) -> str:
    """The text of the note imported from the input file `name` (a page, or a carved outline)."""
    return next(t for p, t in notes_under(root).items()
                if re.match(rf"(.*/)?{re.escape(name)}(:1)? ", str(meta_of(t).get("imported_from"))))


def import_into(root: Path, *paths: Path | str, extra: tuple[str, ...] = ()):
    result = run_kb("import", *map(str, paths), "--root", str(root), *extra)
    return result


@pytest.fixture
def vault(tmp_path: Path) -> tuple[Path, object]:
    root = tmp_path / "kb"
    result = import_into(root, DATA / "vault")
    assert result.exit_code == 0, result.output
    return root, result


V = "notes/vault"


# --- 1. whole pages were dropped -------------------------------------------------------------


def test_a_page_colliding_with_an_existing_note_is_imported_beside_it_and_linked(tmp_path):
    root = write_base(tmp_path / "kb", {
        "concepts/superposition.md": "---\ntitle: Superposition\n---\nThe shipped concept.\n"})
    before = (root / "concepts/superposition.md").read_bytes()
    result = import_into(root, DATA / "vault")
    assert result.exit_code == 0, result.output
    assert (root / "concepts/superposition.md").read_bytes() == before
    page = (root / f"{V}/Superposition-2.md").read_text()
    assert meta_of(page)["title"] == "Superposition (imported)"
    assert meta_of(page)["related"] == ["superposition"]
    assert body_of(page) == (DATA / "vault/Superposition.md").read_text()
    assert re.search(r"linked +concept +concepts/superposition\.md .*collides with "
                     rf"concepts/superposition\.md: imported as {V}/Superposition-2\.md", result.output)
    # the base's own `[[Superposition]]` still means the concept
    assert open_base(root).index.resolve_name("Superposition") == "superposition"


def test_reimporting_an_updated_export_updates_its_notes_in_place(tmp_path):
    export = tmp_path / "export"
    shutil.copytree(DATA / "notion", export)
    root = tmp_path / "kb"
    assert import_into(root, export).exit_code == 0
    first = notes_under(root)
    page = next(export.glob("Project *.md"))
    page.write_text(page.read_text() + "\nA paragraph written after the first export.\n")
    again = import_into(root, export)
    assert again.exit_code == 0, again.output
    after = notes_under(root)
    assert set(after) == set(first)  # one note per page: nothing beside it
    changed = [p for p in first if after[p] != first[p]]
    assert changed == ["notes/export/Project aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.md"]
    assert body_of(after[changed[0]]) == page.read_text()
    assert re.search(r"updated note +notes/export/Project a+\.md +'Project'.*changed in the "
                     r"export since the last import", again.output)


def test_non_latin_titles_get_ids_of_their_own_and_links_to_them_resolve(vault):
    root, _ = vault
    notes = notes_under(root)
    assert {f"{V}/Трансформеры.md", f"{V}/张三.md", f"{V}/章三.md"} <= set(notes)
    kb = open_base(root)
    link = next(l for l in kb.links if l.raw == "Трансформеры")
    assert (link.source, link.target) == ("SAE notes", "Трансформеры")
    assert [p for p in check_json(root) if p["code"] == "unresolved-link"] == []


# --- 2. images overwrote each other ----------------------------------------------------------


def test_same_named_images_of_two_notion_pages_stay_apart(tmp_path):
    root = tmp_path / "kb"
    assert import_into(root, DATA / "notion").exit_code == 0
    home = root / "notes/notion/Project aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    assert (home / "image.png").read_bytes().endswith(b"project-picture")
    assert (home / "Sub page bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/image.png").read_bytes().endswith(
        b"sub-page-picture")
    # the pages keep their links as written: each still finds its own image beside it
    project = (root / "notes/notion/Project aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.md").read_text()
    assert "![image.png](Project%20aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/image.png)" in project
    assert meta_of(project)["title"] == "Project"  # Notion's id is no part of the title


# --- 3. Obsidian vaults were not understood ---------------------------------------------------


def test_obsidian_front_matter_is_kept_as_written_and_the_file_name_is_the_title(vault):
    root, _ = vault
    text = notes_under(root)[f"{V}/SAE notes.md"]
    written = (DATA / "vault/SAE notes.md").read_text()
    for line in written.split("\n"):  # every line as written, front matter included
        assert line in text.split("\n")
    meta = meta_of(text)
    assert meta["title"] == "SAE notes" and meta["aliases"] == ["Sparse autoencoders"]
    assert meta["created"] == "2024-03-01" and meta["rating"] == 5
    assert meta_of(notes_under(root)[f"{V}/Research/Other note.md"])["title"] == "Other note"
    # two pages with one file name: the nearer the top keeps it, both imported
    assert {f"{V}/Archive/Untitled.md", f"{V}/Inbox/Untitled-2.md"} <= set(notes_under(root))


def test_links_between_vault_notes_resolve_by_name_path_alias_and_heading(vault):
    root, _ = vault
    body = body_of(notes_under(root)[f"{V}/SAE notes.md"])
    assert "See [[Other note]], [[Research/Other note#Method|its method]] and " \
           "[[Sparse autoencoders|myself]]." in body  # as written
    kb = open_base(root)
    targets = {(l.raw, l.target, l.anchor) for l in kb.links if l.source == "SAE notes"}
    assert {("Other note", "Other note", None), ("Research/Other note", "Other note", "Method"),
            ("Sparse autoencoders", "SAE notes", None)} <= targets
    assert [p for p in check_json(root) if p["severity"] == "error"] == []


def test_embeds_callouts_comments_and_hidden_folders(vault):
    root, result = vault
    body = body_of(notes_under(root)[f"{V}/SAE notes.md"])
    assert "![[diagram.png]]\n![[pasted.png|300]]" in body
    assert (root / f"{V}/Research/diagram.png").read_bytes().endswith(b"vault-diagram")
    assert (root / f"{V}/attachments/pasted.png").exists()
    assert "> [!note] A callout\n> It stays a quote block, with its [[Other note|link]]" in body
    assert "%%private reminder: ask Ada%%" in body  # kept as written; the site never shows it
    titles = {meta_of(t)["title"] for t in notes_under(root).values()}
    assert "Deleted idea" not in titles and "Daily" not in titles and "{{date}}" not in titles
    assert "Obsidian's deleted notes (1 file), not imported" in result.output
    assert "Templates/Daily.md" in result.output and "in a templates folder" in result.output


# --- 4. outlines other than - * + were flat text ----------------------------------------------


def test_a_bullet_outline_becomes_papers_with_the_users_remarks(tmp_path):
    root = tmp_path / "kb"
    assert import_into(root, DATA / "outline.txt").exit_code == 0
    notes = notes_under(root)
    page = body_of(notes["notes/transformers-reading-map.md"])
    assert "- early papers\n    - [[vaswani2017attention]] (vaswani et al. 2017)\n" in page
    paper = notes["papers/vaswani2017attention.md"]
    meta = meta_of(paper)
    assert (meta["title"], meta["authors"], meta["year"]) == ("attention is all you need", ["vaswani"], 2017)
    # unchecked: the tool's to replace (`kb fetch --resolve`), and never fetched
    assert set(meta["arxiv_sync"]) == {"title", "authors", "year"}
    assert body_of(paper) == ("initial transformer\n\n- encoder-decoder for seq-to-seq\n"
                              "- [[dai2015semi]] (dai & quoc le, 2015)\n")
    assert meta_of(notes["papers/dai2015semi.md"])["authors"] == ["dai", "quoc le"]


# --- 5. common Markdown was mangled ------------------------------------------------------------


def test_heading_links_every_link_on_a_line_tables_lists_and_sentences_survive(tmp_path):
    root = tmp_path / "kb"
    assert import_into(root, DATA / "outline.txt").exit_code == 0
    notes = notes_under(root)
    by_arxiv = {meta_of(t).get("arxiv"): p for p, t in notes.items() if p.startswith("papers/")}
    page = body_of(notes["notes/transformers-reading-map.md"])
    assert "## [[toy-models-superposition|Toy Models of Superposition]]\n" in page
    assert "2209.10652" in by_arxiv  # a link in a heading makes a paper
    assert {"2202.05262", "2211.00593"} <= set(by_arxiv)  # every link on the line
    assert "- compare [[zoom|Zoom In]] with [[rome|ROME]] and [[arxiv-2211-00593]] too\n" in page
    assert meta_of(notes["papers/zoom.md"])["url"] == "https://distill.pub/2020/circuits/zoom-in/"
    assert "- I liked [[arxiv-2305-00586]] a lot, because it is short.\n" in page
    # a paper in a table too, the row's cells kept (`\\|` inside a link, as Obsidian writes it)
    assert ("| model | year |\n| --- | --- |\n| [[gpt-2\\|GPT-2]] | 2019 |\n\n"
            "1. first numbered point\n2. second numbered point\n") in page
    assert meta_of(notes["papers/gpt-2.md"])["arxiv"] == "2005.14165"
    assert "    1. predict masked words\n" not in page  # moved, whole, into BERT's note
    assert "1. predict masked words\n2. then finetune" in notes["papers/devlin2018bert.md"]


# --- 6. marks were lost --------------------------------------------------------------------------


def test_done_marks_on_existing_notes_and_later_mentions_and_open_boxes(tmp_path):
    root = write_base(tmp_path / "kb", {
        "papers/elhage2022toy.md": '---\ntitle: Toy Models of Superposition\narxiv: "2209.10652"\n'
                                   "status: to-read\n---\nMine.\n"})
    before = (root / "papers/elhage2022toy.md").read_bytes()
    page = write_base(tmp_path / "in", {"list.md": "- ✅ [Toy](https://arxiv.org/abs/2209.10652)\n"})
    result = import_into(root, page / "list.md", DATA / "outline.txt", extra=("--carve",))
    assert result.exit_code == 0, result.output
    assert (root / "papers/elhage2022toy.md").read_bytes() == before  # import never edits it
    assert "- ✅ [[elhage2022toy|Toy]]" in page_from(root, "list.md")
    command = re.search(r"to mark +(kb mark elhage2022toy read) +\(from \S*list\.md:1\)", result.output)
    assert command
    # the command printed is one `kb mark` runs as it is
    marked = run_kb(*command.group(1).split()[1:], "--root", str(root))
    assert marked.exit_code == 0, marked.output
    assert meta_of((root / "papers/elhage2022toy.md").read_text())["status"] == "read"
    notes = notes_under(root)
    assert meta_of(notes["papers/howard2018ulmfit.md"])["status"] == "read"  # ✅ on a 2nd mention
    assert "- [ ] [[read-the-appendix]]" in notes["notes/transformers-reading-map.md"]


# --- 7. no dedupe by title -----------------------------------------------------------------------


def test_a_paper_in_the_base_without_an_arxiv_id_is_found_by_its_title(tmp_path):
    root = write_base(tmp_path / "kb", {
        "papers/meng2022locating.md": "---\ntitle: Locating and Editing Factual Associations in GPT\n"
                                      "---\nNo id yet.\n"})
    page = write_base(tmp_path / "in", {"list.md": "- [Locating and editing factual associations in "
                                                   "GPT](https://arxiv.org/abs/2202.05262) great\n"})
    result = import_into(root, page, extra=("--carve",))
    assert result.exit_code == 0, result.output
    assert sorted(p for p in notes_under(root) if p.startswith("papers/")) == ["papers/meng2022locating.md"]
    assert "[[meng2022locating|Locating and editing factual associations in GPT]] great" in \
        page_from(root, "list.md")


def test_the_same_title_on_other_arxiv_ids_is_another_paper(tmp_path):
    root = write_base(tmp_path / "kb", {
        "papers/vaswani2017attention.md": '---\ntitle: Attention\narxiv: "1706.03762"\n---\n'})
    page = write_base(tmp_path / "in", {"list.md": "- [Attention](https://arxiv.org/abs/2101.00001)\n"
                                                   "- [Attention](https://arxiv.org/abs/2101.00002)\n"})
    assert import_into(root, page, extra=("--carve",)).exit_code == 0
    ids = sorted(meta_of(t)["arxiv"] for p, t in notes_under(root).items() if p.startswith("papers/"))
    assert ids == ["1706.03762", "2101.00001", "2101.00002"]


# --- 8. the seeds' import failed kb check and kb build --strict --------------------------------


@pytest.mark.slow
def test_the_seeds_imported_into_an_empty_base_pass_check_and_a_strict_build(tmp_path):
    root = tmp_path / "kb"
    result = import_into(root, *sorted(SEEDS.glob("00[0-4]_*.txt")))
    assert result.exit_code == 0, result.output
    assert [p for p in check_json(root) if p["severity"] == "error"] == []
    built = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"), "--strict")
    assert built.exit_code == 0, built.output
    # seed 003: its topic sections are notes, its ~340 mentions papers
    sections = list((root / "notes/transformers-view-markdown").glob("*.md"))
    assert len(sections) >= 25
    assert len(list((root / "papers").glob("*.md"))) > 300


# --- 9. one bad reference stopped everything ---------------------------------------------------


def test_data_images_and_bad_references_never_stop_the_others(tmp_path):
    src = write_base(tmp_path / "in", {
        "a.md": "![broken](data:text/html;base64,PHNjcmlwdD4=)\n![long](" + "x" * 400 + ".png)\n",
        "b.md": "- [A paper](https://arxiv.org/abs/2101.00001)\n"})
    root = tmp_path / "kb"
    result = import_into(root, src, DATA / "vault")
    assert result.exit_code == 0, result.output
    notes = notes_under(root)
    assert "notes/in/b.md" in notes and f"{V}/SAE notes.md" in notes
    assert "warning missing-attachment" in result.output
    assert body_of(page_from(root, "a.md")) == (src / "a.md").read_text()  # kept as written
    assert "![dot](data:image/png;base64,iVBOR" in notes[f"{V}/SAE notes.md"]


# --- 10. smaller ones ----------------------------------------------------------------------------


def test_root_created_empty_files_reported_a_file_given_twice_read_once(tmp_path):
    root = tmp_path / "new" / "kb"
    result = import_into(root, DATA / "outline.txt", DATA / "outline.txt", DATA / "vault" / "Empty.md")
    assert result.exit_code == 0, result.output
    assert root.is_dir()
    assert len([p for p in notes_under(root) if p.startswith("notes/")]) == 1
    assert "given twice; read once" in result.output
    assert "Empty.md: info input-empty: skipped: empty file" in result.output
    # in a folder, an empty page is a note all the same (Obsidian's links lead to it)
    again = import_into(tmp_path / "kb2", DATA / "vault")
    assert (tmp_path / "kb2" / V / "Empty.md").exists()
    assert "an empty page: imported as an empty note" in again.output


def test_csv_databases_become_a_note_per_row(tmp_path):
    root = tmp_path / "kb"
    result = import_into(root, DATA / "notion")
    notes = notes_under(root)
    row = meta_of(notes["notes/reading-list/toy-models.md"])
    assert row["tags"] == ["interp", "superposition"] and row["Status"] == "Done"
    assert row["url"] == "https://example.org/toy"
    assert "- [[toy-models]]\n- [[scaling-laws]]" in notes["notes/reading-list.md"]
    # the page's link to the database file still leads to it: the file is copied beside it
    assert (root / "notes/notion/Project aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Reading list "
                   "cccccccccccccccccccccccccccccccc.csv").exists()
    assert "Notion's view of a database; its _all.csv has every row" in result.output


def test_messages_name_files_by_path_and_placeholders_record_no_fetch(tmp_path, vault):
    root, result = vault
    assert "vault/Inbox/Untitled.md:1" in result.output and "vault/Archive/Untitled.md:1" in result.output
    other = tmp_path / "kb2"
    import_into(other, DATA / "outline.txt")
    placeholder = meta_of(notes_under(other)["papers/arxiv-2211-00593.md"])
    assert placeholder["title"] == "arXiv 2211.00593"
    assert "fetched" not in placeholder["arxiv_sync"]


def test_json_report_lists_created_linked_skipped_to_mark_and_copied(tmp_path):
    root = write_base(tmp_path / "kb", {
        "concepts/superposition.md": "---\ntitle: Superposition\n---\nThe shipped concept.\n"})
    result = import_into(root, DATA / "vault", extra=("--json",))
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert set(report) >= {"created", "linked", "skipped", "to_mark", "copied", "problems", "counts"}
    assert {"kind": "note", "path": f"{V}/SAE notes.md", "title": "SAE notes"}.items() <= \
        next(r for r in report["created"] if r["path"] == f"{V}/SAE notes.md").items()
    assert [r["path"] for r in report["linked"]] == ["concepts/superposition.md"]
    assert {r["title"] for r in report["skipped"]} >= {".trash/", "Templates/Daily.md", "report.pdf"}
    assert len(report["copied"]) == 2
    assert {p["code"] for p in report["problems"]} >= {"input-empty", "stub-created"}


def test_mojibake_is_repaired_reported_by_line_and_nothing_else_changes(tmp_path):
    """Old exports decoded with the wrong code page (`đź“Ś` for 📌, `cafĂ©`/`cafÃ©` for café):
    ftfy repairs those lines, the report names each by line; correct text (accents, CJK, an
    em dash) passes through untouched."""
    export = write_base(tmp_path / "export", {"Notes.md": (
        "# Notes\n\n"
        "- đź“Ś interpretability page\n"
        "- notes from the cafÃ© talk\n"
        "- Łukasz and Jürgen — 注意力 stays as written\n")})
    root = tmp_path / "kb"
    result = import_into(root, export)
    assert result.exit_code == 0, result.output
    body = body_of(page_from(root, "Notes.md"))
    assert "- 📌 interpretability page" in body
    assert "- notes from the café talk" in body
    assert "- Łukasz and Jürgen — 注意力 stays as written" in body
    repaired = re.findall(r"Notes\.md:(\d+): info mojibake-repaired", result.output)
    assert repaired == ["3", "4"], result.output
