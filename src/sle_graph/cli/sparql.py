"""``sle-graph sparql QUERY``: run a SPARQL query on the curated graph (or a graph file, ``--graph
FILE``), or on a server with ``--endpoint``.

``QUERY`` is the query text, or ``@FILE`` to read it from a file (``@-``: standard input). Our
prefixes (``sleo:``, ``sle:``, ``rdfs:``, ``skos:``, ...) are bound in memory; on a server, write
the ``PREFIX`` lines the query needs.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any

from . import UserError
from ._util import load_graph, print_table, with_caret
from .push import add_auth_options, auth_from


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sparql", help="run a SPARQL query (in memory, or on a server with --endpoint)", allow_abbrev=False,
        description="Run a SPARQL query on the curated graph in memory (or on a graph file with --graph "
                    "FILE), or with --endpoint on a SPARQL 1.1 server holding a pushed graph (see "
                    "'sle-graph push').",
        epilog="examples:\n"
               "  sle-graph sparql 'SELECT ?label WHERE { ?n a sleo:StemCell ; rdfs:label ?label }'\n"
               "  sle-graph sparql @query.rq --endpoint http://127.0.0.1:7878 --format json\n"
               "  sle-graph sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --graph mine.ttl",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("query", metavar="QUERY", help="the query text, or @FILE (@- for standard input)")
    p.add_argument("--endpoint", metavar="URL", help="query this server instead of the in-memory graph")
    p.add_argument("--graph", metavar="FILE|IRI",
                   help="in memory: a graph file to query instead of the curated graph (any format sle_graph "
                        "reads); with --endpoint: the named graph pushed to (default: the push default)")
    p.add_argument("--format", choices=("table", "json", "csv", "tsv"), default="table",
                   help="output format of SELECT results (default: table)")
    add_auth_options(p)
    p.set_defaults(command="sparql")


def read_query(text: str) -> str:
    """The query text itself, or the content of ``@FILE`` (``@-``: standard input)."""
    if not text.startswith("@"):
        return text
    name = text[1:]
    if name == "-":
        return sys.stdin.read()
    try:
        with open(name, encoding="utf-8") as fh:
            return fh.read()
    except OSError as exc:
        raise UserError(f"cannot read the query file {name!r}: {exc.strerror or exc}") from None


def run(args: argparse.Namespace) -> int:
    query = read_query(args.query)
    if not query.strip():
        raise UserError("the query is empty")
    if args.endpoint:
        import sle_graph

        remote = sle_graph.connect(args.endpoint, graph=args.graph, auth=auth_from(args))
        result = remote.sparql(query)
    else:
        if args.user or args.password_env or args.token_env:
            raise UserError("credentials go with --endpoint")
        import sle_graph

        kg = load_graph(args.graph)
        try:
            result = kg.sparql(query)
        except sle_graph.SparqlError as exc:  # where and why, then the query's line and a caret under it
            raise UserError(with_caret(exc.reason, exc.text, exc.column)) from exc
    _print(result, args.format)
    return 0


def _print(result: Any, fmt: str) -> None:
    if isinstance(result, bool):  # ASK
        print("true" if result else "false")
        return
    if not isinstance(result, list):  # CONSTRUCT / DESCRIBE: an RDF graph
        text = result.serialize(format="nt") if hasattr(result, "serialize") else str(result)
        sys.stdout.write(text if isinstance(text, str) else text.decode("utf-8"))
        return
    columns: list[str] = []
    for row in result:
        columns += [k for k in row if k not in columns]
    if fmt == "json":
        print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(sys.stdout, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([["" if r.get(c) is None else str(r.get(c)) for c in columns] for r in result])
    elif not result:
        print("no results", file=sys.stderr)  # a status line: stdout holds data only
    else:
        print_table(columns, [["" if r.get(c) is None else str(r.get(c)) for c in columns] for r in result])
