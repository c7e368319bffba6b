"""Paper identifiers: every grammar in one place, for any form a user pastes or a note stores.

- arXiv: `2202.05262`, `2202.05262v3`, `arXiv:2202.05262`, `hep-th/9901001`, `math.GT/0309136v2`,
  abs/pdf/html URLs, `10.48550/arXiv.2202.05262` and its doi.org URL;
- DOI: `10.1038/nature14539`, `doi:10.1038/...`, `https://doi.org/10.1038/...` (dx., www.,
  percent-encoded); compared case-insensitively, as DOIs are;
- ACL Anthology: `2020.acl-main.463`, `P19-1001`, aclanthology.org and aclweb.org/anthology URLs,
  and their DOIs `10.18653/v1/<id>`;
- OpenReview: `openreview.net/forum?id=...` (and `pdf?id=`, `attachment?id=`), `openreview:ID`;
- OpenAlex: `W2741809807`, `openalex:W...`, openalex.org and api.openalex.org/works URLs.

Any of them may come wrapped in a redirector's `?u=<encoded url>`. Each scheme's name is also the
front-matter field that holds it (`arxiv`, `doi`, `acl`, `openreview`, `openalex`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .schema import ARXIV_ABS_URL

ARXIV, DOI, ACL, OPENREVIEW, OPENALEX = "arxiv", "doi", "acl", "openreview", "openalex"
SCHEMES = (ARXIV, DOI, ACL, OPENREVIEW, OPENALEX)  # also the order `parse_id` tries them in
ACL_DOI_PREFIX = "10.18653/v1/"
ARXIV_DOI_PREFIX = "10.48550/arxiv."

_REDIRECT_KEYS = ("u", "url", "q", "target", "dest")
_URL = re.compile(r"https?://[^\s\]>\"'<`]+")  # a closing `)` is trimmed when unbalanced


@dataclass(frozen=True, slots=True, order=True)
class PaperId:
    """One identifier of a paper: its scheme and canonical value (`doi`, `10.1038/nature14539`)."""

    scheme: str
    value: str

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"

    @property
    def key(self) -> str:
        """What two written forms of the same id share (DOIs ignore case)."""
        return f"{self.scheme}:{self.value.lower() if self.scheme == DOI else self.value}"

    @property
    def url(self) -> str:
        return {ARXIV: ARXIV_ABS_URL.format(self.value), DOI: f"https://doi.org/{self.value}",
                ACL: f"https://aclanthology.org/{self.value}/",
                OPENREVIEW: f"https://openreview.net/forum?id={self.value}",
                OPENALEX: f"https://openalex.org/{self.value}"}[self.scheme]


def id_from_key(text: str) -> PaperId | None:
    """`doi:10.1/x` (as `str(PaperId)` writes it) back to a PaperId, checked."""
    scheme, _, value = text.partition(":")
    parser = BARE_PARSERS.get(scheme)
    parsed = parser(value) if parser is not None else None
    return PaperId(scheme, parsed) if parsed is not None else None


# --- arXiv -----------------------------------------------------------------------------------

_NEW = r"(?P<new>(?P<yymm>\d{4})\.(?P<num>\d{4,5}))"
_OLD = r"(?P<old>[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/(?P<oldnum>\d{7}))"
_VERSION = r"(?:v(?P<version>[1-9]\d*))?"
_ARXIV_BARE = re.compile(rf"^(?:{_NEW}|{_OLD}){_VERSION}$")
_ARXIV_ID_TEXT = r"(?:\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
_ARXIV_IN_TEXT = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf|html)/|10\.48550/arxiv\.|arxiv:\s?)(?P<id>{_ARXIV_ID_TEXT})",
    re.IGNORECASE,
)
# A mention an outline writes without a scheme (`arXiv:2202.05262`, `arxiv.org/abs/...`), whole.
ARXIV_MENTION = re.compile(
    rf"(?<![\w/.])(?:arxiv:[ \t]?|arxiv\.org/(?:abs|pdf)/)({_ARXIV_ID_TEXT})(?:\.pdf)?",
    re.IGNORECASE)
_OLD_STYLE_CLASS = re.compile(r"^([a-z]+(?:-[a-z]+)*)\.[A-Z]{2}/")


@dataclass(frozen=True, slots=True, order=True)
class ArxivId:
    """An arXiv id split into its version-less base and optional version number."""

    base: str
    version: int | None = None

    def __str__(self) -> str:
        return f"{self.base}v{self.version}" if self.version else self.base

    @property
    def abs_url(self) -> str:
        return ARXIV_ABS_URL.format(self)


def canonical_arxiv(base: str) -> str:
    """The id arXiv answers with: `math.GT/0309136` -> `math/0309136` (the subject class is not
    part of an old-style id); new-style ids are unchanged."""
    return _OLD_STYLE_CLASS.sub(r"\1/", base)


def arxiv_base_of(value: object) -> str | None:
    """The canonical version-less id a front-matter `arxiv` value holds, or None."""
    return _arxiv_base_of_text(value) if isinstance(value, str) else None


@functools.lru_cache(maxsize=1 << 16)
def _arxiv_base_of_text(text: str) -> str | None:
    # Cached: the index, `malformed-arxiv` and `duplicate-arxiv` each ask for every paper's id.
    parsed = arxiv_bare(text)
    return canonical_arxiv(parsed.base) if parsed is not None else None


def arxiv_bare(text: str) -> ArxivId | None:
    """A bare id (`2202.05262v3`, `hep-th/9901001`), validated: month 01-12, 4 digits before 2015."""
    match = _ARXIV_BARE.match(text.strip())
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


def parse_arxiv(ref: str) -> ArxivId | None:
    """Any common written form of an arXiv reference -> ArxivId, or None if it is not one."""
    ref = unwrap_redirect(ref.strip())
    bare = arxiv_bare(re.sub(r"^arxiv:\s*", "", ref, flags=re.IGNORECASE))
    if bare is not None:
        return bare
    match = _ARXIV_IN_TEXT.search(ref)
    if not match:
        return None
    tail = ref[match.end():]
    if tail and not re.match(r"^(?:\.pdf)?(?:[/?#].*)?$", tail):
        return None  # e.g. `2202.052621` is not `2202.05262`
    return arxiv_bare(match.group("id"))


def _arxiv_value(text: str) -> str | None:
    parsed = parse_arxiv(text)
    return canonical_arxiv(parsed.base) if parsed is not None else None


# --- DOI, ACL Anthology, OpenReview, OpenAlex --------------------------------------------------

_DOI = re.compile(r"10\.\d{4,9}/[^\s\"'<>]+")
_DOI_HOST = re.compile(r"^(?:https?://)?(?:dx\.|www\.)?doi\.org/", re.IGNORECASE)
_ACL_NEW = re.compile(r"\d{4}\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.\d{1,4}", re.IGNORECASE)
_ACL_OLD = re.compile(r"[A-Z]\d{2}-\d{4}", re.IGNORECASE)
_ACL_URL = re.compile(r"^(?:https?://)?(?:www\.)?(?:aclanthology\.org|aclweb\.org/anthology)"
                      r"(?:/[A-Z]/[A-Z]\d{2})?/(?P<id>[^/?#]+?)(?:\.pdf|\.bib)?/?(?:[?#].*)?$",
                      re.IGNORECASE)
_OPENREVIEW_ID = re.compile(r"[A-Za-z0-9_-]{5,40}")
_OPENALEX = re.compile(r"[Ww][1-9]\d{3,11}")
_OPENALEX_URL = re.compile(r"^(?:https?://)?(?:api\.)?openalex\.org/(?:works/)?(?P<id>[Ww]\d+)/?$",
                           re.IGNORECASE)


def doi_bare(text: str) -> str | None:
    """A DOI written as itself (`10.1038/nature14539`); trailing sentence punctuation dropped."""
    text = _trim(text.strip())
    return text if _DOI.fullmatch(text) else None


def parse_doi(text: str) -> str | None:
    """A DOI in any written form -> the DOI (`10.1038/nature14539`), or None."""
    text = unwrap_redirect(text.strip())
    text = re.sub(r"^doi:\s*", "", text, flags=re.IGNORECASE)
    if _DOI_HOST.match(text):
        text = unquote(_DOI_HOST.sub("", text).split("#", 1)[0])
    return doi_bare(text)


def acl_bare(text: str) -> str | None:
    """An ACL Anthology id: `2020.acl-main.463` (lower case) or `P19-1001` (letter upper case)."""
    text = text.strip()
    if _ACL_NEW.fullmatch(text):
        return text.lower()
    if _ACL_OLD.fullmatch(text):
        return text.upper()
    return None


def parse_acl(text: str) -> str | None:
    """An ACL Anthology id from the id, an anthology URL, `acl:ID`, or its DOI `10.18653/v1/ID`."""
    text = unwrap_redirect(text.strip())
    text = re.sub(r"^acl:\s*", "", text, flags=re.IGNORECASE)
    url = _ACL_URL.match(text)
    if url:
        return acl_bare(url.group("id"))
    doi = parse_doi(text) if "10." in text else None
    if doi is not None and doi.lower().startswith(ACL_DOI_PREFIX):
        return acl_bare(doi[len(ACL_DOI_PREFIX):])
    return acl_bare(text)


def ids_of_doi(doi: str) -> list[PaperId]:
    """What a DOI identifies: arXiv's own DOI is the arXiv id; an ACL DOI is the DOI and the
    Anthology id; any other is the DOI."""
    if doi.lower().startswith(ARXIV_DOI_PREFIX):
        base = arxiv_base_of(doi[len(ARXIV_DOI_PREFIX):])
        return [PaperId(ARXIV, base)] if base else []
    found = [PaperId(DOI, doi)]
    if doi.lower().startswith(ACL_DOI_PREFIX):
        acl = acl_bare(doi[len(ACL_DOI_PREFIX):])
        if acl:
            found.append(PaperId(ACL, acl))
    return found


def acl_doi(acl_id: str) -> str:
    """The DOI the Anthology gives a paper: `10.18653/v1/2020.acl-main.463`."""
    return ACL_DOI_PREFIX + acl_id


def openreview_bare(text: str) -> str | None:
    text = text.strip()
    return text if _OPENREVIEW_ID.fullmatch(text) else None


def parse_openreview(text: str) -> str | None:
    """An OpenReview forum id from a forum, pdf or attachment URL, or `openreview:ID`."""
    text = unwrap_redirect(text.strip())
    if text.lower().startswith("openreview:"):
        return openreview_bare(text.split(":", 1)[1])
    parts = urlsplit(text if "://" in text else "https://" + text)
    host = (parts.hostname or "").removeprefix("www.")
    if host != "openreview.net" or parts.path.rstrip("/") not in ("/forum", "/pdf", "/attachment"):
        return None
    found = parse_qs(parts.query).get("id")
    return openreview_bare(found[0]) if found else None


def openalex_bare(text: str) -> str | None:
    text = text.strip()
    return text.upper() if _OPENALEX.fullmatch(text) else None


def parse_openalex(text: str) -> str | None:
    """An OpenAlex work id (`W2741809807`) from the id, `openalex:ID` or an openalex.org URL."""
    text = unwrap_redirect(text.strip())
    text = re.sub(r"^openalex:\s*", "", text, flags=re.IGNORECASE)
    url = _OPENALEX_URL.match(text)
    return openalex_bare(url.group("id") if url else text)


def _trim(text: str) -> str:
    """A DOI or URL taken out of prose: closing punctuation and unbalanced brackets dropped."""
    text = text.rstrip(".,;:!?")
    for close, open_ in ((")", "("), ("]", "[")):
        while text.endswith(close) and text.count(close) > text.count(open_):
            text = text[:-1].rstrip(".,;:!?")
    return text


# --- any scheme ------------------------------------------------------------------------------

# Scheme -> parser of any written form (first match wins in SCHEMES order: an arXiv or ACL DOI is
# the arXiv or ACL id, not a plain DOI).
PARSERS: dict[str, Callable[[str], str | None]] = {
    ARXIV: _arxiv_value, ACL: parse_acl, OPENREVIEW: parse_openreview, OPENALEX: parse_openalex,
    DOI: parse_doi}
# Scheme -> parser of the value a front-matter field holds.
BARE_PARSERS: dict[str, Callable[[str], str | None]] = {
    ARXIV: lambda text: arxiv_base_of(text), DOI: parse_doi, ACL: parse_acl,
    OPENREVIEW: openreview_bare, OPENALEX: parse_openalex}
EXAMPLES = {ARXIV: "2202.05262 or hep-th/9901001", DOI: "10.1038/nature14539",
            ACL: "2020.acl-main.463 or P19-1001",
            OPENREVIEW: "the id of an openreview.net/forum?id=... link", OPENALEX: "W2741809807"}


def parse_id(text: str) -> PaperId | None:
    """Any written form of any scheme's identifier, or None."""
    for scheme in (ARXIV, ACL, OPENREVIEW, OPENALEX, DOI):
        value = PARSERS[scheme](text)
        if value is not None:
            return PaperId(scheme, value)
    return None


def ids_of(meta: Mapping[str, Any]) -> dict[str, PaperId]:
    """The identifiers a note's front matter holds, by scheme (malformed values left out); a
    `url` that is an identifier's link (`https://openreview.net/pdf?id=...`) counts for its
    scheme when no field of that scheme says otherwise."""
    found: dict[str, PaperId] = {}
    for scheme in SCHEMES:
        value = meta.get(scheme)
        parsed = BARE_PARSERS[scheme](value) if isinstance(value, str) else None
        if parsed is not None:
            found[scheme] = PaperId(scheme, parsed)
    url = meta.get("url")
    linked = parse_id(url) if isinstance(url, str) and "://" in url else None
    if linked is not None and linked.scheme not in found and meta.get(linked.scheme) is None:
        found[linked.scheme] = linked
    return found


def field_problem(scheme: str, value: object) -> str | None:
    """What is wrong with a front-matter identifier field, in words, or None when it is fine."""
    if value is None or (isinstance(value, str) and BARE_PARSERS[scheme](value) is not None):
        return None
    if scheme != ARXIV and isinstance(value, str) and not value.strip():
        return None  # an empty field, as when it held free text: nothing to check
    name = {ARXIV: "arXiv id", DOI: "DOI", ACL: "ACL Anthology id", OPENREVIEW: "OpenReview id",
            OPENALEX: "OpenAlex id"}[scheme]
    if isinstance(value, (int, float)):
        return f'{name} {value!r} was read as a number; quote it: {scheme}: "..."'
    return f"malformed {name} {value!r} (expected e.g. {EXAMPLES[scheme]})"


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


# --- finding them in text --------------------------------------------------------------------

_PREFIXED = re.compile(r"(?<![\w/.])(?:(?:doi|openalex|openreview|acl):[ \t]?\S+|10\.\d{4,9}/\S+"
                       r"|\d{4}\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.\d{1,4}\b)", re.IGNORECASE)


def find_arxiv_refs(text: str) -> list[tuple[int, ArxivId]]:
    """Every arXiv reference in free text, with its offset, redirector links decoded."""
    return [(offset, ref) for offset, ref in _find(text, _arxiv_in_text, parse_arxiv)]


def find_ids(text: str) -> list[tuple[int, PaperId]]:
    """Every paper identifier in free text, with its offset: URLs of any host (wrapped links are
    unwrapped), `arXiv:ID`, `doi:`, bare DOIs, `openalex:`/`openreview:`/`acl:` ids and new-style
    ACL ids."""
    return _find(text, _others_in_text, parse_id)


def _find(text: str, in_text: Callable[[str], list[tuple[int, Any]]],
          parse_url: Callable[[str], Any]) -> list[tuple[int, Any]]:
    found: dict[int, Any] = {}
    spans: list[tuple[int, int]] = []
    for match in _URL.finditer(text):
        spans.append(match.span())
        parsed = parse_url(_trim(match.group(0)))
        if parsed is not None:
            found[match.start()] = parsed
    for start, parsed in in_text(text):
        if not any(low <= start < high for low, high in spans):
            found[start] = parsed
    return sorted(found.items())


def _arxiv_in_text(text: str) -> list[tuple[int, ArxivId]]:
    found = []
    for match in _ARXIV_IN_TEXT.finditer(text):
        parsed = arxiv_bare(match.group("id"))
        if parsed is not None:
            found.append((match.start(), parsed))
    return found


def _others_in_text(text: str) -> list[tuple[int, PaperId]]:
    found: list[tuple[int, PaperId]] = []
    spans: list[tuple[int, int]] = []
    for match in _ARXIV_IN_TEXT.finditer(text):
        parsed = arxiv_bare(match.group("id"))
        if parsed is not None:
            found.append((match.start(), PaperId(ARXIV, canonical_arxiv(parsed.base))))
            spans.append(match.span())
    for match in _PREFIXED.finditer(text):
        if any(low < match.end() and match.start() < high for low, high in spans):
            continue  # `doi:10.48550/arXiv.…` is the arXiv id found above
        other = parse_id(_trim(match.group(0)))
        if other is not None:
            found.append((match.start(), other))
    return found
