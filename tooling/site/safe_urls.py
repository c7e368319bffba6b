"""Which URLs a page may carry: one rule for front-matter links and for the HTML of every note.

A URL is read as the WHATWG URL parser (every browser) reads it: leading C0 controls and spaces
are ignored, and tabs and line breaks anywhere (`java\\tscript:` is `javascript:` to a browser), so
the scheme checked is the scheme the browser will use. Links (`href`) may be http(s), mailto or
relative; embedded resources (`src`, `srcset`, `poster`) only relative: the site loads nothing
from other hosts, and `data:` or `javascript:` never reach one.
"""

from __future__ import annotations

import re
from typing import Any

_IGNORED = re.compile(r"[\t\n\r]|^[\x00-\x20]+")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_OTHER_HOST = re.compile(r"[/\\]{2}")  # `//host/x` and `\\host` load from another host
_COLON_FIRST = re.compile(r"[^/?#]*:")  # a `:` before any `/`, `?` or `#`: not a plain path


def _cleaned(value: Any) -> str | None:
    """The URL as the parser sees it, or None when it is not text or holds a NUL."""
    if not isinstance(value, str):
        return None
    cleaned = _IGNORED.sub("", value).strip()
    return cleaned if "\x00" not in cleaned else None


def safe_url(value: Any) -> str | None:
    """`value` (without the characters a browser ignores) when it is an http(s), mailto or
    relative URL, else None: javascript:, data:, vbscript: and every other scheme never reach an
    href, whatever their case or the spaces before them."""
    cleaned = _cleaned(value)
    if not cleaned:
        return None
    scheme = _SCHEME.match(cleaned)
    if scheme is None:
        return None if _COLON_FIRST.match(cleaned) else cleaned
    return cleaned if scheme.group(1).lower() in LINK_SCHEMES else None


def local_source(value: Any) -> str | None:
    """`value` when it names a file of the site itself (a relative URL, no scheme, no other
    host), else None: what an `<img src>` or a `<video poster>` may load."""
    cleaned = _cleaned(value)
    if not cleaned or _SCHEME.match(cleaned) or _OTHER_HOST.match(cleaned):
        return None
    return None if _COLON_FIRST.match(cleaned) else cleaned


def local_srcset(value: Any) -> str | None:
    """A `srcset` (`a.png 1x, b.png 2x`) whose every candidate is a local source, else None."""
    if not isinstance(value, str):
        return None
    candidates = [part.strip().split()[0] for part in value.split(",") if part.strip()]
    return value if candidates and all(local_source(url) for url in candidates) else None


def remote(value: Any) -> bool:
    """Whether a resource URL would load from another host (an http(s) or `//` URL)."""
    cleaned = _cleaned(value) or ""
    scheme = _SCHEME.match(cleaned)
    return bool(_OTHER_HOST.match(cleaned)) or (
        scheme is not None and scheme.group(1).lower() in ("http", "https"))
