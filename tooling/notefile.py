"""Render a new note file: YAML front matter (in the order given) and a body."""

from __future__ import annotations

from typing import Any

import yaml


class _NoteDumper(yaml.SafeDumper):
    """Block style, unicode kept, multi-line strings as literal blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_NoteDumper.add_representer(str, _str)


def dump_fields(meta: dict[str, Any]) -> str:
    """Front-matter lines for `meta`, keys in insertion order."""
    if not meta:
        return ""
    return yaml.dump(meta, Dumper=_NoteDumper, sort_keys=False, allow_unicode=True, width=1 << 16,
                     default_flow_style=False)


def render_note(meta: dict[str, Any], body: str) -> str:
    """The full text of a note file."""
    return f"---\n{dump_fields(meta)}---\n{body}"
