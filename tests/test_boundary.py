"""The base's boundary (issue 17): nothing is read, written, published or deleted through a link
leading out of the root, and a build never writes its site over the notes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, check_json, codes, run_kb, write_base

CANARY = "canary-5ec7e7"
NOTES = {
    "papers/p.md": "---\ntitle: Paper P\n---\nSee [[same]] and [[leak]].\n",
    "concepts/c.md": "---\ntitle: C\n---\nAbout [[p]].\n\n```python demo\nprint(6 * 7)\n```\n",
}


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "private" / "id_rsa"
    path.parent.mkdir()
    path.write_text(f"---\ntitle: {CANARY}\n---\n{CANARY} private key\n")
    return path


def site_text(site: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in site.rglob("*") if p.is_file()
                   and p.suffix in (".html", ".json", ".md", ".xml", ".txt"))


def test_a_note_linking_out_of_the_base_is_an_error_and_never_read_or_published(tmp_path, secret):
    root = write_base(tmp_path / "kb", NOTES)
    (root / "notes").mkdir()
    os.symlink(secret, root / "notes/leak.md")
    os.symlink("../papers/p.md", root / "notes/same.md")  # a link inside the base works
    problems = check_json(root)
    assert ("notes/leak.md", 0, "link-outside-base") in codes(problems)
    assert CANARY not in json.dumps(problems)
    assert ("papers/p.md", 4, "unresolved-link") in codes(problems)  # [[leak]]: no such note
    assert not any(p["path"] == "papers/p.md" and "[[same]]" in p["message"] for p in problems)
    site = tmp_path / "site"
    result = run_kb("build", "--no-exec", "--root", str(root), "-d", str(site))
    assert result.exit_code == 0, result.output
    assert CANARY not in site_text(site)
    assert (site / "notes/same/index.html").exists()


def test_a_note_folder_linking_out_of_the_base_is_not_read(tmp_path, secret):
    root = write_base(tmp_path / "kb", NOTES)
    os.symlink(secret.parent, root / "notes")
    problems = check_json(root)
    assert ("notes", 0, "link-outside-base") in codes(problems)
    assert CANARY not in json.dumps(problems)


def test_a_demo_cache_linking_out_of_the_base_is_never_pruned_or_written(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.json").write_text("{}")
    root = write_base(tmp_path / "kb", NOTES)
    (root / ".kb-cache").mkdir()
    os.symlink(elsewhere, root / ".kb-cache/demos")
    result = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    assert ".kb-cache/demos is a link leading out of the base" in result.output
    assert sorted(p.name for p in elsewhere.iterdir()) == ["precious.json"]
    assert "42" in (tmp_path / "site/concepts/c/index.html").read_text()  # the demo still ran


def test_a_site_folder_that_is_a_link_is_refused_and_its_target_kept(tmp_path):
    elsewhere = tmp_path / "home"
    elsewhere.mkdir()
    (elsewhere / ".bashrc").write_text("mine\n")
    (elsewhere / "thesis.tex").write_text("mine\n")
    root = write_base(tmp_path / "kb", NOTES)
    os.symlink(elsewhere, root / "site")
    result = run_kb("build", "--no-exec", "--root", str(root))
    assert result.exit_code == 2
    assert f"refusing to write the site to {root / 'site'}: it is a link (to {elsewhere})" in result.output
    assert sorted(p.name for p in elsewhere.iterdir()) == [".bashrc", "thesis.tex"]


@pytest.mark.parametrize(("where", "site", "reason"), [
    (".", "notes", "it lies inside the note folder notes/"),
    (".", "papers/out", "it lies inside the note folder papers/"),
    (".", ".", "it is the notes root"),
    ("papers", "..", "it is the notes root"),
    (".", "..", "it holds the notes root"),
    (".", "other", "it holds a note folder with notes in it (concepts/)"),
])
def test_a_site_folder_holding_or_inside_the_notes_is_refused(tmp_path, where, site, reason):
    root = write_base(tmp_path / "kb", {**NOTES, "other/concepts/x.md": "---\ntitle: X\n---\n"})
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    process = subprocess.run(
        [sys.executable, "-m", "tooling.cli", "build", "--no-exec", "--root",
         os.path.relpath(root, root / where), "-d", site],
        cwd=root / where, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    assert process.returncode == 2, process.stderr
    assert reason in process.stderr and "Traceback" not in process.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_plain_mkdocs_build_refuses_a_site_dir_holding_the_notes(tmp_path):
    root = write_base(tmp_path / "kb", NOTES)
    (root / "mkdocs.yml").write_text(
        f"INHERIT: {REPO / 'tooling/site/default-mkdocs.yml'}\n"
        f"docs_dir: {REPO / 'tooling/site/docs'}\nsite_dir: notes\n")
    (root / "notes").mkdir(exist_ok=True)
    (root / "notes/n.md").write_text("---\ntitle: N\n---\nmine\n")
    process = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")],
                             cwd=root, capture_output=True, text=True, timeout=300)
    assert process.returncode != 0
    assert "it lies inside the note folder notes/" in process.stderr
    assert (root / "notes/n.md").read_text() == "---\ntitle: N\n---\nmine\n"


def test_import_never_writes_into_a_note_folder_linking_out_of_the_base(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = write_base(tmp_path / "kb", NOTES)
    os.symlink(elsewhere, root / "notes")
    export = write_base(tmp_path / "export", {"page.md": "A page of mine.\n"})
    result = run_kb("import", str(export), "--root", str(root))
    assert result.exit_code == 1 and "link leading out of the base" in result.output
    assert list(elsewhere.iterdir()) == []


def test_kb_add_never_writes_into_a_papers_folder_linking_out_of_the_base(fake_arxiv, kb, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = tmp_path / "kb"
    root.mkdir()
    os.symlink(elsewhere, root / "papers")
    added = kb("add", "2202.05262", "--root", root)
    assert added.code == 1 and "link leading out of the base" in added.err
    assert list(elsewhere.iterdir()) == []


def test_day_caches_and_stored_references_never_go_through_a_link_out_of_the_base(tmp_path):
    """`.kb-cache` (arXiv's and the other sources' answers of the day, the stored references)
    linking out of the base: nothing is written there, and what lies there is never read back."""
    from tooling.arxiv.cache import Cache as ArxivCache
    from tooling.citations.store import PATH, Paper, Store, load, save
    from tooling.sources.cache import DayCache

    def fill(root: Path) -> None:
        ArxivCache.at(root).put_title("A title", [])
        DayCache.at(root, "OpenAlex").put("doi:10.1/x", [])
        save(root, Store([Paper(("arxiv:2202.05262",), (), "2026-12-07")], {}, {}, {}))

    def found(root: Path) -> tuple[object, object, int]:
        return (ArxivCache.at(root).get_title("A title"), DayCache.at(root, "OpenAlex").get("doi:10.1/x"),
                len(load(root, fresh=True).papers))

    real = tmp_path / "real"
    fill(real)
    assert found(real) == ([], [], 1)  # in the base, kept and read back
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    root = tmp_path / "kb"
    root.mkdir()
    os.symlink(outside, root / ".kb-cache")
    fill(root)
    assert list(outside.rglob("*")) == []  # nothing written through the link
    os.rmdir(outside)
    os.symlink(real / ".kb-cache", outside)  # what lies beyond it: valid entries of today
    assert (root / PATH).is_file()
    assert found(root) == (None, None, 0)
