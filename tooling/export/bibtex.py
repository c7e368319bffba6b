"""`kb export bibtex`: paper notes as BibTeX entries in arXiv's style.

`@misc` for a preprint, `@article` once it has a journal reference; `eprint`, `archivePrefix`,
`primaryClass` and `doi` as arXiv's own export writes them. The citation key is the note id, which
never changes when metadata is refreshed. Every value is escaped: text for LaTeX (`&` -> `\\&`,
`Wübben` -> `W{\\"u}bben`), DOIs and URLs percent-encoded where a brace or backslash could end
the field, so any BibTeX parser reads back the words of the note and no value can add a field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pylatexenc.latexencode import UnicodeToLatexEncoder

from ..identifiers import arxiv_bare
from ..model import Note
from ..schema import ARXIV_ABS_URL
from . import selected

_SPECIALS = {
    "\\": r"{\textbackslash}", "{": r"{\{}", "}": r"{\}}", "&": r"{\&}", "%": r"{\%}",
    "$": r"{\$}", "#": r"{\#}", "_": r"{\_}", "~": r"{\textasciitilde}", "^": r"{\string^}",
}
_SPECIAL_RE = re.compile("|".join(map(re.escape, _SPECIALS)))
_ENCODER = UnicodeToLatexEncoder(non_ascii_only=True, replacement_latex_protection="braces-all",
                                 unknown_char_policy="keep", unknown_char_warning=False)
_AFFIXES = re.compile(r"(\W*)(.*?)(\W*)", re.DOTALL)  # matches any word
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_:./+-]")


def latex(text: str) -> str:
    """Plain text as LaTeX: specials escaped, non-ASCII letters as accent macros."""
    escaped = _SPECIAL_RE.sub(lambda m: _SPECIALS[m.group(0)], text)
    # The encoder leaves ASCII as it is (non_ascii_only) but walks it in Python, character by
    # character: the site draws an entry on every paper page.
    return escaped if escaped.isascii() else _ENCODER.unicode_to_latex(escaped)


def latex_title(title: str) -> str:
    """A title with the case of acronyms and names protected (`{GPT}-2`, `{LoRA}`), which
    bibliography styles would otherwise lower-case."""
    words = []
    for word in title.split():
        lead, core, trail = _AFFIXES.fullmatch(word).groups()  # type: ignore[union-attr]
        if any(c.isupper() for c in core[1:]):
            words.append(f"{latex(lead)}{{{latex(core)}}}{latex(trail)}")
        else:
            words.append(latex(word))
    return " ".join(words)


def cite_key(note_id: str) -> str:
    """The note id, with characters BibTeX keys cannot hold replaced (ids from `kb add` are safe)."""
    return _KEY_UNSAFE.sub("-", note_id) or "paper"


def bib_fields(note: Note) -> tuple[str, dict[str, str]]:
    """(entry type, fields in output order) for one paper note."""
    meta = note.meta
    ident = arxiv_bare(meta["arxiv"]) if isinstance(meta.get("arxiv"), str) else None
    journal = _text(meta.get("journal_ref"))
    year = _text(meta.get("year")) or _text(meta.get("published"))[:4]
    fields = {
        "title": latex_title(note.title),
        "author": " and ".join(_author(name) for name in note.list_field("authors") if _text(name)),
        "year": latex(year),
        "eprint": ident.base if ident else "",
        "archivePrefix": "arXiv" if ident else "",
        "primaryClass": latex(_text(meta.get("primary_category"))) if ident else "",
        "doi": _verbatim(meta.get("doi")),
        "url": ARXIV_ABS_URL.format(ident.base) if ident else _verbatim(meta.get("url")),
        "journal": latex(journal),
    }
    return ("article" if journal else "misc"), {k: v for k, v in fields.items() if v}


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


_VERBATIM_UNSAFE = {"{": "%7B", "}": "%7D", "\\": "%5C"}


def _verbatim(value: Any) -> str:
    """A DOI or URL, which biblatex reads verbatim (LaTeX escapes would stay in the link): the
    only characters that could end the field early, braces and the backslash, percent-encoded
    (the link still resolves)."""
    return re.sub(r"[{}\\]", lambda m: _VERBATIM_UNSAFE[m.group(0)], _text(value))


def _author(name: Any) -> str:
    encoded = latex(_text(name))
    # " and " or a comma inside one name would split or reorder it: brace the whole name.
    return f"{{{encoded}}}" if re.search(r"\sand\s|,", encoded) else encoded


def render_entry(note: Note) -> str:
    """One `@misc{key, ...}` or `@article{key, ...}` block."""
    kind, fields = bib_fields(note)
    width = max(map(len, fields), default=0)
    body = "".join(f"  {name.ljust(width)} = {{{value}}},\n" for name, value in fields.items())
    return f"@{kind}{{{cite_key(note.id)},\n{body}}}\n"


def render(notes: Iterable[Note]) -> str:
    """A .bib file: the entries, separated by blank lines."""
    return "\n".join(render_entry(note) for note in notes)


def export(root: Path, ids: Iterable[str] = (), status: str | None = None,
           tag: str | None = None) -> tuple[str, int]:
    """(BibTeX text, number of entries) for the named papers, or all, filtered; sorted by id
    unless named. KbError when nothing is selected."""
    chosen = selected(root, ids, status, tag)
    return render(chosen), len(chosen)
