"""Query budgets: how long the queries of issue 22's probe take to stop, and the memory they use.

On a generated graph of Hetionet's shape (at 100k edges: the probe's 4,350 nodes), each row runs
in a fresh process (:func:`benchmarks.measure.isolated`): the pattern index is built first (not
timed), then the step runs one query that cannot finish within its budget and stops with
``QueryBudgetExceeded``. The time is how long it took to stop; step MB the peak over the step
minus the loaded graph and its index, which the budgets keep bounded
(:mod:`sle_graph.limits`). Before the budgets, the first two ran past 120 s and the third grew
past 8 GB.

- ``count('* -> * -> * -> * -> *', timeout=10)`` and ``match(..., limit=10, timeout=10)``:
  the time budget (the time is about 10 s, the memory the walk's working set);
- ``match('* -> * -> * -> *')`` with the default budgets: the result budget
  (:data:`sle_graph.limits.QUERY_MAX_RESULTS`);
- ``paths`` between the two best-connected nodes, ``max_hops=10, direction="any"``, default
  budgets (the remote probe of this search took 34 s).
"""

from __future__ import annotations

from typing import Any, Callable

from .measure import isolated, row

HERE = "benchmarks.bench_budgets"
OPERATION = "query budgets"
TIMEOUT = 10.0
FIVE = "* -> * -> * -> * -> *"
FOUR = "* -> * -> * -> *"


def _stopped(query: Callable[[], Any]) -> Callable[[], int]:
    """The step: run ``query``; its value, how many were found when it stopped (-1: it finished)."""
    from sle_graph import QueryBudgetExceeded

    def step() -> int:
        try:
            query()
        except QueryBudgetExceeded as exc:
            return exc.found
        return -1
    return step


def _graph(n: int) -> Any:
    from .generate import generate

    kg = generate(n)
    kg.count("* -> *")  # builds the pattern index, outside the step
    return kg


def setup_count(n: int) -> Callable[[], int]:
    kg = _graph(n)
    return _stopped(lambda: kg.count(FIVE, timeout=TIMEOUT))


def setup_match_limit(n: int) -> Callable[[], int]:
    kg = _graph(n)
    return _stopped(lambda: kg.match(FIVE, limit=10, timeout=TIMEOUT))


def setup_match(n: int) -> Callable[[], int]:
    kg = _graph(n)
    return _stopped(lambda: kg.match(FOUR))


def setup_paths(n: int) -> Callable[[], int]:
    kg = _graph(n)
    degree = {v: len(kg.out_adjacency.get(v, ())) + len(kg.in_adjacency.get(v, ())) for v in kg.node_map}
    a, b = sorted(degree, key=lambda v: (-degree[v], v))[:2]
    return _stopped(lambda: kg.paths(a, b, max_hops=10, direction="any"))


STEPS = [("count", f"kg.count('{FIVE}', timeout={TIMEOUT:g})"),
         ("match_limit", f"kg.match('{FIVE}', limit=10, timeout={TIMEOUT:g})"),
         ("match", f"kg.match('{FOUR}'), default budgets"),
         ("paths", "kg.paths(hub, hub, max_hops=10, direction='any'), default budgets")]


def run(sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        for name, tool in STEPS:
            t = isolated(f"{HERE}:setup_{name}", n, repeats=1)
            rows.append(row(OPERATION, n, tool, t, note=(f"stopped with {t.value:,} found" if t.value >= 0
                                                          else "finished within its budget")))
    return rows
