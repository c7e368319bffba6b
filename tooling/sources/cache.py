"""Every source's answers kept for the day, so a second `kb add` or `kb fetch` the same day asks
nothing (metadata changes at most daily). Derived and disposable: delete `.kb-cache/` at will.

`DayFiles` is the one rule (a JSON file per key under `.kb-cache/<source>/`, read back only the
day it was written, in the format it was written); `DayCache` keeps Works with it, and arXiv's
cache (`tooling/arxiv/cache.py`) its own records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..notes.atomic import write_atomic
from ..notes.inside import inside
from .work import Work

FORMAT = 1  # entries of another format are ignored (asked again)


@dataclass(frozen=True, slots=True)
class DayFiles:
    """JSON files in `folder`, each `{"format", "fetched", ...}`, fresh for the day `today`;
    with `root`, only where the file stays inside that base (a cache folder that is a link out
    of it is neither read nor written: `notes/inside.py`)."""

    folder: Path
    today: str
    format: int = FORMAT
    root: Path | None = None

    def load(self, name: str) -> dict[str, Any] | None:
        """The entry stored under `name` today in this format, or None (missing, damaged, stale,
        or out of the base)."""
        path = self.folder / name
        try:
            if self.root is not None:
                path = inside(self.root, path)
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # missing or damaged: just ask again
        fresh = isinstance(data, dict) and data.get("fetched") == self.today
        return data if fresh and data.get("format") == self.format else None

    def store(self, name: str, data: dict[str, Any]) -> None:
        entry = {"format": self.format, "fetched": self.today, **data}
        try:
            write_atomic(self.folder / name, json.dumps(entry, ensure_ascii=False, indent=1),
                         durable=False, root=self.root)
        except OSError:
            pass  # a read-only, full or linked-out cache only costs a request next time


@dataclass(frozen=True, slots=True)
class DayCache:
    """JSON files under `<root>/.kb-cache/<service>/`, fresh for the local day: `<hash>.json`
    holds `{"format", "fetched", "key", "works"}`, `works` empty for a key the source does not
    know (an identifier) or finds nothing for (a title search)."""

    folder: Path
    today: str
    root: Path | None = None  # the base the folder must stay inside

    @classmethod
    def at(cls, root: Path, service: str, today: dt.date | None = None) -> DayCache:
        return cls(Path(root) / ".kb-cache" / service.lower(),
                   (today or dt.date.today()).isoformat(), Path(root))

    def get(self, key: str) -> list[Work] | None:
        """The works stored for `key` today (possibly none), or None when not asked today."""
        data = DayFiles(self.folder, self.today, root=self.root).load(_name(key))
        if data is None or data.get("key") != key or not isinstance(data.get("works"), list):
            return None
        try:
            return [Work.from_json(entry) for entry in data["works"]]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # damaged: asked again

    def put(self, key: str, works: list[Work]) -> None:
        DayFiles(self.folder, self.today, root=self.root).store(
            _name(key), {"key": key, "works": [work.as_json() for work in works]})


def _name(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24] + ".json"
