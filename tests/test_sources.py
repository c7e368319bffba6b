"""Beyond arXiv (issue 21): `kb add` and `kb fetch` with OpenAlex, OpenReview and Crossref, against
fake servers replaying their real recorded answers, under the one network policy."""

from __future__ import annotations

import datetime as dt
import shutil
import time

import pytest
from helpers import meta_of, snapshot

from tooling.identifiers import DOI, PaperId
from tooling.sources import openalex
from tooling.sources.cache import DayCache

PEERJ = "10.7717/peerj.4375"  # the recorded OpenAlex work W2741809807
PONE = "10.1371/journal.pone.0033693"  # the recorded Crossref work, unknown to the fake OpenAlex


def papers(base):
    return sorted(p.name for p in (base / "papers").iterdir())


def test_a_doi_is_added_from_openalex_with_its_metadata(fake_openalex, base, kb):
    run = kb("add", f"https://doi.org/{PEERJ}", "--root", base)

    assert run.code == 0, run.err
    assert "created papers/piwowar2018state.md" in run.out
    meta = meta_of(base / "papers" / "piwowar2018state.md")
    assert meta["title"].startswith("The state of OA: a large-scale analysis")
    assert meta["authors"][:3] == ["Heather Piwowar", "Jason Priem", "Vincent Larivière"]
    assert (meta["year"], meta["venue"], meta["doi"], meta["openalex"]) == (
        2018, "PeerJ", PEERJ, "W2741809807")
    assert meta["abstract"].startswith("Despite growing interest in Open Access (OA)")
    assert meta["arxiv_sync"]["fetched"] == dt.date.today().isoformat()
    [request] = fake_openalex.requests
    assert request.query["filter"] == [f"doi:{PEERJ}"] and "mailto" not in request.query


def test_an_acl_anthology_paper_is_asked_by_its_doi_and_keeps_both_ids(fake_openalex, base, kb):
    fake_openalex.add("W3035390112", doi="10.18653/v1/2020.acl-main.463",
                      title="Climbing towards NLU: On Meaning, Form, and Understanding in the Age "
                            "of Data", authors=["Emily M. Bender", "Alexander Koller"], year=2020,
                      venue="Proceedings of the 58th Annual Meeting of the ACL")

    run = kb("add", "https://aclanthology.org/2020.acl-main.463/", "--root", base)

    assert run.code == 0, run.err
    meta = meta_of(base / "papers" / "bender2020climbing.md")
    assert (meta["acl"], meta["doi"]) == ("2020.acl-main.463", "10.18653/v1/2020.acl-main.463")
    assert fake_openalex.requests[0].query["filter"] == ["doi:10.18653/v1/2020.acl-main.463"]
    asked = len(fake_openalex.requests)
    shutil.rmtree(base / ".kb-cache")  # another day
    again = kb("add", "10.18653/V1/2020.ACL-MAIN.463", "--root", base)  # a DOI in any case
    assert "already in the base as papers/bender2020climbing.md" in again.out
    assert len(fake_openalex.requests) == asked  # known in the base: not even asked


def test_lookups_go_fifty_to_a_request_and_once_a_day(fake_openalex, tmp_path):
    refs = []
    for n in range(60):
        doi = f"10.5555/paper.{n}"
        fake_openalex.add(f"W{1000 + n}", doi=doi, title=f"Paper {n}", authors=["A. Author"],
                          year=2020)
        refs.append(PaperId(DOI, doi))
    cache = DayCache.at(tmp_path, "OpenAlex")

    found = openalex.look_up(refs + [PaperId(DOI, "10.5555/nobody")], cache)
    again = openalex.look_up(refs, cache)

    assert [len(r.query["filter"][0].split("|")) for r in fake_openalex.requests] == [50, 11]
    assert found[PaperId(DOI, "10.5555/paper.59").key].title == "Paper 59"
    assert found[PaperId(DOI, "10.5555/nobody").key] is None
    assert again == {key: work for key, work in found.items() if "nobody" not in key}
    assert len(fake_openalex.requests) == 2  # the second look-up came from the day's cache


def test_crossref_is_asked_only_for_dois_openalex_lacks(fake_openalex, fake_crossref, base, kb):
    run = kb("add", PONE, PEERJ, "--root", base)

    assert run.code == 0, run.err
    assert [r.path for r in fake_crossref.requests] == [f"/works/{PONE}"]
    meta = meta_of(base / "papers" / "sadasivan2012methylphenidate.md")
    assert (meta["venue"], meta["year"], meta["authors"][1]) == ("PLoS ONE", 2012, "Brooks B. Pond")
    assert "(Crossref doi:10.1371/journal.pone.0033693)" in run.out


def test_an_unknown_doi_adds_nothing(fake_openalex, fake_crossref, base, kb):
    run = kb("add", PEERJ, "10.1371/notarealdoi", "--root", base)

    assert run.code == 1
    assert "OpenAlex and Crossref know no paper doi:10.1371/notarealdoi; nothing was added" in run.err
    assert papers(base) == []


def test_an_openreview_paper_comes_from_openreview(fake_openreview, base, kb):
    run = kb("add", "https://openreview.net/pdf?id=4aMedv0ONH", "--root", base)

    assert run.code == 0, run.err
    meta = meta_of(base / "papers" / "zhang2025emergency.md")
    assert meta["title"] == "Emergency Response Measures for Catastrophic Risk"
    assert (meta["venue"], meta["year"], meta["openreview"]) == ("RegML 2025 Poster", 2025, "4aMedv0ONH")
    assert meta["published"] == "2025-09-23"  # pdate 1758606093305 ms
    assert meta["pdf_url"] == "https://openreview.net/pdf?id=4aMedv0ONH"
    assert fake_openreview.requests[0].query["ids"] == ["4aMedv0ONH"]


def test_requests_carry_the_user_agent_and_the_users_address(fake_openalex, fake_crossref,
                                                            monkeypatch, base, kb):
    monkeypatch.setenv("KB_MAILTO", "me@example.org")

    kb("add", PEERJ, PONE, "--root", base)

    for request in fake_openalex.requests + fake_crossref.requests:
        assert request.headers["User-Agent"].startswith("kb-tooling/")
        assert "(mailto:me@example.org)" in request.headers["User-Agent"]
        assert request.query["mailto"] == ["me@example.org"]


def test_busy_answers_are_retried_after_the_time_asked(fake_openalex, base, kb):
    fake_openalex.script("429", "503")
    fake_openalex.retry_after = "0.3"

    run = kb("add", PEERJ, "--root", base)

    assert run.code == 0, run.err
    times = [r.time for r in fake_openalex.requests]
    assert len(times) == 3 and times[1] - times[0] >= 0.29 and times[2] - times[1] >= 0.29


@pytest.mark.parametrize("fault, last", [
    ("503", "last: HTTP 503"),
    ("malformed", "last: garbled response: not JSON"),
    ("trickle", "last: no complete answer within 0.5 s"),
])
def test_a_service_that_stays_away_changes_nothing(fake_openalex, base, kb, fault, last):
    fake_openalex.always = fault
    before = snapshot(base)
    start = time.monotonic()

    run = kb("add", PEERJ, "--root", base)

    assert run.code == 1
    assert "OpenAlex did not answer after 4 tries; nothing was changed" in run.err and last in run.err
    assert len(fake_openalex.requests) == 4
    assert snapshot(base) == before
    assert time.monotonic() - start < 10  # a trickle is cut at the deadline, not read for hours


def test_a_bad_service_address_is_a_sentence(monkeypatch, base, kb):
    monkeypatch.setenv("KB_OPENALEX_URL", "ftp://example.org")

    run = kb("add", PEERJ, "--root", base)

    assert run.code == 1 and "KB_OPENALEX_URL must be an http(s) URL" in run.err


HAND_EDITED = """\
---
# my reading-group copy
title: The State of Open Access   # my shorter title
authors: [Heather Piwowar]
doi: "10.7717/PEERJ.4375"
venue: PeerJ (2018)
categories: [cs.DL]
my_rating: 4
arxiv_sync: {fetched: 2024-01-01, authors: AUTHORSHASH, venue: VENUEHASH, categories: CATSHASH}
---
My notes: read section 3 twice.
"""
KEPT_LINES = ["---", "# my reading-group copy", "title: The State of Open Access   # my shorter title",
              'doi: "10.7717/PEERJ.4375"', "categories: [cs.DL]", "my_rating: 4", "---",
              "My notes: read section 3 twice."]


def test_fetching_a_doi_paper_never_changes_the_users_words(fake_openalex, base, kb):
    from tooling.sources.ownership import value_hash

    text = (HAND_EDITED.replace("AUTHORSHASH", value_hash(["Heather Piwowar"]))
            .replace("VENUEHASH", value_hash("PeerJ (2018)")).replace("CATSHASH", value_hash(["cs.DL"])))
    note = base / "papers" / "oa.md"
    note.write_text(text)

    run = kb("fetch", "--root", base)

    assert run.code == 0, run.err
    meta = meta_of(note)
    assert "papers/oa.md: kept your title (OpenAlex has: The state of OA" in run.out
    assert "papers/oa.md: authors Heather Piwowar -> Heather Piwowar, Jason Priem" in run.out
    assert meta["title"] == "The State of Open Access"  # a commented field is yours
    assert meta["authors"][1] == "Jason Priem" and meta["venue"] == "PeerJ"  # the tool's: refreshed
    assert meta["categories"] == ["cs.DL"]  # OpenAlex does not speak for categories: not removed
    assert meta["doi"] == "10.7717/PEERJ.4375"  # the same DOI in another case: left as written
    assert "kept your doi" not in run.out  # ... and not reported as a difference
    assert meta["openalex"] == "W2741809807" and meta["year"] == 2018  # missing: filled in
    lines = note.read_text().splitlines()
    assert [line for line in lines if line in KEPT_LINES] == KEPT_LINES  # your lines, in order


def test_a_paper_known_by_its_openreview_link_is_fetched_from_openreview(fake_openreview, base, kb):
    mine = ("---\ntitle: Emergency response measures\nauthors: [James Zhang]\nyear: 2025\n"
            "url: https://openreview.net/pdf?id=4aMedv0ONH\nstatus: skimmed\n---\nMine.\n")
    note = base / "papers" / "zhang.md"
    note.write_text(mine)

    run = kb("fetch", "--root", base)

    assert run.code == 0, run.err
    meta = meta_of(note)
    assert meta["openreview"] == "4aMedv0ONH" and meta["venue"] == "RegML 2025 Poster"
    assert meta["title"] == "Emergency response measures"  # written by me: kept
    assert "kept your title (OpenReview has: Emergency Response Measures for Catastrophic Risk)" in run.out
    assert note.read_text().startswith(mine.split("status")[0])


def test_a_malformed_doi_does_not_stop_the_fetch_of_other_papers(fake_arxiv, base, kb):
    note = base / "papers" / "rome.md"
    note.write_text('---\ntitle: ROME\narxiv: "2202.05262"\ndoi: not-a-doi\n---\n')

    run = kb("fetch", "--root", base)

    assert run.code == 0, run.err
    assert "papers/rome.md:4: warning ignored-paper-id: malformed DOI 'not-a-doi'" in run.err
    assert meta_of(note)["authors"][0] == "Kevin Meng" and meta_of(note)["doi"] == "not-a-doi"
