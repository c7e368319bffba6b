"""`kb fetch`: metadata kept current without ever costing the user a word."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

import pytest
from helpers import meta_of

from tooling.notes.frontmatter import split
from tooling.sources.add import paper_note_text

HAND_WRITTEN = """\
---
# Read this for the causal tracing figure.
title: Locating and Editing Factual Associations in GPT
arxiv: "2202.05262"
status: reading
my_rating: 5   # out of 5
---
My own notes. Nothing here may change.
---
Not front matter either.
"""




def body_of(path: Path) -> str:
    return split(path.read_text(encoding="utf-8")).body


def files(root: Path) -> dict[str, bytes]:
    """Every file of the base but the disposable cache, by path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".kb-cache" not in p.parts}


def write_papers(root: Path, count: int, fake) -> None:
    """`count` notes as `kb add` writes them, for papers 2101.00001 ... known to the fake."""
    for n in range(1, count + 1):
        ident = f"2101.{n:05d}"
        fake.add(ident, title=f"Paper number {n}", authors=[f"Author {n}"],
                 published="2021-01-05T00:00:00Z")
        fields = {"title": f"Paper number {n}", "authors": [f"Author {n}"], "year": 2021,
                  "arxiv": ident, "version": 1, "published": "2021-01-05"}
        (root / "papers" / f"p{n}.md").write_text(
            paper_note_text(fields, {"status": "to-read"}, dt.date(2021, 1, 6)))


def test_fetch_fills_missing_fields_and_keeps_the_rest(fake_arxiv, base, kb):
    note = base / "papers" / "rome.md"
    note.write_text(HAND_WRITTEN)

    run = kb("fetch", "--root", base)

    assert run.code == 0, run.err
    meta = meta_of(note)
    assert meta["authors"] == ["Kevin Meng", "David Bau", "Alex Andonian", "Yonatan Belinkov"]
    assert (meta["year"], meta["version"], meta["published"]) == (2022, 1, "2022-02-10")
    assert meta["status"] == "reading" and meta["my_rating"] == 5
    assert body_of(note) == HAND_WRITTEN.split("---\n", 2)[2]
    assert "papers/rome.md: + authors: Kevin Meng, David Bau" in run.out
    assert "papers/rome.md: + year: 2022" in run.out
    assert "checked 1 paper: updated 1, 1 request to arXiv" in run.out
    text = note.read_text()
    assert text.startswith(HAND_WRITTEN.split("---\nMy own")[0])  # old lines untouched, in order


def test_a_new_version_updates_title_authors_version_and_adds_doi(fake_arxiv, base, kb):
    kb("add", "2202.05262", "--root", base)
    fake_arxiv.revise("2202.05262", title="Locating and Editing Factual Knowledge in GPT",
                      authors=["Kevin Meng", "David Bau", "Alex Andonian", "Yonatan Belinkov",
                               "Ann New"], journal_ref="NeurIPS 2022", doi="10.5555/rome")

    run = kb("fetch", "--refresh", "--root", base)

    assert run.code == 0, run.err
    meta = meta_of(base / "papers" / "meng2022locating.md")
    assert meta["title"] == "Locating and Editing Factual Knowledge in GPT"
    assert meta["authors"][-1] == "Ann New" and meta["version"] == 2
    assert (meta["journal_ref"], meta["doi"]) == ("NeurIPS 2022", "10.5555/rome")
    assert "papers/meng2022locating.md: version 1 -> 2" in run.out
    assert "papers/meng2022locating.md: + doi: 10.5555/rome" in run.out
    assert ("papers/meng2022locating.md: title Locating and Editing Factual Associations in GPT"
            " -> Locating and Editing Factual Knowledge in GPT") in run.out


def test_a_field_arxiv_no_longer_returns_is_removed_only_where_the_tool_wrote_it(fake_arxiv, base, kb):
    kb("add", "2202.05262", "--root", base)
    fake_arxiv.revise("2202.05262", journal_ref="NeurIPS 2022", doi="10.5555/rome")
    kb("fetch", "--refresh", "--root", base)
    note = base / "papers" / "meng2022locating.md"
    assert meta_of(note)["doi"] == "10.5555/rome"
    note.write_text(note.read_text().replace("journal_ref: NeurIPS 2022", "journal_ref: NeurIPS 2022 (oral)"))
    fake_arxiv.revise("2202.05262", journal_ref=None, doi=None)

    run = kb("fetch", "--refresh", "--root", base)

    assert run.code == 0, run.err
    meta = meta_of(note)
    assert "doi" not in meta  # the tool wrote it and arXiv has none now: gone
    assert meta["journal_ref"] == "NeurIPS 2022 (oral)"  # edited, so the user's: kept
    assert "papers/meng2022locating.md: - doi: 10.5555/rome" in run.out


def test_a_title_the_user_corrected_is_kept(fake_arxiv, base, kb):
    kb("add", "2202.05262", "--root", base)
    note = base / "papers" / "meng2022locating.md"
    note.write_text(note.read_text().replace(
        "title: Locating and Editing Factual Associations in GPT", "title: ROME (my title)"))
    fake_arxiv.revise("2202.05262", title="A Brand New Title")

    run = kb("fetch", "--refresh", "--root", base)

    assert "papers/meng2022locating.md: kept your title (arXiv has: A Brand New Title)" in run.out
    assert meta_of(note)["title"] == "ROME (my title)"
    assert meta_of(note)["version"] == 2


def test_a_field_with_a_comment_counts_as_the_users(fake_arxiv, base, kb):
    kb("add", "2202.05262", "--root", base)
    note = base / "papers" / "meng2022locating.md"
    note.write_text(note.read_text().replace("  - Kevin Meng\n", "  - Kevin Meng  # first author\n"))
    fake_arxiv.revise("2202.05262", authors=["Kevin Meng"])

    run = kb("fetch", "--refresh", "--root", base)

    assert "kept your authors (arXiv has: Kevin Meng)" in run.out
    assert "  - Kevin Meng  # first author\n  - David Bau\n" in note.read_text()


def test_only_metadata_lines_change_comments_order_unknown_keys_and_body_survive(
        fake_arxiv, base, kb):
    kb("add", "2202.05262", "--root", base)
    note = base / "papers" / "meng2022locating.md"
    text = note.read_text()
    text = text.replace("year: 2022\n", "year: 2022\n# comment between fields\nreviewer:  {a: 1,  b: [x]}\n")
    text = text.replace("status: to-read\n", "status: 'reading'   # quoted on purpose\n")
    text = text.replace("## Notes\n", "## Notes\n\nSee [[activation-patching]].\n\n---\n\n```yaml\ntitle: x\n```\n")
    note.write_text(text)
    fake_arxiv.revise("2202.05262", title="A New Title", journal_ref="NeurIPS 2022")

    assert kb("fetch", "--refresh", "--root", base).code == 0

    after = note.read_text()
    changed = [line for line in difflib.ndiff(text.splitlines(), after.splitlines())
               if line[:1] in "+-"]
    assert changed and all(re.match(r"[+-] (title|version|updated|pdf_url|journal_ref|arxiv_sync):",
                                    line) for line in changed), changed
    assert body_of(note) == split(text).body


def test_windows_line_endings_are_kept(fake_arxiv, base, kb):
    note = base / "papers" / "rome.md"
    note.write_bytes(HAND_WRITTEN.replace("\n", "\r\n").encode())

    kb("fetch", "--root", base)

    raw = note.read_bytes()
    assert b"\r\nyear: 2022\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")


def test_dry_run_prints_the_diff_and_writes_nothing(fake_arxiv, base, kb):
    (base / "papers" / "rome.md").write_text(HAND_WRITTEN)
    before = files(base)

    run = kb("fetch", "--dry-run", "--root", base)

    assert run.code == 0
    assert "papers/rome.md: + year: 2022" in run.out
    assert "would update 1" in run.out and "dry run, nothing written" in run.out
    assert files(base) == before


def test_nothing_to_change_writes_nothing(fake_arxiv, base, kb):
    kb("add", "2202.05262", "--root", base)
    before = files(base)

    run = kb("fetch", "--refresh", "--root", base)

    assert run.code == 0 and "updated 0" in run.out
    assert files(base) == before


def test_named_notes_only(fake_arxiv, base, kb):
    kb("add", "2202.05262", "2211.00593", "--root", base)
    fake_arxiv.requests.clear()

    run = kb("fetch", "meng2022locating", "--refresh", "--root", base)

    assert run.code == 0
    assert [r.ids for r in fake_arxiv.requests] == [("2202.05262",)]


def test_an_unknown_name_is_an_error(fake_arxiv, base, kb):
    run = kb("fetch", "nobody2020nothing", "--root", base)

    assert run.code == 1 and "no paper note 'nobody2020nothing'" in run.err
    assert fake_arxiv.requests == []


def test_an_id_arxiv_does_not_know_is_reported_by_name(fake_arxiv, base, kb):
    (base / "papers" / "ghost.md").write_text('---\ntitle: Ghost\narxiv: "2401.99999"\n---\n')
    (base / "papers" / "rome.md").write_text(HAND_WRITTEN)

    run = kb("fetch", "--root", base)

    assert run.code == 1
    assert "papers/ghost.md:3: error arxiv-unknown-id: arXiv has no paper 2401.99999" in run.err
    assert meta_of(base / "papers" / "rome.md")["year"] == 2022  # the others are still updated


def test_a_malformed_id_is_refused_with_zero_requests(fake_arxiv, base, kb):
    (base / "papers" / "bad.md").write_text("---\ntitle: Bad\narxiv: abc\n---\n")
    (base / "papers" / "num.md").write_text("---\ntitle: Number\narxiv: 2202.05260\n---\n")
    (base / "papers" / "rome.md").write_text(HAND_WRITTEN)
    before = files(base)

    run = kb("fetch", "--root", base)

    assert run.code == 1
    assert "papers/bad.md:3: malformed arXiv id 'abc'" in run.err
    assert "papers/num.md:3: arXiv id 2202.0526 was read as a number; quote it" in run.err
    assert fake_arxiv.requests == [] and files(base) == before


def test_unreadable_notes_are_skipped_and_reported(fake_arxiv, base, kb):
    (base / "papers" / "broken.md").write_text('---\ntitle: [unclosed\narxiv: "2202.05262"\n---\n')
    (base / "papers" / "rome.md").write_text(HAND_WRITTEN)

    run = kb("fetch", "--root", base)

    assert run.code == 1
    assert "papers/broken.md:3: error skipped-unreadable: skipped, invalid YAML" in run.err
    assert meta_of(base / "papers" / "rome.md")["year"] == 2022


def test_when_arxiv_fails_mid_way_nothing_is_written(fake_arxiv, base, kb):
    write_papers(base, 250, fake_arxiv)
    for n in range(1, 251):
        fake_arxiv.revise(f"2101.{n:05d}", title=f"Revised paper {n}")
    before = files(base)
    fake_arxiv.script("ok")
    fake_arxiv.always = "503"

    run = kb("fetch", "--root", base)

    assert run.code == 1
    assert "arXiv did not answer after 4 tries; nothing was changed (last: HTTP 503" in run.err
    assert files(base) == before  # no note changed, no temp file left


def test_a_second_fetch_the_same_day_asks_nothing_and_refresh_asks_again(fake_arxiv, base, kb):
    (base / "papers" / "rome.md").write_text(HAND_WRITTEN)
    kb("fetch", "--root", base)

    second = kb("fetch", "--root", base)
    refreshed = kb("fetch", "--refresh", "--root", base)

    assert "0 requests to arXiv" in second.out
    assert "1 request to arXiv" in refreshed.out
    assert len(fake_arxiv.requests) == 2


def test_resolve_finds_the_id_of_a_paper_by_its_exact_title_year_and_first_author(
        fake_arxiv, base, kb):
    note = base / "papers" / "rome.md"
    note.write_text("---\ntitle: locating and editing factual associations in GPT\n"
                    "authors: [meng, bau]\nyear: 2023\n---\nMine.\n")

    run = kb("fetch", "--resolve", "--root", base)

    assert run.code == 0, run.err
    meta = meta_of(note)
    assert meta["arxiv"] == "2202.05262"
    assert meta["title"] == "locating and editing factual associations in GPT"  # yours
    assert meta["authors"] == ["meng", "bau"] and meta["year"] == 2023  # yours (no record)
    assert body_of(note) == "Mine.\n"
    assert fake_arxiv.requests[0].search_query.startswith('ti:"locating and editing')


@pytest.mark.parametrize("front, why", [
    ("", "no year or author to confirm it by"),
    ("authors: [meng]\nyear: 2020\n", "two years off"),
    ("authors: [bau]\nyear: 2022\n", "another first author"),
])
def test_resolve_never_writes_a_title_match_it_cannot_confirm(fake_arxiv, base, kb, front, why):
    note = base / "papers" / "rome.md"
    note.write_text(f"---\ntitle: Locating and Editing Factual Associations in GPT\n{front}---\n")
    before = files(base)

    run = kb("fetch", "--resolve", "--root", base)

    assert run.code == 0, why  # not finding a paper is an answer, not a failure
    assert files(base) == before, why
    assert "papers/rome.md: info not-resolved: not resolved: 1 paper titled" in run.out, why
    assert "kb add arxiv:2202.05262 --replace rome   # Locating and Editing Factual " in run.out


def test_resolve_fills_nothing_without_a_single_exact_match(fake_arxiv, fake_openalex, base, kb):
    note = base / "papers" / "vague.md"
    note.write_text("---\ntitle: Locating and Editing\n---\n")
    before = files(base)

    run = kb("fetch", "--resolve", "--root", base)

    assert run.code == 0  # not finding a paper is an answer, not a failure
    assert "papers/vague.md: info not-resolved: not resolved: no paper has exactly the title" in run.out
    assert files(base) == before


def test_without_resolve_papers_lacking_an_id_are_left_alone(fake_arxiv, base, kb):
    (base / "papers" / "vague.md").write_text("---\ntitle: Locating and Editing\n---\n")

    assert kb("fetch", "--root", base).code == 0
    named = kb("fetch", "vague", "--root", base)

    assert named.code == 1 and "papers/vague.md: error no-arxiv-id: no arxiv id" in named.err
    assert fake_arxiv.requests == []


def test_the_base_still_passes_check_after_fetch(fake_arxiv, base, kb):
    (base / "papers" / "rome.md").write_text(HAND_WRITTEN)
    kb("add", "2211.00593", "--root", base)

    kb("fetch", "--root", base)

    assert kb("check", "--root", base).code == 0
