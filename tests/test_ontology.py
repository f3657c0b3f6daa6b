"""The ontology file: header, kinds, predicates, and alignments only from the verified table."""

from __future__ import annotations

import re

import pytest

from sle_graph._resources import ontology_file
from sle_graph.errors import ValidationError
from sle_graph.vocab import prefixes
from sle_graph.ontology import parse_schema, schema

REQUIRED_KINDS = ["Cell", "Therapy", "ProcedureStep", "Mechanism", "Outcome", "Challenge", "Disease",
                  "Manifestation", "Study", "SourceDocument", "ResearchDirection"]


def test_header_has_iri_version_title_licence():
    s = schema()
    assert s.iri == "https://w3id.org/sle-graph/ontology"
    assert s.version_iri.startswith(s.iri + "/") and s.version in s.version_iri
    assert s.title and s.license.startswith("http")


@pytest.mark.parametrize("kind", REQUIRED_KINDS)
def test_required_kind_declared_under_root(kind):
    s = schema()
    assert kind in s.kinds
    assert s.is_a(kind, "Entity")
    assert s.kinds[kind].label and s.kinds[kind].definition


def test_sub_kinds():
    s = schema()
    assert s.is_a("StemCell", "Cell") and s.is_a("ImmuneCell", "Cell")
    assert not s.is_a("Cell", "StemCell")
    assert s.descendants("Cell") == {"Cell", "StemCell", "ImmuneCell"}


def test_every_predicate_complete():
    for p in schema().predicates.values():
        assert p.label and p.definition, p.name
        assert p.domain and p.range, p.name
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", p.name), p.name


def test_alignments_come_from_reference_table(ontology_ids):
    known = {row["curie"] for row in ontology_ids}
    s = schema()
    used = [c for k in s.kinds.values() for c in k.exact_mappings + k.close_mappings]
    used += [c for p in s.predicates.values() for c in p.exact_mappings + p.close_mappings]
    assert used, "the ontology aligns nothing"
    assert sorted(set(used) - known) == []


def test_prefix_table_matches_reference_md(shared):
    text = (shared / "reference" / "ontology_ids.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| (\w+) \| `([^`]+)`", text, flags=re.M))
    assert rows, "no prefix rows found in ontology_ids.md"
    assert prefixes() == rows


def test_malformed_ontology_names_the_file(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(ontology_file().read_text(encoding="utf-8") + "\nsleo:X a owl:Class ] .\n")
    with pytest.raises(ValidationError) as err:
        parse_schema(bad)
    assert "bad.ttl" in str(err.value) and "malformed Turtle" in str(err.value)


def test_predicate_with_unknown_kind_is_rejected(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(ontology_file().read_text(encoding="utf-8") + (
        '\nsleo:cures a owl:ObjectProperty ; rdfs:label "cures" ; skos:definition "x." ;'
        ' rdfs:domain sleo:Therapy ; rdfs:range sleo:Diseas .\n'))
    with pytest.raises(ValidationError, match="cures refers to unknown kind Diseas"):
        parse_schema(bad)
