"""The ``sle-graph`` command line as a whole: every subcommand's contract.

For each subcommand: a success case checked against the library or an independent reader, a
user error (unknown node, bad file, ...) giving exit code 1 and one clear line on stderr, and
``--help`` exiting 0 with examples that the parser itself accepts. Usage errors exit 2; progress
shows on a terminal only; ``--debug`` shows the traceback. The deeper tests of each command live
beside its module (cli/test_paths, cli/test_render, cli/test_rdf, endpoint/test_endpoint).
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import rdflib
import sle_graph
from rdflib.compare import isomorphic

from tests.endpoint.oxigraph_server import oxigraph  # noqa: F401 (fixture)
from sle_graph.cli import COMMANDS, build_parser, main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TEST_GRAPH = "urn:sle-graph:test:cli"


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def columns(separator: str) -> list[tuple[int, int]]:
    """Column spans of an aligned table, read off its ``----  ---`` line."""
    return [m.span() for m in re.finditer(r"-+", separator)]


def table_rows(text: str) -> list[list[str]]:
    """The cells of the first aligned table in ``text``; fails unless every row fits the columns."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line and set(line) <= {"-", " "})
    spans = columns(lines[at])
    rows = []
    for line in [lines[at - 1]] + lines[at + 1:]:
        if not line.strip():
            break
        for (_, end), (start, _) in zip(spans, spans[1:]):  # the gutters are blank
            assert line[end:start].strip() == "", f"misaligned row: {line!r}"
        assert len(line) <= spans[-1][1], f"row longer than the table: {line!r}"
        rows.append([line[s:e].strip() for s, e in spans])
    return rows


# -- success, one per subcommand ------------------------------------------------------------------

def test_info_counts_in_aligned_tables(capsys, kg):
    code, out, err = run(capsys, "info")
    assert code == 0 and err == ""
    import sle_graph

    assert out.startswith(f"sle_graph {sle_graph.__version__}\nontology  {kg.schema.iri}")
    kinds = table_rows(out)
    assert kinds[0] == ["kind", "nodes"]
    assert {k: int(n) for k, n in kinds[1:]} == {k: sum(1 for n in kg if n.kind == k) for k in {n.kind for n in kg}}
    predicates = table_rows(out[out.index("\npredicate"):])
    assert {p: int(n) for p, n in predicates[1:]} == {p: len(kg.edges(predicate=p)) for p in {e.predicate for e in kg.edges()}}


def test_export_stdout_is_the_graph(capsysbinary, kg):
    assert main(["export", "--format", "nt"]) == 0
    out = capsysbinary.readouterr().out
    assert isomorphic(rdflib.Graph().parse(data=out, format="nt"), kg.to_rdf())


def test_validate_an_exported_file(tmp_path, capsys, kg):
    kg.serialize(tmp_path / "sle.ttl")
    code, out, err = run(capsys, "validate", str(tmp_path / "sle.ttl"), "--no-shacl")
    assert code == 0 and err == ""
    assert out.strip() == f"{tmp_path / 'sle.ttl'}: ok ({len(kg)} nodes, {len(kg.edges())} edges, " \
                          f"{sum(len(e.evidence) for e in kg.edges())} evidence records)"


def test_paths_prints_the_best_path_first(capsys, kg):
    code, out, _ = run(capsys, "paths", "MSC", "reduced disease activity", "--limit", "1")
    assert code == 0
    best = kg.paths("msc", "reduced_disease_activity", limit=1)[0]
    assert out.startswith(f"#1 {best}\n") and best.explain() in out


def test_match_count_equals_the_edges(capsys, kg):
    code, out, _ = run(capsys, "match", "Therapy -[treats]-> Disease", "--count")
    therapies = {n.id for n in kg.nodes(kind="Therapy")}
    assert code == 0 and int(out) == sum(1 for e in kg.edges(predicate="treats") if e.subject in therapies) > 0


def test_render_writes_an_svg_of_the_neighbourhood(tmp_path, capsys, kg):
    code, _, out = run(capsys, "render", "-o", str(tmp_path / "msc.svg"), "--focus", "CL:0000134")
    assert code == 0 and "msc.svg" in out
    ids = {g.get("id") for g in ET.parse(tmp_path / "msc.svg").iter("{http://www.w3.org/2000/svg}g")}
    assert "node:msc" in ids and {f"node:{e.object}" for e in kg.edges("msc", "acts_through")} <= ids


def test_sparql_select_prints_an_aligned_table(capsys, kg):
    code, out, _ = run(capsys, "sparql", "SELECT ?label WHERE { ?n a sleo:StemCell ; rdfs:label ?label }")
    assert code == 0
    rows = table_rows(out)
    assert rows[0] == ["label"] and sorted(r[0] for r in rows[1:]) == sorted(n.label for n in kg.nodes(kind="StemCell"))


def test_merge_users_facts(tmp_path, capsys, kg):
    code, _, err = run(capsys, "merge", str(EXAMPLES / "user_facts"), "-o", str(tmp_path / "mine.ttl"))
    assert code == 0 and "mine.ttl" in err
    import sle_graph

    merged = sle_graph.read_rdf(tmp_path / "mine.ttl")
    assert set(kg.node_map) < set(merged.node_map) and set(kg.edge_map) < set(merged.edge_map)


def test_push_then_query_the_server(oxigraph, capsys, kg):  # noqa: F811
    code, out, err = run(capsys, "push", oxigraph.url, "--graph", TEST_GRAPH)
    assert code == 0 and out == "" and err.strip()
    query = "SELECT ?label WHERE { ?n a <https://w3id.org/sle-graph/ontology/StemCell> ; " \
            "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    code, out, _ = run(capsys, "sparql", query, "--endpoint", oxigraph.url, "--graph", TEST_GRAPH, "--format", "tsv")
    assert code == 0
    assert sorted(out.splitlines()[1:]) == sorted(n.label for n in kg.nodes(kind="StemCell"))


# -- user errors: exit 1, one line, no traceback ----------------------------------------------------

USER_ERRORS = [
    (["export", "--format", "bogus"], "unknown RDF format 'bogus'"),
    (["export", "-o", "{tmp}/missing/dir/sle.ttl"], "No such file or directory"),
    (["validate", "{tmp}/missing.ttl"], "no such file"),
    (["validate", "{tmp}/notes.md"], "unknown file type '.md'"),
    (["paths", "mesenchymal stem cels", "lupus"], "closest: 'mesenchymal stem cell' (msc)"),
    (["match", "'mesenchymal stem cels' -> Mechanism"], "closest: 'mesenchymal stem cell' (msc)"),
    (["render", "-o", "{tmp}/x.svg", "--focus", "mesenchymal stem cels"], "closest: 'mesenchymal stem cell' (msc)"),
    (["sparql", "SELECT ?x WHERE { ?x a nope:Thing }"], "unknown prefix 'nope'"),
    (["sparql", "@{tmp}/missing.rq"], "cannot read the query file"),
    (["sparql", "DELETE WHERE { ?s ?p ?o }"], "SPARQL updates are not supported: the query starts with DELETE"),
    (["merge", "{tmp}/missing", "-o", "{tmp}/out.ttl"], "no such file or folder"),
    (["push", "http://127.0.0.1:9", "--user", "ana", "--password-env", "SLE_GRAPH_TEST_UNSET"], "is not set"),
]


@pytest.mark.parametrize("argv, needle", USER_ERRORS, ids=[" ".join(a[:2]) for a, _ in USER_ERRORS])
def test_user_error_is_one_line_and_exit_1(argv, needle, tmp_path, capsys):
    (tmp_path / "notes.md").write_text("# not RDF\n", encoding="utf-8")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 1
    assert err.count("\n") == 1 and err.startswith(f"sle-graph {argv[0]}: error: "), err
    assert needle in err and "Traceback" not in err


@pytest.mark.parametrize("query", [
    "SELEC ?x WHERE { ?x ?p ?o }",
    "SELECT ?x\nWHERE { ?x rdfs:label ?l\n\tFILTER(regex(?l, 'a') && ) }",
    "SELECT ?x WHERE { ?x rdfs:label ?l . " + "?x rdfs:label ?l . " * 20 + "FILTER(?l = ) }",
])
def test_a_bad_sparql_query_shows_its_line_and_a_caret(query, capsys, kg):
    """The error line, then the query's line (cut to the terminal's width around the column)
    and a caret under the token the Python error points at."""
    with pytest.raises(sle_graph.SparqlError) as raised:
        kg.sparql(query)
    exc = raised.value
    code, out, err = run(capsys, "sparql", query)
    first, shown, caret = err.splitlines()
    assert code == 1 and out == "" and first == f"sle-graph sparql: error: {exc.reason}"
    assert first.startswith("sle-graph sparql: error: bad SPARQL query at line ")
    at = caret.index("^")
    assert caret.strip() == "^" and at < len(shown) <= max(40, shutil.get_terminal_size().columns)
    token = exc.text.replace("\t", " ")[exc.column - 1:]
    assert token.startswith(shown[at:].removesuffix("...")[:3]) and shown[at:].strip()


def test_every_command_has_a_user_error_case():
    assert {a[0] for a, _ in USER_ERRORS} == set(COMMANDS) - {"info"}  # info reads no input


def test_debug_shows_the_traceback(capsys):
    code, _, err = run(capsys, "--debug", "paths", "nowhere", "lupus")
    assert code == 1 and "Traceback (most recent call last)" in err and "no node 'nowhere'" in err


def test_a_broken_file_lists_its_problems_then_fails(tmp_path, capsys):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix sle: <https://w3id.org/sle-graph/resource/> .\nsle:x a <urn:NoKind> .\n", encoding="utf-8")
    code, out, err = run(capsys, "validate", str(bad))
    assert code == 1 and out.startswith(f"{bad}: ") and "problem" in out
    assert err == "sle-graph validate: error: 1 of 1 file failed validation\n"


# -- usage errors, help ---------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [[], ["bogus"], ["info", "--bogus"], ["paths", "msc"], ["render"],
                                  ["render", "-o", "x.svg", "--format", "gif"], ["match"]])
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2 and "usage: sle-graph" in capsys.readouterr().err


def _examples(help_text: str) -> list[list[str]]:
    """The ``sle-graph ...`` commands of a help text's examples, as argument lists."""
    found = []
    for line in help_text[help_text.index("example"):].splitlines():
        for part in re.split(r"\s+\|\s+|\s+&&\s+|\s{3,}\(", line):
            part = part.strip()
            part = part[part.index("sle-graph"):] if "sle-graph " in part else ""
            if part:
                found.append(shlex.split(part)[1:])
    return found


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_examples_the_parser_accepts(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    examples = _examples(text)
    assert any(argv[0] == command for argv in examples), text
    assert not re.search(r"``|:(?:meth|func|mod|class|attr):`", text), text  # plain text, not Sphinx markup
    for argv in examples:
        build_parser().parse_args(argv)  # SystemExit(2) if an example is not valid


def test_top_level_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    text = capsys.readouterr().out
    assert exit_.value.code == 0 and all(f"    {c}" in text for c in COMMANDS)


# -- progress: on a terminal only -----------------------------------------------------------------

@pytest.mark.parametrize("argv, shows", [
    (["validate", "{tmp}/sle.ttl", "--no-shacl"], "\rchecking {tmp}/sle.ttl (1 of 1)..."),
    (["render", "-o", "{tmp}/g.dot", "--focus", "msc"], "\rdrawing the neighbourhood of 'mesenchymal stem cell'..."),
    (["merge", str(EXAMPLES / "user_facts"), "-o", "{tmp}/m.ttl"], "\rwriting {tmp}/m.ttl..."),
])
def test_progress_on_a_terminal_only(argv, shows, tmp_path, capsys, monkeypatch, kg):
    kg.serialize(tmp_path / "sle.ttl")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, _, err = run(capsys, *argv)
    assert code == 0 and "\r" not in err  # captured stderr is not a terminal: no progress
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, out, err = run(capsys, *argv)
    assert code == 0 and shows.replace("{tmp}", str(tmp_path)) + "\033[K" in err
    assert "\r\033[K" in err  # the progress line is cleared before the result is printed
    assert "\r" not in out


# -- the installed console script -----------------------------------------------------------------

def _console_script() -> str:
    script = Path(sys.executable).with_name("sle-graph")
    if not script.exists():
        pytest.fail(f"the console script is not installed beside {sys.executable}: pip install -e .")
    return str(script)


def test_console_script(tmp_path, kg):
    script = _console_script()
    done = subprocess.run([script, "info"], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0 and f"{len(kg)} nodes" in done.stdout and done.stderr == ""
    done = subprocess.run([script, "paths", "mesenchymal stem cels", "lupus"], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "closest: 'mesenchymal stem cell'" in done.stderr
    done = subprocess.run([script], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2 and "usage: sle-graph" in done.stderr
    done = subprocess.run([script, "validate", str(tmp_path / "nothing.ttl")], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert done.returncode == 1 and "\r" not in done.stderr  # piped: no progress line


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\n\r") | st.just("\t"),
                    max_size=300),
       width=st.integers(min_value=10, max_value=200), data=st.data())
def test_the_caret_sits_under_its_character_at_any_width(text, width, data):
    from sle_graph.cli._util import with_caret

    column = data.draw(st.integers(min_value=1, max_value=len(text) + 1))
    reason, shown, caret = with_caret("bad", text, column, width=width).split("\n")
    assert reason == "bad" and shown.startswith("  ") and caret.strip() == "^"
    shown, at = shown[2:], caret.index("^") - 2
    assert len(shown) <= max(40, width - 2)
    flat = text.replace("\t", " ")
    assert shown[at:at + 1] == flat[column - 1:column]  # the same character (nothing past the end)
    assert shown.removeprefix("...").removesuffix("...") in flat
