"""Publishing to and querying a real Virtuoso server (Debian's ``virtuoso-t`` on 127.0.0.1).

The second real server besides Oxigraph: its own request forms (``/sparql-auth`` with digest
authentication, the Graph Store Protocol at ``/sparql-graph-crud-auth``, a user who holds the
``SPARQL_UPDATE`` role) are the client's to handle. Remote answers are checked against the
in-memory graph. Skips, saying why, where ``virtuoso-t`` is not installed (``make virtuoso``).
"""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import sle_graph
from sle_graph.endpoint import DEFAULT_GRAPH, EndpointError
from sle_graph.endpoint._http import Client
from sle_graph.endpoint._push import read_head
from tests.endpoint.checks import copy_and_delete, read_while_pushing
from tests.endpoint.test_endpoint import PATTERNS
from tests.endpoint.test_remote_rank import _IDS, _patterns, check_server_ranking
from tests.endpoint.virtuoso_server import virtuoso  # noqa: F401 (fixture)


def _versions(server, graph: str = DEFAULT_GRAPH) -> set[str]:
    rows = Client(server.url).select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {r["g"]["value"] for r in rows if r["g"]["value"].startswith(graph + "/version/")}


@pytest.fixture(scope="module")
def pushed(virtuoso, kg) -> sle_graph.RemoteGraph:
    """The curated graph pushed twice (the second finds it there and uploads nothing)."""
    first = kg.push(virtuoso.url, auth=virtuoso.auth, chunk_size=2000)
    assert first.protocol == "graph store" and first.chunks > 2  # Virtuoso's Graph Store, several requests
    assert kg.push(virtuoso.url, auth=virtuoso.auth).unchanged
    return sle_graph.connect(virtuoso.url, auth=virtuoso.auth)


def test_pull_equals_original(pushed, kg):
    assert pushed.pull() == kg


def test_push_twice_leaves_one_copy(pushed, virtuoso, kg):
    assert pushed.count_triples() == len(kg.to_rdf())
    assert _versions(virtuoso) == {pushed.graph, pushed.ontology_graph, pushed.strength_graph}
    head = read_head(Client(virtuoso.url), DEFAULT_GRAPH)
    assert head.current == pushed.graph and not head.pending and not head.own_data


@pytest.mark.parametrize("pattern", PATTERNS)
def test_remote_match_and_count_equal_local(pushed, kg, pattern):
    assert pushed.count(pattern) == kg.count(pattern)
    assert pushed.match(pattern) == kg.match(pattern)
    assert pushed.match(pattern, limit=3) == kg.match(pattern, limit=3)


@pytest.mark.parametrize("source, target, options", [
    ("mesenchymal stem cell", "reduced disease activity", {}),
    ("AHSCT", "reduced steroid dependence", {"direction": "any", "max_hops": 3}),
    ("msc", "reduced disease activity", {"predicates": ["acts_through", "leads_to"], "limit": 2}),
])
def test_remote_paths_equal_local(pushed, kg, source, target, options):
    remote = pushed.paths(source, target, **options)
    assert remote == kg.paths(source, target, **options)
    assert remote.explain() == kg.paths(source, target, **options).explain()


def test_a_limit_virtuoso_will_not_sort_ranks_in_the_client(pushed, kg, caplog):
    """Virtuoso sorts at most 10,000 rows for a LIMIT (SR353): a larger limit ranks in the client,
    with the answers of memory."""
    with caplog.at_level(logging.INFO, logger="sle_graph.endpoint"):
        assert pushed.match("Therapy - *", limit=20_000) == kg.match("Therapy - *", limit=20_000)
        assert (pushed.paths("msc", "reduced disease activity", limit=20_000)
                == kg.paths("msc", "reduced disease activity", limit=20_000))
    assert sum("SR353" in r.getMessage() for r in caplog.records) == 2


@pytest.mark.parametrize("query", [
    "SELECT ?label WHERE { sle:msc sleo:acts_through ?m . ?m rdfs:label ?label } ORDER BY ?label",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?n WHERE { ?n a/rdfs:subClassOf* sleo:Cell } ORDER BY ?n",
    "ASK { sle:msc sleo:acts_through+ ?mechanism }",
    "ASK { sle:msc sleo:leads_to sle:msc }",
])
def test_remote_sparql_equals_local(pushed, kg, query):
    assert pushed.sparql(query) == kg.sparql(query)


def test_push_not_atomic_and_adding(virtuoso, kg):
    graph = "urn:sle-graph:test:virtuoso-modes"
    small = kg.subgraph(["msc", "immunomodulation"])
    remote = sle_graph.connect(virtuoso.url, graph=graph, auth=virtuoso.auth)
    kg.push(virtuoso.url, graph=graph, auth=virtuoso.auth, atomic=False)  # a first version, switched in
    assert remote.pull() == kg
    result = small.push(virtuoso.url, graph=graph, auth=virtuoso.auth, atomic=False, chunk_size=20)
    assert result.chunks > 1 and "delete previous" in result.timings  # rewritten in place
    assert remote.pull() == small
    assert _versions(virtuoso, graph) == {remote.graph, remote.ontology_graph, remote.strength_graph}
    kg.push(virtuoso.url, graph=graph, auth=virtuoso.auth, replace=False)
    assert remote.pull() == kg


def test_readers_never_see_a_mix_while_pushes_run(virtuoso, kg):
    small = kg.subgraph(["msc", "immunomodulation", "reduced_disease_activity"])
    seen = read_while_pushing(virtuoso.url, virtuoso.auth, kg, small, pushes=4,
                              graph="urn:sle-graph:test:virtuoso-readers")
    assert seen["pull"] == {"big", "small"}


def test_wrong_credentials_clear_error_without_secret(virtuoso, kg, caplog):
    graph = "urn:sle-graph:test:virtuoso-auth"
    wrong = "wrong-staple-93"
    with caplog.at_level(logging.DEBUG, logger="sle_graph"), pytest.raises(EndpointError) as info:
        kg.push(virtuoso.url, graph=graph, auth=("sle", wrong), retries=0)
    err = info.value
    assert err.status == 401 and "credentials" in str(err) and "is unchanged" in str(err)
    assert wrong not in str(err) + repr(err) + caplog.text
    with pytest.raises(EndpointError) as info:  # no credentials: Virtuoso's SPARQL user may not write
        kg.push(virtuoso.url, graph=graph, retries=0)
    assert "permission" in str(info.value).lower() and "SPARQL_UPDATE role" in str(info.value)
    assert not Client(virtuoso.url).ask(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids=st.lists(st.sampled_from(_IDS), min_size=2, max_size=40, unique=True),
       patterns=st.lists(_patterns(), min_size=2, max_size=4), limit=st.integers(1, 6),
       ends=st.tuples(st.integers(0, 10 ** 6), st.integers(0, 10 ** 6)), any_way=st.booleans())
def test_server_ranking_equals_memory_on_random_graphs(virtuoso, ids, patterns, limit, ends, any_way):
    """As on Oxigraph: Virtuoso ranks match and paths itself (no query too long for it) and its
    top ``limit`` is that of memory, in the same order."""
    check_server_ranking(virtuoso, ids, patterns, limit, ends, any_way, auth=virtuoso.auth)


def test_copy_and_delete_without_the_transaction_log(virtuoso, caplog):
    """Virtuoso copies with one ``ADD`` and deletes with one ``DROP``, both without its transaction
    log (``DEFINE sql:log-enable 3``), which a user with the SPARQL_UPDATE role may ask for."""
    with caplog.at_level(logging.INFO, logger="sle_graph.endpoint"):
        assert copy_and_delete(virtuoso.url, virtuoso.auth).startswith("Virtuoso/")
    assert "refused the unlogged" not in caplog.text  # not the fallback: slices
