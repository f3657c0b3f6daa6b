"""SHACL: the export conforms to ontology/shapes.ttl; each deliberately broken graph fails with the
expected message, located at the resource that breaks the rule."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import RDF, RDFS, Literal, Namespace, URIRef

import sle_graph
from sle_graph.errors import ValidationError
from sle_graph.rdf.write import statement_iri
from sle_graph.rdf.shacl import Report, domain_range_shapes, shapes_graph

PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
SLE = Namespace("https://w3id.org/sle-graph/resource/")
SLEO = Namespace("https://w3id.org/sle-graph/ontology/")
SH = Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def small(kg):
    """A piece of the curated graph (SHACL on all of it takes a second or two per check): the
    stem cells of a therapy, what they act through and lead to, with their quotes and studies."""
    therapy = next(e.subject for e in kg.edges(predicate="uses") if kg.edges(e.subject, "has_outcome"))
    ids = {therapy} | {e.object for e in kg.edges(therapy)}
    ids |= {e.object for i in list(ids) for e in kg.edges(i, "acts_through")}
    part = kg.subgraph(ids)
    kinds = {part.node(e.evidence[0].source).kind for e in part.edges()}
    assert {"SourceDocument", "Study"} <= kinds and len(part.edges()) >= 5
    return part


@pytest.fixture(scope="module")
def quoted(small):
    """An edge backed by quotes only, and its statement IRI."""
    edge = next(e for e in small.edges() if e.evidence and all(ev.quote for ev in e.evidence))
    return edge, URIRef(statement_iri(*edge.key))


def test_the_curated_export_conforms(kg):
    report = sle_graph.validate(kg)
    assert isinstance(report, Report)
    assert report.conforms and report.problems == () and bool(report)
    assert "conforms" in str(report) and str(len(kg.to_rdf())) in str(report)


def test_a_turtle_file_conforms(kg, tmp_path):
    path = tmp_path / "sle.ttl"
    kg.serialize(path)
    report = sle_graph.validate(path)
    assert report.conforms, str(report)
    assert report.source == str(path)


def _broken(small, mutate) -> Report:
    graph = small.to_rdf()
    mutate(graph)
    report = sle_graph.validate(graph)
    assert not report.conforms and not bool(report)
    assert str(report).startswith(f"the graph: {len(report.problems)} SHACL problem")
    return report


def _messages(report: Report) -> list[str]:
    return [p.message for p in report.problems]


@pytest.fixture(scope="module")
def cell(small) -> str:
    return small.nodes(kind="Cell")[0].id


def test_missing_label(small, cell):
    report = _broken(small, lambda g: g.remove((SLE[cell], RDFS.label, None)))
    assert _messages(report) == [f"sle:{cell} rdfs:label: a node needs exactly one rdfs:label, a literal"]


def test_two_labels(small, cell):
    report = _broken(small, lambda g: g.add((SLE[cell], RDFS.label, Literal("another name"))))
    assert _messages(report) == [f"sle:{cell} rdfs:label: a node needs exactly one rdfs:label, a literal"]


def test_statement_without_evidence(small, quoted):
    _, st = quoted
    report = _broken(small, lambda g: g.remove((st, PROV.wasDerivedFrom, None)))
    short = "statement:" + str(st).rsplit("/", 1)[1]
    assert _messages(report) == [f"{short} prov:wasDerivedFrom: an edge statement needs at least one evidence "
                                 "record: prov:wasDerivedFrom a prov:Entity"]


def test_edge_without_statement(small, quoted):
    edge, st = quoted
    report = _broken(small, lambda g: g.remove((st, None, None)))
    assert f"sle:{edge.subject} sleo:{edge.predicate}: edge without an rdf:Statement carrying its evidence " \
           f"(value: sle:{edge.object})" in _messages(report)


def test_statement_without_plain_triple(small, quoted):
    edge, st = quoted
    report = _broken(small, lambda g: g.remove((SLE[edge.subject], SLEO[edge.predicate], SLE[edge.object])))
    assert len(report.problems) == 1
    assert "statement without its plain triple" in report.problems[0].message
    assert report.problems[0].message.startswith("statement:")


@pytest.fixture(scope="module")
def record(small, quoted) -> dict:
    """The first evidence record of the quoted edge and its two selectors, in the export."""
    g = small.to_rdf()
    ev = sorted(g.objects(quoted[1], PROV.wasDerivedFrom))[0]
    found = {"record": ev}
    for selector in g.objects(ev, OA.hasSelector):
        kind = "position" if (selector, RDF.type, OA.TextPositionSelector) in g else "quote"
        found[kind] = selector
    found["end"] = int(g.value(found["position"], OA.end))
    return found


def _short(iri) -> str:
    return "evidence:" + str(iri).rsplit("/", 1)[1]


def test_evidence_without_source(small, record):
    report = _broken(small, lambda g: g.remove((record["record"], PROV.wasDerivedFrom, None)))
    assert _messages(report) == [
        f"{_short(record['record'])}: evidence without a source: prov:wasDerivedFrom a source "
        "document or a study (or dcterms:bibliographicCitation for a free-text reference)"]


def test_quote_selector_without_offsets(small, record):
    def drop(g):
        g.remove((record["record"], OA.hasSelector, record["position"]))
        g.remove((record["position"], None, None))
    report = _broken(small, drop)
    assert _messages(report) == [
        f"{_short(record['quote'])} ^oa:hasSelector/oa:hasSelector: a quote selector without "
        "offsets: its evidence record needs an oa:TextPositionSelector with oa:start and oa:end"]


def test_offsets_that_do_not_span_the_quote(small, record):
    later = Literal(record["end"] + 3, datatype=rdflib.XSD.nonNegativeInteger)
    report = _broken(small, lambda g: g.set((record["position"], OA.end, later)))
    assert len(report.problems) == 1 and "do not span the" in report.problems[0].message
    assert report.problems[0].message.startswith(_short(record["position"]))


def test_unknown_class(small, cell):
    def rename(g):
        g.remove((SLE[cell], RDF.type, None))
        g.add((SLE[cell], RDF.type, SLEO.Mechanizm))
    messages = _messages(_broken(small, rename))
    assert f"sle:{cell} rdf:type: unknown class: not a kind of the sle_graph ontology (value: sleo:Mechanizm)" \
        in messages
    assert f"sle:{cell}: a node needs a kind: rdf:type a sub-class of sleo:Entity" in messages


def test_wrong_class_for_the_predicate(small):
    edge = small.edges(predicate="has_outcome")[0]

    def retype(g):
        g.remove((SLE[edge.object], RDF.type, None))
        g.add((SLE[edge.object], RDF.type, SLEO.Mechanism))
    messages = _messages(_broken(small, retype))
    assert f"sle:{edge.object}: the object of sleo:has_outcome must be of kind Outcome (its range)" in messages


def test_domain_and_range_shapes_follow_the_ontology(kg):
    from rdflib.collection import Collection

    shapes = domain_range_shapes()
    assert len(set(shapes.subjects(RDF.type, SH.NodeShape))) == 2 * len(kg.schema.predicates)
    for name, predicate in kg.schema.predicates.items():
        for end, kinds, target in (("domain", predicate.domain, SH.targetSubjectsOf),
                                   ("range", predicate.range, SH.targetObjectsOf)):
            shape = URIRef(f"https://w3id.org/sle-graph/shapes/{end}/{name}")
            assert shapes.value(shape, target) == SLEO[name]
            members = Collection(shapes, shapes.value(shape, SH["or"])) if shapes.value(shape, SH["or"]) else [shape]
            assert {str(shapes.value(m, SH["class"]))[len(SLEO):] for m in members} == set(kinds), (name, end)


def test_stances_in_the_shapes_are_the_models(kg):
    from sle_graph.model import STANCES

    shapes = shapes_graph()
    lists = [rdflib.collection.Collection(shapes, o) for o in shapes.objects(None, SH["in"])]
    assert [sorted(str(x) for x in c) for c in lists] == [sorted(STANCES)]


def test_malformed_file_names_the_line(tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_text("@prefix sle: <https://w3id.org/sle-graph/resource/> .\n\nsle:a sle:b \"open .\n",
                    encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        sle_graph.validate(path)
    assert err.value.problems[0].line == 3 and err.value.problems[0].file == str(path)
