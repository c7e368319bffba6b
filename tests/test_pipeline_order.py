"""The site's Markdown pipeline runs in the order `tooling/site/markdown/pipeline.py` writes down:
every step of ours the site's converter holds is a row of that table, at the table's priority,
with no two steps of one registry tied (a tie is broken by the order extensions happen to load);
and the orders the table's reasons give hold on rendered pages."""

from __future__ import annotations

import markdown
import pytest
from helpers import write_base
from site_helpers import copy_base

from tooling.site.build import site_config
from tooling.site.markdown.pipeline import STEPS, add

REGISTRIES = ("preprocessors", "inlinePatterns", "treeprocessors", "postprocessors")


def site_converter(root, site) -> markdown.Markdown:
    config = site_config(root, site, execute=False)
    config = config.plugins.on_config(config)
    return markdown.Markdown(extensions=config.markdown_extensions,
                             extension_configs=config.mdx_configs)


def registered(md: markdown.Markdown) -> dict[tuple[str, str], float]:
    found = {}
    for name in (*REGISTRIES, "blockprocessors"):
        registry = md.parser.blockprocessors if name == "blockprocessors" else getattr(md, name)
        for item in registry._priority:  # Python-Markdown's registry: (name, priority) pairs
            found[(name, item.name)] = item.priority
    return found


def test_every_step_of_ours_is_a_row_of_the_table_at_its_priority(tmp_path):
    held = registered(site_converter(copy_base(tmp_path / "kb"), tmp_path / "site"))
    table = {(s.registry, s.name): s.priority for s in STEPS}
    ours = {key for key in held if key[1].startswith("kb_")}
    assert ours <= set(table), sorted(ours - set(table))
    for key, priority in table.items():
        assert held.get(key) == priority, key  # every row is registered, at its priority
    for registry in {s.registry for s in STEPS}:
        priorities = [held[k] for k in held if k[0] == registry and k in table]
        assert len(priorities) == len(set(priorities)), f"two steps of {registry} tied"


def test_a_step_missing_from_the_table_is_refused():
    md = markdown.Markdown()
    with pytest.raises(KeyError):
        add(md, "preprocessors", "kb_unlisted", object())


def test_the_orders_the_table_gives_hold_on_a_page(tmp_path):
    """Unclosed fences are closed before diagrams are taken, and diagrams before fenced code
    highlights them; a #tag inside a link is the link's words; a comment hides what it holds."""
    root = write_base(tmp_path / "kb", {
        "concepts/a.md": "---\ntitle: Alpha\n---\nText.\n",
        "notes/n.md": "---\ntitle: N\n---\n",
    })
    md = site_converter(root, tmp_path / "site")
    page = "[//]: # (kb-page notes/n.md)\n\n"
    hidden = md.convert(page + "Seen %%hidden [[a]] #secret%% after.\n")
    assert 'href' not in hidden and "secret" not in hidden and "Seen" in hidden
    md.reset()
    tagged = md.convert(page + "See [[a|the #fancy alpha]] and #real.\n")
    assert "the #fancy alpha</a>" in tagged and tagged.count('class="kb-tag"') == 1
    md.reset()
    diagram = md.convert(page + "```mermaid\ngraph TD\n  A --> B\n")  # never closed
    assert 'class="kb-mermaid"' in diagram and "codehilite" not in diagram
