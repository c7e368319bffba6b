"""Front matter is built from libyaml's node tree directly (`frontmatter._construct`), about a
third faster than PyYAML's constructor: it must give exactly PyYAML's values (types included)
and repeated keys, on generated YAML, on random text, and on every real note the tests carry."""

from __future__ import annotations

import math
from pathlib import Path

import yaml
from helpers import REPO, run_kb, write_base
from hypothesis import given, settings
from hypothesis import strategies as st

from tooling.notes.frontmatter import BadScalar, FrontMatterError, NoteLoader, _construct, split

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.text(max_size=12), st.sampled_from(["yes", "off", "~", "2024-02-30", "0x1f",
                                                            "1_000", ".inf", "NULL", "2024-01-02"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.one_of(st.text(max_size=6), st.integers(0, 3)), inner,
                                        max_size=4), max_leaves=12)


def typed(value: object) -> object:
    """A value with its types spelled out: `1 == 1.0 == True` must not pass for equal."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def both(text: str) -> tuple[object, object, bool]:
    """(PyYAML's answer, the direct construction's answer, whether the latter built it itself);
    an answer is (value, repeats) or the error's type."""
    answers = []
    direct = False
    for fast in (False, True):
        loader = NoteLoader(text)
        try:
            if fast:
                node = loader.get_single_node()
                data, direct = _construct(loader, node) if node is not None else (None, True)
            else:
                data = loader.get_single_data()
            answers.append((typed(data), sorted(loader.repeats, key=lambda r: r[2])))
        except (yaml.YAMLError, ValueError, KeyError, RecursionError) as exc:
            answers.append(type(exc).__name__)
        except BadScalar as exc:  # the direct construction's wrapper, with the value's offset
            answers.append(type(exc.error).__name__)
        finally:
            loader.dispose()
    return answers[0], answers[1], direct


@settings(max_examples=300, deadline=None)
@given(value=st.dictionaries(st.text(min_size=1, max_size=8), values, max_size=6),
       flow=st.booleans())
def test_generated_front_matter_gets_pyyamls_values(value, flow):
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    reference, fast, direct = both(text)
    assert fast == reference
    assert direct  # plain mappings, lists and scalars are built directly, not handed back


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab1.:- \n[]{},!&<>#'\"~?|", max_size=40))
def test_any_text_gets_pyyamls_answer_or_its_error(text):
    reference, fast, _ = both(text)
    assert fast == reference


def test_repeats_merge_keys_and_odd_tags_match_pyyaml():
    for text in ("a: 1\na: 2\nb: {c: 1, c: 2}\n", "1: x\n1.0: y\ntrue: z\n", "<<: {a: 1}\nb: 2\n",
                 "? [a]\n: 1\n", "a: !!str [x]\n", "a: !!int '7'\n", "a: !!float 1\n",
                 "a: !!set {x}\n", "= : 1\n", "a: !custom x\n", "a: !!bool maybe\n",
                 "[1, 2]\n", "x\n", "a: &anchor 1\n"):
        reference, fast, _ = both(text)
        assert fast == reference, text


def test_every_real_front_matter_gets_pyyamls_values():
    texts = 0
    for folder in (REPO / "tests" / "data", REPO / "papers", REPO / "concepts", REPO / "notes"):
        for path in Path(folder).rglob("*.md"):
            try:
                parts = split(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, FrontMatterError):
                continue
            if parts.yaml_text is not None:
                reference, fast, _ = both(parts.yaml_text)
                assert fast == reference, path
                texts += 1
    assert texts > 500


def test_a_tagged_value_its_tag_refuses_is_an_error_at_its_line(tmp_path):
    """`!!bool maybe` made PyYAML raise a bare KeyError (an internal error, not a message), and
    `!!int abc` was reported at the front matter's first line."""
    root = write_base(tmp_path / "kb", {
        "notes/n.md": "---\ntitle: N\ndraft: !!bool maybe\n---\nx\n",
        "notes/m.md": "---\ntitle: M\ntags: [a]\nyear: !!int abc\n---\nx\n"})
    result = run_kb("check", "--root", str(root))
    assert result.exit_code == 1, result.output
    assert "notes/n.md:3: error invalid-yaml" in result.output and "!!bool" in result.output
    assert "notes/m.md:4: error invalid-yaml" in result.output and "'abc'" in result.output
