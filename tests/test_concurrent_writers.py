"""Writers running at the same time lose nothing (issue 17): 8 `kb review` processes append to
one log while 8 `kb mark` processes edit notes that another writer edits too; every line and
every edit is counted afterwards."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from helpers import REPO, meta_of, write_base

from tooling.study.log import HEADER, LOG_PATH

PROCESSES = 8
REVIEWS = 25  # per process: 200 lines in all (the issue lost 17 of 200)
MARKS = 10  # reading then read, per process, each on its own paper
TAG_ROUNDS = 25  # the other writer's edits per paper

REVIEWER = """
import sys
from click.testing import CliRunner
from tooling.cli import cli
root, month = sys.argv[1], int(sys.argv[2])
for day in range(1, {reviews} + 1):
    result = CliRunner().invoke(cli, ["review", "c", "--grade", "good", "--date",
                                      f"2024-{{month:02d}}-{{day:02d}}", "--root", root])
    assert result.exit_code == 0, result.output
"""

MARKER = """
import sys
from click.testing import CliRunner
from tooling.cli import cli
root, paper = sys.argv[1], sys.argv[2]
for day in range(1, {marks} + 1):
    for status, month in (("reading", "01"), ("read", "02")):
        result = CliRunner().invoke(cli, ["mark", paper, status, "--date",
                                          f"2024-{{month}}-{{day:02d}}", "--root", root])
        assert result.exit_code == 0, result.output
"""

# Another writer of the same notes (as `kb fetch` is), through the same editor.
TAGGER = """
import sys
from pathlib import Path
from tooling.notes.editor import edit_file
root = Path(sys.argv[1])
for round in range({rounds}):
    for number in range({papers}):
        edit_file(root / f"papers/p{{number}}.md", {{"tags": [f"t{{n}}" for n in range(round + 1)]}},
                  root=root)
"""


def spawn(program: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(program), *map(str, args)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_parallel_reviews_and_marks_lose_no_line_and_no_edit(tmp_path):
    root = write_base(tmp_path / "kb", {
        "concepts/c.md": "---\ntitle: C\nstatus: studied\n---\nx\n",
        **{f"papers/p{n}.md": f"---\ntitle: Paper {n}\nstatus: to-read # mine\n---\nNotes {n}.\n"
           for n in range(PROCESSES)},
    })
    running = [spawn(REVIEWER.format(reviews=REVIEWS), root, month + 1) for month in range(PROCESSES)]
    running += [spawn(MARKER.format(marks=MARKS), root, f"p{n}") for n in range(PROCESSES)]
    running.append(spawn(TAGGER.format(rounds=TAG_ROUNDS, papers=PROCESSES), root))
    for process in running:
        output, _ = process.communicate(timeout=600)
        assert process.returncode == 0, output

    log = (root / LOG_PATH).read_text()
    assert log.startswith(HEADER) and log.count(HEADER) == 1
    lines = log[len(HEADER):].splitlines()
    expected = {f"2024-{month:02d}-{day:02d}T00:00:00Z good c"
                for month in range(1, PROCESSES + 1) for day in range(1, REVIEWS + 1)}
    assert len(lines) == len(expected) == PROCESSES * REVIEWS
    assert set(lines) == expected

    for n in range(PROCESSES):
        text = (root / f"papers/p{n}.md").read_text()
        meta = meta_of(text)
        assert meta["status"] == "read" and "# mine" in text  # the last mark, comment kept
        assert str(meta["started"]) == f"2024-01-{MARKS:02d}"
        assert str(meta["finished"]) == f"2024-02-{MARKS:02d}"
        assert meta["tags"] == [f"t{k}" for k in range(TAG_ROUNDS)]  # the other writer's last edit
        assert text.endswith(f"---\nNotes {n}.\n")
