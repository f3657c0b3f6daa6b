"""GraphML and GEXF: read back by networkx, by igraph (GraphML) and by a plain XML parser (GEXF)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings

from sle_graph.io.networks import JOIN, evidence_json, write_gexf, write_graphml

from tests.query.test_paths import random_graphs

igraph = pytest.importorskip("igraph")


def expected_nodes(kg) -> dict[str, dict[str, str]]:
    return {n.id: {"kind": n.kind, "label": n.label, "synonyms": JOIN.join(n.synonyms),
                   "mappings": JOIN.join(n.mappings)} for n in kg.nodes()}


def expected_edges(kg) -> dict[tuple[str, str, str], dict]:
    return {(e.subject, e.object, e.predicate): {"grade": e.grade or "", "status": e.status or "",
                                                 "evidence_count": len(e.evidence),
                                                 "supports": sum(ev.stance == "supports" for ev in e.evidence),
                                                 "sources": JOIN.join(sorted(set(e.sources))),
                                                 "evidence": [ev.source for ev in e.evidence]}
            for e in kg.edges()}


def check_graphml(kg, path) -> None:
    nodes, edges = expected_nodes(kg), expected_edges(kg)
    # networkx
    g = nx.read_graphml(path, force_multigraph=True)
    assert {n: {k: d[k] for k in nodes[n]} for n, d in g.nodes(data=True)} == nodes
    got = {(u, v, d["predicate"]): d for u, v, d in g.edges(data=True)}
    assert got.keys() == edges.keys()
    for key, want in edges.items():
        d = got[key]
        assert (d["grade"], d["status"], d["evidence_count"], d["supports"], d["sources"]) == (
            want["grade"], want["status"], want["evidence_count"], want["supports"], want["sources"])
        assert [r["source"] for r in json.loads(d["evidence"])] == want["evidence"]
    # igraph, a reader written in C that shares nothing with networkx
    ig = igraph.Graph.Read_GraphML(str(path))
    assert ig.is_directed() and ig.vcount() == len(nodes) and ig.ecount() == len(edges)
    names = ig.vs["id"]
    assert {names[v.index]: {k: v[k] for k in nodes[names[v.index]]} for v in ig.vs} == nodes
    for e in ig.es:
        want = edges[names[e.source], names[e.target], e["predicate"]]
        assert int(e["evidence_count"]) == want["evidence_count"] and e["sources"] == want["sources"]
        assert e["grade"] == want["grade"] and e["status"] == want["status"]


def check_gexf(kg, path) -> None:
    nodes, edges = expected_nodes(kg), expected_edges(kg)
    g = nx.read_gexf(path)
    assert g.number_of_nodes() == len(nodes) and g.number_of_edges() == len(edges)
    assert {n: {k: d[k] for k in nodes[n]} for n, d in g.nodes(data=True)} == nodes
    got = {(u, v, d["predicate"]): d for u, v, d in g.edges(data=True)}
    assert got.keys() == edges.keys()
    # a plain XML reading of GEXF 1.2: attribute titles, then each edge's values
    root = ET.parse(path).getroot()
    ns = {"g": root.tag[1:].split("}")[0]}
    titles = {a.get("id"): a.get("title") for a in root.iterfind(".//g:attributes[@class='edge']/g:attribute", ns)}
    xml_edges = root.findall(".//g:edges/g:edge", ns)
    assert len(xml_edges) == len(edges)
    for el in xml_edges:
        values = {titles[v.get("for")]: v.get("value") for v in el.iterfind("g:attvalues/g:attvalue", ns)}
        want = edges[el.get("source"), el.get("target"), values["predicate"]]
        assert int(values["evidence_count"]) == want["evidence_count"] and values["sources"] == want["sources"]
        assert [r["source"] for r in json.loads(values["evidence"])] == want["evidence"]
    assert len(root.findall(".//g:nodes/g:node", ns)) == len(nodes)


def test_curated_graph_graphml_and_gexf(kg, tmp_path):
    kg.to_graphml(tmp_path / "sle.graphml")
    check_graphml(kg, tmp_path / "sle.graphml")
    kg.to_gexf(tmp_path / "sle.gexf")
    check_gexf(kg, tmp_path / "sle.gexf")
    study = next(n for n in kg.nodes(kind="Study"))
    back = nx.read_graphml(tmp_path / "sle.graphml")
    assert back.nodes[study.id]["design"] == study.attributes["design"]
    assert back.nodes["msc"]["design"] == ""  # same columns on every node


def test_same_graph_same_bytes(kg, tmp_path):
    for name, write in (("a.graphml", write_graphml), ("a.gexf", write_gexf)):
        write(kg, tmp_path / name)
        write(kg, tmp_path / ("b" + name[1:]))
        assert (tmp_path / name).read_bytes() == (tmp_path / ("b" + name[1:])).read_bytes()
    assert b"lastmodifieddate" not in (tmp_path / "a.gexf").read_bytes()


def test_plain_networkx_writers_take_the_scalar_view(kg, tmp_path):
    g = kg.to_networkx(scalar=True)
    nx.write_graphml(g, tmp_path / "x.graphml")
    nx.write_gexf(g, tmp_path / "x.gexf")
    with pytest.raises(Exception):  # the list-valued view is what GraphML refuses
        nx.write_graphml(kg.to_networkx(), tmp_path / "y.graphml")


def test_evidence_json_keeps_every_field(kg):
    edge = max(kg.edges(), key=lambda e: len(e.evidence))
    records = json.loads(evidence_json(edge))
    assert len(records) == len(edge.evidence)
    for record, ev in zip(records, edge.evidence):
        assert record.get("quote") == ev.quote and record.get("finding") == ev.finding
        assert record["stance"] == ev.stance and record.get("start") == ev.start


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(random_graphs())
def test_random_graphs_round_trip(tmp_path, kg):
    write_graphml(kg, tmp_path / "r.graphml")
    check_graphml(kg, tmp_path / "r.graphml")
    write_gexf(kg, tmp_path / "r.gexf")
    check_gexf(kg, tmp_path / "r.gexf")
