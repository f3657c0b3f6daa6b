"""`sle-graph export` for other tools: GraphML, GEXF (file or stdout), triples (a folder, filtered)."""

from __future__ import annotations

import networkx as nx
import pytest

from sle_graph.cli import main


@pytest.mark.parametrize("name, read", [("sle.graphml", nx.read_graphml), ("sle.gexf", nx.read_gexf)])
def test_suffix_picks_graphml_or_gexf(tmp_path, capsys, kg, name, read):
    assert main(["export", "-o", str(tmp_path / name)]) == 0
    g = read(tmp_path / name)
    assert g.number_of_nodes() == len(kg) and g.number_of_edges() == len(kg.edges())
    assert "wrote" in capsys.readouterr().err


def test_graphml_to_stdout_equals_the_file(tmp_path, capsysbinary, kg):
    assert main(["export", "--format", "graphml"]) == 0
    kg.to_graphml(tmp_path / "g.graphml")
    assert capsysbinary.readouterr().out == (tmp_path / "g.graphml").read_bytes()


def test_triples_folder_with_filters(tmp_path, capsys, kg):
    out = tmp_path / "t"
    assert main(["export", "--format", "triples", "--status", "supported", "--status", "contested",
                 "-o", str(out)]) == 0
    lines = (out / "triples.tsv").read_text(encoding="utf-8").splitlines()
    assert sorted(tuple(line.split("\t")) for line in lines) == kg.to_triples(status=["supported", "contested"])
    assert f"{len(lines)} of {len(kg.edges())} edges" in capsys.readouterr().err


def test_triples_by_modality(tmp_path, kg):
    out = tmp_path / "t"
    assert main(["export", "--format", "triples", "--modality", "possible", "--modality", "potential",
                 "-o", str(out)]) == 0
    lines = (out / "triples.tsv").read_text(encoding="utf-8").splitlines()
    expected = sorted(e.key for e in kg.edges() if {ev.modality for ev in e.evidence} & {"possible", "potential"})
    assert expected and sorted(tuple(line.split("\t")) for line in lines) == expected


@pytest.mark.parametrize("argv, message", [
    (["export", "--format", "triples"], "name a folder with -o"),
    (["export", "--format", "neo4j"], "name a folder with -o"),
    (["export", "--grade", "case series"], "add --format triples"),
    (["export", "--format", "triples", "--status", "maybe", "-o", "{tmp}/t"], "unknown status 'maybe'"),
    (["export", "--format", "triples", "--modality", "maybe", "-o", "{tmp}/t"], "unknown modality 'maybe'"),
    (["export", "--modality", "possible"], "add --format triples"),
    (["export", "--format", "graphm"], "did you mean 'graphml'"),
])
def test_errors_are_one_line(tmp_path, capsys, argv, message):
    assert main([a.replace("{tmp}", str(tmp_path)) for a in argv]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "t").exists() or not any((tmp_path / "t").iterdir())


def test_neo4j_folder(tmp_path, capsys, kg):
    assert main(["export", "--format", "neo4j", "-o", str(tmp_path / "n")]) == 0
    lines = (tmp_path / "n" / "relationships.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith(":START_ID,:END_ID,:TYPE") and len(lines) == 1 + len(kg.edges())
    assert "nodes.csv, relationships.csv" in capsys.readouterr().err
