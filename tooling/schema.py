"""The note format as one table: kinds, statuses and every known front-matter field.

Checks, the loader, the site, reports, the importer and the sources' writer all read these names from
here; nothing else spells out a field list or a status word. README's "Adding notes" documents it.
"""

from __future__ import annotations

from dataclasses import dataclass

NOTE_DIRS = ("papers", "concepts", "notes")
AUTHORS_DIR = "notes/authors"

PAPER, CONCEPT, AUTHOR, NOTE, PLAN = "paper", "concept", "author", "note", "plan"
KINDS = (PAPER, CONCEPT, AUTHOR, NOTE, PLAN)
# The kinds whose `python demo` blocks run (at build time and in the browser); elsewhere such a
# block is shown as plain code and `kb check` says so. A concept carries one demo by design.
DEMO_KINDS = frozenset({CONCEPT})
# Where `kb import` and `kb add` put a new note of each kind.
FOLDER_OF = {PAPER: "papers", CONCEPT: "concepts", AUTHOR: AUTHORS_DIR, NOTE: "notes", PLAN: "notes"}

# --- study status ---------------------------------------------------------------------------

TO_READ, READING, READ, SKIMMED, DROPPED = "to-read", "reading", "read", "skimmed", "dropped"
TO_STUDY, STUDYING, STUDIED = "to-study", "studying", "studied"
STATUSES: dict[str, tuple[str, ...]] = {
    PAPER: (TO_READ, READING, READ, SKIMMED, DROPPED),
    CONCEPT: (TO_STUDY, STUDYING, STUDIED),
}
DEFAULT_STATUS = {PAPER: TO_READ, CONCEPT: TO_STUDY}
# What a status means to progress: started (in progress) or finished (done).
ACTIVE_STATUSES = frozenset({READING, STUDYING})
DONE_STATUSES = frozenset({READ, SKIMMED, DROPPED, STUDIED})
# Papers whose content the reader took in (their references make suggestions; `dropped` is done
# but unread).
READ_STATUSES = frozenset({READ, SKIMMED})
# The status an import's done-mark (✅, [x]) stands for, by kind: finished as intended.
DONE_MARK = {PAPER: READ, CONCEPT: STUDIED}
PRIORITIES = ("high", "medium", "low")
# How a review went (`kb review ID --grade G`), in FSRS's order.
GRADES = ("again", "hard", "good", "easy")
# What `kb report --format` writes.
REPORT_FORMATS = ("text", "md", "html", "csv", "json")
# arXiv's pages for an id (`2202.05262v3`).
ARXIV_ABS_URL, ARXIV_PDF_URL = "https://arxiv.org/abs/{}", "https://arxiv.org/pdf/{}"


# --- fields ---------------------------------------------------------------------------------

TEXT, LIST, DATE, INT, IDS, NAMES, CHOICE, PAPER_ID, MAPPING, ANY = (
    "text", "list", "date", "int", "ids", "names", "choice", "paper-id", "mapping", "any")


@dataclass(frozen=True, slots=True)
class Field:
    """One known front-matter field.

    `type`: text, list (of words), date (YYYY-MM-DD), int, ids (note ids or titles, each an edge
    of type `edge`), names (author names), choice, paper-id (an identifier of the scheme named
    like the field, see `identifiers`), mapping, any. `tool`: the field is filled from a source
    (arXiv, OpenAlex, OpenReview, Crossref) by `kb add`/`kb fetch`, under the ownership rule of
    `sources/ownership.py` (in this order in a new note).
    """

    name: str
    type: str
    edge: str | None = None
    tool: bool = False


FIELDS: tuple[Field, ...] = (
    # every note
    Field("title", TEXT, tool=True),
    Field("aliases", LIST),
    Field("tags", LIST),
    Field("created", DATE),
    Field("kind", TEXT),
    # papers (the sources' fields in the order a new note gets them)
    Field("authors", NAMES, edge="author", tool=True),
    Field("year", INT, tool=True),
    Field("venue", TEXT, tool=True),
    Field("arxiv", PAPER_ID, tool=True),
    Field("version", INT, tool=True),
    Field("published", DATE, tool=True),
    Field("updated", DATE, tool=True),
    Field("primary_category", TEXT, tool=True),
    Field("categories", LIST, tool=True),
    Field("doi", PAPER_ID, tool=True),
    Field("acl", PAPER_ID, tool=True),
    Field("openreview", PAPER_ID, tool=True),
    Field("openalex", PAPER_ID, tool=True),
    Field("journal_ref", TEXT, tool=True),
    Field("comment", TEXT, tool=True),
    Field("pdf_url", TEXT, tool=True),
    Field("abstract", TEXT, tool=True),
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
    # the tool's record of the fields it wrote (see sources/ownership.py)
    Field("arxiv_sync", MAPPING),
    # where `kb import` took a note from, and a hash of what it wrote (see importing/plan.py)
    Field(IMPORTED_FROM := "imported_from", TEXT),
)

FIELD = {field.name: field for field in FIELDS}
KNOWN_FIELDS = frozenset(FIELD)
DATE_FIELDS = tuple(f.name for f in FIELDS if f.type == DATE)
TOOL_FIELDS = tuple(f.name for f in FIELDS if f.tool)
ID_FIELDS = tuple(f.name for f in FIELDS if f.type == PAPER_ID)  # = identifiers.SCHEMES
AUTHOR_FIELD = "authors"
# Names of one note's `authors` that become author nodes (and pages on the site): a paper with
# 2,000 authors would otherwise add 2,000 pages, each showing the other 1,999. Later names are
# shown as text on the note's card, and the build names the note in a warning.
MAX_AUTHOR_NODES = 100
SYNC_FIELD = "arxiv_sync"
# Front-matter fields holding note ids, and the edge type each creates (`authors` holds names).
LINK_FIELDS: dict[str, str] = {f.name: f.edge for f in FIELDS if f.type == IDS and f.edge}
# Fields that hold a list (a lone value counts as a one-item list).
LIST_FIELDS = tuple(f.name for f in FIELDS if f.type in (LIST, IDS, NAMES))
TEXT_FIELDS = tuple(f.name for f in FIELDS if f.type == TEXT)
INT_FIELDS = tuple(f.name for f in FIELDS if f.type == INT)

BODY_EDGES = ("wikilink", "link")
EDGE_TYPES = ("author", *LINK_FIELDS.values(), *BODY_EDGES)


def is_edge(source: str, target: str | None, edge: str) -> bool:
    """The graph's edge rule: a link is an edge when it resolved, unless it is a body link from a
    note to itself (noise); a front-matter self-reference (a concept as its own prerequisite) is
    a statement, kept so checks can report it."""
    return target is not None and (target != source or edge not in BODY_EDGES)

# --- what to study next ---------------------------------------------------------------------

# The kinds one reads or studies, and the edges between them that say what teaches what: the
# study graph behind `kb next`'s closeness and centrality and a plan's gap suggestions. Never
# `author` (a long byline is not relevance) nor a plan's `item` (a plan is not a topic).
STUDY_KINDS = (PAPER, CONCEPT)
STUDY_EDGES = tuple(edge for edge in EDGE_TYPES if edge not in ("author", "item"))
