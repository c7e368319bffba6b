"""Stage 5 of `kb import`: the plan. Every input becomes notes and files to copy, each note's
final text decided here; `write` only writes it.

Two ways in. A Markdown folder (a vault, a Notion export) and any page not carved is imported
as itself, one note per page, its words untouched (`vault`, `targets`). An outline is carved into
papers, concepts, authors and sections when that is asked (`--carve`), or when it is a text
outline given by name (`outlines`); CSV databases become a note per row there too. Nothing an
import plans ever changes a note of the base except a note an earlier import of the same page
wrote and nobody edited since (a sync), and only if it is still as the plan read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..index import Index
from ..load import load_notes
from ..model import Note, aliases_of
from ..notes.editor import EditError, edit_text
from ..notes.frontmatter import FrontMatterError, parse_yaml, split
from ..notes.serialize import dump_field, note_text, plain
from ..problems import INFO, define
from ..schema import AUTHOR, CONCEPT, PAPER
from .drafts import Asset, Draft, Registry
from .inputs import Inputs, Source, prepare, read_inputs
from .outlines import SPLIT_OVER, plan_outlines, same_import
from .references import Pages
from .report import COPY, CREATE, SKIP, ImportReport, Row
from .stamps import ABSENT, STAMP_FIELD, digest, page_stamp
from .targets import Targets
from .vault import existing_pages, place_pages, recognise, taken_homes

REWRITTEN = define(
    "front-matter-rewritten", INFO, "an imported page's front matter was written anew",
    "The page's front matter could not be edited line by line (a `{flow mapping}`, a key "
    "written twice): its fields were kept, written in the base's layout. The body is as written.",
    command="import")
_LEAF_KINDS = (PAPER, CONCEPT, AUTHOR)


@dataclass(frozen=True, slots=True)
class Planned:
    """A note to write: a new file, or (`replaces` set) the new version of a note an import
    wrote, replaced only while it still holds `replaces`."""

    path: str
    text: str
    replaces: str | None = None


@dataclass(slots=True)
class Plan:
    """What an import will write: notes (linked notes first) and files to copy."""

    notes: list[Planned] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    report: ImportReport = field(default_factory=ImportReport)


def carves(source: Source, carve: bool | None) -> bool:
    """Whether an input is carved: as asked, else only a text outline given by name."""
    if carve is not None:
        return carve
    return source.export.single and source.rel.lower().endswith(".txt")


def plan_import(root: Path, paths: list[Path], *, split_over: int = SPLIT_OVER,
                carve: bool | None = None, papers: tuple[str, ...] = ()) -> Plan:
    """Read the inputs and decide everything an import of them into `root` would write."""
    inputs = read_inputs(paths)
    notes = load_notes(root).notes
    registry = Registry(Index.build(notes, root), root)
    registry.problems.extend(inputs.problems)
    registry.rows.extend(inputs.skipped)
    carved = [s for s in inputs.sources if s.table is not None or carves(s, carve)]
    pages = [s for s in inputs.sources if s.table is None and not carves(s, carve)]
    for source in carved:
        registry.problems.extend(prepare(source))
    placed = _plan_pages(root, registry, pages, tuple(p.strip("/") for p in papers))
    outlines, texts, ours = plan_outlines(
        root, Inputs(sources=carved), notes, split_over, [d for _, d in placed],
        {d.title.lower(): d for _, d in placed if d.state != "stub"})
    plan = Plan(report=ImportReport(problems=registry.problems + outlines.problems))
    rows = registry.rows + _carved_notes(root, plan, outlines, texts, ours, {n.path for n in notes})
    for page, draft in placed:
        if draft.state in ("create", "update", "stub"):
            plan.notes.append(Planned(draft.path, page_text(plan, page, draft), draft.replaces))
    kinds = {d.path: d.kind for d in registry.drafts + outlines.drafts}
    plan.notes.sort(key=lambda item: kinds.get(item.path) not in _LEAF_KINDS)  # linked notes first
    assets = {**outlines.assets, **registry.assets}
    rows += _assets(root, plan, assets)
    rows += _unused_files(inputs, assets)
    plan.report.rows = rows
    return plan


def _plan_pages(root: Path, registry: Registry, sources: list[Source], papers: tuple[str, ...]
                ) -> list[tuple[Source | None, Draft]]:
    """Each export's pages placed, synced with an earlier import, their links checked."""
    placed: list[tuple[Source | None, Draft]] = []
    exports: dict[int, list[Source]] = {}
    for source in sources:
        exports.setdefault(id(source.export), []).append(source)
    earlier = existing_pages(registry.index.notes.values())
    homes = taken_homes(root)
    for group in exports.values():
        export = group[0].export
        found = recognise(group, earlier, homes, export.root.name, export.single)
        drafts = place_pages(registry, group, found, papers)
        by_rel = {draft.stamp: draft for draft in drafts}
        pairs = [(source, by_rel[source.stamp]) for source in group]
        index = Pages()
        for source, draft in pairs:
            known = registry.index.notes.get(draft.id)
            index.add(source, draft, aliases_of(source.meta.get("aliases")) if source.prepared
                      else known.aliases if known is not None else [])
        placed += pairs
        if any(draft.state in ("create", "update") for _, draft in pairs):  # else nothing to check
            targets = Targets(registry, index, found.home, pairs)
            targets.check()
            placed += [(None, stub) for stub in targets.stubs.values()]
    return placed


def page_text(plan: Plan, source: Source | None, draft: Draft) -> str:
    """The note of a page: the page as written, its front matter gaining only the import's fields
    (the rest of it untouched), stamped with where it came from and hashes of both texts."""
    updates = dict(draft.meta)
    if source is None:  # an empty note for a name no page has
        bare = note_text(updates, "")
    elif not source.front:  # no front matter: the import's own goes before the page
        bare = note_text({k: v for k, v in updates.items() if v is not None},
                         "\n".join(source.lines) + "\n")
    else:
        edited = _with_fields(source, updates)
        if edited is None:
            plan.report.problems.append(REWRITTEN.at(source.shown, 1, "front matter written anew"))
            edited = note_text({k: v for k, v in {**source.meta, **updates}.items() if v is not None},
                               "\n".join(source.lines) + "\n")
        bare = edited
    stamp = page_stamp(draft.stamp, source.digest if source is not None else ABSENT, digest(bare))
    closing = split(bare).fence_start  # the stamp goes last, so that removing it gives `bare`
    return bare[:closing] + dump_field(STAMP_FIELD, stamp) + bare[closing:]


def _with_fields(source: Source, updates: dict[str, Any]) -> str | None:
    """The page with `updates` set in its front matter; None when that cannot be done line by
    line. New fields are added as lines before the closing `---` and the result read back once
    (the common case, and 4x cheaper than the general editor); anything else goes through it."""
    page = "\n".join([*source.front, *source.lines]) + "\n"
    if not updates:
        return page
    try:
        if all(key not in source.meta and value is not None for key, value in updates.items()) \
                and _block_mapping(source.front[1:-1]):
            lines = "".join(dump_field(k, v) for k, v in updates.items())
            if plain(parse_yaml(lines, 1)) == plain(updates):  # they read back as written
                closing = split(page).fence_start
                return page[:closing] + lines + page[closing:]
        return edit_text(page, updates)
    except (EditError, FrontMatterError):
        return None


def _block_mapping(yaml_lines: list[str]) -> bool:
    """Front matter (already read without error) that new top-level fields can follow as lines
    of their own: a block mapping, not `{flow}`, and one document (no `...` ending it early)."""
    first = next((line for line in yaml_lines if line.strip() and not line.lstrip().startswith("#")), "")
    return not first.lstrip().startswith(("{", "[")) and not any(line.rstrip() == "..." for line in yaml_lines)


def _carved_notes(root: Path, plan: Plan, registry: Registry, texts: dict[str, tuple[str, str]],
                  ours: dict[str, Note], present: set[str]) -> list[Row]:
    """The carved notes against the disk: notes already written as planned are skipped (a
    re-run), imported notes edited since are kept as they are."""
    skipped: dict[str, str] = {}
    for draft in registry.drafts:
        path, (text, hashed) = draft.path, texts[draft.path]
        if path in present:  # every Markdown file under the note folders was loaded
            try:
                same = (root / path).read_bytes() == text.encode("utf-8")
            except OSError:
                same = False
            if same:
                skipped[path] = "already imported, unchanged"
                continue
            if path in ours and same_import(ours[path], hashed):
                skipped[path] = "already imported; kept as it is (edited since, or only its links moved)"
                continue
        plan.notes.append(Planned(path, text))
    return [Row(SKIP, row.kind, row.path, row.title, row.source, skipped[row.path])
            if row.action == CREATE and row.path in skipped else row for row in registry.rows]


def _assets(root: Path, plan: Plan, assets: dict[str, Asset]) -> list[Row]:
    """Files to copy: those not in the base yet, and a page's file the export changed."""
    rows = []
    for asset in assets.values():
        target = root / asset.dest
        if target.exists():
            if asset.src is None or not target.is_file() or _same_file(target, asset.src):
                continue  # the same bytes are there already
            asset.replace = True
        plan.assets.append(asset)
        what = asset.src.name if asset.src is not None else "inline image"
        rows.append(Row(COPY, "file", asset.dest, what, asset.source,
                        "changed in the export" if asset.replace else ""))
    return rows


def _same_file(target: Path, src: Path) -> bool:
    try:
        return target.stat().st_size == src.stat().st_size and target.read_bytes() == src.read_bytes()
    except OSError:
        return True  # unreadable now: never overwrite on a guess


def _unused_files(inputs: Inputs, assets: dict[str, Asset]) -> list[Row]:
    """Files of an export that are no page and that no page uses: listed, never silently left."""
    used = {str(asset.src) for asset in assets.values() if asset.src is not None}
    rows = []
    for export in inputs.exports:
        for rel in export.files:
            if rel.lower().endswith((".md", ".markdown", ".txt", ".csv")):
                continue  # an input: read, or reported by the reader
            found = export.inside(rel)
            if found is None or str(found) in used:
                continue
            shown = str(export.root / rel)
            rows.append(Row(SKIP, "file", shown, rel, shown,
                            "not a page, and no page shows or links to it"))
    return rows
