"""Modality of quote evidence: the vocabulary the ontology declares, the cue-word rule, and the
checks that keep unknown values and modalities on non-quotes out of a graph."""

from __future__ import annotations

import csv
import re

import pytest
from hypothesis import given, strategies as st

import sle_graph
from sle_graph import Edge, Evidence, KnowledgeGraph, Node
from sle_graph._resources import data_file, ontology_file
from sle_graph.build.modality import edge_modality, modality_cues, modality_cues_in, modality_of_text
from sle_graph.errors import ValidationError
from sle_graph.ontology import modalities, parse_modalities


def _cue_rows() -> list[dict[str, str]]:
    with open(data_file("modality_cues.tsv"), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


# -- the vocabulary ------------------------------------------------------------------------------

def test_the_vocabulary_is_the_ontology_list_each_value_labelled_and_defined():
    import rdflib

    g = rdflib.Graph().parse(ontology_file(), format="turtle")
    sleo = rdflib.Namespace("https://w3id.org/sle-graph/ontology/")
    owl, skos = rdflib.OWL, rdflib.namespace.SKOS
    (equivalent,) = g.objects(sleo.ModalityValue, owl.equivalentClass)
    listed = [str(v) for v in rdflib.collection.Collection(g, g.value(equivalent, owl.oneOf))]
    assert list(modalities()) == listed  # read by rdflib, apart from the package's reader
    for rank, name in enumerate(listed):
        (concept,) = g.subjects(skos.notation, rdflib.Literal(name))
        assert modalities()[name].rank == rank
        assert modalities()[name].definition == str(g.value(concept, skos.definition))
        assert modalities()[name].label == str(g.value(concept, rdflib.RDFS.label))
    assert (sleo.modality, rdflib.RDF.type, owl.DatatypeProperty) in g
    assert g.value(sleo.modality, rdflib.RDFS.range) == sleo.ModalityValue


def test_a_value_without_its_concept_is_refused_naming_the_file(tmp_path):
    text = ontology_file().read_text(encoding="utf-8").replace('skos:notation "partial" ;', "")
    broken = tmp_path / "broken.ttl"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        parse_modalities(broken)
    assert "'partial'" in str(caught.value) and "broken.ttl" in str(caught.value)


def test_every_cue_names_a_declared_modality_with_a_reason():
    rows = _cue_rows()
    assert rows and all(r["modality"] in modalities() and r["why"].strip() for r in rows)
    assert len({r["cue"].lower() for r in rows}) == len(rows)


# -- the rule ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Stem cells are unique in their ability to differentiate", "asserted"),
    ("they CAN repopulate the immune system", "possible"),
    ("factors that may influence outcomes", "possible"),
    ("cancer scans and canals", "asserted"),  # "can" only as a word
    ("researchers are poised to revolutionize lupus care", "potential"),
    ("shown promising results in early\nclinical trials", "preliminary"),  # a phrase across a line break
    ("some patients experienced remission", "partial"),
    ("some patients may benefit", "possible"),  # the weakest cue wins
    ("it holds potential and can help", "potential"),
])
def test_rule_on_sentences(text, expected):
    assert modality_of_text(text) == expected


@given(before=st.text(max_size=20), after=st.text(max_size=20),
       cue=st.sampled_from(sorted(modality_cues())))
def test_a_cue_never_leaves_a_quote_firmer_than_the_cue(before, after, cue):
    text = f"{before} {cue} {after}"
    rank = {m: v.rank for m, v in modalities().items()}
    assert rank[modality_of_text(text)] >= rank[modality_cues()[cue]]
    assert (cue, modality_cues()[cue]) in [(c.lower(), m) for c, m in modality_cues_in(text)] or any(
        cue in c.lower() for c, _ in modality_cues_in(text))  # or found inside a longer cue


def test_edge_modality_is_the_firmest_quote():
    quotes = (Evidence("d", quote="a", start=0, end=1, modality="potential"),
              Evidence("d", quote="b", start=5, end=6, modality="preliminary"),
              Evidence("s", stance="supports"))
    assert edge_modality(Edge("x", "uses", "y", quotes)) == "preliminary"
    assert edge_modality(Edge("x", "uses", "y", quotes[2:])) is None


# -- validation ----------------------------------------------------------------------------------

def _facts(tmp_path, rows: list[str]):
    path = tmp_path / "mine.tsv"
    path.write_text("subject\tpredicate\tobject\tsource\tstart\tend\tquote\tstance\tmodality\n" + "".join(rows),
                    encoding="utf-8")
    return path


def test_an_unknown_modality_is_refused_with_file_line_and_a_suggestion(kg, tmp_path):
    ev = kg.edge("msc", "acts_through", "tissue_repair").evidence[0]
    row = f"msc\tacts_through\ttissue_repair\t{ev.source}\t{ev.start}\t{ev.end}\t{ev.quote}\t\tposible\n"
    with pytest.raises(ValidationError) as caught:
        kg.extend(_facts(tmp_path, [row]))
    text = str(caught.value)
    assert "mine.tsv:2" in text and "unknown modality 'posible'" in text and "did you mean 'possible'" in text


def test_a_modality_on_a_study_finding_is_refused(kg, tmp_path):
    row = "msc\tacts_through\ttissue_repair\tliang2010\t\t\t\tsupports\tasserted\n"
    with pytest.raises(ValidationError, match=r"mine.tsv:2 \(modality\): modality 'asserted' on a study record"):
        kg.extend(_facts(tmp_path, [row]))


def test_one_quote_has_one_modality_on_an_edge(kg):
    ev = kg.edge("msc", "acts_through", "tissue_repair").evidence[0]
    assert ev.modality == "asserted"
    row = {"subject": "msc", "predicate": "acts_through", "object": "tissue_repair", "source": ev.source,
           "quote": ev.quote, "start": ev.start, "end": ev.end}
    with pytest.raises(ValidationError, match="already backs .* with modality 'asserted', not 'possible'"):
        kg.extend([{**row, "modality": "possible"}])
    assert kg.extend([{**row, "modality": "asserted"}]) == kg  # the same judgement again adds nothing
    with pytest.raises(ValidationError, match="not 'potential'"):
        KnowledgeGraph([Node("d", "SourceDocument", "d", definition="A text."),
                        Node("m", "StemCell", "m", definition="A cell."),
                        Node("t", "Mechanism", "t", definition="A way.")],
                       [Edge("m", "acts_through", "t", (Evidence("d", quote="q", start=0, end=1, modality="possible"),
                                                         Evidence("d", quote="q", start=0, end=1,
                                                                  modality="potential")))])


def test_users_facts_carry_a_modality_through_every_format(kg, tmp_path):
    ev = kg.edge("msc", "acts_through", "tissue_repair").evidence[0]
    mine = kg.extend([{"id": "doc2", "kind": "SourceDocument", "label": "my notes", "definition": "Notes."},
                      {"subject": "msc", "predicate": "acts_through", "object": "tissue_repair", "source": "doc2",
                       "quote": "MSCs may repair tissue", "start": 0, "end": 22, "modality": "possible"}])
    added = [e for e in mine.edge("msc", "acts_through", "tissue_repair").evidence if e.source == "doc2"]
    assert [e.modality for e in added] == ["possible"] and ev in mine.edge("msc", "acts_through", "tissue_repair").evidence
    assert sle_graph.read_rdf(mine.serialize()) == mine
    assert sle_graph.read_kgx(*mine.to_kgx(tmp_path)) == mine
    evidence = mine.to_frames().evidence
    assert evidence[evidence.source == "doc2"].modality.tolist() == ["possible"]
    assert re.search(r'sleo:modality "possible"', mine.serialize())
