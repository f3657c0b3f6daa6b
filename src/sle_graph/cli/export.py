"""``sle-graph export``: the curated graph as RDF (canonical Turtle by default) to a file or stdout,
or for other tools: GraphML and GEXF (Cytoscape, Gephi), triples for embedding libraries and
CSV files for Neo4j's bulk importer (folders)."""

from __future__ import annotations

import argparse
import sys

from ..errors import InvalidArgument, UnknownFormat, suggest
from ..io.formats import FORMATS, Format, by_name, for_output
from ._util import add_graph_option, load_graph

#: The families ``export`` writes besides RDF.
OTHER = ("network", "triples", "property-graph")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="write the graph as RDF (Turtle, N-Triples, JSON-LD, ...), GraphML, GEXF, triples or Neo4j CSV",
        description="Write the curated graph as RDF. Turtle and N-Triples are canonical: the same "
                    "graph always gives the same bytes, so the file diffs cleanly in git. For other tools: "
                    "GraphML and GEXF (Cytoscape, Gephi, igraph; attributes as scalars), and triples "
                    "(head, relation, tail TSV with PyKEEN's id maps) and neo4j (nodes.csv, relationships.csv for "
                    "neo4j-admin database import), written into the folder -o names.",
        epilog="examples:\n"
               "  sle-graph export -o sle.ttl\n"
               "  sle-graph export --format json-ld -o sle.jsonld\n"
               "  sle-graph export --format nt | head\n"
               "  sle-graph export -o sle.graphml\n"
               "  sle-graph export --format triples --status supported -o triples/\n"
               "  sle-graph export --format neo4j -o neo4j-import/\n"
               "  sle-graph export --graph merged/ -o merged.ttl   (a KGX folder to Turtle)")
    p.add_argument("--format", "-f", default=None,
                   help="RDF format: turtle (default), nt, json-ld, xml, pretty-xml, trig, n3, nquads, trix, hext; "
                        "or graphml, gexf, triples, neo4j; guessed from the suffix of -o when omitted")
    p.add_argument("-o", "--output", default="-", metavar="FILE",
                   help="where to write; '-' (the default) is standard output; a folder for triples and neo4j")
    p.add_argument("--status", action="append", default=None, metavar="STATUS",
                   help="triples: keep edges of this status (repeatable): supported, contested, 'claim only'")
    p.add_argument("--grade", action="append", default=None, metavar="GRADE",
                   help="triples: keep edges of this evidence grade (repeatable), e.g. 'single-arm trial'")
    p.add_argument("--modality", action="append", default=None, metavar="MODALITY",
                   help="triples: keep edges with a quote of this modality (repeatable): asserted, partial, "
                        "preliminary, possible, potential")
    add_graph_option(p)
    p.set_defaults(command="export")


def _format(args: argparse.Namespace) -> Format:
    """The format: ``--format``, else the suffix of ``-o`` (an unknown one is an error that
    lists the formats); Turtle for standard output or a name without a suffix."""
    if args.format:
        for families in (OTHER, "rdf"):
            try:
                return by_name(args.format, families, reading=False)
            except UnknownFormat:
                pass
        names = [n for f in FORMATS if f.family in ("rdf", *OTHER) and f.writer for n in f.names]
        hint = suggest(args.format, names)
        raise UnknownFormat(f"unknown RDF format {args.format!r}{'; ' + hint if hint else ''} (formats: "
                            f"{', '.join(f.name for f in FORMATS if f.family in ('rdf', *OTHER))})")
    if args.output != "-":
        return for_output(args.output, families=("rdf", "network"), default="turtle")
    return by_name("turtle", "rdf")


def run(args: argparse.Namespace) -> int:
    from ..rdf.write import serialize

    fmt = _format(args)  # before loading: a wrong suffix fails fast
    if (args.status or args.grade or args.modality) and fmt.family != "triples":
        raise InvalidArgument(f"--status, --grade and --modality filter triples, not {fmt.name}: add --format triples")
    if fmt.family in ("triples", "property-graph") and args.output == "-":
        raise InvalidArgument(f"{fmt.name} export is several files: name a folder with -o")
    kg = load_graph(args.graph)
    s = kg.stats()
    if fmt.family == "triples":
        paths = fmt.writer(fmt, kg, args.output, status=args.status, grade=args.grade,
                           modality=args.modality)  # type: ignore[misc]
        n = sum(1 for _ in open(paths[0], encoding="utf-8"))
        print(f"wrote {args.output} (triples: {n} of {s['edges']} edges; {', '.join(p.name for p in paths)})",
              file=sys.stderr)
        return 0
    if fmt.family == "property-graph":
        paths = fmt.writer(fmt, kg, args.output)  # type: ignore[misc]
        print(f"wrote {args.output} ({fmt.name}: {', '.join(p.name for p in paths)}; {s['nodes']} nodes, "
              f"{s['edges']} relationships)", file=sys.stderr)
        return 0
    if fmt.family == "network":
        if args.output == "-":
            import tempfile
            from pathlib import Path

            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"graph.{fmt.name}"
                fmt.writer(fmt, kg, path)  # type: ignore[misc]
                sys.stdout.buffer.write(path.read_bytes())
            sys.stdout.flush()
            return 0
        fmt.writer(fmt, kg, args.output)  # type: ignore[misc]
    elif args.output == "-":
        text = serialize(kg, format=fmt.name) or ""
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return 0
    else:
        serialize(kg, args.output, format=fmt.name)
    print(f"wrote {args.output} ({fmt.name}: {s['nodes']} nodes, {s['edges']} edges, {s['evidence']} evidence records)",
          file=sys.stderr)
    return 0
