"""The lark parser of `grammar.lark`, loaded from its saved LALR tables when they match.

Building the LALR tables takes longer than `kb check` spends on a hundred notes, and every run
that meets a query would pay it. `grammar.tables` holds them, saved by lark (`Lark.save`), after a
first line naming the SHA-256 of the grammar and the lark version they were built from. When
either differs, or the tables do not load, the parser is built from the grammar: a stale file
costs time, never correctness. Regenerate with `python -m tooling.study.query.parser`; a test
checks that the shipped tables match the grammar.
"""

from __future__ import annotations

import hashlib
import io
import sys
from functools import cache
from pathlib import Path

import lark
from lark import Lark

GRAMMAR = Path(__file__).with_name("grammar.lark")
TABLES = Path(__file__).with_name("grammar.tables")


def stamp() -> bytes:
    """What the tables must have been built from: this grammar, this lark."""
    digest = hashlib.sha256(GRAMMAR.read_bytes()).hexdigest()
    return f"kb-query {digest} lark {lark.__version__}\n".encode()


def build() -> Lark:
    # LALR: linear time, and the contextual lexer lets a keyword double as a field name.
    return Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr", maybe_placeholders=False)


@cache
def parser() -> Lark:
    try:
        data = TABLES.read_bytes()
    except OSError:
        return build()
    head, _, tables = data.partition(b"\n")
    if head + b"\n" != stamp():
        return build()
    try:
        return Lark.load(io.BytesIO(tables))
    except Exception:  # tables from another lark that load badly: build instead
        return build()


def save(path: Path = TABLES) -> None:
    """Write the tables of a freshly built parser, stamped."""
    buffer = io.BytesIO()
    build().save(buffer)
    path.write_bytes(stamp() + buffer.getvalue())


if __name__ == "__main__":
    save(Path(sys.argv[1]) if len(sys.argv) > 1 else TABLES)
    print(f"wrote {TABLES if len(sys.argv) < 2 else sys.argv[1]}")
