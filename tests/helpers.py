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


def meta_of(note: str | Path) -> dict:
    """The front matter of a note's text (or of the file at a path), parsed as every stage does."""
    from tooling.notes.frontmatter import parse_yaml, split

    parts = split(note.read_text(encoding="utf-8") if isinstance(note, Path) else note)
    return parse_yaml(parts.yaml_text or "", parts.yaml_line)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root`, hidden ones included, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def copy_shipped(root: Path) -> Path:
    """A copy of the shipped notes (papers, concepts, notes) under `root`."""
    import shutil

    for folder in ("papers", "concepts", "notes"):
        shutil.copytree(REPO / folder, root / folder)
    return root
