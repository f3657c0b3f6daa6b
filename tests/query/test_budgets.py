"""Budgets on ``match``, ``count`` and ``paths``: past ``timeout`` or ``max_results`` a query stops
with QueryBudgetExceeded saying how many it found so far; within them it answers as before.

The probe of issue 22 (a dense graph of 4,350 nodes and 100,000 edges on which a five-position
``count`` and ``match(..., limit=10)`` ran past 120 s and a four-position ``match`` grew past
8 GB) is a regression test here: each call now ends, with the error.
"""

from __future__ import annotations

import sys
from pathlib import Path as FilePath

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import sle_graph
from sle_graph import InvalidArgument, KnowledgeGraph, QueryBudgetExceeded

REPO = FilePath(__file__).resolve().parents[2]
SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), max_examples=40)
#: Budgets so small no real query meets them: the first check stops it.
SPENT = 1e-9


def _generate(n_edges: int, seed: int) -> KnowledgeGraph:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from benchmarks.generate import generate

    return generate(n_edges, seed=seed)


@pytest.fixture(scope="module")
def small() -> KnowledgeGraph:
    return _generate(3_000, seed=3)


@pytest.fixture(scope="module")
def dense() -> KnowledgeGraph:
    """The probe's graph: 4,350 nodes and 100,000 edges of Hetionet's shape."""
    kg = _generate(100_000, seed=0)
    assert (len(kg.nodes()), len(kg.edges())) == (4_350, 100_000)
    return kg


# -- the probe --------------------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda kg: kg.count("* -> * -> * -> * -> *", timeout=0.5),
    lambda kg: kg.match("* -> * -> * -> * -> *", limit=10, timeout=0.5),
    lambda kg: kg.match("* -> * -> * -> *", timeout=0.5),
], ids=["count five positions", "match five positions, limit 10", "match four positions"])
def test_the_probe_queries_stop_within_their_budget(dense, call):
    with pytest.raises(QueryBudgetExceeded) as caught:
        call(dense)
    err = caught.value
    assert err.budget in ("timeout", "max_results")
    assert f"({err.found:,} " in str(err)  # how many so far (none yet, on a slow machine)
    assert "None: no limit" in str(err)


def test_four_positions_without_a_limit_stop_at_the_default_result_budget(dense):
    # The call that grew past 8 GB: now it holds at most QUERY_MAX_RESULTS matches.
    with pytest.raises(QueryBudgetExceeded) as caught:
        dense.match("* -> * -> * -> *", timeout=None)
    err = caught.value
    assert (err.budget, err.limit) == ("max_results", sle_graph.limits.QUERY_MAX_RESULTS)
    assert err.limit < err.found <= err.limit + sle_graph.limits.WALK_CHUNK_ROWS
    assert "limit=N" in str(err)


def test_paths_between_hubs_in_any_direction_stop_within_their_budget(dense):
    degree = {n: len(dense.out_adjacency.get(n, ())) + len(dense.in_adjacency.get(n, ())) for n in dense.node_map}
    a, b = sorted(degree, key=lambda n: (-degree[n], n))[:2]
    with pytest.raises(QueryBudgetExceeded) as caught:
        dense.paths(a, b, max_hops=10, direction="any", max_results=50_000)
    assert caught.value.budget == "max_results" and caught.value.limit == 50_000
    # the top ten need no more than ten held: the same call with a limit answers
    top = dense.paths(a, b, max_hops=10, direction="any", limit=10, max_results=50_000)
    assert len(top) == 10 and top == dense.paths(a, b, max_hops=10, direction="any", limit=10, max_results=None)[:10]


# -- within budget, the same answers; past it, the error ----------------------------------------

PATTERNS = ["* -> *", "Gene -[interacts]- Gene", "* -> * -> *", "Compound -[binds]-> Gene -[participates]-> Pathway",
            "Gene -[interacts]- Gene -[interacts]- Gene", "Anatomy -> Gene -> *"]


@pytest.mark.parametrize("method", ["match", "count"])
@settings(**SETTINGS)
@given(pattern=st.sampled_from(PATTERNS), budget=st.integers(0, 3_000))
def test_raised_exactly_when_more_than_max_results_are_found(small, method, pattern, budget):
    total = small.count(pattern)
    query = getattr(small, method)
    if total > budget:
        with pytest.raises(QueryBudgetExceeded) as caught:
            query(pattern, max_results=budget)
        assert caught.value.budget == "max_results" and budget < caught.value.found <= total
    else:
        assert query(pattern, max_results=budget) == query(pattern, max_results=None)


@settings(**SETTINGS)
@given(pattern=st.sampled_from(PATTERNS), budget=st.integers(0, 3_000), limit=st.integers(0, 50))
def test_a_limit_within_the_result_budget_always_answers(small, pattern, budget, limit):
    found = small.match(pattern, limit=limit, max_results=max(budget, limit))
    assert found == small.match(pattern, max_results=None)[:limit]


def _some_pairs(kg: KnowledgeGraph) -> list[tuple[str, str]]:
    ids = sorted(kg.node_map)
    return [(ids[i], ids[(i * 7 + 3) % len(ids)]) for i in range(0, len(ids), max(1, len(ids) // 12))]


@settings(**SETTINGS)
@given(budget=st.integers(0, 400), pair=st.integers(0, 11), direction=st.sampled_from(["forward", "any"]))
def test_paths_raise_exactly_when_more_than_max_results_are_held(small, budget, pair, direction):
    s, t = _some_pairs(small)[pair % len(_some_pairs(small))]
    full = small.paths(s, t, max_hops=3, direction=direction, max_results=None)
    try:
        found = small.paths(s, t, max_hops=3, direction=direction, max_results=budget)
    except QueryBudgetExceeded as err:
        assert err.budget == "max_results"
        # paths or half-paths past the budget: either way, fewer paths than that were answered
        assert err.found <= len(full) and (err.found > budget or "half-paths" in str(err))
    else:
        assert found == full and len(full) <= budget


@pytest.mark.parametrize("call", [
    lambda kg: kg.match("Gene -[interacts]- Gene", timeout=SPENT),
    lambda kg: kg.match("* -> * -> *", limit=3, timeout=SPENT),
    lambda kg: kg.count("Compound -[binds]-> Gene", timeout=SPENT),
    lambda kg: kg.count("Gene -[interacts]- Gene -[interacts]- Gene", timeout=SPENT),
    lambda kg: kg.paths(*_some_pairs(kg)[1], max_hops=4, direction="any", timeout=SPENT),
], ids=["match", "match with a limit", "count by products", "count by walks", "paths"])
def test_a_spent_time_budget_stops_every_query(small, call):
    with pytest.raises(QueryBudgetExceeded) as caught:
        call(small)
    assert caught.value.budget == "timeout" and caught.value.limit == SPENT
    assert "timeout=1e-09 seconds" in str(caught.value)


def test_budgets_lift_with_none_and_default_to_the_documented_values(small):
    import inspect

    for method in (KnowledgeGraph.match, KnowledgeGraph.paths, KnowledgeGraph.count):
        params = inspect.signature(method).parameters
        assert params["timeout"].default == sle_graph.limits.QUERY_TIMEOUT
    assert inspect.signature(KnowledgeGraph.match).parameters["max_results"].default == sle_graph.limits.QUERY_MAX_RESULTS
    assert inspect.signature(KnowledgeGraph.count).parameters["max_results"].default is None
    assert len(small.match("* -> *", timeout=None, max_results=None)) == small.count("* -> *", timeout=None)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"timeout": 0}, InvalidArgument, "more than 0 seconds"),
    ({"timeout": -1.5}, InvalidArgument, "more than 0 seconds"),
    ({"timeout": float("nan")}, InvalidArgument, "more than 0 seconds"),
    ({"timeout": "10"}, TypeError, "number of seconds"),
    ({"timeout": True}, TypeError, "number of seconds"),
    ({"max_results": -1}, InvalidArgument, "at least 0"),
    ({"max_results": 2.5}, TypeError, "an int or None"),
    ({"max_results": False}, TypeError, "an int or None"),
])
@pytest.mark.parametrize("method", ["match", "count", "paths"])
def test_bad_budgets_are_refused(kg, method, kwargs, error, words):
    args = ("msc", "sle") if method == "paths" else ("Therapy -> Cell",)
    with pytest.raises(error, match=words):
        getattr(kg, method)(*args, **kwargs)


def test_the_error_is_ours(kg):
    with pytest.raises(sle_graph.SleGraphError):
        kg.match("* -> *", max_results=1)
    assert issubclass(QueryBudgetExceeded, sle_graph.SleGraphError)
