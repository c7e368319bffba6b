"""`kb import` names the pages the hidden-path rule leaves out (issue 17: `..md` and `...md` were
skipped without a word)."""

from __future__ import annotations

import re

from helpers import run_kb, write_base


def test_hidden_pages_are_named_as_skipped(tmp_path):
    export = write_base(tmp_path / "export", {"..md": "two dots\n", "...md": "three dots\n",
                                              "sub/.draft.md": "a draft\n", "fine.md": "A page.\n",
                                              ".obsidian/app.json": "{}"})
    result = run_kb("import", str(export), "--root", str(tmp_path / "kb"), "--dry-run")
    assert result.exit_code == 0, result.output
    skipped = [line for line in result.output.splitlines() if "a hidden file" in line]
    assert [line.split()[3] for line in skipped] == [f"{export}/...md", f"{export}/..md",
                                                     f"{export}/sub/.draft.md"]
    assert re.search(r"would create note +notes/(export/)?fine\.md", result.output)
