"""HTTP to a SPARQL 1.1 server: endpoint URLs, credentials, retries, and errors.

Standard library only (``urllib.request``): a client needs one POST and one GET with timeouts,
which does not justify a dependency. Every request has a timeout; connection errors and 5xx
answers are retried with exponential back-off, bounded both in count and in total time; a 4xx
answer raises :class:`EndpointError` quoting the server's message.

Every request has a deadline: ``timeout`` bounds the whole exchange (connecting, sending, and
reading the complete answer), so a server that trickles its answer a byte at a time is cut off
when the time is up, not kept alive by each byte. An answer that is not what was asked for (an
HTML page, JSON that is not SPARQL results, text that is not UTF-8) is an :class:`EndpointError`
quoting the start of it.

Credentials never leave :class:`BasicAuth` / :class:`BearerAuth` except as the ``Authorization``
header of a request: their reprs hide the secret, and every message this module builds from a
server answer is scrubbed of it, in the forms a server may echo it (as given, with its
whitespace collapsed, percent-, JSON- or HTML-escaped). Secrets are checked when the object is
made, before any header is built: a trailing line end (as files and environment variables often
carry) is dropped, and a control character elsewhere is refused with a message that never shows
the secret.

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
import html
import http.client
import json
import logging
import random
import re
import socket
import threading
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from ..errors import EndpointError, InvalidArgument

__all__ = ["Endpoint", "EndpointError", "BasicAuth", "BearerAuth", "Client", "Response", "as_auth", "excerpt",
           "ask_answer"]

log = logging.getLogger("sle_graph.endpoint")

#: Longest part of a server's error message quoted in an :class:`EndpointError`.
MESSAGE_LIMIT = 600
#: Statuses after which a request is retried (with back-off): the server may recover.
RETRY_STATUSES = frozenset({500, 502, 503, 504})


def _checked_secret(value: str, what: str) -> str:
    """``value`` without trailing line ends; a control character elsewhere is refused.

    The message names the position and code point, never the secret.
    """
    value = value.rstrip("\r\n")
    for i, c in enumerate(value):
        if unicodedata.category(c) in ("Cc", "Zl", "Zp"):
            raise InvalidArgument(f"the {what} holds a control character (U+{ord(c):04X}) at position {i + 1}; "
                                  "a secret is one line of visible text (a trailing line end is dropped)")
    return value


class _Auth:
    """Credentials for the ``Authorization`` header; the secret is never shown."""

    __slots__ = ("_header", "_secret")

    def header(self) -> str:
        return self._header

    def secrets(self) -> tuple[str, ...]:
        """Texts to scrub from messages, longest first: the header, its credentials part, and the
        raw secret in the forms a server may echo it."""
        forms = {self._header, self._header.split(" ", 1)[-1]}
        raw = self._secret
        if len(raw) >= 3:  # shorter ones would garble every message, and guessing them is trivial anyway
            forms |= {raw, " ".join(raw.split()), urllib.parse.quote(raw, safe=""), urllib.parse.quote_plus(raw),
                      json.dumps(raw)[1:-1], json.dumps(raw, ensure_ascii=False)[1:-1], html.escape(raw)}
        return tuple(sorted((f for f in forms if len(f) >= 3), key=lambda f: (-len(f), f)))


class BasicAuth(_Auth):
    """HTTP basic authentication: a user name and a password (never shown by ``repr``).

    A trailing line end of the password (as a password file or variable often holds) is dropped;
    a control character in either, or a ``:`` in the user name (which basic authentication cannot
    carry), is refused, and the message never shows the password.

    Parameters
    ----------
    user : str
        The user name.
    password : str
        The password.

    Raises
    ------
    TypeError
        When either is not a string.
    InvalidArgument
        A control character in either, or a ``:`` in the user name.

    Examples
    --------
    >>> from sle_graph.endpoint import BasicAuth
    >>> BasicAuth("ana", "s3cret\\n")
    BasicAuth(user='ana', password=***)
    >>> BasicAuth("ana", "s3\\x00cret")
    Traceback (most recent call last):
    ...
    sle_graph.errors.InvalidArgument: the password holds a control character (U+0000) at position 3; a secret is one line of visible text (a trailing line end is dropped)
    """

    __slots__ = ("user",)

    def __init__(self, user: str, password: str):
        if not isinstance(user, str) or not isinstance(password, str):
            raise TypeError("BasicAuth takes a user name and a password, both strings")
        # The user name may hold the password by mistake ("ana:s3cret"): never echoed either.
        user = _checked_secret(user, "user name")
        if ":" in user:
            raise InvalidArgument("a user name for basic authentication cannot hold ':'; give the password "
                                  "separately, auth=(user, password)")
        self.user = user
        self._secret = _checked_secret(password, "password")
        self._header = "Basic " + base64.b64encode(f"{user}:{self._secret}".encode()).decode("ascii")

    def __repr__(self) -> str:
        return f"BasicAuth(user={self.user!r}, password=***)"

    def digest(self, challenge: str) -> "_Digest":
        """Digest authentication (RFC 7616) with these credentials, for a server's challenge."""
        return _Digest(self.user, self._secret, challenge)


#: What a bearer token may hold (RFC 6750 ``b64token``, loosely: printable ASCII, no spaces).
_TOKEN = re.compile(r"[\x21-\x7e]+")


class BearerAuth(_Auth):
    """A bearer token (``Authorization: Bearer ...``), as QLever, GraphDB and gateways use.

    A trailing line end (as a token file or variable often holds) is dropped; anything else
    but printable ASCII is refused, and the message never shows the token.

    Parameters
    ----------
    token : str
        The token; never shown by ``repr``.

    Raises
    ------
    TypeError
        When the token is not a non-empty string.
    InvalidArgument
        A character other than printable ASCII (after a trailing line end is dropped).

    Examples
    --------
    >>> from sle_graph.endpoint import BearerAuth
    >>> BearerAuth("abc.def.ghi\\n")
    BearerAuth(token=***)
    """

    __slots__ = ()

    def __init__(self, token: str):
        if not isinstance(token, str) or not token:
            raise TypeError("BearerAuth takes a non-empty token string")
        token = _checked_secret(token, "token")
        bad = next((i for i, c in enumerate(token) if not _TOKEN.fullmatch(c)), None)
        if not token or bad is not None:
            where = f"U+{ord(token[bad]):04X} at position {bad + 1}" if token else "nothing but a line end"
            raise InvalidArgument(f"a bearer token is printable ASCII without spaces; this one holds {where}")
        self._secret = token
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

    Build one with :meth:`parse` from a single URL (see its rules), or give the three URLs.

    Parameters
    ----------
    query : str
        The SPARQL query URL.
    update : str, optional
        The SPARQL Update URL; without it, nothing can be pushed.
    store : str, optional
        The Graph Store Protocol URL; None for servers without it (pushes then use SPARQL Update).

    Examples
    --------
    >>> from sle_graph.endpoint import Endpoint
    >>> Endpoint("http://localhost:3030/ds/sparql", "http://localhost:3030/ds/update",
    ...          "http://localhost:3030/ds/data").update
    'http://localhost:3030/ds/update'
    """

    query: str
    update: str | None = None
    store: str | None = None

    @classmethod
    def parse(cls, url: "str | Endpoint | Mapping[str, str]") -> "Endpoint":
        """The endpoint a URL stands for, by the layouts of common servers.

        - ``http://host:port`` (no path): Oxigraph's layout, ``/query``, ``/update``, ``/store``;
        - ``.../repositories/NAME``: RDF4J and GraphDB, ``/statements`` for updates and
          ``/rdf-graphs/service`` for the Graph Store Protocol;
        - a path ending in ``/sparql`` or ``/query`` (Virtuoso, QLever, Neptune, Blazegraph):
          one URL for queries and updates, no Graph Store Protocol (on Virtuoso, told by its
          answers, a push and :func:`connect` use its authenticated ``/sparql-auth`` and its Graph
          Store ``/sparql-graph-crud-auth`` when credentials are given; ``/sparql-auth`` also works);
        - any other path (a Fuseki dataset such as ``http://host:3030/ds``): the URL serves
          queries, updates and the Graph Store Protocol.

        Parameters
        ----------
        url : str, Endpoint or mapping
            A URL; an :class:`Endpoint` (returned as it is); or a mapping with the keys ``query``,
            ``update`` and ``store``, taken as it is.

        Returns
        -------
        Endpoint
            The three URLs.

        Raises
        ------
        InvalidArgument
            For a URL that is not ``http(s)://`` with a host, carries credentials, a query string or
            a fragment, or a mapping without ``query``.
        TypeError
            For anything else than a string, an endpoint or a mapping.

        Examples
        --------
        >>> from sle_graph.endpoint import Endpoint
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
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number raises here, not at the first request
    except ValueError:
        raise InvalidArgument(f"an endpoint URL such as http://127.0.0.1:7878, not {_redact_url(url)!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidArgument(f"an endpoint URL starts with http:// or https:// and names a host, not {_redact_url(url)!r}")
    if parts.username is not None or parts.password is not None:
        raise InvalidArgument("put credentials in auth=(user, password), not in the endpoint URL")
    if parts.query or parts.fragment:
        raise InvalidArgument(f"an endpoint URL has no query string or fragment: {_redact_url(url)!r}")
    return url


def _redact_url(url: str) -> str:
    """The URL without any user:password part, query string or fragment (a token may hide in
    any of them: ``?access_token=...``)."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.netloc
        if "@" in host:
            host = "***@" + host.rsplit("@", 1)[1]
    except ValueError:
        return "<unparsable URL>"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "..." if parts.query else "",
                                    "..." if parts.fragment else ""))


@dataclass(frozen=True)
class Response:
    """A successful answer: status, content type and body, and the URL that gave it.

    :meth:`text` and :meth:`json` raise :class:`EndpointError`, quoting the start of the body,
    when the body is not what they read.
    """

    status: int
    content_type: str
    body: bytes
    server: str = ""
    url: str = ""
    scrub: Callable[[str], str] = field(default=str, repr=False, compare=False)

    def text(self) -> str:
        """The body as UTF-8 text."""
        try:
            return self.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise self.unexpected(f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from None

    def json(self) -> Any:
        """The body as SPARQL results JSON: a dict with ``boolean`` (a bool), or with
        ``results.bindings`` (a list of rows, each mapping variable names to ``{"type": ...,
        "value": ...}`` terms whose IRIs SPARQL can hold and whose integers are integers).

        Looking up a key the answer lacks (``data["boolean"]`` of a SELECT answer, a variable
        a row does not bind) raises :class:`EndpointError` too, never ``KeyError``.
        """
        try:
            data = json.loads(self.body)
        except (ValueError, RecursionError):  # (JSONDecodeError and UnicodeDecodeError are ValueErrors)
            raise self.unexpected("is not JSON") from None
        return _checked_results(data, self)

    def unexpected(self, problem: str) -> EndpointError:
        """An :class:`EndpointError` saying what is wrong with this answer, quoting its start."""
        size = MESSAGE_LIMIT * 4
        quote = excerpt(self.body[:size].decode("utf-8", "replace"), self.scrub, cut=len(self.body) > size)
        kind = self.content_type or "no content type"
        return EndpointError(self.scrub(f"{self.url}: the server's answer (HTTP {self.status}, {kind}) {problem}: "
                                        f"{quote!r}"), status=self.status, url=self.url, server_message=quote)


class _Answer(dict):
    """A JSON object from a server: a key it lacks is the server's fault, an EndpointError."""

    __slots__ = ("_response",)

    def __init__(self, data: dict, response: Response):
        super().__init__(data)
        self._response = response

    def __missing__(self, key: str) -> Any:
        raise self._response.unexpected(f"lacks {key!r}")


#: Characters an IRI from a server may not hold, as SPARQL writes IRIs (``<...>``): such an IRI
#: could not be sent back in a query, and could change a query it were pasted into.
_NOT_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_INTEGER_TYPES = frozenset("http://www.w3.org/2001/XMLSchema#" + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"))
_INTEGER = re.compile(r"\s*[+-]?[0-9]{1,4000}\s*")  # (Python's int() refuses more digits)
_TERM_TYPES = frozenset({"uri", "literal", "typed-literal", "bnode"})


def _checked_results(data: Any, response: Response) -> "_Answer":
    """SPARQL 1.1 results JSON, checked; objects become :class:`_Answer`."""
    if isinstance(data, dict) and isinstance(data.get("boolean"), bool):
        return _Answer(data, response)
    head = data.get("head", {}) if isinstance(data, dict) else None
    if not isinstance(head, dict) or not isinstance(head.get("vars", []), list) or not all(
            isinstance(v, str) for v in head.get("vars", [])):
        raise response.unexpected("is not SPARQL results (no 'head' object with a list of 'vars')")
    results = data.get("results") if isinstance(data, dict) else None
    rows = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(rows, list):
        raise response.unexpected("is not SPARQL results (neither a 'boolean' nor 'results.bindings')")
    out = []
    bad_iri, integers, integer, kinds = _NOT_IRI.search, _INTEGER_TYPES, _INTEGER.fullmatch, _TERM_TYPES
    for row in rows:
        if type(row) is not dict:
            raise response.unexpected("holds a result row that is not an object")
        for name, term in row.items():
            # (the common case, an IRI, in as few steps as can be: results may hold millions)
            try:
                kind, value = term["type"], term["value"]
            except (TypeError, KeyError, IndexError):
                kind = value = None
            if kind == "uri" and type(value) is str:
                if bad_iri(value):
                    raise response.unexpected(f"binds {name!r} to an IRI SPARQL cannot hold")
            elif kind not in kinds or type(value) is not str:
                raise response.unexpected(f"binds {name!r} to something that is not an RDF term")
            elif "datatype" in term and term["datatype"] in integers and not integer(value):
                raise response.unexpected(f"binds {name!r} to an integer that is not one")
        out.append(_Answer(row, response))
    top = _Answer(data, response)
    top["head"] = _Answer(head, response)
    top["results"] = _Answer({**results, "bindings": out}, response)
    return top


def excerpt(text: str, scrub: Callable[[str], str] = str, *, cut: bool = False) -> str:
    """The start of a server's text, on one line, scrubbed of secrets, at most MESSAGE_LIMIT characters.

    Scrubbed before and after its whitespace is collapsed (a secret holding spaces may be echoed
    in either form), and before it is shortened. A text that was cut (``cut``, or longer than
    four times the limit) may end with the start of a secret whose rest was cut off, where no
    scrubbing can recognise it: its last MESSAGE_LIMIT characters are dropped.
    """
    if len(text) > MESSAGE_LIMIT * 4:
        text, cut = text[:MESSAGE_LIMIT * 4], True
    text = scrub(" ".join(scrub(text).split()))
    if cut:
        text = text[:max(len(text) - MESSAGE_LIMIT, 0)]
    return text if len(text) <= MESSAGE_LIMIT and not cut else text[:MESSAGE_LIMIT] + " ..."


class _Deadline:
    """The end of one request: when it passes, its connection is shut down, so a server that
    trickles bytes cannot keep a read going past it (socket timeouts bound each read only)."""

    def __init__(self, seconds: float):
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            # The plain socket's shutdown, on a TLS socket too: it wakes a blocked read without
            # touching the TLS state another thread is using.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass  # already closed

    def cancel(self) -> None:
        self._timer.cancel()


class _Watching:
    """A handler whose connections a request's :class:`_Deadline` (``req.sle_deadline``) can cut."""

    def do_open(self, http_class, req, **options):  # noqa: D102
        deadline = getattr(req, "sle_deadline", None)

        def connection(host, **kw):
            conn = http_class(host, **kw)
            plain_connect = conn.connect

            def connect() -> None:
                plain_connect()
                if deadline is not None:
                    deadline.watch(conn.sock)

            conn.connect = connect
            return conn

        return super().do_open(connection, req, **options)  # type: ignore[misc]


class _HTTPHandler(_Watching, urllib.request.HTTPHandler):
    pass


class _HTTPSHandler(_Watching, urllib.request.HTTPSHandler):
    pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Never follow a redirect: it could carry the Authorization header to another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
        return None


_OPENER = urllib.request.build_opener(_NoRedirect, _HTTPHandler, _HTTPSHandler)


class Client:
    """Requests to one endpoint, with credentials, timeouts and bounded retries.

    ``timeout`` is each request's deadline in seconds: connecting, sending and reading the whole
    answer must end within it (a request that is not done by then is cut off and not retried:
    the server may still be working on it). A failed request (connection error or 5xx) is tried
    again up to ``retries`` times, waiting ``backoff``, 2 x ``backoff``, ... seconds, and never
    past ``retry_budget`` seconds in all.
    """

    def __init__(self, endpoint: "str | Endpoint | Mapping[str, str]", auth: Any = None, *,
                 timeout: float = 60.0, retries: int = 4, backoff: float = 0.5,
                 retry_budget: float = 60.0):
        self.endpoint = Endpoint.parse(endpoint)
        self._auth = as_auth(auth)
        self.timeout = _positive(timeout, "timeout")
        self.retries = int(retries)
        self.backoff = float(backoff)
        self.retry_budget = float(retry_budget)
        self._digest: "_Digest | None" = None  # set once a server asks for digest authentication

    def __repr__(self) -> str:
        auth = f", auth={self._auth!r}" if self._auth else ""
        return f"Client({self.endpoint.query!r}{auth})"

    def clone(self) -> "Client":
        """A client of the same endpoint, credentials and limits with authentication state of its
        own (a digest nonce count is per client): one per thread that sends requests at once."""
        return Client(self.endpoint, self._auth, timeout=self.timeout, retries=self.retries,
                      backoff=self.backoff, retry_budget=self.retry_budget)

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

    def select(self, text: str, *, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
               timeout: float | None = None) -> list[dict[str, dict[str, str]]]:
        """The bindings of a SELECT query as SPARQL JSON terms (``{"type": ..., "value": ...}``);
        the options as for :meth:`query`."""
        data = self.query(text, default_graphs=default_graphs, named_graphs=named_graphs, timeout=timeout).json()
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
        """Send one request, retrying connection errors and 5xx answers; raise EndpointError.

        ``timeout`` (default: the client's) is the deadline of each attempt. An answer in HTML
        when ``accept`` does not ask for it (a login page, a web interface at the wrong URL) is
        an EndpointError too.
        """
        headers = {"User-Agent": "sle_graph"}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        if self._auth is not None:
            headers["Authorization"] = self._auth.header() if self._digest is None else self._digest.header(method, url)
        timeout = self.timeout if timeout is None else _positive(timeout, "timeout")
        start = time.monotonic()
        attempt = 0
        answered = False
        while True:
            attempt += 1
            req = urllib.request.Request(url, data=body, headers=headers, method=method)
            deadline = req.sle_deadline = _Deadline(timeout)  # type: ignore[attr-defined]
            problem: str
            status: int | None = None
            server_message = ""
            try:
                try:
                    with _OPENER.open(req, timeout=timeout) as answer:
                        data = answer.read()
                        status, kind, server = answer.status, answer.headers.get("Content-Type", ""), \
                            answer.headers.get("Server", "")
                except urllib.error.HTTPError as exc:
                    status = exc.code
                    challenge = exc.headers.get("WWW-Authenticate", "") if status == 401 else ""
                    if status == 401 and not challenge and isinstance(self._auth, BasicAuth) and not answered:
                        # Virtuoso answers a basic Authorization header with a bare 401: ask it for
                        # its challenge with a request that carries none.
                        challenge = _challenge(url, timeout, deadline)
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
                    text, more = _read_error(exc)
                    server_message = excerpt(text, self.scrub, cut=more)
                    if deadline.expired:
                        raise TimeoutError from None
                    problem = f"HTTP {exc.code} {exc.reason}"
                    if status not in RETRY_STATUSES:
                        raise self._error(method, url, problem, status, server_message, attempt, start) from None
                else:
                    if deadline.expired:  # the answer was cut off (a read may end quietly, without an error)
                        raise TimeoutError
                    log.debug("%s %s -> %s (%d bytes, %.3f s)", method, url, status, len(data),
                              time.monotonic() - start)
                    response = Response(status, kind, data, server, url, self.scrub)
                    if accept and "html" not in accept and _HTML.match(kind):
                        raise response.unexpected(f"is an HTML page, not {accept.split(',')[0]} (is {url} "
                                                  "the SPARQL endpoint?)")
                    return response
            except EndpointError:
                raise
            except (urllib.error.URLError, ConnectionError, http.client.HTTPException, OSError) as exc:
                if deadline.expired or isinstance(exc, (socket.timeout, TimeoutError)) or isinstance(
                        getattr(exc, "reason", None), (socket.timeout, TimeoutError)):
                    # No retry: the server may still be working on it (a long query or update).
                    problem = f"no answer within {timeout:g} s (the request's deadline)"
                    raise self._error(method, url, problem, None, "", attempt, start) from None
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, ConnectionRefusedError):
                    # Not retried: nothing listens there, and waiting will not start a server.
                    host = urllib.parse.urlsplit(url).netloc
                    problem = f"cannot reach the server (connection refused: nothing listens at {host}; is the server running?)"
                    raise self._error(method, url, problem, None, "", attempt, start) from None
                problem = f"cannot reach the server ({self.scrub(str(reason)) or type(exc).__name__})"
            finally:
                deadline.cancel()
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
        return EndpointError(self.scrub(text), status=status, url=url, server_message=server_message)

    def scrub(self, text: str) -> str:
        """``text`` with every form of the credentials replaced by ``***``."""
        if self._auth is not None:
            for secret in self._auth.secrets():
                text = text.replace(secret, "***")
        return text


def _challenge(url: str, timeout: float, deadline: _Deadline) -> str:
    """The ``WWW-Authenticate`` header of the 401 a bare ``GET url`` gets ('' if none), within the
    deadline of the request that asked (it is part of that request)."""
    req = urllib.request.Request(url, method="GET", headers={"User-Agent": "sle_graph"})
    req.sle_deadline = deadline  # type: ignore[attr-defined]
    try:
        with _OPENER.open(req, timeout=timeout) as answer:
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


_HTML = re.compile(r"\s*(text/html|application/xhtml\+xml)\b", re.IGNORECASE)


def _positive(value: Any, name: str) -> float:
    """``value`` as a number of seconds: positive and finite, else InvalidArgument."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise InvalidArgument(f"{name} is a number of seconds, not {type(value).__name__}") from None
    if not 0 < seconds < float("inf"):
        raise InvalidArgument(f"{name} must be a positive number of seconds, not {value!r}")
    return seconds


def _read_error(exc: urllib.error.HTTPError) -> tuple[str, bool]:
    """The start of an error answer's body, as text (quoted by :func:`excerpt`), and whether
    there was more."""
    size = MESSAGE_LIMIT * 4
    try:
        raw = exc.read(size + 1)
    except Exception:  # noqa: BLE001 - the connection may be gone; the status is enough
        return "", False
    return raw[:size].decode("utf-8", "replace"), len(raw) > size
