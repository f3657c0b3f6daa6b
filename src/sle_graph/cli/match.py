"""``sle-graph match PATTERN``: paths fitting a metapath pattern (in the curated graph, or in
``--graph FILE``), explained, or as a table, TSV or JSON (``--format``)."""

from __future__ import annotations

import argparse

from ._util import add_graph_option, load_graph
from .paths import add_budget_options, add_format_option, print_paths


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "match", help="paths fitting a metapath pattern such as 'Cell -> Mechanism -> Outcome'",
        description="Print the simple paths fitting PATTERN, ranked by evidence strength, each edge "
                    "explained. A pattern alternates node specs (a kind, '*', or a quoted node) and "
                    "links ('->', '-[predicate]->', '<-', '<-[predicate]-', '-'); kinds match their "
                    "sub-kinds.",
        epilog="examples:\n"
               "  sle-graph match 'Therapy -[faces_challenge]-> Challenge'\n"
               "  sle-graph match \"'mesenchymal stem cell' -> Mechanism -> Outcome\" --limit 3\n"
               "  sle-graph match 'Cell -> Mechanism -> Outcome' --count\n"
               "  sle-graph match 'Therapy -> Outcome' --graph mine.ttl --format table",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("pattern", metavar="PATTERN", help="the metapath pattern (quote it for the shell)")
    p.add_argument("--limit", type=int, metavar="N", help="print only the top N paths")
    p.add_argument("--count", action="store_true", help="print only how many paths fit")
    add_budget_options(p)
    add_format_option(p)
    add_graph_option(p)
    p.set_defaults(command="match")


def run(args: argparse.Namespace) -> int:
    kg = load_graph(args.graph)
    if args.count:
        print(kg.count(args.pattern, timeout=args.timeout))
        return 0
    print_paths(kg.match(args.pattern, limit=args.limit, timeout=args.timeout, max_results=args.max_results),
                f"no path fits {args.pattern!r}", args.format)
    return 0
