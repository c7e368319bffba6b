"""Spaced review of concepts: FSRS due dates replayed from the review log.

The deck is every studied concept, plus any concept with reviews in the log. A concept never
reviewed is due from its `finished` date (or, without one, from when its file last changed). Each review in the log is replayed through
the `fsrs` scheduler with fixed settings: no fuzzing (a replay must give the same dates every
time) and no minute-long learning steps (a concept is reviewed over days, not in one sitting).
Nothing here writes a note.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fsrs import Card, Rating, Scheduler

from ..base import KnowledgeBase
from ..model import Note, parse_date
from ..notes.dates import times_of
from ..problems import ERROR, define
from ..schema import CONCEPT, STUDIED
from . import log as review_log
from .errors import USAGE, StudyError
from .find import find_note

RATINGS = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}
DESIRED_RETENTION = 0.9

INVALID_GRADE = define(
    "invalid-grade", ERROR, "a review grade that is not again, hard, good or easy",
    "`kb review ID --grade G` takes again (forgotten), hard, good or easy, as in Anki. Nothing was "
    "recorded.", command="review")


@functools.cache
def scheduler() -> Scheduler:
    """The one scheduler: FSRS default weights, 90% retention, no fuzz, day-long steps only."""
    return Scheduler(desired_retention=DESIRED_RETENTION, learning_steps=(), relearning_steps=(),
                     enable_fuzzing=False)


@dataclass(frozen=True, slots=True)
class ReviewState:
    """Where one concept stands: when it is next due and how many reviews it has had."""

    note: str
    title: str
    due: dt.date
    reviews: int
    last: review_log.Entry | None = None

    def overdue_days(self, today: dt.date) -> int:
        return (today - self.due).days


def replay(entries: Iterable[review_log.Entry]) -> Card | None:
    """The card after these reviews (oldest first), or None without any."""
    fsrs = scheduler()
    card: Card | None = None
    for entry in sorted(entries, key=lambda e: e.at):
        card, _ = fsrs.review_card(card or Card(card_id=1, due=entry.at), RATINGS[entry.grade], entry.at)
    return card


def state_of(note: Note, entries: list[review_log.Entry], today: dt.date,
             changed: dt.date | None = None) -> ReviewState:
    """Where a concept stands after its reviews. Never reviewed, it is due from its `finished`
    date, else from `changed` (when its file last changed: the status was set then or earlier),
    so a concept studied long ago is overdue, not "due today" for ever."""
    card = replay(entries)
    if card is None:
        start = parse_date(note.meta.get("finished")) if note.meta.get("finished") else None
        return ReviewState(note.id, note.title, start or changed or today, 0)
    return ReviewState(note.id, note.title, card.due.date(), len(entries), entries[-1])


def schedule(kb: KnowledgeBase, today: dt.date) -> dict[str, ReviewState]:
    """Every concept of the deck, by id (computed once per base and day: the site asks for it
    on every concept page)."""
    return kb.derived(_schedule, today)  # shared: callers read it, never change it


def _schedule(kb: KnowledgeBase, today: dt.date) -> dict[str, ReviewState]:
    log = review_log.log_of(kb)
    reviewed: dict[str, list[review_log.Entry]] = {}
    for entry in log.entries:
        reviewed.setdefault(entry.note, []).append(entry)
    states = {}
    for note in kb.index.notes.values():
        if note.kind != CONCEPT or (note.status != STUDIED and note.id not in reviewed):
            continue
        entries = sorted(reviewed.get(note.id, []), key=lambda e: e.at)
        changed = None
        if not entries and parse_date(note.meta.get("finished")) is None:
            modified = times_of(kb, note).modified
            changed = min(modified.date(), today) if modified is not None else None
        states[note.id] = state_of(note, entries, today, changed)
    return states


def due(kb: KnowledgeBase, today: dt.date) -> list[ReviewState]:
    """Concepts due on or before `today`, most overdue first (then by id)."""
    states = [s for s in schedule(kb, today).values() if s.due <= today]
    return sorted(states, key=lambda s: (s.due, s.note))


def check_grade(grade: str) -> str:
    """The grade in lower case; StudyError (exit 2) naming the nearest grade otherwise."""
    lowered = grade.strip().lower()
    if lowered in RATINGS:
        return lowered
    close = difflib.get_close_matches(lowered, list(RATINGS), n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise StudyError(INVALID_GRADE.at("", 0, f"unknown grade '{grade}' (expected one of "
                                               f"{', '.join(RATINGS)}){hint}"), USAGE)


def record(root: Path, name: str, grade: str, when: dt.datetime) -> ReviewState:
    """Append one review of a concept to the log and return its new state.

    The grade and the time are checked first and the concept found (by id, prefix or title) without loading the
    base; on any error nothing is written.
    """
    grade = check_grade(grade)
    late = review_log.time_problem(when)
    if late is not None:
        raise StudyError(review_log.INVALID_REVIEW.at("", 0, f"nothing recorded: {late}"), USAGE)
    found = find_note(Path(root), name, kinds=(CONCEPT,))
    log = review_log.read_log(Path(root))
    entries = [*log.of(found.id), review_log.Entry(when, grade, found.id, 0)]
    review_log.append(Path(root), when, grade, found.id)
    note = Note(found.path, found.id, CONCEPT, found.title, found.meta, "", 1)
    return state_of(note, sorted(entries, key=lambda e: e.at), when.date())
