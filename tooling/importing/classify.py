"""Stage 3 of `kb import`: what a line of an outline is about. Pure recognisers, no state.

- papers: every arXiv reference on a line (links, bare URLs, `arXiv:` ids, redirector-wrapped
  links), links to known venues (OpenReview, ACL Anthology, a DOI...), and mentions written
  `Title (authors, year) - remark`;
- done marks (`✅`, `[x]`) and open boxes (`[ ]`), kept as written;
- concepts: items under a label naming concepts, checkbox items, "what is X?" questions;
- author names (for `### Name` sections under `## Authors`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..identifiers import ARXIV_MENTION, ArxivId, arxiv_bare, parse_arxiv, unwrap_redirect
from ..notes.ids import STOPWORDS, slug, words
from ..syntax import MDLINK, mask_code

DONE = "\u2705"  # ✅
_CHECKBOX = re.compile(r"^\[( |x|X)\][ \t]+")
_BARE_URL = re.compile(r"https?://[^\s<>\]\)\"'`]+")
_QUESTION = re.compile(r"^what (?:is|are) (?:an? |the )?(.{2,60}?)\s*\??$", re.IGNORECASE)
_NOT_NAMES = frozenset({"other", "papers", "notes", "links", "misc", "references", "related"})
# Hosts whose links are papers (a DOI resolver only for DOIs; a bare host is a home page).
VENUES = frozenset({
    "openreview.net", "proceedings.neurips.cc", "papers.nips.cc", "neurips.cc",
    "proceedings.mlr.press", "aclanthology.org", "aclweb.org", "jmlr.org", "dl.acm.org",
    "ieeexplore.ieee.org", "openaccess.thecvf.com", "link.springer.com", "nature.com",
    "science.org", "biorxiv.org", "medrxiv.org", "distill.pub", "transformer-circuits.pub",
    "semanticscholar.org", "doi.org", "dx.doi.org", "papers.ssrn.com", "ojs.aaai.org",
})


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to a paper on a line: its span, a Markdown link's text, and what it names."""

    start: int
    end: int
    label: str | None
    url: str
    arxiv: ArxivId | None
    venue: str | None  # the (unwrapped) URL of a venue link


@dataclass(frozen=True, slots=True)
class Mention:
    """`Title (authors, year) - remark` at the start of an item."""

    title: str
    authors: list[str]
    year: int
    cite: str  # `(authors, year)` as written
    remark: str


def split_mark(text: str) -> tuple[str, str | None, str]:
    """(text without its mark, 'done' | 'open' | None, the mark as written with its space)."""
    if text.startswith(DONE):
        rest = text[len(DONE):]
        return rest.strip(), "done", text[: len(text) - len(rest.lstrip())]
    box = _CHECKBOX.match(text)
    if box:
        return text[box.end():].strip(), "done" if box.group(1) in "xX" else "open", box.group(0)
    return text, None, ""


def venue_of(url: str) -> str | None:
    """The URL when it points at a paper on a known venue (not its home page), else None."""
    url = unwrap_redirect(url)
    parts = urlsplit(url if "://" in url else "https://" + url)
    host = parts.netloc.lower().split(":")[0].removeprefix("www.")
    path = parts.path.strip("/")
    if host not in VENUES or not (path or parts.query):
        return None
    if host.endswith("doi.org") and not path.startswith("10."):
        return None
    return url


def paper_refs(text: str) -> list[Ref]:
    """Every reference to a paper on a line, in order (code spans never count)."""
    if "://" not in text and "arxiv" not in text.lower() and "doi.org" not in text:
        return []  # no URL, no `arXiv:` id: most lines of a page
    masked = mask_code(text) if "`" in text else text
    found: list[Ref] = []
    taken: list[tuple[int, int]] = []
    for match in MDLINK.finditer(masked):
        taken.append(match.span())
        if match.start() and masked[match.start() - 1] == "!":
            continue  # an image
        url = match.group(2)
        ref = _ref(match.start(), match.end(), match.group(1), url)
        if ref is not None:
            found.append(ref)
    for pattern in (_BARE_URL, ARXIV_MENTION):
        for match in pattern.finditer(masked):
            if any(start <= match.start() < end for start, end in taken):
                continue
            url = match.group(0).rstrip(".,;:!?")
            taken.append((match.start(), match.start() + len(url)))
            ref = _ref(match.start(), match.start() + len(url), None, url)
            if ref is not None:
                found.append(ref)
    return sorted(found, key=lambda ref: ref.start)


def _ref(start: int, end: int, label: str | None, url: str) -> Ref | None:
    arxiv = parse_arxiv(url)
    if arxiv is None and re.match(r"arxiv\.org/", url, re.IGNORECASE):
        arxiv = parse_arxiv("https://" + url)
    venue = venue_of(url) if arxiv is None and "." in url else None
    if arxiv is None and venue is None:
        return None
    return Ref(start, end, label, url, arxiv, venue)


# Link texts that say what a link is, not which paper (`[DOI](https://doi.org/...)`): two such
# links are two papers, never one titled "DOI".
_NOT_TITLES = frozenset({
    "doi", "pdf", "arxiv", "link", "links", "paper", "here", "html", "code", "url", "abs",
    "abstract", "preprint", "website", "web", "source", "article", "full text", "fulltext",
    "openreview", "acl", "slides", "video", "blog", "post", "github", "download", "view", "read",
    "online", "ssrn", "pubmed", "scholar", "google scholar", "semantic scholar", "publisher"})


def link_title(label: str | None) -> str:
    """A paper's title from its link text: empty when the text is a URL, an id, or a word that
    names the kind of link (`DOI`, `PDF`, `here`)."""
    title = (label or "").strip().lstrip("#").strip()
    if not title or "://" in title or parse_arxiv(title) or arxiv_bare(title):
        return ""
    if title.strip("[]() .:").lower() in _NOT_TITLES:
        return ""
    return title


def placeholder_title(ref: Ref) -> str:
    """`arXiv 2211.00593`, or `Paper at openreview.net/forum?id=...` until someone names it."""
    if ref.arxiv is not None:
        return f"arXiv {ref.arxiv.base}"
    parts = urlsplit(ref.venue or ref.url)
    where = (parts.netloc.removeprefix("www.") + parts.path.rstrip("/")
             + (f"?{parts.query}" if parts.query else ""))
    return f"Paper at {where[:100]}"


# `(authors, year)`: a parenthesis holding a year, at most 200 characters (no regex here may
# backtrack over a whole line: imported lines can be long and hostile).
_CITE = re.compile(r"\(([^()]{0,200}?(?:19|20)\d\d[a-z]?\+?(?:[ \t]*,[^()]{0,100})?)[ \t]*\)")
_WHO_YEAR = re.compile(r"(?P<who>[^()]*?)[\s,]*(?P<year>(?:19|20)\d\d)[a-z]?\+?(?:[ \t]*,.*)?")
_YEAR = re.compile(r"(?:19|20)\d\d")
_NOT_TITLE = re.compile(r" [-–—] |\be\.g\.|\bi\.e\.|^see |\bsee also\b", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[ \t]*(?:[-–—:])[ \t]*")
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|&|\band\b|…|\.\.\.)\s*")
_ET_AL = re.compile(r"\s*\bet al\.?$")


def mention(text: str) -> Mention | None:
    """`Semi-supervised Sequence Learning (dai & quoc le, 2015) - remark` as a paper mention:
    a title (which may hold its own parentheses), then the first `(authors, year)`; or an APA
    reference, `Hutton, G., & Lee, K. (2023). The title. Publisher.` (see `apa_reference`)."""
    if "(" not in text or not _YEAR.search(text):
        return None
    cite = _CITE.search(text)
    if cite is None:
        return None
    title = text[: cite.start()].strip()
    if _APA_AUTHORS.fullmatch(title):
        return apa_reference(text, title, cite)
    if not _is_title(title):
        return None
    parts = _WHO_YEAR.fullmatch(cite.group(1).strip())
    if parts is None:
        return None
    who = parts.group("who").strip()
    if len(who.split()) > 8 or who.lower().startswith(("see ", "e.g", "i.e")):
        return None
    authors = [_ET_AL.sub("", name).strip() for name in _AUTHOR_SPLIT.split(who)]
    authors = [name for name in authors if name and any(c.isalpha() for c in name)]
    remark = _SEPARATOR.sub("", text[cite.end():], count=1).strip()
    return Mention(title, authors, int(parts.group("year")), cite.group(0), remark)


# `Surname, I. I.` names joined by `,` and `&` (or `and`): what stands before the year of an
# APA reference, never a title.
_APA_NAME = r"[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’-]*){0,2}, (?:[^\W\d_]\.[ -]?){1,4}"
_APA_AUTHORS = re.compile(rf"{_APA_NAME}(?:,? (?:&|and) {_APA_NAME}|, {_APA_NAME}){{0,30}}(?:,? et al\.)?")
_APA_SPLIT = re.compile(r"(?<=\.),? (?:& |and )?")


def apa_reference(text: str, authors: str, cite: re.Match[str]) -> Mention | None:
    """`Hutton, G. (2023). The title. Publisher.`: the title is the sentence after the year; the
    names and the year stay on the page beside the link (the cite), the rest is a remark."""
    year = _YEAR.search(cite.group(1))
    rest = text[cite.end():].lstrip(" .")
    end = rest.find(". ")
    title = (rest if end < 0 else rest[:end]).strip().rstrip(".")
    if year is None or not title or not _is_title(title):
        return None
    # `Hutton, G.` -> `G. Hutton`: the order every other name of the base is written in.
    names = [" ".join(reversed([part.strip() for part in name.split(",", 1)]))
             for name in _APA_SPLIT.split(authors) if name.strip()]
    remark = "" if end < 0 else rest[end + 1:].strip()
    return Mention(title, names, int(year.group(0)), f"{authors} {cite.group(0)}", remark)


def _is_title(text: str) -> bool:
    """Words that can be a paper's title: a letter or digit, no link, no list of examples,
    parentheses balanced, at most 25 words."""
    if not any(c.isalnum() for c in text) or "[" in text or "]" in text or "://" in text:
        return False
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if depth < 0 or depth > 1:
            return False
    return depth == 0 and len(text.split()) <= 25 and not _NOT_TITLE.search(text)


def title_keys(title: str) -> list[str]:
    """Comparison keys of a paper title: folded, and folded without an `ACRONYM:` prefix, so
    `ROME: Locating and Editing...` finds `Locating and Editing...`."""
    keys = [slug(title)]
    head, colon, rest = title.partition(":")
    if colon and rest.strip() and len(head.split()) <= 2:
        keys.append(slug(rest))
    return [key for key in keys if key != "untitled"]


def significant(title: str) -> list[str]:
    """The words of a title that say something (any script)."""
    found = words(title)
    return [w for w in found if w not in STOPWORDS] or found


def question_topic(text: str) -> str | None:
    found = _QUESTION.match(text)
    return found.group(1).strip() if found else None


def is_name(text: str) -> bool:
    """A person's name: two to four capitalised words (`Ada Lovelace`, `Łukasz Kaiser`), or one
    word of a script without case (`张三`)."""
    parts = text.split()
    if len(parts) == 1:
        return all(c.isalpha() and not c.isupper() and not c.islower() for c in parts[0])
    if not 2 <= len(parts) <= 4 or {w.lower() for w in parts} & _NOT_NAMES:
        return False
    return all(w[0].isalpha() and w[0].isupper()
               and all(c.isalpha() or c in "'-." for c in w[1:]) for w in parts)


def concept_title(text: str, state: str | None, in_label: bool, item: bool, margin: bool
                  ) -> tuple[str, bool] | None:
    """The concept a line names, and whether its line must be kept in the concept's body (a link
    in it); None when it names none.

    A concept is a "what is X?" question, a checked or open box (`[x] attention for images`,
    outside nested lists unless under a label), or an item at the margin under a label naming
    concepts (`Basic NLP concepts`). Lines with URLs, long lines and labels ending in `:` are not.
    """
    plain = text
    link = MDLINK.fullmatch(text)
    if link:
        plain = link.group(1).strip()
        if "://" in plain or not plain:
            return None
    elif "](" in text or "http" in text or "[[" in text:
        return None
    if not plain or len(plain.split()) > 8 or plain.endswith(":"):
        return None
    topic = question_topic(plain)
    if topic:
        return topic, True
    if state is not None and (not item or margin or in_label):
        return plain, plain != text
    if in_label and item and margin:
        return plain, plain != text
    return None
