"""`kb export csl` (issue 21): CSL JSON that reference managers read, round-tripping through
`kb import`."""

from __future__ import annotations

import json

from helpers import meta_of, write_base

PAPERS = {
    "papers/meng2022locating.md": "---\ntitle: Locating and Editing Factual Associations in GPT\n"
                                  "authors: [Kevin Meng, David Bau]\nyear: 2022\narxiv: '2202.05262'\n"
                                  "published: 2022-02-10\nstatus: read\n---\nx\n",
    "papers/bender2020climbing.md": "---\ntitle: 'Climbing towards NLU'\nauthors: [Emily M. Bender, "
                                    "'Koller, Alexander']\nyear: 2020\nacl: 2020.acl-main.463\n"
                                    "venue: Proceedings of ACL\n---\nx\n",
    "papers/olah2020zoom.md": "---\ntitle: 'Zoom In: An Introduction to Circuits'\nauthors: [Chris Olah, "
                              "vaswani]\nyear: 2020\ndoi: 10.23915/distill.00024.001\nvenue: Distill\n---\nx\n",
}


def test_csl_items_carry_ids_names_dates_and_types(tmp_path, kb):
    root = write_base(tmp_path / "kb", PAPERS)

    run = kb("export", "csl", "--root", root)

    assert run.code == 0, run.err
    items = {item["id"]: item for item in json.loads(run.out)}
    meng = items["meng2022locating"]
    assert (meng["type"], meng["number"], meng["publisher"], meng["URL"]) == (
        "article", "arXiv:2202.05262", "arXiv", "https://arxiv.org/abs/2202.05262")
    assert meng["author"] == [{"family": "Meng", "given": "Kevin"}, {"family": "Bau", "given": "David"}]
    assert meng["issued"] == {"date-parts": [[2022, 2, 10]]}
    bender = items["bender2020climbing"]
    assert (bender["type"], bender["DOI"]) == ("paper-conference", "10.18653/v1/2020.acl-main.463")
    assert bender["author"][1] == {"family": "Koller", "given": "Alexander"}
    olah = items["olah2020zoom"]
    assert (olah["type"], olah["container-title"], olah["issued"]) == (
        "article-journal", "Distill", {"date-parts": [[2020]]})
    assert olah["author"][1] == {"literal": "vaswani"}


def test_exported_csl_imports_back_as_the_same_papers(tmp_path, kb):
    root = write_base(tmp_path / "kb", PAPERS)
    out = tmp_path / "papers.json"
    assert kb("export", "csl", "--status", "read", "-o", out, "--root", root).code == 0
    other = write_base(tmp_path / "other", {"notes/.keep": ""})

    run = kb("import", out, "--root", other)

    assert run.code == 0, run.err
    meta = meta_of(other / "papers" / "meng2022locating.md")
    assert (meta["title"], meta["authors"], meta["arxiv"], meta["aliases"]) == (
        "Locating and Editing Factual Associations in GPT", ["Kevin Meng", "David Bau"], "2202.05262",
        ["meng2022locating"])
    again = kb("import", out, "--root", root)  # into the base it came from: nothing new
    assert "imported 0 notes" in again.out and "(same arxiv)" in again.out
