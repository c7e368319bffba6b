"""Text of an input: decoded strictly (UTF-8, or UTF-16 with a byte-order mark), split into lines
the one way the note layer does, and mojibake such as `đź“Ś` repaired with ftfy and reported.
"""

from __future__ import annotations

import ftfy
from ftfy.badness import is_bad

from ..problems import INFO, Problem, define

MOJIBAKE = define(
    "mojibake-repaired", INFO, "garbled characters were repaired",
    "Text that was once decoded with the wrong encoding (`đź“Ś` for 📌, `Ã©` for é) was repaired "
    "with ftfy. The message shows the text before and after; check it reads right.",
    command="import")

def decode(raw: bytes) -> str:
    """Text of an input; ValueError(reason, line) when it is binary or not UTF-8."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ValueError("not UTF-16 although it starts like it") from None
    if b"\x00" in raw[:8192]:
        raise ValueError("binary file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError("not UTF-8", raw.count(b"\n", 0, exc.start) + 1) from None


def text_lines(text: str) -> list[str]:
    """Lines end at `\\n` only (the note layer's one definition); a `\\r` before it goes."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


_FIX = ftfy.TextFixerConfig(unescape_html=False, remove_terminal_escapes=False,
                            fix_latin_ligatures=False, fix_character_width=False,
                            uncurl_quotes=False, fix_line_breaks=False, fix_surrogates=False,
                            remove_control_chars=False, normalization=None, explain=False)


def repaired(shown: str, first_line: int, lines: list[str], problems: list[Problem]) -> list[str]:
    """Lines with mojibake repaired, each repair reported (`shown:line`, the first of `lines`
    being `first_line`); ftfy changes nothing else here."""
    if not is_bad("\n".join(line for line in lines if not line.isascii())):
        return lines  # mojibake is never plain ASCII: most lines need no look
    out = []
    for number, line in enumerate(lines):
        fixed = ftfy.fix_text(line, config=_FIX) if not line.isascii() and is_bad(line) else line
        if fixed != line:
            before, after = _difference(line, fixed)
            problems.append(MOJIBAKE.at(shown, first_line + number,
                                        f"repaired {before!r} -> {after!r}"))
        out.append(fixed)
    return out


def _difference(old: str, new: str) -> tuple[str, str]:
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return old[start:len(old) - end][:40], new[start:len(new) - end][:40]
