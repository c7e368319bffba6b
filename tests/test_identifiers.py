"""Every paper identifier grammar in one module (issue 21): each written form a user pastes
reads as the right scheme and canonical value, and free text gives up every id it holds."""

from __future__ import annotations

import pytest

from tooling.identifiers import (
    ACL,
    ARXIV,
    DOI,
    OPENALEX,
    OPENREVIEW,
    PaperId,
    acl_doi,
    field_problem,
    find_ids,
    id_from_key,
    ids_of,
    parse_id,
)


@pytest.mark.parametrize("written, scheme, value", [
    ("2202.05262v3", ARXIV, "2202.05262"),
    ("https://arxiv.org/pdf/2202.05262v2.pdf", ARXIV, "2202.05262"),
    ("10.48550/arXiv.2202.05262", ARXIV, "2202.05262"),  # arXiv's DOI is the arXiv id
    ("math.GT/0309136", ARXIV, "math/0309136"),
    ("10.1080/07350015.2021.1895812", DOI, "10.1080/07350015.2021.1895812"),
    ("doi:10.1038/nature14539.", DOI, "10.1038/nature14539"),  # sentence full stop dropped
    ("https://doi.org/10.1016/s0021-9258(19)52451-6", DOI, "10.1016/s0021-9258(19)52451-6"),
    ("https://dx.doi.org/10.1145%2F3442188.3445922", DOI, "10.1145/3442188.3445922"),
    ("https://distill.pub/x?u=https%3A%2F%2Fdoi.org%2F10.23915%2Fdistill.00024", DOI,
     "10.23915/distill.00024"),
    ("https://aclanthology.org/2020.acl-main.463/", ACL, "2020.acl-main.463"),
    ("https://aclanthology.org/2023.findings-emnlp.12.pdf", ACL, "2023.findings-emnlp.12"),
    ("https://www.aclweb.org/anthology/P19-1001.pdf", ACL, "P19-1001"),
    ("p19-1001", ACL, "P19-1001"),
    ("10.18653/v1/N19-1423", ACL, "N19-1423"),  # an ACL DOI is the ACL id
    ("https://doi.org/10.18653/v1/2020.acl-main.463", ACL, "2020.acl-main.463"),
    ("https://openreview.net/forum?id=HyxY6JHKwr", OPENREVIEW, "HyxY6JHKwr"),
    ("https://openreview.net/pdf?id=rJl-b3RcF7", OPENREVIEW, "rJl-b3RcF7"),
    ("openreview.net/forum?id=4aMedv0ONH&noteId=x", OPENREVIEW, "4aMedv0ONH"),
    ("openreview:4aMedv0ONH", OPENREVIEW, "4aMedv0ONH"),
    ("https://openalex.org/W2741809807", OPENALEX, "W2741809807"),
    ("w2741809807", OPENALEX, "W2741809807"),
    ("https://api.openalex.org/works/W2741809807", OPENALEX, "W2741809807"),
])
def test_every_written_form_reads_as_its_scheme(written, scheme, value):
    assert parse_id(written) == PaperId(scheme, value)


@pytest.mark.parametrize("written", [
    "https://distill.pub/2020/circuits/zoom-in/",  # a venue page, no identifier
    "https://openreview.net/group?id=ICLR.cc/2024/Conference",
    "https://aclanthology.org/",
    "10.1/x",  # a registrant code has 4 to 9 digits
    "2202.052621",
    "W12",
    "attention is all you need",
])
def test_what_is_not_an_identifier(written):
    assert parse_id(written) is None


def test_dois_compare_without_case_and_the_acl_doi_is_the_anthology_rule():
    assert PaperId(DOI, "10.1038/Nature14539").key == PaperId(DOI, "10.1038/nature14539").key
    assert PaperId(OPENREVIEW, "AbC12").key != PaperId(OPENREVIEW, "abc12").key
    assert acl_doi("2020.acl-main.463") == "10.18653/v1/2020.acl-main.463"
    assert id_from_key("doi:10.1038/nature14539") == PaperId(DOI, "10.1038/nature14539")
    assert id_from_key("openalex:nonsense") is None


def test_find_ids_in_prose_finds_each_once_with_its_offset():
    text = ("See doi:10.48550/arXiv.2202.05262, also (https://doi.org/10.1000/x(1)). "
            "ACL: 2020.acl-main.463 and [forum](https://openreview.net/forum?id=abcdef) "
            "and openalex:W2741809807 and 10.23915/distill.00024.")
    found = find_ids(text)
    assert [str(ref) for _, ref in found] == [
        "arxiv:2202.05262", "doi:10.1000/x(1)", "acl:2020.acl-main.463", "openreview:abcdef",
        "openalex:W2741809807", "doi:10.23915/distill.00024"]
    assert text[found[1][0]:].startswith("https://doi.org/")


def test_a_notes_identifier_fields_and_their_problems():
    meta = {"arxiv": "2202.05262v2", "doi": "https://doi.org/10.1/abcd", "acl": "P19-1001",
            "openreview": "not an id!", "openalex": 42}
    assert ids_of(meta) == {ARXIV: PaperId(ARXIV, "2202.05262"), ACL: PaperId(ACL, "P19-1001")}
    assert field_problem(DOI, "10.1038/nature14539") is None
    assert "malformed DOI" in field_problem(DOI, "https://doi.org/10.1/abcd")
    assert "malformed OpenReview id" in field_problem(OPENREVIEW, "not an id!")
    assert "read as a number" in field_problem(OPENALEX, 42)


def test_a_url_that_is_an_identifiers_link_counts_unless_a_field_says_otherwise():
    url = "https://openreview.net/pdf?id=gEZrGCozdqR"
    assert ids_of({"url": url}) == {OPENREVIEW: PaperId(OPENREVIEW, "gEZrGCozdqR")}
    assert ids_of({"url": url, "openreview": "Other12345"})[OPENREVIEW].value == "Other12345"
    assert ids_of({"url": "https://distill.pub/2020/circuits/zoom-in/"}) == {}


def test_check_names_malformed_and_shared_identifiers(tmp_path):
    from helpers import check_json, codes, write_base

    write_base(tmp_path, {
        "papers/a.md": "---\ntitle: A\ndoi: 10.5555/X\n---\n",
        "papers/b.md": "---\ntitle: B\nurl: https://doi.org/10.5555/x\n---\n",
        "papers/c.md": "---\ntitle: C\nacl: not-an-id\nopenalex: W2741809807\n---\n",
    })

    found = [c for c in codes(check_json(tmp_path)) if c[2] in ("malformed-paper-id",
                                                                "duplicate-paper-id")]

    assert found == [("papers/b.md", 3, "duplicate-paper-id"), ("papers/c.md", 3, "malformed-paper-id")]
