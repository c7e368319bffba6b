"""Imported text is third-party text: raw HTML in it must not run on the site.

The decision is nh3's (the maintained Rust sanitiser ammonia): each raw HTML tag, each Markdown
link or image URL (and reference definition) and each `{ attr=list }` is shown to nh3 with a
generous allowlist of harmless markup; whatever nh3 would change (a `<script>`, an `on*=`
handler, a `javascript:` URL however it is spelled, an `<iframe>`, a remote `src`) is neutralised
by escaping its first character, so it shows as the text it was and never as markup. Harmless
HTML (`<sub>`, `<details>`, `<span class>`) is kept byte for byte. Code is never touched.

Notes you write in the base yourself are yours and keep their HTML: only `kb import` runs this.
Finding candidates uses Python's own HTML tokenizer and Python-Markdown's attribute-list parser,
the parsers the browser and the site use; nothing here decides safety by a regex.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser

import nh3
from markdown.extensions.attr_list import get_attrs_and_remainder

from ..problems import WARNING, define
from ..syntax import MDLINK, mask_code

UNSAFE = define(
    "unsafe-html", WARNING, "imported raw HTML or a link that would run code was neutralised",
    "Imported pages are third-party text: a `<script>`, an `on*=` handler, a `javascript:` "
    "link, an `<iframe>` or a `{ onclick=... }` attribute list in them would run on the site. "
    "It was kept as visible text (its first character escaped), so no word is lost and nothing "
    "runs. Notes you write in the base yourself keep their HTML.", command="import")

_EXTRA_TAGS = {"font", "figure", "figcaption", "picture", "source", "video", "audio"}
_TAGS = set(nh3.ALLOWED_TAGS) | _EXTRA_TAGS
_GENERIC = {"class", "id", "title", "lang", "dir", "align", "width", "height", "style",
            "markdown", "colspan", "rowspan", "alt", "name"}
_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES["*"] = _GENERIC
_ATTRIBUTES.setdefault("a", set()).update({"href", "title"})
_ATTRIBUTES.setdefault("img", set()).update({"src", "alt"})
_ATTRIBUTES["font"] = {"color", "face", "size"}
_SCHEMES = {"http", "https", "mailto", "kb-asset"}
_STYLES = {"color", "background-color", "font-weight", "font-style", "text-align",
           "text-decoration", "font-size"}


def _offline(element: str, attribute: str, value: str) -> str | None:
    """The site loads nothing from other hosts: a remote `src` is unsafe too."""
    if attribute in ("src", "srcset", "poster") and "//" in value:
        return None
    return value


_CLEANER = nh3.Cleaner(tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES, link_rel=None,
                       strip_comments=False, attribute_filter=_offline,
                       filter_style_properties=_STYLES)
_URL_CLEANER = nh3.Cleaner(tags={"a"}, attributes={"a": {"href"}}, url_schemes=_SCHEMES,
                           link_rel=None)


class _FirstTag(HTMLParser):
    """The first tag of a fragment as a browser tokenizes it: (name, attributes, its text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: tuple[str, list[tuple[str, str | None]], str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found is None:
            self.found = (tag, attrs, self.get_starttag_text() or "")

    handle_startendtag = handle_starttag


def _first_tag(fragment: str) -> tuple[str, list[tuple[str, str | None]], str] | None:
    parser = _FirstTag()
    try:
        parser.feed(fragment)
        parser.close()
    except Exception:  # the stdlib parser gives up on some garbage: then it is not harmless
        return None
    return parser.found


@lru_cache(maxsize=4096)
def _safe_start(token: str) -> bool:
    """A start tag nh3 keeps exactly: same element, same attributes, same values."""
    original = _first_tag(token)
    if original is None:
        return False
    cleaned = _first_tag(_CLEANER.clean(token))
    return cleaned is not None and cleaned[:2] == original[:2]


@lru_cache(maxsize=4096)
def safe_url(url: str) -> bool:
    """A link URL nh3 keeps as is, written plainly or with its HTML entities decoded (as the
    browser will read the `href` Python-Markdown writes)."""
    for candidate in {url, html.unescape(url)}:
        found = _first_tag(_URL_CLEANER.clean(f'<a href="{html.escape(candidate)}">'))
        if found is None or found[1] != [("href", candidate)]:
            return False
    return True


_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
_REACH = 4096  # characters: a tag or attribute list longer is refused (escaped), not parsed
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)>?", re.MULTILINE)
# Where Python-Markdown's attr_list reads `{...}`: right after an inline element (a link's `)`,
# emphasis, code...), or as the last thing on a line (after spaces, or alone on it).
_AFTER_INLINE = re.compile(r"(?<=[)*_`\]~=>])\{")
_LINE_END_LIST = re.compile(r"(?:^|(?<=[ ]))\{\:?[ ]*[^}\n ][^\n]*\}[ ]*$", re.MULTILINE)
_MAX_LISTS = 100  # attribute-list candidates judged per text; any more are escaped unjudged


def _tag_end(rest: str) -> int:
    """Where a browser ends the tag opening `rest`: at the first `>` outside a quoted value."""
    position, quote = 1, ""
    while position < len(rest):
        char = rest[position]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'" and rest[:position].rstrip().endswith("="):
            quote = char
        elif char == ">":
            return position + 1
        position += 1
    return -1


def _unsafe_tag(masked: str, start: int) -> str | None:
    """What is unsafe about the markup opening at `start` (None when harmless)."""
    paragraph_end = masked.find("\n\n", start, start + _REACH)
    rest = masked[start: paragraph_end if paragraph_end >= 0 else start + _REACH]
    if rest.startswith("<!--"):
        end = rest.find("-->")
        token = rest[: end + 3] if end >= 0 else rest
        return None if end >= 0 and _CLEANER.clean(token) == token else token[:40]
    first_close = rest.find(">")
    if first_close < 0:
        return rest[:40]  # no end within reach: never parsed, escaped
    if "<" in rest[1:first_close]:
        return rest[: first_close + 1][:40]  # a `<` inside a tag: no real HTML does that
    if rest.startswith("</"):
        name = re.match(r"</([A-Za-z][^\s/>]*)", rest)
        if name and "</" + name.group(1).lower() in _CLEANER.clean(f"<{name.group(1)}></{name.group(1)}>"):
            return None
        return rest[: first_close + 1]
    if not rest[1:2].isalpha():
        return rest[: first_close + 1]  # <!DOCTYPE>, <?php ?>: not for a note
    quoted_end = _tag_end(rest)
    for token in {rest[: first_close + 1], rest[:quoted_end] if quoted_end > 0 else rest}:
        if not _safe_start(token):
            return token[:60]
    return None


def _unsafe_attr_list(span: str) -> bool:
    """Would Python-Markdown's attr_list turn `span` (`{...}` to the end of its line) into an
    event handler or a URL nh3 refuses? Other attributes (`{i=1}` in math) run nothing."""
    if len(span) > _REACH:
        return True  # no attribute list is this long: not worth the risk (or the time)
    close = span.rfind("}")
    attrs, _ = get_attrs_and_remainder(span[1:close].lstrip(":").strip())
    valued = [("class" if key == "." else key, value) for key, value in attrs if value is not None]
    if not valued:
        return False  # valueless attributes run nothing (`{Classification, Entailment}`)
    if any(name.lower().startswith("on") for name, _ in valued):
        return True
    # Every name is allowed here: whatever nh3 still drops is a URL it refuses (on the `<a>` or
    # `<img>` the list may land on) or a remote source.
    written = " ".join(f'{html.escape(name)}="{html.escape(value)}"' for name, value in valued)
    expected = sorted((name.lower(), value) for name, value in valued)
    for tag in ("a", "img"):
        cleaned = nh3.clean(f"<{tag} {written}>", tags={tag},
                            attributes={"*": {name for name, _ in valued}}, url_schemes=_SCHEMES,
                            link_rel=None, attribute_filter=_offline)
        found = _first_tag(cleaned)
        if found is None or sorted((n, v or "") for n, v in found[1]) != expected:
            return True
    return False


def sanitise(text: str) -> tuple[str, list[tuple[int, str]]]:
    """`text` with everything that would run neutralised, and (offset, what) for each."""
    if "<" not in text and "](" not in text and "{" not in text and "]:" not in text:
        return text, []
    # Comments are not masked: a browser may end one sooner than `-->` (`--!>`), so what
    # looks commented out is checked too.
    masked = mask_code(text, comments=False)
    escapes: dict[int, str] = {}  # offset -> replacement for the one character there
    found: list[tuple[int, str]] = []
    for match in _OPEN.finditer(masked):
        what = _unsafe_tag(masked, match.start())
        if what is not None:
            escapes[match.start()] = "&lt;"
            found.append((match.start(), f"raw HTML {what!r}"))
    for match in MDLINK.finditer(masked):
        if not safe_url(match.group(2)):
            escapes[match.start()] = "\\["
            found.append((match.start(), f"link to {match.group(2)[:60]!r}"))
    for match in _REFERENCE.finditer(masked):
        if not safe_url(match.group(1)):
            bracket = masked.index("[", match.start())
            escapes[bracket] = "\\["
            found.append((bracket, f"link definition to {match.group(1)[:60]!r}"))
    if "{" in masked:
        lists = {m.start() for m in _AFTER_INLINE.finditer(masked)}
        lists |= {m.start() for m in _LINE_END_LIST.finditer(masked)}
        for number, brace in enumerate(sorted(lists)):
            line_end = masked.find("\n", brace)
            span = masked[brace: line_end if line_end >= 0 else len(masked)].rstrip(" ")
            if brace not in escapes and (number >= _MAX_LISTS or _unsafe_attr_list(span)):
                escapes[brace] = "\\{"
                found.append((brace, f"attribute list {span[:60]!r}"))
    if not escapes:
        return text, []
    pieces, position = [], 0
    for offset in sorted(escapes):
        pieces.append(text[position:offset])
        pieces.append(escapes[offset])
        position = offset + 1
    pieces.append(text[position:])
    return "".join(pieces), sorted(found)
