"""The :class:`KnowledgeGraph`: typed nodes and evidenced edges, validated, immutable, indexed.

Storage is plain dictionaries (nodes by id, edges by ``(subject, predicate, object)``) with
adjacency and name indexes built once; ``to_networkx()`` gives a ``networkx.MultiDiGraph`` copy
on demand. Operations (RDF, paths, rendering, ...) live in their own modules; the methods here
only delegate to them, importing them when first called so ``load()`` stays fast.

Operations read the graph through its public, read-only views (no copies): :attr:`~KnowledgeGraph.node_map`,
:attr:`~KnowledgeGraph.edge_map`, :attr:`~KnowledgeGraph.out_adjacency`,
:attr:`~KnowledgeGraph.in_adjacency`, and keep what they derive from it in
:meth:`~KnowledgeGraph.cache`. Graphs are built by :meth:`~KnowledgeGraph.from_records`
(located records, checked) or :meth:`~KnowledgeGraph.from_checked` (nodes and edges already
checked: sub-graphs, merges).

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
from collections import Counter, defaultdict
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

from .build.grading import claims as edge_claims, grade_edges
from .build.records import AssertionRecord, NodeRecord, Where
from .build.validation import check_records
from .errors import EdgeNotFound, NodeNotFound, Problem, UnknownKind, UnknownPredicate, ValidationError, closest
from .gc_pause import gc_paused
from .limits import QUERY_MAX_RESULTS, QUERY_TIMEOUT
from .model import Edge, Node
from .ontology import Schema, schema as default_schema

if TYPE_CHECKING:  # pragma: no cover
    import networkx
    import pydot
    import rdflib

    from .draw.explore import Explorer
    from .endpoint import PushResult
    from .query.paths import Path as GraphPath, PathList

__all__ = ["KnowledgeGraph", "NodeNotFound", "EdgeKey"]

#: An edge's key in :attr:`KnowledgeGraph.edge_map`: ``(subject, predicate, object)``.
EdgeKey = tuple[str, str, str]

#: An edge's ``(subject, predicate, object)``, the order of the edge map (C speed, no property).
_EDGE_KEY = attrgetter("subject", "predicate", "object")

_T = TypeVar("_T")


class _ReadOnlyDict(dict):  # type: ignore[type-arg]
    """The graph's storage: a dict built once, then handed out as a read-only mapping.

    Lookups are the dict's own, as fast as a plain dict's (a ``MappingProxyType`` view costs
    about half as much again per ``get``, which the path search and the export do per edge);
    everything that would change it raises ``TypeError``.
    """

    __slots__ = ()

    def _read_only(self, *args: object, **kwargs: object) -> None:
        raise TypeError("a graph is immutable: its mappings are read-only (build a new graph instead)")

    __setitem__ = __delitem__ = __ior__ = _read_only  # type: ignore[assignment]
    update = setdefault = pop = popitem = clear = _read_only  # type: ignore[assignment]

    def __reduce__(self) -> tuple:  # pickle and copy rebuild it whole, not item by item
        return (type(self), (dict(self),))


class KnowledgeGraph:
    """A typed, evidence-backed knowledge graph.

    Build one with :func:`sle_graph.load` (the curated graph), :func:`sle_graph.read_rdf`, or from
    nodes and edges: ``KnowledgeGraph(nodes, edges)`` validates them against the ontology and
    raises :class:`~sle_graph.errors.ValidationError` listing every problem.

    >>> from sle_graph import KnowledgeGraph, Node, Edge, Evidence
    >>> kg = KnowledgeGraph(
    ...     [Node("msc", "StemCell", "mesenchymal stem cell", definition="A stromal stem cell."),
    ...      Node("immunomodulation", "Mechanism", "immunomodulation", definition="Immune regulation."),
    ...      Node("doc", "SourceDocument", "A document", definition="A text.")],
    ...     [Edge("msc", "acts_through", "immunomodulation",
    ...           (Evidence("doc", quote="MSCs modulate", start=0, end=13),))])
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
        nodes, assertions:
            Records read from a source, each with the file and line it came from; assertions
            may be a generator (large files stream through).
        schema:
            The ontology to check against (the shipped one by default).
        problems:
            Problems the reader already found; reported first, with those of the checks.
        checks:
            Options of :func:`sle_graph.build.validation.check_records`: ``sources`` (document
            id -> text, to check quotes against), ``require_definition``.

        Returns
        -------
        KnowledgeGraph
            Built only when no problem was found.

        Raises
        ------
        ValidationError
            Listing every problem, located.

        Example
        -------
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
        """Build from nodes and edges already checked against ``schema``, without checking them
        again: sub-graphs, merges and extensions of valid graphs.

        ``nodes`` maps ids to nodes, ``edges`` maps ``(subject, predicate, object)`` to edges;
        evidence grades and statuses are computed here. Nothing is validated: an edge to a
        missing node, for instance, makes a graph that fails later, so give this only what
        :meth:`from_records` (or another valid graph) produced.

        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> KnowledgeGraph.from_checked(kg.node_map, kg.edge_map, schema=kg.schema) == kg
        True
        """
        kg = cls.__new__(cls)
        kg._init(nodes, edges, schema)
        return kg

    # Millions of records that all stay alive: the cyclic collector would rescan them over and
    # over (a third of a large build) and can free none of them.
    @gc_paused()
    def _init(self, nodes: Mapping[str, Node], edges: Mapping[EdgeKey, Edge], schema: Schema) -> None:
        self._schema = schema
        self._nodes = _ReadOnlyDict(sorted(nodes.items()))
        graded = grade_edges(sorted(edges.values(), key=_EDGE_KEY), self._nodes)
        self._edges = _ReadOnlyDict(zip(map(_EDGE_KEY, graded), graded))
        out: defaultdict[str, list[Edge]] = defaultdict(list)
        inc: defaultdict[str, list[Edge]] = defaultdict(list)
        for e in graded:
            out[e.subject].append(e)
            inc[e.object].append(e)
        del graded
        # Tuples: the adjacency views hand them out, and nobody may append to a graph's edges.
        self._out = _ReadOnlyDict(zip(out, map(tuple, out.values())))
        self._in = _ReadOnlyDict(zip(inc, map(tuple, inc.values())))
        del out, inc
        self._caches: dict[str, Any] = {}

    # -- the read-only interface operations use ----------------------------------------------------

    @property
    def node_map(self) -> Mapping[str, Node]:
        """Nodes by id, sorted by id: a read-only view of the graph's storage (no copy).

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

        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> all(e.subject == "msc" for e in kg.out_adjacency["msc"])
        True
        """
        return self._out

    @property
    def in_adjacency(self) -> Mapping[str, Sequence[Edge]]:
        """Edges entering each node, by node id (nodes without any are absent): a read-only view.

        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> sle = kg.node("SLE").id
        >>> len(kg.in_adjacency[sle]) == len(kg.in_edges(sle)) > 0
        True
        """
        return self._in

    def cache(self, name: str, factory: "Callable[[KnowledgeGraph], _T]") -> _T:
        """A value derived from the graph, made by ``factory(self)`` on first use and kept.

        Graphs are immutable, so a derived index (the pattern matcher's integer index, the RDF
        view SPARQL queries run on) never goes stale; operations keep theirs here, under a name
        of their own (by convention their module's name).

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
        """The ontology schema the graph was validated against."""
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

        An unknown reference raises ``KeyError`` naming the closest matches.

        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> kg.node("CL:0000134").id == kg.node("mesenchymal stem cell").id
        True
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

        ``subject`` and ``object`` take anything :meth:`node` takes.

        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> all(e.subject == "msc" for e in kg.edges(subject="MSC"))
        True
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

        Raises :class:`~sle_graph.errors.NodeNotFound` for an unknown node,
        :class:`~sle_graph.errors.UnknownPredicate` (with "did you mean") for a predicate the
        ontology does not declare, :class:`~sle_graph.errors.EdgeNotFound` (a ``KeyError``) when
        there is no such edge (naming the edges the two nodes do have).

        >>> import sle_graph
        >>> kg = sle_graph.load()
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

        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> {e.predicate for e in kg.out_edges("MSC", "acts_through")}
        {'acts_through'}
        """
        return self.edges(subject=ref, predicate=predicate)

    def in_edges(self, ref: "str | Node", predicate: str | None = None) -> list[Edge]:
        """Edges entering a node, only those of ``predicate`` when given.

        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> {e.object for e in kg.in_edges("SLE")} == {kg.node("SLE").id}
        True
        """
        return self.edges(object=ref, predicate=predicate)

    def stats(self) -> dict[str, Any]:
        """Counts: nodes, edges, evidence records, nodes by kind, edges by predicate.

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
        """The induced sub-graph on these nodes (and the source nodes their evidence cites)."""
        ids = {self.node(r).id for r in refs}
        # Out-edges of the chosen nodes only: a neighbourhood of a huge graph costs its own size.
        edges = {(e.subject, e.predicate, e.object): e for i in ids for e in self._out.get(i, ()) if e.object in ids}
        cited = {ev.source for e in edges.values() for ev in e.evidence if ev.source in self._nodes}
        nodes = {i: self._nodes[i] for i in ids | cited}
        return KnowledgeGraph.from_checked(nodes, edges, schema=self._schema)

    def to_networkx(self, scalar: bool = False) -> "networkx.MultiDiGraph":
        """A ``networkx.MultiDiGraph`` copy with plain attributes (edge key = predicate).

        ``scalar=True``: every attribute a scalar (lists joined, evidence as counts and JSON), as
        GraphML and GEXF writers need (see :mod:`sle_graph.io.networks`).

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
        """Ranked, explained paths from ``source`` to ``target`` (see :mod:`sle_graph.query.paths`);
        ``timeout`` (seconds) and ``max_results`` bound the search (see :mod:`sle_graph.limits`)."""
        from .query.paths import find_paths

        return find_paths(self, source, target, max_hops=max_hops, via=via, predicates=predicates,
                          direction=direction, limit=limit, timeout=timeout, max_results=max_results)

    def match(self, pattern: str, *, limit: int | None = None, timeout: float | None = QUERY_TIMEOUT,
              max_results: int | None = QUERY_MAX_RESULTS) -> "PathList":
        """Paths matching a metapath pattern such as ``"Cell -> Mechanism -> Outcome"``, within a
        time and result budget (see :mod:`sle_graph.limits`)."""
        from .query.patterns import match

        return match(self, pattern, limit=limit, timeout=timeout, max_results=max_results)

    def count(self, pattern: str, *, timeout: float | None = QUERY_TIMEOUT, max_results: int | None = None) -> int:
        """How many paths match a metapath pattern, without building them, within a time budget."""
        from .query.patterns import count

        return count(self, pattern, timeout=timeout, max_results=max_results)

    def dwpc(self, pattern: str, source: "str | Node | None" = None, target: "str | Node | None" = None,
             damping: float = 0.4) -> Any:
        """Degree-weighted path counts of a metapath pattern (hetnetpy's DWPC; see :mod:`sle_graph.query.dwpc`).

        A float for one ``source`` and ``target``; otherwise a :class:`~sle_graph.query.dwpc.DWPCScores`
        (a scipy sparse ``matrix`` over ``sources`` x ``targets``, ``to_frame()``, ``top(k)``).
        """
        from .query.dwpc import dwpc

        return dwpc(self, pattern, source, target, damping=damping)

    def neighbors(self, ref: "str | Node", hops: int = 1,
                  kinds: "str | Sequence[str] | None" = None) -> "KnowledgeGraph":
        """The sub-graph of nodes within ``hops`` of ``ref`` (either direction), optionally by kind."""
        from .query.paths import neighbors

        return neighbors(self, ref, hops=hops, kinds=kinds)

    def to_rdf(self, include_ontology: bool = False) -> "rdflib.Graph":
        """The graph as an ``rdflib.Graph`` (see :mod:`sle_graph.rdf`)."""
        from .rdf.write import to_rdf

        return to_rdf(self, include_ontology=include_ontology)

    def serialize(self, destination: "str | Path | None" = None, format: str = "turtle", *,  # noqa: A002
                  include_ontology: bool = False, progress: bool | None = None) -> "str | None":
        """Canonical RDF text in any rdflib format; a string when ``destination`` is None. With
        ``include_ontology`` the ontology follows the data (one file that validates alone). A large
        graph written to a file shows a progress bar on a terminal or in a notebook
        (``progress=False``: never; see :func:`sle_graph.rdf.write.serialize`)."""
        from .rdf.write import serialize

        return serialize(self, destination, format=format, include_ontology=include_ontology, progress=progress)

    def sparql(self, query: str) -> list[dict[str, Any]]:
        """Run a SPARQL query over the RDF view, our prefixes bound."""
        from .rdf.write import sparql

        return sparql(self, query)

    def to_dot(self, *, highlight: Any = None, include_sources: bool = False, engine: str = "auto",
               edge_labels: bool | None = None, legend: bool = True, wrap: int = 24,
               title: str | None = None) -> "pydot.Dot":
        """A ``pydot.Dot`` diagram of the graph; the options are those of
        :func:`sle_graph.draw.diagram.to_dot`."""
        from .draw.diagram import to_dot

        return to_dot(self, highlight=highlight, include_sources=include_sources, engine=engine,
                      edge_labels=edge_labels, legend=legend, wrap=wrap, title=title)

    def render(self, destination: "str | Path | None" = None, *, format: str | None = None,  # noqa: A002
               engine: str = "auto", timeout: float = 60.0, highlight: Any = None, include_sources: bool = False,
               edge_labels: bool | None = None, legend: bool = True, wrap: int = 24,
               title: str | None = None) -> "bytes | str | None":
        """Draw the graph to SVG, PNG, PDF or DOT (format from ``format`` or the suffix); the
        options are those of :func:`sle_graph.draw.diagram.render`.

        Returns None when written to ``destination``, else the diagram (text for SVG and DOT,
        bytes for PNG and PDF). Raises :class:`~sle_graph.errors.GraphvizNotFound`,
        :class:`~sle_graph.errors.RenderTimeout` (after ``timeout`` seconds), and
        :class:`~sle_graph.errors.UnknownFormat`.

        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> kg.neighbors("msc").render(format="dot", title="MSC").startswith("digraph")
        True
        """
        from .draw.diagram import render

        return render(self, destination, format=format, engine=engine, timeout=timeout, highlight=highlight,
                      include_sources=include_sources, edge_labels=edge_labels, legend=legend, wrap=wrap,
                      title=title)

    def explore(self, **options: Any) -> "Explorer":
        """An interactive explorer of the graph for notebooks (search, filters, evidence on click);
        see :func:`sle_graph.draw.explore.explore` for the options (``highlight=``, ...)."""
        from .draw.explore import explore

        return explore(self, **options)

    def to_html(self, path: "str | Path", **options: Any) -> Path:
        """Write the explorer as one standalone HTML page that works offline; returns the path."""
        from .draw.explore import to_html

        return to_html(self, path, **options)

    def _repr_html_(self) -> str | None:
        from .draw.diagram import repr_html

        return repr_html(self)

    def claims(self, status: str | None = None, modality: str | None = None) -> list[Edge]:
        """Edges with their evidence status (``supported``, ``contested``, ``claim only``) and,
        when given, the modality of their firmest quote (``asserted``, ..., ``potential``)."""
        return edge_claims(self, status=status, modality=modality)

    def to_frames(self) -> Any:
        """Node, edge and evidence ``pandas`` DataFrames with KGX-style columns."""
        from .io.dataframes import to_frames

        return to_frames(self)

    def extend(self, source: Any, *, sources: "Mapping[str, str] | None" = None,
               sources_dir: "str | Path | None" = None, require_definition: bool = True) -> "KnowledgeGraph":
        """A new graph with the entities and assertions of ``source`` added (see :mod:`sle_graph.extend`)."""
        from .extend import extend

        return extend(self, source, sources=sources, sources_dir=sources_dir, require_definition=require_definition)

    def merge(self, other: "KnowledgeGraph") -> "KnowledgeGraph":
        """A new graph with ``other`` merged in, nodes matched by id and CURIE."""
        from .merge import merge

        return merge(self, other)

    def to_kgx(self, directory: "str | Path") -> tuple[Path, Path]:
        """Write ``nodes.tsv`` and ``edges.tsv`` in KGX TSV format to ``directory``."""
        from .io.kgx import to_kgx

        return to_kgx(self, directory)

    def to_graphml(self, path: "str | Path") -> None:
        """Write GraphML for Cytoscape, Gephi and igraph, attributes as scalars (see :mod:`sle_graph.io.networks`)."""
        from .io.networks import write_graphml

        write_graphml(self, path)

    def to_gexf(self, path: "str | Path") -> None:
        """Write GEXF for Gephi, attributes as scalars (see :mod:`sle_graph.io.networks`)."""
        from .io.networks import write_gexf

        write_gexf(self, path)

    def to_triples(self, directory: "str | Path | None" = None, *, status: "str | Sequence[str] | None" = None,
                   grade: "str | Sequence[str] | None" = None,
                   modality: "str | Sequence[str] | None" = None) -> Any:
        """``(head, relation, tail)`` triples for embedding libraries, filtered by status, grade, modality.

        Without ``directory``: the sorted list of triples. With it: writes ``triples.tsv`` and the
        id maps PyKEEN reads into it and returns their paths (see :mod:`sle_graph.io.triples`).
        """
        from .io.triples import to_triples, write_triples

        if directory is None:
            return to_triples(self, status=status, grade=grade, modality=modality)
        return write_triples(self, directory, status=status, grade=grade, modality=modality)

    def to_neo4j(self, directory: "str | Path") -> list[Path]:
        """Write ``nodes.csv`` and ``relationships.csv`` for Neo4j's bulk importer (see :mod:`sle_graph.io.property_graph`)."""
        from .io.property_graph import write_neo4j

        return write_neo4j(self, directory)

    def to_kuzu(self, database: "str | Path") -> Any:
        """The graph in a new embedded Kùzu database at ``database`` (Cypher, no server); a ``kuzu.Connection``.

        It loads the files of :meth:`to_neo4j`, written to a temporary folder.
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
        """Publish the graph to a SPARQL 1.1 server; the options are those of
        :func:`sle_graph.endpoint.push` (``graph``: the named graph, default
        :data:`sle_graph.endpoint.DEFAULT_GRAPH`)."""
        from .endpoint import DEFAULT_GRAPH, push

        return push(self, endpoint, graph=DEFAULT_GRAPH if graph is None else graph, replace=replace, auth=auth,
                    ontology=ontology, ontology_graph=ontology_graph, atomic=atomic, chunk_size=chunk_size,
                    on_chunk=on_chunk, verify=verify, timeout=timeout, retries=retries, progress=progress)
