"""HTTP to a SPARQL 1.1 server: endpoint URLs, credentials, retries, and errors.

Standard library only (``urllib.request``): a client needs one POST and one GET with timeouts,
which does not justify a dependency. Every request has a timeout; connection errors and 5xx
answers are retried with exponential back-off, bounded both in count and in total time; a 4xx
answer raises :class:`EndpointError` quoting the server's message.

Credentials never leave :class:`BasicAuth` / :class:`BearerAuth` except as the ``Authorization``
header of a request: their reprs hide the secret, and every message this module builds from a
server answer is scrubbed of it.

Example
-------
>>> from sle_graph.endpoint import Endpoint, BasicAuth
>>> Endpoint.parse("http://127.0.0.1:7878").store
'http://127.0.0.1:7878/store'
>>> BasicAuth("ana", "s3cret")
BasicAuth(user='ana', password=***)
"""

from __future__ import annotations

import base64
import http.client
import json
import logging
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from ..errors import EndpointError, InvalidArgument

__all__ = ["Endpoint", "EndpointError", "BasicAuth", "BearerAuth", "Client", "Response", "as_auth", "ask_answer"]

log = logging.getLogger("sle_graph.endpoint")

#: Longest part of a server's error message quoted in an :class:`EndpointError`.
MESSAGE_LIMIT = 600
#: Statuses after which a request is retried (with back-off): the server may recover.
RETRY_STATUSES = frozenset({500, 502, 503, 504})


class _Auth:
    """Credentials for the ``Authorization`` header; the secret is never shown."""

    __slots__ = ("_header",)

    def header(self) -> str:
        return self._header

    def secrets(self) -> tuple[str, ...]:  # texts to scrub from messages
        return (self._header, self._header.split(" ", 1)[-1])


class BasicAuth(_Auth):
    """HTTP basic authentication: a user name and a password.

    >>> BasicAuth("ana", "s3cret")
    BasicAuth(user='ana', password=***)
    """

    __slots__ = ("user", "_password")

    def __init__(self, user: str, password: str):
        if not isinstance(user, str) or not isinstance(password, str):
            raise TypeError("BasicAuth takes a user name and a password, both strings")
        self.user = user
        self._password = password
        self._header = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")

    def secrets(self) -> tuple[str, ...]:
        return super().secrets() + ((self._password,) if len(self._password) >= 3 else ())

    def __repr__(self) -> str:
        return f"BasicAuth(user={self.user!r}, password=***)"

    def digest(self, challenge: str) -> "_Digest":
        """Digest authentication (RFC 7616) with these credentials, for a server's challenge."""
        return _Digest(self.user, self._password, challenge)


class BearerAuth(_Auth):
    """A bearer token (``Authorization: Bearer ...``), as QLever, GraphDB and gateways use.

    >>> BearerAuth("abc.def.ghi")
    BearerAuth(token=***)
    """

    __slots__ = ()

    def __init__(self, token: str):
        if not isinstance(token, str) or not token:
            raise TypeError("BearerAuth takes a non-empty token string")
        self._header = "Bearer " + token

    def __repr__(self) -> str:
        return "BearerAuth(token=***)"


def as_auth(auth: Any) -> _Auth | None:
    """``None``, a ``(user, password)`` tuple, a token string, or a BasicAuth/BearerAuth object."""
    if auth is None or isinstance(auth, _Auth):
        return auth
    if isinstance(auth, tuple) and len(auth) == 2:
        return BasicAuth(*auth)
    if isinstance(auth, str):
        return BearerAuth(auth)
    # Never echo the value: it may be a secret in an unexpected shape.
    raise TypeError(f"auth must be None, a (user, password) tuple, a token string, BasicAuth or "
                    f"BearerAuth, not {type(auth).__name__}")


@dataclass(frozen=True)
class Endpoint:
    """Where a SPARQL 1.1 server answers: query, update and Graph Store Protocol URLs.

    ``store`` is ``None`` for servers without the Graph Store Protocol: pushes then use SPARQL
    Update. Build one with :meth:`parse` from a single URL (see its rules) or give the three
    URLs yourself:

    >>> Endpoint("http://localhost:3030/ds/sparql", "http://localhost:3030/ds/update",
    ...          "http://localhost:3030/ds/data").update
    'http://localhost:3030/ds/update'
    """

    query: str
    update: str | None = None
    store: str | None = None

    @classmethod
    def parse(cls, url: "str | Endpoint | Mapping[str, str]") -> "Endpoint":
        """The endpoint a URL stands for.

        - ``http://host:port`` (no path): Oxigraph's layout, ``/query``, ``/update``, ``/store``;
        - ``.../repositories/NAME``: RDF4J and GraphDB, ``/statements`` for updates and
          ``/rdf-graphs/service`` for the Graph Store Protocol;
        - a path ending in ``/sparql`` or ``/query`` (Virtuoso, QLever, Neptune, Blazegraph):
          one URL for queries and updates, no Graph Store Protocol (on Virtuoso, told by its
          answers, a push and :func:`connect` use its authenticated ``/sparql-auth`` and its Graph
          Store ``/sparql-graph-crud-auth`` when credentials are given; ``/sparql-auth`` also works);
        - any other path (a Fuseki dataset such as ``http://host:3030/ds``): the URL serves
          queries, updates and the Graph Store Protocol.

        A mapping with keys ``query``, ``update`` and ``store`` is taken as is.

        >>> Endpoint.parse("http://localhost:7200/repositories/sle").update
        'http://localhost:7200/repositories/sle/statements'
        >>> Endpoint.parse("http://localhost:8890/sparql").store is None
        True
        >>> Endpoint.parse("http://localhost:3030/ds").store
        'http://localhost:3030/ds'
        """
        if isinstance(url, Endpoint):
            return url
        if isinstance(url, Mapping):
            unknown = set(url) - {"query", "update", "store"}
            if unknown or "query" not in url:
                raise InvalidArgument("an endpoint mapping has the key 'query' and optionally 'update' "
                                 f"and 'store'{'; unknown: ' + ', '.join(sorted(unknown)) if unknown else ''}")
            return cls(*(_check_url(url[k]) if url.get(k) else None for k in ("query", "update", "store")))
        if not isinstance(url, str):
            raise TypeError(f"an endpoint is a URL string, an Endpoint or a mapping, not {type(url).__name__}")
        url = _check_url(url).rstrip("/")
        path = urllib.parse.urlsplit(url).path
        parts = path.split("/")
        if not path:
            return cls(url + "/query", url + "/update", url + "/store")
        if len(parts) >= 3 and parts[-2] == "repositories":
            return cls(url, url + "/statements", url + "/rdf-graphs/service")
        if parts[-1] in ("sparql", "query", "sparql-auth"):
            return cls(url, url, None)
        return cls(url, url, url)


def _check_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidArgument(f"an endpoint URL starts with http:// or https:// and names a host, not {_redact_url(url)!r}")
    if parts.username is not None or parts.password is not None:
        raise InvalidArgument("put credentials in auth=(user, password), not in the endpoint URL")
    if parts.query or parts.fragment:
        raise InvalidArgument(f"an endpoint URL has no query string or fragment: {_redact_url(url)!r}")
    return url


def _redact_url(url: str) -> str:
    """The URL without any user:password part."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, "***@" + host, parts.path, parts.query, parts.fragment))


@dataclass(frozen=True)
class Response:
    """A successful answer: status, content type and body."""

    status: int
    content_type: str
    body: bytes
    server: str = ""

    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Never follow a redirect: it could carry the Authorization header to another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class Client:
    """Requests to one endpoint, with credentials, timeouts and bounded retries.

    ``timeout`` is the per-request limit in seconds; a failed request (connection error or
    5xx) is tried again up to ``retries`` times, waiting ``backoff``, 2 x ``backoff``, ...
    seconds, and never past ``retry_budget`` seconds in all.
    """

    def __init__(self, endpoint: "str | Endpoint | Mapping[str, str]", auth: Any = None, *,
                 timeout: float = 60.0, retries: int = 4, backoff: float = 0.5,
                 retry_budget: float = 60.0):
        self.endpoint = Endpoint.parse(endpoint)
        self._auth = as_auth(auth)
        self.timeout = float(timeout)
        self.retries = int(retries)
        self.backoff = float(backoff)
        self.retry_budget = float(retry_budget)
        self._digest: "_Digest | None" = None  # set once a server asks for digest authentication

    def __repr__(self) -> str:
        auth = f", auth={self._auth!r}" if self._auth else ""
        return f"Client({self.endpoint.query!r}{auth})"

    @property
    def auth(self) -> "_Auth | None":
        """The credentials requests carry (their repr hides the secrets), or None."""
        return self._auth

    # -- SPARQL protocol ------------------------------------------------------------------------

    def query(self, text: str, *, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
              accept: str = "application/sparql-results+json", timeout: float | None = None) -> Response:
        """Run a query (SPARQL 1.1 Protocol, form-encoded POST) and return the raw answer."""
        fields = [("query", text)] + [("default-graph-uri", g) for g in default_graphs]
        fields += [("named-graph-uri", g) for g in named_graphs]
        return self.request("POST", self.endpoint.query, body=urllib.parse.urlencode(fields).encode(),
                            content_type="application/x-www-form-urlencoded", accept=accept,
                            timeout=timeout)

    def select(self, text: str, **options: Any) -> list[dict[str, dict[str, str]]]:
        """The bindings of a SELECT query as SPARQL JSON terms (``{"type": ..., "value": ...}``)."""
        data = self.query(text, **options).json()
        return data["results"]["bindings"]

    def ask(self, text: str, **options: Any) -> bool:
        """The answer of an ASK query."""
        return ask_answer(self.query(text, **options).json())

    def update(self, text: str, *, retry: bool = True, timeout: float | None = None) -> Response:
        """Run a SPARQL Update request (form-encoded POST)."""
        if not self.endpoint.update:
            raise EndpointError(f"no update URL for {self.endpoint.query}: give Endpoint(query, update, store)")
        return self.request("POST", self.endpoint.update, body=urllib.parse.urlencode([("update", text)]).encode(),
                            content_type="application/x-www-form-urlencoded", retry=retry, timeout=timeout)

    # -- Graph Store Protocol -------------------------------------------------------------------

    def store_url(self, graph: str) -> str:
        if not self.endpoint.store:
            raise EndpointError(f"{self.endpoint.query} has no Graph Store Protocol URL")
        return self.endpoint.store + "?" + urllib.parse.urlencode({"graph": graph})

    def post_graph(self, graph: str, data: bytes, content_type: str = "application/n-triples", *,
                   bulk: bool = False) -> None:
        """Add triples to a named graph (Graph Store Protocol POST).

        ``bulk``: Oxigraph's ``no_transaction`` option (its bulk loader: about twice as fast, but
        a failed request may leave part of its triples), for graphs no one reads yet.
        """
        url = self.store_url(graph) + ("&no_transaction" if bulk else "")
        self.request("POST", url, body=data, content_type=content_type)

    def get_graph(self, graph: str, accept: str = "application/n-triples") -> Response:
        """The triples of a named graph (Graph Store Protocol GET)."""
        return self.request("GET", self.store_url(graph), accept=accept)

    # -- one request ----------------------------------------------------------------------------

    def request(self, method: str, url: str, *, body: bytes | None = None, content_type: str | None = None,
                accept: str | None = None, retry: bool = True, timeout: float | None = None) -> Response:
        """Send one request, retrying connection errors and 5xx answers; raise EndpointError."""
        headers = {"User-Agent": "sle_graph"}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        if self._auth is not None:
            headers["Authorization"] = self._auth.header() if self._digest is None else self._digest.header(method, url)
        timeout = self.timeout if timeout is None else timeout
        start = time.monotonic()
        attempt = 0
        answered = False
        while True:
            attempt += 1
            req = urllib.request.Request(url, data=body, headers=headers, method=method)
            problem: str
            status: int | None = None
            server_message = ""
            try:
                with _OPENER.open(req, timeout=timeout) as answer:
                    data = answer.read()
                    log.debug("%s %s -> %s (%d bytes, %.3f s)", method, url, answer.status, len(data),
                              time.monotonic() - start)
                    return Response(answer.status, answer.headers.get("Content-Type", ""), data,
                                    answer.headers.get("Server", ""))
            except urllib.error.HTTPError as exc:
                status = exc.code
                challenge = exc.headers.get("WWW-Authenticate", "") if status == 401 else ""
                if status == 401 and not challenge and isinstance(self._auth, BasicAuth) and not answered:
                    # Virtuoso answers a basic Authorization header with a bare 401: ask it for
                    # its challenge with a request that carries none.
                    challenge = _challenge(url)
                if challenge[:7].lower() == "digest " and isinstance(self._auth, BasicAuth):
                    fresh = self._auth.digest(challenge)
                    if not answered and (self._digest is None or fresh.nonce != self._digest.nonce
                                         or "stale=true" in challenge.replace('"', "").replace(" ", "").lower()):
                        # Virtuoso's /sparql-auth asks for digest authentication: answer its
                        # challenge (and reuse it, as digest allows, until the nonce changes).
                        self._digest = fresh
                        headers["Authorization"] = fresh.header(method, url)
                        exc.close()
                        attempt -= 1
                        answered = True  # once per request: a wrong password gets a new nonce too
                        continue
                server_message = self._scrub(_read_error(exc))
                problem = f"HTTP {exc.code} {exc.reason}"
                if status not in RETRY_STATUSES:
                    raise self._error(method, url, problem, status, server_message, attempt, start) from None
            except (socket.timeout, TimeoutError) as exc:
                # No retry: the server may still be working on it (a long query or update).
                problem = f"no answer within {timeout:g} s ({type(exc).__name__})"
                raise self._error(method, url, problem, None, "", attempt, start) from None
            except (urllib.error.URLError, ConnectionError, http.client.HTTPException, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, ConnectionRefusedError):
                    # Not retried: nothing listens there, and waiting will not start a server.
                    host = urllib.parse.urlsplit(url).netloc
                    problem = f"cannot reach the server (connection refused: nothing listens at {host}; is the server running?)"
                    raise self._error(method, url, problem, None, "", attempt, start) from None
                problem = f"cannot reach the server ({self._scrub(str(reason)) or type(exc).__name__})"
            elapsed = time.monotonic() - start
            delay = self.backoff * 2 ** (attempt - 1) * (1 + 0.1 * random.random())
            if not retry or attempt > self.retries or elapsed + delay > self.retry_budget:
                raise self._error(method, url, problem, status, server_message, attempt, start)
            log.info("%s %s failed (%s); retry %d of %d in %.1f s", method, url, problem, attempt,
                     self.retries, delay)
            time.sleep(delay)

    def _error(self, method: str, url: str, problem: str, status: int | None, server_message: str,
               attempts: int, start: float) -> EndpointError:
        text = f"{method} {url}: {problem}"
        if server_message:
            text += f": {server_message}"
        if status in (401, 403):
            text += " (check the credentials given as auth=)"
        if attempts > 1:
            text += f" (after {attempts} attempts in {time.monotonic() - start:.1f} s)"
        return EndpointError(self._scrub(text), status=status, url=url, server_message=server_message)

    def _scrub(self, text: str) -> str:
        if self._auth is not None:
            for secret in self._auth.secrets():
                if secret:
                    text = text.replace(secret, "***")
        return text


def _challenge(url: str) -> str:
    """The ``WWW-Authenticate`` header of the 401 a bare ``GET url`` gets ('' if none)."""
    try:
        with _OPENER.open(urllib.request.Request(url, method="GET", headers={"User-Agent": "sle_graph"}),
                          timeout=30) as answer:
            answer.read()
            return ""
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
    except (urllib.error.URLError, OSError):
        return ""


class _Digest:
    """HTTP digest authentication for one challenge, by the standard library's handler (which
    counts the nonce uses)."""

    def __init__(self, user: str, password: str, challenge: str):
        self.challenge = urllib.request.parse_keqv_list(
            [part for part in urllib.request.parse_http_list(challenge.split(" ", 1)[1]) if "=" in part])
        self.nonce = self.challenge.get("nonce")
        self.handler = urllib.request.AbstractDigestAuthHandler(_OnePassword(user, password))

    def header(self, method: str, url: str) -> str:
        answer = self.handler.get_authorization(urllib.request.Request(url, method=method), self.challenge)
        if answer is None:  # an algorithm or qop the standard library does not speak
            raise EndpointError(f"{method} {url}: the server asks for digest authentication "
                                f"({self.challenge.get('algorithm', 'MD5')}) this client cannot answer", url=url)
        return "Digest " + answer


class _OnePassword(urllib.request.HTTPPasswordMgr):
    """The password manager the digest handler asks: one user and password, for any realm."""

    def __init__(self, user: str, password: str):
        super().__init__()
        self._user, self._password = user, password

    def find_user_password(self, realm: Any, authuri: Any) -> tuple[str, str]:
        return self._user, self._password


def ask_answer(data: Any) -> bool:
    """The boolean of an ASK answer in SPARQL JSON: ``{"boolean": ...}``, or the one-row result set
    Virtuoso 7.2 gives instead (``__ASK_RETVAL`` = 1 or 0).

    >>> ask_answer({"boolean": True}), ask_answer({"results": {"bindings": [{"__ASK_RETVAL": {"value": "0"}}]}})
    (True, False)
    """
    if "boolean" in data:
        return bool(data["boolean"])
    rows = data.get("results", {}).get("bindings", [])
    value = next(iter(rows[0].values()), {}).get("value", "0") if rows else "0"
    return value not in ("0", "false", "")


def _read_error(exc: urllib.error.HTTPError) -> str:
    """The start of an error answer's body, on one line."""
    try:
        raw = exc.read(MESSAGE_LIMIT * 4)
    except Exception:  # noqa: BLE001 - the connection may be gone; the status is enough
        return ""
    text = " ".join(raw.decode("utf-8", "replace").split())
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + " ..."
