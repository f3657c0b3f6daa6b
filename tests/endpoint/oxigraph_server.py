"""A real Oxigraph SPARQL server for the endpoint tests, and a loopback proxy that checks credentials.

``oxigraph serve`` (PyPI package ``oxigraph``, a dev dependency) runs on 127.0.0.1 with a free
port and a temporary directory; it is stopped by its process id. Nothing here talks to anything
but loopback.

Fixtures (import them into a test module: ``from tests.endpoint.oxigraph_server import oxigraph, servers``):

- ``oxigraph``: one server for the whole session;
- ``servers``: a factory of extra servers for tests that kill one; all are killed at teardown.
"""

from __future__ import annotations

import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest

__all__ = ["OxigraphServer", "AuthProxy", "oxigraph", "servers", "oxigraph_binary"]


def oxigraph_binary() -> str:
    """The ``oxigraph`` command installed beside this Python, or on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the 'oxigraph' command is missing: install the dev extra (pip install -e '.[dev]')")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    """``oxigraph serve --location DIR --bind 127.0.0.1:PORT`` as a child process."""

    def __init__(self, location: Path):
        self.location = Path(location)
        self.process: subprocess.Popen | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: float = 20.0) -> "OxigraphServer":
        self.port = free_port()
        self.location.mkdir(parents=True, exist_ok=True)
        self._log = open(self.location.parent / f"{self.location.name}-{self.port}.log", "wb")
        self.process = subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {self.process.returncode}; log: "
                                   + Path(self._log.name).read_text(errors="replace")[-2000:])
            try:
                with urllib.request.urlopen(self.url + "/query?query=ASK%7B%7D", timeout=1) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"oxigraph serve did not answer on {self.url} within {wait} s")

    def kill(self) -> None:
        """Stop the server at once (SIGKILL by process id), as a crash would."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None
        if getattr(self, "_log", None):
            self._log.close()

    def stop(self) -> None:
        """Stop the server cleanly (SIGTERM by process id, SIGKILL if it lingers)."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self.kill()


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "db").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Callable[..., OxigraphServer]]:
    """Start extra servers (``servers()`` or ``servers(location)``); all are killed afterwards."""
    started: list[OxigraphServer] = []

    def start(location: Path | None = None) -> OxigraphServer:
        server = OxigraphServer(location or tmp_path / f"db{len(started)}").start()
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.kill()


class AuthProxy:
    """A loopback reverse proxy that forwards to ``target`` only with the right Authorization header.

    Oxigraph has no authentication; this stands in for the gateway that a real deployment puts
    in front of it. A wrong or missing header gets ``401`` with a short message.
    """

    def __init__(self, target: str, authorization: str):
        self.target = target.rstrip("/")
        expected = authorization
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length) if length else None  # read before answering, as servers do
                if self.headers.get("Authorization") != expected:
                    body = b"Unauthorized: the credentials were not accepted"
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="sle"')
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() in ("content-type", "accept")}
                req = urllib.request.Request(proxy.target + self.path, data=data, headers=headers,
                                             method=self.command)
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        status, ctype, body = r.status, r.headers.get("Content-Type", ""), r.read()
                except urllib.error.HTTPError as e:
                    status, ctype, body = e.code, e.headers.get("Content-Type", ""), e.read()
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def __enter__(self) -> "AuthProxy":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
