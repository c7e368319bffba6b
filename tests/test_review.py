"""Spaced review: due dates replayed from the append-only log with FSRS (fixed settings, no fuzz);
recording a review appends one line and rewrites no note; bad ids and grades change nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from fsrs import Card, Rating, Scheduler
from helpers import check_json, run_kb, write_base

from tooling.base import open_base
from tooling.study import review
from tooling.study.log import HEADER, LOG_PATH

UTC = dt.timezone.utc
FIXED = Scheduler(desired_retention=0.9, learning_steps=(), relearning_steps=(), enable_fuzzing=False)
LOG = HEADER + """\
2024-11-01T09:00:00Z good patching
2024-11-03T09:00:00Z good patching

# reviewed late, then forgot it
2024-11-20T09:00:00Z again patching
2024-11-05T10:00:00+02:00 good residual
"""


def review_base(root: Path) -> Path:
    return write_base(root, {
        "concepts/patching.md": "---\ntitle: Activation patching\nstatus: studied\n---\nx\n",
        "concepts/residual.md": "---\ntitle: Residual stream\nstatus: studied\nfinished: 2024-10-01\n---\nx\n",
        "concepts/fresh.md": "---\ntitle: Fresh\nstatus: studied\nfinished: 2024-11-25\n---\nx\n",
        "concepts/unseen.md": "---\ntitle: Unseen\nstatus: to-study\n---\nx\n",
        "papers/paper.md": "---\ntitle: A paper\n---\nx\n",
        LOG_PATH: LOG,
    })


def replayed(*reviews: tuple[dt.datetime, Rating]) -> dt.date:
    card = Card(card_id=1)
    for when, rating in reviews:
        card, _ = FIXED.review_card(card, rating, when)
    return card.due.date()


def test_due_dates_are_replayed_from_the_log(tmp_path):
    kb = open_base(review_base(tmp_path / "kb"))
    states = review.schedule(kb, dt.date(2024, 11, 30))
    expected = replayed((dt.datetime(2024, 11, 1, 9, tzinfo=UTC), Rating.Good),
                        (dt.datetime(2024, 11, 3, 9, tzinfo=UTC), Rating.Good),
                        (dt.datetime(2024, 11, 20, 9, tzinfo=UTC), Rating.Again))
    assert states["patching"].due == expected == dt.date(2024, 11, 22)
    assert states["patching"].reviews == 3 and states["patching"].last.grade == "again"
    assert states["residual"].due == dt.date(2024, 11, 7)  # one good review on 2024-11-05
    assert states["fresh"].due == dt.date(2024, 11, 25)  # never reviewed: due from `finished`
    assert "unseen" not in states  # not studied, never reviewed: not in the deck


def test_kb_review_lists_what_is_due_most_overdue_first(kb, tmp_path):
    root = review_base(tmp_path / "kb")
    listed = kb("review", "--json", "--today", "2024-11-30", "--root", root)
    assert listed.code == 0, listed.err
    assert [(r["id"], r["due"], r["overdue_days"]) for r in json.loads(listed.out)] == [
        ("residual", "2024-11-07", 23), ("patching", "2024-11-22", 8), ("fresh", "2024-11-25", 5)]
    early = kb("review", "--today", "2024-11-06", "--root", root)
    assert early.out.strip() == "no reviews due"


def test_recording_a_review_appends_one_line_and_rewrites_no_note(kb, tmp_path):
    root = review_base(tmp_path / "kb")
    note = (root / "concepts/fresh.md").read_bytes()
    done = kb("review", "fresh", "--grade", "Good", "--date", "2024-11-26", "--root", root)
    assert done.code == 0, done.err
    assert (root / LOG_PATH).read_text() == LOG + "2024-11-26T00:00:00Z good fresh\n"
    assert (root / "concepts/fresh.md").read_bytes() == note
    due = replayed((dt.datetime(2024, 11, 26, tzinfo=UTC), Rating.Good))
    assert f"next review {due.isoformat()}" in done.out
    states = review.schedule(open_base(root), dt.date(2024, 11, 30))
    assert states["fresh"].due == due and states["fresh"].reviews == 1


def test_the_first_review_creates_the_log_with_its_header(kb, tmp_path):
    root = review_base(tmp_path / "kb")
    (root / LOG_PATH).unlink()
    assert kb("review", "Residual stream", "--grade", "hard", "--date", "2024-11-26", "--root", root).code == 0
    assert (root / LOG_PATH).read_text() == HEADER + "2024-11-26T00:00:00Z hard residual\n"


def test_bad_ids_and_grades_give_clear_errors_and_record_nothing(kb, tmp_path):
    root = review_base(tmp_path / "kb")
    before = (root / LOG_PATH).read_bytes()

    grade = kb("review", "patching", "--grade", "goood", "--root", root)
    assert grade.code == 2
    assert "unknown grade 'goood' (expected one of again, hard, good, easy); did you mean 'good'?" in grade.err

    unknown = kb("review", "patchin-g", "--grade", "good", "--root", root)
    assert unknown.code == 1
    assert "no-such-note: no concept with id or title 'patchin-g'; nearest: patching" in unknown.err

    not_a_concept = kb("review", "paper", "--grade", "good", "--root", root)
    assert not_a_concept.code == 1 and "no concept with id or title 'paper'" in not_a_concept.err

    no_id = kb("review", "--grade", "good", "--root", root)
    assert no_id.code == 2

    for result in (grade, unknown, not_a_concept, no_id):
        assert "Traceback" not in result.err and "internal error" not in result.err
    assert (root / LOG_PATH).read_bytes() == before


def test_kb_check_reports_log_lines_that_cannot_be_replayed(tmp_path):
    root = review_base(tmp_path / "kb")
    with (root / LOG_PATH).open("a") as log:
        log.write("yesterday good patching\n2024-11-21T10:00:00Z great patching\n"
                  "2024-11-21T10:00:00Z good paper\n2024-11-21T10:00:00Z good renamed-concept\n")
    problems = [(p["line"], p["message"]) for p in check_json(root) if p["path"] == LOG_PATH]
    first = len(LOG.splitlines()) + 1
    assert problems == [
        (first, "'yesterday' is not a time (expected 2024-11-05T09:30:00Z)"),
        (first + 1, "unknown grade 'great' (expected one of again, hard, good, easy)"),
        (first + 2, "'paper' is a paper, not a concept (renamed? fix the id on this line)"),
        (first + 3, "'renamed-concept' is no note (renamed? fix the id on this line)"),
    ]


def test_the_site_shows_next_reviews_and_does_not_publish_the_log(tmp_path):
    root = review_base(tmp_path / "kb")
    result = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "site/concepts/residual/index.html").read_text()
    assert "Next review: <strong>2024-11-07</strong>" in page and "1 review so far" in page
    home = (tmp_path / "site/index.html").read_text()
    assert 'id="reviews">Reviews due: 3</h2>' in home  # everything is overdue on the day of the build
    assert 'href="concepts/residual/">Residual stream</a> <span class="kb-needs">due 2024-11-07, ' in home
    assert not (tmp_path / "site" / LOG_PATH).exists()


def test_a_studied_concept_without_a_finished_date_is_due_from_when_its_file_changed(tmp_path):
    import os

    root = write_base(tmp_path / "kb", {"concepts/old.md": "---\ntitle: Old\nstatus: studied\n---\nx\n"})
    stamp = dt.datetime(2024, 3, 1, 12, tzinfo=UTC).timestamp()
    os.utime(root / "concepts/old.md", (stamp, stamp))  # not a git repository: the file's time
    kb = open_base(root)
    state = review.schedule(kb, dt.date(2024, 11, 1))["old"]
    assert state.due == dt.date(2024, 3, 1)  # not "today" on every day it is asked
    assert [s.note for s in review.due(kb, dt.date(2024, 11, 1))] == ["old"]
    assert state.overdue_days(dt.date(2024, 11, 1)) == 245
