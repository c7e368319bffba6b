"""The review log (issue 17): one line appended per review and nothing rewritten, dates checked
before anything is written, lines later commands cannot use reported by `kb check`, and a log
that is a link leading out of the base neither read nor written."""

from __future__ import annotations

import datetime as dt
import os

from helpers import check_json, run_kb, write_base

from tooling.study import log as review_log
from tooling.study.log import HEADER, LOG_PATH

UTC = dt.timezone.utc


def small_base(root):
    return write_base(root, {
        "concepts/patching.md": "---\ntitle: Activation patching\nstatus: studied\n---\nx\n",
        LOG_PATH: HEADER + "2024-11-01T09:00:00Z good patching\n",
    })


def test_appending_keeps_the_existing_bytes_and_never_replaces_the_file(tmp_path):
    root = small_base(tmp_path / "kb")
    path = root / LOG_PATH
    path.write_bytes(HEADER.encode().replace(b"\n", b"\r\n") + b"2024-11-01T09:00:00Z good patching")
    before = path.read_bytes()
    inode = path.stat().st_ino
    review_log.append(root, dt.datetime(2024, 11, 2, tzinfo=UTC), "easy", "patching")
    after = path.read_bytes()
    assert after == before + b"\r\n2024-11-02T00:00:00Z easy patching\r\n"  # its CRLF kept
    assert path.stat().st_ino == inode  # appended in place, not written anew and renamed


def test_a_review_in_the_future_is_refused_before_anything_is_written(kb, tmp_path):
    root = small_base(tmp_path / "kb")
    before = (root / LOG_PATH).read_bytes()
    result = kb("review", "patching", "--grade", "good", "--date", "9999-12-30", "--root", root)
    assert result.code == 2, result.err
    assert "9999-12-30T00:00:00Z is in the future" in result.err
    assert "internal error" not in result.err
    assert (root / LOG_PATH).read_bytes() == before
    assert kb("review", "--root", root).code == 0  # and everything still works


def test_kb_check_reports_log_lines_later_commands_cannot_use(kb, tmp_path):
    root = small_base(tmp_path / "kb")
    with (root / LOG_PATH).open("a") as log:  # written by hand, or by an older kb
        log.write("9999-12-30T00:00:00Z good patching\n0001-01-01T00:00:00+05:00 good patching\n")
    found = [(p["line"], p["code"]) for p in check_json(root) if p["path"] == LOG_PATH]
    assert found == [(4, "invalid-review"), (5, "invalid-review")]
    for command in (("review",), ("status",), ("review", "patching")):
        result = kb(*command, "--root", root)
        assert result.code == 0, (command, result.err)
    built = run_kb("build", "--no-exec", "--root", str(root), "-d", str(tmp_path / "site"))
    assert built.exit_code == 0, built.output


def test_kb_check_quotes_a_bounded_part_of_a_huge_log_line(tmp_path):
    root = small_base(tmp_path / "kb")
    with (root / LOG_PATH).open("a") as log:
        log.write("x" * 5_000_000 + "\n")
        log.write("2024-11-01T09:00:00Z " + "g" * 5_000_000 + " patching\n")
    result = run_kb("check", "--root", str(root))
    assert len(result.output) < 2_000
    assert "5,000,000 characters" in result.output


def test_a_log_that_links_out_of_the_base_is_neither_read_nor_appended_to(kb, tmp_path):
    secret = tmp_path / "bashrc"
    secret.write_text("export SECRET=canary-91\n")
    root = small_base(tmp_path / "kb")
    (root / LOG_PATH).unlink()
    os.symlink(secret, root / LOG_PATH)
    result = kb("review", "patching", "--grade", "good", "--date", "2024-11-03", "--root", root)
    assert result.code == 1 and "link leading out of the base" in result.err
    assert secret.read_text() == "export SECRET=canary-91\n"
    checked = check_json(root)
    assert "canary-91" not in str(checked)
    assert any(p["path"] == LOG_PATH and "link leading out of the base" in p["message"]
               for p in checked)


def test_no_problem_message_prints_a_huge_line_whole(tmp_path):
    root = small_base(tmp_path / "kb")
    (root / "notes/huge.md").write_text("---\ntitle: Huge\n---\nSee [[" + "x" * 300_000 + "]].\n")
    result = run_kb("check", "--root", str(root))
    assert "unresolved wikilink" in result.output and len(result.output) < 5_000
    assert "(300,024 characters)" in result.output
