"""The JSON sources' answers kept for the day, so a second `kb add` or `kb fetch` the same day
asks nothing (metadata changes at most daily). Derived and disposable, like arXiv's own cache in
`tooling/arxiv/cache.py`: delete `.kb-cache/` at will.
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
        try:
            data = json.loads((self.folder / _name(key)).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # missing or damaged: just ask again
        if not (isinstance(data, dict) and data.get("fetched") == self.today
                and data.get("format") == FORMAT and data.get("key") == key
                and isinstance(data.get("works"), list)):
            return None
        try:
            return [Work.from_json(entry) for entry in data["works"]]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # damaged: asked again

    def put(self, key: str, works: list[Work]) -> None:
        entry: dict[str, Any] = {"format": FORMAT, "fetched": self.today, "key": key,
                                 "works": [work.as_json() for work in works]}
        try:
            write_atomic(self.folder / _name(key), json.dumps(entry, ensure_ascii=False, indent=1),
                         durable=False)
        except OSError:
            pass  # a read-only or full cache only costs a request next time


def _name(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24] + ".json"
