"""``sle-graph paths SOURCE TARGET``: ranked paths between two nodes of the curated graph, explained."""

from __future__ import annotations

import argparse
from typing import Sequence

from ..query.paths import MAX_HOPS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "paths", help="ranked, explained paths between two nodes",
        description="Print the simple paths from SOURCE to TARGET, ranked by hop count, then evidence "
                    "strength (weakest edge), then node ids; each edge with the quotes and study "
                    "findings behind it. SOURCE and TARGET are ids, labels, synonyms or CURIEs.",
        epilog="examples:\n"
               "  sle-graph paths 'mesenchymal stem cell' 'reduced disease activity'\n"
               "  sle-graph paths HSCT 'reduced disease activity' --max-hops 3 --via Mechanism\n"
               "  sle-graph paths msc lupus --any-direction --predicate uses treats --limit 5",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("source", metavar="SOURCE", help="start node (id, label, synonym or CURIE)")
    p.add_argument("target", metavar="TARGET", help="end node (id, label, synonym or CURIE)")
    p.add_argument("--max-hops", type=int, default=4, metavar="N",
                   help=f"longest path searched, in edges (default 4, at most {MAX_HOPS})")
    p.add_argument("--via", action="append", metavar="KIND",
                   help="only paths passing through a node of this kind (repeatable: all of them)")
    p.add_argument("--predicate", action="extend", nargs="+", metavar="P", dest="predicates",
                   help="walk only edges with these predicates")
    p.add_argument("--any-direction", action="store_true", help="also walk edges against their direction")
    p.add_argument("--limit", type=int, metavar="N", help="print only the top N paths")
    p.set_defaults(command="paths")


def print_paths(found: Sequence, empty_message: str) -> None:
    """Print explained paths, numbered and separated by blank lines, or ``empty_message``."""
    if not found:
        print(empty_message)
        return
    for i, path in enumerate(found, 1):
        if i > 1:
            print()
        print(f"#{i} {path.explain()}")


def run(args: argparse.Namespace) -> int:
    import sle_graph

    kg = sle_graph.load()
    found = kg.paths(args.source, args.target, max_hops=args.max_hops, via=args.via,
                     predicates=args.predicates, direction="any" if args.any_direction else "forward",
                     limit=args.limit)
    source, target = kg.node(args.source), kg.node(args.target)
    print_paths(found, f"no path from {source.label!r} to {target.label!r} within {args.max_hops} hops")
    return 0
