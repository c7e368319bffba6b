"""Values leaving for other programs (`kb query` and `kb report` CSV and JSON): a CSV cell no
spreadsheet runs as a formula, JSON that every parser reads.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel,
LibreOffice and Google Sheets (`=HYPERLINK(...)`, `@SUM(...)`, `-2+3`); such a cell gets a leading
`'`, which they show as text, as OWASP recommends. Numbers stay numbers (`-3` is -3). JSON has no
`Infinity` or `NaN` (Python's `json` writes them, strict parsers refuse them): they are written as
the strings "inf", "-inf" and "nan", as front-matter values `.inf` already are in queries.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def csv_cell(value: Any) -> Any:
    """The value as a CSV cell a spreadsheet shows as written."""
    if isinstance(value, (int, float)) or not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def finite(value: Any) -> Any:
    """The value with every non-finite float as text, for strict JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, Mapping):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value
