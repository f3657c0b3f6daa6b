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

Each row also gives the step's CPU time (in its note and as ``cpu_s``): on a shared machine wall
time counts other processes too, CPU time is the work done. The rate is triples per second (each graph's RDF view has ~18 triples per edge: the plain triple,
the reified statement, the evidence record and its two selectors).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
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
    from sle_graph.rdf.write import blocks

    return sum(len(set(pairs)) for _, pairs in blocks(kg))


def _timed(write: Callable[[], None], count: int) -> Callable[[], str]:
    """The step: ``write()``; its value is ``"<triples> <CPU seconds>"`` (CPU time shows the cost
    on a shared machine, where wall time also counts other processes)."""
    def step() -> str:
        cpu = time.process_time()
        write()
        return f"{count} {time.process_time() - cpu:.6f}"
    return step


# -- steps run in child processes (setup returns the timed step) ---------------------------------

def setup_sle_graph(n: int) -> Callable[[], str]:
    kg = _graph(n)
    path = os.path.join(_scratch(), "graph.ttl")
    kg.subgraph([kg.nodes()[0]]).serialize(path)  # warm up: imports, caches
    return _timed(lambda: kg.serialize(path, format="turtle"), _triples(kg))


def setup_rdflib(n: int) -> Callable[[], str]:
    import rdflib

    graph = _graph(n).to_rdf()
    path = os.path.join(_scratch(), "graph.ttl")
    rdflib.Graph().serialize(path, format="turtle")  # warm up: the plugin import
    return _timed(lambda: graph.serialize(path, format="turtle"), len(graph))


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
    return _timed(lambda: store.dump(path, format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph()), count)


# -- the benchmark ------------------------------------------------------------------------------

def _repeats(n: int) -> int:
    return 3 if n <= 100_000 else 1


def _measure(setup: str, n: int) -> tuple[Timing, int, float]:
    """Timing, triples written and CPU seconds of the last run of ``setup``'s step."""
    t = isolated(f"{HERE}:{setup}", n, repeats=_repeats(n), budget=120)
    count, cpu = str(t.value).split()
    return t, int(count), float(cpu)


def run(sizes: list[int]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    rdflib_rate: tuple[int, float, float] | None = None  # size, triples/s wall and CPU: largest run
    limit = RDFLIB_MAX if not quick() else min(RDFLIB_MAX, 20_000)
    for n in sizes:
        ours, triples, ours_cpu = _measure("setup_sle_graph", n)
        rows.append(row(OPERATION, n, "sle_graph kg.serialize(path)", ours, items=triples, unit="triples",
                        cpu_s=ours_cpu, note=f"canonical Turtle, streamed to a file; CPU {ours_cpu:.3g} s"))
        if n <= limit:
            t, count, cpu = _measure("setup_rdflib", n)
            rdflib_rate = (n, count / t.seconds, count / cpu)
            rows.append(row(OPERATION, n, "rdflib Graph.serialize", t, baseline=True, items=count, unit="triples",
                            cpu_s=cpu, note=f"same triples (kg.to_rdf(), built before timing); CPU {cpu:.3g} s, "
                                            f"{cpu / ours_cpu:.3g}x ours"))
        elif rdflib_rate is not None:
            size, rate, cpu_rate = rdflib_rate
            cpu = triples / cpu_rate
            rows.append(row(OPERATION, n, "rdflib Graph.serialize (estimate)", Timing(triples / rate, ()),
                            baseline=True, items=triples, unit="triples", cpu_s=cpu,
                            note=f"not run (an rdflib graph this size needs ~{n / 60_000:.0f} GB): triples / "
                                 f"rdflib's rate at {size:,} edges ({rate:,.0f} triples/s; CPU {cpu:.3g} s, "
                                 f"{cpu / ours_cpu:.3g}x ours)"))
        t, count, cpu = _measure("setup_pyoxigraph", n)
        rows.append(row(OPERATION, n, "pyoxigraph Store.dump", t, items=count, unit="triples", cpu_s=cpu,
                        note=f"fast reference (Rust); store loaded before timing; its own Turtle layout; "
                             f"CPU {cpu:.3g} s"))
    return rows
