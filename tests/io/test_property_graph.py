"""Property graphs: the Neo4j import CSV layout, and Kùzu (a real Cypher engine) answering as kg.match."""

from __future__ import annotations

import csv

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from sle_graph.io.property_graph import load_kuzu, write_neo4j
from sle_graph.query.patterns import LinkSpec, NodeSpec, Pattern, match

from tests.query.test_paths import KINDS, random_graphs

kuzu = pytest.importorskip("kuzu")


def cypher(pattern: Pattern) -> str:
    """The pattern in Cypher over the Kùzu tables: node i is n{i}; every node distinct (simple paths)."""
    parts, where = [], []
    for i, spec in enumerate(pattern.nodes):
        if spec.ref is not None:
            parts.append(f"(n{i}:Node {{id: '{spec.ref}'}})")
        else:
            parts.append(f"(n{i}:Node)")
            if spec.kind:
                where.append(f"list_contains(n{i}.kinds, '{spec.kind}')")
    text = parts[0]
    for link, node in zip(pattern.links, parts[1:]):
        label = ":" + "|".join(link.predicates) if link.predicates else ""
        text += f"-[{label}]->{node}" if link.direction == "forward" else f"<-[{label}]-{node}"
    n = len(pattern.nodes)
    where += [f"n{i}.id <> n{j}.id" for i in range(n) for j in range(i + 1, n)]
    returned = ", ".join(f"n{i}.id" for i in range(n))
    return f"MATCH {text}{' WHERE ' + ' AND '.join(where) if where else ''} RETURN {returned}"


def answers(conn, query: str) -> list[tuple[str, ...]]:
    result, out = conn.execute(query), []
    while result.has_next():
        out.append(tuple(result.get_next()))
    return sorted(out)


def node_tuples(paths) -> list[tuple[str, ...]]:
    return sorted(tuple(n.id for n in p.nodes) for p in paths)


def test_neo4j_import_layout(kg, tmp_path):
    nodes, edges = write_neo4j(kg, tmp_path)
    with open(nodes, newline="", encoding="utf-8") as fh:
        node_rows = list(csv.DictReader(fh))
    with open(edges, newline="", encoding="utf-8") as fh:
        edge_rows = list(csv.DictReader(fh))
    assert list(node_rows[0])[:2] == ["id:ID", ":LABEL"]
    assert list(edge_rows[0])[:3] == [":START_ID", ":END_ID", ":TYPE"]
    ids = {r["id:ID"] for r in node_rows}
    assert ids == set(kg.node_map) and len(node_rows) == len(kg)
    assert len(edge_rows) == len(kg.edges())
    assert {(r[":START_ID"], r[":TYPE"], r[":END_ID"]) for r in edge_rows} == {e.key for e in kg.edges()}
    msc = next(r for r in node_rows if r["id:ID"] == "msc")
    assert msc[":LABEL"].split(";")[0] == "StemCell" and "Cell" in msc[":LABEL"].split(";")
    assert msc["synonyms:string[]"].split(";") == list(kg.node("msc").synonyms)
    for r in edge_rows:
        assert int(r["evidence_count:int"]) == len(kg.edge(r[":START_ID"], r[":TYPE"], r[":END_ID"]).evidence)
    write_neo4j(kg, tmp_path / "again")
    assert nodes.read_bytes() == (tmp_path / "again" / "nodes.csv").read_bytes()


@pytest.mark.parametrize("pattern", [
    "'mesenchymal stem cell' -[acts_through]-> Mechanism -[leads_to]-> Outcome",
    "Therapy -[has_outcome]-> Outcome",
    "Study -[evaluates]-> Therapy -[uses]-> Cell",
    "Outcome <-[has_outcome]- Therapy -[faces_challenge]-> Challenge",
])
def test_kuzu_answers_as_match(kg, tmp_path, pattern):
    write_neo4j(kg, tmp_path / "csv")
    conn = load_kuzu(tmp_path / "csv", tmp_path / "db")
    from sle_graph.query.patterns import parse_pattern

    parsed = parse_pattern(pattern, kg.schema)
    if parsed.nodes[0].ref:  # Cypher names nodes by id
        parsed = Pattern((NodeSpec(ref=kg.node(parsed.nodes[0].ref).id), *parsed.nodes[1:]), parsed.links)
    expected = node_tuples(kg.match(pattern))
    assert expected  # a question with answers
    # two predicates between the same nodes are two matches in both
    assert answers(conn, cypher(parsed)) == expected


def test_kuzu_properties_and_graph_method(kg, tmp_path):
    conn = kg.to_kuzu(tmp_path / "db")
    got = answers(conn, "MATCH (a:Node)-[e:acts_through]->(b:Node {id: 'immunomodulation'}) "
                        "RETURN a.id, e.status, e.evidence_count, e.sources")
    want = sorted((e.subject, e.status, len(e.evidence), sorted(set(e.sources)))
                  for e in kg.in_edges("immunomodulation", predicate="acts_through"))
    assert [(a, s, n, sorted(src)) for a, s, n, src in got] == want
    assert answers(conn, "MATCH (n:Node) RETURN count(*)") == [(len(kg),)]


@st.composite
def graph_and_pattern(draw):
    kg = draw(random_graphs())
    preds = sorted({e.predicate for e in kg.edges()}) or ["treats"]
    n = draw(st.integers(1, 2))
    nodes = tuple(draw(st.one_of(st.builds(NodeSpec, kind=st.sampled_from(KINDS)), st.just(NodeSpec())))
                  for _ in range(n + 1))
    links = tuple(LinkSpec(draw(st.one_of(st.just(()), st.tuples(st.sampled_from(preds)))),
                           draw(st.sampled_from(["forward", "reverse"]))) for _ in range(n))
    return kg, Pattern(nodes, links)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(graph_and_pattern())
def test_random_graphs_kuzu_equals_match(tmp_path_factory, case):
    kg, pattern = case
    folder = tmp_path_factory.mktemp("pg")
    write_neo4j(kg, folder / "csv")
    conn = load_kuzu(folder / "csv", folder / "db")
    if not kg.edges():
        return
    assert answers(conn, cypher(pattern)) == node_tuples(match(kg, pattern))
