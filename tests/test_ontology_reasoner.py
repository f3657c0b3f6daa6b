"""A reasoner that can object: HermiT (through owlready2, run by Java) finds the ontology with the
curated export consistent, and a node given two disjoint kinds, directly or through a predicate's
domain, inconsistent; sub-kinds stay compatible with their parents."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, URIRef
from rdflib.collection import Collection

import sle_graph
from sle_graph.vocab import SLE, SLEO

REPO = Path(__file__).resolve().parents[1]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("owlready2") is None,
                       reason="needs owlready2 (pip install owlready2), which ships HermiT"),
    pytest.mark.skipif(shutil.which("java") is None,
                       reason="needs Java to run HermiT (Debian: apt-get install default-jre-headless; make java)"),
]


def consistent(graph: rdflib.Graph, folder: Path) -> bool:
    from owlready2 import OwlReadyInconsistentOntologyError, World, sync_reasoner

    path = folder / "all.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = World()
    world.get_ontology(path.as_uri()).load()
    try:
        sync_reasoner(world, infer_property_values=False, debug=0)
    except OwlReadyInconsistentOntologyError:
        return False
    return True


@pytest.fixture(scope="module")
def disjoint() -> list[set[str]]:
    """The groups of kinds the ontology declares disjoint, read from its file with rdflib."""
    g = rdflib.Graph().parse(REPO / "ontology" / "sle_graph.ttl")
    groups = [{str(m)[len(SLEO):] for m in Collection(g, g.value(axiom, OWL.members))}
              for axiom in g.subjects(RDF.type, OWL.AllDisjointClasses)]
    groups += [{str(a)[len(SLEO):], str(b)[len(SLEO):]} for a, b in g.subject_objects(OWL.disjointWith)]
    return groups


def test_the_kinds_are_declared_disjoint(kg, disjoint):
    top = {k for k, v in kg.schema.kinds.items() if v.parent == "Entity"} - {"ExternalEntity"}
    assert top <= set().union(*disjoint)
    assert {"StemCell", "ImmuneCell"} in disjoint
    for group in disjoint:  # no kind is declared disjoint from its own parent
        for kind in group:
            assert not any(kg.schema.kinds[kind].parent == other for other in group), (kind, group)


def test_the_ontology_with_the_export_is_consistent(kg, tmp_path):
    assert consistent(kg.to_rdf(include_ontology=True), tmp_path)


@pytest.mark.parametrize("second, expected", [("Study", False), ("ImmuneCell", False), ("Cell", True),
                                              ("ExternalEntity", True)])
def test_a_second_kind(kg, tmp_path, second, expected):
    """msc is a StemCell: a study or an immune cell as well is a contradiction, a cell is not."""
    assert kg.node("msc").kind == "StemCell"
    graph = kg.to_rdf(include_ontology=True)
    graph.add((URIRef(SLE + "msc"), RDF.type, URIRef(SLEO + second)))
    assert consistent(graph, tmp_path) is expected


def test_a_domain_makes_a_study_a_therapy(kg, tmp_path):
    """An edge ``study treats disease``: the domain of treats makes the study a Therapy too."""
    study = next(n.id for n in kg if n.kind == "Study")
    disease = next(e.object for e in kg.edges(predicate="treats"))
    graph = kg.to_rdf(include_ontology=True)
    graph.add((URIRef(SLE + study), URIRef(SLEO + "treats"), URIRef(SLE + disease)))
    assert not consistent(graph, tmp_path)
