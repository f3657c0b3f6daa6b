"""`sle-graph export` and `sle-graph validate` on RDF: output, files, exit codes, help."""

from __future__ import annotations

import subprocess
import sys

import pytest

import sle_graph
from sle_graph.cli import main


def test_export_writes_canonical_turtle_to_stdout(capsysbinary, kg):
    assert main(["export"]) == 0
    out = capsysbinary.readouterr().out
    assert out == kg.serialize().encode("utf-8")


def test_export_to_a_file_guesses_the_format_from_the_suffix(tmp_path, capsys, kg):
    path = tmp_path / "sle.jsonld"
    assert main(["export", "-o", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == kg.serialize(format="json-ld")
    assert sle_graph.read_rdf(path) == kg
    err = capsys.readouterr().err
    assert f"wrote {path} (json-ld: {len(kg)} nodes" in err


def test_export_format_option(tmp_path, capsysbinary, kg):
    assert main(["export", "--format", "nt", "-o", "-"]) == 0
    assert capsysbinary.readouterr().out == kg.serialize(format="nt").encode()
    path = tmp_path / "sle.data"
    assert main(["export", "-f", "xml", "-o", str(path)]) == 0
    assert sle_graph.read_rdf(path, format="xml") == kg


def test_export_unknown_format_is_a_one_line_user_error(capsys):
    assert main(["export", "--format", "turtel"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("sle-graph export: error: unknown RDF format 'turtel'")
    assert "did you mean 'turtle'" in err


def test_validate_a_good_file(tmp_path, capsys, kg):
    path = tmp_path / "sle.ttl"
    kg.serialize(path)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.strip() == (f"{path}: ok ({len(kg)} nodes, {len(kg.edges())} edges, {kg.stats()['evidence']} "
                           "evidence records; conforms to the SHACL shapes)")


def test_validate_a_broken_file_lists_its_problems(tmp_path, capsys, kg):
    good, bad = tmp_path / "good.ttl", tmp_path / "bad.ttl"
    kg.serialize(good)
    cell = kg.nodes(kind="StemCell")[0].id
    text = good.read_text(encoding="utf-8").replace(f"sle:{cell} a sleo:StemCell ;", f"sle:{cell} a sleo:StemCel ;")
    bad.write_text(text, encoding="utf-8")
    assert main(["validate", "--no-shacl", str(good), str(bad)]) == 1
    captured = capsys.readouterr()
    assert f"{good}: ok" in captured.out
    assert f"{bad} <https://w3id.org/sle-graph/resource/{cell}> (kind): unknown kind 'StemCel'; did you mean " \
           "'StemCell'?" in captured.out
    assert captured.err.strip() == "sle-graph validate: error: 1 of 2 files failed validation"


def test_validate_malformed_turtle_names_the_line(tmp_path, capsys):
    path = tmp_path / "broken.ttl"
    path.write_text('@prefix sle: <https://w3id.org/sle-graph/resource/> .\nsle:a sle:b sle:c .\nsle:d sle:e "x .\n'
                    "sle:f sle:g sle:h .\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert f"{path}:3: malformed Turtle" in capsys.readouterr().out


@pytest.mark.parametrize("argv, needle", [
    (["validate", "no-such-file.ttl"], "no such file: 'no-such-file.ttl'"),
    (["export", "-o", "/no/such/dir/sle.ttl"], "No such file or directory"),
])
def test_user_errors_exit_1_with_one_line(argv, needle, capsys):
    assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and needle in err


@pytest.mark.parametrize("command", ["export", "validate"])
def test_help_has_an_example(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert f"usage: sle-graph {command}" in out and "example" in out


def test_console_script_exports(tmp_path):
    done = subprocess.run([sys.executable, "-m", "sle_graph.cli", "export", "--format", "nt"], capture_output=True)
    if done.returncode != 0 and b"No module named sle_graph.cli.__main__" in done.stderr:
        done = subprocess.run([sys.executable, "-c", "from sle_graph.cli import run; run()", "export", "--format",
                               "nt"], capture_output=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == sle_graph.load().serialize(format="nt").encode()
