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

#: What a study finding says of an assertion: the values of :attr:`Evidence.stance`.
#:
#: Examples
#: --------
#: >>> from sle_graph.model import STANCES
#: >>> STANCES
#: ('supports', 'contradicts', 'neutral')
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
#:
#: Examples
#: --------
#: >>> from sle_graph.model import NO_ATTRIBUTES
#: >>> len(NO_ATTRIBUTES)
#: 0
#: >>> NO_ATTRIBUTES["dose"] = "1e6"
#: Traceback (most recent call last):
#: ...
#: TypeError: a record's attributes are read-only; give them when building the record
NO_ATTRIBUTES = _NoAttributes()


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why an edge is in the graph: a quote, a study finding, or a reference.

    A quote from a source document (``source`` is the document id, ``quote`` the exact words,
    ``start``/``end`` their character offsets), or a study finding (``source`` is the study id;
    ``stance``, ``finding`` and ``measure`` say what it reported), or a free-text reference a user
    supplied (``reference``). Frozen, and compared by value.

    Parameters
    ----------
    source : str
        The id of the source document or study node (empty for a bare reference).
    quote : str, optional
        The exact words quoted from the document.
    start : int, optional
        The quote's first character offset in the document.
    end : int, optional
        The offset just after its last character.
    stance : {"supports", "contradicts", "neutral"}, default "supports"
        What a study's finding says of the assertion.
    finding : str, optional
        What the study reported.
    measure : str, optional
        What the study measured.
    reference : str, optional
        A PubMed id, DOI, URL or free text a user cited.
    attributes : mapping of str to str, optional
        Extra fields of an evidence record imported from another graph (a KGX edge's
        ``knowledge_level``, a Hetionet edge's ``data``), so an import loses nothing.
    modality : str, optional
        Quotes only: how certain the quote's words are about the claim, one of
        :func:`sle_graph.ontology.modalities` (``asserted``, ``partial``, ``preliminary``,
        ``possible``, ``potential``); None when nobody decided it.

    Examples
    --------
    >>> from sle_graph import Evidence
    >>> ev = Evidence("breaking-ground", quote="MSCs", start=10, end=14, modality="asserted")
    >>> ev.kind, ev.end - ev.start == len(ev.quote)
    ('quote', True)
    >>> Evidence("kamen2022", stance="supports", finding="5/6 met SRI-4").kind
    'study'
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
        """What the evidence is: ``"quote"``, ``"study"`` or ``"reference"``.

        Examples
        --------
        >>> from sle_graph import Evidence
        >>> Evidence("", reference="PMID:12345678").kind
        'reference'
        """
        if self.quote is not None:
            return "quote"
        if self.reference is not None:
            return "reference"
        return "study"

    def sort_key(self) -> tuple:
        """The order evidence is listed and exported in: by source, then offset, then the rest.

        Returns
        -------
        tuple
            A key for ``sorted``; two records differ in it when they differ at all.

        Examples
        --------
        >>> from sle_graph import Evidence
        >>> quotes = [Evidence("doc", quote="b", start=9, end=10),
        ...           Evidence("doc", quote="a", start=2, end=3)]
        >>> [ev.start for ev in sorted(quotes, key=Evidence.sort_key)]
        [2, 9]
        """
        return (self.source, self.start if self.start is not None else -1, self.quote or "",
                self.measure or "", self.finding or "", self.stance, self.reference or "",
                tuple(sorted(self.attributes.items())), self.modality or "")


@dataclass(frozen=True, slots=True)
class Node:
    """A typed node: a cell, therapy, mechanism, outcome, study, ...

    Frozen, and compared by value.

    Parameters
    ----------
    id : str
        The node's id, unique in a graph (``"msc"``); its IRI is derived from it.
    kind : str
        A kind (class) of the ontology, such as ``"StemCell"``.
    label : str
        The name shown to people.
    synonyms : tuple of str, optional
        Other names; :meth:`KnowledgeGraph.node` finds the node by any of them.
    definition : str, optional
        What the concept is, in a sentence.
    exact_mappings : tuple of str, optional
        Standard identifiers (CURIEs such as ``"CL:0000134"``) of the same concept.
    close_mappings : tuple of str, optional
        Standard identifiers of a close concept.
    attributes : mapping of str to str, optional
        Extra string fields some kinds carry (a study's design and size, an external node's
        category).

    Examples
    --------
    >>> from sle_graph import Node
    >>> msc = Node("msc", "StemCell", "mesenchymal stem cell", synonyms=("MSC",),
    ...            exact_mappings=("CL:0000134",))
    >>> print(msc)
    mesenchymal stem cell (StemCell)
    >>> msc == Node("msc", "StemCell", "mesenchymal stem cell", synonyms=("MSC",),
    ...             exact_mappings=("CL:0000134",))
    True
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
        """All standard identifiers of the node: exact ones first, then close ones.

        Examples
        --------
        >>> import sle_graph
        >>> sle_graph.load().node("mesenchymal stem cell").mappings[0]
        'CL:0000134'
        """
        return self.exact_mappings + self.close_mappings

    def __str__(self) -> str:
        return f"{self.label} ({self.kind})"


@dataclass(frozen=True, slots=True)
class Edge:
    """An assertion ``subject -predicate-> object`` (node ids) with its evidence.

    Frozen; two edges are equal when their ends, predicate and evidence are.

    Parameters
    ----------
    subject : str
        The id of the node the edge leaves.
    predicate : str
        The predicate's id in the ontology (``"acts_through"``).
    object : str
        The id of the node the edge enters.
    evidence : tuple of Evidence, optional
        Why the edge is there; a graph refuses an edge without any.
    grade : str, optional
        The strongest design among the studies behind the edge (see
        :data:`sle_graph.build.grading.GRADES`); computed by the graph, never typed in.
    status : {"supported", "contested", "claim only"}, optional
        Whether the evidence agrees; computed by the graph, never typed in.

    Examples
    --------
    >>> import sle_graph
    >>> edge = sle_graph.load().edge("msc", "acts_through", "immunomodulation")
    >>> print(edge)
    msc -[acts_through]-> immunomodulation
    >>> edge.status in ("supported", "contested", "claim only")
    True
    """

    subject: str
    predicate: str
    object: str
    evidence: tuple[Evidence, ...] = ()
    grade: str | None = field(default=None, compare=False)
    status: str | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str, str]:
        """``(subject, predicate, object)``: an edge is unique in a graph by this triple.

        Examples
        --------
        >>> from sle_graph import Edge
        >>> Edge("msc", "acts_through", "immunomodulation").key
        ('msc', 'acts_through', 'immunomodulation')
        """
        return (self.subject, self.predicate, self.object)

    @property
    def sources(self) -> tuple[str, ...]:
        """The distinct ids of the documents and studies behind the edge, sorted.

        Examples
        --------
        >>> from sle_graph import Edge, Evidence
        >>> Edge("a", "uses", "b", (Evidence("s2"), Evidence("s1"), Evidence("s2"))).sources
        ('s1', 's2')
        """
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
