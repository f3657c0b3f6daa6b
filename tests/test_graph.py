"""The public API of the model: lookups, filters, counts, networkx copy."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sle_graph
from sle_graph import Edge, Evidence, KnowledgeGraph, Node, ValidationError


def test_load_returns_a_graph(kg):
    assert isinstance(kg, KnowledgeGraph)
    assert len(kg) == len(kg.nodes()) > 0
    assert sle_graph.load() is kg  # immutable, loaded once


@pytest.mark.parametrize("ref", ["msc", "MSC", "msCs", "mesenchymal stem cell", "Mesenchymal Stem Cell",
                                 "CL:0000134", "cl:0000134", " MSC "])
def test_node_by_id_label_synonym_curie_any_case(kg, ref):
    assert kg.node(ref).id == "msc"


def test_lookup_prefers_id_then_label_then_synonym(kg):
    # "SLE" is the synonym of sle and, case-folded, also its id: the id wins, no ambiguity
    assert kg.node("SLE").id == "sle"
    assert kg.node("DOID:9074").id == "sle"


def test_unknown_node_lists_closest_matches(kg):
    with pytest.raises(KeyError) as err:
        kg.node("mesenchymal stem cel")
    message = str(err.value)
    assert "mesenchymal stem cel" in message and "msc" in message


def test_nodes_by_kind_include_sub_kinds(kg):
    cells = kg.nodes(kind="Cell")
    kinds = {n.kind for n in cells}
    assert "StemCell" in kinds
    assert kinds <= {"Cell", "StemCell", "ImmuneCell"}
    assert {n.id for n in kg.nodes(kind="StemCell")} < {n.id for n in cells}


def test_unknown_kind_suggests(kg):
    with pytest.raises(ValueError, match="did you mean 'Mechanism'"):
        kg.nodes(kind="Mechansim")


def test_edges_filters(kg):
    all_edges = kg.edges()
    by_subject = kg.edges(subject="MSC")
    assert by_subject and all(e.subject == "msc" for e in by_subject)
    preds = {e.predicate for e in all_edges}
    for p in preds:
        assert kg.edges(predicate=p) == [e for e in all_edges if e.predicate == p]
    e = all_edges[0]
    assert kg.edges(subject=e.subject, predicate=e.predicate, object=e.object) == [e]
    assert set(kg.edges(object=e.object)) == {x for x in all_edges if x.object == e.object}


def test_edges_unknown_predicate(kg):
    with pytest.raises(ValueError, match="unknown predicate"):
        kg.edges(predicate="acts_thru")


def test_stats_add_up(kg):
    s = kg.stats()
    assert s["nodes"] == len(kg) == sum(s["by_kind"].values())
    assert s["edges"] == len(kg.edges()) == sum(s["by_predicate"].values())
    assert s["evidence"] == sum(len(e.evidence) for e in kg.edges())


def test_to_networkx_is_a_plain_copy(kg):
    g = kg.to_networkx()
    assert g.number_of_nodes() == len(kg) and g.number_of_edges() == len(kg.edges())
    e = kg.edges()[0]
    data = g.edges[e.subject, e.object, e.predicate]
    assert data["evidence"][0]["source"] == e.evidence[0].source
    g.remove_node(e.subject)
    assert kg.node(e.subject)  # the graph itself is untouched


def test_edge_records_are_frozen(kg):
    e = kg.edges()[0]
    with pytest.raises(AttributeError):
        e.subject = "x"  # type: ignore[misc]


def _tiny(**overrides):
    nodes = [Node("a", "StemCell", "cell a", definition="A cell."),
             Node("m", "Mechanism", "mech m", definition="A mechanism."),
             Node("doc", "SourceDocument", "Doc", definition="A text.")]
    ev = Evidence("doc", quote="abc", start=0, end=3)
    edges = [Edge("a", overrides.get("predicate", "acts_through"), overrides.get("object", "m"), (ev,))]
    return nodes, edges


def test_constructor_validates_domain_and_range():
    nodes, edges = _tiny(predicate="leads_to")
    with pytest.raises(ValidationError, match="leads_to expects Mechanism"):
        KnowledgeGraph(nodes, edges)


def test_constructor_rejects_dangling_and_edges_without_evidence():
    nodes, edges = _tiny(object="nowhere")
    with pytest.raises(ValidationError, match="no node with id 'nowhere'"):
        KnowledgeGraph(nodes, edges)
    with pytest.raises(ValidationError, match="has no evidence"):
        KnowledgeGraph(nodes[:2], [Edge("a", "acts_through", "m")])


def test_equal_graphs_compare_equal_whatever_the_order():
    nodes, edges = _tiny()
    assert KnowledgeGraph(nodes, edges) == KnowledgeGraph(list(reversed(nodes)), edges)
    assert KnowledgeGraph(nodes, edges) != KnowledgeGraph(nodes, [])


def test_subgraph_keeps_cited_documents(kg):
    e = kg.edges()[0]
    sub = kg.subgraph([e.subject, e.object])
    assert e in sub.edges()
    for ev in e.evidence:
        assert ev.source in {n.id for n in sub.nodes()}


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_subgraph_edges_are_every_edge_between_the_chosen_nodes(kg, data):
    ids = data.draw(st.sets(st.sampled_from(sorted(n.id for n in kg.nodes())), max_size=30))
    sub = kg.subgraph(ids)
    assert {e.key for e in sub.edges()} == {e.key for e in kg.edges() if e.subject in ids and e.object in ids}


def test_edge_with_a_misspelt_predicate_suggests_the_declared_one(kg):
    edge = kg.edges("msc", "acts_through")[0]
    with pytest.raises(sle_graph.UnknownPredicate) as err:
        kg.edge("msc", "acts_thru", edge.object)
    assert "did you mean 'acts_through'?" in str(err.value)
    with pytest.raises(sle_graph.UnknownPredicate) as err:
        kg.edges("msc", "acts_thru")
    assert "did you mean 'acts_through'?" in str(err.value)


def test_a_missing_edge_names_the_edges_between_the_nodes(kg):
    edge = kg.edges("msc", "acts_through")[0]
    other = next(p for p in sorted(kg.schema.predicates) if (edge.subject, p, edge.object) not in kg.edge_map)
    with pytest.raises(sle_graph.EdgeNotFound) as err:
        kg.edge(edge.subject, other, edge.object)
    joined = sorted(e.predicate for e in kg.edges(edge.subject, object=edge.object))
    assert str(err.value).strip("'\"").endswith(f"are joined by: {', '.join(joined)}")


@pytest.mark.parametrize("method, function", [
    ("render", "sle_graph.draw.diagram:render"), ("to_dot", "sle_graph.draw.diagram:to_dot"),
    ("extend", "sle_graph.extend:extend"), ("push", "sle_graph.endpoint:push"),
])
def test_methods_spell_out_the_options_they_forward(method, function):
    """Explicit parameters (help() and type checkers see them), with the defaults of the function."""
    import importlib
    import inspect

    module, name = function.split(":")
    theirs = inspect.signature(getattr(importlib.import_module(module), name)).parameters
    ours = inspect.signature(getattr(KnowledgeGraph, method)).parameters
    assert not [p for p in ours.values() if p.kind is inspect.Parameter.VAR_KEYWORD]
    assert list(ours)[1:] == list(theirs)[1:]  # the same options, in the same order, after self / the graph
    for option, p in list(ours.items())[1:]:
        default = theirs[option].default
        assert p.default == default or (option == "graph" and p.default is None), option
