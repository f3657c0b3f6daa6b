"""Evidence grades and statuses of assertions, computed from their evidence.

Placeholder rule until studies exist in the graph (clinical evidence issue): an edge backed only by
article quotes is graded ``article claim`` with status ``claim only``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Iterable, Mapping

from .model import Edge, Node

if TYPE_CHECKING:  # pragma: no cover
    from .graph import KnowledgeGraph

__all__ = ["grade_edges", "claims", "STATUSES"]

STATUSES = ("supported", "contested", "claim only")


def grade_edges(edges: Iterable[Edge], nodes: Mapping[str, Node]) -> list[Edge]:
    """The edges with ``grade`` and ``status`` set from their evidence."""
    return [replace(e, grade="article claim", status="claim only") for e in edges]


def claims(kg: "KnowledgeGraph", status: str | None = None) -> list[Edge]:
    """Edges of ``kg`` with the given status (all edges when None)."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; statuses: {', '.join(STATUSES)}")
    return [e for e in kg.edges() if status is None or e.status == status]
