"""Benchmark `kb build` against a bare mkdocs-material build of the same Markdown files.

Baseline: the same note files copied into a docs folder, built by mkdocs-material with the same
Markdown extensions, the search plugin and a fixed one-entry nav (no kb plugin). Targets (issue 12):
our build at most 1.3x the baseline at 2,000 notes, linear growth to 5,000 notes (time per note
roughly constant); `kb serve` from saving a note to the rebuilt page at most 0.15x a full build.
Also printed: one `git log` pass against a `git log` per file (the pages' dates), and, with
chromium, the bytes a first visit to a concept page transfers (and whether a page without math
asks for a KaTeX file).

    .venv/bin/python benchmarks/bench_site.py [N ...]     (default: 500 2000 5000)
    .venv/bin/python benchmarks/bench_site.py --serve 2000  (also: serve, dates, page weight)
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
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


def serve_figures(kb: str, root: Path, full: float) -> None:
    """Save one note under `kb serve`; time until the served page shows the new word."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([kb, "serve", "--root", str(root), "-a", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/papers/paper00001/"

    def page() -> str:
        try:
            return urllib.request.urlopen(url, timeout=5).read().decode()
        except OSError:
            return ""

    try:
        deadline = time.monotonic() + 600
        while "Synthetic paper 1 " not in page() and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(2)  # let the watcher settle after the first build
        note = root / "papers" / "paper00001.md"
        start = time.perf_counter()
        note.write_text(note.read_text() + "\nA new word: zanzibar.\n")
        while "zanzibar" not in page() and time.monotonic() < deadline:
            time.sleep(0.05)
        took = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    report("kb serve: save to rebuilt page", [("full build", f"{full:.1f} s"),
           ("save -> page", f"{took:.2f} s"), ("ratio", f"{took / full:.3f}x  (target <= 0.15x)")])


def dates_figures(root: Path) -> None:
    """The pages' dates: one `git log` for the base against one per note file."""
    from tooling.site.dates import git_dates

    git = ["git", "-C", str(root), "-c", "user.name=b", "-c", "user.email=b@b"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "notes"], check=True)
    start = time.perf_counter()
    found = git_dates(root)
    one = time.perf_counter() - start
    files = sorted(found)[:200]
    start = time.perf_counter()
    for rel in files:
        subprocess.run([*git, "log", "--format=%ct", "--", rel], capture_output=True, check=True)
    each = (time.perf_counter() - start) / len(files) * len(found)
    report("page dates from git", [("one git log pass", f"{one:.2f} s for {len(found)} files"),
           ("a git log per file", f"{each:.1f} s (extrapolated from {len(files)})"),
           ("ratio", f"{each / one:.0f}x")])


def weight_figures(site: Path) -> None:
    """Bytes a first visit to a concept page transfers, in chromium; KaTeX on a page without math."""
    if not Path("/usr/bin/chromium").exists():
        return
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from site_helpers import CHROMIUM, CHROMIUM_ARGS, serve

    server, url = serve(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            sizes: dict[str, int] = {}
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body()) if r.ok else 0))
            page.goto(url + "concepts/concept00003/")
            page.wait_for_load_state("networkidle")
            concept = sum(sizes.values())
            sizes.clear()
            page.goto(url + "papers/")
            page.wait_for_load_state("networkidle")
            katex = [u for u in sizes if "katex" in u]
            browser.close()
    finally:
        server.shutdown()
    report("page weight (uncompressed)", [
        ("first visit, concept page", f"{concept / 1e6:.2f} MB  (was 1.29 MB)"),
        ("KaTeX files on a page without math", f"{len(katex)}")])


def main(sizes: list[int], repeats: int = 2, extras: bool = False) -> None:
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
                ("ratio", f"{ours_t / bare_t:.2f}x  (target <= 1.3x)"),
                ("per note", f"{1000 * ours_t / n:.1f} ms (bare {1000 * bare_t / n:.1f} ms)"),
            ])
            if extras:
                serve_figures(kb, root, ours_t)
                dates_figures(root)
                weight_figures(work / "site")
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if len(per_note) > 1:
        smallest, largest = min(per_note), max(per_note)
        report("linearity", [("ms per note", ", ".join(f"{n}: {1000 * t:.1f}" for n, t in per_note.items())),
                             ("largest / smallest", f"{per_note[largest] / per_note[smallest]:.2f}  (1.0 = linear)")])


if __name__ == "__main__":
    extras = "--serve" in sys.argv
    main([int(a) for a in sys.argv[1:] if a != "--serve"] or [500, 2000, 5000], extras=extras)
