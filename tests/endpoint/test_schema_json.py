"""The schema a push stores with each version comes back whole (``schema_json`` round trip)."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

import sle_graph
from sle_graph.endpoint._push import schema_from_json, schema_json
from sle_graph.ontology import Kind, Predicate, Schema

_names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_curies = st.lists(st.from_regex(r"[a-z]{2,5}:[A-Za-z0-9_]{1,8}", fullmatch=True), max_size=2, unique=True)


@st.composite
def _schemas(draw) -> Schema:
    names = draw(st.lists(_names, min_size=1, max_size=6, unique=True))
    kinds = [Kind("Entity", "entity", "Anything.", None)]
    for i, name in enumerate(n for n in names if n != "Entity"):
        parent = draw(st.sampled_from([k.name for k in kinds]))
        kinds.append(Kind(name, draw(_text), draw(_text), parent, tuple(sorted(draw(_curies))),
                          tuple(sorted(draw(_curies)))))
    every = [k.name for k in kinds]
    predicates = [Predicate(name, draw(_text), draw(_text),
                            frozenset(draw(st.lists(st.sampled_from(every), min_size=1, max_size=3))),
                            frozenset(draw(st.lists(st.sampled_from(every), min_size=1, max_size=3))),
                            tuple(sorted(draw(_curies))), (), draw(st.none() | st.just("related_to")))
                  for name in draw(st.lists(_names, min_size=1, max_size=5, unique=True))]
    return Schema.build(kinds, predicates, iri=draw(st.just("") | st.just("urn:x:schema")), version=draw(_text),
                        title=draw(_text), license=draw(_text))


@settings(max_examples=60, deadline=None)
@given(_schemas())
def test_schema_json_round_trip(schema):
    text = schema_json(schema)
    assert text is not None and schema_from_json(text) == schema
    assert schema_json(schema_from_json(text)) == text  # deterministic: same schema, same text


def test_the_shipped_schema_is_not_stored():
    assert schema_json(sle_graph.load().schema) is None
