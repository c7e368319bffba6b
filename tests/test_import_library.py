"""`kb import refs.bib` and `kb import library.json` (issue 21), on real libraries exported by
Zotero's Better BibTeX (tests/data/sources/library, see SOURCE.md): a paper per entry, the
identifiers and metadata kept, every entry's note text kept word for word, deduplicated against
the base by DOI, arXiv id, then title, and an import run again writing only what is missing."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
from helpers import meta_of, snapshot, write_base

from tooling.notes.frontmatter import split

LIBRARY = Path(__file__).parent / "data" / "sources" / "library"
BIB = LIBRARY / "bbt-901-collections.bib"
BBT_JSON = LIBRARY / "bbt-3258-pull-export.json"
CSL_JSON = LIBRARY / "bbt-1179-fields.csl.json"


def bodies(root: Path) -> str:
    return "\n".join(split(p.read_text(encoding="utf-8")).body for p in sorted(root.rglob("*.md")))


def test_every_bibtex_entry_becomes_a_paper_with_its_notes_word_for_word(base, kb):
    raw = bibtexparser.parse_string(BIB.read_text(encoding="utf-8"))
    notes = [f.value for e in raw.entries for f in e.fields if f.key.lower() in ("note", "annote")]

    run = kb("import", BIB, "--root", base)

    assert run.code == 0, run.err
    assert len(list((base / "papers").iterdir())) == len(raw.entries) == 36
    assert len(notes) == 2 and all(note.strip() in bodies(base) for note in notes)
    assert "tir\\'e d'une \\'etude" in bodies(base)  # as the file holds it, LaTeX and all
    meta = meta_of(base / "papers" / "bunge1973exact.md")
    assert (meta["title"], meta["authors"], meta["year"]) == ("Exact Philosophy", ["Mario Bunge"], 1973)
    assert meta["aliases"] == ["Bunge-1973-ExactPhilosophy"] and meta["imported_from"].startswith(
        "bbt-901-collections.bib:")
    assert "fetched" not in meta["arxiv_sync"]  # the tool's, unchecked: `kb fetch` may replace them
    assert kb("check", "--root", base).code == 0


def test_better_bibtex_json_keeps_each_items_notes_and_ids(base, kb):
    items = json.loads(BBT_JSON.read_text(encoding="utf-8"))["items"]

    run = kb("import", BBT_JSON, "--root", base)

    assert run.code == 0, run.err
    text = bodies(base)
    notes = [n if isinstance(n, str) else n["note"] for item in items for n in item.get("notes", [])]
    # every note word for word, its HTML too (made safe where the site publishes it, issue 19)
    assert len(notes) == 35 and all(note.strip() in text for note in notes)
    dois = {meta_of(p).get("doi", "").lower() for p in (base / "papers").iterdir()}
    assert {item["DOI"].lower() for item in items if item.get("DOI")} <= dois


def test_csl_json_items_become_papers(base, kb):
    items = json.loads(CSL_JSON.read_text(encoding="utf-8"))

    run = kb("import", CSL_JSON, "--root", base, "--json")

    assert run.code == 0, run.err
    report = json.loads(run.out)
    assert len(report["created"]) == len(items) == 26
    found = {meta_of(base / row["path"])["title"] for row in report["created"]}
    assert found == {" ".join(item["title"].split()) for item in items}


def test_entries_already_in_the_base_are_not_imported_again_and_their_notes_are_kept(base, kb):
    mine = "---\ntitle: My copy\ndoi: 10.1007/978-94-011-4034-8\nstatus: read\n---\nI wrote this.\n"
    write_base(base, {"papers/mine.md": mine,
                      "papers/routledge.md": "---\ntitle: Routledge Dictionary of Economics\n---\nx\n"})
    before = snapshot(base / "papers")

    run = kb("import", BIB, "--root", base)

    assert run.code == 0, run.err
    assert {k: v for k, v in snapshot(base / "papers").items() if k in before} == before  # untouched
    skipped = [line for line in run.out.splitlines() if line.startswith("skipped paper")]
    assert len(skipped) == 1 and "papers/mine.md" in skipped[0] and "(same doi)" in skipped[0]
    assert any("papers/routledge.md" in line and "its notes kept here" in line
               for line in run.out.splitlines())  # the entry's note has a note of its own
    companion = next((base / "notes").glob("routledge-dictionary-of-economics-notes-from-*.md"))
    assert meta_of(companion)["related"] == ["routledge"]
    assert "Title from e-book title screen (viewed October 15, 2007)" in companion.read_text()
    assert len(list((base / "papers").iterdir())) == 34 + 2  # two entries were already there
    after = snapshot(base)
    again = kb("import", BIB, "--root", base)
    assert "imported 0 notes" in again.out and snapshot(base) == after  # the companion too


def test_an_import_run_again_or_after_an_interruption_writes_only_what_is_missing(base, kb):
    kb("import", BIB, "--root", base)
    complete = snapshot(base)
    for path in sorted((base / "papers").iterdir())[::3]:  # as if the run had stopped early
        path.unlink()

    again = kb("import", BIB, "--root", base)
    third = kb("import", BIB, "--root", base)

    assert again.code == 0 and snapshot(base) == complete
    assert "imported 0 notes" in third.out and "36 skipped" in third.out


def test_dry_run_writes_nothing_and_bad_entries_are_named_by_line(base, kb, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{good, title = {A Good Entry}, author = {Doe, Jane}, year = 2020,\n"
                   "  doi = {10.5555/good}}\n\n@misc{bad, title = {unclosed\n", encoding="utf-8")
    broken = tmp_path / "library.json"
    broken.write_text('{"not": "a library"}', encoding="utf-8")
    before = snapshot(base)

    dry = kb("import", bib, broken, "--root", base, "--dry-run")
    real = kb("import", bib, "--root", base)

    assert snapshot(base) != before and dry.code == 1
    assert f"{bib}:4: error library-entry-unreadable: not imported" in dry.err
    assert f"{broken}:1: error library-entry-unreadable: not imported: neither a CSL JSON" in dry.err
    assert "would create paper   papers/doe2020good.md" in dry.out
    assert real.code == 1 and meta_of(base / "papers" / "doe2020good.md")["doi"] == "10.5555/good"
