"""``sle-graph paths`` and ``sle-graph match`` on the command line."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from sle_graph.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def numbered(out: str) -> list[str]:
    """The first line of each printed path ("#1 a -[p]-> b" -> "a -[p]-> b")."""
    return [m.group(1) for m in re.finditer(r"^#\d+ (.*)$", out, re.M)]


def test_paths_prints_ranked_explained_paths(capsys, kg):
    code, out, err = run(capsys, "paths", "mesenchymal stem cell", "reduced disease activity")
    assert code == 0 and err == ""
    expected = kg.paths("msc", "reduced_disease_activity")
    assert numbered(out) == [str(p) for p in expected]
    for p in expected:
        for e in p.edges:
            for ev in e.evidence:
                if ev.kind == "quote":
                    # wrapped lines: compare words (test_curated checks the quotes against the texts)
                    assert " ".join(ev.quote.split()) in " ".join(out.split())


def test_paths_options_reach_the_search(capsys, kg):
    code, out, _ = run(capsys, "paths", "hsct", "reduced disease activity", "--max-hops", "3",
                       "--via", "Mechanism", "--limit", "2")
    assert code == 0
    assert numbered(out) == [str(p) for p in kg.paths("hsct", "reduced_disease_activity", max_hops=3,
                                                      via="Mechanism", limit=2)]
    code, out, _ = run(capsys, "paths", "msc", "lupus", "--any-direction", "--predicate", "uses", "treats")
    assert code == 0
    assert numbered(out) == [str(p) for p in kg.paths("msc", "lupus", direction="any",
                                                      predicates=["uses", "treats"])]
    assert "<-[uses]-" in out


def test_paths_none_found(capsys):
    code, out, err = run(capsys, "paths", "lupus", "msc", "--max-hops", "2")
    assert code == 0 and out == "" and err.strip() == "no path from 'lupus' to 'mesenchymal stem cell' within 2 hops"


@pytest.mark.parametrize("argv, needle", [
    (["paths", "mesenchymal stem cels", "lupus"], "closest: 'mesenchymal stem cell'"),
    (["paths", "msc", "lupus", "--max-hops", "11"], "at most 10 hops"),
    (["paths", "msc", "lupus", "--predicate", "treat"], "did you mean 'treats'"),
    (["match", "'mesenchymal stem cels' -> Mechanism"], "closest: 'mesenchymal stem cell'"),
])
def test_user_errors_exit_1_with_one_line(capsys, argv, needle):
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err


def test_malformed_pattern_shows_the_column(capsys):
    code, _, err = run(capsys, "match", "Cell -> -> Outcome")
    assert code == 1
    lines = err.rstrip("\n").splitlines()
    assert "at column 9" in lines[0] and lines[-1] == "  " + " " * 8 + "^"


def test_match_and_count(capsys, kg):
    pattern = "Therapy -[faces_challenge]-> Challenge"
    code, out, _ = run(capsys, "match", pattern, "--count")
    assert code == 0 and int(out) == kg.count(pattern) == len(kg.match(pattern))
    code, out, _ = run(capsys, "match", pattern, "--limit", "3")
    assert code == 0 and numbered(out) == [str(p) for p in kg.match(pattern, limit=3)]
    code, out, err = run(capsys, "match", "Mechanism -[treats]-> Disease")
    assert code == 0 and out == "" and err.startswith("no path fits")


@pytest.mark.parametrize("command", ["paths", "match"])
def test_help_has_an_example(capsys, command):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert f"sle-graph {command} " in out.split("examples:")[1]


def test_console_script_entry_point():
    done = subprocess.run([sys.executable, "-c", "from sle_graph.cli import run; run()", "paths", "AHSCT",
                           "reduced steroid dependence"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("#1 autologous hematopoietic stem cell transplantation")
    assert "reduced steroid dependence" in done.stdout.splitlines()[0]


@pytest.mark.parametrize("argv", [["match", "* -> * -> *"], ["paths", "msc", "reduced disease activity"]])
def test_budget_options_reach_the_query(capsys, kg, argv):
    code, out, err = run(capsys, *argv, "--max-results", "2", "--format", "tsv")
    assert code == 1 and re.search(r"stopped: (its search would hold )?more than max_results=2 ", err) and not out
    code, out, err = run(capsys, *argv, "--timeout", "1e-9")
    assert code == 1 and "stopped after its timeout=1e-09 seconds" in err
    code, out, err = run(capsys, *argv, "--max-results", "none", "--timeout", "none", "--format", "tsv")
    query = kg.match(argv[1], max_results=None) if argv[0] == "match" else kg.paths(*argv[1:], max_results=None)
    assert code == 0 and len(out.splitlines()) == len(query) + 1  # the header, a row per path
