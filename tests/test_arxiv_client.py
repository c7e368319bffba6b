"""Talking to arXiv: batching, spacing, retries, refusals, garbled answers, the cache."""

from __future__ import annotations

import datetime as dt
import json

import arxiv
import pytest
from test_arxiv_fetch import HAND_WRITTEN, files, write_papers

from tooling.arxiv import http as arxiv_api
from tooling.arxiv.cache import Cache
from tooling.arxiv.client import fetch_ids, search_title
from tooling.errors import KbError


def intervals(fake) -> list[float]:
    times = [request.time for request in fake.requests]
    return [b - a for a, b in zip(times, times[1:])]


# --- the fake replays arXiv's real answers to the real client ---------------------------------


@pytest.mark.parametrize("ids, found", [
    (["0808.05394", "1707.08567"], ["1707.08567v1"]),  # a nonexistent id is silently dropped
    (["0000.0000"], []),  # an empty feed, not an error
])
def test_recorded_answers_are_replayed(fake_arxiv, ids, found):
    client = arxiv.Client(num_retries=0, delay_seconds=0)
    client.query_url_format = fake_arxiv.url + "?{}"

    results = list(client.results(arxiv.Search(id_list=ids)))

    assert [r.get_short_id() for r in results] == found


def test_recorded_error_feed_is_served_with_http_400(fake_arxiv):
    client = arxiv.Client(num_retries=0, delay_seconds=0)
    client.query_url_format = fake_arxiv.url + "?{}"

    with pytest.raises(arxiv.HTTPError) as caught:
        list(client.results(arxiv.Search(id_list=["abc"])))

    assert caught.value.status == 400


def test_recorded_multi_entry_search(fake_arxiv):
    client = arxiv.Client(num_retries=0, delay_seconds=0)
    client.query_url_format = fake_arxiv.url + "?{}"

    results = list(client.results(arxiv.Search(query="testing", max_results=10)))

    assert len(results) == 10 and results[0].doi == "10.1109/ICSTW55395.2022.00035"


# --- batching and spacing ---------------------------------------------------------------------


def test_250_papers_take_3_requests_of_at_most_100_ids(fake_arxiv, base, kb):
    write_papers(base, 250, fake_arxiv)

    run = kb("fetch", "--root", base)

    assert run.code == 0, run.err
    assert [len(r.ids) for r in fake_arxiv.requests] == [100, 100, 50]
    assert all("max_results=100" in r.url and "start=0" in r.url for r in fake_arxiv.requests)
    assert "checked 250 papers: updated 250, 3 requests to arXiv" in run.out
    assert "Asking arXiv" not in run.err  # no progress bar when stderr is not a terminal


def test_requests_are_spaced_by_the_delay(fake_arxiv, monkeypatch):
    monkeypatch.setenv("KB_ARXIV_DELAY", "0.2")
    arxiv_api.reset()
    ids = [f"2101.{n:05d}" for n in range(1, 251)]
    for ident in ids:
        fake_arxiv.add(ident, title=f"Paper {ident}", authors=["A. Author"])

    fetched = fetch_ids(ids)

    assert len(fetched.results) == 250 and fetched.requests == 3
    assert min(intervals(fake_arxiv)) >= 0.2


def test_spacing_holds_across_separate_calls_in_one_process(fake_arxiv, monkeypatch):
    monkeypatch.setenv("KB_ARXIV_DELAY", "0.2")
    arxiv_api.reset()

    fetch_ids(["2202.05262"])
    fetch_ids(["2211.00593"])
    search_title("Locating and Editing Factual Associations in GPT")

    assert min(intervals(fake_arxiv)) >= 0.2
    assert arxiv_api.request_count() == 3


# --- retries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["429", "503", "drop", "slow", "truncated"])
def test_a_passing_failure_is_retried(fake_arxiv, base, kb, fault):
    (base / "papers" / "rome.md").write_text(HAND_WRITTEN)
    fake_arxiv.script(fault)

    run = kb("fetch", "--root", base)

    assert run.code == 0, run.err
    assert len(fake_arxiv.requests) == 2
    assert "year: 2022" in (base / "papers" / "rome.md").read_text()


def test_arxiv_staying_busy_gives_up_after_4_tries_with_backoff(fake_arxiv, base, kb, monkeypatch):
    monkeypatch.setenv("KB_ARXIV_DELAY", "0.05")
    arxiv_api.reset()
    (base / "papers" / "rome.md").write_text(HAND_WRITTEN)
    before = files(base)
    fake_arxiv.always = "503"

    run = kb("fetch", "--root", base)

    assert run.code == 1
    assert run.err.startswith("error: arXiv did not answer after 4 tries; nothing was changed "
                              "(last: HTTP 503;")
    assert len(fake_arxiv.requests) == 4
    assert all(a >= b for a, b in zip(intervals(fake_arxiv), [0.1, 0.2, 0.4]))  # 2x, 4x, 8x
    assert files(base) == before


def test_retry_after_is_honoured(fake_arxiv):
    fake_arxiv.retry_after = "0.3"
    fake_arxiv.script("429")

    assert fetch_ids(["2202.05262"]).requests == 2
    assert intervals(fake_arxiv)[0] >= 0.3


def test_rate_limited_every_time(fake_arxiv):
    fake_arxiv.always = "429"

    with pytest.raises(KbError, match=r"after 4 tries; nothing was changed \(last: HTTP 429"):
        fetch_ids(["2202.05262"])


def test_connection_refused(base, kb):
    # the autouse fixture points KB_ARXIV_API_URL at a closed port
    (base / "papers" / "rome.md").write_text(HAND_WRITTEN)

    run = kb("fetch", "--root", base)

    assert run.code == 1
    assert "arXiv did not answer after 4 tries; nothing was changed" in run.err
    assert "connection failed ([Errno 111] Connection refused)" in run.err
    assert arxiv_api.request_count() == 4


def test_no_answer_within_the_timeout(fake_arxiv, monkeypatch):
    monkeypatch.setenv("KB_ARXIV_TIMEOUT", "0.2")
    arxiv_api.reset()
    fake_arxiv.slow_seconds = 0.5
    fake_arxiv.always = "slow"

    with pytest.raises(KbError, match=r"after 4 tries.*\(last: no complete answer within 0.2 s"):
        fetch_ids(["2202.05262"])


def test_a_garbled_answer_is_an_error_and_nothing_is_written(fake_arxiv, base, kb):
    (base / "papers" / "rome.md").write_text(HAND_WRITTEN)
    before = files(base)
    fake_arxiv.always = "truncated"

    run = kb("fetch", "--root", base)

    assert run.code == 1
    assert "(last: garbled response: not well-formed XML" in run.err
    assert files(base) == before


def test_the_error_feed_is_reported_in_arxivs_words_without_retrying(fake_arxiv, base, kb):
    (base / "papers" / "rome.md").write_text(HAND_WRITTEN)
    fake_arxiv.script("error400")

    run = kb("fetch", "--root", base)

    assert run.code == 1
    assert "error: arXiv refused the request: incorrect id format for abc; nothing was changed" \
        in run.err
    assert len(fake_arxiv.requests) == 1


def test_malformed_ids_are_refused_before_any_request(fake_arxiv):
    with pytest.raises(KbError, match=r"malformed arXiv id 'abc', '0000.0000'"):
        fetch_ids(["2202.05262", "abc", "0000.0000"])

    assert fake_arxiv.requests == [] and arxiv_api.request_count() == 0


# --- the cache --------------------------------------------------------------------------------


def test_the_cache_answers_for_the_rest_of_the_day(fake_arxiv, tmp_path):
    cache = Cache.at(tmp_path)

    first = fetch_ids(["2202.05262", "2401.99999"], cache)
    second = fetch_ids(["2202.05262", "2401.99999"], cache)

    assert (first.requests, second.requests) == (1, 0)
    assert second.results["2202.05262"].title == first.results["2202.05262"].title
    assert second.missing == ["2401.99999"]  # an unknown id is remembered too
    assert fetch_ids(["2202.05262"], cache, refresh=True).requests == 1


def test_a_cached_answer_from_yesterday_is_asked_again(fake_arxiv, tmp_path):
    fetch_ids(["2202.05262"], Cache.at(tmp_path))
    cached = tmp_path / ".kb-cache" / "arxiv" / "2202.05262.json"
    data = json.loads(cached.read_text())
    data["fetched"] = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    cached.write_text(json.dumps(data))

    assert fetch_ids(["2202.05262"], Cache.at(tmp_path)).requests == 1


def test_a_damaged_cache_file_is_ignored(fake_arxiv, tmp_path):
    folder = tmp_path / ".kb-cache" / "arxiv"
    folder.mkdir(parents=True)
    (folder / "2202.05262.json").write_text("{not json")

    assert fetch_ids(["2202.05262"], Cache.at(tmp_path)).results["2202.05262"].title


def test_title_searches_are_cached(fake_arxiv, tmp_path):
    cache = Cache.at(tmp_path)
    title = "Locating and Editing Factual Associations in GPT"

    search_title(title, cache)
    again = search_title(title.upper(), cache)

    assert len(fake_arxiv.requests) == 1 and again[0].short_id == "2202.05262v1"


def test_old_style_ids_are_cached_as_files(fake_arxiv, tmp_path):
    fake_arxiv.add("hep-th/9901001", title="Strings", authors=["Ann Old"],
                   published="1999-01-04T00:00:00Z", primary_category="hep-th")

    fetch_ids(["hep-th/9901001"], Cache.at(tmp_path))

    assert (tmp_path / ".kb-cache" / "arxiv" / "hep-th_9901001.json").is_file()


def test_configuration_errors_are_readable(monkeypatch):
    monkeypatch.setenv("KB_ARXIV_DELAY", "soon")
    arxiv_api.reset()

    with pytest.raises(KbError, match="KB_ARXIV_DELAY must be a number of seconds, not 'soon'"):
        fetch_ids(["2202.05262"])


def test_progress_bar_only_on_a_terminal_with_several_batches(fake_arxiv, base, monkeypatch, kb):
    import sys

    write_papers(base, 150, fake_arxiv)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)

    many = kb("fetch", "--root", base).err
    one = kb("fetch", "p1", "--refresh", "--root", base).err

    assert "Asking (2 requests)" in many and one == ""
