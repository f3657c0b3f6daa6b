"""Query memory: what the first queries on a large graph add to the memory of the loaded graph.

Load memory is in the ``load`` topic (``build in-memory graph``) and export memory in the
``export`` topic (step MB of ``kg.serialize``); this topic measures the third of the issue's
memory figures. Each row runs in a fresh process on a generated graph (built before the step;
see :func:`benchmarks.measure.isolated`); its step MB is the peak over the step minus the
resident memory of the loaded graph:

- ``count``: the first ``kg.count`` of the two-hop typed pattern of the query topic (it builds
  and caches the integer-indexed pattern index).
- ``paths``: ``kg.paths(compound, pathway, max_hops=4)`` over :data:`PAIRS` seeded compound-pathway
  pairs joined by a path (no cached index; each query's search state).
"""

from __future__ import annotations

import gc
import random
from typing import Any, Callable

from .measure import isolated, row

HERE = "benchmarks.bench_memory"
PATTERN = "Compound -[binds]-> Gene -[participates]-> Pathway"
PAIRS = 12
OPERATION = "query memory"


def _pairs(kg: Any, k: int) -> list[tuple[str, str]]:
    """``k`` seeded (compound, pathway) pairs joined by a path: the ends of pattern matches."""
    ends = sorted({(p.nodes[0].id, p.nodes[-1].id) for p in kg.match(PATTERN, timeout=None, max_results=None)})
    return random.Random(0).sample(ends, min(k, len(ends)))


def setup_count(n: int) -> Callable[[], int]:
    from .generate import generate

    kg = generate(n)
    kg.subgraph([x.id for x in kg.nodes()[:50]]).count(PATTERN)  # warm up: imports (scipy)
    return lambda: kg.count(PATTERN)


def setup_paths(n: int) -> Callable[[], int]:
    from .generate import generate

    kg = generate(n)
    pairs = _pairs(kg, PAIRS)
    gc.collect()  # the matches
    if pairs:  # warm up: imports
        kg.subgraph(list(pairs[0])).paths(*pairs[0])
    return lambda: sum(len(kg.paths(a, b, max_hops=4, timeout=None, max_results=None)) for a, b in pairs)


def run(sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        repeats = 3 if n <= 100_000 else 1
        t = isolated(f"{HERE}:setup_count", n, repeats=repeats)
        rows.append(row(OPERATION, n, "kg.count, first call (builds the index)", t,
                        note=f"{PATTERN}: {t.value} paths; step MB = the cached index and transients"))
        t = isolated(f"{HERE}:setup_paths", n, repeats=repeats)
        rows.append(row(OPERATION, n, f"kg.paths, max 4 hops, {PAIRS} pairs", t, items=t.value, unit="paths",
                        note="compound to pathway, all paths, ranked and explained"))
    return rows
