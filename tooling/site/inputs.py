"""Everything a page of the site can read, each named by a key, and a digest of each one's value
in a knowledge base: what `depmap` records per page and compares from one build to the next.

A key is its kind and its argument (`title:attention`, `sentence:a<NUL>b`). Kinds are as narrow as
what pages show: a link shows a node's title and URL (`title:`), a list item adds its kind and
status (`node:`), a backlink its sentence (`sentence:`), a card the note's own file (`note:`);
a `kb-query` block's key is its query (`query:`), whose digest is the result itself, so a page
listing read papers is built again exactly when that list changes. Listing pages (indexes, tags,
dashboards) read the front matter of every note (`front`), the plans and the review log.

Digests are short BLAKE2 hashes of each value's `repr` (values are tuples, lists, dicts in a
fixed order, strings, numbers). The sentences of a note and its description are the costly
values: their digests are carried over while the note's reading (its body and the titles its
links show) is unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..graph import outlinks
from ..model import Note
from ..notes.files import walk
from ..schema import CONCEPT, NOTE_DIRS, PAPER
from ..schema import PLAN as PLAN_KIND
from .depmap import DepMap

if TYPE_CHECKING:
    from .markdown.context import Context

NOTE, TITLE, NODE = "note:", "title:", "node:"  # a note's file; a node's title+URL; + kind, status
IN, OUT, AROUND, DEGREE = "in:", "out:", "around:", "degree:"  # edges in, out; neighbours; count
SENTENCE, DESCRIPTION, READING = "sentence:", "description:", "reading:"
NAME, AUTHOR, FIELD = "name:", "author:", "field:"  # a name's note; an author's node; one field
FILES = "files"  # every file under the note folders: attachments, targets of Markdown links
QUERY, PLAN, REVIEW, DATES, DEMOS = "query:", "plan:", "review:", "dates:", "demos:"
FRONT, LINKS, PLANS, REVIEWS, TODAY = "front", "links", "plans", "reviews", "today"
CITES, SUGGESTIONS = "cites:", "suggestions"  # from the references `kb fetch --references` stored
SEPARATOR = "\x00"  # between two parts of an argument (no file name holds it)

# What every generated list page reads (what next is ordered by front matter, links and plans).
LISTING = (FRONT, LINKS, PLANS, REVIEWS, TODAY)


def key(kind: str, *parts: str) -> str:
    return kind + SEPARATOR.join(parts)


def digest_of(value: Any) -> str:
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


def own_page(note: Note) -> list[str]:
    """What a note's page reads of the note itself: its file, its description, its dates, its
    demos' results, and (when its body holds Markdown links, which MkDocs resolves) the files."""
    keys = [NOTE + note.id, DESCRIPTION + note.id, DATES + note.id]
    body = note.body
    if "demo" in body:
        keys.append(DEMOS + note.id)
    if "](" in body or "]:" in body:
        keys.append(FILES)
    return keys


def card_inputs(note: Note | None, node: str) -> list[str]:
    """What the card of a note's (or an author's) page reads: the node, the note's file, its
    dates, its relations, a concept's next review, a plan's progress and a paper's references in
    the base (its links and authors, drawn by the renderer, add their own inputs)."""
    keys = [NODE + node, OUT + node]
    if note is None:
        return keys
    keys += [NOTE + note.id, DATES + note.id]
    if note.kind == CONCEPT:
        keys.append(REVIEW + note.id)
    elif note.kind == PLAN_KIND:
        keys.append(PLAN + note.id)
    elif note.kind == PAPER:
        keys.append(CITES + note.id)
    return keys


class Inputs:
    """The current value of every input, as digests, for one context (a loaded base). With
    `previous` (the map of the last build), costly values whose basis is unchanged are not
    computed again."""

    def __init__(self, ctx: Context, previous: DepMap | None = None) -> None:
        self.ctx, self.kb, self.previous = ctx, ctx.kb, previous
        self.today = ctx.today  # the build's one day
        self.memo: dict[str, str] = {}
        self._readings: dict[str, str] = {}

    def digests(self, keys: Iterable[str]) -> dict[str, str]:
        """Digests of `keys`, plus the reading digest of every note whose sentences or
        description are among them (what tells the next build whether they may have changed)."""
        found = {k: self.digest(k) for k in sorted(keys)}
        found.update((READING + note, value) for note, value in self._readings.items())
        return found

    def digest(self, name: str) -> str:
        found = self.memo.get(name)
        if found is None:
            found = self.memo[name] = self._digest(name)
        return found

    def _digest(self, name: str) -> str:
        kind, _, argument = name.partition(":")
        if kind in ("sentence", "description"):
            source = argument.split(SEPARATOR, 1)[0]
            reading = self.reading(source)
            if self.previous is not None and self.previous.digests.get(READING + source) == reading:
                kept = self.previous.digests.get(name)
                if kept is not None:
                    return kept
        elif kind == "reading":
            return self.reading(argument)
        return digest_of(self.value(kind, argument))

    def reading(self, note_id: str) -> str:
        """Digest of what a note's sentences and description are made of: its file (a paper's
        description is its abstract's first sentence), and where each of its body links leads
        with the title shown for it."""
        found = self._readings.get(note_id)
        if found is None:
            links = self.ctx.body_links().get(note_id, [])
            found = self._readings[note_id] = digest_of((
                self.digest(NOTE + note_id),
                [(link.raw, link.target, self._note_title(link.target)) for link in links]))
        return found

    def _note_title(self, node: str | None) -> str | None:
        note = self.kb.note(node) if node is not None else None
        return note.title if note is not None else None

    def value(self, kind: str, argument: str) -> Any:
        """The value of one input (what its digest is made of); `kind` without its colon."""
        found = getattr(self, "_" + kind, None)
        if found is None:
            raise ValueError(f"unknown input {kind}:{argument}")
        return found(argument)

    # One method per kind of input: the value its digest is made of.

    def _note(self, note_id: str) -> Any:
        note = self.kb.note(note_id)
        if note is None:
            return None
        text = hashlib.blake2b(note.yaml_text.encode("utf-8", "surrogatepass"), digest_size=10)
        text.update(note.body.encode("utf-8", "surrogatepass"))  # hashed, not copied by repr
        return (note.path, text.hexdigest(), note.readable)

    def _title(self, node: str) -> Any:
        data = self.kb.graph.nodes.get(node)
        return None if data is None else (data["title"], self.ctx.renderer.site.url_of(node))

    def _node(self, node: str) -> Any:
        data = self.kb.graph.nodes.get(node)
        return None if data is None else (data["title"], self.ctx.renderer.site.url_of(node),
                                          data["kind"], data["status"])

    def _in(self, node: str) -> Any:
        graph = self.kb.graph
        return sorted((u, t) for u, _, t in graph.in_edges(node, keys=True)) if node in graph else None

    def _out(self, node: str) -> Any:
        graph = self.kb.graph
        return list(outlinks(graph, node).items()) if node in graph else None

    def _around(self, node: str) -> Any:
        from .graphdata import neighbours

        around = neighbours(self.ctx).get(node)
        return None if around is None else sorted(around)

    def _degree(self, node: str) -> Any:
        from .graphdata import neighbours

        around = neighbours(self.ctx).get(node)
        return None if around is None else len(around)

    def _sentence(self, argument: str) -> Any:
        source, _, target = argument.partition(SEPARATOR)
        found = self.ctx.sentence(source, target)
        return None if found is None else [(piece.kind, piece.text) for piece in found]

    def _description(self, note_id: str) -> Any:
        return self.ctx.renderer.description(self.kb.note(note_id))

    def _name(self, name: str) -> Any:
        return self.kb.index.resolve_name(name)

    def _author(self, name: str) -> Any:
        node = self.kb.index.author_node(name)  # None: a surname naming nobody
        return node, node in self.kb.graph  # past MAX_AUTHOR_NODES, a name has no page

    def _cites(self, note_id: str) -> Any:
        from ..citations.suggest import cited_in_base, stored_references

        note = self.kb.note(note_id)
        return None if note is None else cited_in_base(self.kb, stored_references(self.kb), note)

    def _suggestions(self, _: str) -> Any:
        from .pages import suggestions

        stored, read, found = suggestions(self.ctx)
        return stored, read, [(s.add_id, s.known.title if s.known else None,
                               s.known.byline if s.known else None, s.cited_by, s.cites)
                              for s in found]

    def _field(self, argument: str) -> Any:
        note_id, _, field = argument.partition(SEPARATOR)
        note = self.kb.note(note_id)
        return None if note is None else note.meta.get(field)

    def _files(self, _: str) -> Any:
        return walk(self.ctx.root, NOTE_DIRS).files

    def _dates(self, note_id: str) -> Any:
        note = self.kb.note(note_id)
        return None if note is None else self.ctx.dates(note)

    def _demos(self, note_id: str) -> Any:
        """Each demo block's cache key and result, as the page shows them."""
        note = self.kb.note(note_id)
        results = self.ctx.demo_results
        return None if note is None or results is None else results(note)

    def _review(self, note_id: str) -> Any:
        from ..study.review import schedule

        state = schedule(self.kb, self.today).get(note_id)  # shown as "due now" or "in N days"
        return None if state is None else (state.due, state.reviews, max((state.due - self.today).days, 0))

    def _reviews(self, _: str) -> Any:
        from ..study.review import schedule

        return sorted((n, s.due, s.reviews) for n, s in schedule(self.kb, self.today).items())

    def _plans(self, _: str) -> Any:
        from .study import build_plans, summary_of

        return [summary_of(self.kb, plan) for plan in build_plans(self.kb, self.today)]

    def _front(self, _: str) -> Any:
        """Every note's front matter, and its tags (a `#tag` in the text is one: tag pages and the
        papers' filter list it)."""
        return [(n.path, n.yaml_text, n.readable, n.tags) for n in self.kb.notes]

    def _links(self, _: str) -> Any:
        return [(link.source, link.target, link.type) for link in self.kb.links]

    def _today(self, _: str) -> Any:
        return self.today.isoformat()

    def _query(self, argument: str) -> Any:
        return self.query(*argument.split(SEPARATOR, 1))

    def _plan(self, note_id: str) -> Any:
        return self.plan(note_id)

    def query(self, this: str, text: str) -> Any:
        """A kb-query block's result as the page shows it (every field of the result, which
        names rows, titles, values and groups) with where each row's link leads; `this` is the
        page's note."""
        from ..study.query.engine import engine_for
        from ..study.query.parse import QueryError

        try:
            result = engine_for(self.kb, self.today).run(text, this or None)
        except QueryError as exc:
            return ("error", exc.line, exc.column, exc.message)
        site, graph = self.ctx.renderer.site, self.kb.graph
        return repr(result), [site.url_of(row.id) if row.id in graph else None for row in result.rows]

    def plan(self, note_id: str) -> Any:
        """A plan's card: its progress with every group's members (queries included), its gaps
        with their candidates, and what it needs next."""
        from .study import plan_view, summary_of

        note = self.kb.note(note_id)
        if note is None or note.kind != PLAN_KIND:
            return None
        plan, steps = plan_view(self.kb, self.today, note.id)
        return summary_of(self.kb, plan), [(step.note.id, step.reasons) for step in steps]
