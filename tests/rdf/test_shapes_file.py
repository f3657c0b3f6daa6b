"""ontology/shapes.ttl stands alone: it holds the domain and range shapes generated from the ontology
(and a test fails when they disagree), and pySHACL's own command line, given that file and an export
that carries the ontology, passes the curated graph and catches an edge that breaks a domain."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

import sle_graph
from sle_graph.rdf.shacl import GENERATED_MARK, shapes_text

REPO = Path(__file__).resolve().parents[2]
SHAPES = REPO / "ontology" / "shapes.ttl"
PYSHACL = Path(sys.executable).with_name("pyshacl")
DOMAIN = "the subject of sleo:treats must be of kind Therapy (its domain)"


def pyshacl(data: Path, *options: str) -> subprocess.CompletedProcess:
    if not PYSHACL.exists():
        pytest.skip(f"pySHACL's command line is not installed beside {sys.executable} (pip install pyshacl)")
    return subprocess.run([str(PYSHACL), "-s", str(SHAPES), "-a", *options, str(data)], capture_output=True,
                          text=True, timeout=300)


def test_the_file_holds_what_the_ontology_generates():
    text = SHAPES.read_text(encoding="utf-8")
    assert text.count(GENERATED_MARK) == 1
    assert text == shapes_text(), "ontology/shapes.ttl is stale: run python tools/shapes.py"
    check = subprocess.run([sys.executable, str(REPO / "tools" / "shapes.py"), "--check"], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stderr


def test_a_changed_range_changes_the_generated_shapes(kg):
    """The check can fail: the generator follows the schema it is given."""
    treats = kg.schema.predicates["treats"]
    changed = replace(kg.schema, predicates={**kg.schema.predicates,
                                             "treats": replace(treats, range=frozenset({"Outcome"}))})
    text = shapes_text(changed)
    assert text != SHAPES.read_text(encoding="utf-8")
    assert "the object of sleo:treats must be of kind Outcome (its range)" in text


def test_curated_export_with_its_ontology_passes_pyshacl_alone(kg, tmp_path):
    data = tmp_path / "sle.ttl"
    kg.serialize(data, include_ontology=True)
    done = pyshacl(data, "-i", "none")
    assert done.returncode == 0 and "Conforms: True" in done.stdout, done.stdout[-3000:]


def test_export_without_its_ontology_does_not(kg, tmp_path):
    """Without the ontology the kinds' hierarchy is unknown: the shapes cannot be met."""
    data = tmp_path / "sle.ttl"
    kg.serialize(data)
    done = pyshacl(data, "-i", "none")
    assert done.returncode == 1 and "Conforms: False" in done.stdout


@pytest.fixture()
def broken(kg, tmp_path) -> Path:
    """The export plus one edge whose subject, a study, breaks the domain of treats."""
    study = next(n.id for n in kg if n.kind == "Study")
    disease = next(e.object for e in kg.edges(predicate="treats"))
    edge = sle_graph.Edge(study, "treats", disease, (sle_graph.Evidence(study),))
    bad = sle_graph.KnowledgeGraph.from_checked(kg.node_map, {**kg.edge_map, edge.key: edge}, schema=kg.schema)
    data = tmp_path / "broken.ttl"
    bad.serialize(data, include_ontology=True)
    return data


def test_pyshacl_alone_catches_a_domain_violation(broken):
    done = pyshacl(broken, "-i", "none")
    assert done.returncode == 1 and DOMAIN in done.stdout, done.stdout[-3000:]


def test_rdfs_inference_hides_it(broken):
    """What the docs warn about: RDFS inference types the subject by the domain, and then the
    domain check passes whatever the data says."""
    done = pyshacl(broken, "-i", "rdfs")
    assert DOMAIN not in done.stdout, done.stdout[-3000:]
