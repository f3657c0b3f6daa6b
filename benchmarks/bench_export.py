"""Export benchmark: canonical Turtle of generated graphs against plain rdflib and pyoxigraph.

Rows (operation ``export Turtle``, per size, each in a fresh process; see
:func:`benchmarks.measure.isolated`):

- ``sle_graph kg.serialize(path)``: our streaming canonical writer, graph to file.
- ``rdflib Graph.serialize`` (the baseline): plain ``rdflib.Graph.serialize(format="turtle")`` of
  the same triples (``kg.to_rdf()``, built before timing: only the writer is timed). An rdflib
  graph of the RDF view takes about 1 GB per 60k edges and minutes to build, so it runs up to
  ``SLE_BENCH_EXPORT_RDFLIB_MAX`` edges (default 200k); above, the row is an *estimate* from the
  largest measured size's triples per second (rdflib's writer is no faster per triple on larger
  graphs), and its note says so.
- ``pyoxigraph Store.dump``: the fast reference, Oxigraph's Rust Turtle writer dumping the same
  triples from an in-memory store (loaded before timing).

The rate is triples per second (each graph's RDF view has ~18 triples per edge: the plain triple,
the reified statement, the evidence record and its two selectors).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from typing import Any, Callable

from .measure import Timing, isolated, quick, row

HERE = "benchmarks.bench_export"
OPERATION = "export Turtle"
RDFLIB_MAX = int(os.environ.get("SLE_BENCH_EXPORT_RDFLIB_MAX", 200_000))


def _scratch() -> str:
    folder = tempfile.mkdtemp(prefix="sle-bench-export-")
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _graph(n: int):
    from .generate import generate

    return generate(n)


def _triples(kg) -> int:
    from sle_graph.rdf import blocks

    return sum(len(set(pairs)) for _, pairs in blocks(kg))


# -- steps run in child processes (setup returns the timed step) ---------------------------------

def setup_sle_graph(n: int) -> Callable[[], int]:
    kg = _graph(n)
    count = _triples(kg)
    path = os.path.join(_scratch(), "graph.ttl")
    kg.subgraph([kg.nodes()[0]]).serialize(path)  # warm up: imports, caches

    def step() -> int:
        kg.serialize(path, format="turtle")
        return count
    return step


def setup_rdflib(n: int) -> Callable[[], int]:
    import rdflib

    graph = _graph(n).to_rdf()
    path = os.path.join(_scratch(), "graph.ttl")
    rdflib.Graph().serialize(path, format="turtle")  # warm up: the plugin import

    def step() -> int:
        graph.serialize(path, format="turtle")
        return len(graph)
    return step


def setup_pyoxigraph(n: int) -> Callable[[], int]:
    import pyoxigraph as ox

    kg = _graph(n)
    folder = _scratch()
    source = os.path.join(folder, "graph.nt")
    kg.serialize(source, format="nt")
    store = ox.Store()
    store.bulk_load(path=source, format=ox.RdfFormat.N_TRIPLES)
    count = len(store)
    del kg
    path = os.path.join(folder, "graph.ttl")

    def step() -> int:
        store.dump(path, format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
        return count
    return step


# -- the benchmark ------------------------------------------------------------------------------

def _repeats(n: int) -> int:
    return 3 if n <= 100_000 else 1


def run(sizes: list[int]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    rdflib_rate: tuple[int, float] | None = None  # (size, triples per second) of the largest run
    limit = RDFLIB_MAX if not quick() else min(RDFLIB_MAX, 20_000)
    for n in sizes:
        ours = isolated(f"{HERE}:setup_sle_graph", n, repeats=_repeats(n), budget=120)
        triples = int(ours.value)
        rows.append(row(OPERATION, n, "sle_graph kg.serialize(path)", ours, items=triples, unit="triples",
                        note="canonical Turtle, streamed to a file"))
        if n <= limit:
            t = isolated(f"{HERE}:setup_rdflib", n, repeats=_repeats(n), budget=120)
            rdflib_rate = (n, int(t.value) / t.seconds)
            rows.append(row(OPERATION, n, "rdflib Graph.serialize", t, baseline=True, items=int(t.value),
                            unit="triples", note="same triples (kg.to_rdf(), built before timing)"))
        elif rdflib_rate is not None:
            size, rate = rdflib_rate
            estimate = Timing(triples / rate, ())
            rows.append(row(OPERATION, n, "rdflib Graph.serialize (estimate)", estimate, baseline=True,
                            items=triples, unit="triples",
                            note=f"not run (an rdflib graph this size needs ~{n / 60_000:.0f} GB): "
                                 f"time = triples / rdflib's rate at {size:,} edges ({rate:,.0f} triples/s)"))
        t = isolated(f"{HERE}:setup_pyoxigraph", n, repeats=_repeats(n), budget=120)
        rows.append(row(OPERATION, n, "pyoxigraph Store.dump", t, items=int(t.value), unit="triples",
                        note="fast reference (Rust); store loaded before timing; its own Turtle layout"))
    return rows
