"""Any text survives a push and a pull, through both push routes (Graph Store Protocol and SPARQL
Update), on a real Oxigraph server: line and paragraph separators, next line, controls, quotes,
backslashes that look like escapes, characters outside the Basic Multilingual Plane."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

import sle_graph
from sle_graph import KnowledgeGraph
from sle_graph.endpoint import Endpoint
from tests.endpoint.oxigraph_server import oxigraph  # noqa: F401 (fixture)

# Every code point but lone surrogates (which no UTF-8 text can hold).
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=24)
_HARD = "\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e\r\n\t\x00\x7f\ufeff\\u0022\\\"'\U0001f600"


def _with_text(kg: KnowledgeGraph, label: str, synonym: str, quote: str) -> KnowledgeGraph:
    """A one-edge graph of the curated one whose subject's label and synonym, and whose quote,
    hold the given text."""
    edge = next(e for e in kg.edges() if any(ev.quote for ev in e.evidence))
    sub = kg.subgraph([edge.subject, edge.object])
    nodes = dict(sub.node_map)
    nodes[edge.subject] = replace(nodes[edge.subject], label="L" + label, synonyms=("S" + synonym,))
    quote = "Q" + quote
    edges = {key: replace(e, evidence=tuple(replace(ev, quote=quote, end=ev.start + len(quote)) if ev.quote else ev
                                            for ev in e.evidence))
             for key, e in sub.edge_map.items()}
    return KnowledgeGraph.from_checked(nodes, edges, schema=kg.schema)


@pytest.mark.parametrize("route", ["graph store", "update"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(label=_text, synonym=_text, quote=_text)
@example(label="a\u2028b", synonym="c\u2029d", quote="e\x85f")
@example(label=_HARD, synonym=_HARD[::-1], quote=_HARD)
def test_any_text_pushes_and_pulls_back_equal(oxigraph, kg, route, label, synonym, quote):
    graph = _with_text(kg, label, synonym, quote)
    url = oxigraph.url
    endpoint = url if route == "graph store" else Endpoint(url + "/query", url + "/update", None)
    name = f"urn:sle-graph:test:unicode:{route.replace(' ', '-')}"
    result = graph.push(endpoint, graph=name, ontology=False, retries=0)
    assert result.protocol == route
    pulled = sle_graph.connect(endpoint, graph=name).pull()
    assert pulled == graph
    subject = next(iter(graph.edges())).subject
    assert pulled.node(subject).label == "L" + label and pulled.node(subject).synonyms == ("S" + synonym,)
