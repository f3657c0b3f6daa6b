"""``sle-graph render -o FILE``: draw the curated graph, a neighbourhood, or paths, to SVG/PNG/PDF/DOT,
or write the interactive explorer page (``-o graph.html``)."""

from __future__ import annotations

import argparse
import sys

from ..io.formats import FORMATS, for_output
from . import UserError
from ._util import add_graph_option, load_graph, progress


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "render", help="draw the graph, a neighbourhood or paths (SVG, PNG, PDF, DOT, interactive HTML)",
        description="Draw the curated graph to a file: the whole graph, the neighbourhood of a node "
                    "(--focus, --hops), or the paths between two nodes (--path) drawn bold over the "
                    "faded graph or neighbourhood (alone with --paths-only). The format comes from "
                    "the file suffix (.svg, .png, .pdf, .dot/.gv, .html) or --format. Image formats "
                    "and HTML need Graphviz; DOT works without it. HTML is the interactive explorer: "
                    "one page that works offline, to search, filter and read each edge's evidence.",
        epilog="examples:\n"
               "  sle-graph render -o graph.svg\n"
               "  sle-graph render -o msc.png --focus 'mesenchymal stem cell' --hops 1\n"
               "  sle-graph render -o path.pdf --path msc 'reduced disease activity' --limit 3\n"
               "  sle-graph render -o - --format dot --focus HSCT\n"
               "  sle-graph render -o mine.svg --graph mine.ttl\n"
               "  sle-graph render -o graph.html",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="file to write (- for standard output, with --format)")
    p.add_argument("--format", choices=tuple(f.name for f in FORMATS if f.family == "diagram"),
                   help="output format (default: from the suffix)")
    p.add_argument("--focus", metavar="REF", help="draw only the neighbourhood of this node (id, label, synonym or CURIE)")
    p.add_argument("--hops", type=int, metavar="N", help="with --focus: neighbourhood radius in edges (default 1)")
    p.add_argument("--path", nargs=2, metavar=("SOURCE", "TARGET"), help="highlight the paths from SOURCE to TARGET")
    p.add_argument("--max-hops", type=int, default=4, metavar="N", help="with --path: longest path, in edges (default 4)")
    p.add_argument("--limit", type=int, default=5, metavar="N", help="with --path: the top N paths (default 5)")
    p.add_argument("--paths-only", action="store_true", help="with --path: draw the paths alone, without context")
    p.add_argument("--include-sources", action="store_true", help="also draw source documents and studies")
    p.add_argument("--engine", default="auto", metavar="PROG",
                   help="Graphviz layout program: auto (dot up to 300 nodes, sfdp above), dot, sfdp, neato, ...")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="stop Graphviz after this many seconds (default 60)")
    p.add_argument("--title", help="a title written above the diagram")
    add_graph_option(p)
    p.set_defaults(command="render")


def run(args: argparse.Namespace) -> int:
    from ..draw.diagram import render

    if args.hops is not None and args.focus is None:
        raise UserError("--hops goes with --focus")
    if args.paths_only and args.path is None:
        raise UserError("--paths-only goes with --path")
    if args.hops is not None and args.hops < 0:
        raise UserError(f"--hops must be 0 or more, not {args.hops}")
    if args.timeout <= 0:
        raise UserError(f"--timeout must be positive, not {args.timeout:g}")
    to_stdout = args.output == "-"
    if to_stdout and args.format is None:
        raise UserError("writing to standard output (-o -) needs --format")
    if not to_stdout:
        for_output(args.output, args.format, families="diagram")  # an unknown suffix fails before drawing

    kg = load_graph(args.graph)
    drawn = kg.neighbors(args.focus, hops=1 if args.hops is None else args.hops) if args.focus else kg
    options = {"include_sources": args.include_sources, "title": args.title}
    what = f"the neighbourhood of {kg.node(args.focus).label!r}" if args.focus else "the graph"
    if args.path:
        source, target = args.path
        found = kg.paths(source, target, max_hops=args.max_hops, limit=args.limit)
        if not found:
            raise UserError(f"no path from {kg.node(source).label!r} to {kg.node(target).label!r} "
                            f"within {args.max_hops} hops")
        if args.paths_only:
            drawn, what = found, f"{len(found)} path{'s' if len(found) != 1 else ''}"
        else:
            options["highlight"] = found
            what += f" with {len(found)} path{'s' if len(found) != 1 else ''} highlighted"
    progress(f"drawing {what}...")
    try:
        result = render(drawn, None if to_stdout else args.output, format=args.format, engine=args.engine,
                        timeout=args.timeout, **options)
    finally:
        progress("")
    if to_stdout:
        if isinstance(result, bytes):
            sys.stdout.buffer.write(result)
        else:
            sys.stdout.write(result or "")
        sys.stdout.flush()
    else:
        print(f"wrote {what} to {args.output}", file=sys.stderr)  # a status line: data alone on stdout
    return 0
