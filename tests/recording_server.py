"""Real HTTP servers on 127.0.0.1. ``recorder`` records every request it gets: the witness of tests that
check something never touches the network (a refused graph name, a JSON-LD remote context);
``misbehaving`` answers what a test tells it to (HTML, broken JSON), as slowly as it is told to."""

from __future__ import annotations

import http.server
import threading
import time
from typing import Iterator

import pytest


class _Recorder(http.server.BaseHTTPRequestHandler):
    def _answer(self) -> None:
        self.server.requests.append((self.command, self.path))  # type: ignore[attr-defined]
        body = b'{"@context": {"name": "http://example.org/name"}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_HEAD = _answer

    def log_message(self, *args) -> None:  # quiet test output
        pass


@pytest.fixture
def recorder() -> Iterator[http.server.ThreadingHTTPServer]:
    """A recording server; ``.url`` is its base URL, ``.requests`` the (method, path) it got."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.requests = []  # type: ignore[attr-defined]
    server.url = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _Misbehaving(http.server.BaseHTTPRequestHandler):
    """Answers every request with the server's ``answer`` (status, content type, body), writing it
    ``trickle`` bytes at a time with ``delay`` seconds between writes (headers included when
    ``trickle_headers``)."""

    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        server = self.server
        sent = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        server.requests.append((self.command, self.path))  # type: ignore[attr-defined]
        quick = server.at_once(self.headers, sent) if server.at_once else None  # type: ignore[attr-defined]
        if quick is not None:
            status, content_type, body = quick
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        answer = server.answer  # type: ignore[attr-defined]
        status, content_type, body = answer(self.headers, sent) if callable(answer) else answer
        head = (f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
                "Connection: close\r\n\r\n").encode()
        if not server.trickle_headers:  # type: ignore[attr-defined]
            self.wfile.write(head)
            self.wfile.flush()
            head = b""
        data = head + body
        step = server.trickle or len(data) or 1  # type: ignore[attr-defined]
        try:
            for start in range(0, len(data), step):
                if server.stopping.is_set():  # type: ignore[attr-defined]
                    return
                self.wfile.write(data[start:start + step])
                self.wfile.flush()
                if server.delay:  # type: ignore[attr-defined]
                    time.sleep(server.delay)  # type: ignore[attr-defined]
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: what a deadline is for
        self.close_connection = True

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def misbehaving() -> Iterator[http.server.ThreadingHTTPServer]:
    """A server that answers what a test sets: ``.answer = (status, content_type, body)``, or a
    function of the request's headers and body giving one,
    ``.trickle`` bytes per write (0: all at once) every ``.delay`` seconds, ``.trickle_headers``;
    ``.at_once``, a function of the request's headers and body, gives the answers sent at once
    and whole (None: the request gets ``.answer`` as told);
    ``.url`` is its base URL, ``.requests`` the (method, path) it got."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Misbehaving)
    server.answer = (200, "application/sparql-results+json", b'{"boolean": true}')  # type: ignore[attr-defined]
    server.trickle, server.delay, server.trickle_headers = 0, 0.0, False  # type: ignore[attr-defined]
    server.at_once = None  # type: ignore[attr-defined]
    server.requests = []  # type: ignore[attr-defined]
    server.stopping = threading.Event()  # type: ignore[attr-defined]
    server.url = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join()
