"""Every string a user gives a RemoteGraph reaches SPARQL as the term it was meant to be, or is
refused before any request (graph names: tests/endpoint/test_names.py).

Two oracles. Names SPARQL would paste as IRIs (kinds, predicates, directions of a hand-built
``Pattern``, ``via``, ``predicates``) are refused with our error before anything is sent (a
recording server is the witness). Node references, which go in as escaped strings and encoded
IRIs, are run for real: a node labelled with the hostile text is pushed to Oxigraph, and every
entry point must find that node and answer what the in-memory graph answers, so a text that
changed the query sent would show as a server error or a different answer.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

import sle_graph
from sle_graph import KnowledgeGraph
from sle_graph.errors import InvalidArgument, NodeNotFound, SleGraphError
from sle_graph.ontology import schema as default_schema
from sle_graph.query.patterns import LinkSpec, NodeSpec, Pattern
from tests.endpoint.oxigraph_server import oxigraph  # noqa: F401 (fixture)
from tests.recording_server import recorder  # noqa: F401 (fixture)

INJECTIONS = ['x" ) } UNION { ?n ?p ?o } #', "x' ) } #", "Cell> } #", "> { } DROP ALL #", "x\\u0022) } #",
              'x\\" ) } #', "a\nb } #", "a\rb", "a\u2028b", "a\x85b", "a\x00b", "x } ; DROP ALL ; #", "?n", "$n",
              "<urn:x>", "x\\", "x\\\\", '"""', "'''", "x#", "{", "}", "\\U00000022"]
_ascii_and_breakers = st.text(st.characters(max_codepoint=0x7F) | st.sampled_from("\u2028\u2029\x85\ufeff\U0001f600"),
                              min_size=1, max_size=30)
_hostile = st.sampled_from(INJECTIONS) | _ascii_and_breakers
_SCHEMA = default_schema()


# -- names that would be pasted as IRIs: refused before any request ----------------------------
# (given the schema: without schema= a call first reads the schema the push stored, with queries
# of its own that hold none of the caller's text, then refuses the same names)

def _refused(call, recorder) -> None:
    with pytest.raises(SleGraphError):
        call()
    assert recorder.requests == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_hostile.filter(lambda s: s not in _SCHEMA.kinds and s not in _SCHEMA.predicates),
       where=st.sampled_from(["kind", "predicate", "direction", "via", "predicates", "paths direction"]))
def test_names_outside_the_schema_are_refused_before_any_request(name, where, recorder):
    remote = sle_graph.connect(recorder.url, retries=0, schema=_SCHEMA)
    if where in ("kind", "predicate", "direction"):
        node = NodeSpec(kind=name) if where == "kind" else NodeSpec()
        link = LinkSpec((name,)) if where == "predicate" else LinkSpec(direction=name) if where == "direction" \
            else LinkSpec()
        pattern = Pattern((node, NodeSpec()), (link,))
        for call in (lambda: remote.count(pattern), lambda: remote.match(pattern)):
            _refused(call, recorder)
        return
    options = {"via": {"via": name}, "predicates": {"predicates": [name]},
               "paths direction": {"direction": name}}[where]
    _refused(lambda: remote.paths("msc", "sle", **options), recorder)


@pytest.mark.parametrize("bad", [
    Pattern((NodeSpec(),), (LinkSpec(),)),  # one node too few
    Pattern((NodeSpec(ref=1), NodeSpec()), (LinkSpec(),)),  # type: ignore[arg-type]
    Pattern((NodeSpec(), NodeSpec()), (LinkSpec(predicates="uses"),)),  # type: ignore[arg-type]
    Pattern((NodeSpec(), "Cell"), (LinkSpec(),)),  # type: ignore[arg-type]
])
def test_malformed_hand_built_patterns_are_refused(bad, recorder):
    remote = sle_graph.connect(recorder.url, retries=0, schema=_SCHEMA)
    with pytest.raises((InvalidArgument, TypeError)):
        remote.count(bad)
    assert recorder.requests == []


def test_a_schema_name_that_cannot_be_an_iri_is_refused(recorder):
    """A custom schema whose kind name would break out of ``<...>``: refused where it would be pasted."""
    from sle_graph.ontology import Kind, Schema

    hostile = Kind("Cell> } #", "x", "x", None)
    schema = Schema.build(list(_SCHEMA.kinds.values()) + [hostile], list(_SCHEMA.predicates.values()),
                          iri="urn:x:onto")
    remote = sle_graph.connect(recorder.url, retries=0, schema=schema)
    with pytest.raises(InvalidArgument, match="cannot be part of an IRI"):
        remote.node("msc")
    assert recorder.requests == []


# -- node references: the intended term, checked by running it -------------------------------------

@pytest.fixture(scope="module")
def one_edge(kg) -> tuple[KnowledgeGraph, str, str]:
    edge = next(e for e in kg.edges() if e.predicate == "acts_through")
    return kg.subgraph([edge.subject, edge.object]), edge.subject, edge.object


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_hostile)
@example(text='x" ) } UNION { ?n ?p ?o } #')
@example(text="x\\u0022) } #")
def test_hostile_node_refs_name_the_intended_node(oxigraph, one_edge, text):
    base, subject, target = one_edge
    label = "Zq" + text.strip() if text.strip() else "Zq"
    nodes = dict(base.node_map)
    nodes[subject] = replace(nodes[subject], label=label, synonyms=("Yq" + label,))
    local = KnowledgeGraph.from_checked(nodes, base.edge_map, schema=base.schema)
    name = "urn:sle-graph:test:injection"
    local.push(oxigraph.url, graph=name, ontology=False, retries=0)
    remote = sle_graph.connect(oxigraph.url, graph=name, retries=0)

    for ref in (label, "Yq" + label, label.upper() if label.isascii() else label):
        assert remote.node(ref).id == local.node(ref).id == subject
    pattern = Pattern((NodeSpec(ref=label), NodeSpec()), (LinkSpec(),))
    assert remote.count(pattern) == local.count(pattern) == 1
    assert [str(p) for p in remote.match(pattern)] == [str(p) for p in local.match(pattern)]
    assert [str(p) for p in remote.paths(label, target)] == [str(p) for p in local.paths(label, target)]
    for missing in (label + "~\x01", text + '") } #'):
        with pytest.raises(NodeNotFound):
            local.node(missing)
        with pytest.raises(NodeNotFound):
            remote.node(missing)
