"""``sle-graph export``: the curated graph as RDF (canonical Turtle by default) to a file or stdout."""

from __future__ import annotations

import argparse
import sys

from ..io.formats import by_name, for_output
from ._util import add_graph_option, load_graph


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="write the graph as RDF (Turtle, N-Triples, JSON-LD, RDF/XML, ...)",
        description="Write the curated graph as RDF. Turtle and N-Triples are canonical: the same "
                    "graph always gives the same bytes, so the file diffs cleanly in git.",
        epilog="examples:\n"
               "  sle-graph export -o sle.ttl\n"
               "  sle-graph export --format json-ld -o sle.jsonld\n"
               "  sle-graph export --format nt | head\n"
               "  sle-graph export --graph merged/ -o merged.ttl   (a KGX folder to Turtle)",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--format", "-f", default=None,
                   help="RDF format: turtle (default), nt, json-ld, xml, pretty-xml, trig, n3, nquads, trix, hext; "
                        "guessed from the suffix of -o when omitted")
    p.add_argument("-o", "--output", default="-", metavar="FILE",
                   help="where to write; '-' (the default) is standard output")
    add_graph_option(p)
    p.set_defaults(command="export")


def _format(args: argparse.Namespace) -> str:
    """The RDF format: ``--format``, else the suffix of ``-o`` (an unknown one is an error that
    lists the formats); Turtle for standard output or a name without a suffix."""
    if args.format:
        return by_name(args.format, "rdf", reading=False).name
    if args.output != "-":
        return for_output(args.output, families="rdf", default="turtle").name
    return "turtle"


def run(args: argparse.Namespace) -> int:
    from ..rdf.write import serialize

    fmt = _format(args)  # before loading: a wrong suffix fails fast
    kg = load_graph(args.graph)
    if args.output == "-":
        text = serialize(kg, format=fmt) or ""
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return 0
    serialize(kg, args.output, format=fmt)
    s = kg.stats()
    print(f"wrote {args.output} ({fmt}: {s['nodes']} nodes, {s['edges']} edges, {s['evidence']} evidence records)",
          file=sys.stderr)
    return 0
