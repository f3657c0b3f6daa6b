"""The lean core: the edge map read from the out-adjacency, and graphs built from columns.

``KnowledgeGraph.from_columns`` sorts and pools records with numpy and grades them with
``grade_columns``; each must give what the per-edge path gives (``check_records``' pooling,
``grade_edges``, ``from_checked``), which these tests compute independently.
"""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import sle_graph
from sle_graph import Edge, Evidence, KnowledgeGraph, Node
from sle_graph.build.grading import grade_columns, grade_edges
from sle_graph.errors import InvalidArgument

from benchmarks.generate import build, layout
from tests.test_scale import STUDIES, evidence, reference_grade

KG = sle_graph.load()
ENDS = {i: Node(i, "Therapy", f"therapy {i}", definition="A therapy.") for i in ("a", "b", "c")}
NODES = {**ENDS, **STUDIES}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(evidence, min_size=1, max_size=4), max_size=8))
def test_grade_columns_equals_the_per_edge_rule(groups):
    records = [ev for group in groups for ev in group]
    starts = np.cumsum([0] + [len(g) for g in groups[:-1]]) if groups else np.zeros(0, dtype=np.int64)
    grades, statuses = grade_columns(records, starts, STUDIES)
    edges = [Edge(f"a{i}", "has_outcome", "b", tuple(g)) for i, g in enumerate(groups)]
    by_edge = grade_edges(edges, STUDIES)
    assert list(zip(grades, statuses)) == [(e.grade, e.status) for e in by_edge]
    assert list(zip(grades, statuses)) == [(reference_grade(e, STUDIES).grade, reference_grade(e, STUDIES).status)
                                           for e in edges]


# Records: (subject, predicate, object, evidence); ids may be listed twice under two codes.
records = st.lists(st.tuples(st.sampled_from(sorted(ENDS)), st.sampled_from(["has_outcome", "uses"]),
                             st.sampled_from(sorted(ENDS)), evidence), max_size=12)


def pooled(recs) -> KnowledgeGraph:
    """The graph of the records the per-edge way: pooled as check_records pools, then from_checked."""
    by_key: dict = {}
    for s, p, o, ev in recs:
        by_key.setdefault((s, p, o), []).append(ev)
    edges = {k: Edge(*k, tuple(sorted(set(evs), key=Evidence.sort_key))) for k, evs in by_key.items()}
    return KnowledgeGraph.from_checked(NODES, edges, schema=KG.schema)


@settings(max_examples=200, deadline=None)
@given(records, st.sampled_from(["objects", "columns", "index"]), st.randoms(use_true_random=False))
def test_from_columns_equals_from_checked(recs, mode, rnd):
    ids = sorted(ENDS) * 2  # every id under two codes
    rnd.shuffle(ids)
    code = {}
    for n, i in enumerate(ids):
        code.setdefault(i, []).append(n)
    predicates = ["uses", "has_outcome", "unused"]
    evs = [ev for *_, ev in recs]
    index = None
    if mode == "columns":
        given_evidence = {name: [getattr(ev, name) for ev in evs]
                          for name in ("source", "quote", "start", "end", "stance", "finding", "reference")}
    elif mode == "index":  # distinct records once, each record an index into them
        given_evidence = list(dict.fromkeys(evs))
        index = np.array([given_evidence.index(ev) for ev in evs], dtype=np.int64)
    else:
        given_evidence = evs
    kg = KnowledgeGraph.from_columns(
        NODES, ids=ids, subject=[rnd.choice(code[s]) for s, *_ in recs],
        object=[rnd.choice(code[o]) for _, _, o, _ in recs], predicates=predicates,
        predicate=[predicates.index(p) for _, p, _, _ in recs], evidence=given_evidence,
        evidence_index=index, schema=KG.schema)
    expected = pooled(recs)
    assert kg == expected and list(kg.edge_map) == list(expected.edge_map)
    assert [(e.grade, e.status) for e in kg.edges()] == [(e.grade, e.status) for e in expected.edges()]
    assert kg.out_adjacency == expected.out_adjacency and kg.in_adjacency == expected.in_adjacency
    for e in kg.edges():  # the nodes' own strings
        assert e.subject is kg.node_map[e.subject].id and e.object is kg.node_map[e.object].id


def test_from_columns_shares_offsets_and_refuses_bad_columns():
    ev = {"source": ["a", "a"], "quote": ["x y", "y z"], "start": np.array([1000, 1000]),
          "end": [1003, None]}
    kg = KnowledgeGraph.from_columns(ENDS, ids=["a", "b"], subject=[0, 0], object=[1, 0], predicates=["uses"],
                                     predicate=[0, 0], evidence=ev, schema=KG.schema)
    (first,), (second,) = (e.evidence for e in kg.edges())
    assert first.start == second.start == 1000 and first.start is second.start
    assert (first.end, second.end) == (1003, None) or (first.end, second.end) == (None, 1003)
    with pytest.raises(InvalidArgument, match="different lengths"):
        KnowledgeGraph.from_columns(ENDS, ids=["a"], subject=[0, 0], object=[0], predicates=["uses"],
                                    predicate=[0], evidence=[Evidence("a", reference="r")], schema=KG.schema)
    for bad in ({"quote": ["q"]}, {"source": ["a"], "attributes": [{}]}, {"source": ["a"], "colour": ["red"]},
                {"source": ["a"], "quote": ["q", "r"]}):
        with pytest.raises(InvalidArgument, match="evidence columns"):
            KnowledgeGraph.from_columns(ENDS, ids=["a"], subject=[0], object=[0], predicates=["uses"],
                                        predicate=[0], evidence=bad, schema=KG.schema)


def test_generated_graph_is_the_same_either_way():
    lay = layout(3_000, seed=2)
    columnar, objects = build(lay), build(lay, columnar=False)
    assert columnar == objects
    assert [(e.grade, e.status) for e in columnar.edges()] == [(e.grade, e.status) for e in objects.edges()]


def test_edge_map_reads_like_a_dict():
    plain = dict(KG.edge_map.items())
    assert KG.edge_map == plain and plain == KG.edge_map and len(KG.edge_map) == len(plain)
    assert list(KG.edge_map) == sorted(plain) and list(KG.edge_map.values()) == list(plain.values())
    assert all(KG.edge_map[k] is e for k, e in plain.items())
    e = next(iter(plain.values()))
    assert e in KG.edge_map.values() and (e.key, e) in KG.edge_map.items() and e.key in KG.edge_map.keys()
    other = dict(plain)
    other.pop(e.key)
    assert KG.edge_map != other and KG.edge_map != {**plain, e.key: Edge(*e.key)}
    for missing in ((e.subject, e.predicate, "nowhere"), ("nobody", e.predicate, e.object),
                    (e.subject, "zzz", e.object), (e.subject, "", ""), (e.subject,), (e.subject, 1, e.object),
                    "abc", 5, None):
        assert missing not in KG.edge_map and KG.edge_map.get(missing) is None
        with pytest.raises(KeyError):
            KG.edge_map[missing]


def test_edge_map_pickles_and_copies():
    for again in (pickle.loads(pickle.dumps(KG)), copy.deepcopy(KG), copy.copy(KG)):
        assert again.edge_map == KG.edge_map and list(again.edge_map) == list(KG.edge_map)
        key = next(iter(KG.edge_map))
        assert again.edge_map[key] == KG.edge_map[key]
        with pytest.raises(TypeError, match="immutable"):
            again.edge_map[key] = None


def test_edge_map_lookups_in_any_order_after_a_hit():
    ev = (Evidence("a", reference="r"),)
    edges = {k: Edge(*k, ev) for k in [("a", "uses", "b"), ("a", "uses", "c"), ("b", "uses", "c")]}
    kg = KnowledgeGraph.from_checked(ENDS, edges, schema=KG.schema)
    assert kg.edge_map["a", "uses", "b"].key == ("a", "uses", "b")
    # the edge after the last hit is ("a", "uses", "c"): same predicate and object, another subject
    assert kg.edge_map["b", "uses", "c"].key == ("b", "uses", "c")
    assert kg.edge_map["a", "uses", "b"].key == ("a", "uses", "b")
    assert ("c", "uses", "c") not in kg.edge_map and ("b", "uses", "b") not in kg.edge_map
    assert [kg.edge_map[k].key for k in reversed(list(edges))] == list(reversed(list(edges)))
    assert dict(kg.edge_map) == edges
