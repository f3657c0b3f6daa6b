"""Checks shared by the tests of each real server (Oxigraph, Virtuoso)."""

from __future__ import annotations

import threading
import time
from typing import Any

import sle_graph
from sle_graph.endpoint import DEFAULT_GRAPH
from sle_graph.endpoint._http import Client
from sle_graph.endpoint._push import PUSH_CURRENT, copy_graph, delete_graph
from sle_graph.endpoint._servers import adapt

__all__ = ["read_while_pushing", "copy_and_delete"]


def read_while_pushing(url: str, auth: Any, big: "sle_graph.KnowledgeGraph", small: "sle_graph.KnowledgeGraph",
                       pushes: int = 6, graph: str = DEFAULT_GRAPH) -> dict[str, set]:
    """Push ``big`` and ``small`` in turn (small chunks, so each upload takes many requests) while
    another thread reads; every read must see one graph whole, never a mix. Returns what the
    readers saw (triple counts through ``connect`` and through the plain SPARQL query the docs
    give, and pulled graphs), for the caller to check that both graphs were seen."""
    sizes = {len(big.to_rdf()), len(small.to_rdf())}
    plain = (f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ <{graph}> <{PUSH_CURRENT}> ?v }} "
             f"GRAPH ?v {{ ?s ?p ?o }} }}")
    small.push(url, graph=graph, auth=auth)
    remote = sle_graph.connect(url, graph=graph, auth=auth)
    client = Client(remote.endpoint, auth)
    seen: dict[str, set] = {"count": set(), "plain": set(), "pull": set()}
    problems: list[str] = []
    done = threading.Event()
    loops = [0]  # read rounds completed

    def read() -> None:
        while not done.is_set():
            try:
                seen["count"].add(remote.count_triples())
                seen["plain"].add(int(client.select(plain)[0]["n"]["value"]))
                pulled = remote.pull()
                seen["pull"].add("big" if pulled == big else "small" if pulled == small else "MIX")
                loops[0] += 1
            except Exception as exc:  # noqa: BLE001 - reported by the main thread
                problems.append(repr(exc))
                return

    def settle() -> None:
        """Let the reader finish a whole round after a push (so each graph is read at least once,
        however slow the machine), besides the rounds that overlap the pushes."""
        target, deadline = loops[0] + 2, time.monotonic() + 120
        while loops[0] < target and not problems and time.monotonic() < deadline:
            time.sleep(0.01)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(pushes):
            (big if i % 2 == 0 else small).push(url, graph=graph, auth=auth, chunk_size=250)
            settle()
    finally:
        done.set()
        reader.join(timeout=120)
    assert not problems, problems
    assert seen["count"] <= sizes and seen["plain"] <= sizes, (seen, sizes)
    assert "MIX" not in seen["pull"], seen
    return seen


def copy_and_delete(url: str, auth: Any) -> str:
    """Copy a graph of 2,500 triples and delete the copy by the server's own way (:func:`copy_graph`,
    :func:`delete_graph`, slices smaller than the graph where the server takes slices): the copy
    holds every triple, and deleting it leaves every other graph as it was. Returns the server's
    ``Server`` header."""
    client = Client(url, auth)
    server = adapt(client)
    lines = {f'<urn:sle-test:s{i}> <urn:sle-test:p{i % 7}> "{i}" .' for i in range(2500)}
    source, target, other = "urn:sle-test:source", "urn:sle-test:copy", "urn:sle-test:other"
    for graph in (source, target, other):
        client.update(f"DROP SILENT GRAPH <{graph}>")
    client.update(f"INSERT DATA {{ GRAPH <{source}> {{ {' '.join(sorted(lines))} }} }}")
    client.update(f"INSERT DATA {{ GRAPH <{other}> {{ <urn:sle-test:s1> <urn:sle-test:p1> \"kept\" }} }}")
    copy_graph(client, source, target, server=server, slice_size=300)  # nine slices, the last one short

    def held(graph: str) -> set[tuple[str, str, str]]:
        rows = client.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return {(r["s"]["value"], r["p"]["value"], r["o"]["value"]) for r in rows}

    assert held(target) == held(source) and len(held(source)) == len(lines)
    delete_graph(client, target, server=server, slice_size=700)
    assert not held(target) and len(held(source)) == len(lines)
    assert held(other) == {("urn:sle-test:s1", "urn:sle-test:p1", "kept")}
    for graph in (source, other):
        delete_graph(client, graph, server=server)
    return server
