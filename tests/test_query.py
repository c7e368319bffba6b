"""The query language: what it finds, its errors (with line and column), read-only raw SQL, and
kb-query blocks rendered by a real site build."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import REPO, check_json, run_kb, write_base

from tooling.base import open_base
from tooling.study.query.engine import QueryEngine
from tooling.study.query.parse import QueryError


def small_base(root):
    return write_base(root, {
        "papers/old.md": "---\ntitle: Old paper\nyear: 2019\nstatus: read\ntags: [interp]\n"
                         "concepts: [patching]\nfinished: 2024-03-01\n---\nx\n",
        "papers/new.md": "---\ntitle: New paper\nyear: 2024\ntags: [interp, editing]\nconcepts: [patching]\n---\n",
        "papers/other.md": "---\ntitle: Other paper\nyear: 2022\nstatus: to-read\ntags: [vision/cnn]\n---\n",
        "papers/untitled.md": "---\nstatus: to-read\n---\nNo title, no year.\n",
        "concepts/patching.md": "---\ntitle: Activation patching\nstatus: studying\n"
                                "prerequisites: [residual]\n---\nSee [[Old paper]].\n",
        "concepts/residual.md": "---\ntitle: Residual stream\nstatus: studied\n---\nx\n",
        "notes/talks/talk.md": "---\ntitle: A talk\ntags: [interp]\n---\n",
    })


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return QueryEngine(open_base(small_base(tmp_path_factory.mktemp("q") / "kb")))


def ids(engine, text):
    return engine.run(text).ids


def test_table_with_where_contains_sort_and_limit(engine):
    result = engine.run('TABLE title, year, status FROM papers WHERE status = "to-read" '
                        'AND contains(tags, "interp") SORT year DESC LIMIT 10')
    assert result.columns == ["title", "year", "status"]
    assert result.as_records() == [{"id": "new", "title": "New paper", "year": 2024, "status": "to-read"}]
    assert ids(engine, "LIST FROM papers SORT year DESC") == ["new", "other", "old", "untitled"]  # no year: last
    assert ids(engine, "LIST FROM papers SORT year LIMIT 2") == ["old", "other"]


def test_sources_fields_and_operators(engine):
    assert ids(engine, "LIST FROM concepts") == ["patching", "residual"]  # by title
    assert ids(engine, "LIST FROM #interp") == ["talk", "new", "old"]
    assert ids(engine, "LIST FROM #vision") == ["other"]  # a tag holds its subtags
    assert ids(engine, 'LIST FROM "notes/talks"') == ["talk"]
    assert ids(engine, "LIST FROM papers AND -#interp") == ["other", "untitled"]
    assert ids(engine, 'LIST FROM papers WHERE year >= 2022 and not contains(tags, "editing")') == ["other"]
    assert ids(engine, 'LIST FROM papers WHERE status != "read" OR year < 2020') == [
        "new", "old", "other", "untitled"]
    assert ids(engine, "LIST FROM papers WHERE year = null") == ["untitled"]
    assert ids(engine, "LIST FROM papers WHERE not (year > 2020)") == ["old", "untitled"]  # no year: not >
    assert ids(engine, 'LIST FROM papers WHERE icontains(tags, "INTERP")') == ["new", "old"]
    assert ids(engine, "LIST FROM papers WHERE finished > date(2024-01-01)") == ["old"]
    assert ids(engine, 'LIST WHERE icontains(title, "PATCH")') == ["patching"]
    assert ids(engine, 'LIST FROM papers WHERE file.name = "untitled"') == ["untitled"]
    assert engine.run("TABLE length(tags) FROM papers WHERE length(tags) > 1").as_records() == [
        {"id": "new", "title": "New paper", "length(tags)": 2}]


def test_links_to_and_linked_from(engine):
    assert ids(engine, 'LIST WHERE links_to("patching")') == ["new", "old"]  # papers' `concepts`
    assert ids(engine, 'LIST WHERE linked_from("Activation patching")') == ["old", "residual"]
    assert ids(engine, "LIST FROM [[residual]]") == ["patching"]


@pytest.mark.parametrize("text, line, column, words", [
    ('TABLE title FROM papers WHERE status = "to-read" AND AND', 1, 54, "unexpected 'AND'"),
    ("LIST FROM papers\nWHERE year > > 2020", 2, 14, "unexpected '>'"),
    ('LIST WHERE title = "open', 1, 20, "string is never closed"),
    ("LIST FROM papers WHERE", 1, 23, "ends too early"),
    ('LIST WHERE contain(tags, "x")', 1, 12, "unknown function 'contain' (did you mean contains"),
    ('LIST WHERE links_to("residul")', 1, 21, "no note named 'residul' (did you mean residual"),
    ("LIST FROM paper5", 1, 11, "unknown source 'paper5'"),
    ("SELECT * FROM notes", 1, 1, "kb-query runs TABLE and LIST queries"),
])
def test_errors_point_at_the_line_and_column(engine, text, line, column, words):
    with pytest.raises(QueryError) as caught:
        engine.run(text)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert words in caught.value.message


def test_the_shipped_parser_tables_match_the_grammar():
    from tooling.study.query import parser

    shipped = parser.TABLES.read_bytes().split(b"\n", 1)[0] + b"\n"
    assert shipped == parser.stamp(), "grammar changed: run python -m tooling.study.query.parser"


def test_kb_query_prints_tables_json_csv_and_errors_with_a_caret(kb, tmp_path):
    root = small_base(tmp_path / "kb")
    table = kb("query", "TABLE year FROM papers WHERE year > 2020 SORT year", "--root", root)
    assert table.code == 0, table.err
    assert table.out.splitlines()[0].split() == ["id", "year"] and "(2 notes)" in table.out
    as_json = kb("query", "LIST FROM concepts", "--format", "json", "--root", root)
    assert json.loads(as_json.out) == [{"id": "patching", "title": "Activation patching"},
                                       {"id": "residual", "title": "Residual stream"}]
    as_csv = kb("query", "TABLE tags FROM papers WHERE year = 2024", "--format", "csv", "--root", root)
    assert as_csv.out == 'id,tags\nnew,"interp, editing"\n'
    bad = kb("query", "LIST FROM papers WHERE year >> 3", "--root", root)
    assert bad.code == 2
    assert "query:1: invalid-query: column 30: unexpected '>'" in bad.err
    assert "  LIST FROM papers WHERE year >> 3\n" + " " * 31 + "^" in bad.err


def test_queries_over_links_run_on_the_shipped_base(kb):
    linked = kb("query", 'LIST FROM concepts WHERE links_to("residual-stream") LIMIT 3', "--format", "json",
                "--root", REPO)
    assert linked.code == 0, linked.err
    assert len(json.loads(linked.out)) == 3
    counted = kb("query", "--sql", "SELECT count(*) AS n FROM links", "--format", "json", "--root", REPO)
    assert counted.code == 0 and json.loads(counted.out)[0]["n"] > 500


def test_raw_sql_is_read_only(kb, tmp_path):
    root = small_base(tmp_path / "kb")
    counted = kb("query", "--sql", "SELECT kind, count(*) AS n FROM notes GROUP BY kind ORDER BY kind",
                 "--format", "json", "--root", root)
    assert json.loads(counted.out) == [{"kind": "concept", "n": 2}, {"kind": "note", "n": 1},
                                       {"kind": "paper", "n": 4}]
    for statement in ("DELETE FROM notes", f"ATTACH DATABASE '{tmp_path}/x.db' AS x",
                      "PRAGMA query_only = OFF", "CREATE TEMP TABLE t (x)"):
        refused = kb("query", "--sql", statement, "--root", root)
        assert refused.code == 2 and "only reading is allowed" in refused.err, statement
    assert not (tmp_path / "x.db").exists()


def test_raw_sql_that_runs_away_is_stopped_at_the_time_limit(tmp_path):
    """A recursive query that never ends stops at the limit with a sentence, not a hung
    command (the limit is cut to half a second for the test: it is the mechanism under test)."""
    root = small_base(tmp_path / "kb")
    endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    program = ("import sys, tooling.study.query.engine as engine\n"
               "engine.TIME_LIMIT = 0.5\n"
               "from tooling.cli import main\n"
               "main(sys.argv[1:])\n")
    done = subprocess.run([sys.executable, "-c", program, "query", "--sql", endless, "--root", str(root)],
                          capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == 2, done.stderr
    assert "stopped after" in done.stderr


QUERY_NOTE = """\
---
title: Reading list
---
Papers on interpretability:

```kb-query
TABLE year, status FROM papers WHERE contains(tags, "interp") SORT year DESC
```

How the syntax looks (shown, not run):

````markdown
```kb-query
LIST FROM nowhere
```
````

```kb-query
LIST FROM concepts WHERE links_to("residual")
```
"""


def test_query_blocks_render_in_a_real_build(tmp_path):
    root = small_base(tmp_path / "kb")
    write_base(root, {"notes/reading-list.md": QUERY_NOTE})
    result = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"), "--strict")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "site/notes/reading-list/index.html").read_text()
    table = html[html.index('<table class="kb-table kb-query">'):html.index("</table>")]
    assert table.index("New paper") < table.index("Old paper")  # SORT year DESC
    assert '<a class="kb-link" href="../../papers/new/">New paper</a>' in table
    assert "<td>2024</td><td>to-read</td>" in table
    assert '<ul class="kb-list kb-query"><li><a class="kb-link" href="../../concepts/patching/">' in html
    assert "LIST FROM nowhere" in html and "kb-query-error" not in html  # the example is text


def test_a_broken_query_block_is_a_build_warning_and_a_check_error(tmp_path):
    root = small_base(tmp_path / "kb")
    write_base(root, {"notes/reading-list.md": QUERY_NOTE.replace('links_to("residual")', 'links_to(residual')})
    result = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"), "--strict")
    assert result.exit_code == 1
    assert "notes/reading-list.md:19: kb-query, column 43: the query ends too early" in result.output
    problems = [p for p in check_json(root) if p["code"] == "invalid-query"]
    assert [(p["path"], p["line"]) for p in problems] == [("notes/reading-list.md", 19)]


def test_query_blocks_of_a_note_saved_with_crlf_are_read_as_written(tmp_path):
    """A Windows editor's note: the query lines end in `\\r\\n`; a good block is no error and a
    broken one is reported at its own line, as in a note saved with `\\n`."""
    root = small_base(tmp_path / "kb")
    good = "```kb-query\nLIST\nFROM papers\nSORT year DESC\n```\n"
    bad = "```kb-query\nLIST\nFROM papers\nWHERE year >\n```\n"
    for name, block in (("good", good), ("bad", bad)):
        text = f"---\ntitle: {name}\n---\nSee [[residual]].\n\n{block}"
        (root / "notes" / f"{name}.md").write_bytes(text.replace("\n", "\r\n").encode())
    problems = [p for p in check_json(root) if p["code"] == "invalid-query"]
    assert [(p["path"], p["line"]) for p in problems] == [("notes/bad.md", 9)]
    from tooling.study.query.blocks import note_blocks

    assert [b.text for b in note_blocks(open_base(root).note("good"))] == ["LIST\nFROM papers\nSORT year DESC"]


def test_the_text_table_uses_the_terminal_width(engine):
    from tooling.study.query.render import as_text

    long = "A title far longer than forty characters, as titles are"
    wide = engine.run('TABLE title WHERE file.name = "new"')
    wide.rows[0].values[0] = long
    assert long in as_text(wide, width=200)  # a wide terminal shows it whole
    narrow = as_text(wide, width=50)
    assert long not in narrow and all(len(line) <= 50 for line in narrow.splitlines())
