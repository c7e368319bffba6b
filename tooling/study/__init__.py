"""The study tracker: act on progress, not only read it.

`find` (a note by id, prefix or title, without loading the base) -> `mark` (status and date through
the front-matter editor); `plans` (groups, quotas, queries, progress) and `nearness` (the study
graph: papers and concepts, never authors) -> `next` (the one ranking of what to study next, with
reasons) and `gaps` (quota groups short of members, with candidates) -> `report`/`status`; `log`
(the append-only review log) -> `review` (FSRS due dates replayed from it); `query/` (a
Dataview-readable language compiled to SQL over an in-memory table); `safe` (CSV and JSON that
other programs open safely). `checks` adds the tracker's checks to `kb check`. Nothing here
imports click or MkDocs.
"""
