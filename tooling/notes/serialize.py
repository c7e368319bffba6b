"""How a note's front matter is written: one field at a time, so it reads back as exactly the
value given, looking the way people write YAML by hand (dates plain, ids quoted, lists indented,
the ownership record on one line). Every command that writes front matter writes through here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import yaml

from ..schema import DATE_FIELDS, SYNC_FIELD
from .frontmatter import NoteLoader

_WRAPPED = frozenset({"abstract"})  # long prose is wrapped; other values stay on one line
_FLOW_LISTS = frozenset({"categories", "concepts", "tags"})
_FLOW_WORD = re.compile(r"\w[\w .-]*")


def plain(value: Any) -> Any:
    """A field value as plain data: dates as ISO strings, tuples as lists."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    return value



def format_record(record: Mapping[str, Any]) -> str:
    """`arxiv_sync: {fetched: 2026-11-25, title: 3f2a9c1e}`: one line, every value a string."""
    items = ", ".join(f"{_flow_scalar(key)}: {_flow_scalar(plain(value))}"
                      for key, value in record.items())
    return f"{SYNC_FIELD}: {{{items}}}"


def _flow_scalar(value: Any) -> str:
    text = str(value)
    plain_ok = re.fullmatch(r"[\w.-]+", text) and _reads_as_text(text, dates_ok=True)
    return text if plain_ok else "'" + text.replace("'", "''") + "'"


_RESOLVER = yaml.resolver.Resolver()
_STR, _TIMESTAMP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"


@lru_cache(maxsize=65536)
def _reads_as_text(text: str, dates_ok: bool = False) -> bool:
    """Would `text`, written as a plain (unquoted) scalar, read back as this same string?

    Dates count only with `dates_ok`: the note loader keeps them as strings, other YAML readers
    would not.
    """
    if not text or text != text.strip() or not text.isprintable():
        return False
    if text[0] in "-?:,[]{}#&*!|>'\"%@`" or ": " in text or " #" in text or text.endswith(":"):
        return False  # YAML syntax where a plain scalar would start or stop
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    return tag == _STR or (dates_ok and tag == _TIMESTAMP)



class _Dumper(yaml.SafeDumper):
    """Block lists indented under their key (`  - Kevin Meng`), as people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def dump_field(key: str, value: Any) -> str:
    """`key: value` as YAML lines (ending in a newline) that read back as exactly `value`.

    The ownership record (a mapping under `arxiv_sync`) is written on one line.
    """
    if key == SYNC_FIELD and isinstance(value, Mapping):
        return format_record(value) + "\n"
    name = key if re.fullmatch(r"[A-Za-z_][\w-]*", key) else json.dumps(key, ensure_ascii=False)
    if key in DATE_FIELDS and isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return f"{name}: {value}\n"  # plain, like people write dates; the loader keeps it a string
    if key == "arxiv" and isinstance(value, str):
        return f"{name}: {json.dumps(value)}\n"  # quoted: unquoted 2202.05260 would be a number
    if type(value) is int or (isinstance(value, str) and _reads_as_text(value)
                              and (key not in _WRAPPED or len(value) <= 80)):
        return f"{name}: {value}\n"  # the common case, without a round trip through PyYAML
    if name == key and isinstance(value, list) and _plain_items(value, flow=key in _FLOW_LISTS):
        # A list of plain words, written as PyYAML would write it, without asking it.
        if key in _FLOW_LISTS:
            return f"{name}: [{', '.join(value)}]\n"
        return f"{name}:\n" + "".join(f"  - {item}\n" for item in value)
    if name == key and isinstance(value, Mapping) and _plain_mapping(value):
        # A mapping of plain words (an imported entry's `bibtex: {type: article}`), likewise.
        return f"{name}:\n" + "".join(f"  {k}: {v}\n" for k, v in value.items())
    text = yaml.dump({key: plain(value)}, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=None if key in _FLOW_LISTS else False,
                     width=88 if key in _WRAPPED else 1_000_000)
    if yaml.load(text, NoteLoader) != {key: plain(value)}:  # never write what reads back wrong
        text = f"{name}: {json.dumps(plain(value), ensure_ascii=False)}\n"
    return text


def _plain_items(items: list[Any], flow: bool) -> bool:
    """Items that are strings YAML reads back as themselves unquoted (in a `[flow, list]`, also
    made of words, as flow syntax quotes much else)."""
    return bool(items) and all(
        isinstance(item, str) and _reads_as_text(item) and not item.startswith(("...", "---"))
        and (not flow or _FLOW_WORD.fullmatch(item) is not None) for item in items)


def _plain_mapping(mapping: Mapping[Any, Any]) -> bool:
    """A non-empty mapping of plain keys to whole numbers or strings YAML reads back as
    themselves unquoted."""
    return bool(mapping) and all(
        isinstance(k, str) and _KEY.fullmatch(k) is not None and _reads_as_text(k)
        and (type(v) is int or (isinstance(v, str) and _reads_as_text(v)
                                and not v.startswith(("...", "---"))))
        for k, v in mapping.items())


_KEY = re.compile(r"[A-Za-z_][\w-]*")


def dump_fields(meta: Mapping[str, Any]) -> str:
    """Front-matter lines for `meta`: its fields in order, the ownership record last."""
    record = meta.get(SYNC_FIELD)
    return ("".join(dump_field(key, value) for key, value in meta.items() if key != SYNC_FIELD)
            + (dump_field(SYNC_FIELD, record) if isinstance(record, Mapping) else ""))


def note_text(meta: Mapping[str, Any], body: str) -> str:
    """The full text of a new note: its front matter, then the body."""
    return f"---\n{dump_fields(meta)}---\n{body}"
