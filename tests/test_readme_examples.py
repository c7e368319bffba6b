"""The README's examples are the suite's examples: every query it shows runs on the shipped base and
finds notes, every `kb next` it shows prints what the README says, word for word, and the plan it
shows is the shipped plan as written."""

from __future__ import annotations

import re
import shlex

import pytest
from helpers import REPO, run_kb

from tooling.base import open_base
from tooling.study.query.engine import QueryEngine

README = (REPO / "README.md").read_text(encoding="utf-8")


def blocks(info: str) -> list[str]:
    """The text of every top-level fenced block of the README with this info string."""
    return re.findall(rf"^```{info}\n(.*?)^```$", README, re.MULTILINE | re.DOTALL)


def console_examples() -> list[tuple[str, str]]:
    """(command, printed output) for every `$ kb ...` of the README's console blocks."""
    found = []
    for block in blocks("console"):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            found.append((command, output.rstrip("\n")))
    return found


def queries() -> list[str]:
    texts = [line for block in blocks("text") for line in block.splitlines()
             if line.startswith(("TABLE ", "LIST "))]
    return texts + [block.strip() for block in blocks("kb-query")]


def test_the_readme_shows_queries_and_kb_next_examples():
    assert len(queries()) >= 8
    assert sum(command.startswith("kb next") for command, _ in console_examples()) >= 3


@pytest.mark.parametrize("text", queries())
def test_every_readme_query_finds_notes_on_the_shipped_base(text):
    result = QueryEngine(open_base(REPO)).run(text)
    assert result.rows, f"the README's query finds nothing on the shipped base: {text}"
    assert all(any(v not in (None, [], "") for v in row.values) or not row.values for row in result.rows[:3])


@pytest.mark.parametrize("command, output", console_examples())
def test_every_readme_command_prints_what_the_readme_says(command, output):
    args = shlex.split(command)
    assert args[0] == "kb"
    result = run_kb(*args[1:], "--root", str(REPO))
    assert result.exit_code == 0, result.output
    assert result.output.rstrip("\n") == output


def test_the_plan_the_readme_shows_is_the_shipped_plan_as_written():
    (shown,) = [block for block in blocks("yaml") if "kind: plan" in block]
    written = (REPO / "notes/emnlp-prepa.md").read_text(encoding="utf-8")
    assert written.startswith(shown)


def test_the_progress_the_readme_quotes_is_what_kb_status_says():
    status = run_kb("status", "--root", str(REPO), "--today", "2024-11-01").output
    plans = README[README.index("**Plans.**"):README.index("**Gaps.**")]
    quoted = re.findall(r"`((?:[\w-]+: )?\d+ of \d+[^`]*)`", plans.replace("\n", " "))
    assert len(quoted) == 4
    for phrase in quoted:
        assert phrase in status, phrase
