"""A command's base is kept out of the cyclic collector's scans while the command runs (7% of
`kb check` at 5,000 notes), and handed back when the command ends, so a process that runs many
(the tests, `kb serve`) leaks nothing; the `kb` program exits without a last collection."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest
from helpers import REPO, run_kb, write_base

from tooling.base import open_base, release

NOTES = {"concepts/a.md": "---\ntitle: A\n---\nSee [[b]].\n",
         "concepts/b.md": "---\ntitle: B\n---\nSee [[a]].\n"}


@pytest.fixture(autouse=True)
def nothing_frozen():
    release()
    yield
    release()


def test_a_lasting_base_is_frozen_until_released(tmp_path):
    root = write_base(tmp_path / "kb", NOTES)
    open_base(root)
    assert gc.get_freeze_count() == 0  # a library caller's base (kb serve, the site) is not
    kb = open_base(root, lasting=True)
    assert gc.get_freeze_count() > 0 and len(kb.notes) == 2
    release()
    assert gc.get_freeze_count() == 0


def test_every_command_hands_its_base_back(tmp_path):
    root = write_base(tmp_path / "kb", NOTES)
    for command in (["check"], ["next"], ["status"], ["report"], ["query", "LIST FROM concepts"]):
        result = run_kb(*command, "--root", str(root))
        assert result.exit_code in (0, 1), result.output
        assert gc.get_freeze_count() == 0, command


def test_the_kb_program_exits_without_a_last_collection(tmp_path):
    """`kb` (the console script, `tooling.cli.run`) freezes what is left before the interpreter
    exits: its final collection walked every object (half a second after `kb next --plan` at
    5,000 notes). Checked from an exit handler, which runs after the command."""
    root = write_base(tmp_path / "kb", NOTES)
    program = ("import atexit, gc, sys\n"
               "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0))\n"
               "from tooling.cli import run\n"
               "sys.argv = ['kb', 'check', '--root', sys.argv[1]]\n"
               "run()\n")
    done = subprocess.run([sys.executable, "-c", program, str(root)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "checked 2 notes" in done.stdout and "frozen at exit: True" in done.stdout


def test_the_console_script_is_the_program():
    from importlib.metadata import entry_points

    found = [e for e in entry_points(group="console_scripts") if e.name == "kb"]
    assert [e.value for e in found] == ["tooling.cli:run"]


def test_a_site_build_scans_everything_rarely_and_puts_the_thresholds_back(tmp_path, monkeypatch):
    """While `build_cached` builds, the full collection waits for 100 middle-generation ones
    (a build's lasting data only grows); the process's own thresholds come back after."""
    from tooling.base import FULL_AFTER
    from tooling.site import incremental
    from tooling.site.build import build_site

    root = write_base(tmp_path / "kb", NOTES)
    during = []
    build = incremental.build

    def watched(*args, **kwargs):
        during.append(gc.get_threshold())
        return build(*args, **kwargs)

    monkeypatch.setattr(incremental, "build", watched)
    before = gc.get_threshold()
    build_site(root, tmp_path / "site", clean=True)
    assert during and during[0][2] >= FULL_AFTER > before[2]
    assert gc.get_threshold() == before
