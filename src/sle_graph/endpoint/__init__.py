"""The graph on a SPARQL 1.1 server: publish it (``kg.push``) and query it there (``connect``).

Any SPARQL 1.1 server works: Oxigraph, Apache Jena Fuseki, GraphDB, RDF4J, Virtuoso, QLever,
Amazon Neptune. :meth:`Endpoint.parse` turns one URL into the query, update and Graph Store
Protocol URLs of the common servers.

- ``kg.push(endpoint, graph=IRI, replace=True, auth=None)`` (:func:`push`) uploads the data and
  the ontology in chunks to a fresh version of the named graph, then points the graph (its
  head, terms of :data:`PUSH`) at that version in one small update: readers never see a mix, a
  failed push leaves the previous version intact, pushing twice leaves one copy, and an
  unchanged graph is not uploaded again.
- ``sle_graph.connect(endpoint, graph=None, auth=None)`` returns a :class:`RemoteGraph`, whose
  ``sparql``, ``paths``, ``match`` and ``count`` give the answers the in-memory graph gives,
  compiled to SPARQL, on the version the head points to, with the schema the push stored; its
  ``pull()`` returns the :class:`~sle_graph.KnowledgeGraph`. With a ``limit``, ``match`` ranks
  on the server (by the strength a push with ``replace=True`` stores with each edge, in the
  version's own strength graph) and ``paths`` ranks the chains the server lists on
  per-statement summaries; both fetch evidence for the top alone; ``match``, ``count`` and
  ``paths`` take ``timeout=`` and ``max_results=`` budgets
  (:class:`~sle_graph.errors.QueryBudgetExceeded`).

Requests have timeouts and bounded retries with back-off; errors are :class:`EndpointError`
quoting the server; credentials (``(user, password)`` or a bearer token) never appear in logs,
messages or reprs.

Example (needs a server: ``oxigraph serve --location data --bind 127.0.0.1:7878``)::

    import sle_graph
    kg = sle_graph.load()
    kg.push("http://127.0.0.1:7878")
    remote = sle_graph.connect("http://127.0.0.1:7878")
    remote.count("Cell -> Mechanism -> Outcome") == kg.count("Cell -> Mechanism -> Outcome")
"""

from __future__ import annotations

from ._http import BasicAuth, BearerAuth, Endpoint, EndpointError
from ._push import DEFAULT_GRAPH, PUSH, PushResult, push
from ._remote import MAX_RESULTS, RemoteGraph, connect

__all__ = ["push", "connect", "RemoteGraph", "Endpoint", "EndpointError", "BasicAuth", "BearerAuth",
           "PushResult", "DEFAULT_GRAPH", "PUSH", "MAX_RESULTS"]

for _cls in (Endpoint, BasicAuth, BearerAuth, PushResult, RemoteGraph):
    _cls.__module__ = __name__
del _cls
