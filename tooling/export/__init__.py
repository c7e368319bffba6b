"""The base in other tools' formats (`bibtex`, `csl`). Exporters read the loaded base; they never
talk to a source."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..base import open_base
from ..errors import KbError
from ..model import Note
from ..schema import PAPER


def select(notes: Iterable[Note], status: str | None = None, tag: str | None = None) -> list[Note]:
    """The notes with that status and tag (either filter optional)."""
    return [note for note in notes
            if (status is None or note.status == status)
            and (tag is None or tag in note.tags)]


def selected(root: Path, ids: Iterable[str] = (), status: str | None = None,
             tag: str | None = None) -> list[Note]:
    """The paper notes to export: those named, or all (sorted by id), filtered; KbError when
    nothing is selected."""
    kb = open_base(root)
    names = list(ids)
    notes = kb.papers_named(names) if names else sorted(
        (n for n in kb.index.notes.values() if n.kind == PAPER and n.readable), key=lambda n: n.id)
    chosen = select(notes, status, tag)
    if not chosen:
        raise KbError("no paper note matches the selection; nothing written")
    return chosen
