"""What Dataview users type works as in Obsidian, or is an error naming what is supported:
implicit file fields, this, FLATTEN, GROUP BY with rows, durations and date arithmetic, link
values, FROM [[note#heading]], commands in the order written."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess

import pytest
from helpers import REPO, check_json, run_kb, write_base

from tooling.base import open_base
from tooling.study.query.engine import QueryEngine
from tooling.study.query.parse import QueryError
from tooling.study.query.render import as_text

TODAY = dt.date(2024, 11, 20)
UTC = dt.timezone.utc


def base(root):
    return write_base(root, {
        "papers/old.md": "---\ntitle: Old paper\nyear: 2019\nstatus: read\ntags: [interp/circuits]\n"
                         "concepts: [Activation patching]\nfinished: 2024-10-01\nstarted: 2024-09-01\n---\n"
                         "Cites [[new]] and [[patching#Method|the method]].\n",
        "papers/new.md": "---\ntitle: New paper\nyear: 2024\ntags: [interp, editing]\nconcepts: [patching, residual]\n"
                         "aliases: [Newest]\n---\nSee [[old]].\n",
        "papers/other.md": "---\ntitle: Other paper\nyear: 2022\nstatus: to-read\nconcepts: []\n"
                           "related: Old paper\n---\nx\n",
        "concepts/patching.md": "---\ntitle: Activation patching\nstatus: studying\n---\n## Method\nSee [[old]].\n",
        "concepts/residual.md": "---\ntitle: Residual stream\nstatus: studied\n---\nx\n",
        "notes/2024-11-05-meeting.md": "---\ntitle: Meeting\n---\nAbout [[new]].\n",
        "notes/dated.md": "---\ntitle: Dated\ndate: 2024-03-02\n---\nx\n",
    })


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    folder = base(tmp_path_factory.mktemp("dv") / "kb")
    for path in folder.rglob("*.md"):  # not a git repository: the files' times
        day = 1 if path.name == "new.md" else 7 if path.name.startswith("2024") else 3
        stamp = dt.datetime(2024, 1, day, 12, tzinfo=UTC).timestamp()
        os.utime(path, (stamp, stamp))
    return folder


@pytest.fixture(scope="module")
def engine(root):
    return QueryEngine(open_base(root), TODAY)


def records(engine, text):
    return engine.run(text).as_records()


def test_file_fields(engine, root):
    (meeting,) = records(engine, 'TABLE file.name, file.link, file.path, file.folder, file.ext, file.day, '
                                 'file.cday, file.mday, file.mtime FROM "notes" WHERE file.day = date(2024-11-05)')
    assert meeting == {"id": "2024-11-05-meeting", "title": "Meeting", "file.name": "2024-11-05-meeting",
                       "file.link": "2024-11-05-meeting", "file.path": "notes/2024-11-05-meeting.md",
                       "file.folder": "notes", "file.ext": "md", "file.day": "2024-11-05",
                       "file.cday": "2024-01-07", "file.mday": "2024-01-07", "file.mtime": "2024-01-07T12:00:00"}
    assert records(engine, 'TABLE file.day FROM "notes/dated"') == [
        {"id": "dated", "title": "Dated", "file.day": "2024-03-02"}]  # a `date` field, else the name
    (old,) = records(engine, "TABLE file.size, file.tags, file.etags, file.inlinks, file.outlinks "
                             'WHERE file.name = "old"')
    assert old["file.size"] == (root / "papers/old.md").stat().st_size
    assert old["file.tags"] == ["#interp", "#interp/circuits"] and old["file.etags"] == ["#interp/circuits"]
    assert old["file.inlinks"] == ["new", "other", "patching"]
    assert old["file.outlinks"] == ["new", "patching"]
    (new,) = records(engine, 'TABLE file.inlinks, file.outlinks WHERE file.name = "new"')
    assert (new["file.inlinks"], new["file.outlinks"]) == (["2024-11-05-meeting", "old"], ["old", "patching", "residual"])
    assert engine.run("TABLE file.inlinks FROM papers").kinds == ["links"]  # shown as links on the site


def test_the_issues_example_counts_inlinks_and_sorts_by_them(kb, root):
    text = 'TABLE length(file.inlinks) AS "Cited by" FROM papers SORT length(file.inlinks) DESC'
    shown = kb("query", text, "--root", root, "--format", "json")
    assert shown.code == 0, shown.err
    assert [(r["id"], r["Cited by"]) for r in json.loads(shown.out)] == [("old", 3), ("new", 2), ("other", 0)]


def test_file_times_come_from_git_in_a_repository(tmp_path):
    root = write_base(tmp_path / "kb", {"papers/a.md": "---\ntitle: A\n---\nx\n"})
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    for day, text in (("2024-02-01", "x\n"), ("2024-05-06", "y\n")):
        (root / "papers/a.md").write_text(f"---\ntitle: A\n---\n{text}")
        subprocess.run([*git, "add", "-A"], check=True)
        when = {"GIT_AUTHOR_DATE": f"{day}T10:00:00Z", "GIT_COMMITTER_DATE": f"{day}T10:00:00Z"}
        subprocess.run([*git, "commit", "-qm", day], check=True, env={**os.environ, **when})
    (found,) = QueryEngine(open_base(root), TODAY).run("TABLE file.cday, file.mday").as_records()
    assert (found["file.cday"], found["file.mday"]) == ("2024-02-01", "2024-05-06")


def test_group_by_with_rows(engine):
    result = engine.run("TABLE length(rows) AS n, rows.file.link, sum(rows.year) FROM papers GROUP BY status")
    assert result.group == "status"
    assert result.as_records() == [
        {"status": "read", "n": 1, "rows.file.link": ["old"], "sum(rows.year)": 2019},
        {"status": "to-read", "n": 2, "rows.file.link": ["new", "other"], "sum(rows.year)": 4046}]
    assert result.kinds[1] == "links"
    named = engine.run("TABLE length(rows) FROM papers GROUP BY year > 2020 AS recent WHERE length(rows) > 1 "
                       "SORT recent DESC")
    assert named.as_records() == [{"recent": 1, "length(rows)": 2}]
    listed = engine.run("LIST FROM papers GROUP BY status")
    assert [(r.key, r.values) for r in listed.rows] == [("read", [["old"]]), ("to-read", [["new", "other"]])]
    assert as_text(listed, 80).splitlines()[0].split() == ["status", "rows"]


def test_flatten(engine):
    assert records(engine, "TABLE concept FROM papers FLATTEN concepts AS concept") == [
        {"id": "new", "title": "New paper", "concept": "patching"},
        {"id": "new", "title": "New paper", "concept": "residual"},
        {"id": "old", "title": "Old paper", "concept": "Activation patching"}]  # `other`: an empty list
    counted = engine.run("TABLE length(rows) AS papers FROM papers FLATTEN file.tags AS tag GROUP BY tag")
    assert [(r.key, r.values) for r in counted.rows] == [
        ("#editing", [1]), ("#interp", [2]), ("#interp/circuits", [1])]
    assert [r["id"] for r in records(engine, "LIST FROM papers FLATTEN year")] == ["new", "old", "other"]


def test_durations_and_date_arithmetic(engine):
    (old,) = records(engine, "TABLE finished - started AS took, date(today) - finished AS since, "
                             "finished + dur(1 month) AS review, finished - dur(1 week 2 days) AS before "
                             'WHERE file.name = "old"')
    assert (old["took"], old["since"]) == (30 * 86400, 50 * 86400)
    assert (old["review"], old["before"]) == ("2024-11-01", "2024-09-22")
    table = as_text(engine.run('TABLE finished - started AS took WHERE file.name = "old"'), 80)
    assert "4 weeks, 2 days" in table  # as Dataview shows a duration
    ids = [r["id"] for r in records(engine, "LIST WHERE finished >= date(today) - dur(2 months)")]
    assert ids == ["old"]
    assert [r["id"] for r in records(engine, "LIST WHERE date(today) - finished > dur(7 weeks)")] == ["old"]
    assert [r["id"] for r in records(engine, "LIST WHERE file.mtime < date(2024-01-02)")] == ["new"]


def test_link_values_compare_as_notes(engine):
    # The front matter holds a title ("Activation patching") or an id ("patching"): both are that note.
    assert [r["id"] for r in records(engine, "LIST FROM papers WHERE contains(concepts, [[patching]])")] == [
        "new", "old"]
    assert [r["id"] for r in records(engine, "LIST WHERE contains(file.outlinks, [[Newest]])")] == [
        "2024-11-05-meeting", "old"]
    assert [r["id"] for r in records(engine, "LIST WHERE file.link = [[Old paper]]")] == ["old"]
    assert [r["id"] for r in records(engine, "LIST WHERE related = [[old]]")] == ["other"]  # a title


def test_sources_from_a_heading_and_outgoing(engine):
    assert [r["id"] for r in records(engine, "LIST FROM [[patching#Method]]")] == ["new", "old"]
    assert [r["id"] for r in records(engine, "LIST FROM [[old]]")] == ["patching", "new", "other"]  # by title
    assert [r["id"] for r in records(engine, "LIST FROM outgoing([[old]])")] == ["patching", "new"]


def test_commands_run_in_the_order_written(engine):
    assert [r["id"] for r in records(engine, "LIST FROM papers SORT year LIMIT 2")] == ["old", "other"]
    assert [r["id"] for r in records(engine, "LIST FROM papers LIMIT 2 SORT year DESC")] == ["new", "old"]
    assert [r["id"] for r in records(engine, "LIST FROM papers SORT year LIMIT 2 WHERE year > 2020")] == ["other"]


def test_this_is_the_note_holding_the_block(tmp_path, kb):
    root = base(tmp_path / "kb")
    write_base(root, {"notes/reading.md": "---\ntitle: Reading\ntags: [interp]\n---\n"
                                          "Papers tagged like this note:\n\n```kb-query\n"
                                          "LIST FROM papers WHERE contains(tags, this.tags[0]) OR "
                                          "contains(file.outlinks, this.file.link)\n```\n"
                                          "Linking here:\n\n```kb-query\nLIST FROM [[]]\n```\n"})
    broken = [p for p in check_json(root) if p["code"] == "invalid-query"]
    assert [p["message"] for p in broken] == [
        "kb-query, column 48: unexpected '[': list and object literals and indexing (tags[0]) are not "
        "supported (contains(field, value) asks a list for a value)"]
    write_base(root, {"notes/reading.md": (root / "notes/reading.md").read_text().replace("this.tags[0]", '"interp"')})
    write_base(root, {"papers/other.md": "---\ntitle: Other paper\n---\nListed in [[reading]].\n"})
    assert [p for p in check_json(root) if p["code"] == "invalid-query"] == []
    built = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"), "--strict", "--no-exec")
    assert built.exit_code == 0, built.output
    html = (tmp_path / "site/notes/reading/index.html").read_text()
    first, second = html.split('<div class="kb-query-result">')[1:3]
    assert "New paper" in first and "Other paper" in first and "Old paper" not in first
    assert "Other paper" in second and "New paper" not in second
    alone = kb("query", "LIST WHERE this.file.name = file.name", "--root", root)
    assert alone.code == 2 and "'this' is the note holding the query" in alone.err


@pytest.mark.parametrize("text, column, words", [
    ("TABLE file.tasks FROM papers", 7, "unknown field file.tasks (supported: file.name, file.link, file.path"),
    ("TASK FROM papers", 1, "kb-query runs TABLE and LIST queries (TASK and CALENDAR"),
    ("LIST WHERE any(tags, (t) => t)", 26, "lambdas ((x) => ...) are not supported"),
    ("LIST FROM papers GROUP BY status FLATTEN rows", 34, "FLATTEN after GROUP BY is not supported"),
    ("LIST FROM papers GROUP BY status WHERE year > 2", 40, "after GROUP BY a row is a group: use key (or status)"),
    ("LIST WHERE dur(3 fortnights) > 0", 16, "unknown unit 'fortnights' in dur()"),
    ("LIST WHERE frobnicate(x)", 12, "unknown function 'frobnicate' (known: average, choice, contains"),
    ("LIST FROM [[nowhere]]", 11, "no note named 'nowhere'"),
])
def test_what_is_not_supported_is_an_error_with_its_place_and_what_is(engine, text, column, words):
    with pytest.raises(QueryError) as caught:
        engine.run(text)
    assert (caught.value.line, caught.value.column) == (1, column)
    assert words in caught.value.message


def test_unsupported_queries_fail_kb_check_and_the_strict_build(tmp_path):
    root = base(tmp_path / "kb")
    write_base(root, {"notes/q.md": "---\ntitle: Q\n---\n\n```kb-query\nTABLE file.starred FROM papers\n```\n"})
    (problem,) = [p for p in check_json(root) if p["code"] == "invalid-query"]
    assert (problem["path"], problem["line"]) == ("notes/q.md", 6)
    assert "unknown field file.starred (supported: file.name" in problem["message"]
    built = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"), "--strict", "--no-exec")
    assert built.exit_code == 1 and "notes/q.md:6: kb-query, column 7: unknown field file.starred" in built.output


DATAVIEW_NOTE = """\
---
title: Vault page
---
Imported from Obsidian:

```dataview
TABLE year FROM "papers" WHERE year > 2020 SORT year DESC
```

Tasks view:

```dataview
TASK FROM "papers"
```

```dataviewjs
dv.list(dv.pages().file.name)
```
"""


def test_dataview_blocks_render_when_they_parse_and_stay_code_otherwise(tmp_path):
    root = base(tmp_path / "kb")
    write_base(root, {"notes/vault.md": DATAVIEW_NOTE})
    problems = check_json(root)
    assert [(p["path"], p["line"], p["severity"]) for p in problems if p["code"] == "dataview-as-code"] == [
        ("notes/vault.md", 13, "warning")]
    (count,) = [p for p in problems if p["code"] == "dataview-blocks"]
    assert count["message"] == ("2 dataview blocks in 1 note: 1 rendered as tables or lists, 1 shown as code; "
                                "1 dataviewjs block shown as code")
    built = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"), "--no-exec")
    assert built.exit_code == 0, built.output
    assert "notes/vault.md:13: dataview block shown as code (kb-query cannot run it): column 1:" in built.output
    html = (tmp_path / "site/notes/vault/index.html").read_text()
    table = html[html.index('<table class="kb-table kb-query">'):]
    assert table.index("New paper") < table.index("Other paper") and "Old paper" not in table[:table.index("</table>")]
    assert "<summary>Dataview query</summary>" in html
    assert "TASK FROM" in html and "dv.list(dv.pages().file.name)" in html  # shown as the code they are


VAULT_PAGE = REPO / "tests/data/vaults/paperbell/vault/40 - Obsidian/主页/00. 主页.md"  # MIT, see its SOURCE.md


def test_a_real_vaults_dataview_blocks(tmp_path):
    """PaperBell's home page: three dataviewjs blocks, one top-level dataview block kb-query cannot
    run (link() and regexreplace()), and two dataview blocks inside a ````ad-flex fence (text)."""
    root = base(tmp_path / "kb")
    (root / "notes/home.md").write_bytes(VAULT_PAGE.read_bytes())
    problems = check_json(root)
    (shown,) = [p for p in problems if p["code"] == "dataview-as-code"]
    assert (shown["path"], shown["line"]) == ("notes/home.md", 650)
    assert "unknown function 'link'" in shown["message"]
    (count,) = [p["message"] for p in problems if p["code"] == "dataview-blocks"]
    assert count == ("1 dataview block in 1 note: 0 rendered as tables or lists, 1 shown as code; "
                     "3 dataviewjs blocks shown as code")
    built = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"), "--no-exec")
    assert built.exit_code == 0, built.output
    assert "notes/home.md:650: dataview block shown as code (kb-query cannot run it)" in built.output
    # The queries its author wrote inside the ad-flex fence, as kb-query reads them:
    text = VAULT_PAGE.read_text(encoding="utf-8")
    nested = [block.strip() for block in text.split("```dataview\n")[2:]]
    assert len(nested) == 2
    engine = QueryEngine(open_base(root), TODAY)
    for query in nested:
        engine.run(query.split("```")[0])  # FROM "Outputs", WHERE date(today) - file.ctime <= dur(7 days)
    assert engine.run('TABLE 总结 AS 每日总结 FROM "notes" WHERE 总结 != null').columns == ["每日总结"]
