"""One error hierarchy: every error class under SleGraphError, the built-in types kept, the CLI's
messages for what a user can get wrong."""

from __future__ import annotations

import inspect

import pytest

import sle_graph
from sle_graph import errors
from sle_graph.cli import main

ERROR_CLASSES = [obj for _, obj in inspect.getmembers(errors, inspect.isclass)
                 if issubclass(obj, BaseException) and obj.__module__ == errors.__name__]


@pytest.fixture(scope="module")
def kg():
    return sle_graph.load()


def test_every_error_class_is_a_sle_graph_error_and_exported():
    names = {cls.__name__ for cls in ERROR_CLASSES if not cls.__name__.startswith("_")}
    assert {"NodeNotFound", "EdgeNotFound", "UnknownKind", "UnknownPredicate", "PatternError", "SparqlError",
            "ValidationError", "UnknownFormat", "RenderError", "GraphvizNotFound", "RenderTimeout",
            "EndpointError"} <= names
    for cls in ERROR_CLASSES:
        assert issubclass(cls, errors.SleGraphError), cls
    for name in names:
        assert getattr(sle_graph, name) is getattr(errors, name), name
        assert name in errors.__all__
    public = {"NodeNotFound", "EdgeNotFound", "UnknownKind", "UnknownPredicate", "PatternError", "SparqlError",
              "ValidationError", "UnknownFormat", "GraphvizNotFound", "EndpointError", "SleGraphError"}
    assert public <= set(sle_graph.__all__)


def test_built_in_types_are_kept():
    assert issubclass(errors.NodeNotFound, KeyError) and issubclass(errors.EdgeNotFound, KeyError)
    assert not issubclass(errors.EdgeNotFound, errors.NodeNotFound)
    assert not issubclass(errors.NodeNotFound, errors.EdgeNotFound)
    for cls in (errors.UnknownKind, errors.UnknownPredicate, errors.PatternError, errors.SparqlError,
                errors.ValidationError, errors.UnknownFormat, errors.InvalidArgument):
        assert issubclass(cls, ValueError), cls


def test_old_import_paths_name_the_same_classes():
    from sle_graph.draw.diagram import GraphvizNotFound, RenderError, RenderTimeout
    from sle_graph.endpoint import EndpointError
    from sle_graph.graph import NodeNotFound
    from sle_graph.query.patterns import PatternError
    from sle_graph.rdf.write import SparqlError

    assert (GraphvizNotFound, RenderError, RenderTimeout) == (errors.GraphvizNotFound, errors.RenderError,
                                                              errors.RenderTimeout)
    assert (EndpointError, NodeNotFound, PatternError, SparqlError) == (
        errors.EndpointError, errors.NodeNotFound, errors.PatternError, errors.SparqlError)
    assert sle_graph.NodeNotFound is NodeNotFound and sle_graph.SparqlError is SparqlError


def test_missing_edge_and_missing_node(kg):
    assert kg.edges("msc", "treats", "msc") == []
    with pytest.raises(errors.EdgeNotFound) as caught:
        kg.edge("msc", "treats", "msc")
    assert not isinstance(caught.value, errors.NodeNotFound)
    assert str(caught.value) == "no edge msc -[treats]-> msc"
    with pytest.raises(errors.NodeNotFound, match="closest: 'mesenchymal stem cell'") as caught:
        kg.edge("mesenchymal stem cel", "acts_through", "immunomodulation")
    assert isinstance(caught.value, KeyError) and not isinstance(caught.value, errors.EdgeNotFound)


def test_unknown_kind_and_predicate_suggest(kg):
    with pytest.raises(errors.UnknownKind, match="unknown kind 'Cel'; did you mean 'Cell'") as caught:
        kg.nodes(kind="Cel")
    assert isinstance(caught.value, ValueError) and caught.value.name == "Cel"
    with pytest.raises(errors.UnknownPredicate, match="unknown predicate 'treat'; did you mean 'treats'"):
        kg.edges(predicate="treat")
    with pytest.raises(errors.UnknownKind, match="'Mechanism'"):
        kg.paths("msc", "sle", via="Mechansim")
    with pytest.raises(errors.UnknownPredicate, match="did you mean 'acts_through'"):
        kg.paths("msc", "sle", predicates=["acts_thru"])
    with pytest.raises(errors.UnknownKind, match="kinds: "):  # nothing close: the kinds are listed
        kg.nodes(kind="Zzzzzz")


def test_pattern_errors_are_also_unknown_kind_or_predicate(kg):
    with pytest.raises(errors.PatternError) as caught:
        kg.match("Cel -> Mechanism")
    assert isinstance(caught.value, errors.UnknownKind) and caught.value.column == 1
    assert "did you mean 'Cell'" in str(caught.value) and "^" in str(caught.value)
    with pytest.raises(errors.UnknownPredicate) as caught:
        kg.match("Cell -[acts_thru]-> Mechanism")
    assert isinstance(caught.value, errors.PatternError) and caught.value.name == "acts_thru"
    with pytest.raises(errors.PatternError) as caught:
        kg.match("Cell -> -> Mechanism")
    assert not isinstance(caught.value, (errors.UnknownKind, errors.UnknownPredicate))


def test_argument_errors(kg):
    for call in (lambda: kg.paths("msc", "sle", max_hops=0), lambda: kg.paths("msc", "sle", max_hops=99),
                 lambda: kg.paths("msc", "sle", limit=-1), lambda: kg.claims(status="maybe"),
                 lambda: kg.render(format="svg", engine="nope")):
        with pytest.raises(errors.InvalidArgument):
            call()


def test_validation_error_lists_every_problem():
    err = errors.ValidationError([errors.Problem("a", file="f.tsv", line=2), errors.Problem("b", file="f.tsv", line=3)])
    assert str(err).splitlines() == ["2 problems:", "  f.tsv:2: a", "  f.tsv:3: b"]


CLI_USER_ERRORS = [
    (["paths", "mesenchymal stem cels", "lupus"], "no node 'mesenchymal stem cels'"),
    (["paths", "msc", "nowhere at all"], "no node 'nowhere at all'"),
    (["paths", "msc", "sle", "--max-hops", "99"], "max_hops=99 is refused"),
    (["paths", "msc", "sle", "--limit", "-1"], "limit must be at least 0"),
    (["paths", "msc", "sle", "--via", "Mechansim"], "did you mean 'Mechanism'"),
    (["paths", "msc", "sle", "--predicate", "treat"], "did you mean 'treats'"),
    (["match", "Cel -> Mechanism"], "did you mean 'Cell'"),
    (["match", "Cell -[treat]-> *"], "did you mean 'treats'"),
    (["match", "'no such node' -> Mechanism"], "no node 'no such node'"),
    (["render", "-o", "{tmp}/x.svg", "--engine", "nope"], "unknown layout engine 'nope'"),
    (["render", "-o", "{tmp}/x.jpeg"], "unknown suffix '.jpeg'"),
    (["push", "ftp://example.org"], "starts with http:// or https://"),
    (["merge", "{tmp}/g.xyz", "-o", "{tmp}/out.ttl"], "unknown suffix '.xyz'"),
    (["validate", "{tmp}/g.xyz"], "unknown file type '.xyz'"),
]


@pytest.mark.parametrize("argv, needle", CLI_USER_ERRORS, ids=[" ".join(a[:3]) for a, _ in CLI_USER_ERRORS])
def test_cli_user_errors_are_one_message_not_a_traceback(argv, needle, tmp_path, capsys):
    (tmp_path / "g.xyz").write_text("what is this\n", encoding="utf-8")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"sle-graph {argv[0]}: error: ") and needle in err, err
    assert "Traceback" not in err


def test_cli_catches_only_sle_graph_and_os_errors():
    import ast

    from sle_graph import cli

    tree = ast.parse(inspect.getsource(cli.main))
    caught = [ast.unparse(h.type) for h in ast.walk(tree) if isinstance(h, ast.ExceptHandler) and h.type is not None]
    # a closed stdout first (BrokenPipeError is an OSError), then every error a user can cause
    assert caught[:2] == ["BrokenPipeError", "(SleGraphError, OSError)"]
    assert not any("KeyError" in c or "ValueError" in c for c in caught)
