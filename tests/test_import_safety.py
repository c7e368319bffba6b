"""`kb import` on hostile exports (issue 13): files outside the export are never read, and raw
HTML or links in imported text never run on the site (issue 19: the Markdown stays byte for byte;
the site's rendered-HTML sanitiser makes it safe where it is published)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from helpers import run_kb, write_base

SECRET = b"\x89PNG\r\n\x1a\nTOP SECRET canary 7f3a"


def all_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


def test_files_outside_the_export_are_reported_and_never_read(tmp_path):
    (tmp_path / "secret.png").write_bytes(SECRET)
    outside = tmp_path / "secret.png"
    export = write_base(tmp_path / "export", {
        "page.md": f"""\
            ![a](../secret.png)
            ![b](..%2Fsecret.png)
            ![c](%2E%2E/secret.png)
            ![d]({outside})
            ![e](file://{outside})
            ![[../secret.png]]
            ![f](inside/link.png)
            ![ok](inside.png)
            """,
        "inside.png": b"\x89PNG\r\n\x1a\nfine",
    })
    (export / "inside").mkdir()
    os.symlink(outside, export / "inside" / "link.png")
    root = tmp_path / "kb"
    dry = run_kb("import", str(export), "--root", str(root), "--dry-run")
    assert "would copy file    notes/export/inside.png  'inside.png'" in dry.output
    assert len(re.findall(r"would copy", dry.output)) == 1
    result = run_kb("import", str(export), "--root", str(root))
    assert result.exit_code == 0, result.output
    assert b"TOP SECRET" not in all_bytes(root)
    warned = re.findall(r"page\.md:(\d+): warning outside-export", result.output)
    assert sorted(map(int, warned)) == [1, 2, 3, 4, 6, 7]  # a file:// URL is no path: never read
    page = (root / "notes/export/page.md").read_text()
    assert "![a](../secret.png)\n" in page and "![ok](inside.png)\n" in page  # words as written
    assert (root / "notes/export/inside.png").read_bytes() == b"\x89PNG\r\n\x1a\nfine"


def test_a_link_in_the_export_leading_out_is_not_read_as_a_page(tmp_path):
    (tmp_path / "private.md").write_text("my private diary\n")
    export = write_base(tmp_path / "export", {"page.md": "A page.\n"})
    os.symlink(tmp_path / "private.md", export / "diary.md")
    root = tmp_path / "kb"
    result = run_kb("import", str(export), "--root", str(root))
    assert "diary.md: error input-unreadable: not read: it links to a file outside the export" \
        in result.output
    assert b"private diary" not in all_bytes(root)


HOSTILE = """\
A page from someone else's vault.

<script>alert('script')</script>
<img src=x onerror=alert('img')>
<a href="JaVaScRiPt:alert('a')">click</a>
[plain](javascript:alert('md'))
[angled](<javascript:alert('angled')>)
[encoded](jav&#x61;script:alert('entity'))
[fine](https://example.org){ onclick="alert('attr')" } with an attribute list
<iframe src="https://tracker.example/embed"></iframe>
[ref]: javascript:alert('ref')
<!-- a comment a browser ends early --!><img src=y onerror=alert('comment')>

Harmless: H<sub>2</sub>O, <kbd>Ctrl</kbd>, <details><summary>more</summary>hidden</details>

```html
<script>in a code block it is only text</script>
```
"""


def test_raw_html_and_script_links_are_imported_byte_for_byte(tmp_path):
    """The import never rewrites words to make them safe (issue 19: `$X_{I^{=k}}$` became
    `$X_\\{I^{=k}}$`, `$i<m$` became `$i&lt;m$`): the page's text is the note's body."""
    export = write_base(tmp_path / "export", {"hostile.md": HOSTILE})
    root = tmp_path / "kb"
    result = run_kb("import", str(export), "--root", str(root))
    assert result.exit_code == 0, result.output
    note = (root / "notes/export/hostile.md").read_text()
    assert note.split("---\n", 2)[2] == HOSTILE


def test_raw_html_and_script_links_in_imported_text_never_run_on_the_built_site(tmp_path):
    export = write_base(tmp_path / "export", {"hostile.md": HOSTILE})
    root = tmp_path / "kb"
    assert run_kb("import", str(export), "--root", str(root)).exit_code == 0
    site = tmp_path / "site"
    built = run_kb("build", "--root", str(root), "-d", str(site), "--no-exec")
    assert built.exit_code == 0, built.output
    html = (site / "notes/export/hostile/index.html").read_text()
    article = html[html.index("<article"):html.index("</article>")]
    assert "<script>alert" not in article and "<iframe" not in article
    assert not re.search(r"<[^>]+\son\w+=", article, re.IGNORECASE)  # no event handler attribute
    assert not re.search(r"""<[^>]+(href|src)=["']?\s*(javascript|jav&)""", article, re.IGNORECASE)
    assert "H<sub>2</sub>O" in article and "<kbd>Ctrl</kbd>" in article and "<details>" in article


def test_blocks_nested_hundreds_deep_are_imported_not_crashed_on(tmp_path):
    deep = "".join("    " * n + f"- [P{n}](https://arxiv.org/abs/2101.{n + 1:05d})\n" for n in range(600))
    export = write_base(tmp_path / "export", {"deep.md": deep})
    root = tmp_path / "kb"
    result = run_kb("import", str(export), "--root", str(root), "--carve")
    assert result.exit_code == 0, result.output
    assert "warning nesting-too-deep" in result.output
    written = "".join(p.read_text() for p in root.rglob("*.md"))
    assert all(f"[P{n}]" in written or f"title: P{n}\n" in written for n in range(600))
