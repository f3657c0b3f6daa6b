"""A real Virtuoso server for the endpoint tests (Debian's ``virtuoso-opensource-7-bin``).

``virtuoso-t +foreground`` runs on 127.0.0.1 (free SQL and HTTP ports) with a temporary database
described by a ``virtuoso.ini`` written into a temporary directory; it is stopped by its process
id. ``make virtuoso`` (part of ``make test``) installs the package when ``virtuoso-t`` is missing;
without it the tests that need the server skip, saying so. Nothing here talks to anything but
loopback.

The server gets a user of its own, as an institution would hand out: :data:`USER` with a password,
the ``SPARQL_UPDATE`` role and write permission on graphs (through ``isql-vt`` as ``dba``).

Fixture: ``virtuoso`` (one server for the module that imports it).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from tests.endpoint.oxigraph_server import free_port

__all__ = ["VirtuosoServer", "virtuoso", "virtuoso_binaries", "USER"]

#: The user the tests push as (its password is random per server).
USER = "sle"

_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ServerThreads = 10
CheckpointInterval = 0
DirsAllowed = ., {d}

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 8
ServerThreads = 8

[SPARQL]
ResultSetMaxRows = 100000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""


def virtuoso_binaries() -> tuple[str, str] | None:
    """``virtuoso-t`` and ``isql-vt`` from PATH, or None."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    return (server, isql) if server and isql else None


class VirtuosoServer:
    """``virtuoso-t +foreground +configfile DIR/virtuoso.ini`` as a child process."""

    def __init__(self, location: Path, buffers: int = 20_000):
        self.location = Path(location)
        self.buffers = buffers  # 8 kB pages: 20k = 160 MB of cache
        self.process: subprocess.Popen | None = None
        self.port = self.sql_port = 0
        self.password = secrets.token_hex(8)
        self.dba_password = "dba"

    @property
    def url(self) -> str:
        """The SPARQL endpoint (queries; with credentials a push takes Virtuoso's other forms)."""
        return f"http://127.0.0.1:{self.port}/sparql"

    @property
    def auth(self) -> tuple[str, str]:
        return (USER, self.password)

    def start(self, wait: float = 60.0) -> "VirtuosoServer":
        binaries = virtuoso_binaries()
        if binaries is None:
            pytest.skip("virtuoso-t not found: `make virtuoso` installs Debian's virtuoso-opensource-7-bin")
        server, _ = binaries
        self.location.mkdir(parents=True, exist_ok=True)
        self.port, self.sql_port = free_port(), free_port()
        ini = self.location / "virtuoso.ini"
        ini.write_text(_INI.format(d=self.location, sql=self.sql_port, http=self.port, buffers=self.buffers,
                                   dirty=self.buffers * 3 // 4), encoding="utf-8")
        self._log = open(self.location / "server.log", "wb")
        self.process = subprocess.Popen([server, "+foreground", "+configfile", str(ini)], cwd=self.location,
                                        stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {self.process.returncode}; log: "
                                   + (self.location / "server.log").read_text(errors="replace")[-2000:])
            try:
                with urllib.request.urlopen(f"{self.url}?query=ASK%7B%7D", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        else:
            self.stop()
            raise RuntimeError(f"virtuoso-t did not answer on {self.url} within {wait} s")
        self.sql(f"DB.DBA.USER_CREATE('{USER}', '{self.password}'); GRANT SPARQL_UPDATE TO \"{USER}\"; "
                 f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{USER}', 3);")
        return self

    def sql(self, statements: str, timeout: float = 3600) -> str:
        """Run SQL as ``dba`` through ``isql-vt`` (for set-up and the offline bulk load)."""
        _, isql = virtuoso_binaries() or ("", "isql-vt")
        done = subprocess.run([isql, str(self.sql_port), "dba", self.dba_password, f"exec={statements}"],
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql-vt failed: {(done.stdout + done.stderr)[-2000:]}")
        return done.stdout

    def stop(self) -> None:
        """Stop the server (SIGTERM by process id, SIGKILL if it lingers)."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None
        if getattr(self, "_log", None):
            self._log.close()


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso") / "db").start()
    try:
        yield server
    finally:
        server.stop()
