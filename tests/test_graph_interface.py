"""The graph's public, read-only interface: views, adjacency, the derived-value cache, and the
two builders (from located records, checked; from nodes and edges already checked)."""

from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import given, settings, strategies as st

import sle_graph
from sle_graph import Edge, Evidence, KnowledgeGraph, Node, ValidationError
from sle_graph.build.records import AssertionRecord, NodeRecord, Where

KG = sle_graph.load()


def test_views_are_the_storage_not_copies() -> None:
    assert KG.node_map is KG.node_map and KG.edge_map is KG.edge_map
    assert KG.out_adjacency is KG.out_adjacency and KG.in_adjacency is KG.in_adjacency
    assert list(KG.node_map.values()) == KG.nodes()
    assert list(KG.edge_map.values()) == KG.edges()


@pytest.mark.parametrize("view", ["node_map", "edge_map", "out_adjacency", "in_adjacency"])
@pytest.mark.parametrize("change", [
    lambda m, k: m.__setitem__(k, None), lambda m, k: m.__delitem__(k), lambda m, k: m.pop(k),
    lambda m, k: m.update({k: None}), lambda m, k: m.setdefault(k, None), lambda m, k: m.clear(),
    lambda m, k: m.popitem(),
])
def test_views_cannot_be_changed(view, change) -> None:
    mapping = getattr(KG, view)
    before = dict(mapping)
    with pytest.raises(TypeError, match="immutable"):
        change(mapping, next(iter(mapping)))
    assert dict(mapping) == before


def test_adjacency_holds_tuples_nobody_can_append_to() -> None:
    edges = KG.out_adjacency["msc"]
    assert isinstance(edges, tuple) and all(e.subject == "msc" for e in edges)
    assert sum(map(len, KG.out_adjacency.values())) == sum(map(len, KG.in_adjacency.values())) == len(KG.edge_map)


def test_every_edge_is_in_both_adjacencies_under_its_key() -> None:
    for key, e in KG.edge_map.items():
        assert key == e.key
        assert e in KG.out_adjacency[e.subject] and e in KG.in_adjacency[e.object]


def test_out_and_in_edges_by_predicate() -> None:
    for node in ("msc", KG.node("SLE").id):
        for predicate in {e.predicate for e in KG.edges(subject=node)} | {e.predicate for e in KG.edges(object=node)}:
            assert KG.out_edges(node, predicate) == [e for e in KG.out_adjacency.get(node, ()) if e.predicate == predicate]
            assert KG.in_edges(node, predicate) == [e for e in KG.in_adjacency.get(node, ()) if e.predicate == predicate]
    with pytest.raises(ValueError, match="did you mean 'acts_through'"):
        KG.out_edges("msc", "acts_thrugh")


def test_cache_runs_the_factory_once_per_graph_and_name() -> None:
    calls = []
    kg = KG.subgraph(["msc"])

    def factory(g: KnowledgeGraph) -> int:
        calls.append(g)
        return len(g)

    assert kg.cache("test.size", factory) == kg.cache("test.size", factory) == len(kg)
    assert calls == [kg]
    other = KG.subgraph(["msc"])
    other.cache("test.size", factory)
    assert calls == [kg, other]  # a new graph has its own cache


def test_graphs_pickle_and_copy_whole() -> None:
    for again in (pickle.loads(pickle.dumps(KG)), copy.deepcopy(KG)):
        assert again == KG and again.serialize() == KG.serialize()
        with pytest.raises(TypeError):
            again.node_map["x"] = None  # type: ignore[index]


DOC = Node("doc", "SourceDocument", "A document", definition="A text.")
MSC = Node("msc", "StemCell", "mesenchymal stem cell", definition="A stromal stem cell.")
MECH = Node("immunomodulation", "Mechanism", "immunomodulation", definition="Immune regulation.")


def _records(where: str = "n.tsv") -> list[NodeRecord]:
    return [NodeRecord(n, Where(where, i)) for i, n in enumerate((DOC, MSC, MECH), 2)]


def test_from_records_builds_what_the_constructor_builds() -> None:
    ev = Evidence("doc", quote="MSCs modulate", start=0, end=13)
    built = KnowledgeGraph.from_records(_records(), [AssertionRecord("msc", "acts_through", "immunomodulation", ev,
                                                                     Where("a.tsv", 2))])
    assert built == KnowledgeGraph([DOC, MSC, MECH], [Edge("msc", "acts_through", "immunomodulation", (ev,))])


def test_from_records_reports_the_readers_problems_first_and_builds_nothing() -> None:
    earlier = Where("a.tsv", 9).problem("bad row", suggestion="fix it")
    bad = AssertionRecord("msc", "acts_through", "nowhere", Evidence("doc", reference="PMID:1"), Where("a.tsv", 3))
    with pytest.raises(ValidationError) as info:
        KnowledgeGraph.from_records(_records(), [bad], problems=[earlier])
    problems = info.value.problems
    assert problems[0] == earlier and len(problems) == 2
    assert problems[1].file == "a.tsv" and problems[1].line == 3 and "nowhere" in problems[1].message


def test_from_records_passes_check_options() -> None:
    bare = NodeRecord(Node("m2", "Mechanism", "a mechanism"), Where("n.tsv", 5))
    with pytest.raises(ValidationError, match="definition"):
        KnowledgeGraph.from_records([*_records(), bare], [])
    assert "m2" in KnowledgeGraph.from_records([*_records(), bare], [], require_definition=False).node_map


@settings(max_examples=25, deadline=None)
@given(st.sets(st.sampled_from(sorted(KG.node_map)), max_size=40))
def test_from_checked_of_a_valid_selection_equals_the_validated_build(ids: set[str]) -> None:
    sub = KG.subgraph(ids)
    rebuilt = KnowledgeGraph.from_checked(dict(reversed(list(sub.node_map.items()))),
                                          dict(reversed(list(sub.edge_map.items()))), sub.schema)
    assert rebuilt == sub == KnowledgeGraph(sub.nodes(), [Edge(*e.key, e.evidence) for e in sub.edges()])
    assert list(rebuilt.node_map) == sorted(rebuilt.node_map)  # stored sorted, whatever the input order
