"""``--graph FILE``: every command that queries or draws works on a graph file, such as the output
of ``sle-graph merge``; ``paths`` and ``match`` print tables, TSV and JSON (``--format``).

The oracle is the library reading the same file (:func:`sle_graph.read`), not the curated graph:
the merged graph has nodes and edges the curated one lacks, so a command that ignored ``--graph``
fails these tests.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

import sle_graph
from sle_graph.cli import main
from sle_graph.io.dataframes import PATH_COLUMNS, path_rows

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NEW = "b_cell_depletion"  # a node of the users' facts, not of the curated graph


@pytest.fixture(scope="module")
def mine(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("merged") / "mine.ttl"
    assert main(["merge", str(EXAMPLES / "user_facts"), "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def merged(mine) -> sle_graph.KnowledgeGraph:
    return sle_graph.read(mine)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_merged_graph_differs_from_the_curated_one(merged, kg):
    assert NEW in merged.node_map and NEW not in kg.node_map


def test_info_counts_the_file(capsys, mine, merged):
    code, out, _ = run(capsys, "info", "--graph", str(mine))
    s = merged.stats()
    assert code == 0 and f"graph     {s['nodes']} nodes, {s['edges']} edges" in out


def test_paths_on_the_file(capsys, mine, merged):
    code, out, _ = run(capsys, "paths", "cd19_car_t", NEW, "--graph", str(mine), "--format", "tsv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out), delimiter="\t"))
    expected = path_rows(merged.paths("cd19_car_t", NEW))
    assert rows[0] == list(PATH_COLUMNS) and len(rows) == len(expected) + 1 > 1
    assert rows[1:] == [[str(c) for c in r] for r in expected]


def test_paths_json_and_table(capsys, mine, merged):
    found = merged.paths(NEW, "reduced disease activity", max_hops=3, direction="any")
    assert found
    code, out, _ = run(capsys, "paths", NEW, "reduced disease activity", "--max-hops", "3", "--any-direction",
                       "--graph", str(mine), "--format", "json")
    records = json.loads(out)
    assert code == 0 and [r["nodes"] for r in records] == [[n.id for n in p.nodes] for p in found]
    assert [r["text"] for r in records] == [str(p) for p in found]
    code, out, _ = run(capsys, "paths", NEW, "reduced disease activity", "--max-hops", "3", "--any-direction",
                       "--graph", str(mine), "--format", "table")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:2] == ["rank", "hops"] and set(lines[1]) <= {"-", " "}
    assert [line.split(None, 4)[-1] for line in lines[2:]] == [str(p) for p in found]


def test_match_on_the_file(capsys, mine, merged):
    pattern = "Therapy -[acts_through]-> Mechanism"
    code, out, _ = run(capsys, "match", pattern, "--graph", str(mine), "--count")
    assert code == 0 and int(out) == merged.count(pattern) != sle_graph.load().count(pattern)
    code, out, _ = run(capsys, "match", pattern, "--graph", str(mine), "--format", "json")
    assert [r["text"] for r in json.loads(out)] == [str(p) for p in merged.match(pattern)]


def test_empty_results_in_each_format(capsys):
    for fmt, expected in [("json", "[]\n"), ("tsv", "\t".join(PATH_COLUMNS) + "\n"), ("table", ""), ("text", "")]:
        code, out, err = run(capsys, "paths", "lupus", "msc", "--max-hops", "1", "--format", fmt)
        assert code == 0 and out == expected
        assert ("no path" in err) == (fmt in ("table", "text"))


def test_sparql_on_the_file(capsys, mine, merged):
    query = f"SELECT ?label WHERE {{ sle:{NEW} rdfs:label ?label }}"
    code, out, _ = run(capsys, "sparql", query, "--graph", str(mine), "--format", "tsv")
    assert code == 0 and out.splitlines() == ["label", merged.node(NEW).label]
    code, out, _ = run(capsys, "sparql", query, "--format", "tsv")
    assert code == 0 and merged.node(NEW).label not in out


def test_export_the_file(capsysbinary, mine, merged):
    assert main(["export", "--graph", str(mine), "--format", "nt"]) == 0
    out = capsysbinary.readouterr().out
    assert isomorphic(rdflib.Graph().parse(data=out, format="nt"), merged.to_rdf())


def test_render_the_file(capsysbinary, mine, merged):
    assert main(["render", "--graph", str(mine), "--focus", NEW, "-o", "-", "--format", "dot"]) == 0
    assert capsysbinary.readouterr().out.decode("utf-8") == merged.neighbors(NEW, hops=1).render(format="dot")


def test_validate_checks_facts_against_the_file(capsys, mine, tmp_path):
    """Facts that use a node of the merged graph only: refused against the curated graph, ok
    against ``--graph``; an RDF file beside them is checked on its own either way."""
    more = tmp_path / "assertions.tsv"
    more.write_text("subject\tpredicate\tobject\tsource\treference\n"
                    f"msc\tacts_through\t{NEW}\t\tPMID:12345678\n", encoding="utf-8")
    code, out, err = run(capsys, "validate", str(more))
    assert code == 1 and f"{more}: 1 problem" in out and NEW in out and "failed validation" in err
    code, out, _ = run(capsys, "validate", "--graph", str(mine), str(more), str(mine), "--no-shacl")
    assert code == 0 and out.splitlines()[0] == f"{more}: ok" and out.splitlines()[1].startswith(f"{mine}: ok (")
    code, out, err = run(capsys, "validate", "--graph", str(tmp_path / "missing.ttl"), str(more))
    assert code == 1 and out == "" and "--graph" in err and "missing.ttl: no such file or folder" in err


@pytest.mark.parametrize("argv, needle", [
    (["info", "--graph", "{tmp}/missing.ttl"], "--graph {tmp}/missing.ttl: no such file or folder"),
    (["paths", "msc", "lupus", "--graph", "{tmp}/notes.md"], "notes.md"),
    (["validate", "--graph", "{tmp}/notes.md", "{tmp}/notes.md"], "notes.md"),
])
def test_a_bad_graph_file_is_one_line(argv, needle, tmp_path, capsys):
    (tmp_path / "notes.md").write_text("# not a graph\n", encoding="utf-8")
    code, out, err = run(capsys, *[a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert code == 1 and out == "" and needle.replace("{tmp}", str(tmp_path)) in err
    assert err.startswith(f"sle-graph {argv[0]}: error: ") and "Traceback" not in err
