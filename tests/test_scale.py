"""The construction fast path of large graphs against plain, independent computations.

``KnowledgeGraph._init`` pauses the garbage collector, grades edges without copying the ones
already graded, shares node id strings between nodes and edges, and builds the adjacency in one
pass; the records have ``__slots__``. None of it may change what a graph holds.
"""

from __future__ import annotations

import copy
import dataclasses
import gc
import pickle

import pytest
from hypothesis import given, settings, strategies as st

import sle_graph
from sle_graph import Edge, Evidence, KnowledgeGraph, Node
from sle_graph.errors import ValidationError
from sle_graph.build.grading import GRADES, _RANK, grade_edges, study_grade

from benchmarks.generate import generate


def reference_grade(edge: Edge, nodes) -> Edge:
    """The grading rule written plainly, from the module doc of sle_graph.build.grading."""
    supports = [_RANK[study_grade(nodes.get(ev.source))] for ev in edge.evidence
                if ev.kind == "study" and ev.stance == "supports"]
    contradicts = [_RANK[study_grade(nodes.get(ev.source))] for ev in edge.evidence
                   if ev.kind == "study" and ev.stance == "contradicts"]
    grade = GRADES[min(supports)] if supports else "article claim"
    if contradicts and min(contradicts) <= _RANK[grade]:
        status = "contested"
    elif supports:
        status = "supported"
    else:
        status = "claim only"
    return dataclasses.replace(edge, grade=grade, status=status)


DESIGNS = ["randomised double-blind trial", "meta-analysis of trials", "single-arm phase 1",
           "registry cohort", "case series", "", "something unknown"]
STUDIES = {f"s{i}": Node(f"s{i}", "Study", f"study {i}", definition="A study.", attributes={"design": d})
           for i, d in enumerate(DESIGNS)}

evidence = st.one_of(
    st.builds(Evidence, st.sampled_from(sorted(STUDIES) + ["missing"]),
              stance=st.sampled_from(["supports", "contradicts", "neutral"]), finding=st.just("f")),
    st.builds(Evidence, st.just("doc"), quote=st.just("q"), start=st.just(0), end=st.just(1),
              stance=st.sampled_from(["supports", "contradicts", "neutral"])),
    st.builds(Evidence, st.just("doc"), reference=st.just("r")),
)
edges = st.lists(st.tuples(st.lists(evidence, max_size=4), st.sampled_from([None, *GRADES]),
                           st.sampled_from([None, "supported", "contested", "claim only"])), max_size=8)


@settings(max_examples=300, deadline=None)
@given(edges)
def test_grade_edges_equals_the_plain_rule(specs):
    given_edges = [Edge(f"a{i}", "has_outcome", "b", tuple(evs), grade, status)
                   for i, (evs, grade, status) in enumerate(specs)]
    graded = grade_edges(given_edges, STUDIES)
    expected = [reference_grade(e, STUDIES) for e in given_edges]
    assert [(e, e.grade, e.status) for e in graded] == [(e, e.grade, e.status) for e in expected]
    for before, after in zip(given_edges, graded):  # an edge already graded so is not copied
        assert (after is before) == (before.grade == after.grade and before.status == after.status)


def test_grade_edges_keeps_a_subclass():
    class Tagged(Edge):
        pass

    [graded] = grade_edges([Tagged("a", "p", "b", (Evidence("doc", reference="r"),))], {})
    assert type(graded) is Tagged and (graded.grade, graded.status) == ("article claim", "claim only")


@pytest.fixture(scope="module")
def big() -> KnowledgeGraph:
    return generate(3_000, seed=5)


def test_indexes_equal_a_plain_rebuild(big):
    edges = list(big.edge_map.values())
    assert list(big.edge_map) == sorted(e.key for e in edges)
    assert all(k == e.key for k, e in big.edge_map.items())
    assert list(big.node_map) == sorted(big.node_map)
    for index, end in ((big.out_adjacency, "subject"), (big.in_adjacency, "object")):
        plain: dict[str, list[Edge]] = {}
        for e in edges:
            plain.setdefault(getattr(e, end), []).append(e)
        assert dict(index) == {node: tuple(found) for node, found in plain.items()}
        # read-only: no default entries appear on lookup, no list to append to
        assert index.get("no such node") is None and all(type(v) is tuple for v in index.values())


def test_rebuild_from_fresh_strings_shares_node_ids(big):
    """Edges read from a file carry their own id strings; the graph keeps the nodes' ones."""
    fresh = {}
    for e in big.edge_map.values():
        s, p, o = ("".join(x) for x in (e.subject, e.predicate, e.object))  # equal, new objects
        assert s is not e.subject or len(s) < 2
        fresh[(s, p, o)] = Edge(s, p, o, e.evidence)
    rebuilt = KnowledgeGraph.from_checked(dict(big.node_map), fresh, big.schema)
    assert rebuilt == big
    assert [(e.grade, e.status) for e in rebuilt.edge_map.values()] == [(e.grade, e.status) for e in big.edge_map.values()]
    for e in rebuilt.edge_map.values():
        assert e.subject is rebuilt.node_map[e.subject].id and e.object is rebuilt.node_map[e.object].id


def test_subgraph_reuses_graded_edges(big):
    ids = [n.id for n in big.nodes()[:200]]
    sub = big.subgraph(ids)
    assert sub.edge_map and all(e is big.edge_map[k] for k, e in sub.edge_map.items())


@pytest.mark.parametrize("was_enabled", [True, False])
def test_collector_state_restored(was_enabled, big):
    doc = Node("doc", "SourceDocument", "A document", definition="A text.")
    bad = Edge("doc", "no_such_predicate", "doc", (Evidence("doc", reference="r"),))
    (gc.enable if was_enabled else gc.disable)()
    try:
        KnowledgeGraph.from_checked(dict(big.node_map), dict(big.edge_map), big.schema)
        assert gc.isenabled() == was_enabled
        with pytest.raises(ValidationError):
            KnowledgeGraph([doc], [bad])
        assert gc.isenabled() == was_enabled
    finally:
        gc.enable()


def test_records_have_slots_and_still_copy_and_pickle():
    kg = sle_graph.load()
    e = next(e for e in kg.edges() if e.evidence)
    records = [kg.node(e.subject), e, e.evidence[0]]
    for r in records:
        assert not hasattr(r, "__dict__")
        for clone in (copy.copy(r), copy.deepcopy(r), pickle.loads(pickle.dumps(r))):
            assert clone == r and type(clone) is type(r)
        for name in ("source", "label", "not_a_field"):  # a field of some records, or of none
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(r, name, "x")
            with pytest.raises(dataclasses.FrozenInstanceError):
                delattr(r, name)
    assert pickle.loads(pickle.dumps(e)).grade == e.grade


def test_networkx_evidence_is_every_set_field():
    kg = sle_graph.load()
    g = kg.to_networkx()
    for e in kg.edges():
        expected = [{k: v for k, v in dataclasses.asdict(ev).items() if v is not None} for ev in e.evidence]
        assert g.edges[e.subject, e.object, e.predicate]["evidence"] == expected


def test_records_without_attributes_share_one_read_only_empty_dict():
    kg = sle_graph.load()
    plain = [ev for e in kg.edges() for ev in e.evidence if not ev.attributes] + [n for n in kg if not n.attributes]
    assert len(plain) > 1 and len({id(r.attributes) for r in plain}) == 1
    empty = plain[0].attributes
    assert empty == {} and isinstance(empty, dict) and repr(empty) == "{}" and dict(empty) == {}
    for change in (lambda d: d.__setitem__("k", "v"), lambda d: d.update(k="v"), lambda d: d.setdefault("k", "v"),
                   lambda d: d.pop("k", None), lambda d: d.clear(), lambda d: d.__delitem__("k")):
        with pytest.raises(TypeError):
            change(empty)
    assert empty == {}
    for clone in (copy.deepcopy(plain[0]), pickle.loads(pickle.dumps(plain[0]))):
        assert clone.attributes is empty
    given = {"design": "cohort"}
    assert Node("s", "Study", "s", attributes=given).attributes is given  # given ones are kept as they are
