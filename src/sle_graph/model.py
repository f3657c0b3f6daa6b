"""The records users meet: :class:`Node`, :class:`Edge` and :class:`Evidence`.

They are frozen (a graph never changes under a user's feet) and compare by value, so two graphs
with the same content are equal whatever order they were built in.

Example
-------
>>> from sle_graph.model import Evidence
>>> ev = Evidence(source="breaking-ground", quote="MSCs", start=10, end=14)
>>> ev.kind
'quote'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

__all__ = ["Node", "Edge", "Evidence", "STANCES"]

#: What a study finding says of an assertion.
STANCES = ("supports", "contradicts", "neutral")


@dataclass(frozen=True)
class Evidence:
    """Why an edge is in the graph.

    A quote from a source document (``source`` is the document id, ``quote`` the exact words,
    ``start``/``end`` their character offsets, end exclusive), or a study finding (``source`` is
    the study id; ``stance``, ``finding`` and ``measure`` say what it reported), or a free-text
    reference a user supplied (``reference``). ``attributes`` keeps the extra fields of an
    evidence record imported from another graph (a KGX edge's ``knowledge_level``, a Hetionet
    edge's ``data``), so an import loses nothing.
    """

    source: str
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    stance: str = "supports"
    finding: str | None = None
    measure: str | None = None
    reference: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def kind(self) -> str:
        """``"quote"``, ``"study"`` or ``"reference"``."""
        if self.quote is not None:
            return "quote"
        if self.reference is not None:
            return "reference"
        return "study"

    def sort_key(self) -> tuple:
        return (self.source, self.start if self.start is not None else -1, self.quote or "",
                self.measure or "", self.finding or "", self.stance, self.reference or "",
                tuple(sorted(self.attributes.items())))


@dataclass(frozen=True)
class Node:
    """A typed node: a cell, therapy, mechanism, outcome, ... (``kind`` is an ontology class).

    ``mappings`` lists the standard identifiers (CURIEs) of the concept, exact ones first;
    ``exact_mappings`` and ``close_mappings`` tell them apart. ``attributes`` holds extra
    string fields some kinds carry (a study's design and size, an external node's category).
    """

    id: str
    kind: str
    label: str
    synonyms: tuple[str, ...] = ()
    definition: str = ""
    exact_mappings: tuple[str, ...] = ()
    close_mappings: tuple[str, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def mappings(self) -> tuple[str, ...]:
        """All standard identifiers of the node (exact first, then close)."""
        return self.exact_mappings + self.close_mappings

    def __str__(self) -> str:
        return f"{self.label} ({self.kind})"


@dataclass(frozen=True)
class Edge:
    """An assertion: ``subject`` -``predicate``-> ``object`` (node ids) with its evidence.

    ``grade`` and ``status`` summarise how well the evidence supports the assertion; they are
    computed by the graph from the evidence (see :mod:`sle_graph.grading`), never typed in.
    """

    subject: str
    predicate: str
    object: str
    evidence: tuple[Evidence, ...] = ()
    grade: str | None = field(default=None, compare=False)
    status: str | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str, str]:
        """``(subject, predicate, object)``: an edge is unique by this triple."""
        return (self.subject, self.predicate, self.object)

    @property
    def sources(self) -> tuple[str, ...]:
        """The distinct ids of the documents and studies behind the edge, sorted."""
        return tuple(sorted({e.source for e in self.evidence}))

    def __str__(self) -> str:
        return f"{self.subject} -[{self.predicate}]-> {self.object}"
