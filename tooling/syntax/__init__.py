"""One reading of Markdown, shared by every reader of it.

`Scan(text, line)` reads a text once, lazily and in layers: blocks (fenced code as CommonMark
closes it, indented code, `$$` math; `blocks`), inline spans (code, HTML and Obsidian comments,
math; `inline`), links with their offsets (`links`), prose (sentences, reading text, titles as
plain words; `prose`), and the parts of a note a link can name (a heading's section, a block;
`sections`). Links and checks, backlinks, page descriptions, the importer, demos, query blocks and
the site's extensions all ask a `Scan`, so none of them can disagree about what is code or what is
a link. Nothing here knows about notes, the index or the site.
"""

from collections.abc import Iterable

from .blocks import FENCE, INDENTED, MATH, Block, may_hold_fences
from .links import LINK, MDLINK, WIKI, WIKILINK, Ref, is_attachment_name, parse_wikilink
from .prose import Piece, as_text, first_sentence_of, plain_title, shorten
from .scan import BlockId, Heading, Scan, Tag, may_hold_block_ids, may_hold_tags
from .sections import anchor_key, find_heading

__all__ = ["FENCE", "INDENTED", "LINK", "MATH", "MDLINK", "WIKI", "WIKILINK", "Block", "BlockId",
           "Heading", "Piece", "Ref", "Scan", "Tag", "anchor_key", "as_text", "find_heading",
           "first_sentence_of", "is_attachment_name", "mask_code", "may_hold_block_ids", "may_hold_fences",
           "may_hold_tags", "parse_wikilink", "plain_title", "shorten", "splice"]


def mask_code(text: str, comments: bool = True) -> str:
    """`text` with everything but prose blanked (same length, same lines): code, comments and
    math; with `comments` False, code only (fenced and indented blocks, code spans)."""
    scan = Scan(text)
    return scan.masked if comments else scan.code_masked


def splice(text: str, replacements: Iterable[tuple[int, int, str | None]]) -> str:
    """`text` with each `(start, end, new)` span replaced by `new` (None: left as written); the
    spans in order, not overlapping, taken one by one (a replacement may be made as it is asked)."""
    out, position = [], 0
    for start, end, new in replacements:
        if new is None:
            continue
        out.append(text[position:start])
        out.append(new)
        position = end
    if not out:
        return text
    out.append(text[position:])
    return "".join(out)
