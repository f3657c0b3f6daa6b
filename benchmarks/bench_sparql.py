"""SPARQL benchmark: ``kg.sparql`` on its embedded Oxigraph store against pyoxigraph used directly.

On a generated graph of Hetionet's shape (:mod:`benchmarks.generate`; about 18 triples per edge:
the plain triple, its reified statement, the evidence record and its two selectors) with the
ontology beside it, each tool in a fresh process per run (:func:`benchmarks.measure.isolated`):

- ``first call (store build included)``: ``kg.sparql`` of the two-hop COUNT on a graph that has
  never been queried: writing its canonical Turtle, loading it into the store, and the query.
  Baseline: ``pyoxigraph.Store().bulk_load`` of the same triples as an N-Triples file (written
  before timing), then the same query. Target: within 1.5x.
- ``later query``: each query of :data:`QUERIES` on a store already built, median of
  :data:`REPEATS` runs after one warm-up: ``kg.sparql`` (rows as dicts of Python values) against
  ``Store.query`` on a store pyoxigraph loaded itself, reading every value of the answer (what a
  user of pyoxigraph does with it). Target: within 1.5x.

Each row gives CPU time beside wall time (``cpu_s``; the process's CPU over all its threads: the
store's batches are loaded in a second thread while the next is written), and peak memory: the
kernel's high-water mark of the process over the step (``peak_mb``) and what the step added to
what the process held before (``step_mb``; the graph itself is held before the step).
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from typing import Any, Callable

from .measure import isolated, n_repeats, row

HERE = "benchmarks.bench_sparql"
FIRST = "SPARQL first call (store build included)"
REPEATS = 5

# The middle node's type is left out, as in bench_query: the schema implies it.
COUNT = """SELECT (COUNT(*) AS ?n) WHERE {
  ?c a sleo:Compound ; sleo:binds ?g . ?g sleo:participates ?p . ?p a sleo:Pathway }"""

#: name -> query; ``{node}`` is a compound with edges (the same for both tools).
QUERIES: dict[str, str] = {
    "two-hop COUNT": COUNT,
    "two-hop SELECT, every row": """SELECT ?c ?g ?p WHERE {
  ?c a sleo:Compound ; sleo:binds ?g . ?g sleo:participates ?p . ?p a sleo:Pathway }""",
    "one node's edges with their evidence stance": """SELECT ?p ?o ?stance WHERE {
  ?st rdf:subject {node} ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?e . ?e sleo:stance ?stance }""",
    "triples per predicate (GROUP BY, whole store)": "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p",
    "ASK a two-step property path": "ASK { {node} sleo:binds/sleo:participates ?pathway }",
}


def _scratch() -> str:
    folder = tempfile.mkdtemp(prefix="sle-bench-sparql-")
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _graph(n: int) -> Any:
    from .generate import generate

    return generate(n)


def _node(kg: Any) -> str:
    from sle_graph.rdf.write import node_iri

    first = next(x.id for x in kg.nodes(kind="Compound") if kg.out_adjacency.get(x.id))
    return f"<{node_iri(first)}>"


def _ntriples(kg: Any, folder: str) -> str:
    """The graph's N-Triples and the ontology's, in one file: the triples the store holds."""
    import pyoxigraph as ox

    from sle_graph._resources import ontology_file

    path = os.path.join(folder, "graph.nt")
    kg.serialize(path, format="nt")
    with open(path, "ab") as out:
        ox.serialize(ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE), out, ox.RdfFormat.N_TRIPLES)
    return path


def _read_all(result: Any) -> int:
    """Every value of a pyoxigraph answer read, as a user of pyoxigraph would; the row count."""
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return int(bool(result))
    if isinstance(result, ox.QuerySolutions):
        return len([[None if t is None else t.value for t in solution] for solution in result])
    return len([(t.subject.value, t.predicate.value, t.object.value) for t in result])


def _timed(call: Callable[[], int]) -> Callable[[], str]:
    def step() -> str:
        cpu = time.process_time()
        value = call()
        return json.dumps({"value": value, "cpu": time.process_time() - cpu})
    return step


def _queries(run: Callable[[str], int], node: str) -> Callable[[], str]:
    """The step of the later-query rows: each query's median wall and CPU time, as JSON."""
    def step() -> str:
        out = {}
        for name, query in QUERIES.items():
            query = query.replace("{node}", node)
            value = run(query)  # warm-up
            walls, cpus = [], []
            for _ in range(n_repeats(REPEATS)):
                wall, cpu = time.perf_counter(), time.process_time()
                value = run(query)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            out[name] = {"seconds": statistics.median(walls), "cpu": statistics.median(cpus), "value": value,
                         "repeats": len(walls)}
        return json.dumps(out)
    return step


def _rows_of(answer: Any) -> int:
    return int(answer[0].get("ask", answer[0].get("n", len(answer)))) if len(answer) == 1 else len(answer)


# -- steps run in child processes (setup returns the timed step) ---------------------------------

def setup_first_sle_graph(n: int) -> Callable[[], str]:
    kg = _graph(n)
    kg.subgraph([kg.nodes()[0]]).sparql("ASK { ?s ?p ?o }")  # warm up: imports (pyoxigraph, rdflib's terms)
    return _timed(lambda: _rows_of(kg.sparql(COUNT)))


def setup_first_pyoxigraph(n: int) -> Callable[[], str]:
    import gc

    import pyoxigraph as ox

    from sle_graph.rdf.write import PREFIXES

    kg = _graph(n)
    path = _ntriples(kg, _scratch())
    del kg
    gc.collect()

    def call() -> int:
        store = ox.Store()
        store.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES)
        return int(next(iter(store.query(COUNT, prefixes=PREFIXES)))[0].value)
    return _timed(call)


def setup_queries_sle_graph(n: int) -> Callable[[], str]:
    kg = _graph(n)
    kg.sparql("ASK { ?s ?p ?o }")  # builds the store
    return _queries(lambda q: _rows_of(kg.sparql(q)), _node(kg))


def setup_queries_pyoxigraph(n: int) -> Callable[[], str]:
    import gc

    import pyoxigraph as ox

    from sle_graph.rdf.write import PREFIXES

    kg = _graph(n)
    node, path = _node(kg), _ntriples(kg, _scratch())
    del kg
    gc.collect()
    store = ox.Store()
    store.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES)

    def run(query: str) -> int:
        result = store.query(query, prefixes=PREFIXES)
        if isinstance(result, ox.QuerySolutions) and [v.value for v in result.variables] in (["n"],):
            return int(next(iter(result))[0].value)  # the COUNT's number, as _rows_of gives it
        return _read_all(result)
    return _queries(run, node)


# -- the benchmark ------------------------------------------------------------------------------

def _shown(rows: list[dict[str, Any]]) -> None:
    """The newest rows on stderr as they come: a 1M-edge run takes many minutes."""
    for r in rows[-2:]:
        print(f"[bench_sparql] {r['operation']} | {r['size']} | {r['tool']} | {r['seconds']:.4g} s | {r['note']}",
              file=sys.stderr, flush=True)


def run(sizes: list[int]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for n in sizes:
        repeats = 3 if n <= 100_000 else 1
        ours = isolated(f"{HERE}:setup_first_sle_graph", n, repeats=repeats, budget=300)
        peer = isolated(f"{HERE}:setup_first_pyoxigraph", n, repeats=repeats, budget=300)
        mine, theirs = json.loads(ours.value), json.loads(peer.value)
        assert mine["value"] == theirs["value"], (mine, theirs)
        rows.append(row(FIRST, n, "sle_graph kg.sparql, first call", ours, cpu_s=mine["cpu"],
                        note=f"two-hop COUNT ({mine['value']}); Turtle written and bulk loaded in batches, "
                             f"ontology included; CPU {mine['cpu']:.3g} s; {ours.seconds / peer.seconds:.2f}x "
                             f"pyoxigraph's wall time, {mine['cpu'] / theirs['cpu']:.2f}x its CPU (target <= 1.5x)"))
        rows.append(row(FIRST, n, "pyoxigraph Store.bulk_load(N-Triples file) + query", peer, baseline=True,
                        cpu_s=theirs["cpu"], note=f"the same triples (graph and ontology), file written before "
                                                  f"timing; CPU {theirs['cpu']:.3g} s"))
        _shown(rows)
        ours = isolated(f"{HERE}:setup_queries_sle_graph", n, repeats=1)
        peer = isolated(f"{HERE}:setup_queries_pyoxigraph", n, repeats=1)
        mine, theirs = json.loads(ours.value), json.loads(peer.value)
        for name in QUERIES:
            a, b = mine[name], theirs[name]
            assert a["value"] == b["value"], (name, a, b)
            op = f"SPARQL later query: {name}"
            rows.append(row(op, n, "sle_graph kg.sparql", _timing(a), cpu_s=a["cpu"], unit="queries", items=1,
                            note=f"answer {a['value']} (the count, or rows); CPU {a['cpu']:.3g} s; {a['seconds'] / b['seconds']:.2f}x "
                                 f"pyoxigraph's wall time, {a['cpu'] / max(b['cpu'], 1e-9):.2f}x its CPU "
                                 "(target <= 1.5x)"))
            rows.append(row(op, n, "pyoxigraph Store.query, values read", _timing(b), baseline=True, cpu_s=b["cpu"],
                            unit="queries", items=1, note=f"store bulk loaded from N-Triples; CPU {b['cpu']:.3g} s"))
            _shown(rows)
    return rows


def _timing(figures: dict[str, Any]) -> Any:
    from .measure import Timing

    return Timing(figures["seconds"], (figures["seconds"],) * figures["repeats"])
