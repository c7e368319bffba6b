"""Stage 2: every reference a note makes (front-matter fields and body links), resolved to a node.

Resolution goes through the `Index` (ids, titles, aliases, slugs, paths); what resolves to nothing
keeps `target=None` and becomes an `unresolved-link` problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .index import Index
from .model import Link, Note, as_list
from .schema import AUTHOR_FIELD, LINK_FIELDS, MAX_AUTHOR_NODES, PLAN
from .syntax import LINK, WIKI


def front_matter_links(note: Note, index: Index) -> Iterator[Link]:
    """Links from the id-holding fields and the `authors` names of one note."""
    for position, name in enumerate(note.list_field(AUTHOR_FIELD)[:MAX_AUTHOR_NODES]):
        author = index.author_node(name) if isinstance(name, str) and name.strip() else None
        if author is not None:  # a surname alone that names nobody stays text on the paper
            yield Link(note.id, author, name, "author", (note, AUTHOR_FIELD, position), label=name.strip())
    for key, edge in LINK_FIELDS.items():
        value = note.meta.get(key)
        if value is None:
            continue
        if key == "items" and note.kind == PLAN and isinstance(value, dict):
            position = 0
            for group, members in value.items():
                if isinstance(members, dict):  # {items, query, quota}: ids link; queries run later
                    members = members.get("items")
                for member in as_list(members):
                    yield _field_link(note, index, key, edge, member, position, str(group))
                    position += 1
            continue
        for position, member in enumerate(as_list(value)):
            yield _field_link(note, index, key, edge, member, position, None)


def _field_link(note: Note, index: Index, key: str, edge: str, member: object,
                position: int, group: str | None) -> Link:
    raw = str(member) if member is not None else ""
    target = index.resolve_name(raw) if isinstance(member, (str, int, float)) else None
    return Link(note.id, target, raw, edge, (note, key, position), group=group)


def body_links(note: Note, index: Index) -> Iterator[Link]:
    """Links from the body's wikilinks and relative Markdown links, as the note's one reading
    (`Note.scan`) finds them. A name that looks like a file (`figure.png`) is a note's when a
    note has it, else a file, which is not a link between notes."""
    for ref in note.scan.refs:
        if ref.kind == WIKI:
            if not ref.target:  # `[[#heading]]`: a link within the page
                continue
            target = index.resolve_name(ref.target)
            if target is None and ref.is_attachment:
                continue
            yield Link(note.id, target, ref.target, WIKI, ref.line, ref.label, ref.anchor,
                       span=(ref.start, ref.end), embed=ref.embed)
        else:
            target, exists = index.resolve_path(note, ref.target)
            if target is None and exists:
                continue  # an image or a file beside the note, not a note
            yield Link(note.id, target, ref.target, LINK, ref.line, ref.label, ref.anchor,
                       span=(ref.start, ref.end), embed=ref.embed)


def resolve_links(notes: Iterable[Note], index: Index) -> list[Link]:
    """All links of all notes, resolved (unresolved ones keep `target=None`)."""
    links: list[Link] = []
    for note in notes:
        if index.notes.get(note.id) is not note:
            continue
        links.extend(front_matter_links(note, index))
        links.extend(body_links(note, index))
    return links
