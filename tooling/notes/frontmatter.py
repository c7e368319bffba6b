"""Split a note into YAML front matter and body, and parse the YAML the way every stage expects.

One definition of a line for the whole note layer: lines end at `\\n` (`\\r\\n` included). YAML
itself also breaks lines at a lone `\\r`, U+0085, U+2028 and U+2029, so positions from the YAML
parser are taken as character offsets (`Mark.index`) and turned into lines here, never trusted
as line numbers.

Dates stay strings here: libyaml would otherwise raise a bare ValueError for `2024-02-30` and lose
the whole mapping. The checks validate dates themselves, with the line of the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

FENCE = "---"
BOM = "\ufeff"
# The closing fence, with the newline before it: `re` finds a leading literal fast, where `^` with
# MULTILINE is tried at every character (3x slower over every note's front matter).
_CLOSER = re.compile(r"\n(?:---|\.\.\.)[ \t]*\r?(?=\n|\Z)")
# A top-level key (group 1) or a list item with its indentation (group 2), one line each.
# Greedy up to the first colon: a lazy scan would be quadratic on long runs of spaces.
_KEY_OR_ITEM = re.compile(r"^(?:([^\s#\-][^:\n]*):(?=[ \t\r\n]|$)|([ \t]*)-(?=[ \t\r\n]|$))",
                          re.MULTILINE)
MAX_DEPTH = 32  # nesting of lists and mappings in a field value: deeper is refused, not recursed


class NoteLoader(yaml.CSafeLoader):
    """libyaml's fast safe loader, with timestamps kept as the strings the user wrote, and keys
    written twice in one mapping recorded in `repeats` (YAML silently keeps the last value).

    Found while constructing, at no extra pass: a mapping with fewer keys than pairs had a repeat.
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self.repeats: list[tuple[str, int, int]] = []  # (key, offset of first, offset of repeat)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        own = node.value  # flattening merge keys (`<<`) deletes them from this very list
        mapping = super().construct_mapping(node, deep=deep)
        if len(mapping) < len(own) or own is not node.value:  # a repeat, or merged pairs
            self._note_repeats(own)
        return mapping

    def _note_repeats(self, pairs: list[tuple[yaml.Node, yaml.Node]]) -> None:
        first: dict[Any, yaml.Node] = {}
        for key_node, _ in pairs:
            key = self.construct_object(key_node)
            seen = first.setdefault(key, key_node)
            if seen is not key_node:
                self.repeats.append((str(key), seen.start_mark.index, key_node.start_mark.index))


def _timestamp_as_text(loader: yaml.BaseLoader, node: yaml.Node) -> Any:
    return loader.construct_scalar(node)  # type: ignore[arg-type]


NoteLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)

# Types YAML can build that no field holds and that show wrongly everywhere (`b'hello'`, a set in
# any order) or cannot become JSON: refused with the line, like aliases.
_REFUSED_TAGS = {"binary": "binary data", "set": "a set", "omap": "an ordered mapping",
                 "pairs": "a list of pairs"}


def _refuse_tag(loader: yaml.BaseLoader, node: yaml.Node) -> Any:
    name = node.tag.rsplit(":", 1)[-1]
    raise yaml.constructor.ConstructorError(
        None, None, f"the !!{name} tag ({_REFUSED_TAGS[name]}) is not allowed in front matter; "
        "write the value as text or a list", node.start_mark)


for _tag in _REFUSED_TAGS:
    NoteLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)


def as_written(yaml_text: str, key: str) -> str | None:
    """The text of a top-level scalar field as written (`yes`, where YAML reads true), or None."""
    try:
        root = yaml.compose(yaml_text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    for key_node, value_node in root.value:
        if key_node.value == key and isinstance(value_node, yaml.ScalarNode):
            return str(value_node.value)
    return None


class FrontMatterError(Exception):
    """Front matter that cannot be read; `line` is 1-based in the file."""

    def __init__(self, code: str, line: int, message: str):
        super().__init__(message)
        self.code = code
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class RepeatedKey:
    """A key written twice in one mapping of the front matter: YAML keeps the value on `line`."""

    key: str
    first_line: int
    line: int


@dataclass(slots=True)
class Split:
    """A note's text cut in two. `yaml_text` is None when the note has no front matter.

    Offsets are in the text after its byte-order mark (`bom` says whether it had one).
    """

    yaml_text: str | None
    yaml_line: int  # 1-based line of the first YAML line
    end_line: int  # 1-based line of the closing fence (0 without front matter)
    body: str
    body_line: int
    yaml_start: int = 0  # offset of the first YAML character
    fence_start: int = 0  # offset of the closing fence's line
    bom: bool = False


def split(text: str) -> Split:
    """Cut `text` at its front-matter fences; raise FrontMatterError if the closing one is missing."""
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    if not (text.startswith("---\n") or text.startswith("---\r\n") or text.rstrip() == FENCE):
        return Split(None, 0, 0, text, 1, bom=bom)
    opening = text.index("\n") + 1 if "\n" in text else len(text)
    closing = _CLOSER.search(text, opening - 1)
    if closing is None:
        raise FrontMatterError(
            "unclosed-front-matter", 1, "front matter opened with '---' is never closed"
        )
    fence_start = closing.start() + 1
    yaml_text = text[opening:fence_start]
    end_line = 2 + yaml_text.count("\n")
    body_start = closing.end() + 1 if closing.end() < len(text) else closing.end()
    return Split(yaml_text, 2, end_line, text[body_start:], end_line + 1, opening, fence_start, bom)


def line_at(text: str, index: int, first_line: int) -> int:
    """The line (counting `\\n` only) of a character offset in `text` that starts at `first_line`."""
    return first_line + text.count("\n", 0, max(0, min(index, len(text))))


def parse_yaml(yaml_text: str, yaml_line: int) -> dict[str, Any]:
    """Parse front matter into a mapping; errors carry the file line of the problem.

    Refused as invalid: YAML aliases (`*name`: a few hundred bytes of them expand into gigabytes,
    or into a value that contains itself), values nested deeper than MAX_DEPTH, and anything the
    constructor rejects (an integer of more than 4,300 digits).
    """
    return parse_front_matter(yaml_text, yaml_line)[0]


def parse_front_matter(yaml_text: str, yaml_line: int) -> tuple[dict[str, Any], list[RepeatedKey]]:
    """`parse_yaml`, and the keys written twice (which YAML accepts, keeping the last value)."""
    if "*" in yaml_text:
        _refuse_aliases(yaml_text, yaml_line)
    loader = NoteLoader(yaml_text)
    checked = False  # whether the nesting depth was checked while constructing
    try:
        node = loader.get_single_node()
        data, checked = _construct(loader, node) if node is not None else (None, True)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = line_at(yaml_text, mark.index, yaml_line) if mark is not None else yaml_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FrontMatterError("invalid-yaml", line, f"invalid YAML: {problem}") from None
    except BadScalar as exc:
        raise FrontMatterError("invalid-yaml", line_at(yaml_text, exc.index, yaml_line),
                               f"invalid YAML: {_scalar_problem(exc.error)}") from None
    except KeyError as exc:
        raise FrontMatterError("invalid-yaml", yaml_line,
                               f"invalid YAML: {_scalar_problem(exc)}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise FrontMatterError("invalid-yaml", yaml_line,
                               f"invalid YAML: {_short(str(exc)) or type(exc).__name__}") from None
    finally:
        loader.dispose()
    repeats = [RepeatedKey(key, line_at(yaml_text, first, yaml_line), line_at(yaml_text, at, yaml_line))
               for key, first, at in sorted(loader.repeats, key=lambda repeat: repeat[2])]
    if data is None:
        return {}, repeats
    if not isinstance(data, dict):
        raise FrontMatterError(
            "not-a-mapping",
            yaml_line,
            f"front matter must be a mapping of fields, not a {type(data).__name__}",
        )
    meta = {str(key): value for key, value in data.items()}
    for key, value in () if checked else meta.items():
        if isinstance(value, (list, dict)) and _too_deep(value):
            line = key_lines(yaml_text, yaml_line)[0].get(key, yaml_line)
            raise FrontMatterError("invalid-yaml", line,
                                   f"invalid YAML: '{key}' is nested more than {MAX_DEPTH} levels deep")
    return meta, repeats


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_SCALARS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null",
                                                               "timestamp"))
_KEYS = _SCALARS | {_STR}


class BadScalar(Exception):
    """A tagged scalar its constructor refuses, with the offset of the value."""

    def __init__(self, error: Exception, index: int) -> None:
        super().__init__(str(error))
        self.error, self.index = error, index


class _Unusual(Exception):
    """A node the direct construction leaves to PyYAML's constructor (see `_construct`)."""


def _construct(loader: NoteLoader, root: yaml.Node) -> tuple[Any, bool]:
    """The value of a composed document, and whether its depth was checked on the way.

    Front matter is a small tree of plain mappings, lists and scalars (aliases are refused
    before this), which is built here directly: the same values PyYAML's constructor gives, at
    about two thirds of its cost (it is a third of `kb check`). Anything else (merge keys, other
    tags, unhashable keys, nesting past MAX_DEPTH) is left to that constructor, which builds it or
    raises its error; a test compares both on generated and real front matter.
    """
    try:
        return _build(loader, root, 1), True
    except (_Unusual, RecursionError):
        del loader.repeats[:]
        return loader.construct_document(root), False


def _build(loader: NoteLoader, node: yaml.Node, depth: int) -> Any:
    tag, kind = node.tag, type(node)
    if kind is yaml.ScalarNode:
        if tag == _STR:
            return node.value
        if tag in _SCALARS:
            try:
                return loader.yaml_constructors[tag](loader, node)
            except (ValueError, KeyError) as exc:  # `!!int abc`, `!!bool maybe`
                raise BadScalar(exc, node.start_mark.index) from None
        raise _Unusual
    if depth > MAX_DEPTH:
        raise _Unusual
    if kind is yaml.SequenceNode and tag == _SEQ:
        return [_build(loader, item, depth + 1) for item in node.value]
    if kind is not yaml.MappingNode or tag != _MAP:
        raise _Unusual
    mapping: dict[Any, Any] = {}
    first: dict[Any, yaml.Node] = {}
    for key_node, value_node in node.value:
        if key_node.tag not in _KEYS or type(key_node) is not yaml.ScalarNode:
            raise _Unusual  # a merge key (`<<`), a `=` key, a list or mapping as a key
        key = _build(loader, key_node, depth + 1)
        if key in mapping:
            seen = first[key]
            loader.repeats.append((str(key), seen.start_mark.index, key_node.start_mark.index))
        else:
            first[key] = key_node
        mapping[key] = _build(loader, value_node, depth + 1)
    return mapping


def _scalar_problem(error: Exception) -> str:
    if isinstance(error, KeyError):  # `!!bool maybe`: PyYAML looks the word up in its table
        return f"{_short(str(error))} is not a value its tag allows (a !!bool is true or false)"
    return _short(str(error)) or type(error).__name__


def _refuse_aliases(yaml_text: str, yaml_line: int) -> None:
    try:
        for event in yaml.parse(yaml_text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                line = line_at(yaml_text, mark.index, yaml_line) if mark else yaml_line
                raise FrontMatterError("invalid-yaml", line,
                                       f"invalid YAML: aliases (*{_short(str(event.anchor))}) are "
                                       "not allowed in front matter; write the value out")
    except yaml.YAMLError:
        return  # the real parse reports it, with its line


def _too_deep(value: Any) -> bool:
    """Whether lists/mappings nest deeper than MAX_DEPTH (iterative: no recursion to exhaust)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = current.values() if isinstance(current, dict) else current
        stack.extend((child, depth + 1) for child in children if isinstance(child, (list, dict)))
    return False


def _short(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


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
            current, indent = key.rstrip().strip("'\""), None
            fields.setdefault(current, line)
        elif current is not None:
            depth = len(match.group(2))
            if indent is None:
                indent = depth  # nested lists (deeper items) are not the key's own items
            if depth == indent:
                items.setdefault(current, []).append(line)
    return fields, items
