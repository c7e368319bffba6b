"""Benchmark `kb check` against a bare baseline on the same synthetic base.

Baseline: read every note file and parse its front matter with libyaml's CSafeLoader, nothing else.
Target (issue 2): `kb check` at most 2x the baseline, peak memory under 300 MB, at 5,000 notes.

    .venv/bin/python benchmarks/bench_check.py [N ...]     (default: 5000)
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml
from common import KB, best_of, report, run_child, scratch
from synth import generate

from tooling.base import open_base
from tooling.checks import run_checks
from tooling.notes.files import note_files
from tooling.schema import NOTE_DIRS


def baseline(root: Path) -> None:
    for path in note_files(root, NOTE_DIRS).files:
        text = (root / path).read_text(encoding="utf-8")
        end = text.index("\n---", 3)
        yaml.load(text[4:end], Loader=yaml.CSafeLoader)


def check(root: Path) -> None:
    run_checks(open_base(root))


def main(sizes: list[int]) -> None:
    kb = KB
    for n in sizes:
        root = scratch(f"kb-bench-{n}-")
        try:
            generate(root, n)
            # Interleaved and repeated, each keeping its best run: this machine's load varies.
            base_t, check_t = float("inf"), float("inf")
            for _ in range(5):
                base_t = min(base_t, best_of(lambda: baseline(root), 1))
                check_t = min(check_t, best_of(lambda: check(root), 1))
            cli_t, peak_mb, code = run_child([kb, "check", "--root", str(root)])
            report(f"kb check, {n} notes", [
                ("baseline (read + CSafeLoader)", f"{base_t:.3f} s"),
                ("kb check (library)", f"{check_t:.3f} s"),
                ("ratio", f"{check_t / base_t:.2f}x  (target <= 2x)"),
                ("kb check (CLI process)", f"{cli_t:.3f} s, exit {code}"),
                ("peak memory (CLI)", f"{peak_mb:.0f} MB  (target < 300 MB)"),
            ])
        finally:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [5000])
