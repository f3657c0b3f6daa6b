"""``sle-graph info``: version, ontology IRI, and counts of the curated graph (or of ``--graph FILE``)."""

from __future__ import annotations

import argparse

from ._util import add_graph_option, load_graph, print_table


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("info", help="version, ontology IRI and counts",
                       description="Print the version, the ontology IRI and counts by kind and predicate.",
                       epilog="examples:\n  sle-graph info\n  sle-graph info --graph mine.ttl",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    add_graph_option(p)
    p.set_defaults(command="info")


def run(args: argparse.Namespace) -> int:
    import sle_graph

    kg = load_graph(args.graph)
    s = kg.stats()
    print(f"sle_graph {sle_graph.__version__}")
    print(f"ontology  {kg.schema.iri} (version {kg.schema.version})")
    print(f"graph     {s['nodes']} nodes, {s['edges']} edges, {s['evidence']} evidence records\n")
    print_table(["kind", "nodes"], list(s["by_kind"].items()))
    print()
    print_table(["predicate", "edges"], list(s["by_predicate"].items()))
    return 0
