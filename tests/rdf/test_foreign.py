"""RDF of another vocabulary is refused, saying what it holds instead; truly empty RDF is an empty graph."""

from __future__ import annotations

import pytest
import rdflib
from hypothesis import given, settings, strategies as st
from rdflib import Literal, URIRef

import sle_graph
from sle_graph import ValidationError

FOAF = "http://xmlns.com/foaf/0.1/"
SDO = "https://schema.org/"

# rdflib writes the files: an independent writer for each format read_rdf reads.
FORMATS = {"turtle": ".ttl", "nt": ".nt", "xml": ".rdf", "json-ld": ".jsonld", "trig": ".trig"}


def _foreign(triples) -> rdflib.Graph:
    g = rdflib.Graph()
    for s, p, o in triples:
        g.add((URIRef(s), URIRef(p), o))
    return g


@pytest.mark.parametrize("fmt", FORMATS)
def test_foreign_rdf_is_refused_naming_the_file_and_what_it_found(fmt, tmp_path):
    g = _foreign([(FOAF + "ana", FOAF + "knows", URIRef(FOAF + "bo")),
                  (FOAF + "ana", FOAF + "name", Literal("Ana")),
                  ("http://example.org/x", SDO + "name", Literal("x"))])
    path = tmp_path / ("people" + FORMATS[fmt])
    g.serialize(path, format=fmt, encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        sle_graph.read_rdf(path)
    message = str(err.value)
    assert str(path) in message and "no resources of sle_graph" in message and "3 triples" in message
    # FOAF holds 4 of the 6 IRIs: named first.
    assert message.index(FOAF) < message.index(SDO), message


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=20,
                unique=True),
       st.sampled_from(["http://example.org/ns#", "urn:other:", "http://purl.org/dc/terms/"]))
def test_any_foreign_graph_is_refused_and_the_namespace_named(ids, namespace):
    g = _foreign([(f"{namespace}s{s}", f"{namespace}p{p}", URIRef(f"{namespace}o{o}")) for s, p, o in ids])
    text = g.serialize(format="nt")
    with pytest.raises(ValidationError) as err:
        sle_graph.read_rdf(text, format="nt")
    assert f"found instead: {namespace} " in str(err.value)
    assert f"in {len(g)} triple" in str(err.value)


def test_a_single_iri_of_ours_is_not_foreign(kg):
    """A graph of ours mixed with foreign triples is not refused as foreign (its own checks apply)."""
    text = kg.serialize(format="nt") + f'<{FOAF}ana> <{FOAF}name> "Ana" .\n'
    assert sle_graph.read_rdf(text, format="nt") == kg


@pytest.mark.parametrize("fmt, text", [("turtle", ""), ("turtle", "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n# nothing\n"),
                                       ("nt", ""), ("json-ld", "[]"), ("xml", '<?xml version="1.0"?>\n'
                                        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n')])
def test_truly_empty_rdf_is_an_empty_graph(fmt, text, tmp_path):
    path = tmp_path / ("empty" + FORMATS[fmt])
    path.write_text(text)
    kg = sle_graph.read_rdf(path)
    assert len(list(kg.nodes())) == 0 and len(list(kg.edges())) == 0


def test_blank_nodes_and_literals_only(tmp_path):
    path = tmp_path / "blank.nt"
    path.write_text('_:a <http://example.org/p> "x" .\n')
    with pytest.raises(ValidationError, match="found instead: http://example.org/ "):
        sle_graph.read_rdf(path)
