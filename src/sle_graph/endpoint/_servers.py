"""What differs between SPARQL servers: told by the ``Server`` header, adapted once per client.

Virtuoso (``Server: Virtuoso/...``) answers anonymous queries at ``/sparql`` but runs updates
there as its ``SPARQL`` user, who may not write; authenticated requests go to ``/sparql-auth``
(digest authentication, which :class:`~._http.Client` answers) and its Graph Store Protocol is at
``/sparql-graph-crud`` (``/sparql-graph-crud-auth`` with credentials). A URL ending in
``/sparql`` or ``/sparql-auth`` is taken to those forms once the server says it is Virtuoso.
"""

from __future__ import annotations

import dataclasses
import urllib.parse

from ._http import Client, Endpoint

__all__ = ["adapt", "virtuoso_endpoint", "hint"]


def virtuoso_endpoint(endpoint: Endpoint, authenticated: bool) -> Endpoint:
    """Virtuoso's URLs for the server behind ``endpoint`` (unchanged unless it names ``/sparql``
    or ``/sparql-auth`` and no Graph Store Protocol URL).

    >>> virtuoso_endpoint(Endpoint("http://h:8890/sparql", "http://h:8890/sparql"), authenticated=True)
    Endpoint(query='http://h:8890/sparql-auth', update='http://h:8890/sparql-auth', store='http://h:8890/sparql-graph-crud-auth')
    >>> virtuoso_endpoint(Endpoint("http://h:8890/sparql", "http://h:8890/sparql"), authenticated=False).store
    'http://h:8890/sparql-graph-crud'
    """
    parts = urllib.parse.urlsplit(endpoint.query)
    base, _, last = parts.path.rpartition("/")
    if endpoint.store or last not in ("sparql", "sparql-auth"):
        return endpoint
    root = urllib.parse.urlunsplit((parts.scheme, parts.netloc, base, "", ""))
    if authenticated:
        return Endpoint(root + "/sparql-auth", root + "/sparql-auth", root + "/sparql-graph-crud-auth")
    return dataclasses.replace(endpoint, store=root + "/sparql-graph-crud")


def adapt(client: Client) -> str:
    """Ask the server who it is (one ``ASK {}``), adapt ``client.endpoint`` to its request forms,
    and return its ``Server`` header."""
    server = client.query("ASK {}").server
    if server.startswith("Virtuoso/"):
        client.endpoint = virtuoso_endpoint(client.endpoint, client.auth is not None)
    return server


def hint(server_message: str) -> str:
    """Advice for a server's refusal that has a known cause ('' if none)."""
    if "SR186" in server_message or "No permission" in server_message:  # Virtuoso's SQL security
        return ("; Virtuoso runs this request as a user without write permission: give auth=(user, password) "
                "of a user with the SPARQL_UPDATE role")
    return ""
