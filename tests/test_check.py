"""`kb check`: every named check on small real files, the output formats and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import check_json, codes, run_kb, write_base

from tooling.base import open_base
from tooling.graph import backlinks

GOOD_PAPER = """
    ---
    title: Locating and Editing Factual Associations in GPT
    arxiv: "2202.05262"
    authors: [Kevin Meng, David Bau]
    status: read
    concepts: [model-editing]
    ---
    ROME edits one MLP layer.
"""
GOOD_CONCEPT = """
    ---
    title: Model editing
    status: studying
    ---
    Change one fact.

    ```python demo
    print(1 + 1)
    ```
"""


def base_with(tmp_path, **extra):
    files = {"papers/meng2022locating.md": GOOD_PAPER, "concepts/model-editing.md": GOOD_CONCEPT}
    files.update({k.replace("__", "/") + ".md": v for k, v in extra.items()})
    return write_base(tmp_path, files)


def test_clean_base_passes_with_exit_0(tmp_path):
    base_with(tmp_path)
    result = run_kb("check", "--root", str(tmp_path))
    assert result.exit_code == 0
    assert result.output.strip().splitlines() == ["checked 2 notes: 0 errors, 0 warnings"]


def test_invalid_yaml_names_the_line(tmp_path):
    base_with(tmp_path, notes__bad="---\ntitle: ok\ntags: [a, b\nstatus: x\n---\nbody\n")
    found = codes(check_json(tmp_path))
    assert ("notes/bad.md", 4, "invalid-yaml") in found or ("notes/bad.md", 5, "invalid-yaml") in found


def test_front_matter_that_is_not_a_mapping(tmp_path):
    base_with(tmp_path, notes__list="---\n- a\n- b\n---\nbody\n")
    assert ("notes/list.md", 2, "not-a-mapping") in codes(check_json(tmp_path))


def test_unclosed_front_matter(tmp_path):
    base_with(tmp_path, notes__open="---\ntitle: never closed\n\nbody\n")
    assert ("notes/open.md", 1, "unclosed-front-matter") in codes(check_json(tmp_path))


def test_missing_title_with_and_without_front_matter(tmp_path):
    base_with(tmp_path, notes__notitle="---\ntags: [x]\n---\nSee [[model-editing]].\n",
              notes__bare="Just text linking [[model-editing]].\n")
    found = codes(check_json(tmp_path))
    assert ("notes/notitle.md", 1, "missing-title") in found
    assert ("notes/bare.md", 1, "missing-title") in found


def test_unknown_status_depends_on_kind(tmp_path):
    base_with(
        tmp_path,
        papers__p1="---\ntitle: P\nstatus: done\nconcepts: [model-editing]\n---\n",
        concepts__c1="---\ntitle: C\nstatus: read\nrelated: [model-editing]\n---\n```python demo\n```\n",
    )
    problems = check_json(tmp_path)
    found = codes(problems)
    assert ("papers/p1.md", 3, "unknown-status") in found
    assert ("concepts/c1.md", 3, "unknown-status") in found  # 'read' is a paper status
    message = next(p["message"] for p in problems if p["path"] == "papers/p1.md")
    assert "to-read, reading, read, skimmed, dropped" in message


@pytest.mark.parametrize("value", ["2024-02-30", "yesterday", "2024-13-01", "24-01-01"])
def test_invalid_dates(tmp_path, value):
    base_with(tmp_path, notes__d=f"---\ntitle: D\ncreated: {value}\nrelated: [model-editing]\n---\n")
    assert ("notes/d.md", 3, "invalid-date") in codes(check_json(tmp_path))


def test_valid_dates_and_timestamps_pass(tmp_path):
    base_with(tmp_path, notes__d="---\ntitle: D\ncreated: 2024-02-29\nadded: '2024-03-01T10:00:00Z'\n"
                                 "related: [model-editing]\n---\n")
    assert check_json(tmp_path) == []


@pytest.mark.parametrize("value,ok", [
    ('"2202.05262"', True), ('"2202.05262v3"', True), ('"hep-th/9901001"', True),
    ('"math.GT/0309136v2"', True), ('"0704.0001"', True),
    ("2202.05262", False),  # unquoted: YAML made it a float
    ('"2202.5262"', False), ('"1312.12345"', False), ('"2213.00001"', False), ('"arXiv 2202"', False),
])
def test_arxiv_ids(tmp_path, value, ok):
    base_with(tmp_path, papers__x=f"---\ntitle: X\narxiv: {value}\nconcepts: [model-editing]\n---\nx\n")
    found = [c for c in codes(check_json(tmp_path)) if c[2] == "malformed-arxiv"]
    assert (found == []) is ok
    if not ok:
        assert found == [("papers/x.md", 3, "malformed-arxiv")]


def test_duplicate_id_names_both_files(tmp_path):
    base_with(tmp_path, notes__sub__model_editing="x")
    write_base(tmp_path, {"notes/model-editing.md": "---\ntitle: Dup\n---\n[[model-editing]]\n"})
    problems = [p for p in check_json(tmp_path) if p["code"] == "duplicate-id"]
    assert [p["path"] for p in problems] == ["concepts/model-editing.md", "notes/model-editing.md"]
    assert "also notes/model-editing.md" in problems[0]["message"]
    assert "also concepts/model-editing.md" in problems[1]["message"]
    assert "left out" in problems[1]["message"]  # the concept keeps the id, the stray note yields


def test_unresolved_links_in_front_matter_and_body_with_lines(tmp_path):
    base_with(tmp_path, papers__p2="""
        ---
        title: P2
        concepts:
          - model-editing
          - ghost-concept
        ---
        First line.
        See [[nowhere]] and [x](../notes/missing.md).
    """)
    problems = [p for p in check_json(tmp_path) if p["code"] == "unresolved-link"]
    assert [(p["line"], p["message"]) for p in problems] == [
        (5, "unresolved link to 'ghost-concept' in 'concepts'"),
        (8, "unresolved wikilink [[nowhere]]"),
        (8, "unresolved link to '../notes/missing.md' (no such file)"),
    ]


def test_prerequisite_cycle_is_named(tmp_path):
    write_base(tmp_path, {
        "concepts/a.md": "---\ntitle: A\nprerequisites: [b]\n---\n```python demo\n```\n",
        "concepts/b.md": "---\ntitle: B\nprerequisites: [c]\n---\n```python demo\n```\n",
        "concepts/c.md": "---\ntitle: C\nprerequisites: [a]\n---\n```python demo\n```\n",
        "concepts/d.md": "---\ntitle: D\nprerequisites: [a]\n---\n```python demo\n```\n",
    })
    problems = [p for p in check_json(tmp_path) if p["code"] == "prerequisite-cycle"]
    assert len(problems) == 1
    assert problems[0]["message"] == "prerequisite cycle: a -> b -> c -> a"


def test_not_utf8_reports_the_line_and_does_not_hide_others(tmp_path):
    base_with(tmp_path, notes__latin=b"---\ntitle: x\n---\n" + "caf\xe9\n".encode("latin-1"),
              notes__other="---\ntitle: O\nstatus: nope\ncreated: never\n---\n[[ghost]]\n")
    found = codes(check_json(tmp_path))
    assert ("notes/latin.md", 4, "not-utf8") in found
    assert ("notes/other.md", 4, "invalid-date") in found
    assert ("notes/other.md", 6, "unresolved-link") in found


def test_a_note_linking_only_to_itself_is_still_an_orphan(tmp_path):
    """A link from a note to itself (a heading of its own, its own title) joins it to nothing:
    the note stays an orphan, in `kb check` as in the graph; a front-matter link to itself is a
    statement, not noise, and is an edge."""
    base_with(
        tmp_path,
        notes__selfish="---\ntitle: Selfish\n---\nSee [[selfish#Later]] and [[Selfish]].\n\n## Later\n",
        concepts__loop="---\ntitle: Loop\nprerequisites: [loop]\n---\nItself first.\n",
    )
    orphans = {p["path"] for p in check_json(tmp_path) if p["code"] == "orphan-note"}
    assert "notes/selfish.md" in orphans
    assert "concepts/loop.md" not in orphans
    kb = open_base(tmp_path)
    assert not kb.graph.in_edges("selfish") and not backlinks(kb.graph, "selfish")


def test_warnings_orphan_demo_empty_read_duplicate_arxiv(tmp_path):
    base_with(
        tmp_path,
        notes__alone="---\ntitle: Alone\n---\nNo links here.\n",
        concepts__nodemo="---\ntitle: No demo\nrelated: [model-editing]\n---\n```python\nprint(1)\n```\n",
        papers__empty="---\ntitle: E\nstatus: read\nconcepts: [model-editing]\n---\n\n## Notes\n\n",
        papers__again='---\ntitle: Again\narxiv: "2202.05262v2"\nconcepts: [model-editing]\n---\nx\n',
    )
    problems = check_json(tmp_path)
    # papers/again.md comes first in path order, so it holds the arXiv id; the later file is flagged
    assert {(p["path"], p["line"], p["code"], p["severity"]) for p in problems} == {
        ("notes/alone.md", 1, "orphan-note", "warning"),
        ("concepts/nodemo.md", 5, "concept-without-demo", "warning"),
        ("papers/empty.md", 3, "empty-read-paper", "warning"),
        ("papers/meng2022locating.md", 3, "duplicate-arxiv", "warning"),
    }
    result = run_kb("check", "--root", str(tmp_path))
    assert result.exit_code == 0  # warnings alone do not fail
    assert result.output.splitlines()[-1] == "checked 6 notes: 0 errors, 4 warnings"


def test_text_output_format(tmp_path):
    base_with(tmp_path, notes__n="---\ntitle: N\nrelated: [ghost, model-editing]\n---\n")
    result = run_kb("check", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "notes/n.md:3: error unresolved-link: unresolved link to 'ghost' in 'related'",
        "checked 3 notes: 1 error, 0 warnings",
    ]


def test_json_output_is_a_list_of_problem_objects(tmp_path):
    base_with(tmp_path, notes__n="---\ntitle: N\nrelated: [ghost, model-editing]\n---\n")
    result = run_kb("check", "--root", str(tmp_path), "--json")
    assert result.exit_code == 1
    assert json.loads(result.output) == [{
        "path": "notes/n.md", "line": 3, "severity": "error", "code": "unresolved-link",
        "message": "unresolved link to 'ghost' in 'related'",
    }]


def test_explain_and_list(tmp_path):
    result = run_kb("check", "--explain", "prerequisite-cycle")
    assert result.exit_code == 0
    assert result.output.startswith("prerequisite-cycle (error, reported by kb check):")
    assert "DAG" in result.output
    listing = run_kb("check", "--list").output
    for code in ("invalid-yaml", "not-a-mapping", "unclosed-front-matter", "missing-title",
                 "unknown-status", "invalid-date", "malformed-arxiv", "duplicate-id",
                 "unresolved-link", "prerequisite-cycle", "not-utf8", "orphan-note",
                 "concept-without-demo", "empty-read-paper", "duplicate-arxiv"):
        assert code in listing
        assert run_kb("check", "--explain", code).exit_code == 0


def test_usage_errors_exit_2_without_traceback(tmp_path):
    for args in (["check", "--explain", "no-such-check"], ["check", "--root", str(tmp_path / "nope")],
                 ["check", "--bogus"]):
        done = subprocess.run([sys.executable, "-m", "tooling.cli", *args], capture_output=True, text=True)
        assert done.returncode == 2, args
        assert "Traceback" not in done.stderr


def test_garbage_everywhere_never_tracebacks(tmp_path):
    write_base(tmp_path, {
        "papers/a.md": b"\x00\x01\x02binary\xff",
        "papers/b.md": "---\n---\n",
        "papers/c.md": "---\ntitle: [1, 2]\nauthors: {a: 1}\nconcepts: 3\nstatus: [x]\n---\n",
        "papers/d.md": "---\ntitle: ok\narxiv: [1]\npriority: urgent\nitems: {a: [b]}\n---\n",
        "concepts/e.md": "---\ntitle: E\nprerequisites: {x: y}\n---\n[[]] [[|x]] [[#h]] [](  ) ![[img.png]]\n",
        "notes/f.md": "---\n: :\n---\n",
    })
    done = subprocess.run([sys.executable, "-m", "tooling.cli", "check", "--root", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert "internal error" not in done.stderr
    assert done.stdout.splitlines()[-1].startswith("checked 6 notes:")


def test_a_key_written_twice_is_reported_with_both_lines(tmp_path):
    base_with(tmp_path, notes__twice="""
        ---
        title: Twice
        status: first
        tags: [a]
        status: second
        kind: plan
        items:
          main: [model-editing]
          main: [meng2022locating]
        ---
        [[model-editing]]
    """)
    problems = [p for p in check_json(tmp_path) if p["code"] == "duplicate-key"]
    assert [(p["path"], p["line"], p["severity"]) for p in problems] == [
        ("notes/twice.md", 5, "error"), ("notes/twice.md", 9, "error")]
    assert problems[0]["message"] == ("key 'status' is written twice, on lines 3 and 5: only the "
                                      "value on line 5 is kept")
    assert "key 'main' is written twice, on lines 8 and 9" in problems[1]["message"]


def test_keys_are_compared_as_yaml_reads_them(tmp_path):
    # 'title' and "title" are one key; 1 and 01 are the same integer; a merge key may override
    base_with(tmp_path, notes__same="---\ntitle: A\n'title': B\n1: x\n01: y\n---\n[[model-editing]]\n",
              notes__merge="---\n<<: {title: Base}\ntitle: Mine\n---\n[[model-editing]]\n")
    found = [c for c in codes(check_json(tmp_path)) if c[2] == "duplicate-key"]
    assert found == [("notes/same.md", 3, "duplicate-key"), ("notes/same.md", 5, "duplicate-key")]


@pytest.mark.parametrize("field, value, message", [
    ("year", "twenty", "'year' should be a whole number, not 'twenty'"),
    ("year", "2022.5", "'year' should be a whole number, not 2022.5"),
    ("year", "true", "'year' should be a whole number, not True"),
    ("version", "v3", "'version' should be a whole number, not 'v3'"),
    ("doi", "[10.1/a, 10.1/b]", "'doi' should be text, not a list"),
    ("pdf_url", "{href: x}", "'pdf_url' should be text, not a mapping"),
    ("title", "[a, b]", "'title' should be text, not a list"),
])
def test_fields_of_the_wrong_type(tmp_path, field, value, message):
    text = f"---\ntitle: T\narxiv: \"2202.05263\"\n{field}: {value}\nconcepts: [model-editing]\n---\nx\n"
    base_with(tmp_path, papers__typed=text.replace("title: T\n", "") if field == "title" else text)
    problems = [p for p in check_json(tmp_path) if p["code"] == "invalid-field"]
    line = 3 if field == "title" else 4
    assert [(p["path"], p["line"], p["message"]) for p in problems] == [
        ("papers/typed.md", line, message)]


def test_whole_number_years_and_text_fields_pass(tmp_path):
    base_with(tmp_path, papers__fine="---\ntitle: 1984\nyear: 1984\nversion: 2\ndoi: 10.1000/x\n"
                                     "concepts: [model-editing]\n---\nx\n")
    assert [p for p in check_json(tmp_path) if p["code"] == "invalid-field"] == []
