"""Benchmark the demos: build-time execution and the in-browser Run.

Build (a copy of the shipped base, each build a fresh process, the kb plugin's own tally of what
ran printed by the child):
- cold: no cache, every demo runs once, in parallel;
- warm: the same again, zero demos run; target <= 1.1x a `--no-exec` build;
- baselines, measured alternately with warm builds: `--no-exec` with the cache (same output
  shown) and `--no-exec` without it (no demo output at all: the bare site).

Browser (headless Debian chromium, the cold build served on 127.0.0.1 with `kb serve`'s isolation
headers): time from the Run click to the finished output, measured in the page. First Run, three
ways: as a reader clicks (the pointer comes within 240 px of Run, which starts loading Python,
LEAD seconds before the click: target median < 3 s), clicked at once (the pointer jumps onto Run
and clicks), and on the next page of the same browser (the runtime in its cache). Then the second
Run (target < 0.1 s). A fresh browser context per page, except for the next-page figure.

    .venv/bin/python benchmarks/bench_demos.py [--repeats N] [--pages N] [--site BUILT_SITE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from common import ROOT, report, scratch

TIMING = """
window.kbTiming = {};
document.addEventListener("click", (event) => {
  if (event.target.dataset && event.target.dataset.kbAction === "run") {
    window.kbTiming = {start: performance.now()};
  }
}, true);
new MutationObserver(() => {
  const t = window.kbTiming;
  const live = document.querySelector('[data-kb-output="live"]');
  if (t.start && !t.end && live && !document.querySelector(".kb-demo-status")) {
    t.end = performance.now();
    t.python = 1000 * parseFloat(live.dataset.kbSeconds || "0");  // the demo's own run time
  }
}).observe(document, {subtree: true, childList: true});
"""


def child_build(root: str, out: str, execute: bool) -> None:
    """In a fresh process: one real MkDocs build; print what the kb plugin ran."""
    from mkdocs.commands.build import build

    from tooling.site.build import site_config

    config = site_config(Path(root), Path(out), execute=execute)
    build(config)
    tally = config.plugins["kb"].demos
    print(json.dumps({"executed": tally.executed, "from_cache": tally.from_cache,
                      "not_run": tally.not_run, "failed": tally.failed}))


def timed_build(root: Path, out: Path, execute: bool = True) -> tuple[float, dict]:
    argv = [sys.executable, __file__, "--child", str(root), str(out), "1" if execute else "0"]
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return wall, json.loads(done.stdout.strip().splitlines()[-1])


def builds(root: Path, work: Path, repeats: int) -> Path:
    cold_site = work / "cold"
    cold, cold_tally = timed_build(root, cold_site)
    warm_runs, cached_runs, bare_runs, warm_tally = [], [], [], {}
    for _ in range(repeats):  # alternate: the machine's load varies
        wall, warm_tally = timed_build(root, work / "warm")
        warm_runs.append(wall)
        cached_runs.append(timed_build(root, work / "noexec", execute=False)[0])
        moved = root / ".kb-cache-away"
        (root / ".kb-cache").rename(moved)
        try:
            bare_runs.append(timed_build(root, work / "bare", execute=False)[0])
        finally:
            moved.rename(root / ".kb-cache")
    warm, cached, bare = min(warm_runs), min(cached_runs), min(bare_runs)
    total = cold_tally["executed"] + cold_tally["from_cache"] + cold_tally["not_run"]
    report(f"kb build of the shipped base ({total} demo blocks, {os.cpu_count()} cores, "
           f"best of {repeats})", [
        ("cold build", f"{cold:.2f} s, {cold_tally['executed']} demos executed, "
                       f"{cold_tally['failed']} failed"),
        ("warm rebuild", f"{warm:.2f} s, {warm_tally['executed']} demos executed"),
        ("--no-exec, with cache", f"{cached:.2f} s"),
        ("--no-exec, no cache", f"{bare:.2f} s (no demo output at all)"),
        ("warm / --no-exec with cache", f"{warm / cached:.2f}x  (target <= 1.1x)"),
        ("warm / --no-exec no cache", f"{warm / bare:.2f}x  (for information: that build shows no demo output)"),
        ("cold - warm", f"{cold - warm:.2f} s spent running demos"),
    ])
    return cold_site


# Seconds between the pointer coming within 240 px of the buttons (where demo.js starts loading
# Python) and the click: about the time a hand takes to move the pointer that far onto a button
# (Fitts's law: 0.1 s + 0.15 s a bit, log2(240 / 50 + 1) = 2.5 bits).
LEAD = 0.5

NEAR = """() => { const bar = document.querySelector('.kb-demo-bar').getBoundingClientRect();
  return [bar.left + bar.width / 2, Math.max(1, bar.top - 230)]; }"""


def first_run(page, lead: float | None) -> float:
    """Seconds from the click on Run to its output; `lead`: the pointer comes near Run that long
    before the click (None: it jumps onto Run and clicks at once)."""
    page.locator(".kb-demo-bar").first.scroll_into_view_if_needed()
    if lead is not None:
        page.mouse.move(*page.evaluate(NEAR))
        page.wait_for_timeout(lead * 1000)
    page.click('[data-kb-action="run"]')
    page.wait_for_function("() => window.kbTiming.end", timeout=60_000)
    return page.evaluate("window.kbTiming.end - window.kbTiming.start") / 1000


def browser(site: Path, pages: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from site_helpers import chromium, serve

    if not (site / "assets/vendor/pyodide/pyodide.asm.wasm").is_file():
        print("\n(browser part skipped: run `python -m tooling.site.vendor pyodide` first)")
        return
    server, base = serve(site, isolated=True)
    concepts = sorted(p.parent.name for p in (site / "concepts").glob("*/index.html")
                      if 'class="kb-demo"' in p.read_text(encoding="utf-8"))[:pages + 1]
    first, at_once, next_page, second, python, hosts = [], [], [], [], [], set()
    with chromium() as chrome:
        def open_page(context, concept):
            page = context.new_page()
            page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
            page.goto(f"{base}concepts/{concept}/")
            page.wait_for_load_state("networkidle")
            return page

        for number, concept in enumerate(concepts[:-1]):
            context = chrome.new_context()
            context.add_init_script(TIMING)
            page = open_page(context, concept)
            first.append(first_run(page, LEAD))
            page.click('[data-kb-action="run"]')
            page.wait_for_function("() => window.kbTiming.end", timeout=60_000)
            second.append(page.evaluate("window.kbTiming.end - window.kbTiming.start") / 1000)
            python.append(page.evaluate("window.kbTiming.python") / 1000)
            if page.locator('[data-kb-output="live"] .kb-demo-error').count():
                print(f"  ({concept}: the demo failed in the browser)")
            page.close()
            next_page.append(first_run(open_page(context, concepts[number + 1]), LEAD))
            context.close()
            context = chrome.new_context()
            context.add_init_script(TIMING)
            at_once.append(first_run(open_page(context, concept), None))
            context.close()
    server.shutdown()
    report(f"Run in headless chromium, {len(concepts) - 1} concept pages, served on 127.0.0.1", [
        ("first Run -> output", f"median {statistics.median(first):.2f} s, max {max(first):.2f} s"
                                f"  (target < 3 s; the pointer near Run {LEAD} s before the click)"),
        ("  clicked at once", f"median {statistics.median(at_once):.2f} s, max {max(at_once):.2f} s"
                              "  (the pointer jumps onto Run: Python loads after the click)"),
        ("  on the next page", f"median {statistics.median(next_page):.2f} s, max {max(next_page):.2f} s"
                               "  (same browser: the runtime comes from its cache)"),
        ("second Run -> output", f"median {1000 * statistics.median(second):.0f} ms, "
                                 f"max {1000 * max(second):.0f} ms  (target < 100 ms)"),
        ("  of which the demo's Python", f"median {1000 * statistics.median(python):.0f} ms "
                                         "(measured in the worker)"),
        ("  the runner's own share", "median {:.0f} ms, max {:.0f} ms".format(
            *(1000 * f([t - p for t, p in zip(second, python)]) for f in (statistics.median, max)))),
        ("hosts contacted", ", ".join(sorted(h for h in hosts if h))),
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pages", type=int, default=5)
    parser.add_argument("--site", type=Path, help="only the browser part, on this built site")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_build(args.child[0], args.child[1], args.child[2] == "1")
        return
    if args.site:
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        browser(args.site, args.pages)
        print(f"\nload average after: {os.getloadavg()[0]:.1f}")
        return
    work = scratch("kb-bench-demos-")
    try:
        root = work / "kb"
        for folder in ("papers", "concepts", "notes"):
            shutil.copytree(ROOT / folder, root / folder)
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
              "(other work on the machine slows both parts)")
        site = builds(root, work, args.repeats)
        browser(site, args.pages)
        print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
