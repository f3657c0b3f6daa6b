"""Fuzzing the loaders: whatever the input, the only exceptions are the library's own
(ValidationError / SleGraphError), and the graph being extended never changes.

A few thousand generated inputs in all: raw bytes and near-valid tables (TSV, CSV), YAML
documents, Python rows, KGX pairs and Hetionet TSV and JSON files.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import sle_graph
from sle_graph import SleGraphError, read_hetionet, read_kgx

SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)
FOLDER = Path(tempfile.mkdtemp(prefix="sle-fuzz-"))
KG = sle_graph.load()

# Pieces of real input, mixed with noise: the fuzzer reaches deep into the readers this way.
TOKENS = ["id", "kind", "label", "definition", "synonyms", "exact_mappings", "close_mappings", "subject",
          "predicate", "object", "source", "start", "end", "quote", "reference", "stance", "msc", "sle",
          "Mechanism", "Mechansim", "acts_through", "treats", "immunomodulation", "breaking-ground", "PMID:1",
          "CL:0000134", "MONDO:0007915", "biolink:Gene", "biolink:related_to", "category", "name",
          "primary_knowledge_source", "Gene::1", "Disease::DOID:9074", "CtD", "GiG", "metaedge", "target",
          "0", "12", "-1", "|", "\t", ",", "\n", "\r\n", '"', "'", " ", ":", "::", "\ufeff", "é", "\x00"]
TEXT = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=5)), max_size=40).map("".join)
NOISE = st.one_of(TEXT.map(lambda t: t.encode("utf-8")), st.binary(max_size=200),
                  TEXT.map(lambda t: t.encode("utf-8", errors="replace")).map(lambda b: b + b"\xe9\xff"))


def table(header: list[str], delimiter: str = "\t") -> st.SearchStrategy[bytes]:
    row = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), min_size=len(header) - 1,
                   max_size=len(header) + 1)
    return st.lists(row, max_size=5).map(
        lambda rows: (delimiter.join(header) + "\n" + "".join(delimiter.join(r) + "\n" for r in rows)).encode("utf-8",
                                                                                                             "replace"))


ENTITIES = ["id", "kind", "label", "definition", "exact_mappings"]
ASSERTIONS = ["subject", "predicate", "object", "source", "start", "end", "quote", "reference"]


def expect_own_errors(fn) -> None:
    try:
        fn()
    except SleGraphError:
        pass


def _write(name: str, data: bytes) -> Path:
    path = FOLDER / name
    path.write_bytes(data)
    return path


@settings(max_examples=600, **SETTINGS)
@given(st.one_of(NOISE, table(ENTITIES)), st.one_of(NOISE, table(ASSERTIONS)), st.sampled_from([".tsv", ".csv"]))
def test_tables(entities, assertions, suffix):
    folder = FOLDER / "tables"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    (folder / f"entities{suffix}").write_bytes(entities.replace(b"\t", b",") if suffix == ".csv" else entities)
    (folder / f"assertions{suffix}").write_bytes(assertions)
    expect_own_errors(lambda: KG.extend(folder))


LEAVES = st.one_of(st.sampled_from(TOKENS + [None, True, 3, -1, 2.5, ""]), st.integers(-2, 10**6))
YAML_VALUES = st.recursive(LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                           st.dictionaries(st.sampled_from(TOKENS), inner, max_size=4)),
                           max_leaves=8)
ITEMS = st.dictionaries(st.sampled_from(TOKENS), st.one_of(LEAVES, YAML_VALUES), max_size=8)


@settings(max_examples=400, **SETTINGS)
@given(st.one_of(TEXT, YAML_VALUES.map(lambda v: json.dumps({"entities": v, "assertions": v})),
                 st.dictionaries(st.sampled_from(["entities", "assertions", "x"]), st.lists(ITEMS, max_size=3),
                                 max_size=3).map(json.dumps)))
def test_yaml(text):
    path = _write("facts.yaml", text.encode("utf-8", errors="replace"))
    expect_own_errors(lambda: KG.extend(path))


@settings(max_examples=500, **SETTINGS)
@given(st.one_of(YAML_VALUES, st.lists(ITEMS, max_size=4)))
def test_python_rows(rows):
    expect_own_errors(lambda: KG.extend(rows))


@settings(max_examples=600, **SETTINGS)
@given(st.one_of(NOISE, table(["id", "category", "name"])),
       st.one_of(NOISE, table(["subject", "predicate", "object", "primary_knowledge_source"]),
                 table(["subject", "predicate", "object", "sle_predicate", "sle_evidence", "sle_start",
                        "primary_knowledge_source"])))
def test_kgx(nodes, edges):
    n, e = _write("nodes.tsv", nodes), _write("edges.tsv", edges)
    expect_own_errors(lambda: KG.merge(read_kgx(n, e)))


@settings(max_examples=400, **SETTINGS)
@given(st.one_of(NOISE, table(["id", "name", "kind"])), st.one_of(NOISE, table(["source", "metaedge", "target"])))
def test_hetionet_tsv(nodes, edges):
    n, e = _write("het-nodes.tsv", nodes), _write("het-edges.sif", edges)
    expect_own_errors(lambda: KG.merge(read_hetionet(n, e)))


@settings(max_examples=400, **SETTINGS)
@given(st.one_of(TEXT, st.dictionaries(st.sampled_from(["nodes", "edges", "kind_to_abbrev"]), st.lists(
    st.dictionaries(st.sampled_from(["kind", "identifier", "name", "data", "source_id", "target_id", "direction"]),
                    st.one_of(LEAVES, st.lists(LEAVES, max_size=3), st.dictionaries(st.sampled_from(TOKENS), LEAVES,
                                                                                     max_size=2)), max_size=7),
    max_size=4), max_size=3).map(json.dumps)))
def test_hetionet_json(text):
    path = _write("het.json", text.encode("utf-8", errors="replace"))
    expect_own_errors(lambda: KG.merge(read_hetionet(path)))


@pytest.mark.parametrize("name", ["facts.ttl", "facts.nt"])
@settings(max_examples=100, **SETTINGS)
@given(text=TEXT)
def test_rdf(name, text):
    path = _write(name, ("@prefix sle: <https://w3id.org/sle-graph/resource/> .\n" + text).encode("utf-8", "replace"))
    expect_own_errors(lambda: KG.extend(path))


def test_the_graph_never_changed():
    assert KG == sle_graph.load()
