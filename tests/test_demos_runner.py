"""The demo library (tooling.demos) and `kb demo`: real blocks, real processes, a real cache."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from helpers import REPO, run_kb, write_base
from site_helpers import DEMO_BASE

from tooling.demos import (
    DemoCache,
    RunSettings,
    block_key,
    demo_blocks,
    has_demo,
    plan_jobs,
    run_all,
    run_blocks,
)
from tooling.demos.runner import MAX_STREAM, THREAD_VARIABLES
from tooling.syntax import Scan


def run_one(code: str, timeout: float = 20, **settings) -> object:
    return run_blocks([code], [timeout], RunSettings(**settings))[0]


# --- finding blocks ---------------------------------------------------------------------------

def test_demo_blocks_read_options_lines_and_skip_examples_inside_other_fences():
    text = ("Intro\n\n```python demo timeout=60 session=fit\nx = 1\n```\n\n"
            "````markdown\n```python demo\nprint('an example, not a demo')\n```\n````\n\n"
            "  ~~~python demo\n  print('indented')\n  ~~~\n"
            "```python demo timout=5 timeout=0\npass\n```\n")
    demos = demo_blocks(text)
    assert [(d.line, d.code) for d in demos] == [(3, "x = 1\n"), (13, "print('indented')\n"),
                                                (16, "pass\n")]
    assert (demos[0].timeout, demos[0].session, demos[0].problems) == (60.0, "fit", ())
    assert demos[1].timeout == 30.0 and demos[1].session is None
    assert "unknown demo option 'timout=5'" in demos[2].problems[0]
    assert "timeout=0 is not a number of seconds" in demos[2].problems[1]
    assert has_demo(text) and not has_demo("````\n```python demo\n```\n````\n")
    assert demo_blocks(text.replace("\n", "\r\n")) == demos  # a note saved on Windows


def test_has_demo_agrees_with_the_full_scan_on_every_arrangement():
    """`has_demo` answers from a note's own reading (`kb check`) or reads the text itself: either
    way exactly as `demo_blocks` does, wherever the fences are and however they are written."""
    import itertools

    pieces = ["```python demo\nx = 1\n```\n", "```python demo `x`\nx\n```\n",
              "~~~python demo `x`\nx\n~~~\n", "````md\n", "````\n", "   ```python demo\n",
              "    ```python demo\n", "text\n", "```\n", "\r\n"]
    for count in (1, 2, 3):
        for parts in itertools.product(pieces, repeat=count):
            body = "".join(parts)
            assert has_demo(body) == bool(demo_blocks(body)), repr(body)
            assert has_demo(body, Scan(body)) == bool(demo_blocks(body)), repr(body)


# --- running one job --------------------------------------------------------------------------

def test_stdout_and_stderr_are_kept_apart_and_c_level_writes_are_caught():
    result = run_one("import os, sys\nprint('out')\nprint('err', file=sys.stderr)\n"
                     "os.write(2, b'raw fd 2\\n')\n")
    assert result.status == "ok"
    assert result.stdout == "out\n"
    assert result.stderr == "err\nraw fd 2\n"


def test_a_demo_runs_alone_in_an_empty_folder_with_one_thread_and_a_fixed_hash_seed(monkeypatch):
    monkeypatch.setenv("KB_SECRET_OF_THE_CALLER", "leaked")
    code = ("import os, sys, json\nopen('made.txt', 'w').write('x')\n"
            "print(json.dumps({'cwd': os.getcwd(), 'files': sorted(os.listdir('.')), "
            "'hash': hash('kb'), 'secret': os.environ.get('KB_SECRET_OF_THE_CALLER'), "
            "'user_site': sys.flags.no_user_site, "
            f"'threads': [os.environ.get(v) for v in {list(THREAD_VARIABLES)!r}]}}))\n")
    first, second = (json.loads(run_one(code).stdout) for _ in range(2))
    assert first["files"] == ["made.txt"]  # nothing else in the folder it starts in
    assert first["cwd"] != second["cwd"] and not Path(first["cwd"]).exists()  # fresh, then gone
    assert first["hash"] == second["hash"]  # str hashes (set order) repeat from run to run
    assert first["secret"] is None and first["user_site"] == 1
    assert first["threads"] == ["1"] * len(THREAD_VARIABLES)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def test_an_endless_demo_is_killed_at_its_timeout_with_the_processes_it_started():
    code = ("import subprocess, sys\n"
            "child = subprocess.Popen(['sleep', '300'])\n"
            "print(child.pid, flush=True)\nprint('partial', file=sys.stderr, flush=True)\n"
            "while True:\n    pass\n")
    result = run_one(code, timeout=1.5)
    assert result.status == "timeout"
    assert result.error == "timed out after 1.5 s"
    assert result.stderr == "partial\n"  # what it wrote before being stopped is kept
    pid = int(result.stdout.split()[0])
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid), "the demo's own child outlived it"


def test_a_memory_hog_is_stopped_by_the_memory_limit():
    result = run_one("import numpy as np\nbig = np.ones(200_000_000)\nprint('allocated', big.nbytes)\n")
    assert result.status == "memory"
    assert "allocated" not in result.stdout
    assert "Unable to allocate" in result.error and "limit 1024 MB" in result.error


def test_runaway_output_is_cut_not_stored_whole():
    result = run_one("import sys\nsys.stdout.write('x' * 5_000_000)\n")
    assert result.status == "ok"
    assert len(result.stdout) < MAX_STREAM + 200
    assert "[... output cut: 5,000,000 bytes in all]" in result.stdout


def test_a_session_shares_state_and_stops_at_the_first_failure():
    results = run_blocks(["total = 40\n", "total += 2\nprint(total)\n", "print(total / 0)\n",
                          "print('never')\n"], [10] * 4)
    assert [r.status for r in results] == ["ok", "ok", "error", "skipped"]
    assert results[1].stdout == "42\n"
    assert 'File "<demo 3>", line 1, in <module>' in results[2].error
    assert results[2].error.rstrip().endswith("ZeroDivisionError: division by zero")
    assert "block 3" in results[3].error and results[3].stdout == ""


def test_syntax_errors_and_exit_statuses_are_reported():
    assert "SyntaxError" in run_one("def f(:\n").error
    assert run_one("import sys\nsys.exit(0)\n").status == "ok"
    failed = run_one("import sys\nsys.exit(3)\n")
    assert (failed.status, failed.error) == ("error", "the demo exited with status 3")


@pytest.mark.skipif(importlib.util.find_spec("matplotlib") is None,
                    reason="matplotlib is not installed (the optional `figures` extra)")
def test_matplotlib_figures_are_captured_as_svg(tmp_path):
    code = ("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.title('first')\n"
            "plt.figure()\nplt.bar([1], [2])\n")
    result = run_one(code, scratch=tmp_path)
    assert result.status == "ok", result.error
    assert len(result.figures) == 2
    assert result.figures[0].lstrip().startswith("<?xml") and "<svg" in result.figures[0]
    assert run_one(code, scratch=tmp_path).figures == result.figures  # same figure, same bytes


# --- the cache and run_all --------------------------------------------------------------------

def test_the_key_covers_code_earlier_blocks_timeout_memory_and_versions():
    versions = {"python": "3.12.1", "numpy": "2.0.2", "matplotlib": None, "runner": "1"}
    key = block_key("print(1)\n", [], 30.0, 1024, versions=versions)
    assert key == block_key("print(1)\n", [], 30.0, 1024, versions=dict(versions))
    assert len({key,
                block_key("print(2)\n", [], 30.0, 1024, versions=versions),
                block_key("print(1)\n", ["x = 1\n"], 30.0, 1024, versions=versions),
                block_key("print(1)\n", [], 60.0, 1024, versions=versions),
                block_key("print(1)\n", [], 30.0, 512, versions=versions),
                block_key("print(1)\n", [], 30.0, 1024, versions={**versions, "numpy": "2.1.0"}),
                block_key("print(1)\n", [], 30.0, 1024, versions={**versions, "runner": "2"}),
                }) == 7


def test_the_interpreters_version_is_part_of_a_blocks_key(monkeypatch):
    """A demo's output can change with Python itself (error messages, reprs, hash order): a key
    made by the same interpreter under another version must differ, so the demo runs again."""
    from tooling.demos import cache

    cache.environment.cache_clear()
    here = block_key("print(1)\n", [], 30.0, 1024)
    monkeypatch.setattr(cache.platform, "python_version", lambda: "3.99.0")
    cache.environment.cache_clear()
    try:
        assert block_key("print(1)\n", [], 30.0, 1024) != here
    finally:
        cache.environment.cache_clear()


PAGE = """\
```python demo
print("one")
```

```python demo session=s
x = 2
```

```python demo session=s
print(x * 2)
```
"""


def test_run_all_runs_each_block_once_then_only_what_changed(tmp_path):
    cache = DemoCache(tmp_path / "cache")
    first = run_all(plan_jobs(demo_blocks(PAGE), "page.md"), cache)
    assert (first.executed, first.from_cache) == (3, 0)
    assert [o.result.stdout for o in first.outcomes] == ["one\n", "", "4\n"]

    again = run_all(plan_jobs(demo_blocks(PAGE), "page.md"), DemoCache(tmp_path / "cache"))
    assert (again.executed, again.from_cache) == (0, 3)
    assert [o.result for o in again.outcomes] == [o.result for o in first.outcomes]

    edited = PAGE.replace('print("one")', 'print("uno")')
    changed = run_all(plan_jobs(demo_blocks(edited), "page.md"), DemoCache(tmp_path / "cache"))
    assert [o.where for o in changed.outcomes if o.ran] == ["page.md:1"]
    assert changed.outcomes[0].result.stdout == "uno\n"

    # A change to a session's first block re-runs the session: the later block depends on it.
    session = run_all(plan_jobs(demo_blocks(edited.replace("x = 2", "x = 3")), "page.md"),
                      DemoCache(tmp_path / "cache"))
    assert [o.where for o in session.outcomes if o.ran] == ["page.md:5", "page.md:9"]
    assert session.outcomes[2].result.stdout == "6\n"

    cache = DemoCache(tmp_path / "cache")
    assert cache.prune(o.key for o in session.outcomes) == 3  # "one", x = 2 and its print(x * 2)
    assert len(list((tmp_path / "cache").glob("*.json"))) == 3


def test_with_execution_off_nothing_runs_and_misses_have_no_result(tmp_path):
    report = run_all(plan_jobs(demo_blocks(PAGE)), DemoCache(tmp_path), execute=False)
    assert (report.executed, report.not_run) == (0, 3)
    assert all(o.result is None for o in report.outcomes)


def test_jobs_run_in_parallel_and_each_reports_progress(tmp_path):
    page = "".join(f"```python demo\nprint({n})\n```\n\n" for n in range(6))
    seen = []
    report = run_all(plan_jobs(demo_blocks(page)), DemoCache(), workers=3,
                     progress=lambda done, total: seen.append((done, total)))
    assert [o.result.stdout for o in report.outcomes] == [f"{n}\n" for n in range(6)]
    assert seen[0] == (0, 6) and seen[-1] == (6, 6) and len(seen) == 7


# --- kb demo ----------------------------------------------------------------------------------

@pytest.fixture
def demo_base(tmp_path) -> Path:
    return Path(shutil.copytree(DEMO_BASE, tmp_path / "kb"))


def test_kb_demo_check_fails_naming_each_broken_demo_by_file_and_line(demo_base):
    result = run_kb("demo", "check", "--root", str(demo_base), "--json")
    assert result.exit_code == 1
    found = {(p["path"], p["line"], p["code"]) for p in json.loads(result.stdout)}
    assert found == {("concepts/failing.md", 6, "demo-failed"), ("concepts/looping.md", 6, "demo-timeout"),
                     ("concepts/hog.md", 6, "demo-memory")} | (
        set() if importlib.util.find_spec("matplotlib") else {("concepts/plotting.md", 6, "demo-failed")})
    text = run_kb("demo", "check", "--root", str(demo_base))
    assert text.exit_code == 1
    assert "concepts/failing.md:6: error demo-failed: demo failed: ZeroDivisionError: division by zero" in text.output
    assert "concepts/looping.md:6: error demo-timeout: demo timed out after 2 s" in text.output
    assert "checked 7 demo blocks: 0 run, 7 from the cache" in text.output  # the first run cached all


def test_kb_demo_check_passes_once_the_broken_demos_are_fixed(demo_base):
    for name in ("failing", "looping", "hog", "plotting"):
        (demo_base / f"concepts/{name}.md").unlink()
    (demo_base / "concepts/hidden.md").write_text("---\ntitle: H\n---\n```python demo tiemout=3\npass\n```\n")
    result = run_kb("demo", "check", "--root", str(demo_base))
    assert result.exit_code == 0, result.output
    assert "concepts/hidden.md:4: warning demo-option: unknown demo option 'tiemout=3'" in result.output
    assert "checked 4 demo blocks: 4 run, 0 from the cache, 0 failed" in result.output


def test_kb_demo_run_shows_one_notes_output_and_fails_on_an_error(demo_base):
    result = run_kb("demo", "run", "printing", "--root", str(demo_base))
    assert result.exit_code == 0, result.output
    assert "── concepts/printing.md:6: ok" in result.output
    assert "mean of 1..4 = 2.5" in result.output and "a warning on stderr" in result.output
    failing = run_kb("demo", "run", "failing", "--root", str(demo_base))
    assert failing.exit_code == 1
    assert "ZeroDivisionError: division by zero" in failing.output
    assert len(list((demo_base / ".kb-cache/demos").glob("*.json"))) == 2  # stored for the site


def test_kb_demo_run_says_what_is_wrong_with_its_argument(tmp_path):
    root = write_base(tmp_path / "kb", {"concepts/plain.md": "---\ntitle: Plain\n---\nNo demo.\n"})
    missing = run_kb("demo", "run", "nope", "--root", str(root))
    assert missing.exit_code == 1 and "no note with id 'nope'" in missing.output
    plain = run_kb("demo", "run", "plain", "--root", str(root))
    assert plain.exit_code == 1 and "concepts/plain.md: no demo" in plain.output
    assert os.listdir(root) == ["concepts"]  # nothing written


def test_a_demo_does_not_outlive_a_runner_that_dies(tmp_path):
    import signal
    import subprocess
    import sys

    pid_file = tmp_path / "demo.pid"
    demo = f"import os\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\nwhile True:\n    pass\n"
    runner = subprocess.Popen([sys.executable, "-c", "import sys\nfrom tooling.demos import run_blocks\n"
                               f"run_blocks([{demo!r}], [120])\n"], cwd=REPO)
    deadline = time.monotonic() + 30
    while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    pid = int(pid_file.read_text())
    runner.send_signal(signal.SIGKILL)  # no chance to clean up
    runner.wait()
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid), "the demo kept running after its runner died"
