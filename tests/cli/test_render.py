"""``sle-graph render``: files written and read back, user errors (exit 1), help."""

from __future__ import annotations

from pathlib import Path

import pytest

from sle_graph import KnowledgeGraph
from sle_graph.cli import main
from tests.draw.test_diagram import drawn_nodes, png_size, svg_parts


def test_whole_graph_to_svg(kg: KnowledgeGraph, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "graph.svg"
    assert main(["render", "-o", str(out)]) == 0
    assert str(out) in capsys.readouterr().err  # a status line
    assert set(svg_parts(out.read_text(encoding="utf-8"))["nodes"]) == drawn_nodes(kg)


def test_focus_and_hops(kg: KnowledgeGraph, tmp_path: Path) -> None:
    out = tmp_path / "msc.svg"
    assert main(["render", "-o", str(out), "--focus", "mesenchymal stem cell", "--hops", "2"]) == 0
    assert set(svg_parts(out.read_text(encoding="utf-8"))["nodes"]) == drawn_nodes(kg.neighbors("msc", hops=2))
    png = tmp_path / "msc.png"
    assert main(["render", "-o", str(png), "--focus", "CL:0000134"]) == 0  # a CURIE; one hop by default
    width, height = png_size(png.read_bytes())
    assert width > 100 and height > 50


def test_path_highlighted_and_alone(kg: KnowledgeGraph, tmp_path: Path) -> None:
    found = kg.paths("msc", "reduced disease activity", limit=2)
    on_path = {n.id for p in found for n in p.nodes}
    out = tmp_path / "path.svg"
    assert main(["render", "-o", str(out), "--path", "msc", "reduced disease activity", "--limit", "2"]) == 0
    parts = svg_parts(out.read_text(encoding="utf-8"))
    assert set(parts["nodes"]) == drawn_nodes(kg)
    assert {i for i, s in parts["nodes"].items() if s.stroke_width > 2} == on_path
    alone = tmp_path / "alone.svg"
    assert main(["render", "-o", str(alone), "--path", "msc", "reduced disease activity", "--limit", "2",
                 "--paths-only"]) == 0
    assert set(svg_parts(alone.read_text(encoding="utf-8"))["nodes"]) == on_path


def test_dot_and_pdf_to_stdout(kg: KnowledgeGraph, capsysbinary: pytest.CaptureFixture) -> None:
    assert main(["render", "-o", "-", "--format", "dot", "--focus", "HSCT"]) == 0
    assert capsysbinary.readouterr().out.decode("utf-8") == kg.neighbors("hsct", hops=1).render(format="dot")
    assert main(["render", "-o", "-", "--format", "pdf"]) == 0
    assert capsysbinary.readouterr().out.startswith(b"%PDF")


@pytest.mark.parametrize("argv, message", [
    (["--focus", "no such node"], "no node 'no such node'"),
    (["--hops", "2"], "--hops goes with --focus"),
    (["--paths-only"], "--paths-only goes with --path"),
    (["--path", "msc", "lupus", "--max-hops", "1"], "no path from 'mesenchymal stem cell' to 'lupus'"),
    (["--engine", "dott"], "unknown layout engine 'dott'"),
    (["--timeout", "0"], "--timeout must be positive"),
])
def test_user_errors_exit_1_with_a_message(argv: list[str], message: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "x.svg"
    assert main(["render", "-o", str(out), *argv]) == 1
    err = capsys.readouterr().err
    assert err.startswith("sle-graph render: error:") and message in err
    assert not out.exists()


def test_bad_suffix_and_stdout_without_format(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["render", "-o", str(tmp_path / "graph.txt")]) == 1
    assert "suffix '.txt'" in capsys.readouterr().err
    assert main(["render", "-o", "-"]) == 1
    assert "needs --format" in capsys.readouterr().err


def test_missing_graphviz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["render", "-o", str(tmp_path / "g.png")]) == 1
    assert "apt-get install graphviz" in capsys.readouterr().err
    assert main(["render", "-o", str(tmp_path / "g.dot")]) == 0  # DOT needs no Graphviz


def test_help(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as info:
        main(["render", "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for option in ("-o FILE", "--focus REF", "--hops N", "--path SOURCE TARGET", "sle-graph render -o graph.svg"):
        assert option in text


def test_explorer_page(kg: KnowledgeGraph, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from tests.draw.test_explore import page_json

    found = kg.paths("msc", "reduced disease activity", limit=2)
    out = tmp_path / "graph.html"
    assert main(["render", "-o", str(out), "--path", "msc", "reduced disease activity", "--limit", "2"]) == 0
    assert str(out) in capsys.readouterr().err  # a status line
    data = page_json(out.read_text(encoding="utf-8"))
    assert {d["id"] for d in data["nodes"]} == drawn_nodes(kg)
    assert {d["id"] for d in data["nodes"] if d["hl"]} == {n.id for p in found for n in p.nodes}
    assert out.read_text(encoding="utf-8") == kg.explore(highlight=found).html
    assert main(["render", "-o", "-", "--format", "html", "--focus", "msc"]) == 0
    assert page_json(capsys.readouterr().out)["nodes"] == page_json(kg.neighbors("msc", hops=1).explore().html)["nodes"]
