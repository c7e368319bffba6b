"""The front-matter editor: set, replace or remove fields by changing only those fields' lines.

Every other byte stays as it was: comments, key order, quoting, unknown keys, line endings, the
byte-order mark and the whole body. A field's lines are found from the YAML parser's character
offsets (never its line numbers, which count U+2028 and friends as line breaks) and widened to
whole `\\n` lines; trailing blank and comment lines belong to nobody and are never touched. The
result is parsed again and compared with what was asked before anything is returned, so an edit
either does exactly what it says or raises `EditError`. `kb fetch`, `kb mark` and the review log
all edit notes through here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .atomic import ChangedMeanwhile, update_file
from .frontmatter import BOM, FrontMatterError, parse_yaml, split
from .serialize import dump_field, plain

DELETE = None  # an update to this value removes the field
_INLINE_COMMENT = re.compile(r"[\s:,\]}]*#")
_TRAILING_COMMENT = re.compile(r"([ \t]+#[^\r\n]*)\r?\n?$")


class EditError(Exception):
    """Front matter this editor will not touch (the reason is a sentence a user can act on)."""


@dataclass(frozen=True, slots=True)
class Span:
    """A top-level field's whole lines, as offsets in the YAML text ([start, end)), and whether a
    comment sits among them (the field is then the user's, for the arXiv ownership rule)."""

    start: int
    end: int
    commented: bool
    comment: str = ""  # a one-line field's trailing `  # words`, kept when its value is replaced


def field_spans(yaml_text: str) -> dict[str, Span]:
    """Where each top-level field's key and value sit. EditError for front matter whose fields do
    not each own whole lines (a flow mapping, two fields on one line, a duplicate key)."""
    try:
        root = yaml.compose(yaml_text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        raise EditError(f"invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise EditError("front matter written as a {flow mapping} cannot be edited line by line")
    spans: dict[str, Span] = {}
    previous_end = 0
    for key_node, value_node in root.value:
        start = _line_start(yaml_text, key_node.start_mark.index)
        end = _line_end(yaml_text, value_node.end_mark.index)
        end = _trim_trailing(yaml_text, start, end)
        name = str(key_node.value)
        if start < previous_end or name in spans:
            raise EditError(f"field '{name}' shares a line with another field or is written twice; "
                            "put each field on its own lines")
        block = yaml_text[start:end]
        commented = any(line.lstrip().startswith("#") for line in block.split("\n")[1:])
        tail = _TRAILING_COMMENT.match(yaml_text, value_node.end_mark.index, end)
        comment = tail.group(1) if tail is not None and block.count("\n") <= 1 else ""
        spans[name] = Span(start, end, commented or _inline_comment(yaml_text, [key_node, value_node]),
                           comment)
        previous_end = end
    return spans


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """End of the line holding the character before `index` (a node ends after its last char)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _trim_trailing(text: str, start: int, end: int) -> int:
    """Drop blank and comment lines at the end of a span (they belong to nobody)."""
    while end > start:
        line_start = text.rfind("\n", start, end - 1) + 1
        if line_start <= start:
            break
        line = text[line_start:end].strip()
        if line and not line.startswith("#"):
            break
        end = line_start
    return end


def _inline_comment(text: str, nodes: list[yaml.Node]) -> bool:
    """Does a `# comment` follow any scalar of these nodes on its line?"""
    while nodes:
        node = nodes.pop()
        if isinstance(node, yaml.ScalarNode):
            index = node.end_mark.index
            newline = text.find("\n", index)
            if _INLINE_COMMENT.match(text, index, newline if newline >= 0 else len(text)):
                return True
        elif isinstance(node, yaml.SequenceNode):
            nodes.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            nodes.extend(item for pair in node.value for item in pair)
    return False


def edit_text(text: str, updates: Mapping[str, Any], *, insert_before: str | None = None) -> str:
    """`text` with each field of `updates` set to its value (DELETE removes it).

    A field present is replaced in place; a new one goes before the `insert_before` field when
    there is one, else after the last field (a note without front matter gets some).
    Raises FrontMatterError for unreadable front matter and EditError for front matter that
    cannot be edited safely; `text` comes back unchanged when nothing changes.
    """
    parts = split(text)
    head = BOM if parts.bom else ""
    body_text = text[len(head):]
    eol = "\r\n" if re.match(r"[^\n]*\r\n", body_text) else "\n"
    blocks = {key: "" if value is DELETE else _with_eol(dump_field(key, value), eol)
              for key, value in updates.items()}
    if parts.yaml_text is None:
        added = "".join(block for block in blocks.values())
        return text if not added else f"{head}---{eol}{added}---{eol}{body_text}"
    yaml_text = parts.yaml_text
    before = parse_yaml(yaml_text, parts.yaml_line)
    spans = field_spans(yaml_text)
    edits: list[tuple[int, int, str]] = []
    inserts = ""
    for key, block in blocks.items():
        span = spans.get(key)
        if span is not None:
            edits.append((span.start, span.end, _keep_comment(key, span, block, eol)))
        elif block:
            inserts += block
    if inserts:
        anchor = spans.get(insert_before) if insert_before else None
        # Before the anchor, else right after the last field (trailing blank and comment lines
        # stay last).
        where = (anchor.start if anchor is not None
                 else max((span.end for span in spans.values()), default=len(yaml_text)))
        if where == len(yaml_text) and yaml_text and not yaml_text.endswith("\n"):
            inserts = eol + inserts
        edits.append((where, where, inserts))
    new_yaml = yaml_text
    for start, stop, block in sorted(edits, key=lambda edit: edit[0], reverse=True):
        new_yaml = new_yaml[:start] + block + new_yaml[stop:]
    if new_yaml == yaml_text:
        return text
    _verify(before, new_yaml, parts.yaml_line, updates)
    start = len(head) + parts.yaml_start
    return text[:start] + new_yaml + text[len(head) + parts.fence_start:]


def _keep_comment(key: str, span: Span, block: str, eol: str) -> str:
    """The new lines of a replaced field, with the comment the user wrote on its line kept
    (`status: reading  # halfway`); EditError when a comment could not be kept in place."""
    if not span.commented or not block:
        return block
    if span.comment and block.count("\n") == 1:
        return block[: -len(eol)] + span.comment + eol
    raise EditError(f"field '{key}' carries a comment this edit would drop; edit it by hand")


def _with_eol(block: str, eol: str) -> str:
    return block if eol == "\n" else block.replace("\n", eol)


def _verify(before: dict[str, Any], new_yaml: str, yaml_line: int, updates: Mapping[str, Any]) -> None:
    """The edited front matter must read back as the old one with exactly `updates` applied."""
    try:
        after = parse_yaml(new_yaml, yaml_line)
    except FrontMatterError as exc:
        raise EditError(f"the edit would not read back ({exc.message}); nothing was changed") from None
    expected = {key: value for key, value in before.items() if key not in updates}
    expected.update({key: value for key, value in updates.items() if value is not DELETE})
    if plain(after) != plain(expected):
        raise EditError("the edit would change other fields; nothing was changed")


def edit_file(path: Path, updates: Mapping[str, Any], *, root: Path,
              insert_before: str | None = None, dry_run: bool = False) -> tuple[str, str]:
    """Edit a note file of the base under `root` in place, atomically, by `atomic.update_file`'s
    rule (kb's writers wait for each other; an edit by another program is never lost).
    Returns (old text, new text); nothing is written when they are equal or on `dry_run`.
    Raises OSError, UnicodeDecodeError, FrontMatterError or EditError, with nothing written.
    """
    try:
        return update_file(Path(path), root,
                           lambda old: edit_text(old, updates, insert_before=insert_before),
                           dry_run=dry_run)
    except ChangedMeanwhile as exc:
        raise EditError(f"the note {exc}; nothing was changed") from None
