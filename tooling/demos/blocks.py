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

from ..fences import fences

DEMO_OPEN = re.compile(r"^([ ]{0,3})(`{3,}|~{3,})[ \t]*python[ \t]+demo\b[^\n]*$", re.MULTILINE)
_DEMO_LINE = re.compile(r"\n[ ]{0,3}(?:`{3,}|~{3,})[ \t]*python[ \t]+demo\b([^\n]*)")
_FENCE_LINE = re.compile(r"\n[ ]{0,3}(?:`{3,}|~{3,})")
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
    end: int = 0  # 1-based line of the closing fence (the last line when unclosed)


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
    code, hence the same cache keys, in the plugin's run as in the page's conversion."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    demos = []
    for block in fences(lines):
        if DEMO_OPEN.match(lines[block.start]):
            code_lines = [_dedent(line, block.indent) for line in lines[block.start + 1:block.close]]
            options = parse_options(block.info)
            demos.append(Demo("\n".join(code_lines) + "\n", block.start + 1, options.timeout,
                              options.session, options.problems, block.fence, block.indent,
                              min(block.close, len(lines) - 1) + 1))
    return demos


def has_demo(body: str) -> bool:
    """Whether the text has a demo block. Cheap (`kb check` asks it of every concept): when the
    marker opens the text's first fence, no block before it can enclose it, so nothing is
    scanned. The patterns start with a newline, which `re` searches for fast; `^` with MULTILINE
    is tried at every character, 4x slower."""
    text = "\n" + body
    demo = _DEMO_LINE.search(text)
    if demo is None:
        return False
    first = _FENCE_LINE.search(text)
    if first is not None and first.start() == demo.start() and "`" not in demo.group(1):
        return True
    return bool(demo_blocks(body))


def _dedent(line: str, indent: int) -> str:
    """Remove up to `indent` leading spaces, as CommonMark does for an indented fence's content."""
    head = line[:indent]
    return line[len(head) - len(head.lstrip(" ")):]
