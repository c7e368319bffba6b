"""The one reading of Markdown (`tooling.syntax`): what is code, what is a link, where a sentence
ends. Every reader of Markdown asks it, so these pin the rules once; the property test at the end
compares its answer with what Python-Markdown renders as code on the site."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser

import markdown
import pytest
from helpers import check_json, write_base
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tooling.syntax import Scan, as_text, is_attachment_name

EXAMPLES = int(os.environ.get("KB_PROPERTY_EXAMPLES", "150"))


def targets(text: str) -> list[str]:
    return [ref.target for ref in Scan(text).refs]


# --- fences, as CommonMark closes them -------------------------------------------------------

def test_a_fence_line_with_an_info_string_never_closes_a_block():
    body = "```\nshowing syntax:\n```python\n[[inside]]\n```\n[[after]]\n"
    assert targets(body) == ["after"]
    (block,) = Scan(body).fences()
    assert (block.first, block.last, block.closed) == (0, 4, True)


def test_a_fence_closes_only_on_as_many_of_the_same_character():
    assert targets("````\n```\n[[a]]\n~~~~\n````\n[[b]]") == ["b"]
    assert targets("~~~\n```\n[[a]]\n~~~\n[[b]]") == ["b"]
    assert targets("```\n[[a]]\n``` trailing words\n[[b]]") == []  # not a closing line


def test_an_unclosed_fence_runs_to_the_end_and_is_reported(tmp_path):
    body = "[[a]]\n\n```python\n[[b]]\n"
    assert targets(body) == ["a"]
    assert [b.closed for b in Scan(body).fences()] == [False]
    write_base(tmp_path, {"notes/a.md": "---\ntitle: A\n---\n" + body})
    problems = [p for p in check_json(tmp_path) if p["code"] == "unclosed-fence"]
    assert [(p["path"], p["line"]) for p in problems] == [("notes/a.md", 6)]


def test_fences_inside_quotes_and_list_items_are_fences():
    assert targets("> [!tip] T\n> ```python\n> [[q]]\n> ```\n[[after]]") == ["after"]
    assert targets("- item [[i]]\n    ```\n    [[code]]\n    ```\n- [[next]]") == ["i", "next"]
    # The quote ends the fence with it: a line without `>` is prose again.
    assert targets("> ```\n> [[q]]\nlazy [[p]]") == ["p"]
    # So does a list item: a line less indented than its content.
    assert targets("- ```\n  [[c]]\nout [[o]]") == ["o"]


def test_indented_code_needs_a_blank_line_and_is_not_a_nested_list():
    assert targets("para\n    [[continued]]\n\n    [[code]]\n\nafter [[x]]") == ["continued", "x"]
    assert targets("- item\n    - [[nested]]\n\n        [[paragraph]]") == ["nested", "paragraph"]
    assert targets("- item\n    - [[nested]]\n\n            [[code in item]]") == ["nested"]


def test_a_fence_indented_four_columns_is_indented_code_not_a_fence():
    scan = Scan("text\n\n    ```\n    [[a]]\n\n[[b]]\n")
    assert [b.kind for b in scan.blocks] == ["indented"]
    assert [r.target for r in scan.refs] == ["b"]


def test_block_code_is_read_without_its_container():
    text = "> ```python demo\n> x = 1\n>     y = 2\n> ```\n"
    lines = text.split("\n")
    (block,) = Scan(text).fences()
    assert block.code(lines) == ["x = 1", "    y = 2"] and block.info == "python demo"
    text = "  ```\n   a\n  b\n c\n```"
    (block,) = Scan(text).fences()
    assert block.code(text.split("\n")) == [" a", "b", "c"]  # up to the fence's own indent


# --- inline spans -----------------------------------------------------------------------------

def test_code_spans_follow_the_paragraph_and_need_a_matching_run():
    assert targets("a `[[x]]` b ``[[y]]`` c [[z]]") == ["z"]
    assert targets("a `open\n[[y]] close` [[z]]") == ["z"]  # a span goes on to the next line
    assert targets("a `open\n\n[[y]]` b") == ["y"]  # never past a blank line
    assert targets("a `` [[y]] ` b") == ["y"]  # no closing run of two: literal backticks
    assert targets(r"a \`[[y]]` b") == ["y"]  # an escaped backtick opens nothing


def test_comments_hide_and_an_unclosed_one_hides_the_rest():
    assert targets("<!-- [[a]] --> [[b]] %% [[c]] %% [[d]] %% [[e]]") == ["b", "d"]


def test_math_holds_no_link_but_dollar_amounts_are_words():
    assert targets("$[[a]]$ and $$[[b]]$$ then [[c]]") == ["c"]
    assert targets("costs $5 and [[a]] or $10") == ["a"]
    assert targets("$ [[a]] $") == ["a"]  # a space after the opening `$`: no math


def test_inline_spans_stay_linear_on_hostile_input():
    import time

    hostile = "`" + " `` ".join("x" for _ in range(20000)) + " $a $b " * 5000
    start = time.perf_counter()
    Scan(hostile).masked  # noqa: B018
    assert time.perf_counter() - start < 2  # quadratic would take minutes


# --- links --------------------------------------------------------------------------------------

def test_links_keep_their_offsets_lines_and_forms():
    text = "x\n![[img.png|200]] [[Page#Sec|label]] [[#Local]] [[b#^blk]] [t](c.md#h) ![i](d.png)"
    refs = Scan(text, 10).refs
    assert [(r.target, r.anchor, r.label, r.embed, r.line) for r in refs] == [
        ("img.png", None, "200", True, 11), ("Page", "Sec", "label", False, 11),
        ("", "Local", None, False, 11), ("b", "^blk", None, False, 11),
        ("c.md", "h", "t", False, 11), ("d.png", None, "i", True, 11)]
    assert all(text[r.start:r.end].startswith("[") for r in refs)


@pytest.mark.parametrize("name, attachment", [
    ("figure.png", True), ("two/diagram.PNG", True), ("paper.pdf", True), ("Bundle.excalidraw", True),
    ("Node.js", False), ("java.util.Scanner", False), ("v1.2 release", False), ("Index", False)])
def test_only_file_types_are_attachments(name, attachment):
    assert is_attachment_name(name) is attachment


def test_dotted_note_names_are_links_between_notes(tmp_path):
    write_base(tmp_path, {
        "notes/Node.js.md": "---\ntitle: Node.js\n---\n[[java.util.Scanner|scanner]]\n",
        "notes/java.util.Scanner.md": "---\ntitle: Scanner\n---\n[[Node.js]] [[missing.note]]\n",
    })
    problems = check_json(tmp_path)
    assert [(p["path"], p["message"]) for p in problems if p["code"] == "unresolved-link"] == [
        ("notes/java.util.Scanner.md", "unresolved wikilink [[missing.note]]")]
    assert not [p for p in problems if p["code"] == "orphan-note"]


def test_a_note_showing_fence_syntax_has_no_false_link_or_orphan(tmp_path):
    write_base(tmp_path, {
        "notes/howto.md": "---\ntitle: How to\n---\n````\n```python\n[[not-a-note]]\n```\n````\n"
                          "```\n```python\n[[also-not]]\n```\nSee [[other]].\n",
        "notes/other.md": "---\ntitle: Other\n---\nText.\n",
    })
    codes = {(p["path"], p["code"]) for p in check_json(tmp_path)}
    assert codes == set()


# --- sentences and reading text --------------------------------------------------------------

def test_sentences_do_not_end_at_abbreviations_or_initials():
    text = ("Intro. Meng et al. 2022 showed, e.g. with ROME, that K. Meng's [[rome]] works (Fig. 3). "
            "Next one.")
    scan = Scan(text)
    ref = scan.refs[0]
    assert as_text(scan.sentence(ref.start, ref.end)) == (
        "Meng et al. 2022 showed, e.g. with ROME, that K. Meng's rome works (Fig. 3).")
    assert scan.first_sentence() == "Intro."


def test_a_link_that_begins_a_sentence_gets_that_sentence_alone():
    """The boundary just before the link counts (a scan that stopped at the link could not see
    the capital after the space, and took the sentence before too)."""
    for text in ("First here. Second one. [[rome]] edits facts. Last one.",
                 "Second one!  [[rome]] edits facts.\n\nLast one.",
                 "- Second one.\n- [[rome]] edits facts."):
        scan = Scan(text)
        ref = scan.refs[0]
        assert as_text(scan.sentence(ref.start, ref.end)) == "rome edits facts.", text


def test_reading_text_keeps_code_as_written_and_math_apart():
    text = "# Heading\n\nUse `[[a]]` and **bold** snake_case with $x_{i}^{2}$ for [[b|B]]. Next."
    scan = Scan(text)
    pieces = scan.sentence(scan.refs[0].start, scan.refs[0].end)
    assert [(p.kind, p.text) for p in pieces] == [
        ("text", "Use [[a]] and bold snake_case with "), ("math", "x_{i}^{2}"), ("text", " for B.")]
    assert scan.first_sentence() == "Use [[a]] and bold snake_case with $x_{i}^{2}$ for B."


def test_headings_tags_and_block_ids():
    text = "#tag-one #topos/theory not#tag #123\n# Heading\n\n`#code` [[a#b]] para ^blk-1\n"
    scan = Scan(text, 3)
    assert [t.name for t in scan.tags] == ["tag-one", "topos/theory"]
    assert [(h.level, h.text, h.line) for h in scan.headings] == [(1, "Heading", 4)]
    assert [(b.name, b.line) for b in scan.block_ids] == [("blk-1", 6)]


# --- the layer agrees with the rendered page --------------------------------------------------

class _CodeWords(HTMLParser):
    """Which link tokens a rendered page shows as text, outside code and comments."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.prose: set[str] = set()

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.depth += tag in ("code", "pre")

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag in ("code", "pre")

    def handle_data(self, data: str) -> None:
        if self.depth == 0:
            self.prose.update(re.findall(r"\[\[(t\d+)\]\]", data))


_counter = iter(range(10**9))


def _link() -> str:
    return f"[[t{next(_counter)}]]"


words = st.sampled_from(["alpha", "beta", "the", "x", "model", "*em*", "1.", "-"])
inline = st.lists(st.one_of(
    words, st.just("LINK"), st.just("`code LINK`"), st.just("``a LINK``"), st.just("<!-- LINK -->"),
    st.just("`unmatched")), min_size=1, max_size=8).map(" ".join).map(
        lambda line: "x " + line if line.startswith("<!--") else line)
# Not generated, two places Python-Markdown departs from CommonMark (and Obsidian), which the
# layer follows: a lone backtick before a longer run holding a lone one ("`x ``a ` [[l]]``":
# CommonMark reads runs whole, Python-Markdown may start a span inside one); and a line opening
# with an HTML comment and text after it (CommonMark: an HTML block, so an indented line after it
# is code; Python-Markdown keeps reading that line as a paragraph).
fence_char = st.sampled_from(["```", "~~~", "````"])


@st.composite
def fenced(draw: st.DrawFn) -> str:
    run = draw(fence_char)
    info = draw(st.sampled_from(["", "python", "md"]))
    inner = draw(st.lists(st.one_of(inline, st.just("```python"), st.just("~~~ md"),
                                    st.just("    LINK")), max_size=4))
    return "\n".join([run + info, *inner, run])


@st.composite
def quoted(draw: st.DrawFn) -> str:
    return "\n".join("> " + line for line in draw(fenced()).split("\n"))


@st.composite
def listed(draw: st.DrawFn) -> str:
    nested = "\n".join("    " + line for line in draw(fenced()).split("\n"))
    return f"- item {draw(inline)}\n\n{nested}"


indented = inline.map(lambda line: "    " + line)
blocks = st.lists(st.one_of(inline, fenced(), quoted(), listed(), indented), min_size=1, max_size=6)


def _render(text: str) -> str:
    md = markdown.Markdown(extensions=[
        "pymdownx.superfences", "tooling.site.markdown.fences", "tooling.site.markdown.lists",
        "md_in_html"])
    return md.convert(text)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blocks, st.booleans())
def test_what_the_page_shows_as_code_is_what_the_reading_calls_code(parts, unclosed):
    text = "\n\n".join(parts)
    if unclosed:  # a fence left open at the end runs to the end, on the page too
        text += "\n\n```\n" + "LINK text"
    while "LINK" in text:
        text = text.replace("LINK", _link(), 1)
    parser = _CodeWords()
    parser.feed(_render(text))
    linked = {ref.target for ref in Scan(text).refs}
    assert linked == parser.prose, text


span_text = st.one_of(
    st.text(alphabet=st.sampled_from(list("`$%<!->ab \n\\x")), max_size=80),
    # Backticks and no other opener: the pass that looks for code spans alone.
    st.text(alphabet=st.sampled_from(list("`ab \n\\x[]")), max_size=80))


@settings(max_examples=EXAMPLES * 4, deadline=None)
@given(span_text)
def test_the_fast_span_pass_and_the_linear_walk_agree(text):
    from tooling.syntax.inline import find_spans, walk_spans

    assert find_spans(text) == walk_spans(text)


@settings(max_examples=EXAMPLES * 4, deadline=None)
@given(span_text)
def test_blanking_in_one_pass_equals_blanking_the_spans(text):
    from tooling.syntax.inline import blank_spans, mask_spans, walk_spans

    assert blank_spans(text) == mask_spans(text, walk_spans(text))


markdown_lines = st.lists(st.sampled_from([
    "", "text", "more text", "# Heading", "- item", "  - nested", "1. one", "1)", "> quote", "> ```",
    "```", "```python", "~~~", "````", "    indented", "\tindented", "$$", "x $$ y $$", "---", "   ```",
    "  text", "> > deep", "- ```", "  ```", "\r"]), max_size=30)


@settings(max_examples=EXAMPLES * 4, deadline=None)
@given(markdown_lines)
def test_the_fast_block_reading_equals_reading_every_line(lines):
    from tooling.syntax.blocks import find_blocks

    text = "\n".join(lines)
    assert find_blocks(text) == find_blocks(text, fast=False), text


# The sentence rule as first written: each boundary tried at every position. The shipped pattern
# begins with the space it consumes, so `re` skips between spaces; it must find the same cuts.
_PLAIN_BOUNDARY = re.compile(
    r"(?<=[.!?])(?<!\bal\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\bcf\.)(?<!\b[Ff]ig\.)"
    r"(?<!\b[Ee]q\.)(?<!\b[Ss]ec\.)(?<!\bNo\.)(?<!\bpp\.)(?<!\bp\.)(?<!\bDr\.)(?<!\bMr\.)"
    r"(?<!\bMs\.)(?<!\bSt\.)(?<!\bapprox\.)(?<![\s(][A-Z]\.)[ \t]+(?=[A-Z0-9\"'(\[\u201c])"
    r"|\r?\n[ \t]*\r?\n\s*|\r?\n(?=[ \t]*(?:[-*+]|\d{1,9}[.)]|#{1,6}|>)[ \t])")
prose_text = st.lists(st.sampled_from([
    ". ", "! ", "? ", " ", "\t", "\n", "\r\n", "\r", "e.g. ", "al. ", "K. ", "(K. ", "Fig. ",
    "approx. ", "xal. ", "vs.", ".", "A", "b", "3", "[[x]]", "- ", "1) ", "12. ", "# ", "> ", "\n\n",
    "\u201c", "'", '"', "(", "\r\n- ", "\r\n\r\n", "\r\n> ", ".\r\n1. "]), max_size=30).map("".join)


@settings(max_examples=EXAMPLES * 4, deadline=None)
@given(prose_text, st.integers(0, 200), st.integers(0, 200))
def test_the_fast_sentence_boundary_cuts_where_the_plain_rule_does(text, a, b):
    from tooling.syntax.prose import BOUNDARY

    start, end = sorted((min(a, len(text)), min(b, len(text))))
    assert [m.span() for m in BOUNDARY.finditer(text, start, end)] == \
        [m.span() for m in _PLAIN_BOUNDARY.finditer(text, start, end)], (text, start, end)



@settings(max_examples=EXAMPLES * 4, deadline=None)
@given(prose_text, prose_text, st.integers(0, 700))
def test_a_links_sentence_runs_from_the_last_boundary_before_it_to_the_first_after(before, after, pad):
    """What `sentence_bounds` finds by bisection is what a walk over every boundary finds,
    within 600 characters on each side."""
    from tooling.syntax.prose import BOUNDARY, boundaries, sentence_bounds

    text = before + "x" * pad + " [[link]]" + after
    start = text.index("[[link]]")
    end = start + len("[[link]]")
    found = list(BOUNDARY.finditer(text))
    limit = min(len(text), end + 600)
    begin = max([max(0, start - 600)] + [m.end() for m in found if m.end() <= start])
    stop = min([m.start() for m in found if end <= m.start() < limit] + [limit])
    assert sentence_bounds(boundaries(text), len(text), start, end) == (begin, stop)
