"""Triples for embedding libraries: the TSV files read back as PyKEEN reads them; filters; same bytes."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from sle_graph.build.grading import GRADES, STATUSES
from sle_graph.errors import InvalidArgument
from sle_graph.io.triples import FILES, to_triples, write_triples

from tests.query.test_paths import random_graphs


def read_like_pykeen(path) -> list[tuple[str, str, str]]:
    # pykeen.triples.utils.load_triples: tab-separated, no header, every value a string, no NA parsing
    if not path.read_bytes():
        return []  # no edge passed the filters (pandas, and so PyKEEN, refuse an empty file)
    frame = pd.read_csv(path, sep="\t", header=None, dtype=str, keep_default_na=False)
    return [tuple(row) for row in frame.to_numpy().tolist()]


def check_folder(kg, folder, **filters) -> None:
    triples = read_like_pykeen(folder / "triples.tsv")
    assert len(triples) == len(set(triples))
    for s, p, o in triples:  # every line an edge that passes the filters
        edge = kg.edge(s, p, o)
        assert filters.get("status") in (None, edge.status) and filters.get("grade") in (None, edge.grade)
    expected = {e.key for e in kg.edges() if filters.get("status") in (None, e.status)
                and filters.get("grade") in (None, e.grade)}
    assert set(triples) == expected
    entities = pd.read_csv(folder / "entity_to_id.tsv", sep="\t", dtype={"label": str}, keep_default_na=False)
    relations = pd.read_csv(folder / "relation_to_id.tsv", sep="\t", dtype={"label": str}, keep_default_na=False)
    # PyKEEN's default mapping: the labels in the triples, sorted, numbered from 0
    assert entities["label"].tolist() == sorted({x for s, _, o in triples for x in (s, o)})
    assert entities["id"].tolist() == list(range(len(entities)))
    assert relations["label"].tolist() == sorted({p for _, p, _ in triples})
    names = pd.read_csv(folder / "entities.tsv", sep="\t", dtype=str, keep_default_na=False)
    assert names["label"].tolist() == entities["label"].tolist()
    assert names["kind"].tolist() == [kg.node(i).kind for i in names["label"]]


def test_curated_graph(kg, tmp_path):
    paths = kg.to_triples(tmp_path / "all")
    assert [p.name for p in paths] == list(FILES)
    check_folder(kg, tmp_path / "all")
    assert len(read_like_pykeen(tmp_path / "all" / "triples.tsv")) == len(kg.edges())
    kg.to_triples(tmp_path / "again")
    for name in FILES:
        assert (tmp_path / "all" / name).read_bytes() == (tmp_path / "again" / name).read_bytes()


@pytest.mark.parametrize("status", STATUSES)
def test_status_filter(kg, tmp_path, status):
    kg.to_triples(tmp_path, status=status)
    check_folder(kg, tmp_path, status=status)


@pytest.mark.parametrize("grade", GRADES)
def test_grade_filter(kg, tmp_path, grade):
    kg.to_triples(tmp_path, grade=grade)
    check_folder(kg, tmp_path, grade=grade)


def test_several_values_and_bad_ones(kg):
    both = set(to_triples(kg, status=["supported", "contested"]))
    assert both == set(to_triples(kg, status="supported")) | set(to_triples(kg, status="contested"))
    with pytest.raises(InvalidArgument, match="unknown status 'suported'"):
        to_triples(kg, status="suported")
    with pytest.raises(InvalidArgument, match="unknown grade"):
        to_triples(kg, grade="anecdote")


def test_modality_filter_keeps_the_edges_with_a_quote_of_that_modality(kg):
    seen = {ev.modality for e in kg.edges() for ev in e.evidence} - {None}
    assert len(seen) >= 2  # the curated quotes carry several modalities
    for m in seen:
        expected = sorted(e.key for e in kg.edges() if any(ev.modality == m for ev in e.evidence))
        assert to_triples(kg, modality=m) == expected
    both = sorted(seen)[:2]
    assert set(to_triples(kg, modality=both)) == set(to_triples(kg, modality=both[0])) | set(
        to_triples(kg, modality=both[1]))
    with pytest.raises(InvalidArgument, match="unknown modality 'imaging'"):
        to_triples(kg, modality="imaging")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(random_graphs(), st.sampled_from([None, *STATUSES]))
def test_random_graphs(tmp_path, kg, status):
    write_triples(kg, tmp_path, status=status)
    check_folder(kg, tmp_path, status=status)
