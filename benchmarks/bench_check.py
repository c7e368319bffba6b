"""Benchmark `kb check` against a bare baseline on the same synthetic base.

Baseline: read every note file and parse its front matter with libyaml's CSafeLoader, nothing else.
Targets, at 5,000 notes: on the dense synthetic base, `kb check` at most 1.8x the baseline; on a
base where most notes carry code blocks and inline code (`synth.generate(code=True)`), at most 2x
(the one reading of Markdown must cost no more than the scanners it replaced); peak memory under
300 MB.

    .venv/bin/python benchmarks/bench_check.py [N ...]     (default: 5000)
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml
from common import KB, best_of, report, run_child, scratch
from synth import generate

from tooling.base import open_base, release
from tooling.lint import run_checks
from tooling.notes.files import note_files
from tooling.schema import NOTE_DIRS


def baseline(root: Path) -> None:
    for path in note_files(root, NOTE_DIRS).files:
        text = (root / path).read_text(encoding="utf-8")
        end = text.index("\n---", 3)
        yaml.load(text[4:end], Loader=yaml.CSafeLoader)


def check(root: Path) -> None:
    run_checks(open_base(root, lasting=True))
    release()  # as every `kb` command ends (tooling.cli)


def main(sizes: list[int]) -> None:
    for n in sizes:
        for code, target in ((False, 1.8), (True, 2.0)):
            measure(n, code, target)


def measure(n: int, code: bool, target: float) -> None:
    root = scratch(f"kb-bench-{n}-")
    try:
        generate(root, n, code=code)
        # Interleaved and repeated, each keeping its best run: this machine's load varies.
        base_t, check_t = float("inf"), float("inf")
        for _ in range(5):
            base_t = min(base_t, best_of(lambda: baseline(root), 1))
            check_t = min(check_t, best_of(lambda: check(root), 1))
        cli_t, peak_mb, exit_code = run_child([KB, "check", "--root", str(root)])
        report(f"kb check, {n} notes{', most with code blocks' if code else ''}", [
            ("baseline (read + CSafeLoader)", f"{base_t:.3f} s"),
            ("kb check (library)", f"{check_t:.3f} s"),
            ("ratio", f"{check_t / base_t:.2f}x  (target <= {target:g}x)"),
            ("kb check (CLI process)", f"{cli_t:.3f} s, exit {exit_code}"),
            ("peak memory (CLI)", f"{peak_mb:.0f} MB  (target < 300 MB)"),
        ])
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [5000])
