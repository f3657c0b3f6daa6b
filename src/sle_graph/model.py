"""The records users meet: :class:`Node`, :class:`Edge` and :class:`Evidence`.

They are frozen (a graph never changes under a user's feet) and compare by value, so two graphs
with the same content are equal whatever order they were built in. They have ``__slots__`` (no
per-record ``__dict__``): a graph of a million edges holds a million of each.

Example
-------
>>> from sle_graph.model import Evidence
>>> ev = Evidence(source="breaking-ground", quote="MSCs", start=10, end=14)
>>> ev.kind
'quote'
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass, field
from typing import Mapping

__all__ = ["Node", "Edge", "Evidence", "STANCES", "NO_ATTRIBUTES"]

#: What a study finding says of an assertion.
STANCES = ("supports", "contradicts", "neutral")


class _NoAttributes(dict):  # type: ignore[type-arg]
    """The empty ``attributes`` of every record built without any: one shared, read-only dict
    instead of one empty dict per record (64 bytes each, a million in a large graph)."""

    __slots__ = ()

    def _read_only(self, *args: object, **kwargs: object) -> None:
        raise TypeError("a record's attributes are read-only; give them when building the record")

    __setitem__ = __delitem__ = __ior__ = _read_only  # type: ignore[assignment]
    update = setdefault = pop = popitem = clear = _read_only  # type: ignore[assignment]

    def __reduce__(self) -> tuple:
        return (_no_attributes, ())

    def __copy__(self) -> "_NoAttributes":
        return self

    def __deepcopy__(self, memo: dict) -> "_NoAttributes":
        return self


def _no_attributes() -> "_NoAttributes":
    return NO_ATTRIBUTES


#: The one shared, read-only empty ``attributes`` mapping; readers that find no attributes
#: return it instead of a new empty dict (see ``_NoAttributes``).
NO_ATTRIBUTES = _NoAttributes()


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why an edge is in the graph.

    A quote from a source document (``source`` is the document id, ``quote`` the exact words,
    ``start``/``end`` their character offsets, end exclusive), or a study finding (``source`` is
    the study id; ``stance``, ``finding`` and ``measure`` say what it reported), or a free-text
    reference a user supplied (``reference``). ``attributes`` keeps the extra fields of an
    evidence record imported from another graph (a KGX edge's ``knowledge_level``, a Hetionet
    edge's ``data``), so an import loses nothing. ``modality`` (quotes only) says how certain the
    quote's words are about the claim: one of :func:`sle_graph.ontology.modalities`
    (``asserted``, ``partial``, ``preliminary``, ``possible``, ``potential``); ``None`` when
    nobody decided it.
    """

    source: str
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    stance: str = "supports"
    finding: str | None = None
    measure: str | None = None
    reference: str | None = None
    attributes: Mapping[str, str] = field(default_factory=lambda: NO_ATTRIBUTES, hash=False)
    modality: str | None = None

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
                tuple(sorted(self.attributes.items())), self.modality or "")


@dataclass(frozen=True, slots=True)
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
    attributes: Mapping[str, str] = field(default_factory=lambda: NO_ATTRIBUTES, hash=False)

    @property
    def mappings(self) -> tuple[str, ...]:
        """All standard identifiers of the node (exact first, then close)."""
        return self.exact_mappings + self.close_mappings

    def __str__(self) -> str:
        return f"{self.label} ({self.kind})"


@dataclass(frozen=True, slots=True)
class Edge:
    """An assertion: ``subject`` -``predicate``-> ``object`` (node ids) with its evidence.

    ``grade`` and ``status`` summarise how well the evidence supports the assertion; they are
    computed by the graph from the evidence (see :mod:`sle_graph.build.grading`), never typed in.
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


def _refuse_assignment(self: object, name: str, value: object = None) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_deletion(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


# Frozen dataclasses with slots raise a confusing TypeError (not FrozenInstanceError, an
# AttributeError) on assigning a name that is not a field (CPython 3.10-3.13); refuse every name alike.
for _cls in (Evidence, Node, Edge):
    _cls.__setattr__ = _refuse_assignment  # type: ignore[method-assign, assignment]
    _cls.__delattr__ = _refuse_deletion  # type: ignore[method-assign, assignment]
del _cls
