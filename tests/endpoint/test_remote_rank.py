"""Ranking on the server, node lookups by index, and query budgets, against a real Oxigraph server."""

from __future__ import annotations

import logging
import string

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import sle_graph
from sle_graph.endpoint._compile import ranked_rows
from sle_graph.endpoint._http import Client
from sle_graph.endpoint._push import read_head
from sle_graph.endpoint._rank import LEVELS, STRENGTH, strength_graph_of, strength_score
from sle_graph.errors import QueryBudgetExceeded, InvalidArgument
from sle_graph.model import Edge, Evidence
from sle_graph.query.paths import edge_strength
from sle_graph.query.patterns import parse_pattern
from sle_graph.rdf.write import node_iri
from tests.endpoint.oxigraph_server import oxigraph, servers  # noqa: F401 (fixtures)

_KG = sle_graph.load()
_IDS = sorted(n.id for n in _KG.nodes() if n.kind not in ("SourceDocument", "Study"))
_KINDS = sorted(_KG.schema.kinds)
_PREDS = sorted(_KG.schema.predicates)
GRAPH = "urn:sle-graph:test:ranking"


@pytest.fixture(scope="module")
def pushed(oxigraph):
    _KG.push(oxigraph.url)
    return sle_graph.connect(oxigraph.url)


def _strength_rows(url: str, graph: str) -> int:
    """Edges in the strength graph of the version ``graph`` points to (all but its index triples)."""
    version = read_head(Client(url), graph).current
    rows = Client(url).select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{strength_graph_of(version)}> "
                              f"{{ ?s ?p ?o FILTER(STRSTARTS(STR(?p), \"{STRENGTH}\") && ?s != <{LEVELS[0]}>) }} }}")
    return int(rows[0]["n"]["value"])


# -- the strength score --------------------------------------------------------------------------

_statuses = st.sampled_from(["supported", "claim only", "contested", None, "something else"])
_modalities = st.sampled_from([None, "asserted", "partial", "preliminary", "possible", "potential"])
_evidence = st.builds(lambda src, mod: Evidence(src, modality=mod), st.sampled_from(["d1", "d2", "d3", "d4"]),
                      _modalities)
_edges = st.builds(lambda ev, status: Edge("a", "uses", "b", tuple(ev), status=status),
                   st.lists(_evidence, max_size=6), _statuses)


@given(a=_edges, b=_edges)
def test_strength_score_orders_as_edge_strength(a, b):
    assert (strength_score(a) < strength_score(b)) == (edge_strength(a) < edge_strength(b))
    assert (strength_score(a) == strength_score(b)) == (edge_strength(a) == edge_strength(b))


_id = st.text(string.ascii_letters + string.digits + "_.:-~/é Ω%?@[]{}", min_size=1, max_size=6)


@given(a=_id, b=st.text(string.ascii_letters + string.digits + "_.:-~", min_size=1, max_size=6))
def test_an_iri_never_sorts_later_than_its_id_against_a_plain_one(a, b):
    """What the server's tie-break relies on (see RemoteGraph._ranked_walks): against an id the IRI
    holds unencoded, an id sorts no later as an IRI than as an id."""
    assert node_iri(b) == node_iri("") + b
    if a < b:
        assert node_iri(a) < node_iri(b)
    if a == b:
        assert node_iri(a) == node_iri(b)


def test_ranked_rows_orders_by_the_weakest_hop():
    uses = [("urn:sle-graph:strength:5:uses", 5, "uses"), ("urn:sle-graph:strength:7:uses", 7, "uses")]
    bands = [uses + [("urn:sle-graph:strength:5:acts_through", 5, "acts_through")]] * 2
    pattern = parse_pattern("Therapy -> Cell -[acts_through]-> Mechanism")
    query = ranked_rows(pattern, [None] * 3, _KG.schema, bands, 5, weakest=5, graphs=("urn:data", "urn:strength"))
    assert "BIND(IF(?x_w1 < ?x_w0, ?x_w1, ?x_w0) AS ?x_m)" in query
    assert "FILTER(?x_w0 = 5 || ?x_w1 = 5)" in query
    assert query.endswith("ORDER BY DESC(?x_m) STR(?x_n0) STR(?x_n1) STR(?x_n2) ?x_o0 LIMIT 5")
    # one triple pattern per link, its strength predicates in VALUES (never a UNION per strength)
    assert "GRAPH <urn:strength> { ?x_n0 ?x_q0 ?x_n1 . }" in query and "UNION" not in query
    assert ("VALUES (?x_q1 ?x_w1 ?x_p1 ?x_o1) { (<urn:sle-graph:strength:5:acts_through> 5 "
            "<https://w3id.org/sle-graph/ontology/acts_through> 0) }") in query
    assert "(<urn:sle-graph:strength:7:uses> 7 <https://w3id.org/sle-graph/ontology/uses> " in query
    # no strength of acts_through in the bands: no match can fit, no query
    assert ranked_rows(pattern, [None] * 3, _KG.schema, [uses] * 2, 5) is None


# -- same answers as in memory, on random graphs --------------------------------------------------

_node = st.one_of(st.sampled_from(_KINDS), st.just("*"))
_link = st.builds(lambda preds, d: {"f": "-{}->", "r": "<-{}-", "a": "-{}-"}[d].format(
    f"[{'|'.join(preds)}]" if preds else "").replace("<--", "<-").replace("-->", "->").replace("--", "-"),
    st.lists(st.sampled_from(_PREDS), max_size=2, unique=True), st.sampled_from("fra"))


@st.composite
def _patterns(draw) -> str:
    parts = [draw(_node)]
    for _ in range(draw(st.integers(1, 3))):
        parts += [draw(_link), draw(_node)]
    return " ".join(parts)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids=st.lists(st.sampled_from(_IDS), min_size=2, max_size=40, unique=True),
       patterns=st.lists(_patterns(), min_size=2, max_size=5), limit=st.integers(1, 6),
       ends=st.tuples(st.integers(0, 10 ** 6), st.integers(0, 10 ** 6)), any_way=st.booleans())
def test_server_ranking_equals_memory_on_random_graphs(oxigraph, ids, patterns, limit, ends, any_way):
    """A random sub-graph of the curated one (statuses, source counts and modalities vary): the
    server's top ``limit`` of match and paths are those of memory, in the same order."""
    check_server_ranking(oxigraph, ids, patterns, limit, ends, any_way)


class _ClientRanking(logging.Handler):
    """Notes when a remote query ranks in the client instead of on the server."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "ranking in the client" in record.getMessage():
            self.seen.append(record.getMessage())


def check_server_ranking(server, ids, patterns, limit, ends, any_way, auth=None) -> None:
    """Push a sub-graph of the curated one to ``server``; remote match and paths with ``limit``
    rank on the server (never falling back to the client) and give the answers of memory."""
    kg = _KG.subgraph(ids)
    kg.push(server.url, graph=GRAPH, ontology=False, auth=auth)  # replaces the previous example's graph
    assert _strength_rows(server.url, GRAPH) == len(kg.edge_map)  # so the server does rank
    remote = sle_graph.connect(server.url, graph=GRAPH, auth=auth)
    watch = _ClientRanking()
    logger = logging.getLogger("sle_graph.endpoint")
    logger.addHandler(watch)
    level, logger.level = logger.level, logging.INFO
    try:
        for pattern in patterns:
            assert remote.match(pattern, limit=limit) == kg.match(pattern, limit=limit), pattern
        nodes = sorted(n.id for n in kg.nodes() if n.kind not in ("SourceDocument", "Study"))
        source, target = nodes[ends[0] % len(nodes)], nodes[ends[1] % len(nodes)]
        options = {"max_hops": 3, "limit": limit, "direction": "any" if any_way else "forward"}
        local = kg.paths(source, target, **options)
        assert remote.paths(source, target, **options) == local
        assert remote.paths(source, target, **options).explain() == local.explain()
    finally:
        logger.removeHandler(watch)
        logger.level = level
    assert not watch.seen


def test_ranking_falls_back_to_the_client_after_a_push_that_adds(servers):
    """``replace=False`` merges evidence on the server, whose strengths the push cannot know: the
    strength graph goes, and queries rank in the client, with the same answers."""
    server = servers()
    a, b = _KG.subgraph(_IDS[: len(_IDS) // 2]), _KG.subgraph(_IDS[len(_IDS) // 3:])
    a.push(server.url)
    first = read_head(Client(server.url), sle_graph.endpoint.DEFAULT_GRAPH).current
    assert _strength_rows(server.url, sle_graph.endpoint.DEFAULT_GRAPH) == len(a.edge_map)
    b.push(server.url, replace=False)
    assert _strength_rows(server.url, sle_graph.endpoint.DEFAULT_GRAPH) == 0
    # the strengths belong to their version: deleted with it once the pointer moved on
    assert not Client(server.url).ask(f"ASK {{ GRAPH <{strength_graph_of(first)}> {{ ?s ?p ?o }} }}")
    remote = sle_graph.connect(server.url)
    both = remote.pull()
    for pattern in ("Therapy -> *", "Cell -> Mechanism -> Outcome"):
        assert remote.match(pattern, limit=3) == both.match(pattern, limit=3)
    assert remote.paths("msc", "reduced disease activity", limit=2) == both.paths("msc", "reduced disease activity",
                                                                                  limit=2)


# -- node lookups ---------------------------------------------------------------------------------

@pytest.mark.parametrize("ref", ["msc", "MSC", "  mesenchymal stem cell ", "Mesenchymal Stem Cell",
                                 "CL:0000134", "cl:0000134", "AHSCT", "hsct"])
def test_remote_node_lookup_equals_memory(pushed, ref):
    assert pushed.node(ref) == _KG.node(ref)


def test_remote_unknown_node_names_the_closest(pushed):
    with pytest.raises(KeyError, match="closest: 'mesenchymal stem cell'"):
        pushed.node("mesenchymal stem cel")


# -- budgets -------------------------------------------------------------------------------------

def test_result_budget_says_how_many_were_found(pushed):
    total = _KG.count("* -> *")
    assert total > 5
    with pytest.raises(QueryBudgetExceeded, match=r"match found more than 5 matches .*max_results=5.*larger max_results=") as err:
        pushed.match("* -> *", max_results=5)
    assert err.value.found == 5
    with pytest.raises(QueryBudgetExceeded, match="more than 5"):
        pushed.count("* -> *", max_results=5)
    assert pushed.count("* -> *", max_results=total) == total  # lifted: the whole count
    assert len(pushed.match("* -> *", max_results=total)) == total
    paths = _KG.paths("AHSCT", "reduced steroid dependence", direction="any", max_hops=3)
    assert len(paths) > 2
    with pytest.raises(QueryBudgetExceeded, match=f"paths found more than {len(paths) - 1:,} paths"):
        pushed.paths("AHSCT", "reduced steroid dependence", direction="any", max_hops=3, max_results=len(paths) - 1)
    assert pushed.paths("AHSCT", "reduced steroid dependence", direction="any", max_hops=3,
                        max_results=len(paths)) == paths


def test_time_budget_stops_with_a_clear_error(pushed):
    with pytest.raises(QueryBudgetExceeded, match=r"ran past its time budget of 1e-06 s .*larger timeout="):
        pushed.count("* -> * -> *", timeout=1e-6)
    assert pushed.count("* -> *", timeout=60) == _KG.count("* -> *")


@pytest.mark.parametrize("options", [{"timeout": 0}, {"timeout": -1}, {"timeout": "5"}, {"timeout": True},
                                     {"max_results": 0}, {"max_results": 1.5}])
def test_bad_budgets_are_refused(pushed, options):
    with pytest.raises(InvalidArgument):
        pushed.match("* -> *", **options)


def test_adding_in_place_drops_the_versions_strengths(servers):
    """``atomic=False, replace=False`` merges into the live version: its strengths would miss the
    merged evidence, so they go, and match ranks in the client with the answers of memory."""
    server = servers()
    a, b = _KG.subgraph(_IDS[: len(_IDS) // 2]), _KG.subgraph(_IDS[len(_IDS) // 3:])
    a.push(server.url)
    b.push(server.url, atomic=False, replace=False)
    assert _strength_rows(server.url, sle_graph.endpoint.DEFAULT_GRAPH) == 0
    remote = sle_graph.connect(server.url)
    both = remote.pull()
    assert remote.match("Therapy -> *", limit=3) == both.match("Therapy -> *", limit=3)
    both.push(server.url, atomic=False)  # replacing in place stores them again
    assert _strength_rows(server.url, sle_graph.endpoint.DEFAULT_GRAPH) == len(both.edge_map)
