"""Benchmark the citation graph and library imports (issue 21), against baselines of the same run.

Targets:
  kb fetch --references, 250 papers     at most 6 requests to the fake OpenAlex; 0 on a rerun
  kb suggest, dense 5,000-note base     at most 1.5x kb check of the same base
                                        (stored references for every paper)
  kb import of a 2,000-entry .bib       at most 2x kb check of the result

The fetch runs in-process against the fake OpenAlex (tests/fakesources.py) with no delay; the
others are CLI processes, interleaved, each keeping its best wall time (the machine is shared).

    .venv/bin/python benchmarks/bench_sources.py [N]      (default: 5000 notes for kb suggest)
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import sys
import time
from pathlib import Path

from common import KB, ROOT, report, run_child, scratch
from synth import generate

sys.path.insert(0, str(ROOT / "tests"))

PAPERS = 250
REFERENCES = 40  # per paper, a typical ML paper's count


def fetch_references_requests() -> list[tuple[str, str]]:
    """250 papers with DOIs, each citing REFERENCES works of a shared pool, against the fake."""
    from fakesources import FakeOpenAlex

    from tooling.cli import main
    from tooling.sources import http

    rng = random.Random(0)
    work = scratch("kb-refs-")
    root = work / "kb"
    (root / "papers").mkdir(parents=True)
    rows = []
    with FakeOpenAlex() as fake:
        os.environ.update(KB_OPENALEX_URL=fake.url, KB_OPENALEX_DELAY="0")
        pool = [f"W{3000000 + n}" for n in range(3000)]
        for n in range(PAPERS):
            doi = f"10.5555/bench.{n}"
            fake.add(f"W{2000000 + n}", doi=doi, title=f"Paper {n}", authors=["A. Author"],
                     year=2020, references=rng.sample(pool, REFERENCES))
            (root / "papers" / f"p{n}.md").write_text(f"---\ntitle: Paper {n}\ndoi: {doi}\n---\n",
                                                      encoding="utf-8")
        for work_id in pool:
            fake.add(work_id, title=f"Cited {work_id}", authors=["B. Author"], year=2018)
        for run in ("first run", "rerun (same day)", "rerun (stored: any day)"):
            http.reset()
            before = len(fake.requests)
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                try:
                    main(["fetch", "--references", "--root", str(root)])
                except SystemExit:
                    pass
            took = time.perf_counter() - start
            asked = len(fake.requests) - before
            if run == "rerun (same day)":
                for cached in (root / ".kb-cache" / "openalex").glob("*.json"):
                    cached.unlink()  # the day's cache gone: only the stored references remain
            rows.append((f"kb fetch --references, {PAPERS} papers, {run}",
                         f"{asked} requests (target <= {6 if run == 'first run' else 0}), {took:.2f} s"))
    return rows


def stored_references(root: Path, seed: int = 1) -> int:
    """A store giving every paper of the synthetic base REFERENCES cited works: most from a pool
    of outside works (so co-citations abound), some other papers of the base."""
    from tooling.base import open_base
    from tooling.citations.store import Paper, Store, save
    from tooling.identifiers import ids_of

    rng = random.Random(seed)
    kb = open_base(root)
    papers = [n for n in kb.index.notes.values() if n.kind == "paper"]
    keys = [[r.key for r in ids_of(n.meta).values()] for n in papers]
    pool = [f"openalex:W{4000000 + n}" for n in range(20000)]
    store = Store()
    for own in keys:
        if not own:
            continue
        inside = [k[0] for k in rng.sample(keys, 5) if k]
        store.add_paper(Paper(tuple(own), tuple(rng.sample(pool, REFERENCES - 5) + inside), "2026-01-01"))
    save(root, store)
    return len(store.papers)


def bib_entries(count: int, seed: int = 2) -> str:
    rng = random.Random(seed)
    words = "attention circuits sparse features probing editing memory transformer layers".split()
    out = []
    for n in range(count):
        title = " ".join(rng.choice(words) for _ in range(6)).capitalize() + f" {n}"
        note = f"  note = {{My notes on entry {n}: {' '.join(rng.choice(words) for _ in range(30))}}},\n" \
            if n % 3 == 0 else ""
        out.append(f"@article{{key{n},\n  title = {{{title}}},\n  author = {{Doe, Jane and Roe, Rick}},\n"
                   f"  year = {{{2000 + n % 25}}},\n  journal = {{Journal of {rng.choice(words)}}},\n"
                   f"  doi = {{10.5555/bib.{n}}},\n  keywords = {{{rng.choice(words)}, {rng.choice(words)}}},\n"
                   f"{note}}}\n")
    return "\n".join(out)


def main(n: int, repeats: int = 3) -> None:
    report("kb fetch --references (fake OpenAlex, in-process)", fetch_references_requests())

    work = scratch(f"kb-suggest-{n}-")
    root = work / "kb"
    generate(root, n)
    stored = stored_references(root)
    runs: dict[str, list[float]] = {"check": [], "suggest": []}
    for _ in range(repeats):
        runs["check"].append(run_child([KB, "check", "--root", str(root)])[0])
        runs["suggest"].append(run_child([KB, "suggest", "--root", str(root), "--json"])[0])
    check, suggest = min(runs["check"]), min(runs["suggest"])
    count = len(json.loads(os.popen(f"{KB} suggest --json --root {root}").read())["suggestions"])
    report(f"kb suggest, {n} notes, references stored for {stored} papers (best of {repeats})", [
        ("kb check (baseline)", f"{check:.3f} s"),
        ("kb suggest", f"{suggest:.3f} s = {suggest / check:.2f}x kb check (target <= 1.5x); "
                       f"{count} suggestions")])

    bib = work / "refs.bib"
    bib.write_text(bib_entries(2000), encoding="utf-8")
    imports, checks = [], []
    for attempt in range(repeats):
        target = work / f"imported{attempt}"
        imports.append(run_child([KB, "import", str(bib), "--root", str(target)])[0])
        checks.append(run_child([KB, "check", "--root", str(target)])[0])
    took, check = min(imports), min(checks)
    report(f"kb import of a 2,000-entry .bib (best of {repeats})", [
        ("kb check of the result (baseline)", f"{check:.3f} s"),
        ("kb import refs.bib", f"{took:.3f} s = {took / check:.2f}x kb check (target <= 2x)")])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
