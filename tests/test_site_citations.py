"""The site's citation pages (issue 21): a "Suggested reading" page and, on a paper's page, which
of its references are in the base, both from the stored references only."""

from __future__ import annotations

import socket

from helpers import run_kb, write_base

from tooling.citations.store import Known, Paper, Store, save


def test_suggested_reading_and_references_in_the_base(tmp_path, monkeypatch):
    root = write_base(tmp_path / "kb", {
        "papers/p.md": "---\ntitle: Paper P\ndoi: 10.5555/p\nstatus: read\n---\nx\n",
        "papers/q.md": "---\ntitle: Paper Q\narxiv: '2401.00002'\nstatus: read\n---\nx\n",
        "papers/r.md": "---\ntitle: Paper R\nopenalex: W4000000003\nstatus: to-read\n---\nx\n",
    })
    save(root, Store([Paper(("doi:10.5555/p", "openalex:W4000000001"),
                            ("doi:10.5555/x", "openalex:W4000000003", "arxiv:2401.00002"), "d"),
                      Paper(("arxiv:2401.00002",), ("doi:10.5555/x", "doi:10.5555/y"), "d")],
                     works={"doi:10.5555/x": Known("Xylophones <b>considered</b>", 2020,
                                                ("Ada Lovelace", "Alan Turing"), ("doi:10.5555/x",))}))

    def no_network(*args, **kwargs):
        raise AssertionError("the build asked the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    result = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"))

    assert result.exit_code == 0, result.output
    suggested = (tmp_path / "site" / "suggested" / "index.html").read_text(encoding="utf-8")
    assert "From the references of 2 of your 2 read papers" in suggested
    assert 'href="https://doi.org/10.5555/x">Xylophones &lt;b&gt;considered&lt;/b&gt;</a>' in suggested
    assert "<code>kb add doi:10.5555/x</code>" in suggested
    assert 'cited by 2 of your read papers: <a class="kb-link" href="../papers/p/">Paper P</a>, ' \
           '<a class="kb-link" href="../papers/q/">Paper Q</a>' in suggested
    assert "10.5555/y" not in suggested  # cited by one read paper only
    card = (tmp_path / "site" / "papers" / "p" / "index.html").read_text(encoding="utf-8")
    assert "<dt>Cites in the base (2 of 3 references)</dt>" in card
    assert ('<dd><a class="kb-link" href="../../papers/r/">Paper R</a>, '
            '<a class="kb-link" href="../../papers/q/">Paper Q</a></dd>') in card  # reference order
    assert "Cites in the base" not in (tmp_path / "site" / "papers" / "r" / "index.html").read_text()
