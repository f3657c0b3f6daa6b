"""Deadlines and unexpected answers, against real loopback servers that misbehave on purpose.

A request's timeout is its deadline (connect, send, read the whole answer); an answer that is not
what was asked for is an :class:`EndpointError` quoting its start, whichever entry point met it.
"""

from __future__ import annotations

import json
import time
import urllib.parse

import pytest

import sle_graph
from sle_graph.endpoint import DEFAULT_GRAPH, EndpointError
from sle_graph.endpoint._push import PUSH_CURRENT, PUSH_PENDING, PUSH_SCHEMA
from sle_graph.endpoint._http import MESSAGE_LIMIT, Client
from sle_graph.errors import InvalidArgument
from tests.recording_server import misbehaving  # noqa: F401 (fixture)

_JSON = "application/sparql-results+json"
_COUNT = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [
    {"n": {"type": "literal", "value": "7", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}).encode()
_TRUE = (200, _JSON, b'{"head": {}, "boolean": true}')
_NO_ROWS = (200, _JSON, b'{"head": {"vars": []}, "results": {"bindings": []}}')


def _following_the_head(headers, sent):
    """What a server that holds one version of the shipped schema answers to the requests
    ``connect`` makes to follow the head (who the server is, where the pointer is, the version's
    schema, whether the pointer moved), at once; None for the others, which get the answer the
    test is about."""
    text = urllib.parse.unquote_plus(sent.decode("utf-8", "replace"))
    if text == "query=ASK {}" or (text.startswith("query=ASK") and PUSH_CURRENT in text):
        return _TRUE
    if text.startswith("query=SELECT ?v ?o") and PUSH_CURRENT in text:
        version = json.dumps({"type": "uri", "value": DEFAULT_GRAPH + "/version/1"})
        return 200, _JSON, ('{"head": {"vars": ["v", "o"]}, "results": {"bindings": [{"v": %s}]}}' % version).encode()
    if PUSH_SCHEMA in text:
        return _NO_ROWS
    return None


# -- deadlines -----------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [False, True], ids=["body", "headers"])
def test_a_trickling_server_is_cut_off_at_the_deadline(misbehaving, headers):
    """One byte every 50 ms keeps every read alive (a read timeout never fires) for 10 s or more;
    the deadline ends the request after 1 s, and it is not retried."""
    misbehaving.answer = (200, _JSON, _COUNT + b" " * 200)
    misbehaving.trickle, misbehaving.delay, misbehaving.trickle_headers = 1, 0.05, headers
    remote = sle_graph.connect(misbehaving.url, timeout=1, retries=3)
    start = time.monotonic()
    with pytest.raises(EndpointError, match=r"no answer within 1 s") as info:
        remote.count("* -> *")
    assert time.monotonic() - start < 3
    assert info.value.status is None and len(misbehaving.requests) == 1


def test_a_slow_but_whole_answer_within_the_deadline_is_read(misbehaving):
    misbehaving.answer = (200, _JSON, _COUNT)
    misbehaving.at_once = _following_the_head
    misbehaving.trickle, misbehaving.delay = 40, 0.01
    assert sle_graph.connect(misbehaving.url, timeout=5).count("* -> *") == 7


@pytest.mark.parametrize("timeout", [0, -1, float("nan"), float("inf"), "soon"])
def test_a_timeout_is_a_positive_number_of_seconds(timeout):
    with pytest.raises(InvalidArgument, match="timeout"):
        Client("http://127.0.0.1:9", timeout=timeout)


def test_clean_up_after_a_failed_push_honours_the_callers_timeout(misbehaving, kg):
    """The server takes the preflight (its write and the read of an empty head) and the new
    version's mark, then trickles every answer: the upload and the clean-up each stop at the
    caller's deadline (not a fixed 30 s), and the error says what may remain on the server."""
    def preflight(headers, sent):
        text = urllib.parse.unquote_plus(sent.decode("utf-8", "replace"))
        if text.startswith("query=ASK"):
            return (200, _JSON, b'{"head": {}, "boolean": false}')
        if text.startswith("query=SELECT"):
            return _NO_ROWS
        if text.startswith("update=DROP SILENT GRAPH") or (text.startswith("update=INSERT DATA") and PUSH_PENDING in text):
            return 200, "text/plain", b"ok"
        return None

    misbehaving.at_once = preflight
    misbehaving.answer = (200, "text/plain", b"ok" * 100)
    misbehaving.trickle, misbehaving.delay = 1, 0.2
    start = time.monotonic()
    with pytest.raises(EndpointError) as info:
        kg.push(misbehaving.url, timeout=1, retries=0)
    elapsed = time.monotonic() - start
    message = str(info.value)
    assert "is unchanged" in message and "no answer within 1 s" in message
    assert f"DROP SILENT GRAPH <{DEFAULT_GRAPH}/version/" in message  # the clean-up timed out too, and says so
    # who the server is, the preflight's write, the head (two reads), the mark, one upload, one clean-up
    assert [m for m, _ in misbehaving.requests] == ["POST"] * 7
    assert elapsed < 5  # two deadlines of 1 s, and nothing fixed


# -- unexpected answers --------------------------------------------------------------------------

_HTML = (200, "text/html; charset=utf-8", b"<!DOCTYPE html><html><body><h1>Sign in</h1>" + b"x" * 5000)
ODD = {
    "html": (_HTML, "is an HTML page"),
    "not json": ((200, _JSON, b"<?xml version='1.0'?><sparql><results><result"), "is not JSON"),
    "other json": ((200, "application/json", b'{"error": "quota exceeded"}'), "is not SPARQL results"),
    "json list": ((200, _JSON, b"[1, 2, 3]"), "is not SPARQL results"),
    "ask for select": ((200, _JSON, b'{"head": {}, "boolean": true}'), "lacks 'results'"),
    "rows not objects": ((200, _JSON, b'{"head": {"vars": []}, "results": {"bindings": [1]}}'), "not an object"),
    "term not a term": ((200, _JSON, b'{"results": {"bindings": [{"n": "7"}]}}'), "not an RDF term"),
    "bad integer": ((200, _JSON, _COUNT.replace(b'"7"', b'"seven"')), "integer that is not one"),
    "huge integer": ((200, _JSON, _COUNT.replace(b'"7"', b'"' + b"9" * 5000 + b'"')), "integer that is not one"),
    "missing variable": ((200, _JSON, _COUNT.replace(b'{"n": ', b'{"m": ')), "lacks 'n'"),
    "hostile IRI": ((200, _JSON, json.dumps({"results": {"bindings": [{"n": {"type": "uri", "value": "urn:x> } #"}}]}}).encode()),
                    "IRI SPARQL cannot hold"),
    "bad head": ((200, _JSON, b'{"head": [], "results": {"bindings": []}}'), "is not SPARQL results"),
    "not utf-8": ((200, "application/n-triples", b"<urn:a> <urn:b> \"\xff\xfe\" ."), "is not UTF-8"),
    "not n-triples": ((200, "application/n-triples", b"@prefix x: <urn:x> . x:a x:b x:c ."), "do not read as a graph"),
}


def _entry_points(remote):
    return {
        "count": lambda: remote.count("* -> *"),
        "count_triples": remote.count_triples,
        "match": lambda: remote.match("* -> *"),
        "pull": remote.pull,
        "sparql": lambda: remote.sparql("SELECT * WHERE { ?s ?p ?o }"),
        "node": lambda: remote.node("msc"),
        "paths": lambda: remote.paths("msc", "sle"),
    }


# sparql() runs the user's own query: an ASK answer, or a row leaving a variable unbound, is a
# fine answer to some query, so only the other answers are errors there.
_FINE_FOR_SPARQL = {"ask for select", "missing variable"}


@pytest.mark.parametrize("entry, odd", [
    (entry, odd) for entry in ["count", "count_triples", "match", "pull", "sparql", "node", "paths"]
    for odd in sorted(ODD) if not (entry == "sparql" and odd in _FINE_FOR_SPARQL)])
def test_every_unexpected_answer_is_an_endpoint_error(misbehaving, odd, entry):
    answer, _ = ODD[odd]
    misbehaving.answer = answer
    remote = sle_graph.connect(misbehaving.url, retries=0, timeout=5)
    with pytest.raises(EndpointError) as info:
        _entry_points(remote)[entry]()
    message = str(info.value)
    assert misbehaving.requests and len(message) < MESSAGE_LIMIT * 2 + 400  # truncated
    body = answer[2].decode("utf-8", "replace")
    assert " ".join(body.split())[:40] in message + info.value.server_message  # quotes the start of it


@pytest.mark.parametrize("odd", sorted(ODD))
def test_each_kind_of_answer_gets_its_own_diagnosis(misbehaving, odd):
    """Where the answer is read as SPARQL results (a count), or as N-Triples (a pull), the
    message says what is wrong with it."""
    answer, says = ODD[odd]
    misbehaving.answer = answer
    misbehaving.at_once = _following_the_head
    remote = sle_graph.connect(misbehaving.url, retries=0, timeout=5)
    call = remote.pull if answer[1] == "application/n-triples" else (lambda: remote.count("* -> *"))
    with pytest.raises(EndpointError, match=says):
        call()


def test_an_html_answer_to_a_push_says_which_url(misbehaving, kg):
    """A web page where the endpoint should be (the server's home page, a login page): the
    preflight write takes any 200, so the push learns of it at the first count."""
    misbehaving.answer = _HTML
    with pytest.raises(EndpointError, match="HTML page") as info:
        kg.push(misbehaving.url + "/sparql", retries=0, timeout=5)
    assert "is unchanged" in str(info.value) and "/sparql" in str(info.value)


def test_well_formed_results_of_the_wrong_shape_are_endpoint_errors(misbehaving):
    """A server that answers every ASK with true and every SELECT with rows binding variables no
    query asked for (a proxy mixing up answers): each entry point says so."""
    def answer(headers, sent):
        if b"ASK" in sent:
            return 200, _JSON, b'{"head": {}, "boolean": true}'
        if "n-triples" in headers.get("Accept", "") and "json" not in headers.get("Accept", ""):
            return 200, "application/n-triples", b""
        return 200, _JSON, b'{"head": {"vars": ["zz"]}, "results": {"bindings": [{"zz": {"type": "literal", "value": "1"}}]}}'

    misbehaving.answer = answer
    remote = sle_graph.connect(misbehaving.url, retries=0, timeout=5)
    for call in (lambda: remote.count("* -> *"), lambda: remote.match("* -> *"),
                 lambda: remote.paths("msc", "sle"), remote.count_triples):
        with pytest.raises(EndpointError, match="lacks|no chain"):
            call()
