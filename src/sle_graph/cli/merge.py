"""``sle-graph merge SOURCE... -o FILE``: our graph merged with KGX, Hetionet and users' data.

Each SOURCE is recognised by what it is (by the format registry, :mod:`sle_graph.io.formats`):

- a folder with ``entities``/``assertions`` tables, a YAML file, a Turtle (RDF) file, or one table
  of entities or assertions: users' facts, added with :meth:`KnowledgeGraph.extend`;
- a folder or file pair holding a KGX node table (a header with ``category``) and edge table:
  read with :func:`sle_graph.read_kgx`;
- a Hetionet JSON file (``.json``, ``.json.gz``, ``.json.bz2``; a ``.json`` file with JSON-LD keys
  is RDF), or a folder with Hetionet's node table (``id``, ``name``, ``kind``) and SIF edge table:
  read with :func:`sle_graph.read_hetionet`.

Graphs are merged in order, nodes matched by id and exact CURIE (see :mod:`sle_graph.merge`).
The output format follows the suffix of ``-o``: an RDF suffix (``.ttl``, ``.nt``, ``.jsonld``,
...) writes RDF; a name without a suffix, or a folder, gets KGX ``nodes.tsv`` and ``edges.tsv``;
another suffix is an error listing the formats. ``--format`` overrides the guess.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..io.formats import Format, detect, for_output
from . import UserError
from ._util import plain, progress

KGX = "kgx"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "merge", help="merge the curated graph with KGX, Hetionet or your own data",
        description=plain(__doc__.split("\n\n", 1)[1]) if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  sle-graph merge examples/user_facts -o mine.ttl\n"
               "  sle-graph merge kgx_dir/ hetionet-v1.0.json.bz2 -o merged/   (KGX folder)")
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="data to merge in (folders or files)")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write (suffix picks the format)")
    p.add_argument("--format", help="output format: kgx, or an RDF format (turtle, nt, xml, json-ld, ...)")
    p.add_argument("--sources-dir", metavar="DIR", help="folder of <document id>.txt texts to check quotes against")
    p.add_argument("--no-curated", action="store_true", help="start from an empty graph instead of the curated one")
    p.set_defaults(command="merge")


def classify(path: Path) -> tuple[str, Any]:
    """What a source is, by the format registry (:func:`sle_graph.io.formats.detect`):
    ``("facts", path)`` (users' facts and RDF, added with ``kg.extend``), ``("kgx", (nodes,
    edges))`` or ``("hetionet", (path, edges))``."""
    if not path.exists():
        raise UserError(f"{path}: no such file or folder")
    fmt, where = detect(path)
    return ("facts", path) if fmt.family in ("facts", "rdf") else (fmt.family, where)


def _output_format(output: Path, fmt: str | None) -> Format:
    """RDF by the suffix of ``-o`` (or ``--format``); a folder or a name without a suffix is KGX."""
    if fmt is None and output.is_dir():
        fmt = KGX
    return for_output(output, fmt, families=("rdf", KGX), default=KGX)


def _write(kg: Any, output: Path, fmt: Format) -> str:
    if fmt.family == KGX:
        if output.exists() and not output.is_dir():
            raise UserError(f"{output}: is a file; KGX output is a folder (or give an RDF suffix such as .ttl)")
        nodes, edges = kg.to_kgx(output)
        return f"{nodes} and {edges}"
    kg.serialize(output, format=fmt.name)
    return str(output)


def run(args: argparse.Namespace) -> int:
    import sle_graph
    from ..io.hetionet import read_hetionet
    from ..io.kgx import read_kgx

    out_format = _output_format(Path(args.output), args.format)  # a wrong suffix fails before the work
    kg = sle_graph.KnowledgeGraph() if args.no_curated else sle_graph.load()
    start = (len(kg), len(kg.edges()))
    for i, source in enumerate(args.sources, 1):
        what, where = classify(Path(source))
        progress(f"merging {source} ({i} of {len(args.sources)}, {what})...")
        if what == "facts":
            kg = kg.extend(where, sources_dir=args.sources_dir)
        elif what == KGX:
            kg = kg.merge(read_kgx(*where, schema=kg.schema))
        else:
            kg = kg.merge(read_hetionet(where[0], where[1], schema=kg.schema))
    progress(f"writing {args.output}...")
    wrote = _write(kg, Path(args.output), out_format)
    progress("")
    print(f"{len(kg)} nodes (+{len(kg) - start[0]}), {len(kg.edges())} edges (+{len(kg.edges()) - start[1]}) "
          f"-> {wrote}", file=sys.stderr)
    return 0
