"""What one note can add to the site is bounded (issue 17): a paper with 2,000 authors made 2,000
author pages (123 MB of site for a 45 KB note). The first MAX_AUTHOR_NODES names get pages; the
others stay on the paper's card as text, and the build names the note in a warning."""

from __future__ import annotations

import re

from helpers import run_kb, write_base

from tooling.schema import MAX_AUTHOR_NODES

AUTHORS = 2000


def test_a_paper_with_thousands_of_authors_adds_a_bounded_number_of_pages(tmp_path):
    names = [f"Author{n} Person{n}" for n in range(AUTHORS)]
    root = write_base(tmp_path / "kb", {
        "papers/big.md": "---\ntitle: A big collaboration\nauthors:\n"
                         + "".join(f"  - {name}\n" for name in names) + "---\nNotes.\n",
        "papers/small.md": "---\ntitle: Small\nauthors: [Author1999 Person1999, Ann Other]\n---\nx\n",
    })
    site = tmp_path / "site"
    result = run_kb("build", "--no-exec", "--root", str(root), "-d", str(site))
    assert result.exit_code == 0, result.output
    assert (f"papers/big.md: 2,000 authors; the first {MAX_AUTHOR_NODES} have author pages"
            in result.output)
    pages = {p.parent.name for p in (site / "notes/authors").glob("*/index.html")}
    assert len(pages) == MAX_AUTHOR_NODES + 2  # the capped ones, Ann Other and Author1999
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6
    assert size < 40, f"{size:.0f} MB"
    card = (site / "papers/big/index.html").read_text()
    assert all(name in card for name in names)  # every name is still on the card
    linked = re.findall(r'<a class="kb-author" href="([^"]+)"', card)
    assert len(linked) == MAX_AUTHOR_NODES + 1  # Author1999 has a page through the small paper
    assert all((site / "papers/big" / href / "index.html").resolve().exists() for href in linked)
