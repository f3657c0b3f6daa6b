"""``sle-graph validate FILE...``: check data files; exit 1 when any has a problem.

Each file goes to the checker of its kind (see :data:`CHECKERS`): RDF files (``.ttl``, ``.nt``,
``.jsonld``, ``.rdf``, ...) are read with :func:`sle_graph.read_rdf` (syntax and schema: kinds,
predicates, labels, evidence) and, when that passes, checked against the SHACL shapes. Users'
facts (entities and assertions tables, YAML) are checked together as one extension of the
curated graph, or of the graph ``--graph FILE`` names (such as the output of ``sle-graph
merge``), so that they may use its nodes.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable

from ..errors import UnknownFormat, install_hint
from ..io.formats import for_path, known
from . import UserError
from ._util import add_graph_option, load_graph, progress

#: A checker: ``(path, args) -> (ok, lines to print)``.
Checker = Callable[[Path, argparse.Namespace], "tuple[bool, list[str]]"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate", help="check RDF files: syntax, schema and SHACL shapes",
        description="Check data files and list every problem with where it is. RDF files (.ttl, .nt, "
                    ".jsonld, .rdf, .trig, ...) are read against the ontology, then checked against "
                    "the SHACL shapes (ontology/shapes.ttl). Exit status 1 when any file has a problem.",
        epilog="examples: sle-graph export -o sle.ttl && sle-graph validate sle.ttl; "
               "sle-graph validate --graph mine.ttl more_assertions.tsv")
    p.add_argument("files", nargs="+", metavar="FILE", help="files to check")
    p.add_argument("--format", "-f", default=None, help="RDF format, when the suffix does not tell")
    p.add_argument("--no-shacl", action="store_true", help="skip the SHACL shapes (faster)")
    add_graph_option(p, help="check users' facts as an extension of this graph instead of the curated one: "
                             "a file or folder in any format sle_graph reads, such as the output of "
                             "'sle-graph merge' (RDF files are checked on their own either way)")
    p.set_defaults(command="validate")


def _problem_lines(error: Exception) -> list[str]:
    problems = getattr(error, "problems", None)
    if problems:
        return [f"  {p}" for p in problems]
    return [f"  {error}"]


def check_rdf(path: Path, args: argparse.Namespace) -> tuple[bool, list[str]]:
    """Read an RDF file into a graph (every schema problem listed), then check the SHACL shapes."""
    from ..errors import ValidationError
    from ..rdf.parse import read_rdf

    try:
        kg = read_rdf(path, format=args.format)
    except ValidationError as exc:
        n = len(exc.problems)
        return False, [f"{path}: {n} problem{'s' if n != 1 else ''}"] + _problem_lines(exc)
    s = kg.stats()
    summary = f"{path}: ok ({s['nodes']} nodes, {s['edges']} edges, {s['evidence']} evidence records)"
    if args.no_shacl:
        return True, [summary]
    import importlib.util

    if importlib.util.find_spec("pyshacl") is None:
        return True, [summary[:-1] + f"; SHACL shapes not checked: {install_hint('pyshacl', 'shacl')})"]
    from ..rdf.shacl import validate

    progress(f"checking {path} against the SHACL shapes...")
    report = validate(path if args.format is None else _rdflib_graph(path, args.format))
    if report.conforms:
        return True, [summary[:-1] + "; conforms to the SHACL shapes)"]
    return False, [f"{path}: {len(report.problems)} SHACL problem{'s' if len(report.problems) != 1 else ''}"] + [
        f"  {p.message}" for p in report.problems]


def _rdflib_graph(path: Path, fmt: str):
    from ..rdf.parse import rdflib_graph

    return rdflib_graph(path, fmt)[0]


def _checker(path: Path, args: argparse.Namespace) -> Checker:
    """The checker of a file's format (:mod:`sle_graph.io.formats`): RDF, or users' facts."""
    if args.format is not None:
        return check_rdf
    try:
        fmt = for_path(path, ("rdf", "facts"), reading=True)
    except UnknownFormat as exc:
        raise UserError(f"cannot validate {str(path)!r}: unknown file type {path.suffix or '(no suffix)'!r}; "
                        f"formats: {known(('rdf', 'facts'), reading=True)} (or pass --format)") from exc
    if fmt.family == "rdf":
        return check_rdf
    from ..extend import check_fact_file

    return check_fact_file  # users' TSV/CSV tables and YAML: one extension, checked together


#: Which checker takes a file (users' TSV data files come with the extending issue).
CHECKERS: list[Callable[[Path, argparse.Namespace], Checker]] = [_checker]


def run(args: argparse.Namespace) -> int:
    paths = [Path(f) for f in args.files]
    for path in paths:
        if not path.is_file():
            raise UserError(f"no such file: {str(path)!r}")
    if args.graph is not None:  # read once, before any file is checked: an unreadable --graph stops here
        args.base = load_graph(args.graph)
    failed = 0
    for i, path in enumerate(paths, 1):
        progress(f"checking {path} ({i} of {len(paths)})...")
        ok, lines = CHECKERS[0](path, args)(path, args)
        progress("")
        print("\n".join(lines))
        failed += not ok
    if failed:
        raise UserError(f"{failed} of {len(paths)} file{'s' if len(paths) != 1 else ''} failed validation")
    return 0
