"""YAML's surprises in text fields (issue 17): `title: yes` is the boolean true to YAML, and tags
such as !!binary and !!set build values no field can show. A boolean text field is an
`invalid-field` error and the title shows as written; those tags are refused with their line.
Fields kb does not know show on the card as written too (`draft: yes` is not "True")."""

from __future__ import annotations

from helpers import check_json, codes, run_kb, write_base


def test_yaml_booleans_and_tags_in_text_fields_are_reported_and_shown_as_written(tmp_path):
    root = write_base(tmp_path / "kb", {
        "papers/a.md": "---\ntitle: yes\n---\nSee [[b]], [[c]], [[d]].\n",
        "papers/b.md": "---\ntitle: !!binary aGVsbG8=\n---\nx\n",
        "papers/c.md": "---\ntitle: C\nextra: !!set {x, y}\n---\nx\n",
        "papers/d.md": "---\ntitle: D\nvenue: on\n---\nx\n",
        "notes/e.md": "---\ntitle: E\ndraft: yes\nratio: 1e3\nwhen:\nsource: ~\n---\nx\n",
    })
    problems = check_json(root)
    assert [c for c in codes(problems) if c[2] in ("invalid-field", "invalid-yaml")] == [
        ("papers/a.md", 2, "invalid-field"), ("papers/b.md", 2, "invalid-yaml"),
        ("papers/c.md", 3, "invalid-yaml"), ("papers/d.md", 3, "invalid-field")]
    messages = " ".join(p["message"] for p in problems)
    assert "the !!binary tag (binary data) is not allowed" in messages
    assert "the !!set tag (a set) is not allowed" in messages
    listed = run_kb("query", "TABLE title FROM papers", "--root", str(root)).output
    assert "yes" in listed and "True" not in listed and "b'hello'" not in listed
    site = tmp_path / "site"
    assert run_kb("build", "--no-exec", "--root", str(root), "-d", str(site)).exit_code == 0
    assert '<h1 class="kb-title">yes</h1>' in (site / "papers/a/index.html").read_text()
    # Fields kb does not know are shown as written, not as what YAML makes of them.
    extra = (site / "notes/e/index.html").read_text()
    extra = extra[extra.index('class="kb-extra"'):]
    assert "<th>draft</th><td>yes</td>" in extra and "<th>ratio</th><td>1e3</td>" in extra
    assert "<th>when</th><td></td>" in extra and "<th>source</th><td>~</td>" in extra
    assert "True" not in extra and "None" not in extra and "1000.0" not in extra
