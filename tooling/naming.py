"""Readable, stable note ids: `meng2022locating` for papers, `kevin-meng` for authors."""

from __future__ import annotations

import re
import unicodedata

from .model import slugify

STOPWORDS = frozenset(
    "a an the on of in for to and with from by at via is are do does how what why when who "
    "can we towards toward into your our its".split()
)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def surname(name: str) -> str:
    """Last word of a name, folded to ASCII letters: `Florian Tramèr` -> `tramer`."""
    words = [re.sub(r"[^a-z]", "", _ascii(w)) for w in name.split()]
    words = [w for w in words if w]
    return words[-1] if words else "anon"


def first_word(title: str) -> str:
    """First word of a title that is not a stopword, folded to ASCII letters and digits."""
    for word in re.split(r"[^a-z0-9]+", _ascii(title)):
        if word and word not in STOPWORDS:
            return word
    return "untitled"


def paper_id(authors: list[str], year: int | str | None, title: str) -> str:
    """`meng2022locating`: first author's surname, year, first significant title word.

    Only letters, digits and '-' can come out of it, so an id can never be a path.
    """
    who = surname(authors[0]) if authors else "anon"
    return f"{who}{year or ''}{first_word(title)}"


def author_id(name: str) -> str:
    """The author node id of a name: its slug."""
    return slugify(name)
