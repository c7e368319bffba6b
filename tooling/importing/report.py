"""What an import did (or would do), as data: one row per note created, existing note linked,
input or note skipped, status mark to apply and file copied, plus the problems met.

`kb import` prints it as a table and `kb import --json` as JSON; nothing here reads or writes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..problems import ERROR, Problem, count, summary

CREATE, UPDATE, LINK, SKIP, MARK, COPY = "create", "update", "link", "skip", "mark", "copy"
ACTIONS = (CREATE, UPDATE, COPY, LINK, MARK, SKIP)
_VERBS = {CREATE: ("created", "would create"), UPDATE: ("updated", "would update"),
          COPY: ("copied", "would copy"),
          LINK: ("linked", "would link"), MARK: ("to mark", "to mark"),
          SKIP: ("skipped", "would skip")}
_JSON_KEYS = {CREATE: "created", UPDATE: "updated", COPY: "copied", LINK: "linked", MARK: "to_mark", SKIP: "skipped"}


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the import's table.

    `path` is the note (or file) in the base the row is about, or the input for a skipped input;
    `title` what it is; `source` where in the input (`path:line`); `detail` why, in words. A
    MARK row's `title` is the exact `kb mark ID STATUS` command to run.
    """

    action: str
    kind: str
    path: str
    title: str
    source: str
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "title": self.title, "source": self.source,
                "detail": self.detail}

    def show(self, dry_run: bool) -> str:
        verb = _VERBS[self.action][dry_run]
        if self.action == MARK:
            text = f"{verb:12} {self.title}  (from {self.source})"
        else:
            text = f"{verb} {self.kind:7} {self.path}  {self.title!r}  (from {self.source})"
        return text + (f": {self.detail}" if self.detail else "")


@dataclass(slots=True)
class ImportReport:
    """The rows and problems of one import; `written`/`copied` count what reached the disk."""

    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    written: int = 0
    copied: int = 0

    @property
    def failed(self) -> bool:
        """Something could not be placed or written: the command exits non-zero."""
        return any(problem.severity == ERROR for problem in self.problems)

    def of(self, action: str) -> list[Row]:
        return [row for row in self.rows if row.action == action]

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"dry_run": self.dry_run}
        for action in ACTIONS:
            data[_JSON_KEYS[action]] = [row.as_dict() for row in self.of(action)]
        data["counts"] = {_JSON_KEYS[a]: len(self.of(a)) for a in ACTIONS}
        data["problems"] = [problem.as_dict() for problem in self.problems]
        return data

    def table(self) -> list[str]:
        """The rows grouped by action, created notes first."""
        return [row.show(self.dry_run) for action in ACTIONS for row in self.of(action)]

    def summary(self) -> str:
        """One closing line: counts by action and kind, then the problems' tally."""
        created = self.of(CREATE)
        kinds = Counter(row.kind for row in created)
        detail = ", ".join(f"{n} {kind}{'s' * (n != 1)}" for kind, n in sorted(kinds.items()))
        what = f"{len(created)} notes" + (f" ({detail})" if detail else "")
        rest = (f"{len(self.of(UPDATE))} updated; {len(self.of(LINK))} linked to notes already in the base; "
                f"{len(self.of(MARK))} to mark; {len(self.of(SKIP))} skipped; "
                f"{len(self.of(COPY))} file{'s' * (len(self.of(COPY)) != 1)} copied")
        tally = summary(self.problems) + (f", {count(self.problems, 'info')} notices"
                                          if count(self.problems, "info") else "")
        if self.dry_run:
            return f"dry run: {what} would be created; {rest}; {tally}; nothing was written"
        return f"imported {what}; {rest}; {tally}"
