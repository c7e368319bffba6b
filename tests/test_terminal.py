"""Terminal escape sequences in titles and file names never reach the terminal raw (issue 17):
every command prints through `cli.common.echo`, which shows control characters as escapes."""

from __future__ import annotations

import json
import re

from helpers import REPO, write_base

from tooling.cli.common import printable

EVIL = "\x1b]0;pwned\x07\x1b[2J\x1b[31mRed\u202eevil\r"


def test_printable_shows_control_characters_and_keeps_text():
    assert printable(f"Title {EVIL}\tend\n") == (
        "Title \\u001b]0;pwned\\u0007\\u001b[2J\\u001b[31mRed\\u202eevil\\u000d\tend\n")
    assert printable("Ünïcödé — “quotes” 日本") == "Ünïcödé — “quotes” 日本"


def test_titles_and_file_names_with_escapes_print_as_text(kb, tmp_path):
    root = write_base(tmp_path / "kb", {
        "papers/p.md": f"---\ntitle: {json.dumps('P ' + EVIL)}\nstatus: reading\n---\nSee [[c]].\n",
        "concepts/c.md": "---\ntitle: C\n---\nx\n",
        "notes/evil\x1b]0;x\x07.md": "---\ntitle: Note\n---\nalone\n",
    })
    export = write_base(tmp_path / "export", {f"page {EVIL[:9]}.md": "A page.\n"})
    runs = [kb("check", "--root", root), kb("query", "TABLE title FROM papers", "--root", root),
            kb("query", "TABLE title FROM papers", "--format", "csv", "--root", root),
            kb("query", "TABLE title FROM papers", "--format", "json", "--root", root),
            kb("next", "--root", root), kb("status", "--root", root),
            kb("mark", "p", "read", "--root", root),
            kb("import", export, "--root", tmp_path / "kb2", "--dry-run")]
    for run in runs:
        for stream in (run.out, run.err):
            assert "\x1b" not in stream and "\x07" not in stream and "\u202e" not in stream, stream
    json.loads(runs[3].out)  # JSON output stays JSON
    joined = "".join(run.out + run.err for run in runs)
    assert "P \\u001b]0;pwned\\u0007" in joined and "evil\\u001b]0;x\\u0007" in joined


def test_every_printer_goes_through_echo():
    for path in sorted((REPO / "tooling/cli").glob("*.py")):
        if path.name == "common.py":
            continue
        text = path.read_text()
        assert not re.search(r"click\.s?echo\(|\bprint\(|sys\.std(out|err)\.write", text), path.name
