"""The front-matter editor: only the fields asked change; every other byte stays as written."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import REPO

from tooling.notes.editor import DELETE, EditError, edit_file, edit_text
from tooling.notes.frontmatter import parse_yaml, split

NOTE = """\
---
# my own comment, kept
title: "A title: with a colon"   # inline comment
status: to-read
weird key: {a: 1}
tags:
  - one
  - two

---
Body with --- and `status: read` inside.
"""


def meta(text: str) -> dict:
    parts = split(text)
    return parse_yaml(parts.yaml_text, parts.yaml_line)


def test_replacing_a_field_changes_only_its_line():
    new = edit_text(NOTE, {"status": "reading"})
    assert new == NOTE.replace("status: to-read\n", "status: reading\n")


def test_adding_and_removing_fields_keep_every_other_byte():
    new = edit_text(NOTE, {"started": "2024-03-01", "tags": DELETE})
    assert new == NOTE.replace("tags:\n  - one\n  - two\n", "").replace(
        "\n\n---\nBody", "\nstarted: 2024-03-01\n\n---\nBody")
    assert meta(new)["started"] == "2024-03-01" and "tags" not in meta(new)


def test_new_fields_go_before_the_anchor_field():
    new = edit_text(NOTE, {"finished": "2024-04-01"}, insert_before="tags")
    assert "weird key: {a: 1}\nfinished: 2024-04-01\ntags:\n" in new


def test_crlf_notes_stay_crlf_and_a_bom_stays():
    text = "\ufeff" + NOTE.replace("\n", "\r\n")
    new = edit_text(text, {"status": "read", "finished": "2024-01-02"})
    assert new.startswith("\ufeff---\r\n")
    assert "status: read\r\n" in new and "finished: 2024-01-02\r\n" in new
    assert "\n" not in new.replace("\r\n", "")
    assert split(new).body == split(text).body


def test_a_note_without_front_matter_gets_some_and_keeps_its_body():
    new = edit_text("Just words.\n", {"status": "reading"})
    assert new == "---\nstatus: reading\n---\nJust words.\n"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_unicode_line_separators_inside_a_value_are_not_line_breaks(separator):
    text = f'---\ntitle: Mine\nnote: "first{separator}second"\n---\nbody\n'
    new = edit_text(text, {"status": "read"})
    assert new == text.replace("\n---\nbody", "\nstatus: read\n---\nbody")
    assert meta(new)["note"] == meta(text)["note"]


def test_two_fields_on_one_line_are_refused():
    text = "---\ntitle: A\rstatus: to-read\n---\n"  # a lone CR: two YAML lines, one text line
    with pytest.raises(EditError):
        edit_text(text, {"status": "read"})


def test_flow_mapping_front_matter_is_refused():
    with pytest.raises(EditError):
        edit_text("---\n{title: A, status: to-read}\n---\n", {"status": "read"})


def test_an_edit_that_would_not_read_back_as_asked_is_refused(tmp_path):
    """The read-back check is what stands between a field and a silent change: a literal block
    whose last line starts with `#` ends, to the line finder, at its last non-`#` line (blank and
    comment lines at a field's end belong to nobody), so a new field would land inside the
    block and take that line out of it. The edit is refused and the note left as it was."""
    text = "---\ntitle: T\nsnippet: |\n  x = 1\n  # the last line of the block\n---\nBody.\n"
    note = tmp_path / "note.md"
    note.write_text(text, encoding="utf-8")
    with pytest.raises(EditError, match="nothing was changed"):
        edit_file(note, {"status": "read"}, root=tmp_path)
    assert note.read_text(encoding="utf-8") == text


def test_unchanged_values_give_back_the_same_text():
    assert edit_text(NOTE, {"status": "to-read"}) == NOTE


def test_edit_file_writes_through_a_symlink(tmp_path):
    target = tmp_path / "real.md"
    target.write_text(NOTE)
    link = tmp_path / "link.md"
    link.symlink_to(target)
    edit_file(link, {"status": "read"}, root=tmp_path)
    assert link.is_symlink()
    assert "status: read\n" in target.read_text()


def test_edit_file_never_writes_through_a_link_leaving_the_base(tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text(NOTE)
    root = tmp_path / "kb"
    (root / "papers").mkdir(parents=True)
    (root / "papers/x.md").symlink_to(outside)
    with pytest.raises(OSError, match="link leading out of the base"):
        edit_file(root / "papers/x.md", {"status": "read"}, root=root)
    assert outside.read_text() == NOTE


def test_an_edit_made_meanwhile_by_another_writer_is_kept(tmp_path, monkeypatch):
    from tooling.notes import editor

    path = tmp_path / "n.md"
    path.write_text(NOTE)
    real_edit = editor.edit_text
    calls = []

    def slow_edit(text, updates, **options):
        # Another writer adds a field between our read and our write, once.
        if not calls:
            path.write_text(NOTE.replace("status:", "priority: high\nstatus:"))
        calls.append(text)
        return real_edit(text, updates, **options)

    monkeypatch.setattr(editor, "edit_text", slow_edit)
    edit_file(path, {"status": "read"}, root=tmp_path)
    assert len(calls) == 2  # made again on the new text
    assert "priority: high\n" in path.read_text() and "status: read\n" in path.read_text()


def test_a_note_that_keeps_changing_is_refused(tmp_path, monkeypatch):
    from tooling.notes import editor

    path = tmp_path / "n.md"
    path.write_text(NOTE)
    real_edit = editor.edit_text

    def racing_edit(text, updates, **options):
        path.write_text(text + "\nmore words")
        return real_edit(text, updates, **options)

    monkeypatch.setattr(editor, "edit_text", racing_edit)
    with pytest.raises(EditError, match="kept changing"):
        edit_file(path, {"status": "read"}, root=tmp_path)
    assert "status: to-read\n" in path.read_text()


def test_another_kb_writer_waits_for_the_edit_instead_of_racing_it(tmp_path, monkeypatch):
    """kb's writers hold the folder lock from read to rename, so a second `kb mark` or `kb fetch`
    waits rather than forcing retries (the CI once saw 5 retries run out under 17 writers)."""
    from tooling.notes import editor

    path = tmp_path / "n.md"
    path.write_text(NOTE)
    real_edit = editor.edit_text
    calls, waited = [], []
    other = [sys.executable, "-c", "import sys; from pathlib import Path; "
             "from tooling.notes.editor import edit_file; "
             "edit_file(Path(sys.argv[1]), {'priority': 'high'}, root=Path(sys.argv[2]))",
             str(path), str(tmp_path)]

    def edit_while_another_writer_starts(text, updates, **options):
        if not calls:
            writer = subprocess.Popen(other, cwd=REPO)
            try:
                writer.wait(timeout=3)
            except subprocess.TimeoutExpired:
                waited.append(writer)  # still blocked on our lock, as it should be
            else:
                waited.append(None)
        calls.append(text)
        return real_edit(text, updates, **options)

    monkeypatch.setattr(editor, "edit_text", edit_while_another_writer_starts)
    edit_file(path, {"status": "read"}, root=tmp_path)
    assert waited[0] is not None, "the other writer did not wait for the lock"
    assert waited[0].wait(timeout=60) == 0
    assert len(calls) == 1  # no retry: nobody wrote between our read and our rename
    assert meta(path.read_text())["priority"] == "high" and "status: read\n" in path.read_text()


def test_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "n.md"
    path.write_text(NOTE)
    old, new = edit_file(path, {"status": "read"}, root=tmp_path, dry_run=True)
    assert path.read_text() == NOTE == old and new != old


def test_a_fetch_keeps_an_edit_saved_while_it_writes(tmp_path, monkeypatch):
    """`kb fetch` and `kb add --replace` write a paper's metadata through the same edit rule as
    `kb mark` (`ownership.write_work`): a line the user saves meanwhile is kept, the fetched
    fields are written on top. They used to read, edit and write with no check."""
    import datetime as dt

    from tooling.sources import ownership
    from tooling.sources.work import OPENALEX_SOURCE, Work

    path = tmp_path / "papers" / "p.md"
    path.parent.mkdir()
    path.write_text("---\ntitle: Old title\nstatus: to-read\n---\nMy notes.\n")
    real, calls = ownership.update_text, []

    def saved_meanwhile(text, *args, **options):
        if not calls:  # the user's editor saves between kb's read and its write, once
            path.write_text(path.read_text().replace("status: to-read", "status: reading"))
        calls.append(text)
        return real(text, *args, **options)

    monkeypatch.setattr(ownership, "update_text", saved_meanwhile)
    changes = ownership.write_work(tmp_path, "papers/p.md", Work(OPENALEX_SOURCE, "A New Title", year=2021),
                                   dt.date(2024, 1, 1))
    text = path.read_text()
    assert "status: reading\n" in text and "year: 2021\n" in text and "My notes.\n" in text
    assert len(calls) == 2 and changes
