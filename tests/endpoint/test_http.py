"""The HTTP layer of sle_graph.endpoint: URL forms, errors, retries, credentials; and the server's atomicity.

Servers here are real and on loopback only: Oxigraph (``oxigraph serve``), a proxy that checks
credentials in front of it, and tiny ``http.server`` stubs for answers Oxigraph never gives
(503, a long 400).
"""

from __future__ import annotations

import http.server
import logging
import threading
import time
import traceback

import pytest

from tests.endpoint.oxigraph_server import AuthProxy, oxigraph, servers  # noqa: F401 (fixtures)
from sle_graph.endpoint import BasicAuth, BearerAuth, Endpoint, EndpointError
from sle_graph.endpoint._http import MESSAGE_LIMIT, Client, as_auth
from sle_graph.errors import SleGraphError


# -- endpoint URL forms ------------------------------------------------------------------------

@pytest.mark.parametrize("url, query, update, store", [
    ("http://127.0.0.1:7878", "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
     "http://127.0.0.1:7878/store"),
    ("http://127.0.0.1:7878/", "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
     "http://127.0.0.1:7878/store"),
    ("http://h:3030/ds", "http://h:3030/ds", "http://h:3030/ds", "http://h:3030/ds"),
    ("http://h:7200/repositories/sle", "http://h:7200/repositories/sle",
     "http://h:7200/repositories/sle/statements", "http://h:7200/repositories/sle/rdf-graphs/service"),
    ("http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql", None),
    ("https://cluster:8182/sparql", "https://cluster:8182/sparql", "https://cluster:8182/sparql", None),
])
def test_endpoint_url_forms(url, query, update, store):
    e = Endpoint.parse(url)
    assert (e.query, e.update, e.store) == (query, update, store)


def test_endpoint_mapping_and_bad_urls():
    e = Endpoint.parse({"query": "http://h/ds/sparql", "update": "http://h/ds/update"})
    assert (e.query, e.update, e.store) == ("http://h/ds/sparql", "http://h/ds/update", None)
    with pytest.raises(ValueError, match="http:// or https://"):
        Endpoint.parse("ftp://h/sparql")
    with pytest.raises(ValueError, match="unknown: stor"):
        Endpoint.parse({"query": "http://h/q", "stor": "http://h/s"})
    with pytest.raises(ValueError, match="credentials") as info:
        Endpoint.parse("http://ana:hunter22@h:7878")
    assert "hunter22" not in str(info.value)


# -- credentials never shown ---------------------------------------------------------------------

def test_auth_objects_hide_secrets():
    basic, bearer = as_auth(("ana", "hunter22")), as_auth("tok-abc-123")
    assert isinstance(basic, BasicAuth) and isinstance(bearer, BearerAuth)
    for obj in (basic, bearer, Client("http://127.0.0.1:9", basic), Client("http://127.0.0.1:9", bearer)):
        assert "hunter22" not in repr(obj) + str(obj) and "tok-abc-123" not in repr(obj) + str(obj)
    with pytest.raises(TypeError) as info:
        as_auth(["ana", "hunter22"])
    assert "hunter22" not in str(info.value)


def _all_text(exc: BaseException) -> str:
    return str(exc) + repr(exc) + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


@pytest.mark.parametrize("auth", [("ana", "hunter22-wrong"), "tok-wrong-987"])
def test_wrong_credentials_clear_error_without_secret(oxigraph, caplog, auth):
    import sle_graph

    good = "Basic " + __import__("base64").b64encode(b"ana:right-one").decode()
    secret = auth[1] if isinstance(auth, tuple) else auth
    with AuthProxy(oxigraph.url, good) as proxy, caplog.at_level(logging.DEBUG, logger="sle_graph"):
        remote = sle_graph.connect(proxy.url, auth=auth, retries=0)
        with pytest.raises(EndpointError) as info:
            remote._client.select("ASK {}")
        # the right credentials pass the same proxy
        ok = Client(proxy.url, ("ana", "right-one")).query("ASK {}").json()
    assert ok["boolean"] is True
    err = info.value
    assert err.status == 401 and isinstance(err, SleGraphError)
    assert "401" in str(err) and "credentials" in str(err) and "not accepted" in str(err)
    for text in (_all_text(err), repr(remote), str(remote), caplog.text):
        assert secret not in text
        assert as_auth(auth).header().split(" ", 1)[1] not in text  # nor its base64 form


# -- errors and retries --------------------------------------------------------------------------

class _Stub:
    """A loopback server answering from a list of (status, body) in turn (the last one repeats)."""

    def __init__(self, answers):
        self.answers, self.seen = list(answers), 0
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, body = stub.answers[min(stub.seen, len(stub.answers) - 1)]
                stub.seen += 1
                self.send_response(status)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_5xx_is_retried_with_backoff_then_succeeds():
    ok = b'{"head": {}, "boolean": true}'
    with _Stub([(503, b"busy"), (503, b"busy"), (200, ok)]) as stub:
        client = Client(stub.url, retries=4, backoff=0.05)
        start = time.monotonic()
        assert client.query("ASK {}").json()["boolean"] is True
        elapsed = time.monotonic() - start
    assert stub.seen == 3
    assert elapsed >= 0.05 + 0.1  # two back-off waits: 0.05 s, then 0.1 s


def test_5xx_retries_are_bounded_and_quote_the_server():
    with _Stub([(503, b"overloaded, come back later")]) as stub:
        with pytest.raises(EndpointError) as info:
            Client(stub.url, retries=2, backoff=0.01).query("ASK {}")
    assert stub.seen == 3  # one try and two retries
    assert info.value.status == 503 and "overloaded, come back later" in str(info.value)
    assert "after 3 attempts" in str(info.value)


def test_4xx_is_not_retried_and_message_is_truncated():
    long_message = b"bad query: " + b"x" * 5000
    with _Stub([(400, long_message)]) as stub:
        with pytest.raises(EndpointError) as info:
            Client(stub.url, retries=3, backoff=0.01).query("SELEC")
    assert stub.seen == 1
    assert info.value.server_message.startswith("bad query: xxx")
    assert len(info.value.server_message) <= MESSAGE_LIMIT + 4
    assert len(str(info.value)) < MESSAGE_LIMIT + 200


def test_connection_refused_is_said_and_not_retried(servers):
    server = servers()
    url = server.url
    server.kill()  # nothing listens on the port any more
    client = Client(url, retries=10, backoff=0.5, retry_budget=30.0)
    start = time.monotonic()
    with pytest.raises(EndpointError, match="connection refused: nothing listens at 127.0.0.1:") as info:
        client.query("ASK {}")
    assert time.monotonic() - start < 0.5  # no back-off: waiting does not start a server
    assert info.value.status is None and "attempts" not in str(info.value)


def test_a_push_refused_at_once_gives_no_clean_up_advice(servers, kg):
    server = servers()
    url = server.url
    server.kill()
    with pytest.raises(EndpointError) as info:
        kg.push(url, retries=4)
    message = str(info.value)
    assert "connection refused" in message and "is unchanged" in message
    assert "DROP" not in message and "temporary" not in message  # nothing was written: nothing to clean


def test_oxigraph_parse_error_is_quoted(oxigraph):
    with pytest.raises(EndpointError) as info:
        Client(oxigraph.url).query("SELEC * WHERE {}")
    assert info.value.status == 400
    assert info.value.server_message and info.value.server_message in str(info.value)


# -- what the push relies on: one update request is atomic on Oxigraph ---------------------------

def test_oxigraph_runs_one_update_request_atomically(oxigraph):
    """``DROP <g> ; DROP <missing>``: the second operation fails, so the first must not stick."""
    client = Client(oxigraph.url, retries=0)
    g = "urn:sle-graph:test:atomic"
    client.post_graph(g, b"<urn:a> <urn:b> <urn:c> .\n")
    with pytest.raises(EndpointError, match="does not exist"):
        client.update(f"DROP GRAPH <{g}> ; DROP GRAPH <urn:sle-graph:test:missing>", retry=False)
    rows = client.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
    assert rows[0]["n"]["value"] == "1"
    client.update(f"DROP GRAPH <{g}>")
