"""RDF export of the curated graph: modelling, round trips per format, canonical bytes, parsers.

Expectations are computed from the graph's own nodes and edges and checked in the RDF with
rdflib's graph API or SPARQL, never by re-reading with our reader alone. Independent parsers
(pyoxigraph, Debian's ``rapper``) count the triples of our Turtle.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF, RDFS, XSD, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

import sle_graph
from sle_graph import Edge, Evidence, KnowledgeGraph, Node
from sle_graph.vocab import SLE, SLEO
from sle_graph.rdf.write import FORMATS, UPDATE_KEYWORDS, statement_iri

PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCT = Namespace("http://purl.org/dc/terms/")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
REPO = Path(__file__).resolve().parents[2]

#: Every format name serialize() takes, once (aliases left out).
ALL_FORMATS = sorted(set(FORMATS.values()))


@pytest.fixture(scope="module")
def rdf(kg) -> rdflib.Graph:
    return kg.to_rdf()


def node(i: str) -> URIRef:
    return URIRef(SLE + i)


# -- modelling ------------------------------------------------------------------------------------

def test_nodes_carry_kind_label_synonyms_definition_mappings(kg, rdf):
    for n in kg.nodes():
        s = node(n.id)
        assert set(rdf.objects(s, RDF.type)) == {URIRef(SLEO + n.kind)}
        assert [str(v) for v in rdf.objects(s, RDFS.label)] == [n.label]
        assert {str(v) for v in rdf.objects(s, SKOS.altLabel)} == set(n.synonyms)
        assert {str(v) for v in rdf.objects(s, SKOS.definition)} == ({n.definition} if n.definition else set())
        for prop, curies in ((SKOS.exactMatch, n.exact_mappings), (SKOS.closeMatch, n.close_mappings)):
            expected = set()
            for curie in curies:
                prefix, local = curie.split(":", 1)
                expected.add(URIRef(sle_graph.vocab.prefixes()[prefix] + local))
            assert set(rdf.objects(s, prop)) == expected


def test_mappings_are_obo_purls(rdf):
    # the example: mesenchymal stem cell -> CL:0000134
    assert (node("msc"), SKOS.exactMatch, URIRef("http://purl.obolibrary.org/obo/CL_0000134")) in rdf


def test_attributes_are_literals_with_derived_links(kg, rdf):
    studies = [n for n in kg.nodes() if n.attributes]
    assert studies, "the curated graph has nodes with attributes"
    for n in studies:
        for key, value in n.attributes.items():
            assert list(rdf.objects(node(n.id), URIRef(SLEO + key))) == [Literal(value)]
        links = {str(o) for o in rdf.objects(node(n.id), RDFS.seeAlso)}
        expected = set()
        if n.attributes.get("pmid", "").isdigit():
            expected.add(f"https://pubmed.ncbi.nlm.nih.gov/{n.attributes['pmid']}/")
        if n.attributes.get("doi"):
            expected.add("https://doi.org/" + n.attributes["doi"])
        if re.fullmatch(r"NCT\d{8}", n.attributes.get("trial_registry_id", "")):
            expected.add("https://clinicaltrials.gov/study/" + n.attributes["trial_registry_id"])
        assert links == expected, n.id


def test_every_edge_is_a_plain_triple_and_one_statement(kg, rdf):
    statements = set(rdf.subjects(RDF.type, RDF.Statement))
    assert len(statements) == len(kg.edges())
    for e in kg.edges():
        s, p, o = node(e.subject), URIRef(SLEO + e.predicate), node(e.object)
        assert (s, p, o) in rdf
        found = set(rdf.subjects(RDF.subject, s)) & set(rdf.subjects(RDF.predicate, p)) & set(rdf.subjects(RDF.object, o))
        assert found == {URIRef(statement_iri(*e.key))}
    plain = {(s, p, o) for s, p, o in rdf if str(p).startswith(SLEO) and isinstance(o, URIRef)
             and str(o).startswith(SLE)}
    assert len(plain) == len(kg.edges())


def test_evidence_records_carry_provenance_and_selectors(kg, rdf):
    for e in kg.edges():
        st = URIRef(statement_iri(*e.key))
        records = list(rdf.objects(st, PROV.wasDerivedFrom))
        assert len(records) == len(e.evidence)
        seen = set()
        for r in records:
            assert (r, RDF.type, PROV.Entity) in rdf
            quote = start = end = None
            for sel in rdf.objects(r, OA.hasSelector):
                if (sel, RDF.type, OA.TextQuoteSelector) in rdf:
                    quote = str(rdf.value(sel, OA.exact))
                if (sel, RDF.type, OA.TextPositionSelector) in rdf:
                    start, end = rdf.value(sel, OA.start), rdf.value(sel, OA.end)
                    assert start.datatype == end.datatype == XSD.nonNegativeInteger
                    start, end = int(start), int(end)
            derived, text = rdf.value(r, PROV.wasDerivedFrom), rdf.value(r, DCT.source)
            assert (derived is None) != (text is None)  # a node, or the free text of a reference
            source = str(derived)[len(SLE):] if derived is not None else str(text)
            stance = str(rdf.value(r, URIRef(SLEO + "stance")))
            finding = rdf.value(r, URIRef(SLEO + "finding"))
            seen.add((source, quote, start, end, stance, finding and str(finding)))
        assert seen == {(ev.source, ev.quote, ev.start, ev.end, ev.stance, ev.finding) for ev in e.evidence}


def test_no_blank_nodes(rdf):
    assert not [t for t in rdf if any(isinstance(x, rdflib.BNode) for x in t)]


def test_every_property_and_class_used_is_declared_in_the_ontology(rdf):
    ontology = rdflib.Graph().parse(REPO / "ontology" / "sle_graph.ttl")
    declared = set(ontology.subjects(RDF.type, OWL.ObjectProperty)) | set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
    used = {p for p in rdf.predicates() if str(p).startswith(SLEO)}
    assert used and used <= declared, sorted(used - declared)
    for p in used & set(ontology.subjects(RDF.type, OWL.DatatypeProperty)):
        assert ontology.value(p, RDFS.label) and ontology.value(p, SKOS.definition), p
    classes = {o for o in rdf.objects(None, RDF.type) if str(o).startswith(SLEO)}
    assert classes <= set(ontology.subjects(RDF.type, OWL.Class))


def test_include_ontology_adds_the_schema(kg, rdf):
    full = kg.to_rdf(include_ontology=True)
    assert (URIRef(SLEO + "StemCell"), RDFS.subClassOf, URIRef(SLEO + "Cell")) in full
    assert len(full) > len(rdf)
    assert kg.to_rdf() is not kg.to_rdf()  # a fresh graph each time: changing one changes nothing


def test_statement_iri_depends_on_the_triple_only():
    doc = Node("doc", "SourceDocument", "D", definition="d")
    cell = Node("c", "StemCell", "C", definition="c")
    mech = Node("m", "Mechanism", "M", definition="m")
    ev1, ev2 = Evidence("doc", quote="ab", start=0, end=2), Evidence("doc", quote="cd", start=5, end=7)
    one = KnowledgeGraph([doc, cell, mech], [Edge("c", "acts_through", "m", (ev1,))])
    two = KnowledgeGraph([doc, cell, mech], [Edge("c", "acts_through", "m", (ev1, ev2))])
    st = URIRef(statement_iri("c", "acts_through", "m"))
    assert (st, RDF.type, RDF.Statement) in one.to_rdf() and (st, RDF.type, RDF.Statement) in two.to_rdf()
    # the record of ev1 keeps its IRI when another record is added
    assert set(one.to_rdf().objects(st, PROV.wasDerivedFrom)) < set(two.to_rdf().objects(st, PROV.wasDerivedFrom))


def test_evidence_order_does_not_change_the_bytes():
    doc = Node("doc", "SourceDocument", "D", definition="d")
    cell = Node("c", "StemCell", "C", definition="c")
    mech = Node("m", "Mechanism", "M", definition="m")
    evs = (Evidence("doc", quote="ab", start=0, end=2), Evidence("doc", quote="cd", start=5, end=7))
    a = KnowledgeGraph.from_checked({n.id: n for n in (doc, cell, mech)},
                                {("c", "acts_through", "m"): Edge("c", "acts_through", "m", evs)},
                                sle_graph.ontology.schema())
    b = KnowledgeGraph.from_checked({n.id: n for n in (mech, cell, doc)},
                                {("c", "acts_through", "m"): Edge("c", "acts_through", "m", evs[::-1])},
                                sle_graph.ontology.schema())
    assert a.serialize() == b.serialize()
    assert a.serialize(format="nt") == b.serialize(format="nt")


# -- round trips ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_round_trip_every_format(kg, fmt):
    assert sle_graph.read_rdf(kg.serialize(format=fmt), format=fmt) == kg


SUFFIXES = {"turtle": ".ttl", "longturtle": ".ttl", "nt": ".nt", "xml": ".rdf", "pretty-xml": ".owl",
            "json-ld": ".jsonld", "trig": ".trig", "n3": ".n3", "nquads": ".nq", "trix": ".trix", "hext": ".hext"}


def test_files_round_trip_with_the_format_guessed_from_the_suffix(tmp_path):
    small = sle_graph.load().subgraph(["msc", "immunomodulation"])
    assert len(small.edges()) == 1
    assert sorted(SUFFIXES) == ALL_FORMATS
    for fmt, suffix in SUFFIXES.items():
        path = tmp_path / f"graph-{fmt}{suffix}"
        assert small.serialize(path, format=fmt) is None
        assert sle_graph.read_rdf(path) == small, fmt


def test_round_trip_rdflib_graph_and_path_objects(kg, tmp_path):
    assert sle_graph.read_rdf(kg.to_rdf()) == kg
    assert sle_graph.read_rdf(kg.to_rdf(include_ontology=True)) == kg
    kg.serialize(str(tmp_path / "g.ttl"))
    assert sle_graph.read_rdf(str(tmp_path / "g.ttl")) == kg


def test_serialize_writes_open_files(kg):
    import io

    binary, text = io.BytesIO(), io.StringIO()
    assert kg.serialize(binary) is None and kg.serialize(text, format="xml") is None
    assert binary.getvalue().decode("utf-8") == kg.serialize()
    assert sle_graph.read_rdf(text.getvalue(), format="xml") == kg


def test_round_trip_keeps_curated_order_of_synonyms_and_mappings(kg):
    unsorted = [n for n in kg.nodes() if list(n.synonyms) != sorted(n.synonyms)
                or list(n.exact_mappings) != sorted(n.exact_mappings)]
    assert unsorted, "the curated graph lists some synonyms or mappings in curated (unsorted) order"
    back = sle_graph.read_rdf(kg.serialize())
    for n in unsorted:
        assert back.node(n.id).synonyms == n.synonyms
        assert back.node(n.id).exact_mappings == n.exact_mappings


def test_json_ld_uses_the_context_file(kg):
    import json

    context = json.loads((REPO / "ontology" / "context.jsonld").read_text())["@context"]
    doc = json.loads(kg.serialize(format="json-ld"))
    assert doc["@context"] == context
    assert any(item.get("@id") == "sle:msc" for item in doc["@graph"])


# -- canonical bytes and independent parsers ------------------------------------------------------

def test_turtle_is_canonical_in_process(kg):
    text = kg.serialize()
    assert text == kg.serialize()
    rebuilt = KnowledgeGraph.from_checked(dict(reversed(list(kg.node_map.items()))), dict(reversed(list(kg.edge_map.items()))),
                                      kg.schema)
    assert rebuilt.serialize() == text
    assert isomorphic(rdflib.Graph().parse(data=text, format="turtle"), kg.to_rdf())


_EXPORT = "import sys, sle_graph; sys.stdout.buffer.write(sle_graph.load().serialize(format=sys.argv[1]).encode())"


@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_same_bytes_across_processes_and_hash_seeds(kg, fmt):
    outputs = []
    for seed in ("1", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-c", _EXPORT, fmt], capture_output=True, env=env, check=True)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0] == kg.serialize(format=fmt).encode("utf-8")


def _oxigraph_triples(data: bytes, fmt) -> set:
    return {(q.subject, q.predicate, q.object) for q in ox.parse(input=data, format=fmt)}


def test_pyoxigraph_and_rdflib_agree_on_turtle_and_ntriples(kg):
    turtle, nt = kg.serialize().encode(), kg.serialize(format="nt").encode()
    from_turtle = _oxigraph_triples(turtle, ox.RdfFormat.TURTLE)
    assert from_turtle == _oxigraph_triples(nt, ox.RdfFormat.N_TRIPLES)
    assert len(from_turtle) == len(rdflib.Graph().parse(data=turtle, format="turtle")) == len(kg.to_rdf())
    assert nt.count(b"\n") == len(from_turtle)  # canonical N-Triples: one line per distinct triple


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (Debian raptor2-utils) is not installed")
def test_rapper_parses_the_turtle_with_the_same_triples(kg, tmp_path):
    path = tmp_path / "sle.ttl"
    kg.serialize(path)
    count = subprocess.run(["rapper", "-i", "turtle", "-c", str(path)], capture_output=True, text=True, check=True)
    found = re.search(r"returned (\d+) triples", count.stderr)
    assert found and int(found.group(1)) == len(kg.to_rdf())
    # rapper's own N-Triples of our Turtle hold the very triples pyoxigraph reads from our N-Triples
    out = subprocess.run(["rapper", "-q", "-i", "turtle", "-o", "ntriples", str(path)], capture_output=True,
                         check=True)
    assert _oxigraph_triples(out.stdout, ox.RdfFormat.N_TRIPLES) == _oxigraph_triples(
        kg.serialize(format="nt").encode(), ox.RdfFormat.N_TRIPLES)


# -- SPARQL ---------------------------------------------------------------------------------------

def test_sparql_select_walks_plain_triples(kg):
    rows = kg.sparql("SELECT DISTINCT ?o WHERE { sle:msc sleo:acts_through/sleo:leads_to ?o }")
    two_hops = {e2.object for e1 in kg.edges("msc", "acts_through") for e2 in kg.edges(e1.object, "leads_to")}
    assert {r["o"][len(SLE):] for r in rows} == two_hops and two_hops


def test_sparql_values_are_python(kg):
    rows = kg.sparql("""SELECT ?start ?quote ?missing WHERE {
        ?st rdf:subject sle:msc ; prov:wasDerivedFrom ?ev . ?ev oa:hasSelector ?p, ?q .
        ?p oa:start ?start . ?q oa:exact ?quote . OPTIONAL { ?ev sleo:nothing ?missing } }""")
    quotes = {(ev.start, ev.quote) for e in kg.edges(subject="msc") for ev in e.evidence if ev.quote}
    assert {(r["start"], r["quote"]) for r in rows} == quotes
    assert all(isinstance(r["start"], int) and r["missing"] is None for r in rows)


def test_sparql_ask_construct_and_ontology(kg):
    assert kg.sparql("ASK { sle:msc a/rdfs:subClassOf* sleo:Cell }") == [{"ask": True}]
    assert kg.sparql("ASK { sle:msc a sleo:Disease }") == [{"ask": False}]
    rows = kg.sparql("CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a sleo:StemCell ; rdfs:label ?l }")
    assert {r["object"] for r in rows} == {n.label for n in kg.nodes(kind="StemCell")}


@pytest.mark.parametrize("query, expected", [
    ("SELEC ?x WHERE { ?x ?p ?o }", "at line 1, column 1: Expected {SelectQuery"),
    ("SELECT ?x\nWHERE { ?x ?p ?o ", "at line 2, column 18:"),
    ("SELECT ?x WHERE { ?x foo:p ?o }", "unknown prefix 'foo' (bound: BFO,"),
    # inside a clause, the caret is on the token the clause stops at, not on its keyword
    ("SELECT ?x WHERE { ?x a sleo:StemCell FILTER(?x = ) }", "at line 1, column 48: FILTER cannot be read from '='"),
    ("SELECT ?x\nWHERE { ?x rdfs:label ?l\n  FILTER(regex(?l, 'a') && ) }",
     "at line 3, column 25: FILTER cannot be read from '&&'"),
    ("SELECT ?x WHERE { ?x rdfs:label ?l FILTER(CONTAINS(?l, 'msc') ", "at line 1, column 63: FILTER is not closed"),
    # a tab counts as pyparsing counts it (to the next multiple of 8): the caret still finds the token
    ("SELECT ?x\nWHERE {\n\t?x rdfs:label ?l\n\tFILTER(regex(?l, 'a') && ) }",
     "at line 4, column 31: FILTER cannot be read from '&&'"),
])
def test_a_bad_sparql_query_says_where_and_why(kg, query, expected):
    with pytest.raises(sle_graph.SparqlError) as err:
        kg.sparql(query)
    message = str(err.value)
    assert message.startswith("bad SPARQL query") and expected in message, message
    if "column" in expected:  # the line is shown with a caret under the column
        column = int(expected.split("column ")[1].split(":")[0])
        shown, caret = message.splitlines()[-2:]
        assert caret.index("^") == column + 1 and shown.strip() in query.expandtabs()
        if " from " in expected:  # under the token named
            assert shown[column + 1:].startswith(expected.split(" from ")[1].strip("'"))


@pytest.mark.parametrize("query", [
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX ex: <http://example.org/#>\n# remove them all\ndelete data { ex:a ex:b ex:c }",
    "BASE <http://example.org/> INSERT DATA { <a> <b> <c> }",
    "DROP ALL", "clear default", "LOAD <http://example.org/x.ttl>",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_a_sparql_update_is_refused_as_such(kg, query):
    with pytest.raises(sle_graph.SparqlError) as err:
        kg.sparql(query)
    message = str(err.value)
    keyword = [w for w in query.split() if w.upper() in UPDATE_KEYWORDS][0]
    assert message.startswith(f"SPARQL updates are not supported: the query starts with {keyword.upper()}")
    assert "kg.extend" in message and "bad SPARQL query" not in message


def test_a_query_naming_an_update_word_elsewhere_runs(kg):
    rows = kg.sparql("# DELETE is only a comment here\nSELECT ?delete WHERE { sle:msc rdfs:label ?delete }")
    assert rows == [{"delete": kg.node("msc").label}]


def test_sparql_view_is_built_once_per_graph(kg):
    from sle_graph.rdf.write import _view

    assert _view(kg) is _view(kg)
    other = KnowledgeGraph.from_checked(dict(kg.node_map), dict(kg.edge_map), kg.schema)
    assert _view(other) is not _view(kg)


# -- graphs whose schema extends the ontology ------------------------------------------------------

def test_imported_predicates_are_declared_and_read_back(kg):
    from sle_graph.ontology import external_predicate

    schema = kg.schema.extended(predicates=[external_predicate("biolink:interacts_with"),
                                            external_predicate("hetionet:binds")])
    nodes = dict(kg.node_map)
    nodes["x:1"] = Node("x:1", "ExternalEntity", "gene X", attributes={"category": "biolink:Gene"})
    edges = dict(kg.edge_map)
    for predicate in ("biolink:interacts_with", "hetionet:binds"):
        edge = Edge("x:1", predicate, "msc", (Evidence("", reference=f"imported {predicate}"),))
        edges[edge.key] = edge
    merged = KnowledgeGraph.from_checked(nodes, edges, schema)
    rdf = merged.to_rdf()
    interacts = URIRef("https://w3id.org/biolink/vocab/interacts_with")
    assert (node("x:1"), interacts, node("msc")) in rdf  # the imported predicate keeps its own IRI
    assert (interacts, RDF.type, OWL.ObjectProperty) in rdf
    assert (interacts, RDFS.subPropertyOf, URIRef(SLEO + "related_to")) in rdf
    back = sle_graph.read_rdf(merged.serialize())
    assert back == merged
    assert back.schema.predicates["hetionet:binds"].parent == "related_to"
    assert sle_graph.validate(merged).conforms


def test_a_generated_graph_round_trips_with_its_own_schema():
    from benchmarks.generate import generate

    big = generate(300, seed=3)
    assert sle_graph.read_rdf(big.serialize(), schema=big.schema) == big


def test_the_fast_turtle_path_writes_what_the_general_writer_writes(kg):
    from benchmarks.generate import generate
    from sle_graph.rdf.write import _used_prefixes, blocks
    from sle_graph.rdf.canonical import turtle_text

    for graph in (kg, generate(1_000, seed=5)):
        assert graph.serialize() == turtle_text(blocks(graph), _used_prefixes(graph))
