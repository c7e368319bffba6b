"""Benchmark `kb build` against a bare mkdocs-material build of the same Markdown files.

Baseline: the same note files copied into a docs folder, built by mkdocs-material with the same
Markdown extensions, the search plugin and a fixed one-entry nav (no kb plugin). The base is
`synth.py`'s with what feeds pages from afar (`bench_study`'s plan with a query group and 20
`kb-query` blocks). Targets (issue 18): a clean build (`kb build --clean`) at most 1.5x the
baseline at 2,000 notes, linear growth to 5,000 notes (time per note roughly constant); with the
previous build's cache, `kb build` after editing one note's body at most 0.3x the baseline, after
editing one paper's status (which feeds queries and the plan) at most 0.5x; `kb serve` from
saving a note to the rebuilt page at most 1.0 s at 2,000 notes.
Times are wall clock and CPU (user + system of the build process): on a shared machine the CPU
ratio is the steadier one. Bases and sites are written to /dev/shm when there is one
(`common.MEMORY`; KB_BENCH_DISK=1 for the disk). Also printed: one `git log` pass against a `git log` per file (the
pages' dates), and, with chromium, the bytes a first visit to a concept page transfers, request by
request (synthetic base and the shipped one).

    .venv/bin/python benchmarks/bench_site.py [N ...]     (default: 500 2000 5000)
    .venv/bin/python benchmarks/bench_site.py --serve 2000  (also: serve, dates, page weight)
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml
from bench_study import tracker_files, with_query_blocks
from common import BIN, KB, ROOT, report, run_child_cpu, run_child_output, scratch
from synth import generate

DEFAULTS = ROOT / "tooling" / "site" / "default-mkdocs.yml"
sys.path.insert(0, str(ROOT / "tests"))  # site_helpers: chromium, servers


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


def serve_figures(root: Path, full: float) -> None:
    """Save one note under `kb serve`; time until the served page shows the new word."""
    from site_helpers import kb_serve, poll

    with kb_serve(root) as served:
        url = served.url + "papers/paper00001/"
        if poll(url, "Synthetic paper 1 ", timeout=600, every=0.5)[0] is None:
            raise SystemExit("kb serve never served the first build")
        time.sleep(2)  # let the watcher settle after the first build
        note = root / "papers" / "paper00001.md"
        times = []
        for word in ("zanzibar", "quokka", "ptarmigan", "axolotl", "okapi"):
            start = time.perf_counter()
            note.write_text(note.read_text() + f"\nA new word: {word}.\n")
            if poll(url, word, timeout=120, every=0.05)[0] is None:
                raise SystemExit(f"kb serve never showed the edit ({word}) within 120 s")
            times.append(time.perf_counter() - start)
            time.sleep(1)
    took = statistics.median(times)
    report("kb serve: save to rebuilt page (5 saves; the watcher polls every 0.5 s)", [
        ("full build", f"{full:.1f} s"),
        ("save -> page", f"median {took:.2f} s (min {min(times):.2f}, max {max(times):.2f})"),
        ("ratio", f"{took / full:.3f}x a full build  (target: at most 1.0 s at 2,000 notes)")])


def dates_figures(root: Path) -> None:
    """The pages' dates: one `git log` for the base against one per note file."""
    from tooling.notes.dates import git_history

    git = ["git", "-C", str(root), "-c", "user.name=b", "-c", "user.email=b@b"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "notes"], check=True)
    start = time.perf_counter()
    found = git_history(root)
    one = time.perf_counter() - start
    files = sorted(found)[:200]
    start = time.perf_counter()
    for rel in files:
        subprocess.run([*git, "log", "--format=%ct", "--", rel], capture_output=True, check=True)
    each = (time.perf_counter() - start) / len(files) * len(found)
    report("page dates from git", [("one git log pass", f"{one:.2f} s for {len(found)} files"),
           ("a git log per file", f"{each:.1f} s (extrapolated from {len(files)})"),
           ("ratio", f"{each / one:.0f}x")])


def first_visit(site: Path, path: str) -> dict[str, int]:
    """Bytes of each response a first visit to `path` transfers (uncompressed), in chromium,
    once the page is idle and its graphs drawn."""
    from site_helpers import chromium, serve

    server, url = serve(site)
    sizes: dict[str, int] = {}
    try:
        with chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("response", lambda r: sizes.__setitem__(r.url[len(url) - 1:], len(r.body()) if r.ok else 0))
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1000)
    finally:
        server.shutdown()
    return sizes


def weight_figures(site: Path, path: str, label: str) -> None:
    """The bytes a first visit to a concept page transfers, request by request."""
    if not Path("/usr/bin/chromium").exists():
        return
    sizes = first_visit(site, path)
    rows = [(name, f"{size / 1e3:9.1f} kB") for name, size in sorted(sizes.items(), key=lambda kv: -kv[1])]
    rows.append(("total", f"{sum(sizes.values()) / 1e6:9.2f} MB in {len(sizes)} requests"))
    rows.append(("KaTeX files", f"{sum('katex' in u for u in sizes)} (the page {'has' if 'katex' in str(sizes) else 'has no'} math)"))
    report(f"page weight, first visit to {label} (uncompressed)", rows)


def edit_body(root: Path, word: str) -> None:
    """A sentence added to one paper's body: its own page changes, and nothing it links to."""
    note = root / "papers" / "paper00001.md"
    note.write_text(note.read_text(encoding="utf-8") + f"\nA word about {word}.\n", encoding="utf-8")


def edit_status(root: Path, status: str) -> None:
    """One paper's status set (through the field editor): its page, the pages listing it and
    those showing its status, the kb-query blocks and the plan group that read statuses."""
    from tooling.notes.editor import edit_file

    edit_file(root / "papers" / "paper00003.md", {"status": status}, root=root)


def incremental_figures(root: Path, site: Path, bare: tuple[float, float], repeats: int = 3) -> None:
    """`kb build` with the previous build's cache, after each kind of edit, against the bare build."""
    argv = [KB, "build", "--root", str(root), "-d", str(site)]
    run_child_cpu(argv)  # the cache now matches the base
    rows = []
    for label, edit, values, target in (
            ("one note's body", edit_body, ("quokka", "okapi", "axolotl", "zanzibar"), 0.3),
            ("one paper's status", edit_status, ("read", "to-read", "read", "to-read"), 0.5)):
        runs = []
        for value in values[:repeats]:
            edit(root, value)
            wall, cpu, _, code, out = run_child_output(argv)
            runs.append((wall, cpu, code, out.strip().splitlines()[-1] if out.strip() else ""))
        wall, cpu = min(r[0] for r in runs), min(r[1] for r in runs)
        rendered = re.search(r"\((\d+) of (\d+) pages rendered", runs[-1][3])
        rows.append((f"after editing {label}", f"{wall:.2f} s wall, {cpu:.2f} s CPU, exit {runs[-1][2]}, "
                     f"{rendered.group(1) if rendered else '?'} of {rendered.group(2) if rendered else '?'} "
                     f"pages rendered"))
        rows.append(("  ratio", f"{wall / bare[0]:.3f}x wall, {cpu / bare[1]:.3f}x CPU  (target <= {target}x)"))
    report("kb build with the previous build's cache", rows)


def timed(argv: list[str], output: Path) -> tuple[float, float, float, int]:
    """One build into an emptied folder (emptying it is not timed: on a disk that discards deleted
    blocks it takes as long as a build, and both builds would pay it)."""
    shutil.rmtree(output, ignore_errors=True)
    return run_child_cpu(argv)


def main(sizes: list[int], repeats: int = 3, extras: bool = False) -> None:
    kb = KB
    mkdocs = str(BIN / "mkdocs") if (BIN / "mkdocs").exists() else "mkdocs"
    print(f"load average before: {open('/proc/loadavg').read().split()[0]} on {os.cpu_count()} cores")
    per_note = {}
    for n in sizes:
        work = scratch(f"kb-site-{n}-")
        try:
            root = work / "kb"
            generate(root, n)
            tracker_files(root)
            with_query_blocks(root, work / "with-blocks")
            shutil.rmtree(root)
            (work / "with-blocks").rename(root)
            docs = work / "docs"
            for folder in ("papers", "concepts", "notes"):
                shutil.copytree(root / folder, docs / folder)
            # Alternate the two builds and keep each one's best: the machine's load varies.
            bare_runs, ours_runs = [], []
            for _ in range(repeats):
                bare_runs.append(timed([mkdocs, "build", "-q", "-f", str(bare_config(work, docs))],
                                       work / "bare-site"))
                ours_runs.append(timed([kb, "build", "--clean", "--root", str(root), "-d", str(work / "site")],
                                       work / "site"))
            bare_t, bare_cpu = min(r[0] for r in bare_runs), min(r[1] for r in bare_runs)
            ours_t, ours_cpu = min(r[0] for r in ours_runs), min(r[1] for r in ours_runs)
            peak, code, bare_code = max(r[2] for r in ours_runs), ours_runs[-1][3], bare_runs[-1][3]
            pages = sum(1 for _ in (work / "site").rglob("index.html"))
            per_note[n] = ours_t / n
            report(f"kb build, {n} notes ({pages} pages)", [
                ("bare mkdocs-material", f"{bare_t:.1f} s wall, {bare_cpu:.1f} s CPU, "
                                         f"{folder_mb(work / 'bare-site'):.0f} MB, exit {bare_code}"),
                ("kb build", f"{ours_t:.1f} s wall, {ours_cpu:.1f} s CPU, {folder_mb(work / 'site'):.0f} MB, "
                             f"exit {code}, peak {peak:.0f} MB"),
                ("ratio", f"{ours_t / bare_t:.2f}x wall, {ours_cpu / bare_cpu:.2f}x CPU  (target <= 1.5x)"),
                ("per note", f"{1000 * ours_t / n:.1f} ms (bare {1000 * bare_t / n:.1f} ms)"),
            ])
            incremental_figures(root, work / "site", (bare_t, bare_cpu))
            if extras:
                serve_figures(root, ours_t)
                dates_figures(root)
                weight_figures(work / "site", "concepts/concept00003/", f"a concept page, {n} synthetic notes")
                shipped = work / "shipped-site"
                run_child_cpu([kb, "build", "--root", str(ROOT), "-d", str(shipped)])
                weight_figures(shipped, "concepts/activation-patching/", "a concept page of the shipped base")
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if len(per_note) > 1:
        smallest, largest = min(per_note), max(per_note)
        report("linearity", [("ms per note", ", ".join(f"{n}: {1000 * t:.1f}" for n, t in per_note.items())),
                             ("largest / smallest", f"{per_note[largest] / per_note[smallest]:.2f}  (1.0 = linear)")])
    print(f"load average after: {open('/proc/loadavg').read().split()[0]}")


if __name__ == "__main__":
    extras = "--serve" in sys.argv
    main([int(a) for a in sys.argv[1:] if a != "--serve"] or [500, 2000, 5000], extras=extras)
