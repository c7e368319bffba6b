"""`kb export bibtex`: arXiv-style entries that a real BibTeX parser reads back word for word."""

from __future__ import annotations

import bibtexparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from helpers import write_base

from tooling.notes.serialize import note_text


def parse(text: str) -> dict:
    library = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors()])
    assert not library.failed_blocks
    return {entry.key: entry for entry in library.entries}


def test_preprint_is_misc_and_non_ascii_names_round_trip(fake_arxiv, base, kb):
    kb("add", "1707.08567", "--root", base)

    run = kb("export", "bibtex", "--root", base)

    assert run.code == 0, run.err
    assert r'Dirk W{\"u}bben' in run.out
    entry = parse(run.out)["immink2017proceedings"]
    assert entry.entry_type == "misc"
    assert entry["author"][32] == "Dirk Wübben" and len(entry["author"]) == 34
    assert entry["title"] == ("Proceedings of Workshop AEW10: Concepts in Information Theory "
                              "and Communications")
    assert (entry["year"], entry["eprint"], entry["archivePrefix"], entry["primaryClass"]) == (
        "2017", "1707.08567", "arXiv", "cs.IT")
    assert entry["url"] == "https://arxiv.org/abs/1707.08567"
    assert "journal" not in entry.fields_dict and "doi" not in entry.fields_dict


def test_a_journal_reference_makes_an_article_with_doi(fake_arxiv, base, kb):
    kb("add", "2202.12139", "--root", base)

    entry = parse(kb("export", "bibtex", "--root", base).out)["ahuja2022testing"]

    assert entry.entry_type == "article"
    assert entry["doi"] == "10.1109/ICSTW55395.2022.00035"
    assert entry["journal"].startswith("Artificial Intelligence in Software Testing @ 2022 IEEE")


def test_latex_specials_and_accents_are_escaped_and_decode_back(fake_arxiv, base, kb):
    title = r"Q&A: 100% of $5 for #1 a_b {x} ~y^z back\slash in GPT-2, naïve Ünïcode"
    authors = ["Zoë O'Neil", "Łukasz Kaiser", "Florian Tramèr", "Ann & Bob Lab", "Smith, Jr."]
    fake_arxiv.add("2401.00005", title=title, authors=authors, published="2024-01-02T00:00:00Z")
    kb("add", "2401.00005", "--root", base)

    run = kb("export", "bibtex", "--root", base)

    entry = parse(run.out)["oneil2024q"]
    assert entry["title"] == title
    assert entry["author"] == authors
    assert "{GPT-2}" in run.out  # case protected from bibliography styles


def test_keys_are_stable_when_arxiv_changes_the_metadata(fake_arxiv, base, kb):
    kb("add", "2202.05262", "2211.00593", "--root", base)
    before = parse(kb("export", "bibtex", "--root", base).out)
    fake_arxiv.revise("2202.05262", title="A Different Title Altogether", journal_ref="NeurIPS")

    kb("fetch", "--refresh", "--root", base)
    after = parse(kb("export", "bibtex", "--root", base).out)

    assert set(after) == set(before) == {"meng2022locating", "wang2022interpretability"}
    assert after["meng2022locating"]["title"] == "A Different Title Altogether"
    assert after["meng2022locating"].entry_type == "article"


def test_selection_by_id_status_and_tag(fake_arxiv, base, kb):
    kb("add", "2202.05262", "--status", "read", "--root", base)
    kb("add", "2211.00593", "1703.01365", "--root", base)
    note = base / "papers" / "sundararajan2017axiomatic.md"
    note.write_text(note.read_text().replace("status: to-read\n", "status: to-read\ntags: [attribution]\n"))

    by_id = parse(kb("export", "bibtex", "wang2022interpretability", "arXiv:2202.05262",
                     "--root", base).out)
    by_status = parse(kb("export", "bibtex", "--status", "read", "--root", base).out)
    by_tag = parse(kb("export", "bibtex", "--tag", "attribution", "--root", base).out)
    everything = parse(kb("export", "bibtex", "--root", base).out)

    assert set(by_id) == {"wang2022interpretability", "meng2022locating"}
    assert set(by_status) == {"meng2022locating"}
    assert set(by_tag) == {"sundararajan2017axiomatic"}
    assert list(everything) == sorted(everything)  # stable order for diffs


def test_output_file_is_written_whole(fake_arxiv, base, kb, tmp_path):
    kb("add", "2202.05262", "--root", base)
    out = tmp_path / "refs.bib"

    run = kb("export", "bibtex", "-o", out, "--root", base)

    assert run.code == 0 and "wrote 1 entry" in run.err
    assert set(parse(out.read_text(encoding="utf-8"))) == {"meng2022locating"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_empty_selection_or_unknown_id_is_an_error(fake_arxiv, base, kb, tmp_path):
    kb("add", "2202.05262", "--root", base)

    empty = kb("export", "bibtex", "--tag", "nothing", "-o", tmp_path / "x.bib", "--root", base)
    unknown = kb("export", "bibtex", "nobody2020x", "--root", base)

    assert empty.code == 1 and "no paper note matches the selection" in empty.err
    assert not (tmp_path / "x.bib").exists()
    assert unknown.code == 1 and "no paper note 'nobody2020x'" in unknown.err


def test_a_hand_written_paper_without_arxiv_still_exports(base, kb):
    (base / "papers" / "old.md").write_text(
        "---\ntitle: An Old Book\nauthors: [Ann Author]\nyear: 1999\nurl: https://example.org/b\n---\n")

    entry = parse(kb("export", "bibtex", "--root", base).out)["old"]

    assert entry.entry_type == "misc" and entry["url"] == "https://example.org/b"
    assert "eprint" not in entry.fields_dict


INJECTIONS = [
    "2022}, note = {injected",
    "x}}, note = {injected",
    "ends with a backslash\\",
    "x\\}, note = {injected",
    "@misc{evil2, title = {Another}}",
    "} @misc{evil3, note={",
    "{unbalanced",
    '", note = "injected',
    "100% # ~ ^ & $ _",
]
FIELDS = {"title", "author", "year", "eprint", "archivePrefix", "primaryClass", "doi", "url",
          "journal"}


@pytest.mark.parametrize("field", ["title", "authors", "year", "doi", "primary_category",
                                   "journal_ref"])
@pytest.mark.parametrize("value", INJECTIONS)
def test_no_value_can_add_a_field_or_an_entry(tmp_path, kb, field, value):
    meta = {"title": "Plain", "authors": ["Ann Author"], "year": 2022, "arxiv": "2202.05262",
            "primary_category": "cs.LG", "doi": "10.1/x", "journal_ref": "J. Tests"}
    meta[field] = [value] if field == "authors" else value
    write_base(tmp_path, {"papers/evil.md": note_text(meta, "")})

    run = kb("export", "bibtex", "--root", tmp_path)

    assert run.code == 0, run.err
    library = bibtexparser.parse_string(run.out, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks and len(library.blocks) == 1
    (entry,) = library.entries
    assert entry.key == "evil" and set(entry.fields_dict) == FIELDS
    if field in ("title", "year", "journal_ref"):  # LaTeX-escaped text decodes back to the value
        name = {"journal_ref": "journal"}.get(field, field)
        assert entry[name] == " ".join(value.split())


def test_a_url_with_braces_or_backslashes_still_resolves(tmp_path, kb):
    write_base(tmp_path, {"papers/old.md": note_text(
        {"title": "Old", "year": 1999, "url": "https://example.org/a{b}\\c", "doi": "10.1/{x}"}, "")})

    # read raw: URL and DOI fields are verbatim, not LaTeX (decoding would take % for a comment)
    (entry,) = bibtexparser.parse_string(kb("export", "bibtex", "--root", tmp_path).out).entries

    assert entry["url"] == "https://example.org/a%7Bb%7D%5Cc"
    assert entry["doi"] == "10.1/%7Bx%7D"
