"""Fuzz: mutated vaults (see fuzzvault.py) through `kb import`, a second import of the same vault
from a moved folder, then `check` and `build`, each in its own process with a time budget. None
may crash (exit 70, a traceback) or hang; the second import creates nothing; every page read is in
its note line for line; and what `kb check` accepts must build.

Deterministic: case N is `random.Random(N)`. `KB_FUZZ_CASES=200 pytest tests/test_fuzz_import.py`
runs a longer campaign, `KB_FUZZ_FIRST=1000` starts it elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from fuzzvault import write_vault
from helpers import kb_process

from tooling.importing.decode import decode, text_lines
from tooling.importing.stamps import page_stamp_of
from tooling.load import load_notes

FUZZ_CASES = int(os.environ.get("KB_FUZZ_CASES", "6"))
FIRST = int(os.environ.get("KB_FUZZ_FIRST", "0"))
BUDGET = 120


def kb(*args: str) -> subprocess.CompletedProcess[str]:
    try:
        return kb_process(*args, timeout=BUDGET, KB_DEBUG="")
    except subprocess.TimeoutExpired:
        pytest.fail(f"kb {' '.join(args[:2])} hung (no exit within {BUDGET} s)")


def crashed(done: subprocess.CompletedProcess[str]) -> bool:
    return done.returncode not in (0, 1) or "Traceback" in done.stderr or "internal error" in done.stderr


@pytest.mark.parametrize("seed", range(FIRST, FIRST + FUZZ_CASES))
def test_mutated_vaults_import_as_themselves_and_never_crash_or_hang(tmp_path: Path, seed: int) -> None:
    vault, root = tmp_path / "vault", tmp_path / "kb"
    pages = write_vault(vault, seed)
    where = f"case {seed} ({len(pages)} pages; files kept in {vault})"

    first = kb("import", str(vault), "--root", str(root), "--json")
    assert not crashed(first), f"import crashed on {where}:\n{first.stderr[-3000:]}"
    report = json.loads(first.stdout)
    unread = {p["path"] for p in report["problems"] if p["code"] in ("input-not-text", "input-unreadable")}
    repaired = {(p["path"], p["line"]) for p in report["problems"] if p["code"] == "mojibake-repaired"}

    notes = {}
    for note in load_notes(root).notes:
        stamp = page_stamp_of(note.meta)
        if stamp is not None:
            notes[stamp.rel] = (root / note.path).read_bytes().decode("utf-8").split("\n")
    for rel in pages:
        if str(vault / rel) in unread or rel not in notes:
            continue  # not UTF-8, or a template, or hidden: reported, never guessed
        written = notes[rel]
        lines = text_lines(decode((vault / rel).read_bytes()))
        fence = lines.index("---", 1) + 1 if lines[:1] == ["---"] and "---" in lines[1:] else 0
        for number, line in enumerate(lines, 1):
            if (str(vault / rel), number) in repaired or number <= fence:
                continue  # repaired mojibake, or a field kept under another name: reported
            assert not line.strip() or line in written, (where, rel, number, line)

    moved = tmp_path / "downloads" / "vault (1)"
    shutil.copytree(vault, moved)
    again = kb("import", str(moved), "--root", str(root), "--json")
    assert not crashed(again), f"second import crashed on {where}:\n{again.stderr[-3000:]}"
    counts = json.loads(again.stdout)["counts"]
    assert counts["created"] == counts["updated"] == counts["copied"] == 0, (where, counts)

    check = kb("check", "--json", "--root", str(root))
    assert not crashed(check), f"check crashed on {where}:\n{check.stderr}"
    errors = [p for p in json.loads(check.stdout) if p["severity"] == "error"]
    build = kb("build", "--root", str(root), "-d", str(tmp_path / "site"), "--no-exec")
    assert not crashed(build), f"build crashed on {where}:\n{build.stderr[-3000:]}"
    assert build.returncode == 0 or errors, (
        f"kb check found no error, yet the build failed on {where}:\n{build.stderr[-3000:]}")
