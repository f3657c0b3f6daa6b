"""The benchmark infrastructure: the Hetionet-shaped generator and the harness (fast smoke tests).

The expected shape is read here from the Hetionet metagraph files independently of the generator:
the copies shipped in ``benchmarks/data``, which a test compares with those of ``../shared/data``.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # the benchmarks package lives beside src/, not inside it
    sys.path.insert(0, str(REPO))

from benchmarks import generate as gen  # noqa: E402
from benchmarks import hetionet_schema as hs  # noqa: E402
from benchmarks.hetionet_schema import hetionet_schema  # noqa: E402

METAGRAPH = ("hetionet-v1.0-metaedges.tsv", "hetionet-v1.0-metanodes.tsv")


@pytest.fixture(scope="module")
def metaedge_table() -> dict[tuple[str, str, str], int]:
    """(subject kind, verb, object kind) -> edges in Hetionet, parsed from the TSV here."""
    table = {}
    with open(REPO / "benchmarks" / "data" / METAGRAPH[0], encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            subject, verb, obj = re.split(r" [->] ", row["metaedge"])
            table[(subject.replace(" ", ""), verb, obj.replace(" ", ""))] = int(row["edges"])
    return table


@pytest.mark.parametrize("name", METAGRAPH)
def test_shipped_metagraph_files_are_hetionets(shared, name):
    assert (REPO / "benchmarks" / "data" / name).read_bytes() == (shared / "data" / name).read_bytes()


def test_labels_are_real_names_with_the_node_list_and_numbered_without(shared, tmp_path, monkeypatch):
    real = gen.generate(1_000, seed=3, evidence=False)
    monkeypatch.setenv("SLE_GRAPH_SHARED", str(tmp_path))
    gen._hetionet_names.cache_clear()
    try:
        assert hs.node_list() is None
        numbered = gen.generate(1_000, seed=3, evidence=False)
    finally:
        gen._hetionet_names.cache_clear()
    names = {row.split("\t")[1] for row in (shared / "data" / "hetionet-v1.0-nodes.tsv").read_text("utf-8").splitlines()}
    assert {n.label for n in real.nodes(kind="Gene")} <= names
    assert all(re.fullmatch(r"Gene \d+", n.label) for n in numbered.nodes(kind="Gene"))
    # The same graph but for its labels: the names drew the same numbers from the random stream.
    assert [(e.subject, e.predicate, e.object) for e in real.edges()] == \
        [(e.subject, e.predicate, e.object) for e in numbered.edges()]
    assert [n.id for n in real.nodes()] == [n.id for n in numbered.nodes()]
    assert [n.label for n in real.nodes()] != [n.label for n in numbered.nodes()]


def _typed_triples(kg) -> list[tuple[str, str, str]]:
    kinds = {n.id: n.kind for n in kg.nodes()}
    return [(kinds[e.subject], e.predicate, kinds[e.object]) for e in kg.edges()]


def test_same_seed_same_graph_other_seed_other_graph():
    a, b, c = gen.generate(3_000, seed=5), gen.generate(3_000, seed=5), gen.generate(3_000, seed=6)
    assert a == b
    assert [e.evidence for e in a.edges()] == [e.evidence for e in b.edges()]
    assert set(a.edge_map) != set(c.edge_map)


def test_edges_follow_hetionet_metaedges_and_pass_full_validation(metaedge_table):
    kg = gen.generate(4_000, seed=2, validate=True)  # the public constructor checks every record
    typed = Counter(_typed_triples(kg))
    assert set(typed) <= set(metaedge_table)
    assert len(typed) == len(metaedge_table)  # at 4k edges every metaedge is present


def test_metaedge_proportions_match_hetionet(metaedge_table):
    n = 100_000
    lay = gen.layout(n, seed=0)
    got = Counter()
    for b in lay.blocks:
        got[(b.metaedge.subject, b.metaedge.predicate, b.metaedge.object)] += len(b.subjects)
    total = sum(metaedge_table.values())
    for key, real in metaedge_table.items():
        assert abs(got[key] - real * n / total) <= 1, key


def test_degrees_are_heavy_tailed():
    kg = gen.generate(50_000, seed=0, evidence=False)
    degree = Counter(e.subject for e in kg.edges()) + Counter(e.object for e in kg.edges())
    genes = sorted((degree[n.id] for n in kg.nodes(kind="Gene")), reverse=True)
    mean = sum(genes) / len(genes)
    assert genes[0] > 8 * mean
    assert sum(genes[: len(genes) // 10]) > 0.3 * sum(genes)  # the top tenth holds a large share


@settings(max_examples=25, deadline=None)
@given(n=st.integers(min_value=0, max_value=6_000), seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_exact_edge_count_no_self_loops_no_reversed_duplicates(n, seed):
    lay = gen.layout(n, seed=seed)
    seen = set()
    for s, p, o in gen.triples(lay):
        assert s != o
        assert (s, p, o) not in seen
        seen.add((s, p, o))
    assert len(seen) == n
    undirected_same_kind = {(b.metaedge.predicate, b.metaedge.subject) for b in lay.blocks
                            if b.metaedge.subject == b.metaedge.object and not b.metaedge.directed}
    kind_of_prefix = {gen._prefix(k): k for k in lay.node_counts}
    for s, p, o in seen:
        if (p, kind_of_prefix[s.rsplit("_", 1)[0]]) in undirected_same_kind:
            assert (o, p, s) not in seen


def test_evidence_offsets_tile_each_document_without_overlap():
    kg = gen.generate(5_000, seed=4)
    spans: dict[str, list[tuple[int, int]]] = {}
    for e in kg.edges():
        (ev,) = e.evidence
        assert kg.node(ev.source).kind == "SourceDocument"
        assert ev.end - ev.start == len(ev.quote)
        spans.setdefault(ev.source, []).append((ev.start, ev.end))
    for doc, pairs in spans.items():
        pairs.sort()
        assert all(a_end < b_start for (_, a_end), (b_start, _) in zip(pairs, pairs[1:])), doc


def test_generate_files_match_the_generated_graph(tmp_path):
    nodes_path, edges_path = gen.generate_files(2_500, tmp_path, seed=9)
    kg = gen.generate(2_500, seed=9, evidence=False)
    with open(nodes_path, encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    with open(edges_path, encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert {r["id"]: r["name"] for r in nodes} == {n.id: n.label for n in kg.nodes()}
    assert {(r["subject"], r["original_predicate"], r["object"]) for r in edges} == set(kg.edge_map)
    assert len(edges) == 2_500
    assert {r["primary_knowledge_source"] for r in edges} <= {n.id for n in kg.nodes(kind="SourceDocument")}


def test_schema_mappings_are_vetted_curies(ontology_ids):
    vetted = {row["curie"] for row in ontology_ids}
    s = hetionet_schema()
    used = {c for t in (*s.kinds.values(), *s.predicates.values()) for c in t.exact_mappings + t.close_mappings}
    assert used and used <= vetted


def test_harness_quick_run_writes_a_table_and_keeps_other_topics(tmp_path):
    out = tmp_path / "latest.md"
    kept = {"topic": "zz_other", "operation": "kept from an earlier run", "size": 10, "tool": "t",
            "baseline": False, "seconds": 1.0, "note": ""}
    (tmp_path / "latest.json").write_text(json.dumps({"rows": [kept]}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--sizes", "300", "--only", "load",
                           "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "| operation |" in text and "rdflib" in text
    assert re.search(r"CPU: \S", text) and "Python " in text
    labels = "real Hetionet names" if hs.node_list() else "numbered (no Hetionet node list)"
    assert f"Generated graphs' node labels: {labels}." in text
    assert "kept from an earlier run" in text and text.index("### load") < text.index("### zz_other")
    rows = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))["rows"]
    assert {r["topic"] for r in rows} == {"load", "zz_other"}
    load_rows = [r for r in rows if r["topic"] == "load"]
    timed = [r for r in load_rows if r["seconds"] is not None]
    assert len(timed) >= 5 and all(r["seconds"] > 0 and r["peak_mb"] > 0 for r in timed)
    assert [r["size"] for r in load_rows if r["operation"] == "generate"] == [300]


def test_benchmark_doctests():
    import doctest

    from benchmarks import hetionet_schema as hs, measure

    for module in (gen, hs, measure):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_isolated_peak_memory_is_the_steps_own_not_the_parents():
    from benchmarks.measure import isolated

    held = bytearray(400 * 2**20)  # this process (the harness) holds 400 MiB when it starts the child
    for i in range(0, len(held), 4096):
        held[i] = 1
    timing = isolated("benchmarks.measure:setup_allocate", 100, repeats=1)
    assert timing.value == 100 * 2**20
    assert 90 <= timing.step_mb < 150, timing  # what the step added
    assert timing.peak_mb < 300, timing  # a fresh interpreter plus the step: not the parent's 400 MiB
    del held


def test_isolated_peak_memory_counts_the_processes_the_step_starts():
    from benchmarks.measure import isolated

    timing = isolated("benchmarks.measure:setup_allocate_in_child", 250, repeats=1)
    assert timing.peak_mb >= 250, timing  # the parse workers of read_rdf are such processes
