"""DWPC benchmarks: ``kg.dwpc`` for all pairs and per pair against hetnetpy's ``pathtools.DWPC`` per pair.

On a generated graph of Hetionet's shape (:mod:`benchmarks.generate`), in the same run and
process, for the metapaths in :data:`METAPATHS` (a two-step and a three-step one without a
repeated kind, and a three-step one whose ends share a kind, so that paths and walks differ):

- ``sle_graph all pairs``: ``kg.dwpc(pattern)``, the sparse matrix over every source and target
  of the metapath's end kinds (the first call, which builds the cached index, is not timed).
- ``sle_graph per pair`` and ``hetnetpy per pair`` (baseline): one (source, target) pair at a
  time, over :data:`PAIRS` seeded pairs joined by a path (hetnetpy: ``paths_between`` then
  ``DWPC``, as its documentation shows). The hetnetpy graph holds the same nodes and edges (not
  timed to build). Every hetnetpy score is checked against the matrix in the same run.

Goals (issue 17): per pair at least 100x hetnetpy's speed, and the matrix of all pairs faster
than hetnetpy needs for 100 pairs. The notes give both ratios: the per-pair row compares one
``kg.dwpc(pattern, source, target)`` call with one hetnetpy call; the all-pairs row compares the
matrix's time per pair it scores, and its time against 100 hetnetpy calls.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from typing import Any

from .measure import Timing, median_time, n_repeats, quick, row

METAPATHS = [
    ("CbGpPW", "Compound -[binds]-> Gene -[participates]-> Pathway"),
    ("CtDaGpPW", "Compound -[treats]-> Disease -[associates]-> Gene -[participates]-> Pathway"),
    ("CbGbCtD", "Compound -[binds]-> Gene <-[binds]- Compound -[treats]-> Disease"),
]
#: Pairs timed per metapath and size.
PAIRS = 20
DAMPING = 0.4


def _steps(kg: Any, pattern: str) -> list[tuple[str, str, str, str]]:
    """The pattern as hetnetpy metaedge ids (source kind, target kind, predicate, direction)."""
    from sle_graph.query.patterns import parse_pattern

    pat = parse_pattern(pattern, kg.schema)
    out = []
    for a, link, b in zip(pat.nodes, pat.links, pat.nodes[1:]):
        if link.direction == "forward":
            out.append((a.kind, b.kind, link.predicates[0], "forward"))
        else:
            out.append((a.kind, b.kind, link.predicates[0], "backward"))
    return out


def _hetnetpy(kg: Any) -> Any:
    from hetnetpy.hetnet import Graph, MetaGraph

    kinds = {n.id: n.kind for n in kg.nodes()}
    metaedges = sorted({(kinds[e.subject], kinds[e.object], e.predicate, "forward") for e in kg.edges()})
    graph = Graph(MetaGraph.from_edge_tuples(metaedges))
    for node in kg.nodes():
        if node.kind in graph.metagraph.node_dict:  # not the source documents: no edges of theirs here
            graph.add_node(node.kind, node.id)
    for e in kg.edges():
        graph.add_edge((kinds[e.subject], e.subject), (kinds[e.object], e.object), e.predicate, "forward")
    return graph


def run(sizes: list[int]) -> list[dict[str, Any]]:
    from hetnetpy.pathtools import DWPC, paths_between

    from .generate import generate

    rows: list[dict[str, Any]] = []
    for n in sizes:
        kg = generate(n, evidence=False)
        graph = _hetnetpy(kg)
        rng = random.Random(n)
        for abbrev, pattern in METAPATHS:
            op = f"dwpc {abbrev}: {pattern}"
            steps = _steps(kg, pattern)
            metapath = graph.metagraph.get_metapath(tuple(graph.metagraph.get_metaedge(s) for s in steps))
            kg.dwpc(pattern)  # builds the cached index
            everything = median_time(lambda: kg.dwpc(pattern, damping=DAMPING), repeats=n_repeats(5))
            scores = everything.value
            nonzero = scores.top()
            pairs = [(s, t) for s, t, _ in rng.sample(nonzero, min(3 if quick() else PAIRS, len(nonzero)))]

            def het(s: str, t: str) -> float:
                return DWPC(paths_between(graph, (steps[0][0], s), (steps[-1][1], t), metapath), DAMPING)

            het_times, ours_times = [], []
            for s, t in pairs:
                t0 = time.perf_counter()
                value = het(s, t)
                het_times.append(time.perf_counter() - t0)
                assert math.isclose(value, scores.get(s, t), rel_tol=1e-9), (pattern, s, t, value, scores.get(s, t))
                ours = median_time(lambda: kg.dwpc(pattern, s, t, damping=DAMPING), repeats=n_repeats(3))
                assert math.isclose(ours.value, value, rel_tol=1e-9)
                ours_times.append(ours.seconds)
            het_pair = statistics.median(het_times)
            all_pairs = len(scores.sources) * len(scores.targets)
            ours_pair = statistics.median(ours_times)
            pairs_note = f"median over {len(pairs)} seeded pairs joined by a path; scores equal hetnetpy's"
            rows.append(row(op, n, "hetnetpy paths_between + DWPC, per pair", Timing(het_pair, tuple(het_times)),
                            baseline=True, note=pairs_note))
            rows.append(row(op, n, "sle_graph kg.dwpc(pattern, source, target), per pair",
                            Timing(ours_pair, tuple(ours_times)),
                            note=f"{pairs_note}; {het_pair / ours_pair:.0f}x hetnetpy (goal >= 100x)"))
            rows.append(row(op, n, "sle_graph kg.dwpc(pattern), all pairs (sparse matrix)", everything,
                            items=scores.matrix.nnz, unit="pairs",
                            note=f"{len(scores.sources)} x {len(scores.targets)} pairs, {scores.matrix.nnz} non-zero; "
                                 f"{100 * het_pair / everything.seconds:.1f}x faster than hetnetpy on 100 pairs "
                                 f"(goal > 1x); per pair of the matrix {het_pair * all_pairs / everything.seconds:.0f}x "
                                 "hetnetpy per pair (goal >= 100x)"))
    return rows
