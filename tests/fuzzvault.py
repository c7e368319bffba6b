"""Mutated vaults for the import fuzz test: pages of the hand-made vault and of the real corpus,
bent by `fuzznotes`' mutations, under the names vaults really use and the ones that broke the
import (issue 19): a page of front matter only, names over 80 characters that collide, names with
dots, pages named like the site's own, math with braces and `<`, links between all of them by
name, path, alias and heading. Everything comes from one `random.Random(seed)`: a seed is a case.
"""

from __future__ import annotations

import random
from pathlib import Path

from fuzznotes import REPO, mutate_body, mutate_file, mutate_front_matter, unicode_text

CORPUS = REPO / "tests" / "data" / "vaults"
PAGES = sorted((CORPUS / "handmade" / "vault").glob("*.md")) + [
    CORPUS / "sapienza/vault/calcolo differenziale/limiti di funzioni.md",
    CORPUS / "paperbell/vault/Cards/Concepts/agent-based model.md",
    CORPUS / "horcy/vault/P4W58Zy54N/note.md"]
LONG = "A title that is far longer than eighty characters, which every id function cuts down short"
NAMES = [LONG, LONG + " too", "Node.js", "java.util.Scanner", "v1.2 release", "Index", "Authors",
         "Tags", "index", "note", "Residual stream", "日本語のノート", "Трансформеры", "café",
         "a.b.c.d", "2024.01.15", "x" * 200, "é" * 100, "tags", "assets"]
FOLDERS = ["", "", "A", "B", "A/B", "Long folder", "authors", "notes", "Literature", "日本"]
SHAPES = [
    "---\ntags: [pdf-annotations]\n---\n",
    "---\naliases: {alias}\ntags: \"project, archived\"\n---\n",
    "A set $X_{{I^{{=k}}}}$ and $\\sum_{{i<m}} x_i$, $i<m$, `for(i=0; i<m; i++)`.\n",
    "See [[{name}]], [[{folder}/{name}]], [[{name}#Part 1]], [[{name}#^key]] and [[#Part 1]].\n",
    "![[{name}.excalidraw|800]] ![[diagram.png]] ![](diagram.png) [x]({file}.md)\n",
    "- [x] A. A botnet\n- [ ] B. a recipe\n\nHutton, G. (2023). A title. A press.\n",
    "```python demo\nprint('imported code never runs')\n```\n",
]


def page_name(rng: random.Random) -> str:
    folder = rng.choice(FOLDERS)
    name = rng.choice(NAMES) if rng.random() < 0.8 else unicode_text(rng, rng.randrange(1, 12),
                                                                     separators=False)
    name = "".join(c for c in name if c not in "/\\\0\r\n") or "untitled"
    return f"{folder}/{name}.md".lstrip("/")


def write_vault(folder: Path, seed: int, pages: int = 8) -> list[str]:
    """A vault of `pages` mutated pages under `folder`; returns their paths inside it."""
    rng = random.Random(seed)
    written: list[str] = []
    for _ in range(pages):
        if rng.random() < 0.5:
            name, folder_name = rng.choice(NAMES), rng.choice(FOLDERS)
            text = rng.choice(SHAPES).format(name=name, folder=folder_name or "A", alias=name,
                                             file=name.replace(" ", "%20"))
        else:
            text = rng.choice(PAGES).read_text(encoding="utf-8")
        for _ in range(rng.randrange(0, 3)):
            text = mutate_front_matter(rng, text) if rng.random() < 0.4 else mutate_body(rng, text)
        data = text.encode("utf-8", "surrogatepass")
        if rng.random() < 0.2:
            data = mutate_file(rng, data)
        rel = page_name(rng)
        target = folder / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        except OSError:  # a name this file system refuses (too long in bytes): another draw
            continue
        written.append(rel)
    (folder / "A").mkdir(exist_ok=True)
    (folder / "A" / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\nA")
    (folder / "B").mkdir(exist_ok=True)
    (folder / "B" / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\nB")
    return written
