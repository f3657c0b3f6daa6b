"""Graph names reach SPARQL as ``<name>``: every one is checked before any request is made."""

from __future__ import annotations

import pyoxigraph
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from rdflib.plugins.sparql import prepareQuery

import sle_graph
from sle_graph.endpoint import DEFAULT_GRAPH
from sle_graph.errors import InvalidArgument, SleGraphError
from tests.endpoint.oxigraph_server import oxigraph  # noqa: F401 (fixture)
from tests.recording_server import recorder  # noqa: F401 (fixture)

# What SPARQL forbids inside <...>, and what an injection needs to close the IRI and go on.
_BAD = '<>"{}|^`\\ \n\r\t\x00'
HOSTILE = ["urn:x> {} } #", "urn:x>", 'urn:x"', "urn:x }", "urn:x{", "urn:a b", "urn:a\nb",
           "urn:a\rb", "urn:a\tb", "urn:x\\u003e", "", "no-scheme", "1urn:x", ":x", "urn:x|y", "urn:x^y",
           "urn:x`y", "urn:x\x00"]
_iri_chars = st.characters(blacklist_characters=_BAD, blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"))


def _refused(name, recorder, **where) -> None:
    with pytest.raises(InvalidArgument) as info:
        sle_graph.connect(recorder.url, **{where.get("key", "graph"): name})
    assert isinstance(info.value, SleGraphError) and repr(name) in str(info.value)
    assert recorder.requests == []


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("key", ["graph", "ontology_graph"])
def test_hostile_names_are_refused_before_any_request(name, key, recorder):
    _refused(name, recorder, key=key)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.text(_iri_chars, max_size=8), bad=st.sampled_from(list(_BAD) + ["> } #", "> { } DROP ALL #"]),
       suffix=st.text(max_size=8))
def test_any_name_with_a_forbidden_character_is_refused(prefix, bad, suffix, recorder):
    _refused("urn:" + prefix + bad + suffix, recorder)


@settings(max_examples=200, deadline=None)
@given(st.text(_iri_chars, min_size=1, max_size=20))
def test_accepted_names_stay_one_iri_in_sparql(rest):
    """The oracle is rdflib's SPARQL parser: a name the check accepts, written ``<name>``, parses
    as that one graph IRI, whatever it holds."""
    name = "urn:" + rest
    remote = sle_graph.connect("http://127.0.0.1:9", graph=name)
    assert remote.head == name
    query = prepareQuery(f"SELECT * WHERE {{ GRAPH <{remote.head}> {{ ?s ?p ?o }} }}")
    graph_part = query.algebra["p"]["p"]
    assert str(graph_part["term"]) == name


def test_non_string_names_are_refused():
    for name in (1, b"urn:x", ["urn:x"]):
        with pytest.raises(InvalidArgument):
            sle_graph.connect("http://127.0.0.1:9", graph=name)


def test_a_valid_name_still_works_on_a_real_server(oxigraph, kg):
    name = "urn:sle-graph:test:names/one"
    kg.push(oxigraph.url, graph=name, ontology=False)
    remote = sle_graph.connect(oxigraph.url, graph=name)
    assert remote.count_triples() > 0
    assert remote.count("Cell -> Mechanism") == kg.count("Cell -> Mechanism")
    assert sle_graph.connect(oxigraph.url).graph == DEFAULT_GRAPH


@settings(max_examples=300, deadline=None)
# No tab: rdflib's SPARQL parser expands tabs in the query text, literals included (its quirk).
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\t"), min_size=1, max_size=30))
# A backslash before "u": SPARQL expands \uXXXX in the whole query text before it parses.
@example("\\U0000\x00")
@example("\\u00410041")
def test_node_refs_reach_sparql_as_one_iri_or_one_literal(ref):
    """A node reference goes into SPARQL as ``<node_iri(ref)>`` and as an escaped string: for any
    text, each stays one term (rdflib's SPARQL parser as the oracle)."""
    from sle_graph.endpoint._push import check_graph_iri
    from sle_graph.endpoint._remote import _literal
    from sle_graph.rdf.write import node_iri

    iri = node_iri(ref)
    assert check_graph_iri(iri) == iri
    query = prepareQuery(f"SELECT * WHERE {{ <{iri}> ?p ?o FILTER(STR(?o) = {_literal(ref)}) }}")
    triple = query.algebra["p"]["p"]["p"]["triples"][0]
    assert str(triple[0]) == iri
    assert str(query.algebra["p"]["p"]["expr"]["other"]) == ref
    # Oxigraph's parser (the servers' own) reads the same literal back as the same text.
    assert next(iter(pyoxigraph.Store().query(f"SELECT ({_literal(ref)} AS ?x) WHERE {{}}")))["x"].value == ref
