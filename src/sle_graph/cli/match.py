"""``sle-graph match PATTERN``: paths of the curated graph fitting a metapath pattern, explained."""

from __future__ import annotations

import argparse

from .paths import print_paths


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
               "  sle-graph match 'Cell -> Mechanism -> Outcome' --count",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("pattern", metavar="PATTERN", help="the metapath pattern (quote it for the shell)")
    p.add_argument("--limit", type=int, metavar="N", help="print only the top N paths")
    p.add_argument("--count", action="store_true", help="print only how many paths fit")
    p.set_defaults(command="match")


def run(args: argparse.Namespace) -> int:
    import sle_graph

    kg = sle_graph.load()
    if args.count:
        print(kg.count(args.pattern))
        return 0
    print_paths(kg.match(args.pattern, limit=args.limit), f"no path fits {args.pattern!r}")
    return 0
