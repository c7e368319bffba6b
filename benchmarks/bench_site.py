"""Benchmark `kb build` against a bare mkdocs-material build of the same Markdown files.

Baseline: the same note files copied into a docs folder, built by mkdocs-material with the same
Markdown extensions, the search plugin and a fixed one-entry nav (no kb plugin). Targets (issue 5):
our build at most 1.5x the baseline, the site at most 60 MB at 2,000 notes, and linear growth from
500 to 2,000 to 5,000 notes (time per note roughly constant).

    .venv/bin/python benchmarks/bench_site.py [N ...]     (default: 500 2000 5000)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import yaml
from common import ROOT, report, run_child
from synth import generate

DEFAULTS = ROOT / "tooling" / "site" / "default-mkdocs.yml"


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def bare_config(work: Path, docs: Path) -> Path:
    ours = yaml.safe_load(DEFAULTS.read_text())
    first = next(iter(sorted((docs / "papers").glob("*.md"))))
    config = {
        "site_name": "bare", "docs_dir": str(docs), "site_dir": str(work / "bare-site"),
        "theme": {"name": "material", "font": False},
        "plugins": ["search"],
        "nav": [{"Home": first.relative_to(docs).as_posix()}],
        "validation": {"nav": {"omitted_files": "ignore"}, "links": {"not_found": "ignore",
                                                                    "unrecognized_links": "ignore"}},
        "markdown_extensions": ours["markdown_extensions"],
    }
    path = work / "bare.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def main(sizes: list[int], repeats: int = 2) -> None:
    bin_dir = ROOT / ".venv" / "bin"
    kb = str(bin_dir / "kb") if (bin_dir / "kb").exists() else "kb"
    mkdocs = str(bin_dir / "mkdocs") if (bin_dir / "mkdocs").exists() else "mkdocs"
    per_note = {}
    for n in sizes:
        work = Path(tempfile.mkdtemp(prefix=f"kb-site-{n}-"))
        try:
            root = work / "kb"
            generate(root, n)
            docs = work / "docs"
            for folder in ("papers", "concepts", "notes"):
                shutil.copytree(root / folder, docs / folder)
            # Alternate the two builds and keep each one's best: the machine's load varies.
            bare_runs, ours_runs = [], []
            for _ in range(repeats):
                bare_runs.append(run_child([mkdocs, "build", "-q", "-f", str(bare_config(work, docs))]))
                ours_runs.append(run_child([kb, "build", "--root", str(root), "-d", str(work / "site")]))
            bare_t, _, bare_code = min(bare_runs)
            ours_t, peak, code = min(ours_runs)
            pages = sum(1 for _ in (work / "site").rglob("index.html"))
            per_note[n] = ours_t / n
            report(f"kb build, {n} notes ({pages} pages)", [
                ("bare mkdocs-material", f"{bare_t:.1f} s, {folder_mb(work / 'bare-site'):.0f} MB, exit {bare_code}"),
                ("kb build", f"{ours_t:.1f} s, {folder_mb(work / 'site'):.0f} MB, exit {code}, peak {peak:.0f} MB"),
                ("ratio", f"{ours_t / bare_t:.2f}x  (target <= 1.5x)"),
                ("per note", f"{1000 * ours_t / n:.1f} ms (bare {1000 * bare_t / n:.1f} ms)"),
            ])
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if len(per_note) > 1:
        smallest, largest = min(per_note), max(per_note)
        report("linearity", [("ms per note", ", ".join(f"{n}: {1000 * t:.1f}" for n, t in per_note.items())),
                             ("largest / smallest", f"{per_note[largest] / per_note[smallest]:.2f}  (1.0 = linear)")])


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [500, 2000, 5000])
