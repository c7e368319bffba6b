"""What the one reading (`tooling.syntax`) adds for Obsidian's links and embeds: the section a
heading link names, the block a `^id` marks, tags only where Obsidian sees them, and titles as
plain words."""

from __future__ import annotations

import pytest

from tooling.syntax import Scan, anchor_key, plain_title

NOTE = """\
# Top
intro

## Step 1: Setup
para one
para two ^p2

- item a ^ia
    - child
- item b

> quote
> more

^q

### Sub
deep text
## Other
end"""


def part(text: str, bounds: tuple[int, int] | None) -> str | None:
    return None if bounds is None else text[bounds[0]:bounds[1]]


def test_a_section_runs_to_the_next_heading_of_its_level_or_higher():
    scan = Scan(NOTE)
    section = part(NOTE, scan.section("Step 1: Setup"))
    assert section is not None
    assert section.startswith("## Step 1: Setup\n") and section.endswith("### Sub\ndeep text")
    assert part(NOTE, scan.section("Other")) == "## Other\nend"
    assert part(NOTE, scan.section("Top")) == NOTE


def test_a_heading_is_named_as_obsidian_writes_links_to_it():
    scan = Scan(NOTE)
    assert part(NOTE, scan.section("step 1 setup")) == part(NOTE, scan.section("Step 1: Setup"))
    assert part(NOTE, scan.section("Step 1: Setup#Sub")) == "### Sub\ndeep text"
    assert scan.section("Other#Sub") is None  # Sub is not inside Other
    assert scan.section("Nowhere") is None
    assert anchor_key("**Bold** `code`: part") == "bold code part"


def test_a_block_is_its_paragraph_its_list_item_or_the_block_above_a_lone_id():
    scan = Scan(NOTE)
    assert part(NOTE, scan.block("p2")) == "para one\npara two ^p2"
    assert part(NOTE, scan.block("ia")) == "- item a ^ia\n    - child"
    assert part(NOTE, scan.block("q")) == "> quote\n> more\n\n^q"
    assert scan.block("absent") is None


def test_a_block_starts_after_a_heading_or_a_list_item():
    text = "## Head\nfirst line\nsecond ^b\n\n- an item\n  lazy line ^c\n"
    scan = Scan(text)
    assert part(text, scan.block("b")) == "first line\nsecond ^b"
    assert part(text, scan.block("c")) == "- an item\n  lazy line ^c"


def test_block_ids_in_code_are_no_blocks():
    text = "```\nline ^code\n```\nText ^real\n"
    assert [b.name for b in Scan(text).block_ids] == ["real"]


@pytest.mark.parametrize("text, tags", [
    ("#category-theory #topos-theory", ["category-theory", "topos-theory"]),
    ("a [link](#part) and (#tag)", ["tag"]),
    ('<span style="color: #ff0000">red</span> #real', ["real"]),
    ("`#code` [[note#heading]] https://x.org/#frag #ok", ["ok"]),
    ("# Heading\n#123 C# x#y", []),
])
def test_tags_are_where_obsidian_sees_them(text, tags):
    assert [tag.name for tag in Scan(text).tags] == tags


@pytest.mark.parametrize("written, plain", [
    ("**Scheduler**", "Scheduler"),
    ("The `fsrs` scheduler", "The fsrs scheduler"),
    ("[[note|Label]] and [site](https://example.org)", "Label and site"),
    (r"A \*star\* &amp; more", "A *star* & more"),
    ("Loss $\\mathcal{L}$ bound", "Loss $\\mathcal{L}$ bound"),
    ("<b>kept</b> as text", "<b>kept</b> as text"),
    ("snake_case and C# stay", "snake_case and C# stay"),
    ("Plain title", "Plain title"),
])
def test_titles_as_plain_words(written, plain):
    assert plain_title(written) == plain


def test_reading_text_keeps_the_space_before_a_formula():
    assert Scan("see [[a|b]] $x$ now").plain() == "see b $x$ now"
