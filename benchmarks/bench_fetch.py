"""Benchmark `kb fetch` on 250 papers against the fake arXiv server (no network).

    .venv/bin/python benchmarks/bench_fetch.py              # delay 0
    .venv/bin/python benchmarks/bench_fetch.py --real-delay # also one run with arXiv's 3 s delay

Run 1 fills every note's metadata (cold cache), run 2 is the same fetch again the same day (warm
cache), run 3 is `--refresh` after arXiv published a new version of every paper. The baseline is
one bare `arxiv.Client` fetch of the same 250 ids in one process.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import arxiv
from fakearxiv import FakeArxiv

from tooling.arxiv import http as arxiv_api
from tooling.cli import main

COUNT = 250


def make_base(root: Path, fake: FakeArxiv) -> list[str]:
    """250 hand-written paper notes (title, arxiv id, status, a line of notes)."""
    ids = []
    (root / "papers").mkdir(parents=True)
    for n in range(1, COUNT + 1):
        ident = f"2101.{n:05d}"
        fake.add(ident, title=f"Paper number {n}", authors=[f"Author {n}", "Second Author"],
                 published="2021-01-05T10:00:00Z", categories=["cs.LG", "stat.ML"])
        (root / "papers" / f"paper{n}.md").write_text(
            f'---\ntitle: Paper number {n}\narxiv: "{ident}"\nstatus: to-read\n---\n\nMy notes.\n')
        ids.append(ident)
    return ids


def kb_fetch(root: Path, fake: FakeArxiv, *extra: str) -> tuple[int, int, float]:
    """(requests seen by the server, exit code, seconds) of one in-process `kb fetch`."""
    arxiv_api.reset()  # each `kb fetch` is its own process: its own client and spacing
    before = len(fake.requests)
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            main(["fetch", "--root", str(root), *extra])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    return len(fake.requests) - before, code, time.perf_counter() - start


def bare_client(fake: FakeArxiv, ids: list[str], delay: float) -> tuple[int, float]:
    """The same ids with the arxiv package alone: one Search, paged 100 at a time."""
    before = len(fake.requests)
    client = arxiv.Client(page_size=100, delay_seconds=delay, num_retries=0)
    client.query_url_format = fake.url + "?{}"
    start = time.perf_counter()
    results = list(client.results(arxiv.Search(id_list=ids, max_results=None)))
    elapsed = time.perf_counter() - start
    assert len(results) == len(ids)
    return len(fake.requests) - before, elapsed


def run(delay: str) -> None:
    os.environ["KB_ARXIV_DELAY"] = delay
    with tempfile.TemporaryDirectory() as tmp, FakeArxiv() as fake:
        os.environ["KB_ARXIV_API_URL"] = fake.url
        arxiv_api.reset()
        root = Path(tmp) / "kb"
        ids = make_base(root, fake)
        base_requests, base_time = bare_client(fake, ids, float(delay))
        rows = [("bare arxiv.Client, same 250 ids", base_requests, 0, base_time)]
        rows.append(("kb fetch #1 (cold cache, fills 250 notes)", *kb_fetch(root, fake)))
        rows.append(("kb fetch #2 (same day, cache)", *kb_fetch(root, fake)))
        for ident in ids:
            fake.revise(ident, title=f"Revised {ident}", journal_ref="Journal of Benchmarks")
        rows.append(("kb fetch #3 --refresh (250 new versions)", *kb_fetch(root, fake, "--refresh")))
    print(f"\nKB_ARXIV_DELAY={delay} s, {COUNT} papers, fake arXiv on 127.0.0.1")
    print(f"{'run':44} {'requests':>8} {'exit':>4} {'seconds':>8} {'vs bare':>8}")
    for name, requests, code, seconds in rows:
        print(f"{name:44} {requests:8d} {code:4d} {seconds:8.3f} {seconds / base_time:7.1f}x")


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real-delay", action="store_true",
                        help="also run with arXiv's 3 s delay (about 7 s more)")
    args = parser.parse_args()
    run("0")
    if args.real_delay:
        run("3")


if __name__ == "__main__":
    cli()
