"""One answer to "what next": on the shipped base, the home page, the reading lists, the plan page
and `kb report` in every format show the same first ten items in the same order as `kb next`."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from helpers import REPO, run_kb

PLAN = "emnlp-prepa"
FIRST = 10


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("shipped") / "site"
    result = run_kb("build", "--root", str(REPO), "-d", str(out), "--no-exec")
    assert result.exit_code == 0, result.output
    return out


def kb_next(*args: str) -> list[str]:
    result = run_kb("next", "--json", "-n", str(FIRST), "--root", str(REPO), *args)
    assert result.exit_code == 0, result.output
    return [step["id"] for step in json.loads(result.output)]


def listed(html: str) -> list[str]:
    """The ids of the first `kb-next` list of a page, in order."""
    start = html.index('<ol class="kb-list kb-next">')
    block = html[start:html.index("</ol>", start)]
    return re.findall(r'<li data-kb-id="([^"]+)">', block)


def report(*args: str) -> str:
    result = run_kb("report", "--root", str(REPO), "--limit", str(FIRST), *args)
    assert result.exit_code == 0, result.output
    return result.output


def report_orders(*args: str) -> dict[str, list[str]]:
    """The order of what next in each format of `kb report`."""
    return {
        "json": [s["id"] for s in json.loads(report("--format", "json", *args))["next"]],
        "text": re.findall(r"^ +\d+\. (\S+)  ", report("--format", "text", *args), re.MULTILINE),
        "md": re.findall(r"^\d+\. .*? \(`([^`]+)`\): ", report("--format", "md", *args), re.MULTILINE),
        "html": re.findall(r'<li data-id="([^"]+)">', report("--format", "html", *args)),
        "csv": [r["id"] for r in csv.DictReader(io.StringIO(report("--format", "csv", *args)))
                if r["section"] == "next"],
    }


@pytest.mark.slow
def test_every_surface_shows_the_order_of_kb_next(site):
    expected = kb_next()
    assert len(expected) == FIRST
    assert listed((site / "index.html").read_text())[:FIRST] == expected
    assert listed((site / "reading/index.html").read_text())[:FIRST] == expected
    for fmt, ids in report_orders().items():
        assert ids == expected, fmt
    in_plan = kb_next("--plan", PLAN)
    assert listed((site / f"notes/{PLAN}/index.html").read_text()) == in_plan
    for fmt, ids in report_orders("--plan", PLAN).items():
        assert ids == in_plan, fmt


@pytest.mark.slow
def test_the_shipped_home_page_starts_with_what_next_then_the_plan_and_has_no_empty_section(site):
    html = (site / "index.html").read_text()
    article = html[html.index("<article"):html.index("</article>")]
    headings = re.findall(r'<h2 id="([^"]+)"', article)
    assert headings[:2] == ["next", "plans"]
    assert "kb-empty" not in article and "No notes match" not in article
    for heading, following in re.findall(r'<h2 id="([^"]+)"[^>]*>.*?</h2>(.{0,40})', article, re.DOTALL):
        assert following.strip() and not following.lstrip().startswith("<h2"), heading
    assert "prerequisite of oyama2024understanding (high priority), which plan emnlp-prepa needs" in article
    assert "interp: 2 of 5 done (any 5: 3 listed, 2 more to find)" in article
