"""Chunks uploaded from several threads at once (as pushes to Virtuoso are) arrive whole, once each,
and the first refusal stops the upload with the server's error. Against a real Oxigraph server."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from sle_graph.endpoint._http import Client
from sle_graph.endpoint._push import _Sender, _Uploader, upload_workers
from sle_graph.errors import EndpointError
from tests.endpoint.oxigraph_server import oxigraph  # noqa: F401 (fixture)

_GRAPH = "http://example.org/parallel"


def _lines(first: int, count: int) -> list[str]:
    return [f"<http://example.org/s{i}> <http://example.org/p> \"{i}\" ." for i in range(first, first + count)]


def _held(client: Client, graph: str) -> int:
    rows = client.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"]["value"])


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sizes=st.lists(st.integers(1, 40), min_size=1, max_size=12), workers=st.integers(1, 3))
def test_every_chunk_arrives_once_and_is_counted(oxigraph, sizes, workers):
    client = Client(oxigraph.url)
    client.update(f"DROP SILENT GRAPH <{_GRAPH}>")
    taken, first = [], 0
    with _Sender(_Uploader(client), workers) as send:
        for size in sizes:
            taken += send(_GRAPH, _lines(first, size))
            first += size
        taken += send.finish()
    assert sorted(taken) == sorted(sizes)
    assert _held(client, _GRAPH) == sum(sizes)


def test_a_refused_chunk_stops_the_upload_with_the_servers_error(oxigraph):
    client = Client(oxigraph.url)
    chunks = [_lines(0, 5), _lines(5, 5), ["<http://example.org/broken"], *(_lines(10 + 5 * i, 5) for i in range(6))]
    with pytest.raises(EndpointError, match="400"):
        with _Sender(_Uploader(client), 2) as send:
            for chunk in chunks:
                send(_GRAPH + "/refused", chunk)
            send.finish()


def test_only_virtuoso_takes_uploads_at_once():
    assert upload_workers("Virtuoso/07.20.3240 (Linux) x86_64-pc-linux-gnu") == 2
    assert upload_workers("Oxigraph/0.5.13") == upload_workers("") == 1
