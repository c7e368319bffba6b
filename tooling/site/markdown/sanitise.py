"""The rendered-HTML sanitiser: no note page carries markup that runs, whoever wrote the note.

Notes may come from anyone's vault (`kb import` keeps them byte for byte), so the HTML of every
note page (not the Markdown: footnotes, reference definitions and link syntax all become HTML
late) goes through nh3 (the ammonia sanitiser, a real HTML5 parser) with the allow-list below,
after Python-Markdown has restored the raw HTML. What runs is dropped: `<script>`, `on*=`
handlers, `javascript:` and `data:` URLs however written; what would load from another host
(an `<iframe>`, a remote image or video) becomes a link card, `<a class="kb-link-card">`; the
harmless HTML people write in Obsidian (`<span style>`, `<kbd>`, `<sub>`, `<details>`, `<svg>`,
tables, local images) is kept. Listing pages (indexes, tags, the home page) are built by kb
from escaped values and are not sanitised.

**The trusted stash** is how an extension's own HTML (cards, wikilinks, demo widgets and their
`data:` figures, query tables) gets past the sanitiser untouched: use `trusted(md, html)` where
you would use `md.htmlStash.store(html)`; it returns the same kind of placeholder. Those stash
entries are swapped for inert tokens (with a random nonce per page, so no note can forge one)
before raw HTML is restored, and put back after the sanitiser ran.

    preprocessor  kb_trusted_reset (1000)  a fresh nonce and trusted set for this conversion
    postprocessor kb_trusted_tokens (31)   trusted stash entries become tokens
    postprocessor raw_html (30)            everything else in the stash restored
    postprocessor kb_sanitise (5)          embeds -> link cards, nh3, tokens -> trusted HTML
"""

from __future__ import annotations

import re
import secrets
from functools import lru_cache
from html import escape, unescape
from html.parser import HTMLParser
from typing import Any

import nh3
from markdown import Markdown
from markdown.postprocessors import Postprocessor, RawHtmlPostprocessor
from markdown.preprocessors import Preprocessor

from ..safe_urls import LINK_SCHEMES, local_source, local_srcset, remote, safe_url
from .context import KbExtension, current_page
from .pipeline import add

# --- the allow-list (README, "Third-party HTML") ----------------------------------------------

SVG_TAGS = {"svg", "g", "path", "circle", "ellipse", "line", "polyline", "polygon", "rect", "text",
            "tspan", "title", "desc", "defs", "linearGradient", "radialGradient", "stop"}
TAGS = (set(nh3.ALLOWED_TAGS) - {"area", "map"}) | SVG_TAGS | {
    "font", "picture", "source", "video", "audio", "label", "input", "section"}
GENERIC = {"class", "id", "title", "lang", "dir", "align", "style", "role", "hidden"}
SVG_ATTRIBUTES = {
    "viewBox", "width", "height", "fill", "stroke", "stroke-width", "stroke-linecap",
    "stroke-linejoin", "stroke-dasharray", "stroke-opacity", "fill-opacity", "fill-rule", "opacity",
    "d", "cx", "cy", "r", "rx", "ry", "x", "y", "x1", "y1", "x2", "y2", "dx", "dy", "points",
    "transform", "font-size", "font-family", "font-weight", "text-anchor", "dominant-baseline",
    "xmlns", "version", "offset", "stop-color", "stop-opacity", "gradientUnits",
    "gradientTransform", "preserveAspectRatio"}
ATTRIBUTES: dict[str, set[str]] = {
    "*": GENERIC,
    "a": {"href", "name"},
    "img": {"src", "srcset", "alt", "width", "height", "loading"},
    "source": {"src", "srcset", "type", "media", "width", "height"},
    "video": {"src", "poster", "controls", "width", "height", "loop", "muted", "playsinline"},
    "audio": {"src", "controls", "loop", "muted"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
    "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "reversed", "type"}, "li": {"value"},
    "details": {"open"}, "time": {"datetime"}, "data": {"value"}, "abbr": set(),
    "blockquote": {"cite"}, "q": {"cite"}, "del": {"cite", "datetime"}, "ins": {"cite", "datetime"},
    "font": {"color", "face", "size"},
    "input": {"checked"},  # tasklist checkboxes; `type` is limited below, `disabled` forced
    **{tag: set(SVG_ATTRIBUTES) for tag in SVG_TAGS},
}
STYLES = {"color", "background-color", "font-weight", "font-style", "font-size", "font-family",
          "font-variant", "text-align", "text-decoration", "text-transform", "vertical-align",
          "white-space", "letter-spacing", "line-height", "padding", "border", "border-radius",
          "width", "max-width", "height", "fill", "stroke", "stroke-width", "opacity"}
LINKS = {"href", "cite"}  # a link elsewhere: http(s), mailto or relative (safe_urls.safe_url)
SOURCES = {"src", "poster"}  # what the page loads: files of the site only (safe_urls.local_source)
OURS = "kb-"  # classes our scripts and styles act on: a note's HTML may not pose as our widgets
_LOADS = re.compile(r"url\(|image\(|\\|expression|@import", re.IGNORECASE)  # in style or paint

CLEANER = nh3.Cleaner(
    tags=TAGS, attributes=ATTRIBUTES, strip_comments=False, link_rel=None,
    url_schemes=set(LINK_SCHEMES), filter_style_properties=STYLES,
    generic_attribute_prefixes={"aria-"}, tag_attribute_values={"input": {"type": {"checkbox"}}},
    set_tag_attribute_values={"input": {"disabled": "disabled"}})

# In nh3's output every attribute is written `name="value"` with `"`, `<` and `>` escaped, so a
# tag runs from `<` to the next `>` and its attributes can be read with a pattern. Only tags with
# an attribute the site's own rules look at are read again (a page's many highlighted-code spans
# are not): URLs, styles, our classes, paint that could load.
_ATTRIBUTE = re.compile(r'\s([^\s="]+)="([^"]*)"')
_WATCHED = r'\s(?:href|cite|src|srcset|poster|style)="|\sclass="[^"]*kb-|="[^"]*url\('


def _attribute(name: str, value: str) -> str | None:
    """An attribute's value under the site's rules (None: drop it): URLs by the one rule of
    `safe_urls` (nh3's own scheme check stays underneath), none of our classes, and no CSS or SVG
    paint value that could load something (`url(...)`, `image(...)`, escapes)."""
    if name in LINKS:
        return safe_url(value)
    if name in SOURCES:
        return local_source(value)
    if name == "srcset":
        return local_srcset(value)
    if name == "class":
        kept = [word for word in value.split() if not word.startswith(OURS)]
        return " ".join(kept) if kept else None
    if ("(" in value or "\\" in value) and _LOADS.search(value):
        return None
    return value


@lru_cache(maxsize=16384)
def _checked_tag(tag: str) -> str:
    """A start tag of nh3's output with each attribute checked by `_attribute` (pages repeat
    the same tags: a table's cells, links to the same notes)."""
    def check(match: re.Match[str]) -> str:
        value = _attribute(match.group(1), unescape(match.group(2)))
        return "" if value is None else f' {match.group(1)}="{escape(value)}"'

    return _ATTRIBUTE.sub(check, tag)


# --- the trusted stash ------------------------------------------------------------------------

def trusted(md: Markdown, html: str) -> str:
    """Stash our own `html` as `md.htmlStash.store` does (the placeholder it returns goes in the
    Markdown text), and keep it out of the sanitiser: it is restored exactly as given. Escape
    every value from a note in it, as our extensions do."""
    placeholder = md.htmlStash.store(html)
    md.__dict__.setdefault("kb_trusted", set()).add(md.htmlStash.html_counter - 1)
    return placeholder


class _Reset(Preprocessor):
    """A fresh nonce and an empty trusted set at the start of each conversion."""

    def run(self, lines: list[str]) -> list[str]:
        self.md.kb_trusted = set()  # type: ignore[attr-defined]
        self.md.kb_nonce = secrets.token_hex(8)  # type: ignore[attr-defined]
        self.md.kb_tokens = {}  # type: ignore[attr-defined]
        self.md.kb_swapped = set()  # type: ignore[attr-defined]
        self.md.kb_sanitising = None  # type: ignore[attr-defined]
        return lines


class _Tokens(Postprocessor):
    """Before raw HTML is restored: each trusted stash entry becomes an inert token (a comment
    for block-level HTML, so the paragraph around a lone placeholder goes as it would; a word
    otherwise), remembered with its HTML. Postprocessors also run on fragments (the table of
    contents renders headings through them), so an entry is swapped once and stays swapped."""

    def run(self, text: str) -> str:
        if not _sanitising(self.md):
            return text
        swapped: set[int] = self.md.__dict__.setdefault("kb_swapped", set())
        fresh = self.md.kb_trusted - swapped  # type: ignore[attr-defined]
        if not fresh:
            return text
        stash, nonce = self.md.htmlStash, self.md.kb_nonce  # type: ignore[attr-defined]
        tokens: dict[str, str] = self.md.kb_tokens  # type: ignore[attr-defined]
        block = RawHtmlPostprocessor(self.md).isblocklevel
        for index in sorted(fresh):
            html = stash.rawHtmlBlocks[index]
            swapped.add(index)
            if not isinstance(html, str):
                continue
            token = _token(nonce, len(tokens), block(html))
            tokens[token] = html
            stash.rawHtmlBlocks[index] = token
        return text


def _token(nonce: str, number: int, block: bool) -> str:
    return f"<!--kbt-{nonce}-{number}-->" if block else f"kbt{nonce}n{number}x"


class _Sanitise(Postprocessor):
    """After raw HTML is restored: embeds from other hosts become link cards, nh3 cleans the
    page, and the trusted tokens are replaced by their HTML."""

    def run(self, text: str) -> str:
        if not _sanitising(self.md):
            return text
        if len(text) <= _FRAGMENT and "kbt" not in text and not _EMBED_HINT.search(text):
            return _fragment(text)  # no token to restore, no embed: the same for every page
        return _sanitised(text, self.md.kb_tokens, self.md.kb_nonce)  # type: ignore[attr-defined]


_FRAGMENT = 1000  # characters: the table of contents and its headings, rendered once per page


@lru_cache(maxsize=4096)
def _fragment(text: str) -> str:
    """`_sanitised` of a short text holding no token and no embed (the table of contents renders
    its list and each heading through the postprocessors: the same few texts on every page)."""
    return _sanitised(text, {}, "")


def _sanitised(text: str, tokens: dict[str, str], nonce: str) -> str:
    """Embeds from other hosts as link cards, nh3's clean HTML, and the page's trusted tokens
    (`nonce`'s) put back as their HTML."""
    if _EMBED_HINT.search(text):
        text = _link_cards(text, tokens, nonce)
    clean = CLEANER.clean(text) if "<" in text or "&" in text else text

    def restore(match: re.Match[str]) -> str:
        found = match.group(0)
        if found in tokens:
            return tokens[found]
        if found[0] != "<":
            return found  # token-shaped words of the note's own, with another nonce
        if f"kbt{nonce}n" in found:  # a token inside a tag (in an image's alt): its words
            found = _INLINE.sub(lambda m: escape(_words(tokens.get(m.group(0), ""))), found)
        return _checked_tag(found)

    return _RESTORE.sub(restore, clean)


# Trusted tokens (any nonce: the page's own are looked up), and the tags that hold a token or an
# attribute the site's rules watch.
_RESTORE = re.compile(r"<!--kbt-[0-9a-f]{16}-\d+-->|kbt[0-9a-f]{16}n\d+x"
                      rf"|<[a-zA-Z](?=[^>]*(?:kbt[0-9a-f]{{16}}n|{_WATCHED}))[^>]*>")
_INLINE = re.compile(r"kbt[0-9a-f]{16}n\d+x")


def _sanitising(md: Markdown) -> bool:
    """Every page but the listings kb builds itself (a page with a marker and no node); text
    converted without a page marker is sanitised too. Decided once per conversion."""
    decided: bool | None = getattr(md, "kb_sanitising", None)
    if decided is None:
        src = current_page(md)
        context = getattr(md, "kb_sanitise_context", None)
        page = context.pages.get(src) if src is not None and context is not None else None
        decided = md.kb_sanitising = page is None or page.node is not None  # type: ignore[attr-defined]
    return decided


def _words(html: str) -> str:
    return re.sub(r"<[^>]*>", "", html)


# --- embeds from other hosts become link cards --------------------------------------------------

_EMBED_HINT = re.compile(r"<(?:iframe|img|video|audio|embed|object)\b", re.IGNORECASE)
_EMBED = re.compile(r"<(iframe|img|video|audio|embed|object)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",
                    re.IGNORECASE)
_CONTAINERS = {"iframe", "video", "audio", "object"}


class _Attributes(HTMLParser):
    """The attributes of one start tag, as a browser reads them (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.found:
            self.found = {name: value or "" for name, value in attrs}

    handle_startendtag = handle_starttag


def _attributes(tag: str) -> dict[str, str]:
    parser = _Attributes()
    try:
        parser.feed(tag)
        parser.close()
    except Exception:  # the stdlib parser gives up on some garbage: nh3 has the last word
        return {}
    return parser.found


def _link_cards(text: str, tokens: dict[str, str], nonce: str) -> str:
    """`text` with each iframe, embed or object, and each image, video or audio from another
    host, replaced by a trusted link card (or removed, when its URL is not a safe link)."""
    pieces: list[str] = []
    position = 0
    for match in _EMBED.finditer(text):
        if match.start() < position:
            continue  # inside a container already replaced
        name = match.group(1).lower()
        attrs = _attributes(match.group(0))
        url = attrs.get("src") or attrs.get("data") or ""
        if name not in ("iframe", "embed", "object") and not remote(url):
            continue  # a file of the site: the sanitiser decides the rest
        end = match.end()
        if name in _CONTAINERS and not match.group(0).endswith("/>"):
            close = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, end)
            end = close.end() if close else end
        pieces.append(text[position:match.start()])
        link = safe_url(url)
        if link:
            label = attrs.get("title") or attrs.get("alt") or link
            token = _token(nonce, len(tokens), block=False)
            tokens[token] = f'<a class="kb-link-card" href="{escape(link)}">{escape(label)}</a>'
            pieces.append(token)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


class SanitiseExtension(KbExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.kb_sanitise_context = self.context(md)  # type: ignore[attr-defined]
        add(md, "preprocessors", "kb_trusted_reset", _Reset(md))
        add(md, "postprocessors", "kb_trusted_tokens", _Tokens(md))
        add(md, "postprocessors", "kb_sanitise", _Sanitise(md))


def makeExtension(**kwargs: Any) -> SanitiseExtension:  # noqa: N802
    return SanitiseExtension(**kwargs)
