"""markdown-callouts' private API, in one place: the GitHub-style callout block processor our
Obsidian callouts widen (`callouts.py`).

markdown-callouts exports its extensions, not their processors; `CalloutBlockProcessor` gives its
`_GitHubCalloutsBlockProcessor` a public name here (our processor replaces its `test` and `run`
and keeps the rest: how it is built, `clean` for a quoted line). PRIVATE lists what is used;
`tests/test_adapters.py` fails naming anything an upgrade renames or reshapes.
"""

from __future__ import annotations

from markdown_callouts.github_callouts import _GitHubCalloutsBlockProcessor

PRIVATE: dict[str, tuple[str, ...]] = {  # name -> the parameters used (attributes: none)
    "markdown_callouts.github_callouts._GitHubCalloutsBlockProcessor": ("parser",),
    "markdown_callouts.github_callouts._GitHubCalloutsBlockProcessor.clean": ("line",),
}

CalloutBlockProcessor = _GitHubCalloutsBlockProcessor
