"""Fuzz: mutated real notes through `check`, `build`, `report --json` and `export bibtex`, each in
its own process with a time budget. None may crash (exit 70, a traceback) or hang, and whatever
`kb check` accepts must build: a build that fails must have a `kb check` error to show for it.

Deterministic: case N is `random.Random(N)` (see fuzznotes.py). The suite runs FUZZ_CASES cases;
`KB_FUZZ_CASES=500 pytest tests/test_fuzz_notes.py` runs a longer campaign, and
`KB_FUZZ_FIRST=1000` starts it elsewhere.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from fuzznotes import CANARY, add_links, write_case
from helpers import kb_process

FUZZ_CASES = int(os.environ.get("KB_FUZZ_CASES", "10"))
FIRST = int(os.environ.get("KB_FUZZ_FIRST", "0"))
BUDGET = 120  # seconds per command: far above a normal run (~1 s), far below a hang


def kb(*args: str) -> subprocess.CompletedProcess[str]:
    try:
        return kb_process(*args, timeout=BUDGET, KB_DEBUG="")  # no debug tracebacks
    except subprocess.TimeoutExpired:
        pytest.fail(f"kb {' '.join(args[:2])} hung (no exit within {BUDGET} s)")


def crashed(done: subprocess.CompletedProcess[str]) -> bool:
    return done.returncode not in (0, 1) or "Traceback" in done.stderr or "internal error" in done.stderr


@pytest.mark.parametrize("seed", range(FIRST, FIRST + FUZZ_CASES))
def test_mutated_notes_never_crash_or_hang(tmp_path: Path, seed: int) -> None:
    root = tmp_path / "kb"
    paths = write_case(root, seed)
    outside = tmp_path / "outside"
    if seed % 3 == 0:  # a cloned base carrying links out of it, between notes, dangling, in loops
        import random

        paths += add_links(random.Random(seed), root, outside)
    where = f"case {seed} ({', '.join(paths)}; files kept in {root})"

    check = kb("check", "--json", "--root", str(root))
    assert not crashed(check), f"check crashed on {where}:\n{check.stderr}"
    errors = [p for p in json.loads(check.stdout) if p["severity"] == "error"]

    build = kb("build", "--root", str(root), "-d", str(tmp_path / "site"))
    assert not crashed(build), f"build crashed on {where}:\n{build.stderr[-3000:]}"
    assert build.returncode == 0 or errors, (
        f"kb check found no error, yet the build failed on {where}:\n{build.stderr[-3000:]}")

    report = kb("report", "--json", "--root", str(root))
    assert not crashed(report) and report.returncode == 0, f"report failed on {where}:\n{report.stderr}"
    json.loads(report.stdout)

    export = kb("export", "bibtex", "--root", str(root))
    assert not crashed(export), f"export crashed on {where}:\n{export.stderr}"

    # Nothing behind a link leading out of the base is read, published or deleted.
    shown = check.stdout + build.stderr + report.stdout + export.stdout + "".join(
        p.read_text(errors="replace") for p in (tmp_path / "site").rglob("*")
        if p.is_file() and p.suffix in (".html", ".json", ".xml"))
    assert CANARY not in shown, f"a file outside the base showed through on {where}"
    if outside.exists():
        assert sorted(p.name for p in outside.iterdir()) == ["cache.json", "folder", "id_rsa"], where
        assert CANARY in (outside / "id_rsa").read_text() and (outside / "cache.json").read_text() == CANARY
