"""A folder tree a thousand levels deep (issue 17): every command that reads the base or an export
walks it without a RecursionError, and the build writes its pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import run_kb, write_base

LEVELS = 1000


def deep_folder(top: Path, name: str) -> Path:
    path = top
    for _ in range(LEVELS):  # Path.mkdir without parents=True: no recursion in the test itself
        path = path / name
        path.mkdir()
    return path


def remove_bottom_up(top: Path) -> None:
    """shutil.rmtree recurses too: remove the tree one level at a time, from the bottom."""
    for folder, _, files in list(_folders(top))[::-1]:
        for name in files:
            os.unlink(os.path.join(folder, name))
        os.rmdir(folder)


def _folders(top: Path):
    pending = [str(top)]
    while pending:
        folder = pending.pop()
        entries = list(os.scandir(folder))
        yield folder, None, [e.name for e in entries if not e.is_dir(follow_symlinks=False)]
        pending.extend(e.path for e in entries if e.is_dir(follow_symlinks=False))


@pytest.fixture
def deep_base(tmp_path):
    root = write_base(tmp_path / "kb", {"papers/p.md": "---\ntitle: P\n---\nSee [[deep-note]].\n"})
    (root / "notes").mkdir()
    bottom = deep_folder(root / "notes", "d")
    (bottom / "deep-note.md").write_text("---\ntitle: Deep note\n---\nSee [[p]].\n")
    (bottom / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    export = tmp_path / "export"
    export.mkdir()
    (deep_folder(export, "e") / "page.md").write_text("A page deep down.\n")
    yield root
    for top in (root / "notes", export, tmp_path / "site"):
        if top.exists():
            remove_bottom_up(top)


def test_reading_commands_walk_a_thousand_levels(deep_base):
    for command in (["check"], ["status"], ["query", "LIST"], ["next"], ["report"], ["review"]):
        result = run_kb(*command, "--root", str(deep_base))
        assert result.exit_code == 0, (command, result.output)
        if command == ["query", "LIST"]:
            assert "deep-note" in result.output


def test_the_site_is_built_from_a_thousand_levels(deep_base, tmp_path):
    result = run_kb("build", "--no-exec", "--root", str(deep_base), "-d", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    page = tmp_path / "site/notes" / "/".join(["d"] * LEVELS) / "deep-note/index.html"
    assert "Deep note" in page.read_text()
    assert (page.parent.parent / "figure.png").exists()


def test_an_export_a_thousand_levels_deep_is_imported_into_a_deep_base(deep_base, tmp_path):
    result = run_kb("import", str(tmp_path / "export"), "--root", str(deep_base))
    assert result.exit_code == 0, result.output
    from tooling.notes.files import every_folder

    written = [os.path.join(folder, name) for folder, names in every_folder(deep_base / "notes")
               for name in names if name.endswith(".md")]
    assert any("A page deep down." in Path(path).read_text() for path in written)
