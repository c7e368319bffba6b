"""arXiv identifiers: recognise them in any form a user pastes, and check the ones notes store.

Forms accepted by `parse`: `2202.05262`, `2202.05262v3`, `arXiv:2202.05262`, `hep-th/9901001`,
`math.GT/0309136v2`, abs/pdf URLs (with or without `vN` and `.pdf`), `10.48550/arXiv.2202.05262`
and its doi.org URL, and any of those wrapped in a redirector's `?u=<encoded url>`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

_NEW = r"(?P<new>(?P<yymm>\d{4})\.(?P<num>\d{4,5}))"
_OLD = r"(?P<old>[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/(?P<oldnum>\d{7}))"
_VERSION = r"(?:v(?P<version>[1-9]\d*))?"
BARE = re.compile(rf"^(?:{_NEW}|{_OLD}){_VERSION}$")

# An id as it appears inside larger text (URLs, DOIs, prose), for `find_refs`.
_IN_TEXT = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html)/|10\.48550/arxiv\.|arxiv:\s?)"
    r"(?P<id>(?:\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?)",
    re.IGNORECASE,
)
_REDIRECT_KEYS = ("u", "url", "q", "target", "dest")


@dataclass(frozen=True, slots=True, order=True)
class ArxivId:
    """An arXiv id split into its version-less base and optional version number."""

    base: str
    version: int | None = None

    def __str__(self) -> str:
        return f"{self.base}v{self.version}" if self.version else self.base

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self}"


_OLD_STYLE_CLASS = re.compile(r"^([a-z]+(?:-[a-z]+)*)\.[A-Z]{2}/")


def canonical_id(base: str) -> str:
    """The id arXiv answers with: `math.GT/0309136` -> `math/0309136` (the subject class is not
    part of an old-style id); new-style ids are unchanged."""
    return _OLD_STYLE_CLASS.sub(r"\1/", base)


def base_of(value: object) -> str | None:
    """The canonical version-less id a front-matter `arxiv` value holds, or None."""
    return _base_of_text(value) if isinstance(value, str) else None


@functools.lru_cache(maxsize=1 << 16)
def _base_of_text(text: str) -> str | None:
    # Cached: the index, `malformed-arxiv` and `duplicate-arxiv` each ask for every paper's id.
    parsed = parse_bare(text)
    return canonical_id(parsed.base) if parsed is not None else None


def field_problem(value: object) -> str | None:
    """What is wrong with a front-matter `arxiv` value, in words, or None when it is an id."""
    if value is None or base_of(value) is not None:
        return None
    if isinstance(value, (int, float)):
        return f'arXiv id {value!r} was read as a number; quote it: arxiv: "..."'
    return f"malformed arXiv id {value!r} (expected e.g. 2202.05262 or hep-th/9901001)"


def parse_bare(text: str) -> ArxivId | None:
    """A bare id (`2202.05262v3`, `hep-th/9901001`), validated: month 01-12, 4 digits before 2015."""
    match = BARE.match(text.strip())
    if not match:
        return None
    if match.group("new"):
        yymm, num = match.group("yymm"), match.group("num")
        if not 1 <= int(yymm[2:]) <= 12:
            return None
        if (len(num) == 5) != (int(yymm) >= 1501):
            return None
        base = match.group("new")
    else:
        base = match.group("old")
    version = match.group("version")
    return ArxivId(base, int(version) if version else None)


def parse(ref: str) -> ArxivId | None:
    """Any common written form of an arXiv reference -> ArxivId, or None if it is not one."""
    ref = unwrap_redirect(ref.strip())
    bare = parse_bare(re.sub(r"^arxiv:\s*", "", ref, flags=re.IGNORECASE))
    if bare is not None:
        return bare
    match = _IN_TEXT.search(ref)
    if not match:
        return None
    tail = ref[match.end():]
    if tail and not re.match(r"^(?:\.pdf)?(?:[/?#].*)?$", tail):
        return None  # e.g. `2202.052621` is not `2202.05262`
    return parse_bare(match.group("id"))


def unwrap_redirect(url: str) -> str:
    """`https://l.messenger.com/l.php?u=https%3A%2F%2Farxiv.org%2F...` -> the wrapped URL."""
    for _ in range(3):  # redirectors are sometimes nested
        parts = urlsplit(url)
        if not parts.query:
            return url
        query = parse_qs(parts.query)
        wrapped = next(
            (query[key][0] for key in _REDIRECT_KEYS if key in query and "://" in query[key][0]),
            None,
        )
        if wrapped is None:
            return url
        url = unquote(wrapped) if "%3A" in wrapped.upper() else wrapped
    return url


def find_refs(text: str) -> list[tuple[int, ArxivId]]:
    """Every arXiv reference in free text, with its offset, redirector links decoded.

    Finds full URLs (any host, so wrapped links are unwrapped), scheme-less `arxiv.org/abs/...`
    and DOI forms, and `arXiv:ID` mentions.
    """
    found: dict[int, ArxivId] = {}
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"https?://[^\s)\]>\"']+", text):
        spans.append(match.span())
        arxiv_id = parse(match.group(0))
        if arxiv_id is not None:
            found[match.start()] = arxiv_id
    for match in _IN_TEXT.finditer(text):
        if any(start <= match.start() < end for start, end in spans):
            continue
        arxiv_id = parse_bare(match.group("id"))
        if arxiv_id is not None:
            found[match.start()] = arxiv_id
    return sorted(found.items())
