"""Checks shared by the tests of each real server (Oxigraph, Virtuoso)."""

from __future__ import annotations

import threading
import time
from typing import Any

import sle_graph
from sle_graph.endpoint import DEFAULT_GRAPH
from sle_graph.endpoint._http import Client
from sle_graph.endpoint._push import PUSH_CURRENT

__all__ = ["read_while_pushing"]


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
