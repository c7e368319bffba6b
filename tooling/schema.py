"""The note format as one table: kinds, statuses and every known front-matter field.

Checks, the loader, the site, reports, the importer and the arXiv writer all read these names from
here; nothing else spells out a field list or a status word. README's "Adding notes" documents it.
"""

from __future__ import annotations

from dataclasses import dataclass

NOTE_DIRS = ("papers", "concepts", "notes")
AUTHORS_DIR = "notes/authors"

PAPER, CONCEPT, AUTHOR, NOTE, PLAN = "paper", "concept", "author", "note", "plan"
KINDS = (PAPER, CONCEPT, AUTHOR, NOTE, PLAN)
# Where `kb import` and `kb add` put a new note of each kind.
FOLDER_OF = {PAPER: "papers", CONCEPT: "concepts", AUTHOR: AUTHORS_DIR, NOTE: "notes", PLAN: "notes"}

# --- study status ---------------------------------------------------------------------------

STATUSES: dict[str, tuple[str, ...]] = {
    PAPER: ("to-read", "reading", "read", "skimmed", "dropped"),
    CONCEPT: ("to-study", "studying", "studied"),
}
DEFAULT_STATUS = {PAPER: "to-read", CONCEPT: "to-study"}
# What a status means to progress: started (in progress) or finished (done).
ACTIVE_STATUSES = frozenset({"reading", "studying"})
DONE_STATUSES = frozenset({"read", "skimmed", "dropped", "studied"})
# The status an import's done-mark (✅, [x]) stands for, by kind.
DONE_MARK = {PAPER: "read", CONCEPT: "studied"}
PRIORITIES = ("high", "medium", "low")


# --- fields ---------------------------------------------------------------------------------

TEXT, LIST, DATE, INT, IDS, NAMES, CHOICE, ARXIV_ID, MAPPING, ANY = (
    "text", "list", "date", "int", "ids", "names", "choice", "arxiv-id", "mapping", "any")


@dataclass(frozen=True, slots=True)
class Field:
    """One known front-matter field.

    `type`: text, list (of words), date (YYYY-MM-DD), int, ids (note ids or titles, each an edge
    of type `edge`), names (author names), choice, arxiv-id, mapping, any. `arxiv`: the field is
    filled from arXiv by `kb add`/`kb fetch` (in this order in a new note).
    """

    name: str
    type: str
    edge: str | None = None
    arxiv: bool = False


FIELDS: tuple[Field, ...] = (
    # every note
    Field("title", TEXT, arxiv=True),
    Field("aliases", LIST),
    Field("tags", LIST),
    Field("created", DATE),
    Field("kind", TEXT),
    # papers (arXiv's fields in the order a new note gets them)
    Field("authors", NAMES, edge="author", arxiv=True),
    Field("year", INT, arxiv=True),
    Field("arxiv", ARXIV_ID, arxiv=True),
    Field("version", INT, arxiv=True),
    Field("published", DATE, arxiv=True),
    Field("updated", DATE, arxiv=True),
    Field("primary_category", TEXT, arxiv=True),
    Field("categories", LIST, arxiv=True),
    Field("doi", TEXT, arxiv=True),
    Field("journal_ref", TEXT, arxiv=True),
    Field("comment", TEXT, arxiv=True),
    Field("pdf_url", TEXT, arxiv=True),
    Field("abstract", TEXT, arxiv=True),
    Field("venue", TEXT),
    Field("url", TEXT),
    # study
    Field("status", CHOICE),
    Field("priority", CHOICE),
    Field("added", DATE),
    Field("started", DATE),
    Field("finished", DATE),
    # links between notes
    Field("concepts", IDS, edge="concept"),
    Field("prerequisites", IDS, edge="prerequisite"),
    Field("related", IDS, edge="related"),
    Field("papers", IDS, edge="paper"),
    # plans
    Field("goal", TEXT),
    Field("rule", TEXT),
    Field("due", DATE),
    Field("items", IDS, edge="item"),
    # the tool's record of the arXiv fields it wrote (see arxiv/ownership.py)
    Field("arxiv_sync", MAPPING),
    # where `kb import` took a note from, and a hash of what it wrote (see importing/plan.py)
    Field("imported_from", TEXT),
)

FIELD = {field.name: field for field in FIELDS}
KNOWN_FIELDS = frozenset(FIELD)
DATE_FIELDS = tuple(f.name for f in FIELDS if f.type == DATE)
ARXIV_FIELDS = tuple(f.name for f in FIELDS if f.arxiv)
AUTHOR_FIELD = "authors"
SYNC_FIELD = "arxiv_sync"
# Front-matter fields holding note ids, and the edge type each creates (`authors` holds names).
LINK_FIELDS: dict[str, str] = {f.name: f.edge for f in FIELDS if f.type == IDS and f.edge}
# Fields that hold a list (a lone value counts as a one-item list).
LIST_FIELDS = tuple(f.name for f in FIELDS if f.type in (LIST, IDS, NAMES))
TEXT_FIELDS = tuple(f.name for f in FIELDS if f.type == TEXT)
INT_FIELDS = tuple(f.name for f in FIELDS if f.type == INT)

BODY_EDGES = ("wikilink", "link")
EDGE_TYPES = ("author", *LINK_FIELDS.values(), *BODY_EDGES)
