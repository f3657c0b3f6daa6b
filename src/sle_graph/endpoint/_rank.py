"""Ranking on the server: the strength a push stores with each edge, and what reads it.

:func:`~sle_graph.query.paths.edge_strength` ``(status rank, firmness, independent sources)``
becomes one integer of the same order (:func:`strength_score`). A push with ``replace=True``
writes, to a named graph of the version it uploads (:func:`strength_graph_of` the version, so
it switches in with the data, ranking reads that of the version the head points to, and it is
deleted with its version), a copy of each edge whose predicate names its strength and its
predicate::

    <a> <urn:sle-graph:strength:5497558138881:binds> <b> .

and one index triple per strength and predicate that occur (:data:`LEVELS`). A query then finds
the edges of a strength band with ordinary index lookups (``VALUES`` of those predicates), never
a join through the reified statements, so a server can answer "the strongest matches" by looking
only at strong edges. The data graph stays the export (``pull`` and SPARQL see what memory
holds). A push with ``replace=False`` stores none (the server cannot know the strength of
evidence merged on it), and queries then rank in the client, as they do on graphs pushed before
strengths were stored.

>>> from sle_graph.model import Edge, Evidence
>>> weak = Edge("a", "uses", "b", (Evidence("doc1"),), status="contested")
>>> strong = Edge("a", "uses", "b", (Evidence("doc1"), Evidence("doc2")), status="supported")
>>> strength_score(weak) < strength_score(strong)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator
from urllib.parse import quote, unquote

from ..query.paths import edge_strength
from ..rdf.write import node_iri

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import KnowledgeGraph
    from ..model import Edge

__all__ = ["STRENGTH", "LEVELS", "strength_score", "strength_chunks", "strength_graph_of", "level_predicate",
           "parse_level"]

#: Strength predicates are ``STRENGTH + "<score>:<predicate name, %-encoded>"``.
STRENGTH = "urn:sle-graph:strength:"
#: ``<urn:sle-graph:strength> <urn:sle-graph:strength:level> <strength predicate>``: one per strength
#: predicate used, so a query learns the strengths present without scanning the edges.
LEVELS = ("urn:sle-graph:strength", "urn:sle-graph:strength:level")
# Bits for the source count: far beyond any real count, and (3 * 256 + 255) << 40 fits the
# 64-bit integers of SPARQL servers (Oxigraph, Virtuoso).
_SOURCE_BITS = 40


def strength_score(edge: "Edge") -> int:
    """:func:`~sle_graph.query.paths.edge_strength` as one integer of the same order.

    >>> from sle_graph.model import Edge, Evidence
    >>> strength_score(Edge("a", "uses", "b", (Evidence("doc1"),), status="claim only"))
    285873023221761
    """
    rank, firm, sources = edge_strength(edge)
    return (((rank << 8) + firm) << _SOURCE_BITS) + min(sources, (1 << _SOURCE_BITS) - 1)


def level_predicate(score: int, predicate: str) -> str:
    """The predicate of the strength graph for edges of ``predicate`` with strength ``score``.

    >>> level_predicate(5, "binds")
    'urn:sle-graph:strength:5:binds'
    >>> parse_level(level_predicate(5, "biolink:treats"))
    (5, 'biolink:treats')
    """
    return f"{STRENGTH}{score}:{quote(predicate, safe='')}"


def parse_level(iri: str) -> tuple[int, str]:
    """``(score, predicate name)`` of a strength predicate (the inverse of :func:`level_predicate`)."""
    score, _, name = iri[len(STRENGTH):].partition(":")
    return int(score), unquote(name)


def strength_chunks(kg: "KnowledgeGraph", size: int) -> Iterator[list[str]]:
    """The strength graph's N-Triples lines, in lists of ``size`` (streamed: never all in memory)."""
    buffer: list[str] = []
    levels: set[str] = set()
    for e in kg.edges():
        p = level_predicate(strength_score(e), e.predicate)
        levels.add(p)
        buffer.append(f"<{node_iri(e.subject)}> <{p}> <{node_iri(e.object)}> .")
        if len(buffer) >= size:
            yield buffer
            buffer = []
    buffer += [f"<{LEVELS[0]}> <{LEVELS[1]}> <{p}> ." for p in sorted(levels)]
    yield buffer


def strength_graph_of(graph: str) -> str:
    """The named graph holding the strengths of the data in ``graph``: a version a push uploaded
    (or a graph pushed without versions, which held its data itself).

    >>> strength_graph_of("https://w3id.org/sle-graph/graph/version/1f2e")
    'https://w3id.org/sle-graph/graph/version/1f2e/strength'
    """
    return graph.rstrip("/#") + "/strength"
