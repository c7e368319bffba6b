"""A synthetic knowledge base of N notes, shaped like the real one, for benchmarks.

Mix: 60% papers, 25% concepts, 10% notes, 5% author notes; realistic front matter; ~400-word
bodies. Dense the way real bases are: every concept has a demo block, every note several body
wikilinks and front-matter links (concepts, related, papers), and links favour a few popular notes,
so their pages carry long backlink lists. Deterministic for a seed. Concept prerequisites only
point to lower-numbered concepts, so they form a DAG.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

WORDS = (
    "attention residual stream gradient layer head circuit feature neuron patch activation logit "
    "token embedding model editing interpretability probe superposition sparse linear causal "
    "training loss transformer representation memory retrieval mechanism evidence ablation the "
    "of a and to in is that we this for on with as by are it be from at which our results show"
).split()
STATUSES = ("to-read", "reading", "read", "skimmed", "dropped")
TAGS = ("interp", "editing", "theory", "vision", "nlp", "rl", "stats", "systems")


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _prose_body(rng: random.Random, links: list[str], words: int = 400) -> str:
    chunks: list[str] = []
    per = max(1, words // 12)
    for i in range(12):
        chunks.append(_sentence(rng, per))
        if i < len(links):
            chunks.append(f"See [[{links[i]}]].")
    paragraphs = [" ".join(chunks[i : i + 6]) for i in range(0, len(chunks), 6)]
    return "## Notes\n\n" + "\n\n".join(paragraphs) + "\n"


CODE_BLOCKS = (
    "```python\nimport numpy as np\nx = np.zeros((3, 4))  # shape [3, 4]\nfor i in range(3):\n"
    "    x[i] = i * np.arange(4)\nprint(x.sum(), d['[[key]]'])\n```\n",
    "```bash\npip install -e '.[test]'\nkb check --root . | grep '[[' || true\n```\n",
    "````markdown\nA note shows fence syntax:\n```python\nprint('[[not-a-link]]')\n```\n````\n",
    "~~~json\n{\"links\": [\"[[x]]\", \"[[y]]\"], \"depth\": [1, 2, 3]}\n~~~\n",
    "> [!example] In a callout\n> ```python\n> y = [i for i in range(10) if i % 2]\n> ```\n",
    "- a step with code:\n    ```sh\n    make -j4 all\n    ```\n- the next step\n",
    "\n    indented = [1, 2, 3]  # an indented block\n    print(indented[0])\n",
)


def _code_body(rng: random.Random, links: list[str], words: int = 400) -> str:
    """A body as notes on code read: four paragraphs with an inline `code` span in one sentence
    of each, and code blocks between them in four notes of five (one to three, most of them
    plain fences, some showing fence syntax, the others in a callout, a list item or indented)."""
    paragraphs: list[str] = []
    per = max(1, words // 12)
    link = iter(links)
    blocks = rng.choice((0, 1, 2, 2, 3))
    for i in range(4):
        sentences = []
        for j in range(3):
            sentence = _sentence(rng, per)
            if j == 0:
                sentence = sentence[:-1] + f" with `x[{i}]`."
            sentences.append(sentence)
            target = next(link, None)
            if target is not None:
                sentences.append(f"See [[{target}]].")
        paragraphs.append(" ".join(sentences))
        if i < blocks:
            paragraphs.append(rng.choices(CODE_BLOCKS, weights=(5, 3, 2, 2, 1, 1, 1))[0].strip("\n"))
    return "## Notes\n\n" + "\n\n".join(paragraphs) + "\n"


def _popular(rng: random.Random, items: list[str], k: int) -> list[str]:
    """k distinct items, a third of them from the first tenth (the base's hubs)."""
    if not items:
        return []
    hubs = items[: max(1, len(items) // 10)]
    chosen = set(rng.sample(hubs, min(len(hubs), max(1, k // 3))))
    while len(chosen) < min(k, len(items)):
        chosen.add(rng.choice(items))
    return sorted(chosen)


def generate(root: Path, n: int, seed: int = 0, code: bool = False) -> dict[str, int]:
    """Write `n` notes under `root` (papers/, concepts/, notes/); return counts per kind. With
    `code`, most bodies carry code blocks and inline code, as notes on programming do."""
    rng = random.Random(seed)
    _body = _code_body if code else _prose_body
    n_papers, n_concepts, n_notes = int(n * 0.6), int(n * 0.25), int(n * 0.10)
    n_authors = n - n_papers - n_concepts - n_notes
    authors = [f"Author{i} Surname{i}" for i in range(max(1, n_authors * 3))]
    papers = [f"paper{i:05d}" for i in range(n_papers)]
    concepts = [f"concept{i:05d}" for i in range(n_concepts)]
    notes = [f"note{i:05d}" for i in range(n_notes)]
    everything = papers + concepts + notes
    for folder in ("papers", "concepts", "notes/authors"):
        (root / folder).mkdir(parents=True, exist_ok=True)

    for i, pid in enumerate(papers):
        names = rng.sample(authors, 3)
        cons = _popular(rng, concepts, 3)
        related = _popular(rng, papers[:i], 2)
        body_links = _popular(rng, everything, 6)
        year = 2015 + i % 10
        (root / "papers" / f"{pid}.md").write_text(
            "---\n"
            f"title: Synthetic paper {i} on {rng.choice(WORDS)} {rng.choice(WORDS)}\n"
            f"arxiv: \"{year % 100:02d}{1 + i % 12:02d}.{10000 + i:05d}\"\n"
            "authors:\n" + "".join(f"  - {a}\n" for a in names) +
            f"year: {year}\nvenue: NeurIPS\nstatus: {rng.choice(STATUSES)}\n"
            f"priority: {rng.choice(('high', 'medium', 'low'))}\n"
            f"tags: [{rng.choice(TAGS)}, {rng.choice(TAGS)}]\n"
            f"concepts: [{', '.join(cons)}]\nrelated: [{', '.join(related)}]\n"
            f"added: 2024-0{1 + i % 9}-1{i % 10}\n"
            "---\n" + _body(rng, body_links),
            encoding="utf-8",
        )
    for i, cid in enumerate(concepts):
        prereqs = rng.sample(concepts[:i], min(2, i)) if i else []
        body_links = _popular(rng, everything, 7)
        cited = _popular(rng, papers, 3)
        demo = "\n```python demo\nimport numpy as np\nx = np.arange(10)\nprint(x.sum())  # 45\n```\n"
        (root / "concepts" / f"{cid}.md").write_text(
            "---\n"
            f"title: Synthetic concept {i}\n"
            f"status: {rng.choice(('to-study', 'studying', 'studied'))}\n"
            f"prerequisites: [{', '.join(prereqs)}]\npapers: [{', '.join(cited)}]\n"
            f"tags: [{rng.choice(TAGS)}]\n"
            "---\n" + _body(rng, body_links) + demo,
            encoding="utf-8",
        )
    for i, nid in enumerate(notes):
        body_links = _popular(rng, everything, 10)
        related = _popular(rng, everything, 3)
        (root / "notes" / f"{nid}.md").write_text(
            f"---\ntitle: Synthetic note {i}\ntags: [{rng.choice(TAGS)}]\ncreated: 2024-05-01\n"
            f"related: [{', '.join(related)}]\n---\n"
            + _body(rng, body_links),
            encoding="utf-8",
        )
    for i in range(n_authors):
        name = authors[i]
        slug = name.lower().replace(" ", "-")
        body_links = _popular(rng, papers, 4)
        (root / "notes" / "authors" / f"{slug}.md").write_text(
            f"---\ntitle: {name}\n---\n" + _body(rng, body_links, 150), encoding="utf-8"
        )
    return {"paper": n_papers, "concept": n_concepts, "note": n_notes, "author": n_authors}


if __name__ == "__main__":
    target, count = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    print(generate(target, count))
