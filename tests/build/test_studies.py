"""Studies in the curated graph: every row of the clinical evidence table, verbatim, nothing added.

The reference table (shared/reference/clinical_evidence.tsv, or without ../shared its copy data/studies.tsv)
is read here with the csv module, independently of sle_graph.build.studies.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

import sle_graph
from sle_graph._resources import data_file
from sle_graph.errors import Problem, ValidationError
from sle_graph.io.curated import CURATED_ASSERTIONS, CURATED_ENTITIES
from sle_graph.build.records import Where
from sle_graph.build.studies import study_attributes

ID_COLUMNS = ("pmid", "doi", "trial_registry_id")
FINDING_COLUMNS = ("result", "adverse_events_or_mortality")
PRODUCT_COLUMNS = ("therapy", "cell_source")


@pytest.fixture(scope="module")
def reference(clinical_evidence: Path) -> Path:
    return clinical_evidence


@pytest.fixture(scope="module")
def table(reference: Path) -> dict[str, dict[str, str]]:
    with open(reference, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) == len({r["study_id"] for r in rows}) > 0
    return {r["study_id"]: r for r in rows}


def _expected(row: dict[str, str]) -> dict[str, str]:
    """The attributes the documented rule gives a row, computed with plain string operations."""
    out = {}
    for column, value in row.items():
        if column == "study_id" or value == "" or value == "NR" or value.startswith("NR "):
            continue
        if column in ID_COLUMNS:
            if value == "NA" or value.startswith("NA "):
                continue
            if " (" in value and value.endswith(")"):
                ident, note = value.split(" (", 1)
                out[column], out[column + "_note"] = ident, note[:-1]
                continue
        out[column] = value
    return out


def test_shipped_table_is_the_reference_table_byte_for_byte(shared):
    reference = shared / "reference" / "clinical_evidence.tsv"
    assert data_file("studies.tsv").read_bytes() == reference.read_bytes()


def test_every_study_row_is_a_study_node_with_its_fields(kg, table):
    studies = {n.id: n for n in kg.nodes(kind="Study")}
    assert set(studies) == set(table)
    for study_id, row in table.items():
        node = studies[study_id]
        assert node.kind == "Study"
        assert dict(node.attributes) == _expected(row), study_id
        assert node.label != study_id and node.definition.endswith(".")


def test_not_read_fields_are_left_empty(kg, table):
    nr_cells = [(sid, col) for sid, row in table.items() for col, v in row.items() if re.match(r"NR\b", v)]
    assert nr_cells, "the reference table has NR cells; this test must see some"
    for sid, col in nr_cells:
        assert col not in kg.node(sid).attributes, (sid, col)
    values = [v for n in kg.nodes(kind="Study") for v in n.attributes.values()]
    assert not [v for v in values if re.match(r"NR\b", v)]


def test_identifier_attributes_are_exactly_the_tables_identifiers(kg, table):
    found = {(n.id, k, v) for n in kg.nodes() for k, v in n.attributes.items() if k in ID_COLUMNS}
    wanted = set()
    for sid, row in table.items():
        for col in ID_COLUMNS:
            token = row[col].split(" ")[0]
            if re.fullmatch(r"\d+|10\.\d+/\S+|NCT\d{8}", token):
                wanted.add((sid, col, token))
    assert found == wanted
    assert ("farge2025", "trial_registry_id", "NCT03562065") in found
    assert kg.node("farge2025").attributes["trial_registry_id_note"] == "from project page; verify"


def test_no_identifier_appears_that_the_sources_lack(kg, reference, ontology_ids, shared):
    """Scan every node's attributes, texts and mappings, and every finding, for identifiers."""
    allowed_text = reference.read_text(encoding="utf-8")
    vetted = {r["curie"] for r in ontology_ids}
    id_like = re.compile(r"\bNCT\d{8}\b|\b10\.\d{4,9}/[^\s;,]+|\bPMID:?\s*\d+|\b\d{7,9}\b")
    problems = []
    for n in kg.nodes():
        texts = [n.label, n.definition, *n.synonyms, *n.attributes.values()]
        for text in texts:
            for ident in id_like.findall(text):
                if ident not in allowed_text:
                    problems.append(f"{n.id}: {ident}")
        problems += [f"{n.id}: mapping {c}" for c in n.mappings if c not in vetted]
    for e in kg.edges():
        for ev in e.evidence:
            for text in (ev.finding or "", ev.measure or ""):
                problems += [f"{e}: {i}" for i in id_like.findall(text) if i not in allowed_text]
    assert problems == []


def _study_evidence(kg):
    return [(e, ev) for e in kg.edges() for ev in e.evidence if ev.kind == "study"]


def test_every_finding_is_the_tables_words_verbatim(kg, table):
    records = _study_evidence(kg)
    assert len(records) > len(table)
    wrong = []
    for e, ev in records:
        row = table[ev.source]
        a_result = any(ev.finding in row[c] for c in FINDING_COLUMNS) and ev.measure == row["outcome_measure"]
        a_product = any(ev.finding in row[c] for c in PRODUCT_COLUMNS) and ev.measure is None
        if not ev.finding or not (a_result or a_product):
            wrong.append(f"{e} {ev.source}: {ev.finding!r} / {ev.measure!r} is not the row's words")
    assert wrong == []


def test_every_study_evaluates_the_therapy_it_names(kg, table):
    for sid, row in table.items():
        evaluated = kg.edges(subject=sid, predicate="evaluates")
        therapies = [e for e in evaluated if kg.node(e.object).kind == "Therapy"]
        assert len(therapies) == 1, sid
        assert [ev.finding for ev in therapies[0].evidence] == [row["therapy"]]
        assert all(ev.source == sid and ev.stance == "supports" for e in evaluated for ev in e.evidence)
    assert {e.subject for e in kg.edges(predicate="evaluates")} == set(table)


def test_cell_subtypes_carry_the_vetted_identifiers_and_hang_under_msc(kg):
    for curie in ("CL:0002569", "CL:0002540"):
        node = kg.node(curie)
        assert kg.edge(node, "subtype_of", "msc").evidence
        assert kg.edges(predicate="evaluates", object=node)


def test_negative_results_are_in_the_graph(kg, table):
    against = {(ev.source, e.subject, e.object) for e, ev in _study_evidence(kg) if ev.stance == "contradicts"}
    negative_rows = {sid for sid, row in table.items() if row["result"].startswith("NEGATIVE")}
    assert negative_rows == {"deng2017_rct", "auto_bmmsc_lupus2010"}
    for sid in negative_rows | {"zhou2020_meta"}:
        assert any(s == sid and subj in ("msc", "msc_therapy") for s, subj, _ in against), sid


def test_no_quality_of_life_evidence_is_invented(kg):
    qol = kg.node("improved quality of life")
    assert not [ev for e in kg.in_edges(qol) for ev in e.evidence if ev.kind == "study"]
    assert all(e.status == "claim only" for e in kg.in_edges(qol))


def test_study_evidence_sources_are_study_nodes(kg):
    assert all(kg.node(ev.source).kind == "Study" for _, ev in _study_evidence(kg))


# -- reading users' tables: clear problems, file and line ----------------------------------------

def _write(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _load_with(tmp_path, study_rows, entity_rows=()):
    header = ["study_id", "design", "trial_registry_id", "pmid"]
    studies = _write(tmp_path / "s.tsv", [header, *study_rows])
    entities = _write(tmp_path / "e.tsv", [["id", "kind", "label", "definition"], *entity_rows])
    curated_e = [data_file(n) for n in CURATED_ENTITIES]
    curated_a = [data_file(n) for n in CURATED_ASSERTIONS]
    return sle_graph.load_files([*curated_e, entities], curated_a,
                                studies=[data_file("studies.tsv"), studies])


def test_a_users_study_row_becomes_a_node(tmp_path):
    kg = _load_with(tmp_path, [["my_rct", "randomized controlled trial", "NCT12345678", "NR"]],
                    [["my_rct", "Study", "My RCT", "A trial."]])
    node = kg.node("my_rct")
    assert (node.label, dict(node.attributes)) == ("My RCT", {"design": "randomized controlled trial",
                                                              "trial_registry_id": "NCT12345678"})
    bare = _load_with(tmp_path, [["bare", "cohort", "NA", "123"]]).node("bare")
    assert bare.kind == "Study" and bare.attributes["pmid"] == "123" and bare.definition


@pytest.mark.parametrize("row, entity, column, message", [
    (["x", "cohort", "see the paper", "NR"], None, "trial_registry_id", "is not an identifier"),
    (["x", "cohort", "NR", "PMID 12"], None, "pmid", "is not an identifier"),
    (["x", "mouse experiment", "NR", "NR"], None, "design", "matches no design rule"),
    (["deng2017_rct", "cohort", "NR", "NR"], None, "study_id", "duplicate study id"),
    (["msc", "cohort", "NR", "NR"], None, "study_id", "names a StemCell node"),
    (["x", "cohort", "NR", "NR"], ["y", "Study", "Y", "A study."], "id", "has no row in the studies table"),
])
def test_bad_study_tables_are_refused_with_file_and_line(tmp_path, row, entity, column, message):
    with pytest.raises(ValidationError) as info:
        _load_with(tmp_path, [row], [entity] if entity else [])
    hits = [p for p in info.value.problems if message in p.message]
    assert hits, info.value.problems
    assert hits[0].column == column and hits[0].file is not None and hits[0].line is not None


# -- the identifier rule, property-based ------------------------------------------------------

nct = st.from_regex(r"NCT[0-9]{8}", fullmatch=True)
remark = st.text(st.characters(whitelist_categories=("L", "N"), whitelist_characters=" ;,.-"),
                 min_size=1, max_size=30).map(str.strip).filter(bool)


@given(ident=nct, note=remark)
def test_an_identifier_with_a_remark_keeps_both_verbatim(ident, note):
    problems: list[Problem] = []
    attrs = study_attributes({"study_id": "s", "design": "cohort", "trial_registry_id": f"{ident} ({note})"},
                             Where("t.tsv", 2), problems)
    assert problems == []
    assert attrs["trial_registry_id"] == ident and attrs["trial_registry_id_note"] == note


@given(text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
def test_not_read_text_is_never_kept(text):
    problems: list[Problem] = []
    attrs = study_attributes({"study_id": "s", "design": "cohort", "population": "NR " + text,
                              "result": "NR", "pmid": "NR" + (" " + text if text else "")},
                             Where("t.tsv", 2), problems)
    assert attrs == {"design": "cohort"} and problems == []


@given(text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)
       .filter(lambda t: t.strip() and not re.match(r"NR(\s|$)", t.strip())))
def test_ordinary_fields_are_kept_verbatim(text):
    problems: list[Problem] = []
    attrs = study_attributes({"study_id": "s", "design": "cohort", "result": text}, Where("t.tsv", 2), problems)
    assert attrs["result"] == text.strip()
