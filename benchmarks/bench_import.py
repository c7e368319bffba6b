"""Benchmark `kb import` of a synthetic Obsidian vault against `kb check` of the base it makes.

The vault (its own generator below) has N notes in folders, each with front matter (tags,
aliases, a date, an unknown key), ~400 words, ~12 wikilinks of every form (`[[Name]]`,
`[[Folder/Name]]`, `[[Name#Heading|label]]`, aliases), an embedded image, a callout, a comment,
`#tags`, a table, and bullets citing papers by arXiv link and as `Title (authors, year)`.
Import (read, plan and write every note and image) and check (load and lint the resulting base)
are library calls in this process (best of 3, interleaved), then once each as `kb` processes.
Target (issue 10): import at most 3x check, at 1,000. Planning and writing are timed apart: on a
loaded machine creating files dominates, and it varies with the disk more than with our code.

    .venv/bin/python benchmarks/bench_import.py [N ...]     (default: 1000)
"""

from __future__ import annotations

import random
import shutil
import sys
import time
from pathlib import Path

from common import KB, report, run_child, scratch
from synth import WORDS

from tooling.base import open_base
from tooling.checks import run_checks
from tooling.importing import plan_import, write_plan

FOLDERS = ("Inbox", "Papers", "Concepts", "Projects/Interp", "Projects/Editing", "Archive")
IMAGES = 50


def generate_vault(root: Path, n: int, seed: int = 0) -> None:
    """Write an Obsidian vault of `n` notes under `root`."""
    rng = random.Random(seed)
    (root / ".obsidian").mkdir(parents=True)
    (root / ".obsidian" / "app.json").write_text("{}\n")
    (root / "attachments").mkdir()
    for number in range(IMAGES):
        (root / "attachments" / f"figure {number}.png").write_bytes(
            b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000)))
    names = [f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {number}" for number in range(n)]
    folders = [FOLDERS[number % len(FOLDERS)] for number in range(n)]
    for number, name in enumerate(names):
        def link() -> str:
            other = rng.randrange(n)
            form = rng.randrange(4)
            if form == 0:
                return f"[[{names[other]}]]"
            if form == 1:
                return f"[[{folders[other]}/{names[other]}]]"
            if form == 2:
                return f"[[{names[other]}#Details|see {rng.choice(WORDS)}]]"
            return f"[[alias of {other}]]"

        sentences = [" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "." for _ in range(30)]
        paragraphs = [" ".join(sentences[i:i + 5]) + f" See {link()} and {link()}."
                      for i in range(0, 30, 5)]
        papers = [f"- [{rng.choice(WORDS).capitalize()} paper {rng.randrange(100)}](https://arxiv.org/"
                  f"abs/{rng.randrange(15, 24)}{1 + rng.randrange(12):02d}."
                  f"{rng.randrange(10000, 10100):05d}) - {rng.choice(WORDS)}" for _ in range(2)]
        papers.append(f"- {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} study "
                      f"({rng.choice(WORDS)} & {rng.choice(WORDS)}, {2010 + rng.randrange(14)}) - "
                      f"{rng.choice(WORDS)} {rng.choice(WORDS)}")
        text = (
            "---\n"
            f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\n"
            f"aliases: [alias of {number}]\n"
            f"created: 2024-{1 + number % 12:02d}-{1 + number % 28:02d}\n"
            f"rating: {number % 5}\n"
            "---\n"
            f"# {name}\n\n{paragraphs[0]} #{rng.choice(WORDS)}\n\n"
            f"![[figure {number % IMAGES}.png]]\n\n"
            "## Details\n\n" + "\n\n".join(paragraphs[1:]) + "\n\n"
            f"> [!note] Remember\n> {sentences[0]} {link()}\n\n"
            f"%%{sentences[1]}%%\n\n"
            "| what | value |\n| --- | --- |\n"
            f"| {rng.choice(WORDS)} | {number} |\n\n"
            "## Papers\n\n" + "\n".join(papers) + "\n"
        )
        folder = root / folders[number]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.md").write_text(text, encoding="utf-8")


def main(sizes: list[int]) -> None:
    for n in sizes:
        work = scratch(f"kb-bench-import-{n}-")
        try:
            vault = work / "vault"
            generate_vault(vault, n)
            best = {"plan": float("inf"), "write": float("inf"), "import": float("inf"),
                    "check": float("inf")}
            for attempt in range(3):  # interleaved, each keeping its best run: load varies
                root = work / f"kb{attempt}"
                start = time.perf_counter()
                plan = plan_import(root, [vault])
                planned = time.perf_counter()
                result = write_plan(root, plan)
                written = time.perf_counter()
                problems = run_checks(open_base(root))
                checked = time.perf_counter()
                for key, spent in (("plan", planned - start), ("write", written - planned),
                                   ("import", written - start), ("check", checked - written)):
                    best[key] = min(best[key], spent)
            kb = KB
            cli_import, _, import_code = run_child([kb, "import", str(vault), "--root", str(work / "cli")])
            cli_check, _, check_code = run_child([kb, "check", "--root", str(work / "cli")])
            files = result.written + result.copied
            errors = sum(p.severity == "error" for p in problems)
            report(f"kb import of a {n}-note Obsidian vault", [
                ("notes created", f"{result.written}, and {result.copied} images copied"),
                ("kb import (library)", f"{best['import']:.3f} s"),
                ("  reading and planning", f"{best['plan']:.3f} s"),
                ("  writing", f"{best['write']:.3f} s ({1000 * best['write'] / files:.2f} ms a file)"),
                ("kb check of the result (library)", f"{best['check']:.3f} s, {errors} errors"),
                ("ratio", f"{best['import'] / best['check']:.2f}x  (target <= 3x)"),
                ("ratio without writing", f"{best['plan'] / best['check']:.2f}x"),
                ("kb import / kb check (CLI processes)",
                 f"{cli_import:.3f} s / {cli_check:.3f} s = {cli_import / cli_check:.2f}x "
                 f"(exit {import_code}, {check_code})"),
            ])
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000])
