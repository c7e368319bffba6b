"""What the fuzz test (test_fuzz_notes.py) found, each pinned by its smallest input."""

from __future__ import annotations

from helpers import check_json, run_kb, write_base


def test_links_whose_url_python_cannot_split_still_build(tmp_path):
    # Case 158: MkDocs' link rewriting calls urlsplit, which raises on a bracketed host that is
    # no IP address and on a host that changes under NFKC: the whole build died (exit 70).
    urls = ["http://[zz]/", "https://ex\u2100ample.com/", "https://a[b/"]
    body = "".join(f"[x]({url}) ![i]({url}) <{url}>\n\n" for url in urls)
    root = write_base(tmp_path / "kb", {"notes/links.md": f"---\ntitle: Links\n---\n{body}"})
    assert [p for p in check_json(root) if p["severity"] == "error"] == []

    result = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"))

    assert result.exit_code == 0, result.output
    page = (tmp_path / "site" / "notes" / "links" / "index.html").read_text(encoding="utf-8")
    assert 'href="http://%5Bzz%5D/"' in page and 'src="http://%5Bzz%5D/"' in page
    assert 'href="https://ex%E2%84%80ample.com/"' in page
