"""Hostile or unlucky notes: every command reports the file and goes on; none hangs, crashes or
writes inside a user's value."""

from __future__ import annotations

import os
import unicodedata

import pytest
from helpers import check_json, kb_process, write_base

from tooling.notes.frontmatter import parse_yaml, split

ROME = "---\ntitle: Rome\narxiv: \"2202.05262\"\n{last}\n---\nMy words.\n"


@pytest.mark.parametrize("separator", ["\u2028", "\x85", "\r"])
def test_fetch_never_writes_inside_a_value_holding_a_line_separator(fake_arxiv, base, kb, separator):
    last = f'comment_mine: "keep{separator}this"'
    path = base / "papers" / "rome.md"
    path.write_bytes(ROME.format(last=last).encode())
    first = kb("fetch", "--root", base)
    assert first.code == 0, first.err
    text = path.read_bytes().decode()
    assert f'comment_mine: "keep{separator}this"\n' in text  # the user's line, whole
    parts = split(text)
    meta = parse_yaml(parts.yaml_text, parts.yaml_line)
    assert meta["title"] == "Rome" and meta["authors"][0] == "Kevin Meng"
    assert parts.body == "My words.\n"
    kb("fetch", "--root", base, "--refresh")
    assert path.read_bytes().decode() == text  # a second fetch finds nothing to do


def test_yaml_alias_bomb_is_refused_quickly(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    write_base(tmp_path, {"notes/bomb.md": "---\ntitle: Bomb\n" + "\n".join(lines) + "\n---\n",
                          "notes/fine.md": "---\ntitle: Fine\n---\n[[bomb]]\n"})
    for command in (("check",), ("report", "--json"), ("export", "bibtex")):
        done = kb_process(*command, "--root", str(tmp_path), timeout=30)
        assert done.returncode != 70, done.stderr
    problems = check_json(tmp_path)
    assert ("notes/bomb.md", "invalid-yaml") in {(p["path"], p["code"]) for p in problems}
    assert any("aliases" in p["message"] for p in problems)


@pytest.mark.parametrize("yaml_text, what", [
    ("title: Big\nyear: " + "9" * 5000, "a 5,000-digit number"),
    ("title: Loop\nfoo: &f [*f]", "a recursive alias"),
    ("title: Deep\nfoo: " + "[" * 999 + "]" * 999, "999-deep nesting"),
])
def test_values_that_would_crash_later_commands_are_invalid_yaml(tmp_path, yaml_text, what):
    write_base(tmp_path, {"notes/x.md": f"---\n{yaml_text}\n---\nbody\n"})
    problems = [(p["path"], p["code"]) for p in check_json(tmp_path)]
    assert ("notes/x.md", "invalid-yaml") in problems, what
    done = kb_process("report", "--json", "--root", str(tmp_path))
    assert done.returncode == 0, done.stderr


def test_a_huge_run_of_spaces_does_not_hang_check(tmp_path):
    # The problem on the last line makes check look up field lines, past the long line.
    spaces = "---\ntitle: X\ntags: [a,\nb" + " " * 300_000 + "c]\nstatus: done\n---\n"
    write_base(tmp_path, {"papers/x.md": spaces})
    done = kb_process("check", "--root", str(tmp_path), timeout=30)
    assert "papers/x.md:5: error unknown-status" in done.stdout


def test_fifos_and_device_links_are_not_read(tmp_path):
    write_base(tmp_path, {"notes/fine.md": "---\ntitle: Fine\n---\nbody\n"})
    os.mkfifo(tmp_path / "notes" / "pipe.md")
    (tmp_path / "notes" / "zero.md").symlink_to("/dev/zero")
    done = kb_process("check", "--root", str(tmp_path), timeout=30)
    assert "checked 1 notes" in done.stdout, done.stdout + done.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can list any folder")
def test_an_unreadable_folder_is_reported(tmp_path):
    write_base(tmp_path, {"notes/locked/x.md": "---\ntitle: X\n---\n"})
    (tmp_path / "notes" / "locked").chmod(0)
    try:
        problems = check_json(tmp_path)
    finally:
        (tmp_path / "notes" / "locked").chmod(0o755)
    assert ("notes/locked", "unreadable") in {(p["path"], p["code"]) for p in problems}


def test_fetch_writes_through_a_symlinked_note(fake_arxiv, base, kb, tmp_path):
    real = base / "archive" / "elsewhere.md"  # inside the base, outside the note folders
    real.parent.mkdir()
    real.write_text(ROME.format(last="status: read"))
    (base / "papers" / "rome.md").symlink_to(real)
    assert kb("fetch", "--root", base).code == 0
    assert (base / "papers" / "rome.md").is_symlink()
    assert "Kevin Meng" in real.read_text()


def test_fetch_never_writes_through_a_link_leading_out_of_the_base(fake_arxiv, base, kb, tmp_path):
    outside = tmp_path / "elsewhere.md"
    outside.write_text(ROME.format(last="status: read"))
    (base / "papers" / "rome.md").symlink_to(outside)
    kb("fetch", "--root", base)
    assert outside.read_text() == ROME.format(last="status: read")


@pytest.mark.parametrize("value", ["20240301", "2024-W01-1", "2024-02-30", "2024-3-1"])
def test_dates_are_yyyy_mm_dd_on_every_python(tmp_path, value):
    write_base(tmp_path, {"notes/x.md": f"---\ntitle: X\ncreated: {value}\n---\n"})
    assert ("notes/x.md", 3, "invalid-date") in {(p["path"], p["line"], p["code"])
                                                   for p in check_json(tmp_path)}


def test_ids_differing_only_in_unicode_normalisation_are_one_id(tmp_path):
    nfc, nfd = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
    write_base(tmp_path, {f"notes/{nfc}.md": "---\ntitle: One\n---\n",
                          f"notes/{nfd}.md": "---\ntitle: Two\n---\n"})
    found = [p for p in check_json(tmp_path) if p["code"] == "duplicate-id"]
    assert len(found) == 2


def test_a_stray_note_never_hides_the_paper_with_its_id(tmp_path, kb):
    paper = "---\ntitle: In-context learning and induction heads\nyear: 2022\n---\nRead it.\n"
    write_base(tmp_path, {"papers/olsson2022.md": paper,
                          "notes/olsson2022.md": "---\ntitle: Scratch\n---\nstray\n"})
    problems = [(p["path"], p["code"]) for p in check_json(tmp_path)]
    assert ("papers/olsson2022.md", "duplicate-id") in problems
    assert ("notes/olsson2022.md", "duplicate-id") in problems
    exported = kb("export", "bibtex", "--root", tmp_path)
    assert "In-context learning" in exported.out
    assert "In-context learning" in kb("export", "bibtex", "olsson2022", "--root", tmp_path).out


