"""Atomic writes (`tooling/notes/atomic.py`): a file is whole or untouched, a replaced file keeps
its permissions, a new one gets the umask's, `exclusive` never replaces, and nothing is left
behind when a write fails."""

from __future__ import annotations

import os
import stat

import pytest

from tooling.notes.atomic import remove_stale_temps, write_atomic


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_umask_default_and_a_replaced_one_keeps_its_mode(tmp_path):
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.md", "é\n")
        assert mode(tmp_path / "new.md") == 0o640 and (tmp_path / "new.md").read_bytes() == "é\n".encode()
        (tmp_path / "kept.md").write_text("old")
        (tmp_path / "kept.md").chmod(0o604)
        write_atomic(tmp_path / "kept.md", b"new")
        assert mode(tmp_path / "kept.md") == 0o604 and (tmp_path / "kept.md").read_bytes() == b"new"
    finally:
        os.umask(old)


def test_exclusive_never_replaces_and_leaves_no_temp_file(tmp_path):
    (tmp_path / "taken.md").write_text("someone else's")
    with pytest.raises(FileExistsError):
        write_atomic(tmp_path / "taken.md", "mine", exclusive=True)
    assert (tmp_path / "taken.md").read_text() == "someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.md"]


def test_missing_folders_are_created_and_a_failed_write_leaves_nothing(tmp_path):
    write_atomic(tmp_path / "a" / "b" / "note.md", "x", exclusive=True)
    assert (tmp_path / "a/b/note.md").read_text() == "x"
    with pytest.raises(TypeError):
        write_atomic(tmp_path / "a" / "b" / "bad.md", 42)  # type: ignore[arg-type]
    assert sorted(p.name for p in (tmp_path / "a/b").iterdir()) == ["note.md"]


def test_temp_files_of_a_dead_writer_are_removed_and_a_live_writers_kept(tmp_path):
    (tmp_path / "notes").mkdir()
    dead = tmp_path / "notes" / ".x.md.999999999.k9f2.tmp"
    live = tmp_path / "notes" / f".y.md.{os.getpid()}.a1b2.tmp"
    dead.write_text("half")
    live.write_text("being written")
    assert remove_stale_temps(tmp_path, ["notes"]) == ["notes/.x.md.999999999.k9f2.tmp"]
    assert not dead.exists() and live.exists()
