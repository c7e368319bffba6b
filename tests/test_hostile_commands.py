"""Every command, not just `kb check`, on the hostile notes of issue 13: each in its own process,
none hangs or exits 70, each bad file is named, and the good notes beside them still work.

(test_hostile_notes.py pins each case on `kb check`; this runs them all through build, report,
export and fetch as well, since the issue found them hanging or crashing *every* command.)
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from helpers import kb_process, write_base

BOMB = "\n".join(['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'] + [
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)])
ROME = '---\ntitle: Rome\narxiv: "2202.05262"\n{extra}\n---\nMy words.\n'
HOSTILE = {  # file -> the check code that names it
    "papers/bomb.md": (ROME.format(extra=BOMB), "invalid-yaml"),
    "papers/bigint.md": (ROME.format(extra="year: " + "9" * 5000), "invalid-yaml"),
    "papers/loop.md": (ROME.format(extra="foo: &f [*f]"), "invalid-yaml"),
    "papers/deep.md": (ROME.format(extra="foo: " + "[" * 999 + "]" * 999), "invalid-yaml"),
    "notes/spaces.md": ("---\ntitle: X\ntags: [a,\nb" + " " * 300_000 + "c]\nstatus: [x]\n---\n", None),
}


def kb(*args: object, **env: str) -> subprocess.CompletedProcess[str]:
    return kb_process(*args, timeout=120, **env)


@pytest.fixture
def hostile_base(tmp_path):
    root = write_base(tmp_path / "kb", {path: text for path, (text, _) in HOSTILE.items()})
    write_base(root, {"papers/good.md": ROME.format(extra="status: reading"),
                      "notes/fine.md": "---\ntitle: Fine\n---\n[[good]] [[bomb]]\n"})
    os.mkfifo(root / "notes" / "pipe.md")
    (root / "notes" / "zero.md").symlink_to("/dev/zero")
    return root


def test_every_command_survives_the_hostile_notes(hostile_base, tmp_path, fake_arxiv):
    root = str(hostile_base)

    check = kb("check", "--json", "--root", root)
    found = {(p["path"], p["code"]) for p in json.loads(check.stdout)}
    for path, (_, code) in HOSTILE.items():
        if code:
            assert (path, code) in found, path
    build = kb("build", "--root", root, "-d", str(tmp_path / "site"))
    report = kb("report", "--json", "--root", root)
    export = kb("export", "bibtex", "--root", root)
    fetch = kb("fetch", "--root", root, KB_ARXIV_API_URL=fake_arxiv.url)

    for done in (check, build, report, export, fetch):
        assert done.returncode in (0, 1) and "internal error" not in done.stderr, done.stderr
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "site" / "papers" / "good" / "index.html").is_file()
    assert json.loads(report.stdout)
    assert "@misc{good," in export.stdout
    assert fetch.returncode == 1  # the unreadable papers are named, the good one is fetched
    for path in ("papers/bomb.md", "papers/bigint.md", "papers/loop.md", "papers/deep.md"):
        assert f"{path}:" in fetch.stdout + fetch.stderr
    assert "Kevin Meng" in (hostile_base / "papers" / "good.md").read_text()


def test_a_stray_note_never_hides_the_paper_from_the_site_or_the_report(tmp_path):
    paper = "---\ntitle: In-context learning and induction heads\nyear: 2022\nstatus: reading\n---\nRead it.\n"
    root = write_base(tmp_path / "kb", {"papers/olsson2022.md": paper,
                                        "notes/olsson2022.md": "---\ntitle: Scratch\n---\nstray\n"})

    build = kb("build", "--root", str(root), "-d", str(tmp_path / "site"))
    report = kb("report", "--json", "--root", str(root))

    assert build.returncode == 0, build.stderr
    page = (tmp_path / "site" / "papers" / "olsson2022" / "index.html").read_text(encoding="utf-8")
    assert "In-context learning and induction heads" in page
    data = json.loads(report.stdout)
    assert data["counts"]["paper"]["reading"] == 1 and data["in_progress"] == ["olsson2022"]
