"""Hostile or broken arXiv servers and settings: each ends `kb fetch` with a sentence (exit 1),
never a hang, a traceback or exit 70, and nothing is written."""

from __future__ import annotations

import subprocess

import pytest
from helpers import kb_process
from test_arxiv_fetch import HAND_WRITTEN, files

from tooling.arxiv.http import MAX_REDIRECTS, TRIES


def fetch_process(base, **env: str) -> subprocess.CompletedProcess[str]:
    """`kb fetch` in its own process: a hang fails the test instead of stalling the suite."""
    return kb_process("fetch", "--root", base, **env)


@pytest.fixture
def rome(base):
    (base / "papers" / "rome.md").write_text(HAND_WRITTEN)
    return base


def test_a_server_trickling_bytes_is_given_up_at_the_deadline(fake_arxiv, rome):
    # One byte every 0.05 s: no single read ever waits the 0.5 s timeout, but the whole answer
    # would take minutes.
    before = files(rome)
    fake_arxiv.always = "trickle"

    done = fetch_process(rome, KB_ARXIV_API_URL=fake_arxiv.url, KB_ARXIV_TIMEOUT="0.5")

    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"error: arXiv did not answer after {TRIES} tries; nothing was "
                                  "changed (last: no complete answer within 0.5 s;")
    assert len(fake_arxiv.requests) == TRIES
    assert files(rome) == before


def test_a_trickled_answer_then_a_good_one(fake_arxiv, rome, kb, monkeypatch):
    fake_arxiv.script("trickle")

    run = kb("fetch", "--root", rome)

    assert run.code == 0, run.err
    assert len(fake_arxiv.requests) == 2
    assert "year: 2022" in (rome / "papers" / "rome.md").read_text()


def test_a_silent_server_is_given_up_after_the_timeouts_without_backoff(fake_arxiv, rome):
    # The backoff meant for a busy server (2x, 4x, 8x the delay) would add 14 delays; after a
    # timeout the wait has already happened, so the tries follow each other at the delay.
    delay = 0.5
    fake_arxiv.always = "silent"

    done = fetch_process(rome, KB_ARXIV_API_URL=fake_arxiv.url, KB_ARXIV_TIMEOUT="0.2",
                         KB_ARXIV_DELAY=str(delay))

    assert done.returncode == 1, done.stderr
    assert "(last: no complete answer within 0.2 s;" in done.stderr
    times = [request.time for request in fake_arxiv.requests]
    assert len(times) == TRIES
    assert times[-1] - times[0] < (2 + 4 + 8) * delay


def test_a_redirect_loop_is_a_clear_error_after_a_few_hops(fake_arxiv, rome, kb):
    before = files(rome)
    fake_arxiv.always = "redirect-loop"

    run = kb("fetch", "--root", rome)

    assert run.code == 1, run.err
    assert run.err.startswith("error: arXiv's address redirects in a loop (http://127.0.0.1:")
    assert len(fake_arxiv.requests) == MAX_REDIRECTS + 1
    assert files(rome) == before


def test_a_redirect_to_ftp_is_a_clear_error(fake_arxiv, rome, kb):
    fake_arxiv.always = "redirect-ftp"

    run = kb("fetch", "--root", rome)

    assert run.code == 1, run.err
    assert run.err.startswith("error: arXiv's address led to a URL that cannot be asked")
    assert len(fake_arxiv.requests) == 1


@pytest.mark.parametrize("bad_date", [
    "yesterday",
    "2022-02-30T00:00:00Z",
    "9999-12-31T23:59:59-23:59",  # a real date, but past year 9999 in UTC: OverflowError
])
def test_a_malformed_atom_date_is_a_clear_error(fake_arxiv, rome, kb, bad_date):
    before = files(rome)
    fake_arxiv.bad_date = bad_date
    fake_arxiv.always = "bad-date"

    run = kb("fetch", "--root", rome)

    assert run.code == 1, run.err
    assert run.err.startswith("error: arXiv's answer could not be read (")
    assert run.err.rstrip().endswith("nothing was changed")
    assert len(fake_arxiv.requests) == 1  # asking again would get the same answer
    assert files(rome) == before


@pytest.mark.parametrize("name, value, message", [
    ("KB_ARXIV_API_URL", "ftp://export.arxiv.org/api/query", "must be an http(s) URL"),
    ("KB_ARXIV_API_URL", "http://[::1/api/query", "must be an http(s) URL"),
    ("KB_ARXIV_API_URL", "http://127.0.0.1:99999/api/query", "must be an http(s) URL"),
    ("KB_ARXIV_API_URL", "export.arxiv.org/api/query", "must be an http(s) URL"),
    ("KB_ARXIV_API_URL", "http://exa mple.org/api", "must be an http(s) URL"),
    ("KB_ARXIV_API_URL", "http://", "must be an http(s) URL"),
    ("KB_ARXIV_TIMEOUT", "nan", "must be a number of seconds more than 0 to 3600"),
    ("KB_ARXIV_TIMEOUT", "inf", "must be a number of seconds more than 0 to 3600"),
    ("KB_ARXIV_TIMEOUT", "0", "must be a number of seconds more than 0 to 3600"),
    ("KB_ARXIV_TIMEOUT", "-1", "must be a number of seconds more than 0 to 3600"),
    ("KB_ARXIV_TIMEOUT", "1e400", "must be a number of seconds more than 0 to 3600"),
    ("KB_ARXIV_DELAY", "inf", "must be a number of seconds from 0 to 3600"),
    ("KB_ARXIV_DELAY", "nan", "must be a number of seconds from 0 to 3600"),
    ("KB_ARXIV_DELAY", "-3", "must be a number of seconds from 0 to 3600"),
    ("KB_ARXIV_DELAY", "soon", "must be a number of seconds, not 'soon'"),
])
def test_bad_settings_are_a_sentence_naming_the_variable(rome, kb, monkeypatch, name, value,
                                                        message):
    from tooling.arxiv import http as arxiv_api

    before = files(rome)
    monkeypatch.setenv(name, value)
    arxiv_api.reset()

    run = kb("fetch", "--root", rome)

    assert run.code == 1, run.err
    assert run.err.startswith(f"error: {name} {message}")
    assert repr(value) in run.err
    assert arxiv_api.request_count() == 0
    assert files(rome) == before
