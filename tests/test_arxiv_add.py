"""`kb add`: one command gives a paper note with complete, correct metadata."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from helpers import meta_of

from tooling.base import open_base

DATA = Path(__file__).parent / "data" / "arxiv"




def test_add_writes_every_field_of_the_arxiv_entry(fake_arxiv, base, kb):
    run = kb("add", "2202.12139", "--root", base)

    assert run.code == 0, run.err
    assert "created papers/ahuja2022testing.md" in run.out
    note = base / "papers" / "ahuja2022testing.md"
    meta = meta_of(note)
    assert meta["title"] == ("Testing Deep Learning Models: A First Comparative Study of Multiple "
                             "Testing Techniques")
    assert meta["authors"] == ["Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"]
    assert (meta["year"], meta["arxiv"], meta["version"]) == (2022, "2202.12139", 1)
    assert (meta["published"], meta["updated"]) == ("2022-02-24", "2022-02-24")
    assert (meta["primary_category"], meta["categories"]) == ("cs.SE", ["cs.SE", "cs.LG"])
    assert meta["doi"] == "10.1109/ICSTW55395.2022.00035"
    assert meta["journal_ref"].startswith("Artificial Intelligence in Software Testing @ 2022")
    assert meta["comment"] == "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022"
    assert meta["pdf_url"] == "https://arxiv.org/pdf/2202.12139v1"
    assert meta["abstract"].startswith("Deep Learning (DL) has revolutionized") and "\n" not in meta["abstract"]
    assert meta["status"] == "to-read"
    assert set(meta["arxiv_sync"]) >= {"fetched", "title", "authors", "doi", "abstract"}


def test_new_note_has_a_quoted_id_an_empty_notes_section_and_passes_check(fake_arxiv, base, kb):
    kb("add", "2202.05262", "--root", base)

    text = (base / "papers" / "meng2022locating.md").read_text(encoding="utf-8")
    assert 'arxiv: "2202.05262"\n' in text
    assert re.search(r"^arxiv_sync: \{fetched: \d{4}-\d\d-\d\d, title: ", text, re.MULTILINE)
    assert text.endswith("---\n\n## Notes\n")
    assert kb("check", "--root", base).code == 0
    assert "kevin-meng" in open_base(base).index.authors  # author nodes follow from `authors`


@pytest.mark.parametrize("ref", [
    "2202.05262", "2202.05262v1", "arXiv:2202.05262", "arxiv:2202.05262v1",
    "https://arxiv.org/abs/2202.05262", "http://arxiv.org/abs/2202.05262v1",
    "https://arxiv.org/pdf/2202.05262v1.pdf", "https://arxiv.org/pdf/2202.05262",
    "10.48550/arXiv.2202.05262", "https://doi.org/10.48550/arXiv.2202.05262",
])
def test_every_common_form_of_an_id_adds_the_paper(fake_arxiv, base, kb, ref):
    run = kb("add", ref, "--root", base)

    assert run.code == 0, run.err
    assert meta_of(base / "papers" / "meng2022locating.md")["arxiv"] == "2202.05262"
    assert fake_arxiv.requests[0].ids == ("2202.05262",)


@pytest.mark.parametrize("ref, stored", [
    ("hep-th/9901001", "hep-th/9901001"),
    ("hep-th/9901001v2", "hep-th/9901001"),
    ("math.GT/0309136", "math/0309136"),  # the subject class is not part of the id
])
def test_old_style_ids(fake_arxiv, base, kb, ref, stored):
    fake_arxiv.add("hep-th/9901001", title="Strings on a Lattice", authors=["Ann Old"],
                   published="1999-01-04T00:00:00Z", primary_category="hep-th")
    fake_arxiv.add("math/0309136", title="Knots and Graphs", authors=["Bob Old"],
                   published="2003-09-08T00:00:00Z", primary_category="math.GT")

    run = kb("add", ref, "--root", base)

    assert run.code == 0, run.err
    [note] = (base / "papers").glob("*.md")
    assert meta_of(note)["arxiv"] == stored


def test_status_and_concepts_are_set_and_a_missing_concept_is_warned_about(fake_arxiv, base, kb):
    run = kb("add", "2202.05262", "--status", "reading", "--concept", "activation-patching",
             "--concept", "causal-tracing", "--root", base)

    assert run.code == 0
    meta = meta_of(base / "papers" / "meng2022locating.md")
    assert meta["status"] == "reading"
    assert meta["concepts"] == ["activation-patching", "causal-tracing"]
    assert "warning unknown-concept: no note for concept 'activation-patching', 'causal-tracing'" in run.err


def test_unknown_status_is_a_usage_error(base, kb):
    run = kb("add", "2202.05262", "--status", "done", "--root", base)

    assert run.code == 2 and "done" in run.err


def test_title_search_adds_the_single_exact_match(fake_arxiv, base, kb):
    # case and punctuation differ from arXiv's "How does GPT-2 compute greater-than?: ..."
    title = ("how does gpt 2 compute greater than interpreting mathematical abilities in a "
             "pre-trained language model")

    run = kb("add", "--title", title, "--root", base)

    assert run.code == 0, run.err
    assert meta_of(base / "papers" / "hanna2023gpt.md")["arxiv"] == "2305.00586"
    assert fake_arxiv.requests[0].search_query.startswith('ti:"how does gpt 2 compute')


def test_ambiguous_title_lists_the_candidates_and_adds_nothing(fake_arxiv, base, kb):
    for base_id in ("2401.00001", "2401.00002"):
        fake_arxiv.add(base_id, title="Attention Is Not Enough", authors=["A. Author"])

    run = kb("add", "--title", "Attention is not enough", "--root", base)

    assert run.code == 1
    assert "2 papers have the title" in run.err
    assert "arxiv:2401.00001  Attention Is Not Enough" in run.err and "2401.00002" in run.err
    assert "nothing was added" in run.err
    assert list((base / "papers").iterdir()) == []


def test_title_without_exact_match_lists_close_candidates(fake_arxiv, fake_openalex, base, kb):
    run = kb("add", "--title", "Locating and Editing", "--root", base)

    assert run.code == 1
    assert "no paper has exactly the title 'Locating and Editing'" in run.err
    assert "arxiv:2202.05262  Locating and Editing Factual Associations in GPT" in run.err
    assert [r.query["search"] for r in fake_openalex.requests] == [["locating and editing"]]
    assert list((base / "papers").iterdir()) == []


def test_title_nobody_wrote_says_so(fake_arxiv, fake_openalex, base, kb):
    run = kb("add", "--title", "Zebra Quantum Bananas", "--root", base)

    assert run.code == 1 and "the search found nothing close" in run.err


def test_a_hostile_title_cannot_escape_papers(fake_arxiv, base, kb):
    fake_arxiv.add("2401.00003", title="../../../etc/passwd \\ C:\\x", authors=["../.. /Evil"])

    run = kb("add", "2401.00003", "--root", base)

    assert run.code == 0, run.err
    [note] = (base / "papers").iterdir()
    assert re.fullmatch(r"[a-z0-9-]+\.md", note.name)
    assert [p.relative_to(base).parts[0] for p in base.rglob("*.md")] == ["papers"]


def test_a_taken_id_gets_a_suffix(fake_arxiv, base, kb):
    fake_arxiv.add("2401.00004", title="Locating Things", authors=["Kevin Meng"],
                   published="2022-03-01T00:00:00Z")

    kb("add", "2202.05262", "--root", base)
    run = kb("add", "2401.00004", "--root", base)

    assert "created papers/meng2022locating-2.md" in run.out
    assert meta_of(base / "papers" / "meng2022locating.md")["arxiv"] == "2202.05262"


@pytest.mark.parametrize("again", ["2202.05262", "2202.05262v3", "https://arxiv.org/abs/2202.05262v2"])
def test_a_paper_already_in_the_base_is_not_added_again(fake_arxiv, base, kb, again):
    kb("add", "2202.05262", "--root", base)
    before = len(fake_arxiv.requests)

    run = kb("add", again, "--root", base)

    assert run.code == 0
    assert f"{again}: already in the base as papers/meng2022locating.md; nothing added" in run.out
    assert [p.name for p in (base / "papers").iterdir()] == ["meng2022locating.md"]
    assert len(fake_arxiv.requests) == before


def test_a_hand_written_note_with_a_versioned_id_counts_as_present(fake_arxiv, base, kb):
    (base / "papers" / "rome.md").write_text('---\ntitle: ROME\narxiv: "2202.05262v2"\n---\n')

    run = kb("add", "arXiv:2202.05262", "--root", base)

    assert "already in the base as papers/rome.md" in run.out
    assert fake_arxiv.requests == []


def test_an_id_arxiv_does_not_know_is_named_and_nothing_is_added(fake_arxiv, base, kb):
    run = kb("add", "1707.08567", "2401.99999", "--root", base)  # arXiv just leaves it out

    assert run.code == 1
    assert "error: arXiv has no paper 2401.99999; nothing was added" in run.err
    assert list((base / "papers").iterdir()) == []


def test_a_malformed_reference_is_refused_before_any_request(fake_arxiv, base, kb):
    # 0808.05394 has 5 digits where ids before 2015 have 4 (arXiv would just not find it)
    run = kb("add", "2202.05262", "abc", "2202.0526x", "0808.05394", "--root", base)

    assert run.code == 1
    assert "not a paper identifier: 'abc', '2202.0526x', '0808.05394'" in run.err
    assert fake_arxiv.requests == []
    assert list((base / "papers").iterdir()) == []


def test_no_reference_at_all_is_a_usage_error(base, kb):
    assert kb("add", "--root", base).code == 2


def test_the_seed_papers_come_out_as_checked(fake_arxiv, base, kb):
    seeds = yaml.safe_load((DATA / "seed-metadata.yaml").read_text(encoding="utf-8"))

    run = kb("add", *[seed["id"] for seed in seeds], "--root", base)

    assert run.code == 0, run.err
    assert len(fake_arxiv.requests) == 1
    notes = {meta["arxiv"]: meta for meta in map(meta_of, (base / "papers").glob("*.md"))}
    assert len(notes) == len(seeds) == 33
    for seed in seeds:
        meta = notes[seed["id"]]
        assert meta["title"] == seed["title"]
        assert meta["authors"] == seed["authors"]
        if seed["published"]:
            assert meta["year"] == int(seed["published"][:4])
            assert meta["published"] == seed["published"]
        if seed["primary_category"]:
            assert meta["primary_category"] == seed["primary_category"]
    assert kb("check", "--root", base).code == 0
