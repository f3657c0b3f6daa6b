"""``sle-graph merge SOURCE... -o FILE``: our graph merged with KGX, Hetionet and users' data.

Each SOURCE is recognised by what it is:

- a folder with ``entities``/``assertions`` tables, a YAML file, a Turtle (RDF) file, or one table
  of entities or assertions: users' facts, added with :meth:`KnowledgeGraph.extend`;
- a folder or file pair holding a KGX node table (a header with ``category``) and edge table:
  read with :func:`sle_graph.read_kgx`;
- a Hetionet JSON file (``.json``, ``.json.gz``, ``.json.bz2``), or a folder with Hetionet's node
  table (``id``, ``name``, ``kind``) and SIF edge table: read with :func:`sle_graph.read_hetionet`.

Graphs are merged in order, nodes matched by id and exact CURIE (see :mod:`sle_graph.merge`).
The output format follows the suffix of ``-o``: an RDF suffix (``.ttl``, ``.nt``, ``.jsonld``,
...) writes RDF; anything else is a folder that gets KGX ``nodes.tsv`` and ``edges.tsv``.
``--format`` overrides the guess.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

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


def _header(path: Path) -> set[str]:
    from ..build.tables import open_binary

    try:
        with open_binary(path) as fh:
            line = fh.readline(1 << 16).decode("utf-8", errors="replace").lstrip("\ufeff")
    except (OSError, EOFError, ValueError) as exc:
        raise UserError(f"{path}: cannot read file: {exc}") from None
    return {h.strip().strip('"') for h in line.rstrip("\r\n").split("\t")}


def classify(path: Path) -> tuple[str, Any]:
    """``("facts", path)``, ``("kgx", (nodes, edges))`` or ``("hetionet", (path, edges))``."""
    from ..extend import TABLE_SUFFIXES

    if not path.exists():
        raise UserError(f"{path}: no such file or folder")
    if path.is_file():
        if ".json" in [s.lower() for s in path.suffixes]:
            return "hetionet", (path, None)
        header = _header(path) if path.suffix.lower() in TABLE_SUFFIXES else set()
        if {"id", "name", "kind"} <= header and "category" not in header:
            return "hetionet", (path, None)
        return "facts", path
    names = {p.name for p in path.iterdir()}
    if any(n.startswith(("entities.", "assertions.")) for n in names):
        return "facts", path
    tables = [p for p in sorted(path.iterdir()) if p.is_file()]
    nodes = [p for p in tables if "nodes" in p.name and ".tsv" in p.name]
    edges = [p for p in tables if "edges" in p.name and (".tsv" in p.name or ".sif" in p.name)]
    if any(".json" in p.name for p in tables) and not nodes:
        return "hetionet", (path, None)
    if len(nodes) == 1 and len(edges) <= 1:
        header = _header(nodes[0])
        if "category" in header:
            return KGX, (nodes[0], edges[0] if edges else None)
        if {"id", "name", "kind"} <= header:
            return "hetionet", (nodes[0], edges[0] if edges else None)
    raise UserError(f"{path}: cannot tell what this folder holds; expected entities/assertions tables, "
                    "a KGX nodes.tsv and edges.tsv, or Hetionet's node table and SIF edges")


def _write(kg: Any, output: Path, fmt: str | None) -> str:
    from ..rdf.parse import SUFFIXES

    fmt = fmt or SUFFIXES.get(output.suffix.lower()) or KGX
    if fmt == KGX:
        if output.exists() and not output.is_dir():
            raise UserError(f"{output}: is a file; KGX output is a folder (or give an RDF suffix such as .ttl)")
        nodes, edges = kg.to_kgx(output)
        return f"{nodes} and {edges}"
    kg.serialize(output, format=fmt)
    return str(output)


def run(args: argparse.Namespace) -> int:
    import sle_graph
    from ..io.hetionet import read_hetionet
    from ..io.kgx import read_kgx

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
    wrote = _write(kg, Path(args.output), args.format)
    progress("")
    print(f"{len(kg)} nodes (+{len(kg) - start[0]}), {len(kg.edges())} edges (+{len(kg.edges()) - start[1]}) "
          f"-> {wrote}", file=sys.stderr)
    return 0
