"""kg.extend(source): every source form, evidence forms, quote checks, and the original untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import sle_graph
from sle_graph import Edge, Evidence, KnowledgeGraph, Node, ValidationError
from sle_graph.extend import check_files, read_facts

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "examples" / "user_facts"


@pytest.fixture()
def kg() -> KnowledgeGraph:
    return sle_graph.load()


def _rows(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


# -- the template and its forms ---------------------------------------------------------------------

def test_template_tables_add_exactly_their_rows(kg):
    mine = kg.extend(TEMPLATE)
    entities, assertions = _rows(TEMPLATE / "entities.tsv"), _rows(TEMPLATE / "assertions.tsv")
    assert set(n.id for n in mine) - set(n.id for n in kg) == {r["id"] for r in entities}
    for r in entities:
        n = mine.node(r["id"])
        assert (n.kind, n.label, n.definition) == (r["kind"], r["label"], r["definition"])
    for r in assertions:
        e = mine.edge(r["subject"], r["predicate"], r["object"])
        before = kg.edge_map.get(e.key)
        added = set(e.evidence) - set(before.evidence if before else ())
        assert len(added) == 1
        ev = added.pop()
        assert ev.quote == (r["quote"] or None) and ev.reference == (r["reference"] or None)
        assert ev.source == (r["source"] or r["reference"])
        assert ev.start == (int(r["start"]) if r["start"] else None)
    # everything else is as it was
    assert {k: v for k, v in mine.edge_map.items() if k in kg.edge_map and k not in
            {(r["subject"], r["predicate"], r["object"]) for r in assertions}} == {
        k: v for k, v in kg.edge_map.items() if k not in {(r["subject"], r["predicate"], r["object"]) for r in assertions}}


def test_template_yaml_tuple_and_single_tables_agree(kg):
    by_dir = kg.extend(TEMPLATE)
    assert kg.extend(TEMPLATE / "facts.yaml") == by_dir
    assert kg.extend((TEMPLATE / "entities.tsv", TEMPLATE / "assertions.tsv")) == by_dir
    assert kg.extend(TEMPLATE / "entities.tsv").extend(TEMPLATE / "assertions.tsv") == by_dir


def test_template_quotes_check_against_the_source_texts(kg, shared):
    mine = kg.extend(TEMPLATE, sources_dir=shared / "sources")
    assert mine == kg.extend(TEMPLATE)


def test_original_graph_is_untouched(kg):
    fresh = sle_graph.load()
    snapshot = (dict(kg.node_map), dict(kg.edge_map), kg.schema)
    mine = kg.extend(TEMPLATE)
    assert mine is not kg and mine != kg
    assert (dict(kg.node_map), dict(kg.edge_map), kg.schema) == snapshot
    assert kg == fresh


def test_csv_with_quoted_tabs_and_newlines(kg, tmp_path):
    (tmp_path / "entities.csv").write_text(
        'id,kind,label,definition\r\n'
        'il10,Mechanism,"IL-10, secreted","Release of interleukin 10.\r\nA line\tbreak and a tab, in quotes."\r\n',
        encoding="utf-8")
    (tmp_path / "assertions.csv").write_text(
        'subject,predicate,object,source,reference\n'
        'msc,acts_through,il10,,"Smith et al.,\n""MSC cytokines"", 2020"\n', encoding="utf-8")
    mine = kg.extend(tmp_path)
    assert mine.node("il10").label == "IL-10, secreted"
    assert mine.node("il10").definition == "Release of interleukin 10.\r\nA line\tbreak and a tab, in quotes."
    assert mine.edge("msc", "acts_through", "il10").evidence[0].reference == 'Smith et al.,\n"MSC cytokines", 2020'


def test_bom_and_crlf_are_accepted(kg, tmp_path):
    text = ("id\tkind\tlabel\tdefinition\r\nil10\tMechanism\tIL-10 secretion\tRelease of interleukin 10.\r\n")
    (tmp_path / "entities.tsv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    mine = kg.extend(tmp_path)
    assert mine.node("il10").definition == "Release of interleukin 10."


def test_python_rows_nodes_and_edges_and_sections(kg):
    rows = [{"id": "il10", "kind": "Mechanism", "label": "IL-10 secretion", "definition": "IL-10 release.",
             "synonyms": ["interleukin-10 secretion"], "attributes": {"note": "mine"}},
            {"subject": "msc", "predicate": "acts_through", "object": "il10",
             "evidence": [{"reference": "PMID:19489103"}, {"reference": "doi:10.1002/stem.68", "stance": "neutral"}]}]
    by_rows = kg.extend(rows)
    e = by_rows.edge("msc", "acts_through", "il10")
    assert [ev.reference for ev in e.evidence] == ["PMID:19489103", "doi:10.1002/stem.68"]
    assert by_rows.node("interleukin-10 secretion").attributes == {"note": "mine"}
    objects = [Node("il10", "Mechanism", "IL-10 secretion", synonyms=("interleukin-10 secretion",),
                    definition="IL-10 release.", attributes={"note": "mine"}),
               Edge("msc", "acts_through", "il10", (Evidence("PMID:19489103", reference="PMID:19489103"),
                                                     Evidence("doi:10.1002/stem.68", reference="doi:10.1002/stem.68",
                                                              stance="neutral")))]
    assert kg.extend(objects) == by_rows
    assert kg.extend({"entities": rows[:1], "assertions": rows[1:]}) == by_rows


def test_new_evidence_on_an_existing_edge_is_pooled(kg):
    e = kg.edges()[0]
    mine = kg.extend([{"subject": e.subject, "predicate": e.predicate, "object": e.object,
                       "reference": "Doe, personal communication"}])
    assert set(mine.edge(*e.key).evidence) == set(e.evidence) | {
        Evidence("Doe, personal communication", reference="Doe, personal communication")}
    assert len(mine.edges()) == len(kg.edges())


def test_restating_an_existing_node_adds_its_synonyms(kg):
    msc = kg.node("msc")
    mine = kg.extend([{"id": "msc", "kind": msc.kind, "label": msc.label, "synonyms": "MSC | stromal cell",
                       "definition": "anything"}])
    assert mine.node("msc").synonyms[:len(msc.synonyms)] == msc.synonyms
    assert "stromal cell" in mine.node("msc").synonyms
    assert mine.node("msc").definition == msc.definition


def test_study_node_evidence(kg):
    study = kg.nodes(kind="Study")[0]
    mine = kg.extend([{"subject": "msc_therapy", "predicate": "has_outcome", "object": "reduced_disease_activity",
                       "source": study.id, "stance": "neutral", "finding": "my reading", "measure": "SLEDAI"}])
    ev = set(mine.edge("msc_therapy", "has_outcome", "reduced_disease_activity").evidence) - set(
        kg.edge_map.get(("msc_therapy", "has_outcome", "reduced_disease_activity"), Edge("", "", "")).evidence)
    assert [(x.kind, x.source, x.stance) for x in ev] == [("study", study.id, "neutral")]


def test_quote_overlapping_a_curated_quote_is_checked_without_the_text(kg):
    curated = next(ev for e in kg.edges() for ev in e.evidence if ev.kind == "quote" and len(ev.quote) > 40)
    inner = curated.quote[5:30]
    good = {"subject": "msc", "predicate": "acts_through", "object": "immunomodulation", "source": curated.source,
            "start": curated.start + 5, "end": curated.start + 30, "quote": inner}
    kg.extend([good])  # agrees with the curated quote: accepted
    wrong = dict(good, quote="x" * len(inner))
    with pytest.raises(ValidationError, match="quote does not match the text"):
        kg.extend([wrong])
    shifted = dict(good, start=good["start"] + 1, end=good["end"] + 1)
    with pytest.raises(ValidationError) as err:
        kg.extend([shifted])
    assert f"it is at start={good['start']}" in str(err.value)


def test_quote_checked_against_given_text(kg):
    text = "Mesenchymal stem cells secrete interleukin 10."
    row = {"subject": "msc", "predicate": "acts_through", "object": "immunomodulation", "source": "my-doc",
           "start": 0, "end": 22, "quote": "Mesenchymal stem cells"}
    doc = {"id": "my-doc", "kind": "SourceDocument", "label": "My notes", "definition": "A text of mine."}
    assert kg.extend([doc, row], sources={"my-doc": text}).edge("msc", "acts_through", "immunomodulation")
    with pytest.raises(ValidationError, match="quote not found in source 'my-doc'"):
        kg.extend([doc, dict(row, quote="Hematopoietic stem cel")], sources={"my-doc": text})


def test_definition_can_be_optional(kg):
    with pytest.raises(ValidationError, match="has no definition"):
        kg.extend([{"id": "x", "kind": "Mechanism", "label": "x"}])
    assert kg.extend([{"id": "x", "kind": "Mechanism", "label": "x"}], require_definition=False).node("x")


def test_extend_with_a_graph_merges_it(kg):
    other = KnowledgeGraph([Node("MONDO:0007915", "Disease", "SLE", definition="Lupus.")])
    assert kg.extend(other) == kg.merge(other)
    assert "SLE" in kg.extend(other).node("sle").synonyms


def test_extend_with_turtle_of_our_modelling(kg, tmp_path):
    row = _rows(TEMPLATE / "assertions.tsv")[0]
    assert (row["subject"], row["object"]) == ("hsct", "dysfunctional_immune_cell")
    expected = kg.extend([{k: v for k, v in row.items() if v}])
    path = tmp_path / "mine.ttl"
    expected.subgraph([row["subject"], row["object"]]).serialize(path)
    assert kg.extend(path) == expected


def test_check_files_reports_and_accepts(tmp_path):
    assert check_files([TEMPLATE / "entities.tsv", TEMPLATE / "assertions.tsv"]) == []
    assert check_files([TEMPLATE / "facts.yaml"]) == []
    bad = tmp_path / "assertions.tsv"
    bad.write_text("subject\tpredicate\tobject\tsource\treference\nmsc\tacts_thru\tb_cell_depletion\t\tPMID:1\n")
    problems = check_files([TEMPLATE / "entities.tsv", bad])
    assert [(p.line, p.column) for p in problems] == [(2, "predicate")]
    assert "did you mean 'acts_through'" in str(problems[0])


def test_read_facts_refuses_other_objects():
    with pytest.raises(ValidationError, match="cannot extend a graph with a int"):
        read_facts(42)


def test_single_table_kind_is_told_by_header(tmp_path, kg):
    shutil.copy(TEMPLATE / "assertions.tsv", tmp_path / "facts.tsv")
    with pytest.raises(ValidationError, match="dangling reference: no node with id 'b_cell_depletion'"):
        kg.extend(tmp_path / "facts.tsv")
