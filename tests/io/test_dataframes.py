"""``kg.to_frames()``: nodes, edges and evidence as pandas tables with KGX-style columns.

Checked against independent views of the same graph: the RDF export read by rdflib (statement
IRIs, provenance, PMIDs), the ontology's own subclass axioms (Biolink categories), and a rebuild of
the graph from the three tables (property-based, on generated graphs).
"""

from __future__ import annotations

import pandas as pd
import pytest
import rdflib
from hypothesis import given, settings, strategies as st
from rdflib.namespace import RDF, RDFS, SKOS

import sle_graph
from sle_graph import Edge, Evidence, KnowledgeGraph, Node
from sle_graph.io.dataframes import EDGE_COLUMNS, EVIDENCE_COLUMNS, NODE_COLUMNS, Frames
from sle_graph.vocab import SLE, SLEO

PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")


@pytest.fixture(scope="module")
def frames(kg: KnowledgeGraph) -> Frames:
    return kg.to_frames()


@pytest.fixture(scope="module")
def rdf(kg: KnowledgeGraph) -> rdflib.Graph:
    return rdflib.Graph().parse(data=kg.serialize(format="turtle"), format="turtle")


def statement_curie(rdf: rdflib.Graph, iri: object) -> str:
    """The CURIE of a statement IRI with the ``statement:`` prefix the Turtle file declares."""
    base = str(dict(rdf.namespaces())["statement"])
    assert str(iri).startswith(base)
    return "statement:" + str(iri)[len(base):]


def _split(cell: str) -> list[str]:
    return cell.split("|") if cell else []


def _text(value: object) -> str | None:
    return None if pd.isna(value) else str(value)


def _int(value: object) -> int | None:
    return None if pd.isna(value) else int(value)


def rebuild(frames: Frames, schema) -> KnowledgeGraph:
    """A graph made from nothing but the three tables."""
    nodes = []
    extra = [c for c in frames.nodes.columns if c not in NODE_COLUMNS]
    for r in frames.nodes.to_dict("records"):
        # xref lists exact mappings first; the table cannot tell them apart, so nodes here keep
        # every mapping exact and the comparisons use Node.mappings.
        attributes = {k: r[k] for k in extra if not pd.isna(r[k])}
        if r["category"] != schema.biolink_category(r["kind"]):
            attributes["category"] = r["category"]
        nodes.append(Node(r["id"], r["kind"], r["name"], tuple(_split(r["synonym"])), r["description"],
                          tuple(_split(r["xref"])), attributes=attributes))
    evidence: dict[str, list[Evidence]] = {}
    for r in frames.evidence.itertuples(index=False):
        evidence.setdefault(r.edge_id, []).append(Evidence(
            r.source, quote=_text(r.quote), start=_int(r.start), end=_int(r.end), stance=r.stance,
            finding=_text(r.finding), measure=_text(r.measure), reference=_text(r.reference),
            modality=_text(r.modality)))
    edges = [Edge(r.subject, r.predicate, r.object, tuple(evidence[r.id]))
             for r in frames.edges.itertuples(index=False)]
    return KnowledgeGraph(nodes, edges, schema=schema)


def test_columns_and_sizes(kg, frames):
    nodes, edges, evidence = frames  # unpacks like a tuple
    assert tuple(nodes.columns[:len(NODE_COLUMNS)]) == NODE_COLUMNS and tuple(edges.columns) == EDGE_COLUMNS
    assert tuple(evidence.columns) == EVIDENCE_COLUMNS  # curated evidence has no extra attributes
    attributes = sorted({k for n in kg for k in n.attributes})
    assert attributes and list(nodes.columns[len(NODE_COLUMNS):]) == attributes
    s = kg.stats()
    assert (len(nodes), len(edges), len(evidence)) == (s["nodes"], s["edges"], s["evidence"])
    assert nodes["id"].is_unique and edges["id"].is_unique
    assert str(evidence["start"].dtype) == "Int64" and str(evidence["end"].dtype) == "Int64"


def test_curated_graph_rebuilds_from_its_tables(kg, frames):
    again = rebuild(frames, kg.schema)
    assert [(n.id, n.kind, n.label, n.synonyms, n.definition, n.mappings, n.attributes) for n in again] == \
           [(n.id, n.kind, n.label, n.synonyms, n.definition, n.mappings, n.attributes) for n in kg]
    assert again.edges() == kg.edges()  # Edge equality: key and evidence (all fields but attributes)
    assert [(e.grade, e.status) for e in again.edges()] == list(
        frames.edges[["grade", "status"]].itertuples(index=False, name=None))


def test_edge_ids_are_the_rdf_statements(frames, rdf):
    """``edges.id`` is the CURIE of the reified statement in the export, about that very edge."""
    statements = {}
    for st_iri in rdf.subjects(RDF.type, RDF.Statement):
        s, p, o = (rdf.value(st_iri, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        statements[statement_curie(rdf, st_iri)] = (str(s)[len(SLE):], str(p)[len(SLEO):], str(o)[len(SLE):])
    assert set(statements) == set(frames.edges["id"])
    for r in frames.edges.itertuples(index=False):
        assert statements[r.id] == (r.subject, r.predicate, r.object)
        # the statement's grade and status in the RDF agree with the table
        assert str(rdf.value(_iri(rdf, r.id), rdflib.URIRef(SLEO + "status"))) == r.status


def test_sources_and_publications_agree_with_the_provenance_in_rdf(frames, rdf):
    query = """
        SELECT ?st ?node ?text ?pmid ?doi ?citation WHERE {
          ?st a rdf:Statement ; prov:wasDerivedFrom ?ev .
          { ?ev prov:wasDerivedFrom ?node OPTIONAL { ?node sleo:pmid ?pmid } OPTIONAL { ?node sleo:doi ?doi } }
          UNION { ?ev dcterms:source ?text }
          OPTIONAL { ?ev dcterms:bibliographicCitation ?citation }
        }"""
    sources: dict[str, set[str]] = {}
    publications: dict[str, set[str]] = {}
    namespaces = {"prov": PROV, "sleo": SLEO, "rdf": RDF, "dcterms": rdflib.namespace.DCTERMS}
    for st_iri, node, text, pmid, doi, citation in rdf.query(query, initNs=namespaces):
        key = statement_curie(rdf, st_iri)
        sources.setdefault(key, set()).add(str(node)[len(SLE):] if node is not None else str(text))
        publications.setdefault(key, set()).update(
            ([f"PMID:{pmid}"] if pmid else []) + ([f"doi:{doi}"] if doi else []) + ([str(citation)] if citation else []))
    assert sum("PMID:" in p for ps in publications.values() for p in ps) > 5, "curated studies carry PMIDs"
    curated = {statement_curie(rdf, row[0]) for row in rdf.query(
        "SELECT DISTINCT ?st WHERE { ?st prov:wasDerivedFrom ?ev . ?ev sleo:stance ?s . "
        "FILTER NOT EXISTS { ?ev dcterms:bibliographicCitation ?c } }", initNs=namespaces)}
    for r in frames.edges.itertuples(index=False):
        assert set(_split(r.primary_knowledge_source)) == sources[r.id]
        assert set(_split(r.publications)) == publications[r.id]
        assert r.knowledge_level == ("knowledge_assertion" if r.id in curated else "")


def _iri(rdf: rdflib.Graph, curie: str) -> rdflib.URIRef:
    return rdflib.URIRef(str(dict(rdf.namespaces())["statement"]) + curie.split(":", 1)[1])


def test_categories_follow_the_ontology_alignment(kg, frames):
    """Each node's category is the Biolink class its kind (or nearest ancestor kind) maps to."""
    onto = rdflib.Graph().parse(_ontology_file())
    biolink = "https://w3id.org/biolink/vocab/"

    def category(kind_iri: rdflib.URIRef) -> str:
        while kind_iri is not None:
            for m in sorted(onto.objects(kind_iri, SKOS.exactMatch)) + sorted(onto.objects(kind_iri, SKOS.closeMatch)):
                if str(m).startswith(biolink):
                    return "biolink:" + str(m)[len(biolink):]
            kind_iri = onto.value(kind_iri, RDFS.subClassOf)
        return "biolink:NamedThing"

    expected = {k: category(rdflib.URIRef(SLEO + k)) for k in frames.nodes["kind"].unique()}
    assert len(set(expected.values())) > 3
    assert frames.nodes["category"].tolist() == [expected[k] for k in frames.nodes["kind"]]


def _ontology_file():
    from sle_graph._resources import ontology_file

    return ontology_file()


def test_frames_join_with_path_frames(kg, frames):
    found = kg.paths("mesenchymal stem cell", "reduced disease activity")
    paths = sle_graph.to_frame(found)
    ids = set(frames.nodes["id"])
    assert {i for cell in paths["nodes"] for i in cell.split("|")} <= ids
    edge_ids = frames.edges.set_index(["subject", "predicate", "object"])["id"]
    for p in found:
        for e in p.edges:
            assert (frames.evidence["edge_id"] == edge_ids[e.key]).sum() == len(e.evidence)


def test_empty_graph_has_the_columns():
    nodes, edges, evidence = KnowledgeGraph().to_frames()
    assert list(nodes.columns) == list(NODE_COLUMNS) and len(nodes) == 0
    assert list(evidence.columns) == list(EVIDENCE_COLUMNS)
    assert list(edges.columns) == list(EDGE_COLUMNS) and len(evidence) == 0


# -- generated graphs -----------------------------------------------------------------------------

_text_st = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="|"),
                   min_size=1, max_size=12).map(str.strip).filter(bool)
_KINDS = ("Therapy", "Mechanism", "Outcome")
_PREDICATES = {("Therapy", "Mechanism"): "acts_through", ("Mechanism", "Outcome"): "leads_to",
               ("Therapy", "Outcome"): "has_outcome"}


@st.composite
def graphs(draw) -> KnowledgeGraph:
    n = draw(st.integers(1, 6))
    kinds = [draw(st.sampled_from(_KINDS)) for _ in range(n)]
    labels = draw(st.lists(_text_st, min_size=n, max_size=n, unique_by=str.lower))
    nodes = [Node(f"n{i}", k, labels[i], tuple(draw(st.lists(_text_st, max_size=2, unique=True))),
                  definition=draw(_text_st)) for i, k in enumerate(kinds)]
    nodes.append(Node("doc", "SourceDocument", "a document", definition="A text."))
    nodes.append(Node("trial", "Study", "a trial", definition="A study.",
                      attributes={"design": draw(st.sampled_from(["case series", "randomised trial"])),
                                  "pmid": "1"}))
    edges = []
    for i in range(n):
        for j in range(n):
            pred = _PREDICATES.get((kinds[i], kinds[j]))
            if pred is None or i == j or not draw(st.booleans()):
                continue
            quote, start = draw(_text_st), draw(st.integers(0, 99))
            evidence = [Evidence("doc", quote=quote, start=start, end=start + len(quote),
                                 modality=draw(st.none() | st.sampled_from(["asserted", "possible", "potential"])))]
            if draw(st.booleans()):
                evidence.append(Evidence("trial", stance=draw(st.sampled_from(["supports", "contradicts", "neutral"])),
                                         finding=draw(st.none() | _text_st)))
            if draw(st.booleans()):
                evidence.append(Evidence("user", reference=draw(_text_st)))
            edges.append(Edge(f"n{i}", pred, f"n{j}", tuple(evidence)))
    return KnowledgeGraph(nodes, edges)


@settings(max_examples=40, deadline=None)
@given(graphs())
def test_generated_graphs_rebuild_from_their_tables(g):
    frames = g.to_frames()
    again = rebuild(frames, g.schema)
    assert [(n.id, n.kind, n.label, n.synonyms, n.definition, n.attributes) for n in again] == \
           [(n.id, n.kind, n.label, n.synonyms, n.definition, n.attributes) for n in g]
    assert again.edges() == g.edges()
    assert [(e.grade, e.status) for e in again.edges()] == [(e.grade, e.status) for e in g.edges()]
    for r in frames.edges.itertuples(index=False):
        e = g.edge(r.subject, r.predicate, r.object)
        refs = {ev.reference for ev in e.evidence if ev.kind == "reference"}
        pmids = {"PMID:1"} if any(ev.source == "trial" for ev in e.evidence) else set()
        assert set(_split(r.publications)) == refs | pmids
        levels = {"knowledge_assertion"} if any(ev.kind != "reference" for ev in e.evidence) else set()
        assert set(_split(r.knowledge_level)) == levels
