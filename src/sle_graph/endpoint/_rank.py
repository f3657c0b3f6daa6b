"""Ranking on the server: the strength a push stores with each statement, and what reads it.

:func:`~sle_graph.query.paths.edge_strength` ``(status rank, firmness, independent sources)``
is stored per reified statement as one integer, ``sleo:strength``, that orders as the triple
does (:func:`strength_score`). A push with ``replace=True`` writes these triples to a named graph
of their own beside the data (:func:`strength_graph_of`), swapped in with it, so the data graph
stays the export (``pull`` and SPARQL see what memory holds). A push with ``replace=False`` drops
that graph (the server cannot know the strength of evidence merged on it), and queries then rank
in the client, as they do on graphs pushed before strengths were stored. A path's strength is that of its weakest edge, so a remote
query ranks by the smallest score among its hops, then by the tie-break of
:attr:`sle_graph.query.paths.Path.rank_key` (node ids, predicates, directions), with
``ORDER BY`` and ``LIMIT`` on the server.

>>> from sle_graph.model import Edge, Evidence
>>> weak = Edge("a", "uses", "b", (Evidence("doc1"),), status="contested")
>>> strong = Edge("a", "uses", "b", (Evidence("doc1"), Evidence("doc2")), status="supported")
>>> strength_score(weak) < strength_score(strong)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..query.paths import edge_strength
from ..rdf.write import statement_iri
from ..vocab import SLEO

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import KnowledgeGraph
    from ..model import Edge

__all__ = ["STRENGTH", "strength_score", "strength_lines", "strength_chunks", "strength_graph_of"]

#: The property a push gives each reified statement: its strength as one ``xsd:integer``.
STRENGTH = SLEO + "strength"
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
# Bits for the source count: far beyond any real count, and (3 * 256 + 255) << 40 fits the
# 64-bit integers of SPARQL servers (Oxigraph, Virtuoso).
_SOURCE_BITS = 40


def strength_score(edge: "Edge") -> int:
    """:func:`~sle_graph.query.paths.edge_strength` as one integer of the same order.

    >>> from sle_graph.model import Edge, Evidence
    >>> strength_score(Edge("a", "uses", "b", (Evidence("doc1"),), status="claim only"))
    5497558138881
    """
    rank, firm, sources = edge_strength(edge)
    return ((rank << 8) + firm << _SOURCE_BITS) + min(sources, (1 << _SOURCE_BITS) - 1)


def strength_lines(kg: "KnowledgeGraph") -> Iterator[str]:
    """One N-Triples line per edge: ``<statement> sleo:strength "score"^^xsd:integer``.

    >>> import sle_graph
    >>> next(strength_lines(sle_graph.load())).split()[1]
    '<https://w3id.org/sle-graph/ontology/strength>'
    """
    for e in kg.edges():
        yield (f"<{statement_iri(e.subject, e.predicate, e.object)}> <{STRENGTH}> "
               f"\"{strength_score(e)}\"^^<{_XSD_INTEGER}> .")


def strength_chunks(kg: "KnowledgeGraph", size: int) -> Iterator[list[str]]:
    """:func:`strength_lines` in lists of ``size`` lines (streamed: never all in memory)."""
    buffer: list[str] = []
    for line in strength_lines(kg):
        buffer.append(line)
        if len(buffer) >= size:
            yield buffer
            buffer = []
    if buffer:
        yield buffer


def strength_graph_of(graph: str) -> str:
    """The named graph holding the strengths of the data pushed to ``graph``.

    >>> strength_graph_of("https://w3id.org/sle-graph/graph")
    'https://w3id.org/sle-graph/graph/strength'
    """
    return graph.rstrip("/#") + "/strength"
