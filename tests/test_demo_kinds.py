"""Demos run only where the README says (issue 17): in concept notes (and only when their fence
is closed, the lexical layer's rule). A demo block anywhere else (a paper, a note, an imported
page) is plain code that no command runs, and `kb check` says which notes carry one."""

from __future__ import annotations

from pathlib import Path

from helpers import check_json, codes, run_kb, write_base

from tooling.base import open_base
from tooling.demos import base_jobs


def demo_writing(marker: Path, words: str) -> str:
    return f"```python demo\nopen({str(marker)!r}, 'w').write('ran')\nprint({words!r})\n```\n"


def make_base(root: Path, marker: Path) -> Path:
    return write_base(root, {
        "concepts/c.md": "---\ntitle: C\n---\nText.\n\n" + demo_writing(marker.with_name("concept"),
                                                                      "concept demo ran"),
        "concepts/open.md": "---\ntitle: Open\n---\nText.\n\n```python demo\n"
                            f"open({str(marker.with_name('unclosed'))!r}, 'w')\n\nMore words.\n",
        "papers/p.md": "---\ntitle: P\n---\nText.\n\n" + demo_writing(marker.with_name("paper"), "paper"),
        "notes/vault-page.md": "---\ntitle: Vault page\nimported_from: export/page.md:1 1a2b3c4d\n"
                               "---\nFrom someone's vault:\n\n" + demo_writing(marker.with_name("note"),
                                                                               "imported"),
    })


def test_only_closed_demos_of_concepts_run_at_build(tmp_path):
    root = make_base(tmp_path / "kb", tmp_path / "marker")
    result = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "concept").exists()
    for name in ("paper", "note", "unclosed"):
        assert not (tmp_path / name).exists(), name
    site = tmp_path / "site"
    assert "concept demo ran" in (site / "concepts/c/index.html").read_text()
    for page in ("papers/p", "notes/vault-page", "concepts/open"):
        html = (site / page / "index.html").read_text()
        assert 'class="kb-demo"' not in html and "demo.js" not in html, page  # no Run button
        if page != "concepts/open":  # Python-Markdown shows an unclosed fence as text
            assert '<div class="highlight">' in html and ">write<" in html, page  # as code


def test_kb_check_names_demos_outside_concepts_and_unclosed_ones(tmp_path):
    root = make_base(tmp_path / "kb", tmp_path / "marker")
    found = [c for c in codes(check_json(root)) if "demo" in c[2] or "unclosed" in c[2]]
    assert found == [("concepts/open.md", 4, "concept-without-demo"),  # an open fence is no demo
                     ("concepts/open.md", 6, "unclosed-fence"),
                     ("notes/vault-page.md", 7, "demo-outside-concept"),
                     ("papers/p.md", 6, "demo-outside-concept")]


def test_demo_commands_run_concepts_only(tmp_path):
    root = make_base(tmp_path / "kb", tmp_path / "marker")
    assert [job.path for job in base_jobs(open_base(root).notes)] == ["concepts/c.md"]
    refused = run_kb("demo", "run", "p", "--root", str(root))
    assert refused.exit_code == 1 and "demos run only in concept notes" in refused.output
    unclosed = run_kb("demo", "run", "open", "--root", str(root))
    assert unclosed.exit_code == 1 and "no demo" in unclosed.output
    checked = run_kb("demo", "check", "--root", str(root))
    assert checked.exit_code == 0 and "checked 1 demo block" in checked.output
    for name in ("paper", "note", "unclosed"):
        assert not (tmp_path / name).exists(), name


def test_the_shipped_base_has_no_demo_outside_concepts():
    from helpers import REPO

    kb = open_base(REPO)
    assert not [c for c in codes([p.as_dict() for p in _checks(kb)])
                if c[2] in ("demo-outside-concept", "unclosed-fence")]
    concepts = [n for n in kb.notes if n.kind == "concept"]
    assert len({job.path for job in base_jobs(kb.notes)}) == len(concepts)  # every one still runs


def _checks(kb):
    from tooling.lint import run_checks

    return run_checks(kb, ["demo-outside-concept", "unclosed-fence"])
