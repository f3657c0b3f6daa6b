"""The :class:`KnowledgeGraph`: typed nodes and evidenced edges, validated, immutable, indexed.

Storage is built once: nodes in a dict by id, each edge once in the out-adjacency (a tuple of a
node's out-edges sorted by predicate and object) and again in the in-adjacency; the edge map by
``(subject, predicate, object)`` reads the out-adjacency (no key tuples are kept). Name indexes
are built on first use; ``to_networkx()`` gives a ``networkx.MultiDiGraph`` copy on demand.
Operations (RDF, paths, rendering, ...) live in their own modules; the methods here
only delegate to them, importing them when first called so ``load()`` stays fast.

Operations read the graph through its public, read-only views (no copies): :attr:`~KnowledgeGraph.node_map`,
:attr:`~KnowledgeGraph.edge_map`, :attr:`~KnowledgeGraph.out_adjacency`,
:attr:`~KnowledgeGraph.in_adjacency`, and keep what they derive from it in
:meth:`~KnowledgeGraph.cache`. Graphs are built by :meth:`~KnowledgeGraph.from_records`
(located records, checked), :meth:`~KnowledgeGraph.from_checked` (nodes and edges already
checked: sub-graphs, merges) or :meth:`~KnowledgeGraph.from_columns` (records already checked,
as columns: large imports).

Example
-------
>>> import sle_graph
>>> kg = sle_graph.load()
>>> kg.node("MSC").label
'mesenchymal stem cell'
>>> all(n.kind in ("Cell", "StemCell", "ImmuneCell") for n in kg.nodes(kind="Cell"))
True
"""

from __future__ import annotations

import functools
import sys
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import ItemsView, ValuesView
from itertools import chain, groupby, repeat
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

from .build.grading import claims as edge_claims, grade_columns, grade_edges
from .build.records import AssertionRecord, NodeRecord, Where
from .build.validation import check_records
from .errors import (EdgeNotFound, InvalidArgument, NodeNotFound, Problem, UnknownKind, UnknownPredicate,
                     ValidationError, closest)
from .gc_pause import gc_paused, trim_heap
from .limits import QUERY_MAX_RESULTS, QUERY_TIMEOUT
from .model import NO_ATTRIBUTES, Edge, Evidence, Node
from .ontology import Schema, schema as default_schema

if TYPE_CHECKING:  # pragma: no cover
    import networkx
    import pydot
    import rdflib

    from .draw.explore import Explorer
    from .endpoint import PushResult
    from .query.paths import Path as GraphPath, PathList
    from .rdf.store import SparqlResult

__all__ = ["KnowledgeGraph", "NodeNotFound", "EdgeKey"]

#: An edge's key in :attr:`KnowledgeGraph.edge_map`: ``(subject, predicate, object)``.
EdgeKey = tuple[str, str, str]

#: An edge's ``(subject, predicate, object)``, the order of the edge map (C speed, no property).
_EDGE_KEY = attrgetter("subject", "predicate", "object")
#: An edge's place among the out-edges of its subject.
_PO = attrgetter("predicate", "object")
_SUBJECT = attrgetter("subject")

_T = TypeVar("_T")

#: Edges above which a build gives the memory its transients took back to the system (see
#: :func:`sle_graph.gc_pause.trim_heap`); it costs milliseconds.
_TRIM_ABOVE = 100_000


def _ranks(texts: Sequence[str]) -> Any:
    """Each text's place in sorted order, as a numpy array (equal texts, equal places)."""
    import numpy as np

    place = {t: i for i, t in enumerate(sorted(set(texts)))}
    return np.fromiter(map(place.__getitem__, texts), dtype=np.int64, count=len(texts))


class _ReadOnlyDict(dict):  # type: ignore[type-arg]
    """The graph's storage: a dict built once, then handed out as a read-only mapping.

    Lookups are the dict's own, as fast as a plain dict's (a ``MappingProxyType`` view costs
    about half as much again per ``get``, which the path search and the export do per edge);
    everything that would change it raises ``TypeError``.
    """

    __slots__ = ()

    def _read_only(self, *args: object, **kwargs: object) -> None:
        raise TypeError(_READ_ONLY)

    __setitem__ = __delitem__ = __ior__ = _read_only  # type: ignore[assignment]
    update = setdefault = pop = popitem = clear = _read_only  # type: ignore[assignment]

    def __reduce__(self) -> tuple:  # pickle and copy rebuild it whole, not item by item
        return (type(self), (dict(self),))


_READ_ONLY = "a graph is immutable: its mappings are read-only (build a new graph instead)"


class _EdgeValues(ValuesView):  # type: ignore[type-arg]
    """The edges of an :class:`_EdgeMap`, read straight from the out-adjacency (C speed)."""

    __slots__ = ("_out",)

    def __init__(self, mapping: "_EdgeMap", out: Mapping[str, tuple[Edge, ...]]):
        super().__init__(mapping)
        self._out = out

    def __iter__(self) -> Iterator[Edge]:
        return chain.from_iterable(self._out.values())


class _EdgeItems(ItemsView):  # type: ignore[type-arg]
    """``(key, edge)`` pairs of an :class:`_EdgeMap`, the key made from the edge."""

    __slots__ = ("_out",)

    def __init__(self, mapping: "_EdgeMap", out: Mapping[str, tuple[Edge, ...]]):
        super().__init__(mapping)
        self._out = out

    def __iter__(self) -> Iterator[tuple[EdgeKey, Edge]]:
        return ((_EDGE_KEY(e), e) for e in chain.from_iterable(self._out.values()))


class _EdgeMap(Mapping[EdgeKey, Edge]):
    """Edges by ``(subject, predicate, object)``, held by the out-adjacency itself.

    The out-adjacency already holds every edge, by subject and sorted by (predicate, object); a
    dict of its own would add a key tuple and a hash-table slot per edge (about 120 bytes, a
    fifth of a large graph). A lookup is a dict lookup of the subject, then a binary search of
    its edges; keys are made as they are iterated. Everything that would change it raises
    ``TypeError``.
    """

    __slots__ = ("_out", "_len", "_last")

    def __init__(self, out: Mapping[str, tuple[Edge, ...]], count: int):
        self._out = out
        self._len = count
        # The last edge found (its subject's edges and its place): lookups in key order, as
        # dict(kg.edge_map) makes them, find the next edge there without a search.
        self._last: tuple[tuple[Edge, ...], int] = ((), 0)

    def __getitem__(self, key: EdgeKey) -> Edge:
        try:
            s, p, o = key
            edges, i = self._last
            i += 1
            if i < len(edges) and (e := edges[i]).subject == s and e.predicate == p and e.object == o:
                self._last = (edges, i)
                return e
            edges = self._out.get(s)
            if edges:
                i = bisect_left(edges, (p, o), key=_PO)
                if i < len(edges):
                    e = edges[i]
                    if e.predicate == p and e.object == o:
                        self._last = (edges, i)
                        return e
        except (TypeError, ValueError):  # not a triple, or not one of strings
            pass
        raise KeyError(key)

    def __iter__(self) -> Iterator[EdgeKey]:
        return map(_EDGE_KEY, chain.from_iterable(self._out.values()))

    def __len__(self) -> int:
        return self._len

    def values(self) -> _EdgeValues:
        return _EdgeValues(self, self._out)

    def items(self) -> _EdgeItems:
        return _EdgeItems(self, self._out)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _EdgeMap):
            return self._len == other._len and self._out == other._out
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<edge map: {self._len} edges>"

    def _read_only(self, *args: object, **kwargs: object) -> None:
        raise TypeError(_READ_ONLY)

    __setitem__ = __delitem__ = __ior__ = _read_only  # type: ignore[assignment]
    update = setdefault = pop = popitem = clear = _read_only  # type: ignore[assignment]

    def __reduce__(self) -> tuple:
        return (type(self), (self._out, self._len))


#: The fields of :class:`Evidence` in order, and their defaults (``attributes`` has none: a columnar
#: build gives no record attributes).
_EVIDENCE_FIELDS = {"source": None, "quote": None, "start": None, "end": None, "stance": "supports",
                    "finding": None, "measure": None, "reference": None, "attributes": NO_ATTRIBUTES,
                    "modality": None}


def _evidence_records(columns: Mapping[str, Sequence[Any]]) -> list[Evidence]:
    """Evidence records from columns of their fields (see :meth:`KnowledgeGraph.from_columns`)."""
    unknown = sorted(set(columns) - set(_EVIDENCE_FIELDS) | ({"attributes"} & set(columns)))
    if unknown or "source" not in columns:
        raise InvalidArgument(f"evidence columns are Evidence fields with 'source' among them (no 'attributes'); "
                              f"got {', '.join(map(repr, columns))}; give records with attributes as "
                              "Evidence objects")
    lengths = {name: len(values) for name, values in columns.items()}
    if len(set(lengths.values())) > 1:
        raise InvalidArgument(f"evidence columns of different lengths: {lengths}; give one value per "
                              "assertion record in every column")
    made = []
    for name, default in _EVIDENCE_FIELDS.items():
        values = columns.get(name)
        if values is None:
            made.append(repeat(default))
        elif name in ("start", "end"):
            made.append(_shared_ints(values))
        else:
            made.append(values.tolist() if hasattr(values, "tolist") else values)
    return list(map(Evidence, *made))


def _shared_ints(values: Sequence[Any]) -> list[Any]:
    """Offsets as Python ints, one object per distinct value (offsets repeat across documents: a
    million records hold some thousands of distinct ones), None kept; made without a fresh int per
    value, which would leave the memory they took scattered among the records that stay."""
    import numpy as np

    given = values if isinstance(values, np.ndarray) else np.array(values, dtype="O")
    if given.dtype == object:
        missing = np.array([v is None for v in given.tolist()], dtype=bool)
        numbers = np.where(missing, 0, given).astype(np.int64)
    else:
        missing, numbers = None, given.astype(np.int64)
    distinct, index = np.unique(numbers, return_inverse=True)
    objects = np.array(distinct.tolist() + [None], dtype="O")
    if missing is not None:
        index = np.where(missing, len(distinct), index)
    return objects[index.reshape(-1)].tolist()


class KnowledgeGraph:
    """A typed, evidence-backed knowledge graph.

    Build one with :func:`sle_graph.load` (the curated graph), :func:`sle_graph.read` (any file the
    project reads), or from nodes and edges: ``KnowledgeGraph(nodes, edges)`` validates them
    against the ontology. Graphs are immutable: every operation returns a new object.

    Parameters
    ----------
    nodes : iterable of Node
        The nodes; each ``kind`` must be a kind of the ontology.
    edges : iterable of Edge
        The edges; each needs at least one :class:`Evidence` record, and its predicate must allow
        the kinds of its two ends.
    schema : Schema, optional
        The ontology to check against; the one shipped with the package by default.

    Raises
    ------
    ValidationError
        Listing every problem found (unknown kinds, dangling edges, edges without evidence, ...).

    See Also
    --------
    sle_graph.load : The curated graph.
    sle_graph.read : A graph from a file or folder.

    Examples
    --------
    >>> from sle_graph import KnowledgeGraph, Node, Edge, Evidence
    >>> nodes = [
    ...     Node("msc", "StemCell", "mesenchymal stem cell", definition="A stromal stem cell."),
    ...     Node("immunomodulation", "Mechanism", "immunomodulation", definition="Regulation."),
    ...     Node("doc", "SourceDocument", "A document", definition="A text.")]
    >>> quote = Evidence("doc", quote="MSCs modulate", start=0, end=13)
    >>> kg = KnowledgeGraph(nodes, [Edge("msc", "acts_through", "immunomodulation", (quote,))])
    >>> len(kg), len(kg.edges())
    (3, 1)
    """

    def __init__(self, nodes: Iterable[Node] = (), edges: Iterable[Edge] = (), *,
                 schema: Schema | None = None):
        schema = schema or default_schema()
        with gc_paused():  # see _init
            node_records = [NodeRecord(n, Where(None, None)) for n in nodes]
            assertion_records = [AssertionRecord(e.subject, e.predicate, e.object, ev, Where(None, None))
                                 for e in edges for ev in (e.evidence or (None,))]
            missing = [r for r in assertion_records if r.evidence is None]
            ok_records = [r for r in assertion_records if r.evidence is not None]
            node_map, edge_map, problems = check_records(node_records, ok_records, schema)
        for r in missing:
            problems.append(r.where.problem(
                f"edge {r.subject} -[{r.predicate}]-> {r.object} has no evidence",
                suggestion="every edge needs a quote, a study or a reference"))
        if problems:
            raise ValidationError(problems)
        self._init(node_map, edge_map, schema)

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def from_records(cls, nodes: Iterable[NodeRecord], assertions: Iterable[AssertionRecord], *,
                     schema: Schema | None = None, problems: Iterable[Problem] = (),
                     **checks: Any) -> "KnowledgeGraph":
        """Check located records once, raise if anything is wrong, else build the graph.

        Parameters
        ----------
        nodes : iterable of NodeRecord
            Node records read from a source, each with the file and line it came from.
        assertions : iterable of AssertionRecord
            Assertion records, located likewise; may be a generator (large files stream through).
        schema : Schema, optional
            The ontology to check against (the shipped one by default).
        problems : iterable of Problem, optional
            Problems the reader already found; reported first, with those of the checks.
        **checks
            Options of :func:`sle_graph.build.validation.check_records`: ``sources`` (document id ->
            text, to check quotes against), ``require_definition``.

        Returns
        -------
        KnowledgeGraph
            Built only when no problem was found.

        Raises
        ------
        ValidationError
            Listing every problem, located.

        Examples
        --------
        >>> from sle_graph import KnowledgeGraph, Node
        >>> from sle_graph.build.records import NodeRecord, Where
        >>> doc = Node("doc", "SourceDocument", "A document", definition="A text.")
        >>> len(KnowledgeGraph.from_records([NodeRecord(doc, Where("nodes.tsv", 2))], []))
        1
        >>> KnowledgeGraph.from_records([NodeRecord(doc, Where("nodes.tsv", 2))] * 2, [])
        Traceback (most recent call last):
        ...
        sle_graph.errors.ValidationError: 1 problem:
          nodes.tsv:2 (id): duplicate id 'doc'; first defined at nodes.tsv:2
        """
        schema = schema or default_schema()
        node_map, edge_map, found = check_records(nodes, assertions, schema, **checks)
        found = [*problems, *found]
        if found:
            raise ValidationError(found)
        return cls.from_checked(node_map, edge_map, schema=schema)

    @classmethod
    def from_checked(cls, nodes: Mapping[str, Node], edges: Mapping[EdgeKey, Edge],
                     schema: Schema) -> "KnowledgeGraph":
        """Build from nodes and edges already checked, without checking them again.

        For sub-graphs, merges and extensions of valid graphs: evidence grades and statuses are
        computed here, but nothing is validated. An edge to a missing node, for instance, makes a graph
        that fails later, so give this only what :meth:`from_records` (or another valid graph) produced.

        Parameters
        ----------
        nodes : mapping of str to Node
            Nodes by id.
        edges : mapping of (str, str, str) to Edge
            Edges by ``(subject, predicate, object)``.
        schema : Schema
            The ontology the nodes and edges were checked against.

        Returns
        -------
        KnowledgeGraph
            The graph, its edges graded.

        Examples
        --------
        >>> import sle_graph
        >>> from sle_graph import KnowledgeGraph
        >>> kg = sle_graph.load()
        >>> KnowledgeGraph.from_checked(kg.node_map, kg.edge_map, schema=kg.schema) == kg
        True
        """
        kg = cls.__new__(cls)
        kg._init(nodes, edges, schema)
        return kg

    @classmethod
    @gc_paused()
    def from_columns(cls, nodes: Mapping[str, Node], *, ids: Sequence[str], subject: Any, object: Any,  # noqa: A002
                     predicates: Sequence[str], predicate: Any,
                     evidence: "Sequence[Evidence] | Mapping[str, Sequence[Any]]",
                     evidence_index: Any = None, schema: Schema) -> "KnowledgeGraph":
        """Build from assertion records given as columns, already checked, without checking them.

        The fast path for large graphs read or generated in columns: records are sorted and
        pooled by numpy, grades and statuses computed in one pass
        (:func:`sle_graph.build.grading.grade_columns`), and each edge made once, graded. As
        with :meth:`from_checked`, nothing is validated: give it only records that
        :func:`~sle_graph.build.validation.check_records` would accept.

        Parameters
        ----------
        nodes : mapping of str to Node
            Nodes by id.
        ids : sequence of str
            The node ids that ``subject`` and ``object`` index.
        subject : array-like of int
            One record per entry: the index in ``ids`` of the node the edge leaves.
        object : array-like of int
            The index in ``ids`` of the node it enters.
        predicates : sequence of str
            The predicate names that ``predicate`` indexes.
        predicate : array-like of int
            The index in ``predicates`` of each record's predicate.
        evidence : sequence of Evidence, or mapping of str to sequence
            Each record's evidence (records may share one object), or the evidence as columns:
            field name of :class:`Evidence` -> one value per record (None where unset; fields
            left out take their defaults, ``attributes`` cannot be given). Offsets read from
            columns are shared among records (equal ints, one object). Records of one
            ``(subject, predicate, object)`` make one edge, their evidence pooled as
            :func:`~sle_graph.build.validation.check_records` pools it (distinct, sorted by
            :meth:`Evidence.sort_key`).
        evidence_index : array-like of int, optional
            When given, record ``i``'s evidence is ``evidence[evidence_index[i]]``: distinct
            evidence records given once (a KGX file's rows share few), and edges of one record
            share its one-record tuple.
        schema : Schema
            The ontology the records were checked against.

        Returns
        -------
        KnowledgeGraph
            The graph; equal to the one :meth:`from_checked` builds from the same records.

        Raises
        ------
        InvalidArgument
            A ``ValueError``: columns of different lengths, or evidence columns that are not
            fields of :class:`Evidence` (nothing is built).

        Examples
        --------
        >>> import sle_graph
        >>> from sle_graph import KnowledgeGraph
        >>> kg = sle_graph.load()
        >>> ids = sorted(kg.node_map)
        >>> where = {i: n for n, i in enumerate(ids)}
        >>> predicates = sorted(kg.schema.predicates)
        >>> edges = [(e, ev) for e in kg.edges() for ev in e.evidence]
        >>> same = KnowledgeGraph.from_columns(
        ...     kg.node_map, ids=ids, subject=[where[e.subject] for e, _ in edges],
        ...     object=[where[e.object] for e, _ in edges], predicates=predicates,
        ...     predicate=[predicates.index(e.predicate) for e, _ in edges],
        ...     evidence=[ev for _, ev in edges], schema=kg.schema)
        >>> same == kg
        True
        """
        import numpy as np

        if isinstance(evidence, Mapping):
            evidence = _evidence_records(evidence)
        s_codes, o_codes, p_codes = (np.asarray(c, dtype=np.int64).reshape(-1) for c in (subject, object, predicate))
        which = None if evidence_index is None else np.asarray(evidence_index, dtype=np.int64).reshape(-1)
        n_evidence = len(evidence) if which is None else len(which)
        if not len(s_codes) == len(o_codes) == len(p_codes) == n_evidence:
            raise InvalidArgument(f"columns of different lengths: subject {len(s_codes)}, object {len(o_codes)}, "
                                  f"predicate {len(p_codes)}, evidence {n_evidence}; give one entry per "
                                  "assertion record in every column")
        node_dict = _ReadOnlyDict(sorted(nodes.items()))
        # The nodes' own id strings and interned predicates: a large graph holds each once.
        names = [node.id if (node := node_dict.get(i)) is not None and node.id == i else i for i in ids]
        pnames = [sys.intern(p) for p in predicates]
        id_rank, p_rank = _ranks(names), _ranks(pnames)
        # Ranks, not codes, say which records share a key: two codes may name equal ids.
        keys = (id_rank[s_codes], p_rank[p_codes], id_rank[o_codes])
        order = np.lexsort(keys[::-1])
        s_codes, o_codes, p_codes = s_codes[order], o_codes[order], p_codes[order]
        new = np.zeros(len(order), dtype=bool)
        new[:1] = True
        for rank in keys:
            rank = rank[order]
            new[1:] |= rank[1:] != rank[:-1]
        del keys, rank
        starts = np.flatnonzero(new)
        del new
        # Each record's evidence as an index into `evidence`; the grading reads each distinct
        # record once, and duplicates do not change an edge's strongest study either way.
        record_at = order if which is None else which[order]
        del order
        grades, statuses = grade_columns(evidence, starts, node_dict, index=record_at)
        counts = np.diff(np.append(starts, len(record_at)))
        # Positions stay in numpy arrays, iterated one at a time: a list of a million Python ints
        # would add 36 MB to the peak.
        firsts = record_at[starts]
        if which is None:
            evs: list[tuple[Evidence, ...]] = [(ev,) for ev in np.array(evidence, dtype="O")[firsts]]
        else:  # records sharing an evidence object share its one-record tuple
            alone = [(ev,) for ev in evidence]
            evs = [alone[i] for i in firsts]
            del alone
        for i in np.flatnonzero(counts > 1).tolist():  # pooled as check_records pools
            group = {evidence[j] for j in record_at[starts[i]:starts[i] + counts[i]].tolist()}
            evs[i] = tuple(sorted(group, key=Evidence.sort_key))
        del record_at, counts, firsts
        id_obj, p_obj = np.array(names, dtype="O"), np.array(pnames, dtype="O")  # "O": `object` is a parameter
        edges = list(map(Edge, id_obj[s_codes[starts]].tolist(), p_obj[p_codes[starts]].tolist(),
                         id_obj[o_codes[starts]].tolist(), evs, grades, statuses))
        del evs, grades, statuses, s_codes, o_codes, p_codes, starts
        kg = cls.__new__(cls)
        kg._store(schema, node_dict, edges)
        return kg

    # Millions of records that all stay alive: the cyclic collector would rescan them over and
    # over (a third of a large build) and can free none of them.
    @gc_paused()
    def _init(self, nodes: Mapping[str, Node], edges: Mapping[EdgeKey, Edge], schema: Schema) -> None:
        nodes = _ReadOnlyDict(sorted(nodes.items()))
        # The edge map of another graph is sorted and graded already (sub-graphs, rebuilds).
        ordered = list(edges.values()) if isinstance(edges, _EdgeMap) else sorted(edges.values(), key=_EDGE_KEY)
        self._store(schema, nodes, grade_edges(ordered, nodes))

    def _store(self, schema: Schema, nodes: _ReadOnlyDict, edges: list[Edge]) -> None:
        """Keep nodes (sorted by id) and edges (graded, sorted by key, one per key): the out- and
        in-adjacency hold the edges, and the edge map reads them from the out-adjacency."""
        self._schema = schema
        self._nodes = nodes
        # Tuples: the adjacency views hand them out, and nobody may append to a graph's edges.
        self._out = _ReadOnlyDict((s, tuple(group)) for s, group in groupby(edges, key=_SUBJECT))
        inc: defaultdict[str, list[Edge]] = defaultdict(list)
        for e in edges:
            inc[e.object].append(e)
        self._in = _ReadOnlyDict(zip(inc, map(tuple, inc.values())))
        del inc
        self._edges = _EdgeMap(self._out, len(edges))
        self._caches: dict[str, Any] = {}
        if len(edges) >= _TRIM_ABOVE:
            trim_heap()

    # -- the read-only interface operations use ----------------------------------------------------

    @property
    def node_map(self) -> Mapping[str, Node]:
        """Nodes by id, sorted by id: a read-only view of the graph's storage (no copy).

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> kg.node_map["msc"].label
        'mesenchymal stem cell'
        >>> kg.node_map["new"] = None
        Traceback (most recent call last):
        ...
        TypeError: a graph is immutable: its mappings are read-only (build a new graph instead)
        """
        return self._nodes

    @property
    def edge_map(self) -> Mapping[EdgeKey, Edge]:
        """Edges by ``(subject, predicate, object)``, in that order: a read-only view (no copy).

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> key = next(iter(kg.edge_map))
        >>> kg.edge_map[key].key == key
        True
        """
        return self._edges

    @property
    def out_adjacency(self) -> Mapping[str, Sequence[Edge]]:
        """Edges leaving each node, by node id (nodes without any are absent): a read-only view.

        Within a node, edges are sorted by (predicate, object); :meth:`out_edges` filters by
        predicate.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> all(e.subject == "msc" for e in kg.out_adjacency["msc"])
        True
        """
        return self._out

    @property
    def in_adjacency(self) -> Mapping[str, Sequence[Edge]]:
        """Edges entering each node, by node id (nodes without any are absent): a read-only view.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> sle = kg.node("SLE").id
        >>> len(kg.in_adjacency[sle]) == len(kg.in_edges(sle)) > 0
        True
        """
        return self._in

    def cache(self, name: str, factory: "Callable[[KnowledgeGraph], _T]") -> _T:
        """A value derived from the graph, made by ``factory(self)`` on first use and kept.

        Graphs are immutable, so a derived index (the pattern matcher's integer index, the RDF view
        SPARQL queries run on) never goes stale; operations keep theirs here, under a name of their own
        (by convention their module's name).

        Parameters
        ----------
        name : str
            The key the value is kept under.
        factory : callable
            Called with the graph, once, to make the value.

        Returns
        -------
        object
            The value kept under ``name``.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> first = kg.cache("example.kinds", lambda g: {n.kind for n in g})
        >>> kg.cache("example.kinds", lambda g: set()) is first
        True
        """
        try:
            return self._caches[name]
        except KeyError:
            value = self._caches[name] = factory(self)
            return value

    # -- basic access ---------------------------------------------------------------------------

    @property
    def schema(self) -> Schema:
        """The ontology schema the graph was validated against: its kinds and predicates.

        Examples
        --------
        >>> import sle_graph
        >>> "StemCell" in sle_graph.load().schema.kinds
        True
        """
        return self._schema

    def __len__(self) -> int:
        return len(self._nodes)

    def __iter__(self) -> Iterator[Node]:
        return iter(self._nodes.values())

    def __contains__(self, ref: object) -> bool:
        try:
            self.node(ref)  # type: ignore[arg-type]
        except KeyError:
            return False
        return True

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KnowledgeGraph):
            return NotImplemented
        return self._nodes == other._nodes and self._edges == other._edges

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<KnowledgeGraph: {len(self._nodes)} nodes, {len(self._edges)} edges>"

    def nodes(self, kind: str | None = None) -> list[Node]:
        """Nodes sorted by id; with ``kind``, only that kind and its sub-kinds.

        Parameters
        ----------
        kind : str, optional
            A kind of the ontology, such as ``"Cell"`` (which takes in ``"StemCell"``).

        Returns
        -------
        list of Node
            The nodes, sorted by id.

        Raises
        ------
        UnknownKind
            For a kind the ontology does not declare, listing those it does.

        Examples
        --------
        >>> import sle_graph
        >>> {n.kind for n in sle_graph.load().nodes(kind="Cell")} >= {"StemCell"}
        True
        """
        if kind is None:
            return list(self._nodes.values())
        kinds = self._kinds(kind)
        return [n for n in self._nodes.values() if n.kind in kinds]

    def _kinds(self, kind: str) -> frozenset[str]:
        if kind not in self._schema.kinds:
            raise UnknownKind(kind, self._schema.kinds, listing=True)
        return self._schema.descendants(kind)

    def node(self, ref: "str | Node") -> Node:
        """The node with this id, label, synonym or mapped CURIE (case-insensitive).

        Parameters
        ----------
        ref : str or Node
            An id (``"msc"``), a label or synonym (``"MSC"``), or a CURIE (``"CL:0000134"``); a node
            stands for its id.

        Returns
        -------
        Node
            The node it names.

        Raises
        ------
        NodeNotFound
            A ``KeyError``: no node by that name (naming the closest), or a name shared by several
            nodes (naming their ids).
        TypeError
            When ``ref`` is neither a string nor a node.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> kg.node("CL:0000134").id == kg.node("mesenchymal stem cell").id
        True
        >>> kg.node("mesenchymal stem sell")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        sle_graph.errors.NodeNotFound: no node 'mesenchymal stem sell'; closest: 'mesenchymal stem cell' (msc), ...
        """
        if isinstance(ref, Node):
            ref = ref.id
        if not isinstance(ref, str):
            raise TypeError(f"a node reference is an id, label, synonym or CURIE string, not {type(ref).__name__}")
        found = self._nodes.get(ref)
        if found is not None:
            return found
        hits = self._names.get(ref.strip().lower())
        if hits:
            best = min(p for p, _ in hits)
            ids = sorted({i for p, i in hits if p == best})
            if len(ids) == 1:
                return self._nodes[ids[0]]
            raise NodeNotFound(f"{ref!r} is ambiguous: it names {', '.join(ids)}; use an id")
        near = closest(ref, self._name_list(), n=5)
        labels = []
        for name in near:
            ids = sorted({i for _, i in self._names[name.lower()]})
            labels += [f"{self._nodes[i].label!r} ({i})" for i in ids if f"{self._nodes[i].label!r} ({i})" not in labels]
        hint = f"; closest: {', '.join(labels)}" if labels else ""
        raise NodeNotFound(f"no node {ref!r}{hint}")

    @functools.cached_property
    def _names(self) -> dict[str, list[tuple[int, str]]]:
        names: dict[str, list[tuple[int, str]]] = {}
        for n in self._nodes.values():
            for priority, texts in enumerate(((n.id,), (n.label,), n.synonyms, n.mappings)):
                for t in texts:
                    names.setdefault(t.lower(), []).append((priority, n.id))
        return names

    def _name_list(self) -> list[str]:
        names = list(self._names)
        return names if len(names) <= 50_000 else names[:50_000]

    def edges(self, subject: "str | Node | None" = None, predicate: str | None = None,
              object: "str | Node | None" = None) -> list[Edge]:  # noqa: A002 (the issue's name)
        """Edges matching every given filter, sorted by (subject, predicate, object).

        Parameters
        ----------
        subject : str or Node, optional
            Only edges leaving this node (any reference :meth:`node` takes).
        predicate : str, optional
            Only edges of this predicate (an id of the ontology, such as ``"acts_through"``).
        object : str or Node, optional
            Only edges entering this node.

        Returns
        -------
        list of Edge
            The matching edges; all of them when no filter is given.

        Raises
        ------
        NodeNotFound
            For an unknown subject or object.
        UnknownPredicate
            For a predicate the ontology does not declare.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> all(e.subject == "msc" for e in kg.edges(subject="MSC"))
        True
        >>> {e.predicate for e in kg.edges("msc", "acts_through")}
        {'acts_through'}
        """
        if predicate is not None and predicate not in self._schema.predicates:
            raise UnknownPredicate(predicate, self._schema.predicates)
        s = self.node(subject).id if subject is not None else None
        o = self.node(object).id if object is not None else None
        if s is not None:
            pool: Iterable[Edge] = self._out.get(s, ())
        elif o is not None:
            pool = self._in.get(o, ())
        else:
            pool = self._edges.values()
        return [e for e in pool if (predicate is None or e.predicate == predicate)
                and (s is None or e.subject == s) and (o is None or e.object == o)]

    def edge(self, subject: "str | Node", predicate: str, object: "str | Node") -> Edge:  # noqa: A002
        """The one edge ``subject -predicate-> object``.

        Parameters
        ----------
        subject : str or Node
            The node the edge leaves (any reference :meth:`node` takes).
        predicate : str
            The predicate's id, such as ``"acts_through"``.
        object : str or Node
            The node the edge enters.

        Returns
        -------
        Edge
            The edge, with its evidence, grade and status.

        Raises
        ------
        NodeNotFound
            For an unknown node.
        UnknownPredicate
            For a predicate the ontology does not declare, with "did you mean".
        EdgeNotFound
            A ``KeyError``, when there is no such edge (naming the edges the two nodes do have).

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> edge = kg.edge("MSC", "acts_through", "immunomodulation")
        >>> edge.status in ("supported", "contested", "claim only")
        True
        >>> kg.edge("msc", "acts_thru", "immunomodulation")
        Traceback (most recent call last):
        ...
        sle_graph.errors.UnknownPredicate: unknown predicate 'acts_thru'; did you mean 'acts_through'?
        """
        if predicate not in self._schema.predicates:
            raise UnknownPredicate(predicate, self._schema.predicates)
        key = (self.node(subject).id, predicate, self.node(object).id)
        try:
            return self._edges[key]
        except KeyError:
            between = sorted(e.predicate for e in self._out.get(key[0], ()) if e.object == key[2])
            have = f"; {key[0]} and {key[2]} are joined by: {', '.join(between)}" if between else ""
            raise EdgeNotFound(f"no edge {key[0]} -[{predicate}]-> {key[2]}{have}") from None

    def out_edges(self, ref: "str | Node", predicate: str | None = None) -> list[Edge]:
        """Edges leaving a node, only those of ``predicate`` when given.

        Parameters
        ----------
        ref : str or Node
            The node (any reference :meth:`node` takes).
        predicate : str, optional
            Only edges of this predicate.

        Returns
        -------
        list of Edge
            Sorted by (predicate, object).

        Raises
        ------
        NodeNotFound
            For an unknown node.
        UnknownPredicate
            For a predicate the ontology does not declare.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> {e.predicate for e in kg.out_edges("MSC", "acts_through")}
        {'acts_through'}
        """
        return self.edges(subject=ref, predicate=predicate)

    def in_edges(self, ref: "str | Node", predicate: str | None = None) -> list[Edge]:
        """Edges entering a node, only those of ``predicate`` when given.

        Parameters
        ----------
        ref : str or Node
            The node (any reference :meth:`node` takes).
        predicate : str, optional
            Only edges of this predicate.

        Returns
        -------
        list of Edge
            Sorted by (subject, predicate).

        Raises
        ------
        NodeNotFound
            For an unknown node.
        UnknownPredicate
            For a predicate the ontology does not declare.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> {e.object for e in kg.in_edges("SLE")} == {kg.node("SLE").id}
        True
        """
        return self.edges(object=ref, predicate=predicate)

    def stats(self) -> dict[str, Any]:
        """Counts: nodes, edges, evidence records, nodes by kind, edges by predicate.

        Returns
        -------
        dict
            ``nodes``, ``edges`` and ``evidence`` (ints), ``by_kind`` and ``by_predicate`` (dicts of
            counts, sorted by name).

        Examples
        --------
        >>> import sle_graph
        >>> s = sle_graph.load().stats()
        >>> s["nodes"] == sum(s["by_kind"].values())
        True
        """
        by_kind = Counter(n.kind for n in self._nodes.values())
        by_pred = Counter(e.predicate for e in self._edges.values())
        return {
            "nodes": len(self._nodes),
            "edges": len(self._edges),
            "evidence": sum(len(e.evidence) for e in self._edges.values()),
            "by_kind": dict(sorted(by_kind.items())),
            "by_predicate": dict(sorted(by_pred.items())),
        }

    def subgraph(self, refs: Iterable["str | Node"]) -> "KnowledgeGraph":
        """The induced sub-graph on these nodes, with the source nodes their evidence cites.

        Parameters
        ----------
        refs : iterable of str or Node
            The nodes to keep (any reference :meth:`node` takes).

        Returns
        -------
        KnowledgeGraph
            The nodes, the edges among them, and the source documents and studies those edges cite.

        Raises
        ------
        NodeNotFound
            For an unknown node.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> sub = kg.subgraph(["msc", "immunomodulation"])
        >>> [e.key for e in sub.edges()]
        [('msc', 'acts_through', 'immunomodulation')]
        """
        ids = {self.node(r).id for r in refs}
        # Out-edges of the chosen nodes only: a neighbourhood of a huge graph costs its own size.
        edges = {(e.subject, e.predicate, e.object): e for i in ids for e in self._out.get(i, ()) if e.object in ids}
        cited = {ev.source for e in edges.values() for ev in e.evidence if ev.source in self._nodes}
        nodes = {i: self._nodes[i] for i in ids | cited}
        return KnowledgeGraph.from_checked(nodes, edges, schema=self._schema)

    def to_networkx(self, scalar: bool = False) -> "networkx.MultiDiGraph":
        """A ``networkx.MultiDiGraph`` copy with plain attributes (edge key = predicate).

        Parameters
        ----------
        scalar : bool, default False
            Make every attribute a scalar (lists joined, evidence as counts and JSON), as GraphML and
            GEXF writers need (see :mod:`sle_graph.io.networks`).

        Returns
        -------
        networkx.MultiDiGraph
            Nodes by id with ``kind``, ``label``, ...; edges with ``predicate``, ``grade``, ``status``
            and ``evidence``.

        Examples
        --------
        >>> import sle_graph
        >>> g = sle_graph.load().to_networkx()
        >>> g.nodes["msc"]["kind"]
        'StemCell'
        """
        if scalar:
            from .io.networks import scalar_networkx

            return scalar_networkx(self)
        import networkx as nx

        g = nx.MultiDiGraph()
        for n in self._nodes.values():
            g.add_node(n.id, kind=n.kind, label=n.label, synonyms=list(n.synonyms),
                       definition=n.definition, mappings=list(n.mappings), **dict(n.attributes))
        for e in self._edges.values():
            g.add_edge(e.subject, e.object, key=e.predicate, predicate=e.predicate,
                       grade=e.grade, status=e.status,
                       evidence=[{f.name: getattr(ev, f.name) for f in fields(ev) if getattr(ev, f.name) is not None}
                                 for ev in e.evidence])
        return g

    # -- operations (each in its own module) -----------------------------------------------------

    def paths(self, source: "str | Node", target: "str | Node", *, max_hops: int = 4,
              via: "str | Sequence[str] | None" = None, predicates: "Sequence[str] | None" = None,
              direction: str = "forward", limit: int | None = None, timeout: float | None = QUERY_TIMEOUT,
              max_results: int | None = QUERY_MAX_RESULTS) -> "PathList":
        """Ranked, explained paths from ``source`` to ``target``.

        Paths are simple (no node twice) and ranked: fewer hops first, then stronger evidence (of
        the weakest edge), then a deterministic tie-break (see :mod:`sle_graph.query.paths`).

        Parameters
        ----------
        source : str or Node
            Where the paths start (any reference :meth:`node` takes).
        target : str or Node
            Where they end.
        max_hops : int, default 4
            The longest path, in edges.
        via : str or sequence of str, optional
            Kinds every path must pass through (an intermediate node of each; sub-kinds count).
        predicates : sequence of str, optional
            Walk only edges of these predicates.
        direction : {"forward", "any"}, default "forward"
            ``"forward"`` follows edges as asserted; ``"any"`` also walks them backwards.
        limit : int, optional
            Keep the top ``limit`` paths after ranking.
        timeout : float or None, default :data:`sle_graph.limits.QUERY_TIMEOUT`
            Seconds the search may take; ``None`` lifts the budget.
        max_results : int or None, default :data:`sle_graph.limits.QUERY_MAX_RESULTS`
            The most paths the search may find (with ``limit``, only the top ``limit`` are kept);
            ``None`` lifts the budget.

        Returns
        -------
        PathList
            The paths, best first; empty when there is none. ``.explain()`` tells why each holds.

        Raises
        ------
        NodeNotFound
            For an unknown source or target.
        UnknownKind
            For an unknown kind in ``via``.
        UnknownPredicate
            For an unknown predicate in ``predicates``.
        InvalidArgument
            For a ``max_hops``, ``direction`` or ``limit`` out of range.
        QueryBudgetExceeded
            Past a budget, saying how many paths were found so far.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> found = kg.paths("msc", "reduced disease activity", max_hops=3)
        >>> all(p.start.id == "msc" and len(p) <= 3 for p in found)
        True
        >>> kg.paths("reduced disease activity", "msc")
        []
        """
        from .query.paths import find_paths

        return find_paths(self, source, target, max_hops=max_hops, via=via, predicates=predicates,
                          direction=direction, limit=limit, timeout=timeout, max_results=max_results)

    def match(self, pattern: str, *, limit: int | None = None, timeout: float | None = QUERY_TIMEOUT,
              max_results: int | None = QUERY_MAX_RESULTS) -> "PathList":
        """Paths that fit a metapath pattern, ranked as :meth:`paths` ranks them.

        Parameters
        ----------
        pattern : str
            Kinds, quoted nodes and predicates, such as ``"StemCell -[acts_through]-> Mechanism"`` or
            ``"'AHSCT' -[has_outcome]-> Outcome"`` (see :mod:`sle_graph.query.patterns`).
        limit : int, optional
            Keep the top ``limit`` paths.
        timeout : float or None, default :data:`sle_graph.limits.QUERY_TIMEOUT`
            Seconds the search may take; ``None`` lifts the budget.
        max_results : int or None, default :data:`sle_graph.limits.QUERY_MAX_RESULTS`
            The most matches the search may find (with ``limit``, only the top ``limit`` are kept);
            ``None`` lifts the budget.

        Returns
        -------
        PathList
            The matching paths, best first.

        Raises
        ------
        PatternError
            For a malformed pattern, or one naming an unknown kind or predicate.
        NodeNotFound
            For an unknown quoted node.
        QueryBudgetExceeded
            Past a budget, saying how many matches were found so far.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> found = kg.match("'AHSCT' -[has_outcome]-> Outcome")
        >>> {p.end.kind for p in found}
        {'Outcome'}
        """
        from .query.patterns import match

        return match(self, pattern, limit=limit, timeout=timeout, max_results=max_results)

    def count(self, pattern: str, *, timeout: float | None = QUERY_TIMEOUT, max_results: int | None = None) -> int:
        """How many paths fit a metapath pattern, without building them.

        Parameters
        ----------
        pattern : str
            A metapath pattern, as for :meth:`match`.
        timeout : float or None, default :data:`sle_graph.limits.QUERY_TIMEOUT`
            Seconds the search may take; ``None`` lifts the budget.
        max_results : int, optional
            Stop once the count passes this (no such budget by default: counting builds no paths).

        Returns
        -------
        int
            ``len(kg.match(pattern))``, computed without making the paths.

        Raises
        ------
        PatternError
            For a malformed pattern, or one naming an unknown kind or predicate.
        NodeNotFound
            For an unknown quoted node.
        QueryBudgetExceeded
            Past a budget, holding the count so far.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> pattern = "StemCell -[acts_through]-> Mechanism"
        >>> kg.count(pattern) == len(kg.match(pattern))
        True
        """
        from .query.patterns import count

        return count(self, pattern, timeout=timeout, max_results=max_results)

    def dwpc(self, pattern: str, source: "str | Node | None" = None, target: "str | Node | None" = None,
             damping: float = 0.4) -> Any:
        """Degree-weighted path counts of a metapath pattern (hetnetpy's DWPC).

        See :mod:`sle_graph.query.dwpc` for the definition.

        Parameters
        ----------
        pattern : str
            A metapath pattern, as for :meth:`match`, such as
            ``"StemCell -[acts_through]-> Mechanism -[leads_to]-> Outcome"``.
        source : str or Node, optional
            The first node; alone, only that row of scores.
        target : str or Node, optional
            The last node; alone, only that column of scores.
        damping : float, default 0.4
            The damping exponent ``w`` (0 counts paths; hetnetpy's studies use 0.4).

        Returns
        -------
        float or DWPCScores
            A float when both ``source`` and ``target`` are given; else a
            :class:`~sle_graph.query.dwpc.DWPCScores` (a scipy sparse ``matrix`` over ``sources`` x
            ``targets``, ``to_frame()``, ``top(k)``).

        Raises
        ------
        PatternError
            For a malformed pattern.
        NodeNotFound
            For an unknown node.
        InvalidArgument
            For a negative or non-finite ``damping``.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> kg.dwpc("Therapy -[uses]-> Cell", "msc_therapy", "msc", damping=0)
        1.0
        """
        from .query.dwpc import dwpc

        return dwpc(self, pattern, source, target, damping=damping)

    def neighbors(self, ref: "str | Node", hops: int = 1,
                  kinds: "str | Sequence[str] | None" = None) -> "KnowledgeGraph":
        """The sub-graph of nodes within ``hops`` edges of ``ref``, in either direction.

        Parameters
        ----------
        ref : str or Node
            The centre (any reference :meth:`node` takes); always kept.
        hops : int, default 1
            How many edges away a node may be.
        kinds : str or sequence of str, optional
            Keep only nodes of these kinds (sub-kinds count); the walk passes only through kept nodes.

        Returns
        -------
        KnowledgeGraph
            The neighbourhood, with the source documents and studies its edges cite.

        Raises
        ------
        NodeNotFound
            For an unknown node.
        UnknownKind
            For an unknown kind.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> sub = kg.neighbors("msc", hops=1, kinds="Mechanism")
        >>> "immunomodulation" in sub, "mesenchymal stem cell therapy" in sub
        (True, False)
        """
        from .query.paths import neighbors

        return neighbors(self, ref, hops=hops, kinds=kinds)

    def to_rdf(self, include_ontology: bool = False) -> "rdflib.Graph":
        """The graph as a new ``rdflib.Graph`` (yours to change), our prefixes bound.

        See :mod:`sle_graph.rdf` for the RDF model: a plain triple per edge, plus a statement carrying
        its evidence.

        Parameters
        ----------
        include_ontology : bool, default False
            Add the ontology (kinds, predicates, their hierarchy), so SPARQL or a reasoner can use
            ``rdfs:subClassOf``.

        Returns
        -------
        rdflib.Graph
            A new graph, independent of this one.

        Examples
        --------
        >>> import sle_graph
        >>> from rdflib import RDFS, URIRef
        >>> g = sle_graph.load().to_rdf()
        >>> str(g.value(URIRef("https://w3id.org/sle-graph/resource/msc"), RDFS.label))
        'mesenchymal stem cell'
        """
        from .rdf.write import to_rdf

        return to_rdf(self, include_ontology=include_ontology)

    def serialize(self, destination: "str | Path | None" = None, format: str = "turtle", *,  # noqa: A002
                  include_ontology: bool = False, progress: bool | None = None) -> "str | None":
        r"""The graph as RDF text in any rdflib format, canonical where the format allows.

        ``turtle``, ``nt`` and ``json-ld`` are canonical: the same graph always gives the same bytes.
        A large graph written to a file shows a progress bar on a terminal or in a notebook (see
        :func:`sle_graph.rdf.write.serialize`).

        Parameters
        ----------
        destination : str or path-like, optional
            The file to write (UTF-8); without it the text is returned.
        format : str, default "turtle"
            ``turtle``, ``nt``, ``json-ld``, or another rdflib format (``xml``, ``trig``, ``n3``, ...).
        include_ontology : bool, default False
            Put the ontology after the data, so one file validates alone.
        progress : bool, optional
            ``True``: a progress bar for any graph; ``False``: never; by default only for large
            graphs written to a file.

        Returns
        -------
        str or None
            The text when ``destination`` is None, else None.

        Raises
        ------
        UnknownFormat
            For a format rdflib does not write, listing those it does.
        ValueError
            For a format that cannot hold the graph (XML and control characters).

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> kg.serialize() == kg.serialize()
        True
        >>> kg.serialize(format="nt").count(" .\n") == len(kg.to_rdf())
        True
        """
        from .rdf.write import serialize

        return serialize(self, destination, format=format, include_ontology=include_ontology, progress=progress)

    def sparql(self, query: str, *, folder: "str | Path | None" = None) -> "SparqlResult":
        """Run a SPARQL query on the graph and the ontology (an embedded Oxigraph store, built on
        the first query and kept while the graph lives); our prefixes are bound.

        Parameters
        ----------
        query : str
            A SELECT, ASK, CONSTRUCT or DESCRIBE query; ``sle:``, ``sleo:``, ``rdfs:``, ... need no
            ``PREFIX`` line.
        folder : str or Path, optional
            Keep the store on disk in this new or empty folder (default: in memory).

        Returns
        -------
        SparqlResult
            A list of dicts with ``to_frame()``. SELECT: one dict per row, variable -> value (IRIs
            as ``str``, literals as Python values, unbound as None). ASK: ``[{"ask": bool}]``.
            CONSTRUCT and DESCRIBE: ``subject``, ``predicate``, ``object`` dicts, sorted.

        Raises
        ------
        SparqlError
            For a query that does not parse (pointing at the place) or an update.
        InvalidArgument
            A ``folder`` that holds files, or is a file.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> rows = kg.sparql("SELECT ?label WHERE { sle:msc rdfs:label ?label }")
        >>> rows
        [{'label': 'mesenchymal stem cell'}]
        """
        from .rdf.store import sparql

        return sparql(self, query, folder=folder)

    def to_dot(self, *, highlight: Any = None, include_sources: bool = False, engine: str = "auto",
               edge_labels: bool | None = None, legend: bool = True, wrap: int = 24,
               title: str | None = None) -> "pydot.Dot":
        """A ``pydot.Dot`` diagram of the graph, for Graphviz.

        Parameters
        ----------
        highlight : Path, PathList or KnowledgeGraph, optional
            Drawn bold over the faded rest.
        include_sources : bool, default False
            Also draw source documents and studies.
        engine : str, default "auto"
            The Graphviz layout the attributes are tuned for (``"dot"``, ``"sfdp"``, ...); ``"auto"``
            picks ``dot`` for small drawings, ``sfdp`` for large ones.
        edge_labels : bool, optional
            Write predicate labels on edges; by default only where they fit.
        legend : bool, default True
            Add a legend of the kinds and edge styles.
        wrap : int, default 24
            The width node labels wrap at, in characters.
        title : str, optional
            Written above the diagram.

        Returns
        -------
        pydot.Dot
            The diagram; see :func:`sle_graph.draw.diagram.to_dot`.

        Examples
        --------
        >>> import sle_graph
        >>> dot = sle_graph.load().neighbors("msc").to_dot(title="MSC")
        >>> dot.to_string().startswith("digraph")
        True
        """
        from .draw.diagram import to_dot

        return to_dot(self, highlight=highlight, include_sources=include_sources, engine=engine,
                      edge_labels=edge_labels, legend=legend, wrap=wrap, title=title)

    def render(self, destination: "str | Path | None" = None, *, format: str | None = None,  # noqa: A002
               engine: str = "auto", timeout: float = 60.0, highlight: Any = None, include_sources: bool = False,
               edge_labels: bool | None = None, legend: bool = True, wrap: int = 24,
               title: str | None = None) -> "bytes | str | None":
        """Draw the graph to SVG, PNG, PDF or DOT (or the explorer page, HTML).

        The format comes from ``format`` or the suffix of ``destination``; SVG when neither is given.
        See :func:`sle_graph.draw.diagram.render`.

        Parameters
        ----------
        destination : str or path-like, optional
            The file to write; without it the diagram is returned.
        format : {"svg", "png", "pdf", "dot", "html"}, optional
            The output format, when the suffix does not say it.
        engine : str, default "auto"
            The Graphviz layout: ``dot`` for small drawings, ``sfdp`` for large ones.
        timeout : float, default 60.0
            Seconds Graphviz may run.
        highlight : Path, PathList or KnowledgeGraph, optional
            Drawn bold over the faded rest.
        include_sources : bool, default False
            Also draw source documents and studies.
        edge_labels : bool, optional
            Write predicate labels on edges; by default only where they fit.
        legend : bool, default True
            Add a legend of the kinds and edge styles.
        wrap : int, default 24
            The width node labels wrap at, in characters.
        title : str, optional
            Written above the diagram.

        Returns
        -------
        bytes, str or None
            None when written to ``destination``; else text for SVG and DOT, bytes for PNG and PDF.

        Raises
        ------
        GraphvizNotFound
            When Graphviz is needed (SVG, PNG, PDF) and not installed.
        RenderTimeout
            When Graphviz runs longer than ``timeout``.
        UnknownFormat
            For a format or suffix that is none of the above.
        RenderError
            When Graphviz fails, or the graph is too large to draw.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> kg.neighbors("msc").render(format="dot", title="MSC").startswith("digraph")
        True
        """
        from .draw.diagram import render

        return render(self, destination, format=format, engine=engine, timeout=timeout, highlight=highlight,
                      include_sources=include_sources, edge_labels=edge_labels, legend=legend, wrap=wrap,
                      title=title)

    def explore(self, *, highlight: Any = None, include_sources: bool = False, title: str | None = None,
                height: int = 640, timeout: float = 120.0) -> "Explorer":
        """An interactive explorer of the graph for notebooks: search, filters by kind and
        evidence status, an edge's quotes and studies on click.

        Parameters
        ----------
        highlight : Path, PathList or KnowledgeGraph, optional
            Drawn bold over the faded rest of the graph.
        include_sources : bool, default False
            Also draw studies and source documents.
        title : str, optional
            The page's heading.
        height : int, default 640
            Height of the notebook frame, in pixels.
        timeout : float, default 120
            Seconds allowed for the layout (Graphviz).

        Returns
        -------
        Explorer
            Displays itself in a notebook; ``.html`` is the page, ``.nodes``/``.edges`` what it draws.

        Raises
        ------
        RenderError
            More nodes than :data:`sle_graph.draw.explore.MAX_NODES`, or pyvis missing.
        GraphvizNotFound
            Graphviz is not installed.

        Examples
        --------
        >>> import sle_graph
        >>> page = sle_graph.load().neighbors("msc", hops=1).explore(title="MSC")
        >>> page.nodes, page.edges
        (13, 16)
        """
        from .draw.explore import explore

        return explore(self, highlight=highlight, include_sources=include_sources, title=title, height=height,
                       timeout=timeout)

    def to_html(self, path: "str | Path", *, highlight: Any = None, include_sources: bool = False,
                title: str | None = None, timeout: float = 120.0) -> Path:
        """Write the explorer (:meth:`explore`) as one standalone HTML page that works offline.

        Parameters
        ----------
        path : str or Path
            Where the page goes; an existing file is replaced only once the page is whole.
        highlight : Path, PathList or KnowledgeGraph, optional
            Drawn bold over the faded rest of the graph.
        include_sources : bool, default False
            Also draw studies and source documents.
        title : str, optional
            The page's heading.
        timeout : float, default 120
            Seconds allowed for the layout (Graphviz). There is no ``height``: a page fills its
            window.

        Returns
        -------
        Path
            ``path``.

        Raises
        ------
        RenderError
            Too many nodes for a browser, or pyvis missing.
        GraphvizNotFound
            Graphviz is not installed (it lays the page out).

        Examples
        --------
        >>> import os, sle_graph, tempfile
        >>> kg = sle_graph.load()
        >>> out = kg.to_html(os.path.join(tempfile.mkdtemp(), "g.html"), highlight=kg.paths("msc", "sle"))
        >>> out.suffix
        '.html'
        """
        from .draw.explore import to_html

        return to_html(self, path, highlight=highlight, include_sources=include_sources, title=title,
                       timeout=timeout)

    def _repr_html_(self) -> str | None:
        from .draw.diagram import repr_html

        return repr_html(self)

    def claims(self, status: str | None = None, modality: str | None = None) -> list[Edge]:
        """Edges by evidence status and, when given, by the modality of their firmest quote.

        Parameters
        ----------
        status : {"supported", "contested", "claim only"}, optional
            Only edges of this status.
        modality : str, optional
            Only edges whose firmest quote has this modality (``"asserted"``, ..., ``"potential"``).

        Returns
        -------
        list of Edge
            The edges, sorted by (subject, predicate, object).

        Raises
        ------
        InvalidArgument
            For an unknown status or modality.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> {e.status for e in kg.claims(status="contested")}
        {'contested'}
        """
        return edge_claims(self, status=status, modality=modality)

    def to_frames(self) -> Any:
        """Node, edge and evidence ``pandas`` DataFrames with KGX-style columns.

        Returns
        -------
        Frames
            A named tuple of three DataFrames: ``nodes``, ``edges`` and ``evidence``.

        Raises
        ------
        ImportError
            When pandas is not installed (naming how to install it).

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> frames = kg.to_frames()
        >>> len(frames.nodes) == len(kg)
        True
        """
        from .io.dataframes import to_frames

        return to_frames(self)

    def extend(self, source: Any, *, sources: "Mapping[str, str] | None" = None,
               sources_dir: "str | Path | None" = None, require_definition: bool = True) -> "KnowledgeGraph":
        """A new graph with the entities and assertions of ``source`` added.

        See :mod:`sle_graph.extend` for the forms ``source`` takes; the graph itself never changes.

        Parameters
        ----------
        source : path-like, tuple of paths, list of dicts, or KnowledgeGraph
            A folder or file of users' facts (TSV, CSV, YAML, RDF), a pair ``(entities_path,
            assertions_path)``, Python rows (dicts, or nodes and edges), or another graph.
        sources : mapping of str to str, optional
            Document id -> text, to check quotes against.
        sources_dir : str or path-like, optional
            A folder of document texts (``<id>.txt``), to check quotes against.
        require_definition : bool, default True
            Ask every new entity for a definition, as for the curated data.

        Returns
        -------
        KnowledgeGraph
            This graph and the new facts.

        Raises
        ------
        ValidationError
            Listing every problem, with its file and line.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> mine = kg.extend([{"id": "il10", "kind": "Mechanism", "label": "IL-10 secretion",
        ...                    "definition": "Release of IL-10."}])
        >>> len(mine) - len(kg), "il10" in mine, "il10" in kg
        (1, True, False)
        """
        from .extend import extend

        return extend(self, source, sources=sources, sources_dir=sources_dir, require_definition=require_definition)

    def merge(self, other: "KnowledgeGraph") -> "KnowledgeGraph":
        """A new graph with ``other`` merged in, nodes matched by id and CURIE.

        See :mod:`sle_graph.merge` for the rules; neither graph changes.

        Parameters
        ----------
        other : KnowledgeGraph
            The graph to merge in.

        Returns
        -------
        KnowledgeGraph
            Both graphs' nodes and edges, evidence of shared edges joined.

        Raises
        ------
        ValidationError
            Listing every conflict (a node of two kinds, ...).

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> kg.merge(kg) == kg
        True
        """
        from .merge import merge

        return merge(self, other)

    def to_kgx(self, directory: "str | Path") -> tuple[Path, Path]:
        """Write the graph as KGX TSV: ``nodes.tsv`` and ``edges.tsv`` in ``directory``.

        The output is deterministic (rows and columns sorted); a manifest is written beside the two
        files. See :mod:`sle_graph.io.kgx`.

        Parameters
        ----------
        directory : str or path-like
            The folder to write into; created if needed.

        Returns
        -------
        tuple of pathlib.Path
            The paths of ``nodes.tsv`` and ``edges.tsv``.

        Examples
        --------
        >>> import tempfile
        >>> import sle_graph
        >>> nodes, edges = sle_graph.load().to_kgx(tempfile.mkdtemp())
        >>> nodes.name, edges.name
        ('nodes.tsv', 'edges.tsv')
        """
        from .io.kgx import to_kgx

        return to_kgx(self, directory)

    def to_graphml(self, path: "str | Path") -> None:
        """Write GraphML for Cytoscape, Gephi and igraph, every attribute a scalar.

        See :mod:`sle_graph.io.networks` for the attributes.

        Parameters
        ----------
        path : str or path-like
            The file to write.

        Examples
        --------
        >>> import os, tempfile
        >>> import sle_graph
        >>> path = os.path.join(tempfile.mkdtemp(), "graph.graphml")
        >>> sle_graph.load().to_graphml(path)
        >>> os.path.getsize(path) > 0
        True
        """
        from .io.networks import write_graphml

        write_graphml(self, path)

    def to_gexf(self, path: "str | Path") -> None:
        """Write GEXF for Gephi, every attribute a scalar.

        See :mod:`sle_graph.io.networks` for the attributes.

        Parameters
        ----------
        path : str or path-like
            The file to write.

        Examples
        --------
        >>> import os, tempfile
        >>> import sle_graph
        >>> path = os.path.join(tempfile.mkdtemp(), "graph.gexf")
        >>> sle_graph.load().to_gexf(path)
        >>> os.path.getsize(path) > 0
        True
        """
        from .io.networks import write_gexf

        write_gexf(self, path)

    def to_triples(self, directory: "str | Path | None" = None, *, status: "str | Sequence[str] | None" = None,
                   grade: "str | Sequence[str] | None" = None,
                   modality: "str | Sequence[str] | None" = None) -> Any:
        """``(head, relation, tail)`` triples for embedding libraries, filtered by status, grade, modality.

        See :mod:`sle_graph.io.triples`.

        Parameters
        ----------
        directory : str or path-like, optional
            Write ``triples.tsv`` and the id maps PyKEEN reads into this folder; without it the triples
            are returned.
        status : str or sequence of str, optional
            Only edges of these evidence statuses.
        grade : str or sequence of str, optional
            Only edges of these evidence grades.
        modality : str or sequence of str, optional
            Only edges whose firmest quote has one of these modalities.

        Returns
        -------
        list of tuple or list of pathlib.Path
            The sorted triples; with ``directory``, the paths written.

        Raises
        ------
        InvalidArgument
            For an unknown status, grade or modality.

        Examples
        --------
        >>> import sle_graph
        >>> triples = sle_graph.load().to_triples(status="supported")
        >>> triples == sorted(triples)
        True
        """
        from .io.triples import to_triples, write_triples

        if directory is None:
            return to_triples(self, status=status, grade=grade, modality=modality)
        return write_triples(self, directory, status=status, grade=grade, modality=modality)

    def to_neo4j(self, directory: "str | Path") -> list[Path]:
        """Write ``nodes.csv`` and ``relationships.csv`` for Neo4j's bulk importer.

        See :mod:`sle_graph.io.property_graph`.

        Parameters
        ----------
        directory : str or path-like
            The folder to write into; created if needed.

        Returns
        -------
        list of pathlib.Path
            The files written.

        Examples
        --------
        >>> import tempfile
        >>> import sle_graph
        >>> sorted(p.name for p in sle_graph.load().to_neo4j(tempfile.mkdtemp()))
        ['nodes.csv', 'relationships.csv']
        """
        from .io.property_graph import write_neo4j

        return write_neo4j(self, directory)

    def to_kuzu(self, database: "str | Path") -> Any:
        """The graph in a new embedded Kùzu database (Cypher, no server).

        It loads the files of :meth:`to_neo4j`, written to a temporary folder.

        Parameters
        ----------
        database : str or path-like
            Where the new database goes.

        Returns
        -------
        kuzu.Connection
            A connection to the database, ready for Cypher queries.

        Raises
        ------
        ImportError
            When kuzu is not installed (naming how to install it).

        Examples
        --------
        >>> import os, tempfile
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> conn = kg.to_kuzu(os.path.join(tempfile.mkdtemp(), "kg"))
        >>> conn.execute("MATCH (n) RETURN count(n)").get_next() == [len(kg)]
        True
        """
        import tempfile

        from .io.property_graph import load_kuzu, write_neo4j

        with tempfile.TemporaryDirectory() as folder:
            write_neo4j(self, folder)
            return load_kuzu(folder, database)

    def push(self, endpoint: "str | Mapping[str, str]", *, graph: str | None = None, replace: bool = True,
             auth: Any = None, ontology: bool = True, ontology_graph: str | None = None, atomic: bool = True,
             chunk_size: int = 50_000, on_chunk: "Callable[[int, int | None], None] | None" = None,
             verify: bool = True, timeout: float = 600.0, retries: int = 4,
             progress: bool | None = None) -> "PushResult":
        """Publish the graph to a SPARQL 1.1 server.

        See :func:`sle_graph.endpoint.push` for how (chunks, atomic swap, retries).

        Parameters
        ----------
        endpoint : str or mapping
            The server's URL (the forms of common servers are recognised), or its ``query``,
            ``update`` and ``store`` URLs.
        graph : str, optional
            The named graph the data goes to; :data:`sle_graph.endpoint.DEFAULT_GRAPH` by default.
        replace : bool, default True
            Replace what the named graph held; ``False`` adds to it.
        auth : tuple of str or str, optional
            ``(user, password)`` for basic authentication, or a bearer token.
        ontology : bool, default True
            Also push the ontology, to its own named graph.
        ontology_graph : str, optional
            That graph's IRI; the ontology's own IRI by default.
        atomic : bool, default True
            A failed push leaves the previous graph as it was.
        chunk_size : int, default 50000
            Triples per request.
        on_chunk : callable, optional
            Called as ``on_chunk(sent, total)`` after each chunk.
        verify : bool, default True
            Count the triples on the server before the swap.
        timeout : float, default 600.0
            Seconds per request.
        retries : int, default 4
            Retries of a failed request (connection errors and 5xx answers), with back-off.
        progress : bool, optional
            ``True``: a progress bar for any graph; ``False``: never; by default for large graphs.

        Returns
        -------
        PushResult
            The endpoint, graph and number of triples pushed.

        Raises
        ------
        EndpointError
            When the server refuses or cannot be reached; the target is unchanged when ``atomic``.

        Examples
        --------
        >>> import sle_graph
        >>> sle_graph.load().push("http://127.0.0.1:9", retries=0)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        sle_graph.errors.EndpointError: ...
        """
        from .endpoint import DEFAULT_GRAPH, push

        return push(self, endpoint, graph=DEFAULT_GRAPH if graph is None else graph, replace=replace, auth=auth,
                    ontology=ontology, ontology_graph=ontology_graph, atomic=atomic, chunk_size=chunk_size,
                    on_chunk=on_chunk, verify=verify, timeout=timeout, retries=retries, progress=progress)
