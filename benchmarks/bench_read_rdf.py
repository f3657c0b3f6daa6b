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
- ``pyoxigraph parse``: the fast reference, counting the triples ``pyoxigraph.parse`` streams
  (strict, as its default is: IRIs checked).
- ``the graph it returns``: the memory the returned graph holds (the read's process, resident
  memory after the read minus before it, once freed memory is handed back to the system), beside
  the same graph built from objects (``KnowledgeGraph.from_checked`` of the generated layout, the
  ``load`` topic's ``build in-memory graph``: its step MB, transients included). The read's note
  gives its step MB over both (issue 18's target: at most 2x the graph it returns).

Each timed row also gives the step's CPU time (``cpu_s``, and in the note; the parsing processes'
CPU added to the read's): on a shared machine wall time counts other processes.
"""

from __future__ import annotations

import ctypes
import gc
import os
import resource
import time
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

def _cpu() -> float:
    """CPU seconds of this process and of its finished (waited for) child processes."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def _resident_mb() -> float:
    """Resident memory once free memory is handed back (glibc ``malloc_trim``, where there is one)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _timed(work: Callable[[], Any], held: bool = False) -> Callable[[], str]:
    """The step: ``work()``; its value is ``"<count> <CPU seconds> <MB held>"`` (what the result
    still holds once the step is over, when ``held``; else 0)."""
    def step() -> str:
        before = _resident_mb() if held else 0.0
        cpu = _cpu()
        result = work()
        spent = _cpu() - cpu
        kept = _resident_mb() - before if held else 0.0
        count = len(result.edges()) if hasattr(result, "edges") else int(result)
        return f"{count} {spent:.6f} {kept:.1f}"
    return step


def setup_sle_graph(n: int, fmt: str, path: str) -> Callable[[], str]:
    import sle_graph

    from .hetionet_schema import hetionet_schema

    kg = sle_graph.load()  # warm up: imports, the ontology, and the reader's own imports
    sle_graph.read_rdf(kg.subgraph(["msc"]).serialize(format=fmt), format=fmt)
    schema = hetionet_schema()  # the graph's own (its predicates' domains differ from ours)
    return _timed(lambda: sle_graph.read_rdf(path, format=fmt, schema=schema), held=True)


def setup_rdflib(n: int, fmt: str, path: str) -> Callable[[], str]:
    import rdflib

    rdflib.Graph().parse(data="<urn:a> <urn:b> <urn:c> .", format="nt")  # warm up: plugin imports
    return _timed(lambda: len(rdflib.Graph().parse(path, format=fmt)))


def setup_pyoxigraph(n: int, fmt: str, path: str) -> Callable[[], str]:
    import pyoxigraph as ox

    kind = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
    return _timed(lambda: sum(1 for _ in ox.parse(path=path, format=kind)))


# -- the benchmark ------------------------------------------------------------------------------

def _processes(path: str, fmt: str) -> int:
    """How many processes parse this file (:mod:`sle_graph.rdf.chunks`)."""
    from sle_graph import rdf_chunks

    return max(1, len(rdf_chunks.plan(path, fmt)[1]))


def _repeats(n: int) -> int:
    return 3 if n <= 100_000 else 1


def _measure(step: str, n: int, fmt: str, path: str) -> tuple[Timing, int, float, float]:
    """Timing, count, CPU seconds and MB held of a step made by :func:`_timed` (its last run)."""
    t = isolated(f"{HERE}:{step}", n, fmt, path, repeats=_repeats(n), budget=120)
    count, cpu, held = str(t.value).split()
    return t, int(count), float(cpu), float(held)


def run(sizes: list[int]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    limit = RDFLIB_MAX if not quick() else min(RDFLIB_MAX, 20_000)
    built: dict[int, Timing] = {}  # size -> the same graph built from objects
    for fmt, (op, _) in FORMATS.items():
        rdflib_rate: tuple[int, float, float] | None = None  # (size, triples/s, triples per CPU s), largest run
        for n in sizes:
            path = os.path.join(_scratch(), f"graph-{n}{FORMATS[fmt][1]}")
            isolated(f"{HERE}:setup_write", n, fmt, path, repeats=1)
            if n not in built:
                built[n] = isolated("benchmarks.bench_load:setup_build", n, False, repeats=_repeats(n), budget=120)
            ox, triples, ox_cpu, _ = _measure("setup_pyoxigraph", n, fmt, path)
            t, edges, cpu, graph_mb = _measure("setup_sle_graph", n, fmt, path)
            processes = _processes(path, fmt)
            how = f"parsed by pyoxigraph in {processes} processes" if processes > 1 else "parsed by pyoxigraph"
            ratio = (f"{t.step_mb / graph_mb:.2f}x the graph it returns, {t.step_mb / built[n].step_mb:.2f}x "
                     "the same graph built from objects" if t.step_mb and graph_mb > 0 and built[n].step_mb else "n/a")
            rows.append(row(op, n, "sle_graph.read_rdf(path)", t, items=triples, unit="triples", cpu_s=cpu,
                            graph_mb=graph_mb,
                            note=f"{how}, rebuilt and validated; {edges} edges; CPU {cpu:.3g} s (parsing processes "
                                 f"included); peak MB includes the parsing processes; step MB = "
                                 f"{ratio}; {t.seconds / ox.seconds:.2f}x pyoxigraph's parse (wall), "
                                 f"{cpu / ox_cpu:.2f}x (CPU)"))
            if n <= limit:
                r, count, rdflib_cpu, _ = _measure("setup_rdflib", n, fmt, path)
                rdflib_rate = (n, count / r.seconds, count / rdflib_cpu)
                rows.append(row(op, n, "rdflib Graph.parse", r, baseline=True, items=count, unit="triples",
                                cpu_s=rdflib_cpu, note=f"triples only, memory store; CPU {rdflib_cpu:.3g} s"))
            elif rdflib_rate is not None:
                size, rate, cpu_rate = rdflib_rate
                rows.append(row(op, n, "rdflib Graph.parse (estimate)", Timing(triples / rate, ()),
                                baseline=True, items=triples, unit="triples", cpu_s=triples / cpu_rate,
                                note=f"not run (~{n / 60_000:.0f} GB): time = triples / rdflib's rate at "
                                     f"{size:,} edges ({rate:,.0f} triples/s; CPU {triples / cpu_rate:.3g} s)"))
            rows.append(row(op, n, "pyoxigraph parse", ox, items=triples, unit="triples", cpu_s=ox_cpu,
                            note=f"fast reference (Rust): triples streamed and counted, no store; CPU {ox_cpu:.3g} s"))
            rows.append(row(op, n, "the graph it returns", None, peak_mb=None, step_mb=graph_mb,
                            note=f"resident MB the returned graph holds after the read (step MB column); the same "
                                 f"graph built from objects (KnowledgeGraph.from_checked): step MB "
                                 f"{built[n].step_mb:.4g}, peak MB {built[n].peak_mb:.4g}"))
            os.remove(path)
    return rows
