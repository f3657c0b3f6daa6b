"""RDF import benchmark: ``sle_graph.read_rdf`` of Turtle and N-Triples against rdflib and pyoxigraph.

Rows (operations ``import Turtle`` and ``import N-Triples``, per size, each in a fresh process;
see :func:`benchmarks.measure.isolated`). The file is our own export of a generated graph
(``kg.serialize``), written once per size and format by a child process before timing, so the
step's memory is what reading costs.

- ``sle_graph.read_rdf(path, schema=...)``: parse (pyoxigraph) and rebuild a validated
  :class:`~sle_graph.KnowledgeGraph` (nodes, edges, evidence, grades), with the generated graph's
  schema (Hetionet's ``treats`` links compounds, ours therapies). A large file is parsed in
  several processes (:mod:`sle_graph.rdf.chunks`, one per core up to 4); their peak memory is
  added to the row's.
- ``rdflib Graph.parse`` (the baseline): ``rdflib.Graph().parse(path)``, triples only, no model.
  rdflib holds about 1 GB per 60k edges of our RDF view (~18 triples per edge), so it runs up to
  ``SLE_BENCH_PARSE_RDFLIB_MAX`` edges (default 100k); above, the row is an *estimate* from the
  largest measured size's triples per second (time only; no memory), and its note says so.
- ``pyoxigraph parse``: the fast reference, counting the triples ``pyoxigraph.parse`` streams.
"""

from __future__ import annotations

import os
from typing import Any, Callable

from .bench_export import _scratch
from .measure import Timing, isolated, quick, row

HERE = "benchmarks.bench_read_rdf"
RDFLIB_MAX = int(os.environ.get("SLE_BENCH_PARSE_RDFLIB_MAX", 100_000))
FORMATS = {"turtle": ("import Turtle", ".ttl"), "nt": ("import N-Triples", ".nt")}


def setup_write(n: int, fmt: str, path: str) -> Callable[[], int]:
    """Write our export of the generated graph of ``n`` edges to ``path`` (in a child process,
    once per size and format; the timed steps below then only read it)."""
    from .generate import generate

    generate(n).serialize(path, format=fmt)
    return lambda: os.path.getsize(path)


# -- steps run in child processes (setup returns the timed step) ---------------------------------

def setup_sle_graph(n: int, fmt: str, path: str) -> Callable[[], int]:
    import sle_graph

    from .hetionet_schema import hetionet_schema

    sle_graph.load()  # warm up: imports, the ontology
    schema = hetionet_schema()  # the graph's own (its predicates' domains differ from ours)
    return lambda: len(sle_graph.read_rdf(path, format=fmt, schema=schema).edges())


def setup_rdflib(n: int, fmt: str, path: str) -> Callable[[], int]:
    import rdflib

    rdflib.Graph().parse(data="<urn:a> <urn:b> <urn:c> .", format="nt")  # warm up: plugin imports
    return lambda: len(rdflib.Graph().parse(path, format=fmt))


def setup_pyoxigraph(n: int, fmt: str, path: str) -> Callable[[], int]:
    import pyoxigraph as ox

    kind = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
    return lambda: sum(1 for _ in ox.parse(path=path, format=kind))


# -- the benchmark ------------------------------------------------------------------------------

def _processes(path: str, fmt: str) -> int:
    """How many processes parse this file (:mod:`sle_graph.rdf.chunks`)."""
    from sle_graph import rdf_chunks

    return max(1, len(rdf_chunks.plan(path, fmt)[1]))


def _repeats(n: int) -> int:
    return 3 if n <= 100_000 else 1


def run(sizes: list[int]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    limit = RDFLIB_MAX if not quick() else min(RDFLIB_MAX, 20_000)
    for fmt, (op, _) in FORMATS.items():
        rdflib_rate: tuple[int, float] | None = None  # (size, triples per second) of the largest run
        for n in sizes:
            path = os.path.join(_scratch(), f"graph-{n}{FORMATS[fmt][1]}")
            isolated(f"{HERE}:setup_write", n, fmt, path, repeats=1)
            ox = isolated(f"{HERE}:setup_pyoxigraph", n, fmt, path, repeats=_repeats(n), budget=120)
            triples = int(ox.value)
            t = isolated(f"{HERE}:setup_sle_graph", n, fmt, path, repeats=_repeats(n), budget=120)
            processes = _processes(path, fmt)
            how = f"parsed by pyoxigraph in {processes} processes" if processes > 1 else "parsed by pyoxigraph"
            rows.append(row(op, n, "sle_graph.read_rdf(path)", t, items=triples, unit="triples",
                            note=f"{how}, rebuilt and validated; {t.value} edges; peak MB includes the "
                                 "parsing processes"))
            if n <= limit:
                t = isolated(f"{HERE}:setup_rdflib", n, fmt, path, repeats=_repeats(n), budget=120)
                rdflib_rate = (n, int(t.value) / t.seconds)
                rows.append(row(op, n, "rdflib Graph.parse", t, baseline=True, items=int(t.value),
                                unit="triples", note="triples only, memory store"))
            elif rdflib_rate is not None:
                size, rate = rdflib_rate
                rows.append(row(op, n, "rdflib Graph.parse (estimate)", Timing(triples / rate, ()),
                                baseline=True, items=triples, unit="triples",
                                note=f"not run (~{n / 60_000:.0f} GB): time = triples / rdflib's rate at "
                                     f"{size:,} edges ({rate:,.0f} triples/s)"))
            rows.append(row(op, n, "pyoxigraph parse", ox, items=triples, unit="triples",
                            note="fast reference (Rust): triples streamed and counted, no store"))
            os.remove(path)
    return rows
