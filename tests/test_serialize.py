"""New front-matter lines (`notes.serialize.dump_field`) read back as exactly the value, and
the paths that write plain values without asking PyYAML write what PyYAML would."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tooling.notes.frontmatter import parse_yaml
from tooling.notes.serialize import _Dumper, dump_field, plain

words = st.text(alphabet=st.sampled_from(list("ab1 :-#'\",.[]{}?|&*!%@`~yesnoTrue")), min_size=1,
                max_size=12)
values = st.one_of(words, st.integers(-5, 5000), st.lists(words, max_size=4),
                   st.dictionaries(st.one_of(words, st.sampled_from(["type", "journal", "key"])),
                                   st.one_of(words, st.integers(0, 99)), max_size=4))
keys = st.sampled_from(["title", "tags", "authors", "bibtex", "venue", "notes", "extra"])


def pyyaml(key: str, value: object) -> str:
    return yaml.dump({key: plain(value)}, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=None if key == "tags" else False, width=1_000_000)


@settings(max_examples=400, deadline=None)
@given(key=keys, value=values)
def test_every_field_reads_back_as_its_value(key, value):
    text = dump_field(key, value)
    assert parse_yaml(text, 2) == {key: plain(value)}


@settings(max_examples=200, deadline=None)
@given(mapping=st.dictionaries(st.sampled_from(["type", "journal", "key", "note_1", "a-b"]),
                               st.one_of(st.text(alphabet="abc XYZ.09", min_size=1, max_size=10)
                                         .map(str.strip).filter(bool), st.integers(0, 99)),
                               min_size=1, max_size=4))
def test_a_plain_mapping_is_written_as_pyyaml_writes_it(mapping):
    assert dump_field("bibtex", mapping) == pyyaml("bibtex", mapping)
