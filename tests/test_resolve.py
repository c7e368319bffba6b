"""`kb fetch --resolve` and `kb add ID --replace NOTE` (issue 21): papers known by title only get
their identifiers from arXiv, then OpenAlex, only on an exact title whose year (±1) and first
author agree; anything less is a list of candidates, never a write; `--replace` keeps the user's
words."""

from __future__ import annotations

from helpers import meta_of, snapshot

from tooling.sources.ownership import value_hash

GLOVE = "GloVe: Global Vectors for Word Representation"


def seed_note(base, year=2014, authors=("pennington",), extra=""):
    """A paper as the seed import wrote it: title, authors and year as in my notes, recorded as
    the tool's without a fetch date (unchecked)."""
    names = "".join(f"  - {a}\n" for a in authors)
    record = (f"{{title: {value_hash(GLOVE)}, authors: {value_hash(list(authors))}, "
              f"year: {value_hash(year)}}}")
    note = base / "papers" / "glove.md"
    note.write_text(f"---\ntitle: '{GLOVE}'\nauthors:\n{names}year: {year}\n{extra}"
                    f"arxiv_sync: {record}\n---\n(pennington, socher, manning 2014) - the "
                    "co-occurrence one\n")
    return note


def two_near_matches(fake_openalex):
    """The paper, and another with the same title (case aside) five years on."""
    fake_openalex.add("W2250539671", doi="10.3115/v1/D14-1162", title="Glove: Global Vectors for "
                      "Word Representation", authors=["Jeffrey Pennington", "Richard Socher",
                                                      "Christopher D. Manning"], year=2014,
                      venue="Proceedings of EMNLP 2014")
    fake_openalex.add("W4000000001", title="GloVe: global vectors for word representation",
                      authors=["Wei Chen"], year=2019, venue="A Reprint Series")


def test_resolve_writes_the_one_confirmed_match_from_openalex(fake_arxiv, fake_openalex, base, kb):
    two_near_matches(fake_openalex)
    note = seed_note(base)

    run = kb("fetch", "--resolve", "--root", base)

    assert run.code == 0, run.err
    meta = meta_of(note)
    assert (meta["openalex"], meta["doi"]) == ("W2250539671", "10.3115/v1/d14-1162")  # OpenAlex writes DOIs lower-case
    assert meta["authors"] == ["Jeffrey Pennington", "Richard Socher", "Christopher D. Manning"]
    assert meta["arxiv_sync"]["fetched"]  # checked now: the site's `unchecked` badge goes
    assert note.read_text().endswith("---\n(pennington, socher, manning 2014) - the co-occurrence one\n")
    assert fake_arxiv.requests and fake_openalex.requests[0].query["search"] == [
        "glove global vectors for word representation"]


def test_a_near_miss_is_listed_never_written(fake_arxiv, fake_openalex, base, kb):
    two_near_matches(fake_openalex)
    seed_note(base, year=2017)  # neither 2014 nor 2019 is within a year
    before = snapshot(base / "papers")

    run = kb("fetch", "--resolve", "--root", base)

    assert run.code == 0, run.err
    assert snapshot(base / "papers") == before
    assert "not resolved: 2 papers titled" in run.out
    assert "kb add openalex:W2250539671 --replace glove   # Glove: Global Vectors" in run.out
    assert "kb add openalex:W4000000001 --replace glove" in run.out


def test_another_first_author_is_not_the_paper(fake_arxiv, fake_openalex, base, kb):
    two_near_matches(fake_openalex)
    seed_note(base, year=2019, authors=("socher",))  # 2019 fits Chen's, but Chen is not Socher
    before = snapshot(base / "papers")

    kb("fetch", "--resolve", "--root", base)

    assert snapshot(base / "papers") == before


def test_replace_writes_the_chosen_paper_and_keeps_the_users_words(fake_arxiv, fake_openalex,
                                                                   base, kb):
    two_near_matches(fake_openalex)
    note = seed_note(base, year=2017, extra="status: read   # finally\nmy_rating: 5\n")
    kb("fetch", "--resolve", "--root", base)

    run = kb("add", "openalex:W2250539671", "--replace", "glove", "--root", base)

    assert run.code == 0, run.err
    assert "replaced the metadata of papers/glove.md" in run.out
    assert sorted(p.name for p in (base / "papers").iterdir()) == ["glove.md"]  # no new note
    meta = meta_of(note)
    assert meta["openalex"] == "W2250539671" and meta["year"] == 2014  # the tool's year replaced
    assert meta["status"] == "read" and meta["my_rating"] == 5
    text = note.read_text()
    assert "status: read   # finally\n" in text
    assert text.endswith("---\n(pennington, socher, manning 2014) - the co-occurrence one\n")


def test_replace_refuses_an_id_another_note_holds(fake_arxiv, fake_openalex, base, kb):
    two_near_matches(fake_openalex)
    seed_note(base)
    (base / "papers" / "other.md").write_text("---\ntitle: Other\nopenalex: W2250539671\n---\n")
    before = snapshot(base / "papers")

    run = kb("add", "W2250539671", "--replace", "glove", "--root", base)

    assert "already in the base as papers/other.md" in run.out
    assert snapshot(base / "papers") == before
