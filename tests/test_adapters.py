"""Every private API of a pinned dependency the tool uses is listed in that dependency's adapter
module, with the parameters the tool passes; each must still be there, under that name and
taking those parameters. An upgrade that renames or reshapes one fails here, by name, instead
of somewhere deep in a build or a fetch."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import pytest

from tooling.arxiv import arxiv_api
from tooling.site import mkdocs_api
from tooling.site.markdown import callouts_api

ADAPTERS = {"mkdocs and mkdocs-material": mkdocs_api, "arxiv": arxiv_api,
            "markdown-callouts": callouts_api}
USES = [(package, name, params) for package, adapter in ADAPTERS.items()
        for name, params in adapter.PRIVATE.items()]


def resolve(name: str) -> Any:
    """The object a dotted name names: the longest importable module, then attributes; an
    attribute only instances carry is looked up on an instance made without arguments."""
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            if not hasattr(found, part) and inspect.isclass(found):
                found = found()
            found = getattr(found, part)
        return found
    raise ImportError(name)


@pytest.mark.parametrize(("package", "name", "params"), USES, ids=[name for _, name, _ in USES])
def test_each_private_api_used_is_still_there(package: str, name: str, params: tuple[str, ...]):
    try:
        found = resolve(name)
    except (ImportError, AttributeError) as exc:
        pytest.fail(f"{name} is gone from {package} ({exc}): update its adapter module")
    if params:
        taken = inspect.signature(found).parameters
        missing = [p for p in params if p not in taken]
        assert not missing, f"{name} of {package} no longer takes {', '.join(missing)}: update its adapter"


def test_nothing_else_reaches_for_them():
    """The adapters are the only modules naming those private APIs."""
    from pathlib import Path

    tooling = Path(mkdocs_api.__file__).resolve().parent.parent
    adapters = {Path(a.__file__).resolve() for a in ADAPTERS.values()}
    private = {name.rsplit(".", 1)[-1] for _, name, _ in USES if name.rsplit(".", 1)[-1].startswith("_")}
    for path in tooling.rglob("*.py"):
        if path.resolve() in adapters:
            continue
        text = path.read_text(encoding="utf-8")
        used = sorted(word for word in private if f".{word}" in text or f"import {word}" in text)
        assert not used, f"{path.relative_to(tooling.parent)} uses {', '.join(used)} outside its adapter"
