"""Finding demo blocks: fenced code blocks whose info string is `python demo`, with options.

The first word keeps every Markdown viewer highlighting the block as Python; the second marks it as
a demo the site runs (stdlib and numpy only, a few seconds at most, prints a result to check).
Options follow as `key=value` words: `python demo timeout=60 session=fit` (a timeout in seconds;
blocks of one note sharing a session name run in one process, in order, as in a notebook).

Fences are scanned as CommonMark does, so a `python demo` line inside another fenced block (a
README showing the syntax) is not a demo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Note
from ..schema import DEMO_KINDS
from ..syntax import Scan

DEMO_OPEN = re.compile(r"^([ ]{0,3})(`{3,}|~{3,})[ \t]*python[ \t]+demo\b[^\n]*$", re.MULTILINE)
_DEMO_LINE = re.compile(r"\n[ ]{0,3}(?:`{3,}|~{3,})[ \t]*python[ \t]+demo\b([^\n]*)")
_OPTION = re.compile(r"^([A-Za-z_][\w-]*)=(\S+)$")

DEFAULT_TIMEOUT = 30.0
MAX_TIMEOUT = 600.0
OPTIONS = {"timeout": "seconds before the demo is stopped (default 30)",
           "session": "a name: the note's blocks with the same name share one Python process"}


@dataclass(frozen=True, slots=True)
class Demo:
    """One demo block as written."""

    code: str
    line: int  # 1-based line of the opening fence, in the text scanned
    timeout: float = DEFAULT_TIMEOUT
    session: str | None = None
    problems: tuple[str, ...] = ()  # options that were not understood, in words
    fence: str = "```"  # the opening fence's characters, e.g. ```` or ~~~
    indent: int = 0
    end: int = 0  # 1-based line of the closing fence


@dataclass(frozen=True, slots=True)
class Options:
    timeout: float = DEFAULT_TIMEOUT
    session: str | None = None
    problems: tuple[str, ...] = field(default_factory=tuple)


def parse_options(info: str) -> Options:
    """The options of an info string such as `python demo timeout=60 session=fit`."""
    words = info.split()
    words = words[2:] if words[:2] == ["python", "demo"] else words
    timeout, session, problems = DEFAULT_TIMEOUT, None, []
    for word in words:
        match = _OPTION.match(word)
        key, value = (match.group(1), match.group(2)) if match else (word, "")
        if key == "timeout" and match:
            try:
                timeout = float(value)
            except ValueError:
                timeout = -1.0
            if not 0 < timeout <= MAX_TIMEOUT:
                problems.append(f"timeout={value} is not a number of seconds in (0, {MAX_TIMEOUT:g}]")
                timeout = DEFAULT_TIMEOUT
        elif key == "session" and match:
            session = value
        else:
            known = ", ".join(f"{name}= ({what})" for name, what in OPTIONS.items())
            problems.append(f"unknown demo option '{word}' (known: {known})")
    return Options(timeout, session, tuple(problems))


def demo_blocks(body: str) -> list[Demo]:
    """Every demo block of a text, with its code as written (fence indentation removed). Line
    endings are normalised as Python-Markdown does, so a note saved with CRLF gets the same
    code, hence the same cache keys, in the plugin's run as in the page's conversion. A demo is
    a closed fence at the top level (a page replaces it whole): one left open never runs, since
    it would run the rest of the note (`kb check` reports the open fence)."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    demos = []
    for block in Scan(text).fences(top_level=True):
        if block.closed and DEMO_OPEN.match(lines[block.first]):
            options = parse_options(block.info)
            demos.append(Demo("\n".join(block.code(lines)) + "\n", block.first + 1,
                              options.timeout, options.session, options.problems, block.fence,
                              block.indent, block.last + 1))
    return demos


def has_demo(body: str, scan: Scan | None = None) -> bool:
    """Whether the text has a demo block. Cheap for the many texts whose lines never start a
    `python demo` fence (a search starting with a newline, which `re` finds fast); `scan`, the
    text's reading when the caller has one (a note's), saves reading it again."""
    if _DEMO_LINE.search("\n" + body) is None:
        return False
    if scan is None:
        return bool(demo_blocks(body))
    lines = scan.lines
    return any(block.closed and DEMO_OPEN.match(lines[block.first])
               for block in scan.fences(top_level=True))


def runs_demos(note: Note) -> bool:
    """Whether a note's demo blocks run: only in the kinds the README names (concepts). Text
    elsewhere (an imported page, a paper's notes) never becomes code that runs."""
    return note.kind in DEMO_KINDS
