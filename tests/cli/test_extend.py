"""`sle-graph validate` on users' data files and `sle-graph merge`: outputs and exit codes 0/1/2."""

from __future__ import annotations

from pathlib import Path

import pytest

import sle_graph
from sle_graph import read_kgx
from sle_graph.cli import main

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "examples" / "user_facts"


def test_validate_good_tables(capsys):
    assert main(["validate", str(TEMPLATE / "entities.tsv"), str(TEMPLATE / "assertions.tsv")]) == 0
    out = capsys.readouterr().out
    assert out.count(": ok") == 2


def test_validate_bad_table_names_file_line_and_fix(tmp_path, capsys):
    bad = tmp_path / "assertions.tsv"
    bad.write_text("subject\tpredicate\tobject\tsource\treference\nmsc\tacts_thru\tb_cell_depletion\t\tPMID:1\n",
                   encoding="utf-8")
    assert main(["validate", str(TEMPLATE / "entities.tsv"), str(bad)]) == 1
    captured = capsys.readouterr()
    assert f"{bad}:2 (predicate): unknown predicate 'acts_thru'; did you mean 'acts_through'?" in captured.out
    assert captured.err.strip() == "sle-graph validate: error: 1 of 2 files failed validation"


def test_validate_yaml(capsys, tmp_path):
    assert main(["validate", str(TEMPLATE / "facts.yaml")]) == 0
    bad = tmp_path / "facts.yaml"
    bad.write_text("entities:\n  - id: x\n    kind: Mechansim\n    label: x\n    definition: An x.\n")
    assert main(["validate", str(bad)]) == 1
    assert f"{bad}:3 (kind): unknown kind 'Mechansim'" in capsys.readouterr().out


def test_merge_to_turtle_and_kgx(tmp_path, capsys):
    ttl = tmp_path / "mine.ttl"
    assert main(["merge", str(TEMPLATE), "-o", str(ttl)]) == 0
    expected = sle_graph.load().extend(TEMPLATE)
    assert sle_graph.read_rdf(ttl) == expected
    folder = tmp_path / "kgx"
    assert main(["merge", str(TEMPLATE / "facts.yaml"), "-o", str(folder)]) == 0
    assert read_kgx(folder / "nodes.tsv", folder / "edges.tsv") == expected
    assert "+1" in capsys.readouterr().err


def test_merge_kgx_and_hetionet_sources(tmp_path):
    kgx = tmp_path / "kgx"
    kgx.mkdir()
    (kgx / "nodes.tsv").write_text("id\tcategory\tname\nNCBIGene:3586\tbiolink:Gene\tIL10\n"
                                   "MONDO:0007915\tbiolink:Disease\tSLE\n", encoding="utf-8")
    (kgx / "edges.tsv").write_text("subject\tpredicate\tobject\tprimary_knowledge_source\n"
                                   "NCBIGene:3586\tbiolink:related_to\tMONDO:0007915\tinfores:x\n", encoding="utf-8")
    het = tmp_path / "het"
    het.mkdir()
    (het / "hetionet-v1.0-nodes.tsv").write_text("id\tname\tkind\nGene::3586\tIL10\tGene\n"
                                                 "Disease::DOID:9074\tsystemic lupus erythematosus\tDisease\n")
    (het / "hetionet-v1.0-edges.sif").write_text("source\tmetaedge\ttarget\nDisease::DOID:9074\tDaG\tGene::3586\n")
    out = tmp_path / "out"
    assert main(["merge", str(kgx), str(het), "-o", str(out)]) == 0
    g = read_kgx(out / "nodes.tsv", out / "edges.tsv")
    assert g.edge("NCBIGene:3586", "related_to", "sle") and g.edge("sle", "hetionet:associates", "hetionet.Gene:3586")


def test_merge_errors_are_one_line_with_exit_1(tmp_path, capsys):
    assert main(["merge", str(tmp_path / "missing"), "-o", str(tmp_path / "x.ttl")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("sle-graph merge: error:") and "missing" in err[0]
    bad = tmp_path / "facts.yaml"
    bad.write_text("entities: [{id: x, kind: Mechansim, label: x, definition: d}]\n")
    assert main(["merge", str(bad), "-o", str(tmp_path / "x.ttl")]) == 1
    assert "unknown kind 'Mechansim'" in capsys.readouterr().err
    assert not (tmp_path / "x.ttl").exists()


def test_merge_usage_error_exits_2():
    with pytest.raises(SystemExit) as exc:
        main(["merge"])
    assert exc.value.code == 2
