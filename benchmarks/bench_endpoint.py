"""SPARQL endpoint benchmarks: pushing to a local Oxigraph server, and remote query latency.

On a generated graph of Hetionet's shape (:mod:`benchmarks.generate`; about 18 triples per edge:
the plain triple, its reified statement, the evidence record and its two selectors), against a
real ``oxigraph serve`` on 127.0.0.1 with a fresh directory per push:

- ``push``: ``kg.push(url)`` (atomic: temporary graphs, then one swap request) and
  ``kg.push(url, atomic=False)`` (straight into the target), both through the Graph Store
  Protocol in chunks of 50k triples, timed end to end (serializing the graph included); the
  note gives each step's seconds. Baseline: Oxigraph's offline bulk load (``oxigraph load`` of
  the same N-Triples file, written before timing, into an empty directory, server stopped).
  The atomic push is skipped above :data:`ATOMIC_MAX_EDGES`: Oxigraph holds the swap's
  transaction in memory (4.6 GB and still growing after 12 minutes for a ``MOVE`` of 1.8M
  triples), so that size needs ``atomic=False``.
- ``query``: the same queries on the in-memory graph (baseline) and on the server through
  :class:`sle_graph.RemoteGraph`: ``count`` and ``match`` (top 10, ranked by the server on the
  strengths the push stores) of the two-hop typed pattern of ``bench_query``, ``paths`` between
  compound-pathway pairs (at most :data:`HOPS` hops, top 10; median over pairs), ``node`` lookups
  by id, by label (the server's index: an exact triple pattern) and by label in another case (its
  case-insensitive scan), and a SPARQL ``SELECT`` (in memory: the graph's embedded Oxigraph store,
  built by the warm-up call). Each is the median of its repeats after one warm-up call; remote
  times include HTTP and result parsing.
"""

from __future__ import annotations

import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from .measure import REPO, Timing, median_time, n_repeats, quick, row

#: Above this many edges the atomic push is not run (see the module docstring).
ATOMIC_MAX_EDGES = 200_000
PATTERN = "Compound -[binds]-> Gene -[participates]-> Pathway"
HOPS = 3
PAIRS = 5


def _server():
    """The tests' Oxigraph server helper (start by free port, stop by process id)."""
    tests = str(REPO / "tests" / "endpoint")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    from oxigraph_server import OxigraphServer, oxigraph_binary

    return OxigraphServer, oxigraph_binary


def _push_row(kg: Any, n: int, atomic: bool, server: Any) -> dict[str, Any]:
    t0 = time.perf_counter()
    result = kg.push(server.url, atomic=atomic, timeout=3600, on_chunk=lambda sent, total: None)
    seconds = time.perf_counter() - t0
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
    return row("push", n, f"kg.push({'atomic' if atomic else 'atomic=False'}, Graph Store Protocol)",
               Timing(seconds, (seconds,)), items=result.triples, unit="triples",
               note=f"{result.triples} triples in {result.chunks} chunks; steps: {steps}; "
                    f"serializing and the rest: {seconds - sum(result.timings.values()):.1f} s")


def _bulk_load_row(kg: Any, n: int, workdir: Path) -> tuple[dict[str, Any], int]:
    _, binary = _server()
    nt = workdir / f"graph-{n}.nt"
    kg.serialize(nt, format="nt")
    location = Path(tempfile.mkdtemp(dir=workdir)) / "db"
    t0 = time.perf_counter()
    subprocess.run([binary(), "load", "--location", str(location), "--file", str(nt), "--graph",
                    "https://w3id.org/sle-graph/graph"], check=True, capture_output=True)
    seconds = time.perf_counter() - t0
    with open(nt, "rb") as fh:
        triples = sum(1 for _ in fh)
    nt.unlink()
    return row("push", n, "oxigraph load (offline bulk load)", Timing(seconds, (seconds,)), baseline=True,
               items=triples, unit="triples",
               note="N-Triples file written before timing; server not running"), triples


def _pairs(kg: Any, k: int) -> list[tuple[str, str]]:
    rng = random.Random(7)
    compounds = [n.id for n in kg.nodes(kind="Compound") if kg.out_adjacency.get(n.id)]
    pathways = [n.id for n in kg.nodes(kind="Pathway") if kg.in_adjacency.get(n.id)]
    return [(rng.choice(compounds), rng.choice(pathways)) for _ in range(k)]


def _query_rows(kg: Any, n: int, remote: Any, rows: list[dict[str, Any]]) -> None:
    compound = next(iter(kg.nodes(kind="Compound")))
    label = compound.label
    sparql = "SELECT ?c WHERE { ?c a sleo:Compound ; sleo:binds ?g } ORDER BY ?c LIMIT 100"
    queries: list[tuple[str, Callable[[Any], Any]]] = [
        (f"count {PATTERN}", lambda g: g.count(PATTERN)),
        (f"match {PATTERN}, top 10", lambda g: g.match(PATTERN, limit=10)),
        ("node by id", lambda g: g.node(compound.id)),
        ("node by label", lambda g: g.node(label)),
        # no exact spelling on the server: its case-insensitive scan, the fallback
        ("node by label, odd case", lambda g: g.node(label.swapcase())),
        ("SPARQL: compounds that bind a gene, first 100", lambda g: g.sparql(sparql)),
    ]
    repeats = n_repeats(5)
    for name, fn in queries:
        far = median_time(lambda: fn(remote), repeats=repeats)
        local = median_time(lambda: fn(kg), repeats=repeats)
        same = local.value == far.value
        rows.append(row(name, n, "in memory", local, baseline=True, unit="queries", items=1))
        rows.append(row(name, n, "Oxigraph over HTTP (RemoteGraph)", far, unit="queries", items=1,
                        note="same answer as in memory" if same else "ANSWERS DIFFER"))
    pairs = _pairs(kg, 2 if quick() else PAIRS)
    for tool, graph, baseline in (("in memory", kg, True), ("Oxigraph over HTTP (RemoteGraph)", remote, False)):
        times = [median_time(lambda: graph.paths(s, t, max_hops=HOPS, limit=10), repeats=n_repeats(3))
                 for s, t in pairs]
        seconds = statistics.median(t.seconds for t in times)
        found = sum(len(t.value) for t in times)
        rows.append(row(f"paths compound-pathway, <= {HOPS} hops, top 10", n, tool,
                        Timing(seconds, tuple(t.seconds for t in times)), baseline=baseline, unit="queries",
                        items=1, note=f"median over {len(pairs)} pairs; {found} paths in all"))


class _Rows(list):
    """Rows, each also shown on stderr as it comes (a 1M-edge run takes most of an hour)."""

    def append(self, r: dict[str, Any]) -> None:
        super().append(r)
        print(f"[bench_endpoint] {r['operation']} | {r['size']} | {r['tool']} | {r['seconds']} s | {r['note']}",
              file=sys.stderr, flush=True)


def run(sizes: list[int]) -> list[dict[str, Any]]:
    import sle_graph

    from .generate import generate

    rows: list[dict[str, Any]] = _Rows()
    workdir = Path(tempfile.mkdtemp(prefix="sle-bench-endpoint-"))
    OxigraphServer, _ = _server()

    def fresh_server() -> Any:
        return OxigraphServer(Path(tempfile.mkdtemp(dir=workdir)) / "db").start()

    try:
        for n in sizes:
            kg = generate(n, seed=1)
            bulk, triples = _bulk_load_row(kg, n, workdir)
            rows.append(bulk)
            if n <= ATOMIC_MAX_EDGES:
                server = fresh_server()
                try:
                    rows.append(_push_row(kg, n, True, server))
                finally:
                    server.kill()
            else:
                rows.append(row("push", n, "kg.push(atomic, Graph Store Protocol)", unit="triples",
                                note=f"not run above {ATOMIC_MAX_EDGES:,} edges: the swap is one transaction "
                                     f"of {triples:,} triples, which Oxigraph holds in memory"))
            server = fresh_server()
            try:
                rows.append(_push_row(kg, n, False, server))
                remote = sle_graph.connect(server.url, schema=kg.schema, timeout=600)
                _query_rows(kg, n, remote, rows)
            finally:
                server.kill()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return list(rows)
