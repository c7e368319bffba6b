"""Benchmark the study tracker's commands against `kb check` on the same synthetic base (issue 11).

Targets, as ratios to a baseline measured in the same run, on 5,000 notes (CLI processes):
  kb next, kb report --format json, kb query   at most 2x    kb check
  kb next --plan P (with its gap suggestions)  at most 1.5x  kb check
  a GROUP BY query with file.inlinks           at most 1.5x  kb check
  kb mark                                      at most 0.5x  kb check
  kb build with 20 kb-query blocks             at most 1.05x kb build of the same base without them
  kb build with the dashboard                  at most 1.05x kb build without it (the same pages
                                               without what next and plan gaps)

The base is `synth.py`'s, plus what the tracker reads: a plan with a quota and a query, and a
review log of 500 reviews. Runs are interleaved and each keeps its best: the machine is shared.
Builds use `--no-exec` (demos are the same in both and not what is measured).

    .venv/bin/python benchmarks/bench_study.py [N] [--no-site]     (default: 5000)
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from common import KB, report, run_child_cpu, scratch
from synth import generate

QUERY = ('TABLE title, year, status FROM papers WHERE status = "to-read" AND contains(tags, "interp") '
         "SORT year DESC LIMIT 10")
GROUPED = ('TABLE length(rows) AS "papers", sum(rows.cited) AS "cited by" FROM papers '
           "FLATTEN length(file.inlinks) AS cited GROUP BY year SORT key DESC")
# The build without the new dashboard: the same pages, plan progress included, but no ranking of
# what next (home, reading lists, plan pages) and no gaps with candidates.
WITHOUT_DASHBOARD = """
import sys
from tooling.site import pages, study
from tooling.study import gaps
pages.ranked = lambda kb, today: []
study.reading_order = lambda *args, **kwargs: []
gaps.plan_gaps = lambda *args, **kwargs: []
from tooling.cli import main
main(sys.argv[1:])
"""

BLOCKS = [
    'TABLE year, status FROM papers WHERE contains(tags, "interp") SORT year DESC LIMIT 20',
    'LIST FROM concepts WHERE status = "studying" SORT title LIMIT 20',
    'TABLE title, priority FROM papers WHERE priority = "high" AND year >= 2020 LIMIT 15',
    'LIST FROM papers WHERE links_to("concept00010")',
]


def tracker_files(root: Path) -> None:
    """A plan with groups, a quota and a query, and two groups short of members (gaps to fill); a
    review log of 500 reviews of 100 concepts."""
    (root / "notes" / "plan-bench.md").write_text(
        "---\ntitle: Bench plan\nkind: plan\ndue: 2030-01-01\nitems:\n"
        "  main: [concept00001, concept00002, paper00001]\n"
        "  interp:\n    quota: 5\n    query: FROM papers WHERE contains(tags, \"interp\") AND year >= 2023\n"
        "  short:\n    quota: 12\n    items: [paper00002, paper00003, paper00004]\n"
        "  tracks:\n    quota: 2\n    query: FROM papers WHERE contains(tags, \"nowhere\")\n"
        "---\nA plan.\n", encoding="utf-8")
    grades = ("good", "good", "hard", "again", "easy")
    lines = [f"2024-{1 + i // 60 % 12:02d}-{1 + i % 28:02d}T10:00:00Z {grades[i % 5]} concept{i % 100:05d}\n"
             for i in range(500)]
    (root / "notes" / "reviews.log").write_text("".join(lines), encoding="utf-8")


def with_query_blocks(source: Path, target: Path, count: int = 20) -> None:
    """The same base, with a kb-query block appended to `count` notes."""
    shutil.copytree(source, target)
    notes = sorted((target / "notes").glob("note*.md"))[:count]
    for number, note in enumerate(notes):
        with note.open("a", encoding="utf-8") as handle:
            handle.write(f"\n```kb-query\n{BLOCKS[number % len(BLOCKS)]}\n```\n")


def queries_alone(root: Path) -> float:
    """What the blocks add to a build: running their queries, the links table they need
    included, once the base's table exists (the dashboard's own blocks build it in both builds)."""
    import time

    from tooling.base import open_base
    from tooling.study.query.blocks import body_blocks
    from tooling.study.query.engine import QueryEngine

    kb = open_base(root)
    texts = [b.text for note in kb.index.notes.values() for b in body_blocks(note.body)]
    times = []
    for _ in range(3):
        engine = QueryEngine(kb)
        engine.run("LIST LIMIT 1")
        start = time.perf_counter()
        for text in texts:
            engine.run(text)
        times.append(time.perf_counter() - start)
    return min(times)


def site_figures(work: Path, root: Path, n: int) -> None:
    """Builds: with and without 20 kb-query blocks; with and without the dashboard."""
    blocks = work / "kb-blocks"
    with_query_blocks(root, blocks)
    build = ["build", "--no-exec", "-d"]
    plain_runs, block_runs, bare_runs = [], [], []
    for _ in range(3):
        plain_runs.append(run_child_cpu([KB, *build, str(work / "s1"), "--root", str(root)]))
        block_runs.append(run_child_cpu([KB, *build, str(work / "s2"), "--root", str(blocks)]))
        bare_runs.append(run_child_cpu([sys.executable, "-c", WITHOUT_DASHBOARD, *build, str(work / "s3"),
                                        "--root", str(root)]))
    plain, block, bare = min(plain_runs), min(block_runs), min(bare_runs)
    plain_cpu, block_cpu, bare_cpu = (min(r[1] for r in runs) for runs in (plain_runs, block_runs, bare_runs))
    rendered = sum("kb-query-result" in p.read_text(encoding="utf-8")
                   for p in (work / "s2" / "notes").glob("note*/index.html"))
    extra = queries_alone(blocks)
    report(f"kb build, {n} notes (best of 3)", [
        ("without kb-query blocks", f"{plain[0]:.1f} s, exit {plain[3]}"),
        ("with 20 kb-query blocks", f"{block[0]:.1f} s, exit {block[3]}, {rendered} blocks rendered"),
        ("ratio, wall time", f"{block[0] / plain[0]:.3f}x  (target <= 1.05x)"),
        ("ratio, CPU time", f"{block_cpu / plain_cpu:.3f}x  ({plain_cpu:.1f} s vs {block_cpu:.1f} s; "
                            "less disturbed by other load)"),
        ("the 20 queries alone", f"{extra:.3f} s = {extra / plain[0]:.4f} of the build without "
                                 "them (the build's noise is larger)"),
    ])
    report(f"kb build with the dashboard, {n} notes (best of 3)", [
        ("without the dashboard", f"{bare[0]:.1f} s, exit {bare[3]}"),
        ("with the dashboard", f"{plain[0]:.1f} s, exit {plain[3]}"),
        ("ratio, wall time", f"{plain[0] / bare[0]:.3f}x  (target <= 1.05x)"),
        ("ratio, CPU time", f"{plain_cpu / bare_cpu:.3f}x  ({bare_cpu:.1f} s vs {plain_cpu:.1f} s)"),
    ])


def best(runs: dict[str, list[float]], name: str) -> float:
    return min(runs[name])


def main(n: int, site: bool, repeats: int = 5) -> None:
    kb = KB
    work = scratch(f"kb-study-{n}-")
    try:
        root = work / "kb"
        generate(root, n)
        tracker_files(root)
        commands = {
            "kb check": [kb, "check", "--root", str(root)],
            "kb next": [kb, "next", "--root", str(root)],
            "kb report --format json": [kb, "report", "--format", "json", "--root", str(root)],
            "kb query": [kb, "query", QUERY, "--root", str(root)],
            "kb next --plan (with gaps)": [kb, "next", "--plan", "plan-bench", "--root", str(root)],
            "kb query GROUP BY file.inlinks": [kb, "query", GROUPED, "--root", str(root)],
        }
        runs: dict[str, list[float]] = {name: [] for name in [*commands, "kb mark"]}
        cpus: dict[str, list[float]] = {name: [] for name in runs}
        codes: dict[str, int] = {}
        for attempt in range(repeats):
            for name, argv in commands.items():
                wall, cpu, _, codes[name] = run_child_cpu(argv)
                runs[name].append(wall)
                cpus[name].append(cpu)
            status = ("reading", "read")[attempt % 2]  # a real edit every time
            wall, cpu, _, codes["kb mark"] = run_child_cpu([kb, "mark", "paper00001", status, "--date",
                                                            "2024-11-05", "--root", str(root)])
            runs["kb mark"].append(wall)
            cpus["kb mark"].append(cpu)
        check, check_cpu = best(runs, "kb check"), best(cpus, "kb check")
        rows = [("kb check (baseline)", f"{check:.3f} s ({check_cpu:.3f} s CPU), exit {codes['kb check']}")]
        for name, target in (("kb next", 2), ("kb report --format json", 2), ("kb query", 2),
                             ("kb next --plan (with gaps)", 1.5), ("kb query GROUP BY file.inlinks", 1.5),
                             ("kb mark", 0.5)):
            took, cpu = best(runs, name), best(cpus, name)
            rows.append((name, f"{took:.3f} s = {took / check:.2f}x kb check, CPU {cpu / check_cpu:.2f}x  "
                               f"(target <= {target}x), exit {codes[name]}"))
        report(f"study commands, {n} notes (best of {repeats})", rows)

        if site:
            site_figures(work, root, n)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 5000, site="--no-site" not in sys.argv)
