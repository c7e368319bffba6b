"""Small shared helpers for tests: write a knowledge base from a dict, run the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

from click.testing import CliRunner, Result

from tooling.cli import cli

REPO = Path(__file__).resolve().parent.parent


def write_base(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create `files` (relative path -> text, dedented, or raw bytes) under `root`."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def run_kb(*args: str) -> Result:
    """Run `kb ARGS` in-process through click, as a user would from a terminal."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def check_json(root: Path) -> list[dict]:
    result = run_kb("check", "--root", str(root), "--json")
    return json.loads(result.output)


def codes(problems: list[dict]) -> list[tuple[str, int, str]]:
    """(path, line, code) triples: what most check tests pin."""
    return [(p["path"], p["line"], p["code"]) for p in problems]


def kb_process(*args: object, timeout: float = 60, **env: str) -> subprocess.CompletedProcess[str]:
    """`kb ARGS` in its own process (with `env` added to the environment), so a hang is a failed
    test rather than a stuck suite and a crash shows as it would to a user."""
    return subprocess.run([sys.executable, "-m", "tooling.cli", *map(str, args)], capture_output=True,
                          text=True, errors="replace", timeout=timeout, cwd=REPO,
                          env={**os.environ, **env})
