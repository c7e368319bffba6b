"""A command's base is kept out of the cyclic collector's scans while the command runs (its
first scan of a fresh 5,000-note base cost a sixth of `kb check`), and handed back when the
command or the build ends, so a process that runs many (the tests, `kb serve`) leaks nothing."""

from __future__ import annotations

import gc

import pytest
from helpers import run_kb, write_base

from tooling.base import open_base, release
from tooling.site.build import build_site

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


def test_a_build_freezes_its_base_and_hands_it_back(tmp_path, monkeypatch):
    root = write_base(tmp_path / "kb", NOTES)
    frozen, freeze = [], gc.freeze
    monkeypatch.setattr(gc, "freeze", lambda: (frozen.append(True), freeze())[1])
    build_site(root, tmp_path / "site", execute=False)
    assert frozen  # the build's base, while it lasts
    assert gc.get_freeze_count() == 0
