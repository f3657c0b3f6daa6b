"""SPARQL endpoint benchmarks: pushing to local Oxigraph and Virtuoso servers, and remote query latency.

On a generated graph of Hetionet's shape (:mod:`benchmarks.generate`; about 18 triples per edge:
the plain triple, its reified statement, the evidence record and its two selectors), against a
real ``oxigraph serve`` and a real ``virtuoso-t`` (when installed: ``make virtuoso``) on
127.0.0.1, each with a fresh database per push:

- ``push to SERVER`` (each compared with its own server's bulk load): ``kg.push(url)`` (atomic:
  a new version, its strength graph included, uploaded in chunks of 50k triples, then one
  pointer switched) onto an empty server, through each server's Graph Store Protocol, timed end
  to end (serializing the graph included); the note gives each step's seconds. Then, on the
  same server: ``re-push unchanged`` (a fresh graph object of the same content: its digest is
  computed, it matches, nothing is uploaded); the ``query`` rows, on the data that push sent;
  ``replacing`` (another graph of the same size pushed atomically over it: the note's
  ``clean up`` is the deletion of the previous version); ``adding`` (``replace=False`` with a
  graph of 1k edges: the note's ``copy previous`` is the server-side copy of the whole version);
  ``atomic=False`` (the first graph again, rewriting the version in place: ``delete previous``
  then the upload). Baseline: the server's own offline bulk load of the same
  N-Triples file, written before timing: ``oxigraph load`` into an empty directory with the
  server stopped; Virtuoso's bulk loader (``ld_dir`` + ``rdf_loader_run`` + ``checkpoint`` through
  ``isql-vt``, no HTTP) into an empty database.
- ``query``: the same queries on the in-memory graph (baseline) and on each server through
  :class:`sle_graph.RemoteGraph`: ``count`` and ``match`` (top 10, ranked by the server on the
  strengths the push stores) of the two-hop typed pattern of ``bench_query``, ``paths`` between
  compound-pathway pairs (at most :data:`HOPS` hops, top 10; median over pairs), ``node`` lookups
  by id, by label (the server's index: an exact triple pattern) and by label in another case (its
  case-insensitive scan), and a SPARQL ``SELECT`` (in memory: the graph's embedded Oxigraph store,
  built by the warm-up call). Each is the median of its repeats after one warm-up call; remote
  times include HTTP and result parsing.

``SLE_BENCH_SERVERS`` (``oxigraph,virtuoso`` by default) picks the servers, and
``SLE_BENCH_ENDPOINT_STEPS`` (``bulk,push,repush,query,replace,add,inplace`` by default) the rows:
at 1M edges a whole run takes hours, ``bulk,push`` gives the push-against-bulk-load rows alone.
``make bench-endpoint`` runs it all at 100k and 1M edges into ``out/bench-endpoint.md``
(``SIZES=`` and ``OUT=`` change them). The step ``clientrank`` (not run by default) pushes the
same graph again with ``replace=False``, which stores no strengths, and times ``match`` and
``paths`` top 10 again: ranked in the client, the fallback, against the server ranking of the
``query`` rows (same answers, same run).
"""

from __future__ import annotations

import os
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

PATTERN = "Compound -[binds]-> Gene -[participates]-> Pathway"
HOPS = 3
PAIRS = 5
#: Edges of the graph added with ``replace=False`` (the cost is the copy of the version it adds to).
ADDED = 1_000
#: Virtuoso's page cache for the benchmark (8 kB pages): 1.3 GB, enough for 1M edges' triples.
VIRTUOSO_BUFFERS = 170_000


def _server():
    """The tests' Oxigraph server helper (start by free port, stop by process id)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from tests.endpoint.oxigraph_server import OxigraphServer, oxigraph_binary

    return OxigraphServer, oxigraph_binary


def _virtuoso():
    """The tests' Virtuoso server helper, or None when ``virtuoso-t`` is not installed."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from tests.endpoint.virtuoso_server import VirtuosoServer, virtuoso_binaries

    return VirtuosoServer if virtuoso_binaries() else None


def _servers() -> list[str]:
    return [s.strip() for s in os.environ.get("SLE_BENCH_SERVERS", "oxigraph,virtuoso").split(",") if s.strip()]


STEPS = ("bulk", "push", "repush", "query", "replace", "add", "inplace")
#: Steps run only when named.
OPTIONAL_STEPS = ("clientrank",)


def _steps() -> set[str]:
    chosen = {s.strip() for s in os.environ.get("SLE_BENCH_ENDPOINT_STEPS", ",".join(STEPS)).split(",") if s.strip()}
    unknown = chosen - set(STEPS) - set(OPTIONAL_STEPS)
    if unknown:
        raise ValueError(f"SLE_BENCH_ENDPOINT_STEPS: unknown {', '.join(sorted(unknown))}; "
                         f"steps: {', '.join(STEPS + OPTIONAL_STEPS)}")
    return chosen


def _push_row(kg: Any, n: int, atomic: bool, server: Any, name: str, auth: Any = None, *, how: str = "atomic",
              replace: bool = True) -> dict[str, Any]:
    t0 = time.perf_counter()
    result = kg.push(server.url, atomic=atomic, replace=replace, auth=auth, timeout=3600,
                     on_chunk=lambda sent, total: None)
    seconds = time.perf_counter() - t0
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
    how = "re-push unchanged" if result.unchanged else how
    return row(f"push to {name}", n, f"kg.push({how})", Timing(seconds, (seconds,)), items=result.triples,
               unit="triples", note=f"{result.triples} triples in {result.chunks} chunks ({result.protocol}); "
                                    f"steps: {steps}; serializing and the rest: "
                                    f"{seconds - sum(result.timings.values()):.1f} s")


def _write_nt(kg: Any, n: int, workdir: Path) -> tuple[Path, int]:
    nt = workdir / f"graph-{n}.nt"
    kg.serialize(nt, format="nt")
    with open(nt, "rb") as fh:
        triples = sum(1 for _ in fh)
    return nt, triples


def _oxigraph_bulk_row(nt: Path, triples: int, n: int, workdir: Path) -> dict[str, Any]:
    _, binary = _server()
    location = Path(tempfile.mkdtemp(dir=workdir)) / "db"
    t0 = time.perf_counter()
    subprocess.run([binary(), "load", "--location", str(location), "--file", str(nt), "--graph",
                    "https://w3id.org/sle-graph/graph"], check=True, capture_output=True)
    seconds = time.perf_counter() - t0
    shutil.rmtree(location.parent, ignore_errors=True)
    return row("push to Oxigraph", n, "oxigraph load (offline bulk load)", Timing(seconds, (seconds,)),
               baseline=True, items=triples, unit="triples",
               note="N-Triples file written before timing; server not running")


def _virtuoso_bulk_row(nt: Path, triples: int, n: int, workdir: Path) -> dict[str, Any]:
    VirtuosoServer = _virtuoso()
    server = VirtuosoServer(Path(tempfile.mkdtemp(dir=workdir)) / "db", buffers=VIRTUOSO_BUFFERS).start()
    try:
        folder = server.location / "load"
        folder.mkdir()
        os.link(nt, folder / nt.name) if nt.stat().st_dev == folder.stat().st_dev else shutil.copy(nt, folder)
        t0 = time.perf_counter()
        server.sql(f"ld_dir('{folder}', '{nt.name}', 'https://w3id.org/sle-graph/graph'); rdf_loader_run(); "
                   "checkpoint;")
        seconds = time.perf_counter() - t0
        from sle_graph.endpoint._http import Client

        loaded = int(Client(server.url).select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/sle-graph/"
                                               "graph> { ?s ?p ?o } }")[0]["n"]["value"])
    finally:
        server.stop()
    return row("push to Virtuoso", n, "ld_dir + rdf_loader_run (bulk loader, no HTTP)", Timing(seconds, (seconds,)),
               baseline=True, items=loaded, unit="triples",
               note="N-Triples file written before timing; loader and checkpoint through isql-vt")


def _pairs(kg: Any, k: int) -> list[tuple[str, str]]:
    rng = random.Random(7)
    compounds = [n.id for n in kg.nodes(kind="Compound") if kg.out_adjacency.get(n.id)]
    pathways = [n.id for n in kg.nodes(kind="Pathway") if kg.in_adjacency.get(n.id)]
    return [(rng.choice(compounds), rng.choice(pathways)) for _ in range(k)]


def _client_rank_rows(kg: Any, n: int, remote: Any, rows: list[dict[str, Any]], name: str) -> None:
    """``match`` and ``paths`` top 10 on a version without strengths: ranked in the client."""
    tool = f"{name} over HTTP (RemoteGraph), ranked in the client"
    far = median_time(lambda: remote.match(PATTERN, limit=10), repeats=n_repeats(5))
    rows.append(row(f"match {PATTERN}, top 10", n, tool, far, unit="queries", items=1,
                    note="pushed with replace=False: no strengths stored; "
                         + ("same answer as in memory" if far.value == kg.match(PATTERN, limit=10) else "ANSWERS DIFFER")))
    pairs = _pairs(kg, 2 if quick() else PAIRS)
    times = [median_time(lambda: remote.paths(s, t, max_hops=HOPS, limit=10), repeats=n_repeats(3)) for s, t in pairs]
    same = all(timed.value == kg.paths(s, t, max_hops=HOPS, limit=10) for timed, (s, t) in zip(times, pairs))
    rows.append(row(f"paths compound-pathway, <= {HOPS} hops, top 10", n, tool,
                    Timing(statistics.median(t.seconds for t in times), tuple(t.seconds for t in times)),
                    unit="queries", items=1,
                    note=f"median over {len(pairs)} pairs; " + ("same answers as in memory" if same else "ANSWERS DIFFER")))


def _query_rows(kg: Any, n: int, remote: Any, rows: list[dict[str, Any]], name: str) -> None:
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
    done = _BASELINES.setdefault(n, set())
    for query, fn in queries:
        far = median_time(lambda: fn(remote), repeats=repeats)
        local = median_time(lambda: fn(kg), repeats=repeats)
        same = local.value == far.value
        if query not in done:  # the in-memory baseline once per size, beside the first server's
            rows.append(row(query, n, "in memory", local, baseline=True, unit="queries", items=1))
        rows.append(row(query, n, f"{name} over HTTP (RemoteGraph)", far, unit="queries", items=1,
                        note="same answer as in memory" if same else "ANSWERS DIFFER"))
    pairs = _pairs(kg, 2 if quick() else PAIRS)
    for tool, graph, baseline in (("in memory", kg, True), (f"{name} over HTTP (RemoteGraph)", remote, False)):
        if baseline and "paths" in done:
            continue
        times = [median_time(lambda: graph.paths(s, t, max_hops=HOPS, limit=10), repeats=n_repeats(3))
                 for s, t in pairs]
        seconds = statistics.median(t.seconds for t in times)
        found = sum(len(t.value) for t in times)
        rows.append(row(f"paths compound-pathway, <= {HOPS} hops, top 10", n, tool,
                        Timing(seconds, tuple(t.seconds for t in times)), baseline=baseline, unit="queries",
                        items=1, note=f"median over {len(pairs)} pairs; {found} paths in all"))
    done.update(q for q, _ in queries)
    done.add("paths")


class _Rows(list):
    """Rows, each also shown on stderr as it comes (a 1M-edge run takes most of an hour)."""

    def append(self, r: dict[str, Any]) -> None:
        super().append(r)
        print(f"[bench_endpoint] {r['operation']} | {r['size']} | {r['tool']} | {r['seconds']} s | {r['note']}",
              file=sys.stderr, flush=True)


#: Queries whose in-memory baseline row is already in, by size (one per size, not one per server).
_BASELINES: dict[int, set[str]] = {}


def run(sizes: list[int]) -> list[dict[str, Any]]:
    import sle_graph

    from .generate import generate

    rows: list[dict[str, Any]] = _Rows()
    workdir = Path(tempfile.mkdtemp(prefix="sle-bench-endpoint-"))
    OxigraphServer, _ = _server()
    VirtuosoServer = _virtuoso()
    kinds = _servers()
    if "virtuoso" in kinds and VirtuosoServer is None:
        print("[bench_endpoint] virtuoso-t not found (make virtuoso): Virtuoso rows skipped", file=sys.stderr)
        kinds.remove("virtuoso")

    def fresh(kind: str) -> tuple[Any, Any]:
        location = Path(tempfile.mkdtemp(dir=workdir)) / "db"
        if kind == "oxigraph":
            return OxigraphServer(location).start(), None
        server = VirtuosoServer(location, buffers=VIRTUOSO_BUFFERS).start()
        return server, server.auth

    def stop(server: Any) -> None:
        (server.kill if hasattr(server, "kill") else server.stop)()
        shutil.rmtree(server.location.parent, ignore_errors=True)

    _BASELINES.clear()
    steps = _steps()
    try:
        for n in sizes:
            kg = generate(n, seed=1)
            nt, triples = _write_nt(kg, n, workdir)
            for kind in kinds:
                name = "Oxigraph" if kind == "oxigraph" else "Virtuoso"
                if "bulk" in steps:
                    bulk = _oxigraph_bulk_row if kind == "oxigraph" else _virtuoso_bulk_row
                    rows.append(bulk(nt, triples, n, workdir))
                if not steps & {"push", "repush", "inplace", "query", "clientrank"}:
                    continue
                server, auth = fresh(kind)
                try:
                    if "push" in steps:
                        rows.append(_push_row(kg, n, True, server, name, auth, how="atomic, empty server"))
                    else:  # the later rows need the graph there
                        kg.push(server.url, auth=auth, timeout=3600, on_chunk=lambda sent, total: None)
                    if "repush" in steps:  # unchanged: nothing uploaded, the digest of a fresh object
                        rows.append(_push_row(generate(n, seed=1), n, True, server, name, auth))
                    if "query" in steps:  # on the data the push sent
                        remote = sle_graph.connect(server.url, auth=auth, timeout=600)
                        _query_rows(kg, n, remote, rows, name)
                    if "clientrank" in steps:
                        kg.push(server.url, auth=auth, replace=False, timeout=3600, on_chunk=lambda sent, total: None)
                        _client_rank_rows(kg, n, sle_graph.connect(server.url, auth=auth, timeout=600), rows, name)
                    if "replace" in steps:  # another graph over it: the old version is deleted
                        rows.append(_push_row(generate(n, seed=2), n, True, server, name, auth,
                                              how="atomic, replacing a version of the same size"))
                    if "add" in steps:  # a small graph added: the whole version copied on the server
                        rows.append(_push_row(generate(ADDED, seed=3), n, True, server, name, auth, replace=False,
                                              how=f"replace=False, {ADDED} edges added to the version"))
                    if "inplace" in steps:  # in place over the version
                        rows.append(_push_row(kg, n, False, server, name, auth, how="atomic=False, in place"))
                finally:
                    stop(server)
            nt.unlink()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return list(rows)
