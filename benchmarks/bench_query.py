"""Query benchmarks: ``paths``, ``match`` and ``count`` against networkx, rdflib SPARQL and scipy.

On a generated graph of Hetionet's shape (:mod:`benchmarks.generate`), all tools in the same run
and process, each timed by its median (:func:`benchmarks.measure.median_time`) after one warm-up
call (rdflib SPARQL above :data:`SPARQL_ONCE_ABOVE` edges: one run, which takes minutes). Building
each tool's structure (our query index, the networkx graph, the rdflib graph, the sparse
matrices) is not timed, except in the row "count, first call (builds the index)".

- ``count`` and ``match`` of the two-hop typed pattern ``Compound -[binds]-> Gene -[participates]->
  Pathway`` over all compounds (the issue's example): ``kg.count``/``kg.match`` against a walk over
  networkx adjacency (baseline), a walk over a per-predicate dict index, rdflib SPARQL, and the
  scipy reference ``(binds @ participates).sum()`` on typed sparse blocks (target: ``count``
  within 5x of it).
- ``paths`` between a compound and a pathway, at most 4 hops, over :data:`PAIRS` seeded, uniformly
  random pairs: ``kg.paths`` (all paths; the top 10; the top 10 in any direction). Then, on the
  first three pairs only, ``kg.paths`` against ``networkx.all_simple_paths(cutoff=4)`` (baseline)
  and an rdflib SPARQL query listing the chains of 1 to 4 edges through distinct nodes, both
  stopped after :data:`BUDGET` seconds (their times are then lower bounds, as the note says). The
  time is the median over pairs of each pair's median (target: under 50 ms at 1M edges).

The rdflib graph holds one triple per edge and an ``rdf:type`` per node (no evidence): the
smallest RDF graph that answers these queries.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any, Callable

from .measure import Timing, median_time, n_repeats, quick, row

#: Compound-pathway pairs timed per size.
PAIRS = 15
#: rdflib SPARQL runs of count and match above this many edges: one, with no warm-up (they take minutes).
SPARQL_ONCE_ABOVE = 100_000
#: Seconds after which a networkx or SPARQL path enumeration is stopped (its time is then a lower bound).
BUDGET = 10.0

PATTERN = "Compound -[binds]-> Gene -[participates]-> Pathway"


def _networkx(kg) -> Any:
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_nodes_from((n.id, {"kind": n.kind}) for n in kg.nodes())
    g.add_edges_from((e.subject, e.object, e.predicate) for e in kg.edges())
    return g


def _rdflib(kg) -> Any:
    import rdflib
    from rdflib.namespace import RDF

    from sle_graph.vocab import SLE, SLEO

    g, iri = rdflib.Graph(), rdflib.URIRef
    for n in kg.nodes():
        g.add((iri(SLE + n.id), RDF.type, iri(SLEO + n.kind)))
    for e in kg.edges():
        g.add((iri(SLE + e.subject), iri(SLEO + e.predicate), iri(SLE + e.object)))
    return g


def _by_predicate(kg) -> dict[str, dict[str, list[str]]]:
    index: dict[str, dict[str, list[str]]] = {}
    for e in kg.edges():
        index.setdefault(e.predicate, {}).setdefault(e.subject, []).append(e.object)
    return index


def _typed_blocks(kg) -> tuple[Any, Any]:
    """``binds`` (compounds x genes) and ``participates`` (genes x pathways) as CSR matrices."""
    import numpy as np
    from scipy.sparse import csr_matrix

    pos = {kind: {n.id: i for i, n in enumerate(kg.nodes(kind=kind))} for kind in ("Compound", "Gene", "Pathway")}

    def block(predicate: str, rows: str, cols: str):
        pairs = [(pos[rows][e.subject], pos[cols][e.object]) for e in kg.edges(predicate=predicate)
                 if e.subject in pos[rows] and e.object in pos[cols]]
        r, c = (np.array(x, dtype=np.int64) for x in zip(*pairs)) if pairs else (np.zeros(0, int),) * 2
        return csr_matrix((np.ones(len(r)), (r, c)), shape=(len(pos[rows]), len(pos[cols])))

    return block("binds", "Compound", "Gene"), block("participates", "Gene", "Pathway")


def _nx_walk(g, compounds: list[str], collect: bool) -> Callable[[], Any]:
    kind = g.nodes

    def walk() -> Any:
        found: list[tuple[str, str, str]] = []
        n = 0
        for c in compounds:
            for _, gene, key in g.out_edges(c, keys=True):
                if key != "binds" or kind[gene]["kind"] != "Gene":
                    continue
                for _, p, key2 in g.out_edges(gene, keys=True):
                    if key2 == "participates" and kind[p]["kind"] == "Pathway":
                        if collect:
                            found.append((c, gene, p))
                        n += 1
        return found if collect else n
    return walk


def _dict_walk(index, kinds: dict[str, str], compounds: list[str]) -> Callable[[], int]:
    binds, participates = index.get("binds", {}), index.get("participates", {})

    def walk() -> int:
        n = 0
        for c in compounds:
            for gene in binds.get(c, ()):
                if kinds[gene] == "Gene":
                    n += sum(1 for p in participates.get(gene, ()) if kinds[p] == "Pathway")
        return n
    return walk


# The middle node's type is left out: the schema implies it (binds ends, participates starts, at a
# gene), and with it rdflib's join order turns the query into a cross product (13 s at 10k edges
# instead of 0.1 s).
SPARQL_COUNT = """SELECT (COUNT(*) AS ?n) WHERE {
  ?c a sleo:Compound ; sleo:binds ?g . ?g sleo:participates ?p . ?p a sleo:Pathway }"""
SPARQL_MATCH = """SELECT ?c ?g ?p WHERE {
  ?c a sleo:Compound ; sleo:binds ?g . ?g sleo:participates ?p . ?p a sleo:Pathway }"""


def _sparql_paths(predicates: list[str], source: str, target: str) -> str:
    """Chains of 1 to 4 edges from source to target through distinct nodes, as a UNION."""
    edge = "(" + "|".join(f"sleo:{p}" for p in predicates) + ")"
    s, t = f"<{source}>", f"<{target}>"
    return f"""SELECT ?a ?b ?c WHERE {{
  {{ {s} {edge} {t} }}
  UNION {{ {s} {edge} ?a . ?a {edge} {t} FILTER(?a != {s} && ?a != {t}) }}
  UNION {{ {s} {edge} ?a . ?a {edge} ?b . ?b {edge} {t}
          FILTER(?a != {s} && ?a != {t} && ?b != {s} && ?b != {t} && ?a != ?b) }}
  UNION {{ {s} {edge} ?a . ?a {edge} ?b . ?b {edge} ?c . ?c {edge} {t}
          FILTER(?a != {s} && ?a != {t} && ?b != {s} && ?b != {t} && ?c != {s} && ?c != {t}
                 && ?a != ?b && ?a != ?c && ?b != ?c) }} }}"""


def _pairs(kg, rng: random.Random, k: int) -> list[tuple[str, str]]:
    """``k`` uniformly random (compound, pathway) pairs: a user asking about one of each."""
    compounds = [x.id for x in kg.nodes(kind="Compound")]
    pathways = [x.id for x in kg.nodes(kind="Pathway")]
    return [(rng.choice(compounds), rng.choice(pathways)) for _ in range(k)]


def _bounded(make: Callable[[], Any], budget: float) -> tuple[float, int, bool]:
    """Time a call and consuming the results it returns, giving up after ``budget`` seconds:
    (seconds, results seen, complete?)."""
    t0 = time.perf_counter()
    seen = 0
    for seen, _ in enumerate(make(), 1):
        if not seen % 256 and time.perf_counter() - t0 > budget:
            return time.perf_counter() - t0, seen, False
    return time.perf_counter() - t0, seen, True


def _over_pairs(pairs: list[tuple[str, str]], call: Callable[[str, str], Any], repeats: int,
                budget: float = float("inf")) -> tuple[Timing, str]:
    """Each pair's median time over ``repeats`` calls (after one warm-up call); the median over
    pairs. A call still running after ``budget`` seconds is stopped: its time is a lower bound
    (said in the note). Also the median number of results per pair, in the note."""
    per_pair, sizes, stopped = [], [], 0
    for a, b in pairs:
        times = []
        for i in range(1 + repeats if repeats > 1 else 1):
            seconds, seen, complete = _bounded(lambda: call(a, b), budget)
            if i or repeats == 1:
                times.append(seconds)
            if not complete:
                stopped += 1
                times = [seconds]
                break
        per_pair.append(statistics.median(times))
        sizes.append(seen)
    note = f"median over {len(pairs)} pairs; median {int(statistics.median(sizes))} paths per pair"
    if stopped:
        note += (f"; {stopped} of {len(pairs)} calls stopped after {budget:g} s (time and paths are "
                 "lower bounds)")
    return Timing(statistics.median(per_pair), tuple(per_pair)), note


def run(sizes: list[int]) -> list[dict[str, Any]]:
    import networkx as nx

    from sle_graph.vocab import SLE, SLEO

    from .generate import generate

    rows: list[dict[str, Any]] = []
    for n in sizes:
        kg = generate(n)
        g, rdf, index = _networkx(kg), _rdflib(kg), _by_predicate(kg)
        kinds = {x.id: x.kind for x in kg.nodes()}
        compounds = [x.id for x in kg.nodes(kind="Compound")]
        binds, participates = _typed_blocks(kg)
        prefixes = {"sleo": SLEO, "sle": SLE}
        predicates = sorted(kg.schema.predicates)
        sparql_runs = n_repeats(1 if n > SPARQL_ONCE_ABOVE else 3)

        # -- count ----------------------------------------------------------------------------
        op = "count: " + PATTERN
        t0 = time.perf_counter()
        first = kg.count(PATTERN)
        build = time.perf_counter() - t0
        rows.append(row(op, n, "sle_graph count, first call (builds the index)", Timing(build, (build,)),
                        note=f"{first} paths; the index is built once per graph, later queries reuse it"))
        ours = median_time(lambda: kg.count(PATTERN), repeats=n_repeats(21))
        ref = median_time(lambda: (binds @ participates).sum(), repeats=n_repeats(21))
        assert int(ref.value) == ours.value == first, (ref.value, ours.value)
        rows.append(row(op, n, "sle_graph count", ours,
                        note=f"{ours.value} paths; {ours.seconds / ref.seconds:.2f}x the scipy product's time "
                             "(target <= 5x)"))
        rows.append(row(op, n, "scipy (binds @ participates).sum()", ref, note="typed sparse blocks built beforehand"))
        walk = median_time(_nx_walk(g, compounds, collect=False), repeats=n_repeats(5))
        assert walk.value == ours.value, (walk.value, ours.value)
        rows.append(row(op, n, "networkx adjacency walk", walk, baseline=True))
        t = median_time(_dict_walk(index, kinds, compounds), repeats=n_repeats(5))
        rows.append(row(op, n, "per-predicate dict walk", t))
        t = median_time(lambda: int(next(iter(rdf.query(SPARQL_COUNT, initNs=prefixes)))[0]), repeats=sparql_runs)
        assert t.value == ours.value, (t.value, ours.value)
        rows.append(row(op, n, "rdflib SPARQL COUNT", t))

        # -- match ----------------------------------------------------------------------------
        op = "match: " + PATTERN
        t = median_time(lambda: kg.match(PATTERN, timeout=None, max_results=None), repeats=n_repeats(5))
        rows.append(row(op, n, "sle_graph match (Path objects, ranked)", t, items=len(t.value), unit="paths"))
        t = median_time(lambda: kg.match(PATTERN, limit=100), repeats=n_repeats(5))
        rows.append(row(op, n, "sle_graph match, top 100", t, items=len(t.value), unit="paths"))
        t = median_time(_nx_walk(g, compounds, collect=True), repeats=n_repeats(5))
        rows.append(row(op, n, "networkx adjacency walk (tuples)", t, baseline=True, items=len(t.value),
                        unit="paths"))
        t = median_time(lambda: list(rdf.query(SPARQL_MATCH, initNs=prefixes)), repeats=sparql_runs)
        rows.append(row(op, n, "rdflib SPARQL SELECT", t, items=len(t.value), unit="paths"))

        # -- paths ----------------------------------------------------------------------------
        op = "paths: Compound to Pathway, <= 4 hops"
        pairs = _pairs(kg, random.Random(n), 3 if quick() else PAIRS)
        t, note = _over_pairs(pairs, lambda a, b: kg.paths(a, b, timeout=None, max_results=None), n_repeats(5))
        rows.append(row(op, n, "sle_graph paths (all, ranked Path objects)", t,
                        note=note + "; target under 50 ms at 1M edges"))
        t, note = _over_pairs(pairs, lambda a, b: kg.paths(a, b, limit=10), n_repeats(5))
        rows.append(row(op, n, "sle_graph paths, top 10", t, note=note))
        t, note = _over_pairs(pairs, lambda a, b: kg.paths(a, b, direction="any", limit=10), n_repeats(3))
        rows.append(row(op, n, "sle_graph paths, any direction, top 10", t, note=note + "; edges walked both ways"))
        # networkx and SPARQL enumerate slowly: compare all three on the first pairs only
        op, few = f"paths: Compound to Pathway, <= 4 hops, first {min(3, len(pairs))} pairs", pairs[:3]
        t, note = _over_pairs(few, lambda a, b: kg.paths(a, b, timeout=None, max_results=None), n_repeats(5))
        rows.append(row(op, n, "sle_graph paths (all, ranked Path objects)", t, note=note))
        t, note = _over_pairs(few, lambda a, b: nx.all_simple_paths(g, a, b, cutoff=4), 1, BUDGET)
        rows.append(row(op, n, "networkx all_simple_paths(cutoff=4)", t, baseline=True,
                        note=note + "; node paths (parallel edges repeat them)"))
        t, note = _over_pairs(few, lambda a, b: rdf.query(_sparql_paths(predicates, SLE + a, SLE + b),
                                                          initNs=prefixes), 1, BUDGET)
        rows.append(row(op, n, "rdflib SPARQL (UNION of 1..4-edge chains)", t, note=note + "; node chains"))
        del kg, g, rdf, index
    return rows
