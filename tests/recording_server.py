"""A real HTTP server on 127.0.0.1 that records every request it gets: the witness of tests that
check something never touches the network (a refused graph name, a JSON-LD remote context)."""

from __future__ import annotations

import http.server
import threading
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
