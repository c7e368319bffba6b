"""Split a note into YAML front matter and body, and parse the YAML the way every stage expects.

Dates stay strings here: libyaml would otherwise raise a bare ValueError for `2024-02-30` and lose
the whole mapping. The model validates dates itself, with the line of the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

FENCE = "---"
_CLOSER = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
# A top-level key (group 1) or a list item with its indentation (group 2), one line each.
_KEY_OR_ITEM = re.compile(r"^(?:([^\s#\-][^:\n]*?)[ \t]*:(?=[ \t\r\n]|$)|([ \t]*)-(?=[ \t\r\n]|$))",
                          re.MULTILINE)


class NoteLoader(yaml.CSafeLoader):
    """libyaml's fast safe loader, with timestamps kept as the strings the user wrote."""


NoteLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


class FrontMatterError(Exception):
    """Front matter that cannot be read; `line` is 1-based in the file."""

    def __init__(self, code: str, line: int, message: str):
        super().__init__(message)
        self.code = code
        self.line = line
        self.message = message


@dataclass(slots=True)
class Split:
    """A note's text cut in two. `yaml_text` is None when the note has no front matter."""

    yaml_text: str | None
    yaml_line: int  # 1-based line of the first YAML line
    end_line: int  # 1-based line of the closing fence (0 without front matter)
    body: str
    body_line: int


def split(text: str) -> Split:
    """Cut `text` at its front-matter fences; raise FrontMatterError if the closing one is missing."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not (text.startswith("---\n") or text.startswith("---\r\n") or text.rstrip() == FENCE):
        return Split(None, 0, 0, text, 1)
    opening = text.index("\n") + 1 if "\n" in text else len(text)
    closing = _CLOSER.search(text, opening)
    if closing is None:
        raise FrontMatterError(
            "unclosed-front-matter", 1, "front matter opened with '---' is never closed"
        )
    yaml_text = text[opening : closing.start()]
    end_line = 2 + yaml_text.count("\n")
    body_start = closing.end() + 1 if closing.end() < len(text) else closing.end()
    return Split(yaml_text, 2, end_line, text[body_start:], end_line + 1)


def parse_yaml(yaml_text: str, yaml_line: int) -> dict[str, Any]:
    """Parse front matter into a mapping; errors carry the file line of the problem."""
    try:
        data = yaml.load(yaml_text, Loader=NoteLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = yaml_line + (mark.line if mark is not None else 0)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FrontMatterError("invalid-yaml", line, f"invalid YAML: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError(
            "not-a-mapping",
            yaml_line,
            f"front matter must be a mapping of fields, not a {type(data).__name__}",
        )
    return {str(key): value for key, value in data.items()}


def key_lines(yaml_text: str, yaml_line: int) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Lines of each top-level key, and of each block-list item directly under it.

    A regex scan, not a second YAML pass: it keeps loading as fast as parsing alone.
    """
    fields: dict[str, int] = {}
    items: dict[str, list[int]] = {}
    current: str | None = None
    indent: int | None = None
    line, position = yaml_line, 0
    for match in _KEY_OR_ITEM.finditer(yaml_text):
        line += yaml_text.count("\n", position, match.start())
        position = match.start()
        key = match.group(1)
        if key is not None:
            current, indent = key.strip("'\""), None
            fields.setdefault(current, line)
        elif current is not None:
            depth = len(match.group(2))
            if indent is None:
                indent = depth  # nested lists (deeper items) are not the key's own items
            if depth == indent:
                items.setdefault(current, []).append(line)
    return fields, items
