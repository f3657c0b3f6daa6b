"""Reading RDF that is malformed or breaks the schema: every problem listed, nothing loaded."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import RDF, RDFS, Literal, Namespace, URIRef

import sle_graph
from sle_graph import ValidationError
from sle_graph.rdf.write import local_name, name_of_local, statement_iri

PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
SLE = Namespace("https://w3id.org/sle-graph/resource/")
SLEO = Namespace("https://w3id.org/sle-graph/ontology/")


def _problems(source, **kw) -> list[str]:
    with pytest.raises(ValidationError) as err:
        sle_graph.read_rdf(source, **kw)
    return [str(p) for p in err.value.problems]


@pytest.mark.parametrize("fmt, text, line", [
    ("turtle", '@prefix sle: <https://w3id.org/sle-graph/resource/> .\n\nsle:a sle:b sle:c .\nsle:a sle:b "x .\n', 4),
    ("turtle", "@prefix sle: <https://w3id.org/sle-graph/resource/> .\nsle:a sle:b sle:c\nsle:d sle:e sle:f .\n", 3),
    ("nt", "<http://a/> <http://b/> <http://c/> .\n<http://a/> <http://b/> .\n", 2),
    ("xml", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
            "  <rdf:Description>\n</rdf:RDF>\n", 4),
])
def test_malformed_text_reports_the_line(fmt, text, line, tmp_path):
    problems = _problems(text, format=fmt)
    assert len(problems) == 1 and f":{line}: malformed" in problems[0]
    suffix = {"turtle": ".ttl", "nt": ".nt", "xml": ".rdf"}[fmt]
    path = tmp_path / f"bad{suffix}"
    path.write_text(text, encoding="utf-8")
    assert _problems(path)[0].startswith(f"{path}:{line}: malformed")


def test_schema_breaking_rdf_lists_every_problem_and_loads_nothing(kg):
    before = kg.serialize()
    g = kg.to_rdf()
    cell = kg.nodes(kind="StemCell")[0].id
    outcome = kg.nodes(kind="Outcome")[0].id
    quoted = next(e for e in kg.edges() if all(ev.quote for ev in e.evidence))
    st = URIRef(statement_iri(*quoted.key))
    renamed = next(e for e in kg.edges(predicate="acts_through") if e.key != quoted.key)
    renamed_st = URIRef(statement_iri(*renamed.key))
    # 1. unknown class, 2. missing label, 3. evidence without a source, 4. unknown predicate
    g.remove((SLE[cell], RDF.type, None))
    g.add((SLE[cell], RDF.type, SLEO.StemCel))
    g.remove((SLE[outcome], RDFS.label, None))
    record = sorted(g.objects(st, PROV.wasDerivedFrom))[0]
    g.remove((record, PROV.wasDerivedFrom, None))
    g.remove((renamed_st, RDF.predicate, None))
    g.add((renamed_st, RDF.predicate, SLEO.acts_thru))
    problems = _problems(g)
    expected = [
        (f"<{SLE[cell]}> (kind): unknown kind 'StemCel'", "did you mean 'StemCell'"),
        (f"<{SLE[outcome]}> (label): node '{outcome}' has no label", ""),
        (f"<{st}> (source): evidence has no source", ""),
        (f"<{renamed_st}> (predicate): unknown predicate 'acts_thru'", "did you mean 'acts_through'"),
    ]
    for where, hint in expected:
        assert any(p.startswith(where) and hint in p for p in problems), (where, problems)
    assert kg.serialize() == before and sle_graph.load().serialize() == before


def test_edges_need_statements_and_evidence(kg):
    g = kg.to_rdf()
    edge = kg.edges()[0]
    g.remove((URIRef(statement_iri(*edge.key)), None, None))
    problems = _problems(g)
    assert any(f"edge {edge.subject} -[{edge.predicate}]-> {edge.object} has no rdf:Statement" in p for p in problems)


def test_properties_it_cannot_keep_are_problems(kg):
    g = kg.to_rdf()
    node = kg.nodes()[0].id
    g.add((SLE[node], URIRef("http://purl.org/dc/terms/created"), Literal("2024")))
    g.add((SLE[node], SKOS_EXACT, Literal("CL:0000134")))
    problems = _problems(g)
    assert any("unexpected dcterms:created '2024'" in p and "cannot keep it" in p for p in problems)
    assert any("skos:exactMatch 'CL:0000134' is not an IRI under a known prefix" in p for p in problems)


SKOS_EXACT = URIRef("http://www.w3.org/2004/02/skos/core#exactMatch")


def test_bad_offsets_and_order_hints(kg):
    g = kg.to_rdf()
    quoted = next(e for e in kg.edges() if all(ev.quote for ev in e.evidence))
    record = sorted(g.objects(URIRef(statement_iri(*quoted.key)), PROV.wasDerivedFrom))[0]
    position = next(s for s in g.objects(record, OA.hasSelector) if (s, RDF.type, OA.TextPositionSelector) in g)
    g.set((position, OA.start, Literal("ten")))
    ordered = next(n for n in kg.nodes() if list(n.synonyms) != sorted(n.synonyms))
    g.set((SLE[ordered.id], SLEO.synonym_order, Literal("0 7")))
    problems = _problems(g)
    assert any("oa:start must be a whole number, got 'ten'" in p for p in problems)
    assert any(f"<{SLE[ordered.id]}>" in p and "sleo:synonym_order '0 7' is not a list of indexes" in p
               for p in problems)


def test_a_node_with_a_super_class_added_by_a_reasoner_keeps_its_kind(kg):
    g = kg.to_rdf()
    cell = kg.nodes(kind="StemCell")[0]
    g.add((SLE[cell.id], RDF.type, SLEO.Cell))
    g.add((SLE[cell.id], RDF.type, URIRef("http://www.w3.org/2002/07/owl#NamedIndividual")))
    assert sle_graph.read_rdf(g).node(cell.id).kind == "StemCell"


def test_bad_sources_and_formats():
    with pytest.raises(FileNotFoundError):
        sle_graph.read_rdf("no/such/file.ttl")
    with pytest.raises(ValueError, match="cannot tell the RDF format"):
        sle_graph.read_rdf(__file__)
    with pytest.raises(ValueError, match="did you mean 'turtle'"):
        sle_graph.read_rdf("@prefix a: <http://a/> .", format="turtel")
    with pytest.raises(TypeError):
        sle_graph.read_rdf(42)


def test_xml_refuses_control_characters_clearly():
    from sle_graph import Edge, Evidence, KnowledgeGraph, Node

    kg = KnowledgeGraph([Node("d", "SourceDocument", "doc\x01", definition="d"),
                         Node("c", "StemCell", "c", definition="c"), Node("m", "Mechanism", "m", definition="m")],
                        [Edge("c", "acts_through", "m", (Evidence("d", quote="q", start=0, end=1),))])
    for fmt in ("xml", "pretty-xml", "trix"):
        with pytest.raises(ValueError, match="cannot hold this graph"):
            kg.serialize(format=fmt)
    assert sle_graph.read_rdf(kg.serialize()) == kg  # Turtle holds it


def test_local_names_round_trip_and_are_xml_names():
    import re

    for name in ["n_patients", "n patients", "1st", "_x0041_", "_U", "a/b#c?d", "é😀", "-", "x_", "_"]:
        local = local_name(name)
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", local), local
        assert name_of_local(local) == name


def test_rdflib_graph_with_statements_in_named_graphs(kg):
    dataset = rdflib.Dataset()
    named = dataset.graph(URIRef("https://example.org/g"))
    for t in kg.to_rdf():
        named.add(t)
    assert sle_graph.read_rdf(dataset) == kg
