"""Mutated notes for the fuzz test: small real notes of the shipped base, bent the way hostile or
unlucky input bends them. Everything is drawn from one `random.Random(seed)`: a seed is a case.

Front matter gets random Unicode (line separators, control characters, right-to-left marks,
astral characters), huge values, deep nesting, odd YAML (tags, anchors, complex keys, merge keys,
block scalars, directives), wrong types in known fields, keys written twice, CRLF, lone CRs and a
byte-order mark; bodies get hostile links, raw HTML, unbalanced Markdown and math, deep lists and
long lines; some files lose their closing fence, their UTF-8 or their sensible name.

Sizes stay below the known quadratic traps owned by the site (20,000 unbalanced `[`, 600 levels of
bullets): those have their own tests, and here they would only make the suite slow.
"""

from __future__ import annotations

import random
from pathlib import Path

from tooling.schema import FIELDS

REPO = Path(__file__).resolve().parent.parent
# Small real notes of every kind, at their real paths (so some links between them resolve).
SEEDS = (
    "papers/meng2022locating.md",
    "papers/olah2020zoom.md",
    "concepts/gelu.md",
    "concepts/f1-score.md",
    "notes/authors/kevin-meng.md",
    "notes/emnlp-prepa.md",
    "notes/meetings/2023-11-07.md",
    "notes/talks/a-hackers-guide-to-language-models.md",
)

SEPARATORS = ["\u2028", "\u2029", "\x85", "\r", "\r\n", "\n", "\x0b", "\x0c", "\x1c", "\x1e"]
CONTROLS = [chr(c) for c in (*range(0, 9), *range(14, 32), 127)]
ODD = ["\u202e", "\u200b", "\u200d", "\ufeff", "\u00a0", "\u0301", "\U0001f600", "\U00010348",
       "\uffff", "\ufffd", "é", "ß", "ı", "ﬁ", "Å", "日本", "مرحبا", "\u0000"]
YAML_SPECIAL = list(":#-[]{},&*!|>'\"%@`?~\\")
HTML = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<div>", "</div>",
        "<svg onload=alert(1)>", "&amp;", "&#x3c;", "<!--", "-->", "<a href=\"javascript:alert(1)\">x</a>"]
KNOWN_KEYS = [field.name for field in FIELDS]

ODD_VALUES = [
    "!!python/object/apply:os.system ['echo pwned']", "!!binary aGVsbG8=", "!custom thing",
    "&anchor value", "*anchor", "!!set {a, b}", "!!omap [a: 1, b: 2]", "!!timestamp 2024-01-01",
    "!!float nan", "!!int 12", "!!str 12", "null", "~", "yes", "no", "on", "off", "0x1F", "0o17",
    "1_000", ".inf", "-.inf", ".nan", "2024-02-30", "2024-W01-1", "20240301", "2024-01-01T25:61:00Z",
    "-1", "0", "1e400", "[]", "{}", "[[]]", "{a: {b: {c: d}}}", "[a, [b, [c]]]", "'", '"', "|", ">",
    "|\n  block\n  text", ">-\n  folded\n\n  more", "[unclosed", "{unclosed: 1", "a: b: c",
    "- item", "@at", "`tick`", "%percent", "? question", "javascript:alert(1)", " JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>", "../../../etc/passwd", "/etc/passwd", "%2e%2e%2f",
    "[[wikilink]]", "[[../x]]", "[[]]", "[[|]]", '"[[gelu]]"',
]


def _pick(rng: random.Random, pools: list[list[str]]) -> str:
    return rng.choice(rng.choice(pools))


def unicode_text(rng: random.Random, length: int, *, separators: bool = True) -> str:
    """Random text mixing letters, YAML and HTML specials, odd Unicode and (maybe) line breaks."""
    letters = list("abcdefghij XYZ0123456789.,;")
    pools = [letters, letters, letters, YAML_SPECIAL, ODD, CONTROLS, HTML]
    if separators:
        pools.append(SEPARATORS)
    return "".join(_pick(rng, pools) for _ in range(length))


def scalar(rng: random.Random) -> str:
    """One YAML value as written after `key: ` (may span lines, may not even parse)."""
    choice = rng.randrange(12)
    if choice == 0:
        return rng.choice(ODD_VALUES)
    if choice == 1:  # double-quoted, with YAML escapes for separators and controls
        escapes = ["\\u2028", "\\x85", "\\r", "\\0", "\\t", "\\\"", "\\\\", "\\U0001F600", "\\e"]
        return '"' + "".join(rng.choice([*escapes, "a", "b", " "]) for _ in range(rng.randrange(1, 12))) + '"'
    if choice == 2:
        return "'" + unicode_text(rng, rng.randrange(1, 20)).replace("'", "''") + "'"
    if choice == 3:  # a huge value
        return rng.choice(["x" * 200_000, "9" * rng.choice([300, 4300, 4301, 6000]),
                           "word " * 30_000, "-" + "1" * 5000])
    if choice == 4:  # deep nesting, around the 32-level limit
        depth = rng.randrange(1, 60)
        return rng.choice(["[" * depth + "x" + "]" * depth, "{a: " * depth + "x" + "}" * depth])
    if choice == 5:  # a long list of odd items
        return "[" + ", ".join(rng.choice(ODD_VALUES[:40]) for _ in range(rng.randrange(1, 8))) + "]"
    if choice == 6:  # a block list
        return "\n" + "".join(f"  - {unicode_text(rng, rng.randrange(1, 10), separators=False)}\n"
                              for _ in range(rng.randrange(1, 4))).rstrip("\n")
    if choice == 7:
        return str(rng.choice([2022, -5, 0, 10**30, 3.5, 1e308, 99999]))
    if choice == 8:  # a long tag or name (file names are 255 bytes at most)
        return "[" + rng.choice(["a" * 200, "é" * 100, "日本" * 40, "x/y", "..", ".", "a b", "#"]) + "]"
    return unicode_text(rng, rng.randrange(1, 40))


def _front_matter(lines: list[str]) -> tuple[int, int]:
    """(first, end) indexes of the front-matter lines (between the fences), or (0, 0)."""
    if not lines or lines[0].rstrip("\r\n") != "---":
        return 0, 0
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n") == "---":
            return 1, index
    return 0, 0


def mutate_front_matter(rng: random.Random, text: str) -> str:
    lines = text.splitlines(keepends=True)
    first, end = _front_matter(lines)
    if not end:
        return "---\n" + f"{rng.choice(KNOWN_KEYS)}: {scalar(rng)}\n---\n" + text
    choice = rng.randrange(9)
    key = rng.choice(KNOWN_KEYS) if rng.random() < 0.8 else unicode_text(rng, rng.randrange(1, 8), separators=False)
    line = f"{key}: {scalar(rng)}\n"
    where = rng.randrange(first, end + 1)
    if choice <= 2:  # replace a field's line
        keyed = [i for i in range(first, end) if lines[i][:1].isalpha()]
        if keyed:
            index = rng.choice(keyed)
            name = lines[index].split(":", 1)[0]
            lines[index] = f"{name}: {scalar(rng)}\n"
        else:
            lines.insert(where, line)
    elif choice <= 4:  # a new field anywhere, even inside a block list
        lines.insert(where, line)
    elif choice == 5:  # a key written twice
        keyed = [i for i in range(first, end) if lines[i][:1].isalpha()]
        if keyed:
            lines.insert(end, lines[rng.choice(keyed)])
    elif choice == 6:  # a comment
        lines.insert(where, f"# {unicode_text(rng, 20)}\n")
    elif choice == 7:  # a line deleted
        if end > first:
            del lines[rng.randrange(first, end)]
    else:  # odd YAML structure
        lines.insert(where, rng.choice([
            "? [complex, key]\n: value\n", "<<: {title: merged}\n", "%YAML 1.1\n", "...\n",
            "\tindented: with a tab\n", "--- \n", "[flow, at, top]\n", "- a list item\n",
            "title:\n", ":\n", "null: x\n", "1: one\n", "'': empty key\n", "!!str k: v\n",
            f"{'k' * 5000}: long key\n", "a: &x 1\nb: *x\n",
        ]))
    return "".join(lines)


def mutate_body(rng: random.Random, text: str) -> str:
    choice = rng.randrange(10)
    if choice == 0:
        piece = unicode_text(rng, rng.randrange(1, 200))
    elif choice == 1:
        target = rng.choice(["../../etc/passwd", "<script>", "", "#", "#heading", "gelu#x", "a|b|c",
                             "x" * 300, "日本", "GELU", "gelu|<b>bold</b>", "[[nested]]", "..",
                             "concepts/gelu", "gelu.md", unicode_text(rng, 8, separators=False)])
        piece = rng.choice(["[[{}]]", "![[{}]]", "[[{}|label]]", "[[{}||obsidian]]", "[[{}\\|x]]"]).format(target)
    elif choice == 2:
        url = rng.choice(["../../../etc/passwd", "/etc/passwd", "javascript:alert(1)", " JAVASCRIPT:x",
                          "%2e%2e/%2e%2e/etc/passwd", "gelu.md", "../concepts/gelu.md#x", "<gelu.md>",
                          "data:text/html,x", "file:///etc/passwd", "#", "", "missing.md", "a b.md"])
        piece = rng.choice(["[x]({})", "![img]({})", "<{}>", "[x]: {}"]).format(url)
    elif choice == 3:
        piece = rng.choice(HTML)
    elif choice == 4:
        piece = rng.choice(["```", "```python demo\nprint('hi')\n", "~~~", "```python demo\n```",
                            "$$", "$\\frac{1}{", "$$\\begin{x}$$", "\\(", "`code", "<!-- never closed"])
    elif choice == 5:  # nested bullets, far below the known 600-level trap
        depth = rng.randrange(1, 60)
        piece = "".join("  " * level + "- item\n" for level in range(depth))
    elif choice == 6:
        piece = "[" * rng.randrange(1, 300) + rng.choice(["", "x", "](y)"])
    elif choice == 7:
        piece = rng.choice(["x" * 100_000, "| a | b |\n|---|---|\n| 1 |", "# " + "h" * 300,
                            "#" * 7 + " not a heading", "> " * 100 + "quote", "***\n---\n___"])
    elif choice == 8:
        piece = rng.choice(SEPARATORS) * rng.randrange(1, 5)
    else:
        piece = "---\n" + rng.choice(["title: body fence\n", ""]) + "---\n"
    position = rng.randrange(len(text) + 1)
    return text[:position] + piece + text[position:]


def mutate_file(rng: random.Random, data: bytes) -> bytes:
    """Damage at the level of bytes and line endings."""
    choice = rng.randrange(8)
    if choice == 0:
        return data.replace(b"\n", b"\r\n")
    if choice == 1:
        return b"\xef\xbb\xbf" + data
    if choice == 2 and data:
        position = rng.randrange(len(data))
        return data[:position] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"]) + data[position:]
    if choice == 3:  # the closing fence lost
        return data.replace(b"\n---\n", b"\n", 1)
    if choice == 4:
        return data.replace(b"\n", rng.choice([b"\r", "\u2028".encode(), b"\x85"]), rng.randrange(1, 4))
    if choice == 5:
        return rng.choice([b"", b"---", b"---\n", b"---\n---\n", b"\n---\ntitle: x\n---\n"])
    return data


def renamed(rng: random.Random, path: str) -> str:
    """Sometimes an odd file name in the same folder (the id comes from it)."""
    if rng.random() > 0.2:
        return path
    folder = path.rsplit("/", 1)[0]
    name = rng.choice(["with space", "UPPER", "-dash", "a#b", "a%20b", "a?b", "a[b]", "日本語",
                       "café", "cafe\u0301", "x" * 240, "é" * 120, "con", "index", "tags", "404"])
    return f"{folder}/{name}.md"


CANARY = "canary-0f5e3b"  # in the files outside the base that links point at: must show nowhere


def add_links(rng: random.Random, root: Path, outside: Path) -> list[str]:
    """Symbolic links a cloned base can carry: notes, folders, the review log and the demo cache
    leading out of the base (at files holding CANARY), links between notes inside, dangling links
    and loops. Returns the links made."""
    outside.mkdir(parents=True, exist_ok=True)
    secret = outside / "id_rsa"
    secret.write_text(f"---\ntitle: {CANARY}\n---\n{CANARY} [[gelu]]\n2024-01-01 good gelu\n")
    (outside / "folder").mkdir(exist_ok=True)
    (outside / "folder" / "inner.md").write_text(f"---\ntitle: {CANARY}\n---\n{CANARY}\n")
    (outside / "cache.json").write_text(CANARY)
    notes = sorted(str(p.relative_to(root)) for p in root.rglob("*.md"))
    choices = {
        "notes/leak.md": secret, "notes/linked-folder": outside / "folder",
        "notes/reviews.log": secret, ".kb-cache/demos": outside, "papers/dangling.md": outside / "gone.md",
        "notes/loop-a.md": root / "notes/loop-b.md", "notes/loop-b.md": root / "notes/loop-a.md",
        "concepts/inside.md": root / rng.choice(notes) if notes else secret,
    }
    made = []
    for name in rng.sample(sorted(choices), rng.randrange(1, len(choices) + 1)):
        link = root / name
        link.parent.mkdir(parents=True, exist_ok=True)
        if not link.exists() and not link.is_symlink():
            link.symlink_to(choices[name])
            made.append(name)
    return made


def write_case(root: Path, seed: int, notes: int = 5) -> list[str]:
    """A small base of `notes` mutated seed notes under `root`; returns their paths."""
    rng = random.Random(seed)
    written: list[str] = []
    for source in rng.sample(SEEDS, min(notes, len(SEEDS))):
        text = (REPO / source).read_text(encoding="utf-8")
        for _ in range(rng.randrange(1, 4)):
            text = mutate_front_matter(rng, text) if rng.random() < 0.6 else mutate_body(rng, text)
        data = text.encode("utf-8", "surrogatepass")
        if rng.random() < 0.3:
            data = mutate_file(rng, data)
        path = renamed(rng, source)
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(path)
    return written
