"""DWPC: equal to hetnetpy's ``pathtools.DWPC`` on random typed graphs; damping 0 counts what ``count`` counts."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

import sle_graph
from sle_graph import Edge, KnowledgeGraph, Node
from sle_graph.errors import InvalidArgument, NodeNotFound, PatternError
from sle_graph.query.dwpc import DWPCScores, dwpc
from sle_graph.query.patterns import count

from tests.query.test_patterns import patterns_for
from tests.query.test_paths import doc, ev, random_graphs

hetnet = pytest.importorskip("hetnetpy.hetnet")
pathtools = pytest.importorskip("hetnetpy.pathtools")

SCHEMA = sle_graph.load().schema
# Leaf kinds of one another (none is a sub-kind of another here), so a kind is a hetnetpy metanode.
KINDS = ["Therapy", "StemCell", "ImmuneCell", "Mechanism", "Disease", "Manifestation"]


@st.composite
def typed_graphs(draw) -> tuple[KnowledgeGraph, list[tuple[str, str, str]]]:
    """A random graph over two or three kinds, and the metaedges (subject kind, predicate, object kind) it may use."""
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=2, max_size=3, unique=True))
    metaedges = [(a, p, b) for a in kinds for b in kinds for p in sorted(SCHEMA.predicates) if SCHEMA.allows(p, a, b)]
    assume(metaedges)
    n = draw(st.integers(3, 10))
    node_kinds = draw(st.lists(st.sampled_from(kinds), min_size=n, max_size=n))
    nodes = [Node(f"n{i}", k, f"node {i}", definition="x") for i, k in enumerate(node_kinds)] + [doc(1)]
    candidates = [(f"n{i}", p, f"n{j}") for i, a in enumerate(node_kinds) for j, b in enumerate(node_kinds)
                  if i != j for p in sorted(SCHEMA.predicates) if SCHEMA.allows(p, a, b)]
    assume(candidates)
    # dense enough that walks which revisit a node (and which DWPC must skip) are common
    chosen = draw(st.lists(st.sampled_from(candidates), unique=True, min_size=min(len(candidates), 10), max_size=30))
    return KnowledgeGraph(nodes, [Edge(s, p, o, (ev(1),)) for s, p, o in chosen]), metaedges


@st.composite
def metapaths(draw, metaedges: list[tuple[str, str, str]]) -> list[tuple[str, str, str, str]]:
    """A chain of 1 to 3 steps (from kind, predicate, to kind, 'forward' or 'backward')."""
    steps = [(a, p, b, "forward") for a, p, b in metaedges] + [(b, p, a, "backward") for a, p, b in metaedges]
    path = [draw(st.sampled_from(steps))]
    for _ in range(draw(st.integers(0, 2))):
        nxt = [s for s in steps if s[0] == path[-1][2]]
        if not nxt:
            break
        path.append(draw(st.sampled_from(nxt)))
    return path


def pattern_text(path: list[tuple[str, str, str, str]]) -> str:
    text = path[0][0]
    for _, p, b, direction in path:
        text += f" -[{p}]-> {b}" if direction == "forward" else f" <-[{p}]- {b}"
    return text


def hetnetpy_graph(kg: KnowledgeGraph, metaedges: list[tuple[str, str, str]]):
    metagraph = hetnet.MetaGraph.from_edge_tuples([(a, b, p, "forward") for a, p, b in metaedges])
    graph = hetnet.Graph(metagraph)
    kinds = {k for a, _, b in metaedges for k in (a, b)}
    for node in kg.nodes():
        if node.kind in kinds:
            graph.add_node(node.kind, node.id)
    for e in kg.edges():
        a, b = kg.node(e.subject).kind, kg.node(e.object).kind
        graph.add_edge((a, e.subject), (b, e.object), e.predicate, "forward")
    return graph


def hetnetpy_dwpc(graph, path, source: str, target: str, damping: float) -> float:
    metaedges = tuple(graph.metagraph.get_metaedge((a, b, p, d)) for a, p, b, d in path)
    metapath = graph.metagraph.get_metapath(metaedges)
    paths = pathtools.paths_between(graph, (path[0][0], source), (path[-1][2], target), metapath)
    return pathtools.DWPC(paths, damping)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.data(), st.sampled_from([0.4, 0.0, 0.5, 1.0]))
def test_equals_hetnetpy_on_random_typed_graphs(data, damping):
    kg, metaedges = data.draw(typed_graphs())
    path = data.draw(metapaths(metaedges))
    text = pattern_text(path)
    graph = hetnetpy_graph(kg, metaedges)
    scores = kg.dwpc(text, damping=damping)
    assert scores.sources == tuple(n.id for n in sorted(kg.nodes(kind=path[0][0]), key=lambda n: n.id))
    assert scores.targets == tuple(n.id for n in sorted(kg.nodes(kind=path[-1][2]), key=lambda n: n.id))
    for s in scores.sources:
        for t in scores.targets:
            expected = hetnetpy_dwpc(graph, path, s, t, damping)
            assert math.isclose(scores.get(s, t), expected, rel_tol=1e-9, abs_tol=1e-12), (text, s, t)
            assert math.isclose(kg.dwpc(text, s, t, damping=damping), expected, rel_tol=1e-9, abs_tol=1e-12)


def test_paths_that_revisit_a_node_do_not_count():
    # t1 -> c1 <- t1 is a walk, not a path: hetnetpy and we leave it out; t1 -> c1 <- t2 counts
    me = [("Therapy", "uses", "StemCell")]
    nodes = [Node(i, "Therapy" if i[0] == "t" else "StemCell", i, definition="x") for i in ("t1", "t2", "c1", "c2")]
    kg = KnowledgeGraph(nodes + [doc(1)], [Edge(s, "uses", o, (ev(1),)) for s, o in [("t1", "c1"), ("t1", "c2"), ("t2", "c1")]])
    path = [("Therapy", "uses", "StemCell", "forward"), ("StemCell", "uses", "Therapy", "backward")]
    scores = kg.dwpc("Therapy -[uses]-> StemCell <-[uses]- Therapy")
    graph = hetnetpy_graph(kg, me)
    assert scores.get("t1", "t1") == 0 == hetnetpy_dwpc(graph, path, "t1", "t1", 0.4)
    assert kg.dwpc("Therapy -[uses]-> StemCell <-[uses]- Therapy", "t1", "t1") == 0
    expected = (2 * 2 * 1 * 2) ** -0.4  # deg(t1), deg(c1) via uses, then deg(c1), deg(t2)
    assert scores.get("t1", "t2") == pytest.approx(expected) == hetnetpy_dwpc(graph, path, "t1", "t2", 0.4)
    assert kg.dwpc("Therapy -[uses]-> StemCell <-[uses]- Therapy", damping=0).matrix.sum() == 2


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damping_zero_counts_the_paths_count_counts(data):
    # any pattern, '*', quoted nodes and either-way links included
    kg = data.draw(random_graphs())
    pattern = data.draw(patterns_for(kg))
    scores = dwpc(kg, pattern, damping=0)
    assert round(float(scores.matrix.sum())) == count(kg, pattern)
    weighted = dwpc(kg, pattern)
    assert weighted.matrix.nnz == scores.matrix.nnz  # same pairs have a path
    assert all(0 < v <= c + 1e-9 for v, c in zip(weighted.matrix.data, scores.matrix.data))


def test_rows_columns_and_frame(kg):
    text = "StemCell -[acts_through]-> Mechanism -[leads_to]-> Outcome"
    scores = kg.dwpc(text)
    assert isinstance(scores, DWPCScores) and scores.pattern == text and scores.damping == 0.4
    s, t, best = scores.top(1)[0]
    row = kg.dwpc(text, source=s)
    assert row.sources == (s,) and row.targets == scores.targets
    assert row.get(s, t) == pytest.approx(best)
    col = kg.dwpc(text, target=t)
    assert col.targets == (t,) and col.get(s, t) == pytest.approx(best)
    frame = scores.to_frame()
    assert list(frame.columns) == ["source", "target", "dwpc"] and len(frame) == scores.matrix.nnz
    assert frame["dwpc"].is_monotonic_decreasing
    assert kg.dwpc(text, "sle", t) == 0.0  # a source of another kind fits no path


def test_bad_input(kg):
    with pytest.raises(InvalidArgument, match="damping"):
        kg.dwpc("Therapy -> Cell", damping=-1)
    with pytest.raises(InvalidArgument, match="damping"):
        kg.dwpc("Therapy -> Cell", damping=float("nan"))
    with pytest.raises(PatternError):
        kg.dwpc("Therapy ->")
    with pytest.raises(NodeNotFound):
        kg.dwpc("Therapy -> Cell", source="no such node")
    with pytest.raises(NodeNotFound):
        kg.dwpc("Therapy -> Cell").get("nope", "msc")

