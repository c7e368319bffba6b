"""An interrupted `kb import` (issue 13, item 8): killed at any point, or stopped by a disk that
refuses writes, the next run of the same import gives the same result as one uninterrupted run."""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO, run_kb, snapshot, write_base

PAPERS = 150


def big_export(folder: Path) -> Path:
    """A page listing many papers with remarks, a second page linking to it, and an image."""
    lines = [f"- [Paper number {n}](https://arxiv.org/abs/2101.{n:05d})\n    - remark {n}\n"
             for n in range(1, PAPERS + 1)]
    return write_base(folder, {
        "Reading.md": "# Reading\n\n![chart](chart.png)\n\n" + "".join(lines),
        "Later.md": "# Later\n\nSee [[Reading]] again, and [Paper number 7](https://arxiv.org/abs/2101.00007).\n",
        "chart.png": b"\x89PNG\r\n\x1a\nchart",
        "Long.md": "# Long\n\n" + "A long paragraph of my own words. " * 600 + "\n",
    })




def kb_process(*args: str, limit: int | None = None) -> subprocess.Popen[bytes]:
    """`kb ARGS` in a process of its own (so it can be killed, or given a file-size limit)."""
    def limited() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "tooling.cli", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=limited)


@pytest.fixture(scope="module")
def export_and_reference(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    export = big_export(tmp_path_factory.mktemp("in") / "export")
    reference = tmp_path_factory.mktemp("one-run") / "kb"
    result = run_kb("import", str(export), "--root", str(reference), "--carve")
    assert result.exit_code == 0, result.output
    return export, snapshot(reference)


def notes_written(root: Path) -> int:
    return sum(1 for _ in root.rglob("*.md")) if root.exists() else 0


@pytest.mark.slow
@pytest.mark.parametrize("written", [0, 1, 30, 90, PAPERS])
def test_a_killed_import_finishes_on_the_next_run_as_if_run_once(tmp_path, export_and_reference,
                                                                  written):
    export, reference = export_and_reference
    root = tmp_path / "kb"
    process = kb_process("import", str(export), "--root", str(root), "--carve")
    deadline = time.monotonic() + 60
    while process.poll() is None and notes_written(root) < written and time.monotonic() < deadline:
        time.sleep(0.0005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    again = run_kb("import", str(export), "--root", str(root), "--carve")
    assert again.exit_code == 0, again.output
    assert snapshot(root) == reference  # same notes, same bytes, no temp file left behind


def test_stale_temp_files_of_a_killed_writer_are_removed_live_ones_kept(tmp_path):
    root = write_base(tmp_path / "kb", {"papers/.x.md.999999999.k9f2.tmp": "half a no",
                                        "notes/keep.md": "---\ntitle: Keep\n---\n"})
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        live = root / f"notes/.y.md.{sleeper.pid}.a1b2.tmp"
        live.write_text("being written")
        export = write_base(tmp_path / "in", {"page.md": "Words.\n"})
        result = run_kb("import", str(export), "--root", str(root), "--carve")
        assert result.exit_code == 0, result.output
        assert not (root / "papers/.x.md.999999999.k9f2.tmp").exists()
        assert live.exists()  # its writer still runs
        assert "papers/.x.md.999999999.k9f2.tmp: info stale-temp-removed" in result.output
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_disk_that_refuses_writes_stops_the_import_which_says_what_was_written(
        tmp_path, export_and_reference):
    export, reference = export_and_reference
    root = tmp_path / "kb"
    # Notes under 8 KB fit; the long page does not: the write fails as on a full disk.
    process = kb_process("import", str(export), "--root", str(root), "--carve", limit=8000)
    output = process.communicate()[0].decode()
    assert process.returncode == 1, output
    assert "notes/long.md: error write-failed: could not write it: File too large" in output
    said = re.search(r"Written before it: (\d+) notes and 1 file \(listed above\); (\d+) not written",
                     output)
    assert said, output
    written = snapshot(root)
    notes = sorted(path for path in written if path.endswith(".md"))
    assert int(said.group(1)) == len(notes) >= PAPERS  # the papers first, then what pages fitted
    assert int(said.group(2)) == len(reference) - len(written)
    assert sorted(re.findall(r"^created \w+ +(\S+\.md)", output, re.MULTILINE)) == notes
    assert all(reference[path] == data for path, data in written.items())  # nothing half-written
    assert not any(Path(path).name.startswith(".") for path in written)
    again = run_kb("import", str(export), "--root", str(root), "--carve")
    assert again.exit_code == 0, again.output
    assert snapshot(root) == reference


def test_a_file_created_between_plan_and_write_is_never_overwritten(tmp_path):
    """The last line of defence: the writer refuses to replace a file, even one that appeared
    after the plan was made (another program, a second import), and says so."""
    from tooling.importing import plan_import, write_plan

    export = big_export(tmp_path / "export")
    root = tmp_path / "kb"
    plan = plan_import(root, [export], carve=True)
    taken = plan.notes[len(plan.notes) // 2].path
    (root / taken).parent.mkdir(parents=True, exist_ok=True)
    (root / taken).write_text("someone else's file\n")
    report = write_plan(root, plan)
    assert (root / taken).read_text() == "someone else's file\n"
    assert [(p.path, p.code) for p in report.problems] == [(taken, "clash")]
    assert notes_written(root) == len(plan.notes)  # the others were all written
