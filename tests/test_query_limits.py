"""Queries never take the machine or the page down: huge numbers, huge values and results, long
statements, long AND chains, unclosed blocks, dangerous SQL functions; and what leaves for other
programs (CSV, JSON) is safe to open."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
from helpers import check_json, kb_process, run_kb, write_base

from tooling.base import open_base
from tooling.study.query import engine as query_engine
from tooling.study.query import render
from tooling.study.query.engine import QueryEngine
from tooling.study.query.parse import QueryError

HUGE = "9" * 4301  # Python itself refuses to turn 4,301 digits into an int


def small(root, extra: dict[str, str] | None = None):
    return write_base(root, {
        "papers/a.md": "---\ntitle: A paper\nyear: 2020\ntags: [x]\n---\nx\n",
        "papers/b.md": "---\ntitle: B paper\nyear: 2021\n---\nSee [[a]].\n",
        **(extra or {}),
    })


def test_a_number_of_4301_digits_anywhere_is_an_error_never_a_crash(tmp_path):
    root = small(tmp_path / "kb", {
        "notes/q.md": f"---\ntitle: Q\n---\n```kb-query\nLIST WHERE year < {HUGE}\n```\n",
        "notes/plan.md": f"---\ntitle: Plan\nkind: plan\nitems:\n  g:\n    quota: 1\n"
                         f"    query: FROM papers LIMIT {HUGE}\n---\n",
    })
    for args in (["query", f"LIST WHERE year = {HUGE}"], ["query", f"LIST LIMIT {HUGE}"],
                 ["query", f"LIST WHERE dur({HUGE} days) > 0"], ["check"], ["status"], ["next"],
                 ["report"], ["build", "-d", str(tmp_path / "site"), "--no-exec"]):
        done = kb_process(*args, "--root", root, timeout=120)
        assert done.returncode in (0, 1, 2), (args, done.returncode, done.stderr[-400:])
        assert "Traceback" not in done.stderr, args
    problems = [p for p in check_json(root) if p["code"] == "invalid-query"]
    assert sorted((p["path"], p["message"][:40]) for p in problems) == [
        ("notes/plan.md", "query of group 'g', column 19: LIMIT 999"),
        ("notes/q.md", "kb-query, column 19: the number 99999999")]


def test_raw_sql_is_bounded_in_size(kb, tmp_path):
    root = small(tmp_path / "kb")
    start = time.monotonic()
    big = kb("query", "--sql", "SELECT zeroblob(999999999)", "--root", root)
    assert big.code == 2 and "a value is too large (over 16 MB)" in big.err
    rows = kb("query", "--sql", "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 1000) "
                                "SELECT randomblob(1000000) FROM r", "--root", root)
    assert rows.code == 2 and "the result is too large (over 100,000 rows or 64 MB)" in rows.err
    many = kb("query", "--sql", "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 200000) "
                                "SELECT i FROM r", "--root", root)
    assert many.code == 2 and "the result is too large" in many.err
    assert time.monotonic() - start < 30  # refused as they start, not after gigabytes


def test_every_statement_is_bounded_in_time(tmp_path, monkeypatch):
    monkeypatch.setattr(query_engine, "TIME_LIMIT", 0.3)
    engine = QueryEngine(open_base(small(tmp_path / "kb")))
    endless = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r"
    start = time.monotonic()
    with pytest.raises(QueryError, match="stopped after"):
        engine.sql(endless)
    assert time.monotonic() - start < 5


def test_fts3_tokenizer_and_extension_loading_are_refused(kb, tmp_path):
    root = small(tmp_path / "kb")
    for statement in ("SELECT fts3_tokenizer('simple')", "SELECT fts3_tokenizer('x', x'0000000000000000')",
                      "SELECT load_extension('/tmp/evil')"):
        refused = kb("query", "--sql", statement, "--root", root)
        assert refused.code == 2 and "is not allowed in kb query --sql" in refused.err, statement


def test_ninety_conditions_run_in_check_build_and_query_alike(tmp_path):
    many = " AND ".join(f"year != {1900 + i}" for i in range(120))
    nested = "NOT " * 60 + "year = 2020"
    root = small(tmp_path / "kb", {
        "notes/many.md": f"---\ntitle: Many\n---\n```kb-query\nLIST FROM papers WHERE {many}\n```\n",
        "notes/nested.md": f"---\ntitle: Nested\n---\n```kb-query\nLIST WHERE {nested}\n```\n",
    })
    assert QueryEngine(open_base(root)).run(f"LIST FROM papers WHERE {many}").ids == ["a", "b"]
    (problem,) = [p for p in check_json(root) if p["code"] == "invalid-query"]
    assert problem["path"] == "notes/nested.md"
    assert problem["message"].endswith("the query is nested too deeply (at most 48 levels)")
    built = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"), "--no-exec")
    assert "parser stack overflow" not in built.output
    assert f"notes/nested.md:5: {problem['message']}" in built.output  # the same finding in both
    assert "notes/many.md" not in built.output
    page = (tmp_path / "site/notes/many/index.html").read_text()
    assert 'href="../../papers/a/">A paper</a>' in page


def test_an_unclosed_block_is_reported_and_the_rest_of_the_page_survives(tmp_path):
    root = small(tmp_path / "kb", {
        "notes/open.md": "---\ntitle: Open\n---\nBefore.\n\n```kb-query\nLIST FROM papers\n\nAfter the "
                         "block, a link to [[a]].\n",
    })
    (problem,) = [p for p in check_json(root) if p["code"] == "invalid-query"]
    assert (problem["path"], problem["line"]) == ("notes/open.md", 6)
    assert "never closed" in problem["message"]
    built = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"), "--no-exec")
    assert "notes/open.md:6: kb-query, column 1: this kb-query block is never closed" in built.output
    assert "\\x02" not in built.output and "\x02" not in built.output
    page = (tmp_path / "site/notes/open/index.html").read_text()
    article = page[page.index("<article"):page.index("</article>")]
    assert "kb-query-error" in article and "kb-query-result" not in article  # reported, never run
    code = article[article.index("<code"):article.index("</code>")]
    assert "LIST FROM papers" in code and "After the block, a link to [[a]]." in code  # CommonMark's code
    assert '<section class="kb-backlinks"' in article  # the page keeps its footer
    write_base(root, {"notes/open.md": "---\ntitle: Open\n---\n```kb-query\nLIST FROM papers\n"})
    built = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site2"), "--no-exec")
    assert "notes/open.md:4: kb-query, column 1: this kb-query block is never closed" in built.output
    assert "kb-query-result" not in (tmp_path / "site2/notes/open/index.html").read_text()


def test_a_block_shows_a_bounded_number_of_rows_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "MAX_ROWS", 3)
    papers = {f"papers/p{i}.md": f"---\ntitle: Paper {i}\n---\nx\n" for i in range(5)}
    root = write_base(tmp_path / "kb", {**papers, "notes/all.md": "---\ntitle: All\n---\n"
                                                                 "```kb-query\nTABLE title FROM papers\n```\n"})
    built = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"), "--no-exec")
    assert "notes/all.md:5: kb-query shows 3 of 5 rows (a page holds at most that much): add LIMIT" in built.output
    page = (tmp_path / "site/notes/all/index.html").read_text()
    table = page[page.index('<table class="kb-table kb-query">'):page.index("</table>")]
    assert table.count("<tr>") == 4 and "Showing 3 of 5 rows" in page
    monkeypatch.setattr(render, "MAX_ROWS", 1000)
    monkeypatch.setattr(render, "MAX_HTML", 60)
    engine = QueryEngine(open_base(root))
    html, shown = render.as_html(engine.run("TABLE title FROM papers"))
    assert shown == 2 and html.count("<tr>") == 3  # the header and the rows that fit


def test_csv_cells_are_never_formulas_and_json_never_infinity(kb, tmp_path):
    root = write_base(tmp_path / "kb", {
        "papers/f.md": "---\ntitle: \"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\"\nvenue: \"@SUM(1+1)\"\n"
                       "score: -3\nnote: \"-2+3\"\nweight: .inf\n---\nx\n",
    })
    table = kb("query", "TABLE title, venue, score, note FROM papers", "--format", "csv", "--root", root)
    (row,) = list(csv.DictReader(io.StringIO(table.out)))
    assert row["title"] == "'=HYPERLINK(\"http://x\",\"y\")" and row["venue"] == "'@SUM(1+1)"
    assert row["score"] == "-3" and row["note"] == "'-2+3"  # a number stays a number
    raw = kb("query", "--sql", "SELECT title, 1e999 AS big FROM notes", "--format", "csv", "--root", root)
    assert list(csv.reader(io.StringIO(raw.out)))[1] == ["'=HYPERLINK(\"http://x\",\"y\")", "inf"]
    report = run_kb("report", "--root", str(root), "--format", "csv").output
    assert "'=HYPERLINK" in report and ",=HYPERLINK" not in report

    def strict(text: str) -> object:
        return json.loads(text, parse_constant=lambda name: pytest.fail(f"JSON holds {name}"))

    assert strict(kb("query", "--sql", "SELECT 1e999 AS x, -1e999 AS y", "--format", "json", "--root", root).out) == [
        {"x": "inf", "y": "-inf"}]
    assert strict(kb("query", "TABLE weight", "--format", "json", "--root", root).out)[0]["weight"] == "inf"
    strict(run_kb("report", "--root", str(root), "--format", "json").output)
