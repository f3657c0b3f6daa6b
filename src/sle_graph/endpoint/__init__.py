"""The graph on a SPARQL 1.1 server: publish it (``kg.push``) and query it there (``connect``).

Any SPARQL 1.1 server works: Oxigraph, Apache Jena Fuseki, GraphDB, RDF4J, Virtuoso, QLever,
Amazon Neptune. :meth:`Endpoint.parse` turns one URL into the query, update and Graph Store
Protocol URLs of the common servers.

- ``kg.push(endpoint, graph=IRI, replace=True, auth=None)`` (:func:`push`) uploads the data to a
  named graph and the ontology to its own, in chunks, through a temporary graph swapped in by
  one atomic update: a failed push leaves the previous graph intact, and pushing twice leaves
  one copy.
- ``sle_graph.connect(endpoint, graph=None, auth=None)`` returns a :class:`RemoteGraph`, whose
  ``sparql``, ``paths``, ``match`` and ``count`` give the answers the in-memory graph gives,
  compiled to SPARQL, and whose ``pull()`` returns the :class:`~sle_graph.KnowledgeGraph`.
  With a ``limit``, ``match`` ranks on the server (by the strength each push stores with each
  edge) and ``paths`` ranks the chains the server lists on per-statement summaries; both fetch
  evidence for the top alone; ``match``, ``count`` and ``paths``
  take ``timeout=`` and ``max_results=`` budgets (:class:`~sle_graph.errors.QueryBudgetExceeded`).

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
from ._push import DEFAULT_GRAPH, PushResult, push
from ._remote import MAX_RESULTS, RemoteGraph, connect

__all__ = ["push", "connect", "RemoteGraph", "Endpoint", "EndpointError", "BasicAuth", "BearerAuth",
           "PushResult", "DEFAULT_GRAPH", "MAX_RESULTS"]

for _cls in (Endpoint, BasicAuth, BearerAuth, PushResult, RemoteGraph):
    _cls.__module__ = __name__
del _cls
