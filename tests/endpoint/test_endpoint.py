"""Publishing to and querying a real Oxigraph server (``oxigraph serve`` on 127.0.0.1).

Remote answers are checked against the in-memory graph (its own engine), and the pushed triples
against rdflib's view of the export (an independent count and an isomorphism check).
"""

from __future__ import annotations

import base64
import subprocess
import sys

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings, strategies as st
from rdflib.compare import isomorphic

import sle_graph
from tests.endpoint.checks import copy_and_delete, read_while_pushing
from tests.endpoint.oxigraph_server import AuthProxy, oxigraph, servers  # noqa: F401 (fixtures)
from sle_graph.endpoint import DEFAULT_GRAPH, Endpoint, EndpointError, PushResult
from sle_graph.errors import InvalidArgument
from sle_graph.endpoint._http import Client
from sle_graph.endpoint._push import read_head


def _named_graphs(url: str) -> set[str]:
    rows = Client(url).select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {r["g"]["value"] for r in rows}


def _versions(url: str, graph: str = DEFAULT_GRAPH) -> set[str]:
    """The version graphs of ``graph`` on the server (data, ontology and strengths)."""
    return {g for g in _named_graphs(url) if g.startswith(graph + "/version/")}


def _count(url: str, graph: str) -> int:
    rows = Client(url).select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"]["value"])


@pytest.fixture(scope="module")
def pushed(oxigraph, kg) -> sle_graph.RemoteGraph:
    """The curated graph pushed (twice: the second push must change nothing) to the session server."""
    first = kg.push(oxigraph.url)
    second = kg.push(oxigraph.url)
    assert isinstance(first, PushResult) and first.triples == second.triples
    return sle_graph.connect(oxigraph.url)


# -- push, pull, equality -------------------------------------------------------------------------

def test_pull_equals_original(pushed, kg):
    assert pushed.pull() == kg


_XSD = "http://www.w3.org/2001/XMLSchema#"


def _integers_as_xsd_integer(graph: rdflib.Graph) -> rdflib.Graph:
    """Oxigraph stores derived integer types (``xsd:nonNegativeInteger``) as ``xsd:integer``
    (oxigraph issue #526); compare modulo that normalisation, which reading back tolerates."""
    out = rdflib.Graph()
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and o.datatype is not None and str(o.datatype) in (
                _XSD + "nonNegativeInteger", _XSD + "positiveInteger", _XSD + "int", _XSD + "long"):
            o = rdflib.Literal(str(int(o)), datatype=rdflib.URIRef(_XSD + "integer"))
        out.add((s, p, o))
    return out


def test_pushed_triples_are_the_export(pushed, oxigraph, kg):
    text = Client(oxigraph.url).get_graph(pushed.graph).text()
    on_server = rdflib.Graph().parse(data=text, format="nt")
    assert len(on_server) == len(kg.to_rdf())
    assert isomorphic(on_server, _integers_as_xsd_integer(kg.to_rdf()))


def test_push_twice_leaves_one_copy(pushed, oxigraph, kg):
    assert pushed.count_triples() == len(kg.to_rdf())  # rdflib's count of the same graph
    onto_triples = len({q.triple for q in __import__("pyoxigraph").parse(
        path=str(__import__("sle_graph._resources", fromlist=["x"]).ontology_file()),
        format=__import__("pyoxigraph").RdfFormat.TURTLE)})
    assert _count(oxigraph.url, pushed.ontology_graph) == onto_triples
    # one version (data, ontology, strengths) and the head, which holds only the pointer and its facts
    assert _versions(oxigraph.url) == {pushed.graph, pushed.ontology_graph, pushed.strength_graph}
    assert _count(oxigraph.url, DEFAULT_GRAPH) == 4
    head = read_head(Client(oxigraph.url), DEFAULT_GRAPH)
    assert head.current == pushed.graph and not head.pending and not head.own_data


def test_repush_of_an_unchanged_graph_uploads_nothing(servers, kg):
    server = servers()
    first = kg.push(server.url)
    again = kg.push(server.url)
    assert again.unchanged and again.chunks == 0 and "nothing uploaded" in str(again)
    assert again.version == first.version and again.triples == first.triples
    fresh = sle_graph.load()  # another object of the same content: its digest is computed, and equal
    assert fresh.push(server.url).unchanged
    changed = kg.subgraph(["msc", "immunomodulation"])
    assert not changed.push(server.url).unchanged
    assert not kg.push(server.url, ontology=False).unchanged  # the ontology counts in the digest


def test_copy_and_delete_in_slices(servers):
    """Oxigraph copies (``replace=False``) and deletes (the old version) in slices: bounded requests."""
    assert copy_and_delete(servers().url, None).startswith("Oxigraph/")


def test_push_replaces_and_adds(servers, kg):
    server = servers()
    small = kg.subgraph(["msc", "immunomodulation"])
    kg.push(server.url)
    kg.push(server.url, graph="urn:sle-graph:test:other", ontology=False)
    small.push(server.url)  # replace: the data graph now holds only the small graph
    remote = sle_graph.connect(server.url)
    assert remote.pull() == small
    assert sle_graph.connect(server.url, graph="urn:sle-graph:test:other").pull() == kg  # untouched
    small.push(server.url, replace=False)  # adding what is there changes nothing
    assert remote.count_triples() == len(small.to_rdf())
    kg.push(server.url, replace=False)
    assert remote.pull() == kg


_ids = sorted(n.id for n in sle_graph.load().nodes() if n.kind not in ("SourceDocument", "Study"))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids=st.lists(st.sampled_from(_ids), min_size=1, max_size=25, unique=True))
def test_push_pull_round_trip_of_subgraphs(oxigraph, kg, ids):
    """Any sub-graph (with the studies and documents its evidence cites) comes back equal."""
    sub = kg.subgraph(ids)
    graph = "urn:sle-graph:test:subgraphs"
    sub.push(oxigraph.url, graph=graph, ontology=False)  # replaces the previous example's graph
    remote = sle_graph.connect(oxigraph.url, graph=graph)
    assert remote.pull() == sub
    assert remote.count_triples() == len(sub.to_rdf())


# -- the same answers as in memory -----------------------------------------------------------------

PATTERNS = [
    "Cell -> Mechanism -> Outcome",
    "Therapy -[uses]-> Cell -[acts_through]-> Mechanism",
    "'mesenchymal stem cell' -> Mechanism -[leads_to]-> *",
    "Therapy -> *",
    "Outcome <- Therapy - *",
    "Mechanism - Mechanism - *",
    "'AHSCT' -[has_outcome|faces_challenge]-> *",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_remote_match_and_count_equal_local(pushed, kg, pattern):
    local = kg.match(pattern)
    assert pushed.count(pattern) == kg.count(pattern) == len(local)
    remote = pushed.match(pattern)
    assert remote == local  # same paths, same order
    assert [p.explain() for p in remote] == [p.explain() for p in local]
    assert pushed.match(pattern, limit=3) == kg.match(pattern, limit=3)


def test_patterns_cover_something(kg):
    assert sum(kg.count(p) > 0 for p in PATTERNS) >= 5  # the comparisons above are not all 0 == 0


_kinds = sorted(sle_graph.load().schema.kinds)
_preds = sorted(sle_graph.load().schema.predicates)
_node = st.one_of(st.sampled_from(_kinds), st.just("*"), st.sampled_from(["'msc'", "'AHSCT'", "'immunomodulation'"]))
_link = st.builds(lambda preds, d: {"f": "-{}->", "r": "<-{}-", "a": "-{}-"}[d].format(
    f"[{'|'.join(preds)}]" if preds else "").replace("<--", "<-").replace("-->", "->").replace("--", "-"),
    st.lists(st.sampled_from(_preds), max_size=2, unique=True), st.sampled_from("fra"))


@st.composite
def _patterns(draw) -> str:
    n = draw(st.integers(1, 3))
    parts = [draw(_node)]
    for _ in range(n):
        parts += [draw(_link), draw(_node)]
    return " ".join(parts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pattern=_patterns())
def test_remote_count_equals_local_for_generated_patterns(pushed, kg, pattern):
    assert pushed.count(pattern) == kg.count(pattern)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pattern=_patterns(), limit=st.integers(1, 4))
def test_remote_top_matches_equal_local_for_generated_patterns(pushed, kg, pattern, limit):
    """With a limit the server ranks by edge status and source count, then fetches the top only."""
    assert pushed.match(pattern, limit=limit) == kg.match(pattern, limit=limit)


@pytest.mark.parametrize("source, target, options", [
    ("mesenchymal stem cell", "reduced disease activity", {}),
    ("AHSCT", "reduced steroid dependence", {"direction": "any", "max_hops": 3}),
    ("hsct", "reduced disease activity", {"via": "Mechanism"}),
    ("msc", "reduced disease activity", {"predicates": ["acts_through", "leads_to"], "limit": 2}),
    ("reduced disease activity", "hsct", {}),
])
def test_remote_paths_equal_local(pushed, kg, source, target, options):
    local = kg.paths(source, target, **options)
    remote = pushed.paths(source, target, **options)
    assert remote == local
    assert remote.explain() == local.explain()


def test_remote_errors_match_local(pushed, kg):
    with pytest.raises(KeyError, match="no node 'mesenchymal stem sell'.*mesenchymal stem cell"):
        pushed.paths("mesenchymal stem sell", "hsct")
    with pytest.raises(ValueError, match="at most 10 hops"):
        pushed.paths("msc", "hsct", max_hops=11)
    from sle_graph.query.patterns import PatternError

    with pytest.raises(PatternError, match="column 9"):
        pushed.count("Cell -> -> Outcome")
    assert pushed.node("CL:0000134") == kg.node("CL:0000134")


@pytest.mark.parametrize("query", [
    "SELECT ?label WHERE { sle:msc sleo:acts_through ?m . ?m rdfs:label ?label } ORDER BY ?label",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?e ?start WHERE { ?e oa:start ?start } ORDER BY ?e LIMIT 5",
    "SELECT ?n WHERE { ?n a/rdfs:subClassOf* sleo:Cell } ORDER BY ?n",
    "ASK { sle:msc sleo:acts_through+ ?mechanism }",
    "CONSTRUCT { sle:msc ?p ?o } WHERE { sle:msc ?p ?o }",
])
def test_remote_sparql_equals_local(pushed, kg, query):
    assert pushed.sparql(query) == kg.sparql(query)


# -- readers see one version whole -----------------------------------------------------------------

def test_readers_never_see_a_mix_while_pushes_run(servers, kg):
    server = servers()
    small = kg.subgraph(["msc", "immunomodulation", "reduced_disease_activity"])
    seen = read_while_pushing(server.url, None, kg, small)
    # the reads overlapped the switches: both versions were seen, each whole
    assert seen["count"] == {len(kg.to_rdf()), len(small.to_rdf())}
    assert seen["pull"] == {"big", "small"}


# -- connect reads the schema the push stored -------------------------------------------------------

def test_connect_reads_the_schema_the_push_stored(servers, kg, tmp_path):
    from sle_graph.query.patterns import LinkSpec, NodeSpec, Pattern
    from tests.io.test_hetionet import write_tsv

    server = servers()
    het = sle_graph.read_hetionet(*write_tsv(tmp_path))
    for graph, name in ((het, "urn:sle-graph:test:hetionet"), (kg.merge(het), "urn:sle-graph:test:merged")):
        graph.push(server.url, graph=name)
        remote = sle_graph.connect(server.url, graph=name)  # no schema=
        assert remote.schema == graph.schema
        assert remote.pull() == graph
        added = sorted(set(graph.schema.predicates) - set(kg.schema.predicates))
        assert added  # Hetionet's predicates: the shipped schema lacks them
        for predicate in added:  # prefixed names, in a Pattern object and in pattern text
            pattern = Pattern((NodeSpec(), NodeSpec()), (LinkSpec((predicate,), "forward"),))
            text = f"* -[{predicate}]-> *"
            assert remote.count(pattern) == remote.count(text) == graph.count(text) > 0
            assert remote.match(text) == remote.match(pattern) == graph.match(pattern)
            assert remote.match(text, limit=1) == graph.match(text, limit=1)
        # without the stored declarations the predicate is not the schema's: refused
        with pytest.raises(InvalidArgument, match="not one of the schema's"):
            sle_graph.connect(server.url, graph=name, schema=kg.schema).count(pattern)


def test_connect_reads_a_schema_that_redefines_a_shipped_predicate(servers):
    """The benchmarks' Hetionet-shaped schema says ``treats`` links a Compound to a Disease (the
    shipped ontology: a Therapy): the push stores the schema whole, so connect needs no schema=."""
    from benchmarks.generate import generate

    server = servers()
    graph = generate(3000, seed=1)
    assert any(p == "treats" for _, p, _ in graph.edge_map)
    graph.push(server.url, ontology=False)
    remote = sle_graph.connect(server.url)
    assert remote.schema == graph.schema
    pattern = "Compound -[treats]-> Disease"
    assert remote.count(pattern) == graph.count(pattern) > 0
    assert remote.match(pattern, limit=5) == graph.match(pattern, limit=5)
    assert remote.pull() == graph


# -- failures leave the previous graph intact ----------------------------------------------------

def test_server_killed_mid_push_leaves_previous_graph(servers, kg, tmp_path):
    location = tmp_path / "db"
    server = servers(location)
    before = kg.subgraph(["msc", "immunomodulation", "reduced_disease_activity"])
    before.push(server.url)
    calls = []

    def kill_after_first_chunk(sent: int, total: int) -> None:
        calls.append(sent)
        if len(calls) == 1:
            server.kill()

    with pytest.raises(EndpointError) as info:
        kg.push(server.url, chunk_size=200, on_chunk=kill_after_first_chunk, retries=1)
    message = str(info.value)
    assert "is unchanged" in message and "cannot reach the server" in message
    assert calls == [200]  # one chunk went through, then the server was gone
    assert "the next push to this graph deletes it" in message
    left = message.split("DROP SILENT GRAPH <", 1)[1].split(">", 1)[0]
    assert left.startswith(DEFAULT_GRAPH + "/version/")

    restarted = servers(location)
    remote = sle_graph.connect(restarted.url)
    assert remote.pull() == before
    assert remote.count_triples() == len(before.to_rdf())
    assert _count(restarted.url, left) == 200  # the one committed chunk, in the new version only
    assert left in read_head(Client(restarted.url), DEFAULT_GRAPH).pending
    before.push(restarted.url, replace=False)  # any later push deletes what the dead one left
    assert _count(restarted.url, left) == 0
    # an added-to version has no strengths (they would miss the evidence merged on the server)
    assert _versions(restarted.url) == {remote.graph, remote.ontology_graph}
    assert not read_head(Client(restarted.url), DEFAULT_GRAPH).pending


def test_failed_push_on_a_live_server_cleans_up(servers, kg, monkeypatch):
    from sle_graph.endpoint import _push

    server = servers()
    before = kg.subgraph(["msc", "immunomodulation"])
    before.push(server.url)
    good = _push._data_chunks

    def one_good_chunk_then_a_malformed_one(graph, size):
        yield next(good(graph, size))
        yield ["<urn:a> <urn:b> ."]  # no object: the server answers 400

    monkeypatch.setattr(_push, "_data_chunks", one_good_chunk_then_a_malformed_one)
    with pytest.raises(EndpointError, match="is unchanged") as info:
        kg.push(server.url, chunk_size=100, retries=0)
    assert info.value.status == 400 and info.value.server_message in str(info.value)
    monkeypatch.undo()
    remote = sle_graph.connect(server.url)
    assert remote.pull() == before
    # the failed upload (strengths included) is gone
    assert _versions(server.url) == {remote.graph, remote.ontology_graph, remote.strength_graph}


def test_push_not_atomic_replaces_and_says_when_incomplete(servers, kg):
    server = servers()
    small = kg.subgraph(["msc", "immunomodulation"])
    kg.push(server.url)
    result = small.push(server.url, atomic=False, chunk_size=50)
    assert result.chunks > 1 and set(result.timings) >= {"delete previous", "upload", "verify"}
    remote = sle_graph.connect(server.url)
    assert remote.pull() == small
    assert _versions(server.url) == {remote.graph, remote.ontology_graph, remote.strength_graph}  # rewritten in place

    def stop(sent, total):
        server.kill()

    with pytest.raises(EndpointError, match="is incomplete .atomic=False.: push again"):
        kg.push(server.url, atomic=False, chunk_size=500, on_chunk=stop, retries=0)


# -- SPARQL Update instead of the Graph Store Protocol -------------------------------------------

@pytest.mark.parametrize("store", [None, "/no-such-store"])
def test_push_through_sparql_update(servers, kg, store):
    server = servers()
    endpoint = Endpoint(server.url + "/query", server.url + "/update", server.url + store if store else None)
    result = kg.push(endpoint, chunk_size=1000)
    assert result.protocol == "update"
    remote = sle_graph.connect(endpoint)
    assert remote.pull() == kg  # pulled with CONSTRUCT when there is no Graph Store Protocol
    assert remote.count("Cell -> Mechanism") == kg.count("Cell -> Mechanism")


# -- credentials ------------------------------------------------------------------------------------

def test_push_with_credentials_through_a_checking_proxy(oxigraph, kg, caplog):
    right = ("ana", "correct-horse-battery")
    header = "Basic " + base64.b64encode(":".join(right).encode()).decode()
    with AuthProxy(oxigraph.url, header) as proxy:
        graph = "urn:sle-graph:test:auth"
        result = kg.push(proxy.url, graph=graph, auth=right, ontology=False)
        assert result.triples == len(kg.to_rdf())
        with pytest.raises(EndpointError) as info:
            kg.push(proxy.url, graph=graph, auth=("ana", "wrong-staple-9"), retries=0)
        assert info.value.status == 401 and "is unchanged" in str(info.value)
        assert "wrong-staple-9" not in str(info.value) + repr(info.value) + caplog.text
        assert sle_graph.connect(proxy.url, graph=graph, auth=right).pull() == kg


# -- command line ---------------------------------------------------------------------------------

def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    entry = "import sys; from sle_graph.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", entry, *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_cli_push_and_sparql(servers, kg):
    server = servers()
    done = _cli("push", server.url)
    assert done.returncode == 0, done.stderr
    # the result is a status line on stderr; progress goes to a terminal only
    assert done.stdout == "" and done.stderr.startswith(f"pushed {len(kg.to_rdf())} triples")
    assert "\r" not in done.stderr and done.stderr.count("\n") == 1
    query = "SELECT ?label WHERE { sle:msc rdfs:label ?label }"
    remote = _cli("sparql", query, "--endpoint", server.url, "--format", "json")
    local = _cli("sparql", query, "--format", "json")
    assert remote.returncode == local.returncode == 0
    assert remote.stdout == local.stdout and "mesenchymal stem cell" in remote.stdout


def test_cli_sparql_reads_a_query_file(pushed, oxigraph, tmp_path, capsys):
    from sle_graph.cli import main

    query = tmp_path / "q.rq"
    query.write_text("SELECT ?m WHERE { sle:msc sleo:acts_through ?m } ORDER BY ?m", encoding="utf-8")
    assert main(["sparql", f"@{query}", "--endpoint", oxigraph.url, "--format", "tsv"]) == 0
    remote = capsys.readouterr().out
    assert main(["sparql", f"@{query}", "--format", "tsv"]) == 0
    local = capsys.readouterr().out
    assert remote == local and remote.startswith("m\n") and "immunomodulation" in remote


def test_cli_errors(tmp_path):
    done = _cli("push", "http://127.0.0.1:9", "--user", "ana", "--password-env", "SLE_TEST_UNSET_VAR")
    assert done.returncode == 1 and "SLE_TEST_UNSET_VAR is not set" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    done = _cli("push", "http://127.0.0.1:9", "--password", "x")
    assert done.returncode == 2  # no such option: secrets never go on the command line
    done = _cli("push", "http://127.0.0.1:9", "--retries", "0", "--token-env", "SLE_TEST_TOKEN",
                env={"SLE_TEST_TOKEN": "t0k-secret"})
    assert done.returncode == 1 and "cannot reach" in done.stderr and "t0k-secret" not in done.stderr
    done = _cli("sparql", "@" + str(tmp_path / "missing.rq"))
    assert done.returncode == 1 and "cannot read the query file" in done.stderr
    assert "example" in _cli("push", "--help").stdout and "example" in _cli("sparql", "--help").stdout


def test_push_ontology_graph_is_deprecated(kg):
    with pytest.warns(DeprecationWarning, match="ontology now goes with each version"), \
            pytest.raises(EndpointError, match="cannot reach"):
        kg.push("http://127.0.0.1:9", ontology_graph="urn:sle-graph:test:onto", retries=0)
