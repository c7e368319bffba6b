"""`kb mark`: a status change touches the status and date lines only, and bad input changes nothing."""

from __future__ import annotations

from pathlib import Path

from helpers import snapshot, write_base

NOTE = (
    "---\r\n"
    "# my reading notes, kept\r\n"
    "title: 'Locating and Editing: Factual Associations in GPT'   # quoted on purpose\r\n"
    "authors: [Kevin Meng, David Bau]\r\n"
    "status: to-read\r\n"
    "reviewer_mood: {tone: sceptical, stars: 3}\r\n"
    "tags:\r\n"
    "  - model-editing\r\n"
    "arxiv_sync: {fetched: 2026-11-25, title: 3f2a9c1e}\r\n"
    "---\r\n"
    "Body: `status: read` here is text, and so is this --- line.\r\n"
)




def make_base(root: Path) -> Path:
    write_base(root, {
        "papers/meng2022locating.md": NOTE.encode(),
        "papers/meng2022mass.md": "---\ntitle: Mass-Editing Memory in a Transformer\n---\nNotes.\n",
        "concepts/residual-stream.md": "---\ntitle: Residual stream\nstatus: to-study\n---\nText.\n",
    })
    return root


def test_marking_changes_only_the_status_and_date_lines(kb, base):
    make_base(base)
    done = kb("mark", "meng2022locating", "reading", "--date", "2024-11-01", "--root", base)
    assert done.code == 0, done.err
    assert "to-read -> reading" in done.out
    path = base / "papers/meng2022locating.md"
    assert path.read_bytes() == NOTE.replace(
        "status: to-read\r\n", "status: reading\r\nstarted: 2024-11-01\r\n").encode()

    finished = kb("mark", "meng2022locating", "read", "--date", "2024-11-05", "--root", base)
    assert finished.code == 0, finished.err
    assert path.read_bytes() == NOTE.replace(
        "status: to-read\r\n", "status: read\r\nstarted: 2024-11-01\r\nfinished: 2024-11-05\r\n").encode()


def test_a_note_without_status_gets_one_before_the_arxiv_record(kb, base):
    write_base(base, {"papers/p.md": "---\ntitle: P\narxiv_sync: {fetched: 2026-11-25}\n---\nx\n"})
    assert kb("mark", "p", "read", "--date", "2024-11-05", "--root", base).code == 0
    assert (base / "papers/p.md").read_text() == (
        "---\ntitle: P\nstatus: read\nfinished: 2024-11-05\narxiv_sync: {fetched: 2026-11-25}\n---\nx\n")


def test_ids_are_completed_from_a_prefix_or_a_title(kb, base):
    make_base(base)
    assert kb("mark", "residual", "studying", "--root", base).code == 0
    assert "status: studying\n" in (base / "concepts/residual-stream.md").read_text()
    by_title = kb("mark", "mass-editing memory in a transformer", "skimmed", "--root", base)
    assert by_title.code == 0, by_title.err
    assert "status: skimmed\n" in (base / "papers/meng2022mass.md").read_text()


def test_marking_again_with_the_same_status_changes_nothing(kb, base):
    make_base(base)
    before = snapshot(base)
    again = kb("mark", "meng2022locating", "to-read", "--root", base)
    assert again.code == 0 and "nothing changed" in again.out
    assert snapshot(base) == before


def test_bad_ids_statuses_and_dates_give_clear_errors_and_change_nothing(kb, base):
    make_base(base)
    before = snapshot(base)

    unknown = kb("mark", "meng2022locatign", "read", "--root", base)
    assert unknown.code == 1
    assert "no-such-note" in unknown.err and "nearest: meng2022locating" in unknown.err

    ambiguous = kb("mark", "meng", "read", "--root", base)
    assert ambiguous.code == 1
    assert "meng2022locating, meng2022mass" in ambiguous.err

    status = kb("mark", "meng2022locating", "done", "--root", base)
    assert status.code == 2
    assert "papers/meng2022locating.md" in status.err and "'done' is not a paper status" in status.err
    assert "did you mean 'dropped'" in status.err

    concept_word = kb("mark", "residual-stream", "read", "--root", base)
    assert concept_word.code == 2 and "to-study, studying, studied" in concept_word.err

    date = kb("mark", "meng2022locating", "read", "--date", "2024-02-30", "--root", base)
    assert date.code == 2 and "is not a date" in date.err

    for result in (unknown, ambiguous, status, concept_word, date):
        assert "Traceback" not in result.err and "internal error" not in result.err
    assert snapshot(base) == before


def test_front_matter_that_cannot_be_edited_safely_is_refused(kb, base):
    write_base(base, {"papers/flow.md": "---\n{title: Flow, status: to-read}\n---\nBody\n"})
    before = snapshot(base)
    refused = kb("mark", "flow", "read", "--root", base)
    assert refused.code == 1
    assert "papers/flow.md" in refused.err and "note-not-editable" in refused.err
    assert snapshot(base) == before


def test_a_finished_date_before_the_started_one_is_refused(kb, base):
    write_base(base, {"papers/p.md": "---\ntitle: P\nstatus: reading\nstarted: 2024-05-01\n---\nx\n"})
    before = snapshot(base)
    early = kb("mark", "p", "read", "--date", "2024-04-30", "--root", base)
    assert early.code == 2
    assert "finished 2024-04-30 would come before started 2024-05-01" in early.err
    assert snapshot(base) == before
    same_day = kb("mark", "p", "read", "--date", "2024-05-01", "--root", base)
    assert same_day.code == 0, same_day.err


def test_a_comment_on_the_status_line_is_kept(kb, base):
    write_base(base, {"papers/p.md": "---\ntitle: P\nstatus: reading   # halfway, chapter 3\n"
                                     "started: 2024-05-01 # a guess\n---\nx\n"})
    done = kb("mark", "p", "read", "--date", "2024-06-01", "--root", base)
    assert done.code == 0, done.err
    assert (base / "papers/p.md").read_text() == (
        "---\ntitle: P\nstatus: read   # halfway, chapter 3\nstarted: 2024-05-01 # a guess\n"
        "finished: 2024-06-01\n---\nx\n")
    again = kb("mark", "p", "reading", "--date", "2024-07-01", "--root", base)
    assert again.code == 0, again.err
    assert "started: 2024-07-01 # a guess\n" in (base / "papers/p.md").read_text()


def test_a_comment_an_edit_cannot_keep_in_place_refuses_the_edit(kb, base):
    text = "---\ntitle: P\nstatus:  # what now?\n  reading\n---\nx\n"
    write_base(base, {"papers/p.md": text})
    refused = kb("mark", "p", "read", "--root", base)
    assert refused.code == 1 and "carries a comment this edit would drop" in refused.err
    assert (base / "papers/p.md").read_text() == text


def test_a_name_finds_the_note_its_wikilink_finds(tmp_path):
    """`kb mark NAME` and `[[NAME]]` follow one rule (the index's): ids, titles and aliases in any
    case, and with accents and punctuation ignored, all lead to the same note."""
    from tooling.base import open_base
    from tooling.study.find import find_note

    root = write_base(tmp_path, {
        "concepts/pca.md": "---\ntitle: Principal component analysis\naliases: [PCA method]\n---\n",
        "concepts/black-box.md": "---\ntitle: Black-box attacks\n---\n",
        "concepts/seb.md": "---\ntitle: Sébastien's lemma\n---\n",
        "papers/gpt-2.md": "---\ntitle: How does GPT-2 compute greater-than?\n---\n",
        "notes/other.md": "---\ntitle: Principal components, explained\n---\n",
    })
    index = open_base(root).index
    names = ["pca", "Principal component analysis", "PRINCIPAL COMPONENT ANALYSIS", "pca method",
             "black box attacks", "Black-box attacks", "sebastien's lemma", "Sébastien’s Lemma",
             "how does gpt 2 compute greater than", "gpt-2"]
    for name in names:
        linked = index.resolve_name(name)
        assert linked is not None, name
        assert find_note(root, name).id == linked, name
