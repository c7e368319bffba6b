"""The import's promise, for any outline: every non-empty input line lands in exactly one note."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tooling.importing import import_paths

WORDS = ["alpha", "beta", "gamma", "delta", "mixing", "layers", "probe", "heads", "loss", "data"]
MARKERS = ["-", "*", "+", "•", "◦", "▪", "1.", "2)"]
INDENTS = ["", "", "  ", "    ", "\t", "      ", "        "]


@st.composite
def outlines(draw: st.DrawFn) -> tuple[list[str], dict[str, str]]:
    """Lines of an outline, and each line's unique token (mixed case, so no id contains it) with
    the text that must survive verbatim where the line is plain."""
    lines: list[str] = []
    plain: dict[str, str] = {}
    for number in range(draw(st.integers(1, 45))):
        token = f"Tk{number}Q"
        words = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=4)))
        text = f"{token} {words}".strip()
        indent, marker = draw(st.sampled_from(INDENTS)), draw(st.sampled_from(MARKERS))
        kind = draw(st.sampled_from(["item"] * 4 + ["text"] * 2 + ["heading"] * 2 + [
            "blank", "mention", "box", "question", "quote", "code", "table"]))
        if kind == "item":
            lines.append(f"{indent}{marker} {text}")
            plain[token] = text
        elif kind == "text":
            lines.append(f"{indent}{text}")
            plain[token] = text
        elif kind == "blank":
            lines.append(draw(st.sampled_from(["", "  "])))
        elif kind == "heading":
            lines.append(f"{'#' * draw(st.sampled_from([1, 2, 2, 3]))} {text}")
        elif kind == "mention":
            lines.append(f"{indent}{marker} {token} paper (smith & jones, 2020) - {token}R {words}")
        elif kind == "box":
            lines.append(f"{indent}{marker} {draw(st.sampled_from(['[x]', '[ ]', '✅']))} {text}")
        elif kind == "question":
            lines.append(f"what is {token}?")
        elif kind == "quote":
            lines.append(f"> {text}")
        elif kind == "code":
            lines += ["```", f"{text} = 1", "```"]
        else:
            lines += [f"| {text} | x |", "| --- | --- |"]
    return lines, plain


@settings(max_examples=100, deadline=None)
@given(outline=outlines(), split_over=st.sampled_from([3, 10, 300]))
def test_every_line_of_any_outline_lands_in_exactly_one_note(outline, split_over):
    lines, plain = outline
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "outline.txt"
        source.write_text("Title line\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
        root = Path(folder) / "kb"
        report = import_paths(root, [source], split_over=split_over)
        assert not report.failed, report.problems
        notes = [p.read_text(encoding="utf-8") for p in root.rglob("*.md")]
    tokens = set(re.findall(r"Tk\d+QR?", "\n".join(lines)))
    for token in tokens:
        holding = [text for text in notes if re.search(rf"\b{token}\b", text)]
        assert len(holding) == 1, (token, holding)
    for token, text in plain.items():
        assert sum(text in note for note in notes) == 1, (token, text)
