"""``sle-graph paths SOURCE TARGET``: ranked paths between two nodes (of the curated graph, or of
``--graph FILE``), explained, or as a table, TSV or JSON (``--format``)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Callable, Sequence

from ..limits import QUERY_MAX_RESULTS, QUERY_TIMEOUT
from ..query.paths import MAX_HOPS
from ._util import add_graph_option, load_graph, print_table

#: ``--format`` of ``paths`` and ``match``: the explanation, or one row per path.
FORMATS = ("text", "table", "tsv", "json")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "paths", help="ranked, explained paths between two nodes",
        description="Print the simple paths from SOURCE to TARGET, ranked by hop count, then evidence "
                    "strength (weakest edge), then node ids; each edge with the quotes and study "
                    "findings behind it. SOURCE and TARGET are ids, labels, synonyms or CURIEs.",
        epilog="examples:\n"
               "  sle-graph paths 'mesenchymal stem cell' 'reduced disease activity'\n"
               "  sle-graph paths HSCT 'reduced disease activity' --max-hops 3 --via Mechanism\n"
               "  sle-graph paths msc lupus --any-direction --predicate uses treats --limit 5\n"
               "  sle-graph paths msc 'reduced disease activity' --graph mine.ttl --format tsv",
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
    add_budget_options(p)
    add_format_option(p)
    add_graph_option(p)
    p.set_defaults(command="paths")


def _or_none(kind: type) -> Callable[[str], object]:
    def parse(text: str) -> object:
        return None if text.lower() == "none" else kind(text)
    parse.__name__ = kind.__name__  # argparse names the type in its error
    return parse


def add_budget_options(p: argparse.ArgumentParser, max_results: bool = True) -> None:
    """``--timeout SECONDS`` and ``--max-results N`` (shared with ``sle-graph match``): the query's
    budgets (see sle_graph.limits); ``none`` lifts one."""
    p.add_argument("--timeout", type=_or_none(float), default=QUERY_TIMEOUT, metavar="SECONDS",
                   help=f"stop after this many seconds (default {QUERY_TIMEOUT:g}; 'none': no limit)")
    if max_results:
        p.add_argument("--max-results", type=_or_none(int), default=QUERY_MAX_RESULTS, metavar="N",
                       help=f"stop past N results held (default {QUERY_MAX_RESULTS:,}; 'none': no limit)")


def add_format_option(p: argparse.ArgumentParser) -> None:
    """``--format text|table|tsv|json`` (shared with ``sle-graph match``)."""
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="text: each path explained with its evidence (default); table: one line per path; "
                        "tsv, json: one row per path, the columns of sle_graph.to_frame")


def print_paths(found: Sequence, empty_message: str, fmt: str = "text") -> None:
    """Print paths in ``fmt`` (:data:`FORMATS`): explained, numbered and separated by blank lines
    (``text``), or one row per path. With no path, ``text`` and ``table`` print ``empty_message``
    on stderr (stdout stays empty), ``tsv`` the header alone and ``json`` an empty list."""
    from ..io.dataframes import PATH_COLUMNS, path_rows

    if fmt == "json":
        multi = {"nodes", "predicates", "directions", "statuses", "sources"}
        records = [{c: (v.split("|") if v else []) if c in multi else v for c, v in zip(PATH_COLUMNS, row)}
                   for row in path_rows(found)]
        print(json.dumps(records, indent=2, ensure_ascii=False))
        return
    if fmt == "tsv":
        writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
        writer.writerow(PATH_COLUMNS)
        writer.writerows(path_rows(found))
        return
    if not found:
        print(empty_message, file=sys.stderr)
        return
    if fmt == "table":
        print_table(["rank", "hops", "weakest edge", "sources", "path"],
                    [(i, len(p), *(p.strength or ("", 0)), str(p)) for i, p in enumerate(found, 1)])
        return
    for i, path in enumerate(found, 1):
        if i > 1:
            print()
        print(f"#{i} {path.explain()}")


def run(args: argparse.Namespace) -> int:
    kg = load_graph(args.graph)
    found = kg.paths(args.source, args.target, max_hops=args.max_hops, via=args.via,
                     predicates=args.predicates, direction="any" if args.any_direction else "forward",
                     limit=args.limit, timeout=args.timeout, max_results=args.max_results)
    source, target = kg.node(args.source), kg.node(args.target)
    print_paths(found, f"no path from {source.label!r} to {target.label!r} within {args.max_hops} hops", args.format)
    return 0
