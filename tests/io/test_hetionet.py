"""Hetionet: its TSV and JSON formats (small files made here), linking by CURIE, bad files."""

from __future__ import annotations

import bz2
import csv
import gzip
import json
from pathlib import Path

import pytest

import sle_graph
from sle_graph import ValidationError, read_hetionet
from sle_graph.io.hetionet import link, node_id, read_metaedges

NODES = [  # rows of the real node list
    ("Compound::DB00563", "Methotrexate", "Compound"),
    ("Disease::DOID:9074", "systemic lupus erythematosus", "Disease"),
    ("Gene::3586", "IL10", "Gene"),
    ("Biological Process::GO:0050728", "negative regulation of inflammatory response", "Biological Process"),
    ("Side Effect::C0015672", "Fatigue", "Side Effect"),
]
EDGES = [("Compound::DB00563", "CtD", "Disease::DOID:9074"),
         ("Disease::DOID:9074", "DaG", "Gene::3586"),
         ("Gene::3586", "GpBP", "Biological Process::GO:0050728"),
         ("Compound::DB00563", "CcSE", "Side Effect::C0015672")]


@pytest.fixture(scope="module")
def real_nodes(shared) -> dict[str, tuple[str, str]]:
    with open(shared / "data" / "hetionet-v1.0-nodes.tsv", encoding="utf-8", newline="") as fh:
        return {r["id"]: (r["name"], r["kind"]) for r in csv.DictReader(fh, delimiter="\t")}


def write_tsv(folder: Path, nodes=NODES, edges=EDGES, opener=open, suffix="") -> tuple[Path, Path]:
    n, e = folder / f"hetionet-v1.0-nodes.tsv{suffix}", folder / f"hetionet-v1.0-edges.sif{suffix}"
    with opener(n, "wt", encoding="utf-8", newline="") as fh:
        fh.write("id\tname\tkind\r\n" + "".join("\t".join(r) + "\r\n" for r in nodes))  # CRLF, as published
    with opener(e, "wt", encoding="utf-8", newline="") as fh:
        fh.write("source\tmetaedge\ttarget\n" + "".join("\t".join(r) + "\n" for r in edges))
    return n, e


def hetnet_json(nodes=NODES, edges=EDGES) -> dict:
    """The hetnetpy writable: metagraph, then nodes and edges with their data."""
    table = read_metaedges()
    kinds = sorted({k for _, _, k in nodes})
    node_objs = []
    for hid, name, kind in nodes:
        identifier = hid.split("::", 1)[1]
        node_objs.append({"kind": kind, "identifier": int(identifier) if identifier.isdigit() else identifier,
                          "name": name, "data": {"source": "test", "license": "CC0 1.0"}})
    edge_objs = []
    for s, abbrev, t in edges:
        m = table[abbrev]
        sk, si = s.split("::", 1)
        tk, ti = t.split("::", 1)
        edge_objs.append({"source_id": [sk, int(si) if si.isdigit() else si],
                          "target_id": [tk, int(ti) if ti.isdigit() else ti],
                          "kind": m.verb, "direction": m.direction, "data": {"unbiased": False, "sources": ["x"]}})
    return {"metanode_kinds": kinds,
            "metaedge_tuples": sorted([table[a].source, table[a].target, table[a].verb, table[a].direction]
                                      for _, a, _ in edges),
            "kind_to_abbrev": {}, "nodes": node_objs, "edges": edge_objs}


def expected_structure(nodes=NODES, edges=EDGES):
    """Node ids and edge keys computed here from the rows, by the documented rules."""
    def our(hid):
        kind, ident = hid.split("::", 1)
        return ident if ident[0].isalpha() and ":" in ident else f"hetionet.{kind.replace(' ', '')}:{ident}"
    verbs = {a: m.verb for a, m in read_metaedges().items()}
    return ({our(h) for h, _, _ in nodes}, {(our(s), "hetionet:" + verbs[a], our(t)) for s, a, t in edges})


# -- reading ------------------------------------------------------------------------------------------------

def test_tsv_files(tmp_path):
    g = read_hetionet(*write_tsv(tmp_path))
    ids, keys = expected_structure()
    assert {n.id for n in g} == ids and set(g.edge_map) == keys
    assert g.node("DOID:9074").kind == "Disease" and g.node("hetionet.Gene:3586").kind == "ExternalEntity"
    assert g.node("hetionet.Gene:3586").attributes == {"hetionet_id": "Gene::3586", "hetionet_kind": "Gene"}
    ev = g.edge("hetionet.Compound:DB00563", "hetionet:treats", "DOID:9074").evidence[0]
    assert (ev.source, ev.attributes) == ("hetionet", {"metaedge": "CtD"})
    assert "hetionet-v1.0-edges.sif" in ev.reference
    assert g.schema.predicates["hetionet:treats"].parent == "related_to"


def test_folder_and_compressed_tsv(tmp_path):
    for name, opener, suffix in (("plain", open, ""), ("gz", gzip.open, ".gz"), ("bz2", bz2.open, ".bz2")):
        (tmp_path / name).mkdir()
        write_tsv(tmp_path / name, opener=opener, suffix=suffix)
    graphs = [read_hetionet(tmp_path / name, reference="Hetionet v1.0") for name in ("plain", "gz", "bz2")]
    assert graphs[0] == graphs[1] == graphs[2] and len(graphs[0].edges()) == len(EDGES)


@pytest.mark.parametrize("opener,suffix", [(open, ""), (gzip.open, ".gz"), (bz2.open, ".bz2")])
def test_json_files(tmp_path, opener, suffix):
    path = tmp_path / f"hetionet.json{suffix}"
    with opener(path, "wt", encoding="utf-8") as fh:
        json.dump(hetnet_json(), fh)
    g = read_hetionet(path)
    ids, keys = expected_structure()
    assert {n.id for n in g} == ids and set(g.edge_map) == keys
    assert g.node("hetionet.Gene:3586").attributes["source"] == "test"
    ev = g.edge("DOID:9074", "hetionet:associates", "hetionet.Gene:3586").evidence[0]
    assert ev.attributes == {"direction": "both", "sources": '["x"]', "unbiased": "false"}


def test_shipped_metaedge_table_is_hetionets(shared):
    with open(shared / "data" / "hetionet-v1.0-metaedges.tsv", encoding="utf-8", newline="") as fh:
        rows = {r["abbreviation"]: r["metaedge"] for r in csv.DictReader(fh, delimiter="\t")}
    table = read_metaedges()
    assert set(table) == set(rows)
    sep = {"both": " - ", "forward": " > "}
    assert {a: sep[m.direction].join((m.source, m.verb, m.target)) for a, m in table.items()} == rows


# -- linking -------------------------------------------------------------------------------------------------

def test_link_against_the_real_node_list(shared, real_nodes):
    kg = sle_graph.load()
    links = link(kg, shared / "data" / "hetionet-v1.0-nodes.tsv")
    by_curie = {hid.split("::", 1)[1]: hid for hid in real_nodes}
    expected = {(n.id, c) for n in kg for c in n.mappings if c in by_curie}
    assert {(x.node, x.curie) for x in links} == expected
    assert ("sle", "DOID:9074") in expected
    for x in links:
        assert (x.hetionet_name, x.hetionet_kind) == real_nodes[x.hetionet_id]
        assert x.match == ("exact" if x.curie in kg.node(x.node).exact_mappings else "close")
    print("our nodes with a Hetionet counterpart:", sorted({x.node for x in links}))


def test_merge_lands_hetionet_nodes_on_ours(tmp_path):
    kg = sle_graph.load()
    het = read_hetionet(*write_tsv(tmp_path))
    merged = kg.merge(het)
    assert "DOID:9074" not in merged.node_map and "GO:0050728" not in merged.node_map
    assert merged.edge("hetionet.Compound:DB00563", "hetionet:treats", "sle")
    assert merged.edge("hetionet.Gene:3586", "hetionet:participates", "dampening_inflammation")
    assert kg == sle_graph.load()


# -- bad input -----------------------------------------------------------------------------------------------

def test_unknown_metaedge_and_kind_mismatch(tmp_path):
    edges = [("Compound::DB00563", "CtDD", "Disease::DOID:9074"), ("Gene::3586", "CtD", "Disease::DOID:9074"),
             ("Gene::1", "GiG", "Gene::3586")]
    with pytest.raises(ValidationError) as err:
        read_hetionet(*write_tsv(tmp_path, edges=edges))
    text = str(err.value)
    assert "hetionet-v1.0-edges.sif:2 (metaedge): unknown metaedge 'CtDD'; did you mean 'CtD'" in text
    assert "hetionet-v1.0-edges.sif:3 (source): 'Gene::3586' is a Gene, but the metaedge links Compound" in text
    assert "hetionet-v1.0-edges.sif:4 (source): no node 'Gene::1' in the node table" in text


def test_bad_node_rows(tmp_path):
    nodes = list(NODES) + [("Gene:3587", "IL10RA", "Gene"), ("Gene::x y", "bad", "Gene")]
    with pytest.raises(ValidationError) as err:
        read_hetionet(write_tsv(tmp_path, nodes=nodes)[0])
    assert "hetionet-v1.0-nodes.tsv:7 (id): id 'Gene:3587' does not start with its kind 'Gene'" in str(err.value)
    assert "malformed id 'hetionet.Gene:x y'" in str(err.value)


def test_malformed_json(tmp_path):
    path = tmp_path / "h.json"
    path.write_text('{"nodes": [\n  {"kind": "Gene",}\n]}', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"h.json:2 \(\d+\): malformed JSON"):
        read_hetionet(path)
    doc = hetnet_json()
    doc["nodes"][0]["name"] = 5
    doc["edges"][1]["source_id"] = "Disease::DOID:9074"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        read_hetionet(path)
    assert "nodes[0] (name): 'name' is missing or of the wrong type" in str(err.value)
    assert "edges[1] (source_id): 'source_id' is missing or of the wrong type" in str(err.value)


def test_node_ids():
    assert node_id("Disease", "DOID:9074") == "DOID:9074"
    assert node_id("Pharmacologic Class", "N0000000069") == "hetionet.PharmacologicClass:N0000000069"


def test_merged_hetionet_round_trips_through_kgx_and_turtle(tmp_path):
    merged = sle_graph.load().merge(read_hetionet(*write_tsv(tmp_path)))
    assert sle_graph.read_kgx(*merged.to_kgx(tmp_path / "kgx")) == merged
    back = sle_graph.read_rdf(merged.serialize())
    assert back == merged and back.schema == merged.schema
