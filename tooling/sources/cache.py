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
from .work import Work

FORMAT = 1  # entries of another format are ignored (asked again)


@dataclass(frozen=True, slots=True)
class DayFiles:
    """JSON files in `folder`, each `{"format", "fetched", ...}`, fresh for the day `today`."""

    folder: Path
    today: str
    format: int = FORMAT

    def load(self, name: str) -> dict[str, Any] | None:
        """The entry stored under `name` today in this format, or None (missing, damaged, stale)."""
        try:
            data = json.loads((self.folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # missing or damaged: just ask again
        fresh = isinstance(data, dict) and data.get("fetched") == self.today
        return data if fresh and data.get("format") == self.format else None

    def store(self, name: str, data: dict[str, Any]) -> None:
        entry = {"format": self.format, "fetched": self.today, **data}
        try:
            write_atomic(self.folder / name, json.dumps(entry, ensure_ascii=False, indent=1),
                         durable=False)
        except OSError:
            pass  # a read-only or full cache only costs a request next time


@dataclass(frozen=True, slots=True)
class DayCache:
    """JSON files under `<root>/.kb-cache/<service>/`, fresh for the local day: `<hash>.json`
    holds `{"format", "fetched", "key", "works"}`, `works` empty for a key the source does not
    know (an identifier) or finds nothing for (a title search)."""

    folder: Path
    today: str

    @classmethod
    def at(cls, root: Path, service: str, today: dt.date | None = None) -> DayCache:
        return cls(Path(root) / ".kb-cache" / service.lower(),
                   (today or dt.date.today()).isoformat())

    def get(self, key: str) -> list[Work] | None:
        """The works stored for `key` today (possibly none), or None when not asked today."""
        data = DayFiles(self.folder, self.today).load(_name(key))
        if data is None or data.get("key") != key or not isinstance(data.get("works"), list):
            return None
        try:
            return [Work.from_json(entry) for entry in data["works"]]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # damaged: asked again

    def put(self, key: str, works: list[Work]) -> None:
        DayFiles(self.folder, self.today).store(
            _name(key), {"key": key, "works": [work.as_json() for work in works]})


def _name(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24] + ".json"
