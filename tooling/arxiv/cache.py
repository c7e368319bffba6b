"""arXiv's answers kept for the day, so a second `kb fetch` makes no request (arXiv asks clients to
cache: its results change at most daily), by the sources' one day-cache rule (`sources/cache.py`).
Derived and disposable: delete the folder at will.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..notes.ids import fold
from ..sources.cache import DayFiles
from .records import Record

FORMAT = 2  # entries of another format are ignored (asked again)


@dataclass(frozen=True, slots=True)
class Cache:
    """JSON files under `<root>/.kb-cache/arxiv/`, fresh for the local day.

    `<id>.json` (`/` of old-style ids as `_`) holds `{"format", "fetched", "id", "record"}`,
    `record` null for an id arXiv does not know; `title-<hash>.json` holds a title search's
    records.
    """

    folder: Path
    today: str
    root: Path | None = None  # the base the folder must stay inside

    @classmethod
    def at(cls, root: Path, today: dt.date | None = None) -> Cache:
        return cls(Path(root) / ".kb-cache" / "arxiv", (today or dt.date.today()).isoformat(),
                   Path(root))

    def _load(self, name: str) -> dict[str, Any] | None:
        return DayFiles(self.folder, self.today, FORMAT, self.root).load(name)

    def _store(self, name: str, data: dict[str, Any]) -> None:
        DayFiles(self.folder, self.today, FORMAT, self.root).store(name, data)

    def get_id(self, base: str) -> tuple[bool, Record | None]:
        """(found in cache, record or None for an id arXiv does not know)."""
        data = self._load(_id_file(base))
        if data is None or "record" not in data:
            return False, None
        if data["record"] is None:
            return True, None
        record = _record(data["record"])
        return (record is not None), record

    def put_id(self, base: str, record: Record | None) -> None:
        self._store(_id_file(base), {"id": base, "record": record.as_json() if record else None})

    def get_title(self, title: str) -> list[Record] | None:
        data = self._load(_title_file(title))
        if data is None or not isinstance(data.get("records"), list):
            return None
        records = [_record(entry) for entry in data["records"]]
        return None if None in records else [r for r in records if r is not None]

    def put_title(self, title: str, records: list[Record]) -> None:
        self._store(_title_file(title), {"title": title, "records": [r.as_json() for r in records]})


def _record(data: Any) -> Record | None:
    try:
        return Record.from_json(data)
    except (KeyError, TypeError, ValueError):
        return None  # damaged: asked again


def _id_file(base: str) -> str:
    return base.replace("/", "_") + ".json"


def _title_file(title: str) -> str:
    return f"title-{hashlib.sha256(fold(title).encode()).hexdigest()[:16]}.json"
