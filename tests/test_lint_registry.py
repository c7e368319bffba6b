"""`kb check`'s checks and the problem catalogue are written out in one module (`tooling.lint`):
nothing a command reports is missing from `kb check --explain`, whatever was imported first, and
no check function is left out of the list."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from pathlib import Path

import tooling
from tooling import checks as core
from tooling import lint
from tooling.study import checks as study

SOURCE = Path(tooling.__file__).parent


def test_every_code_written_in_the_source_is_in_the_catalogue_of_a_fresh_process():
    written = set()
    for path in SOURCE.rglob("*.py"):
        written |= set(re.findall(r'(?:\bdefine|@check)\(\s*"([a-z0-9-]+)"', path.read_text(encoding="utf-8")))
    assert len(written) > 40
    shown = subprocess.run(
        [sys.executable, "-c", "from tooling.lint import catalog; print('\\n'.join(catalog()))"],
        capture_output=True, text=True, check=True).stdout.split()
    assert written - set(shown) == set()


def test_every_check_function_is_run_by_kb_check():
    marked = {func for module in (core, study) for _, func in inspect.getmembers(module, inspect.isfunction)
              if hasattr(func, "code") and func.__module__ == module.__name__}
    assert marked == set(lint.CHECKS)
    assert len({lint.code_of(check) for check in lint.CHECKS}) == len(lint.CHECKS)


def test_the_checks_do_not_import_each_other():
    for module, other in ((core, "study"), (study, "tooling.checks")):
        text = Path(module.__file__).read_text(encoding="utf-8")
        assert not re.search(rf"^from \S*{re.escape(other.split('.')[-1])} import|^import \S*{other}",
                             text, re.MULTILINE), module.__name__
