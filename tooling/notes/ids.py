"""Ids from text, for every script: the one place text is folded into an id or a comparison key.

`slug("Kevin Meng")` is `kevin-meng`; Latin letters lose their accents (`Łukasz` -> `lukasz`,
`Sébastien` -> `sebastien`) so ids stay typeable, while other scripts are kept as written
(`Трансформеры` -> `трансформеры`, `张三` and `章三` stay two different ids): transliterating them
would merge different names. python-slugify does the Unicode work; ASCII text, by far the most
common, takes a regex fast path that gives the same result.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from slugify import slugify as _unicode_slugify
from text_unidecode import unidecode

UNTITLED = "untitled"
STOPWORDS = frozenset(
    "a an the on of in for to and with from by at via is are do does how what why when who "
    "can we towards toward into your our its".split()
)
_NON_WORD = re.compile(r"[^a-z0-9]+")
MAX_ID = 80  # characters: ids are file names, and file systems cap names at 255 bytes


def _latin_to_ascii(text: str) -> str:
    # Latin-1 Supplement, Latin Extended-A/B and Extended Additional: transliterated.
    return "".join(unidecode(c) if 0x7F < ord(c) < 0x250 or 0x1E00 <= ord(c) < 0x1F00 else c
                   for c in unicodedata.normalize("NFC", text))


@lru_cache(maxsize=65536)
def _hyphenated(text: str) -> str:
    """Lower-case words joined by `-` (possibly empty)."""
    if text.isascii():
        return _NON_WORD.sub("-", text.lower()).strip("-")
    return str(_unicode_slugify(_latin_to_ascii(text), allow_unicode=True))


def slug(text: str) -> str:
    """A note or author id from a title or name: lower case, words joined by `-`, never empty,
    never a path, at most MAX_ID characters."""
    return _hyphenated(text)[:MAX_ID].strip("-") or UNTITLED


def fold(text: str) -> str:
    """A comparison key for titles: case, accents, punctuation and spacing ignored, any script.

    `How does GPT-2 compute greater-than?` == `how does gpt 2 compute greater than`.
    """
    return _hyphenated(text).replace("-", " ")


def words(text: str) -> list[str]:
    """The words of a text as `slug` sees them."""
    return [w for w in _hyphenated(text).split("-") if w]


def surname(name: str) -> str:
    """Last word of a name, letters only: `Florian Tramèr` -> `tramer`, `Allen-Zhu` -> `allenzhu`."""
    found = [w for w in (re.sub(r"[\d-]", "", _hyphenated(part)) for part in name.split()) if w]
    return found[-1] if found else "anon"


def first_word(title: str) -> str:
    """First word of a title that is not a stopword."""
    return next((w for w in words(title) if w not in STOPWORDS), UNTITLED)


def paper_id(authors: list[str], year: int | str | None, title: str) -> str:
    """`meng2022locating`: first author's surname, year, first significant title word.

    Only letters, digits and '-' can come out of it, so an id can never be a path.
    """
    who = surname(authors[0]) if authors else "anon"
    return slug(f"{who}{year or ''}{first_word(title)}")
