"""Site crashes and slowdowns found by the fuzz test (test_fuzz_notes.py) and by running every
command on the hostile notes (test_hostile_commands.py), each pinned by its smallest input."""

from __future__ import annotations

from helpers import check_json, kb_process, run_kb, write_base


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
    # The links stay; an href no URL parser accepts is dropped by the sanitiser (no browser could
    # follow it) and a remote image becomes a link card (the site loads nothing from elsewhere).
    assert page.count(">x</a>") == 3 and page.count('class="kb-link-card"') == 3
    assert 'href="http://%5Bzz%5D/"' in page and 'href="https://ex%E2%84%80ample.com/"' in page


def test_long_runs_of_spaces_build_in_linear_time(tmp_path):
    # A tag or heading with 300,000 spaces between two words: attr_list's heading pattern is
    # quadratic on it (over a minute per page). Outside code such a run renders as one space.
    gap = " " * 300_000
    root = write_base(tmp_path / "kb", {"notes/spaces.md": (
        f"---\ntitle: Spaces\ntags: [a,\nb{gap}c]\n---\n# head{gap}ing\n\n| a{gap}b | c |\n|---|---|\n"
        f"| x | y |\n\n`code{' ' * 100}kept`\n\n    indented{' ' * 100}code\n")})

    done = kb_process("build", "--root", root, "-d", tmp_path / "site")

    assert done.returncode == 0, done.stderr
    page = (tmp_path / "site" / "notes" / "spaces" / "index.html").read_text(encoding="utf-8")
    assert ">head ing<" in page.replace('<a class="headerlink"', "<")
    assert f"code{' ' * 100}kept" in page and f"indented{' ' * 100}code" in page
