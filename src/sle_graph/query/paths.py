"""Paths between nodes: bounded search, ranking, and explanations edge by edge.

A :class:`Path` is a chain of nodes joined by edges; :func:`find_paths` (``kg.paths``) returns
the simple paths (no node twice) between two nodes, ranked, in a :class:`PathList`.

Ranking
-------
Paths are ordered by three keys, in this order:

1. **hop count**, fewer first: a short chain is the more direct explanation.
2. **evidence strength**, strongest first. An edge's strength is the triple
   ``(status rank, firmness, independent sources)``: the status rank is ``supported`` (2) >
   ``claim only`` (1) > ``contested`` (0) (any other status counts as a claim); firmness is that
   of the firmest modality of its quotes (``asserted`` > ``partial`` > ``preliminary`` >
   ``possible`` > ``potential``, the ontology's order; an edge with no modality counts as
   asserted, nothing hedging it), so among edges of one status a firm statement beats a
   possibility; independent sources is the number of distinct documents and studies behind the
   edge (``len(edge.sources)``). A path's strength is the strength of its **weakest edge**
   (triples compared in order). The weakest link,
   not the mean, because a path is an argument: it holds only as well as its least supported
   step, and a mean would let one well-cited edge hide a contested one.
3. **a deterministic tie-break**: the node ids in order, then the predicates in order, then the
   directions (an edge walked as asserted sorts before one walked against it), compared as
   strings.

``Path.rank_key`` is exactly this key, so ``sorted(paths, key=lambda p: p.rank_key)`` reproduces
the order :func:`find_paths` and :func:`sle_graph.query.patterns.match` return.

Search
------
Always bounded: ``max_hops`` (default 4, at most 10). The search is bidirectional and meets in
the middle. For each length from 1 to ``max_hops``, it grows by one layer the simple half-paths
from the source (along edges) or those from the target (against them), whichever layer costs
fewer edge look-ups, then joins the longest halves of the two sides that meet at a node and
share no other: so each path is assembled exactly once, at its own length. The last layer keeps
only half-paths ending where a half-path of the other side ends. Work grows with the two
neighbourhoods, not with all walks of ``max_hops`` steps. A half-path never continues past the
other end (a simple path visits it last). With ``limit``, the search stops after the first
length at which ``limit`` paths are known (hop count is the first ranking key, so the top
``limit`` is exact).

Budgets: past ``timeout`` seconds (default :data:`sle_graph.limits.QUERY_TIMEOUT`) the search
stops with :class:`~sle_graph.errors.QueryBudgetExceeded`; so it does when it would hold more than
``max_results`` paths (default :data:`sle_graph.limits.QUERY_MAX_RESULTS`; with ``limit``, only
the best ``limit`` are held, so this matters only for a ``limit`` above it) or more than
``max_results`` half-paths. The error says how many paths were found so far; ``None`` lifts a budget.

Example
-------
>>> import sle_graph
>>> kg = sle_graph.load()
>>> best = kg.paths("mesenchymal stem cell", "reduced disease activity")[0]
>>> print(best)
mesenchymal stem cell -[acts through]-> immunomodulation -[leads to]-> reduced disease activity
>>> len(best), [n.id for n in best.nodes]
(2, ['msc', 'immunomodulation', 'reduced_disease_activity'])
"""

from __future__ import annotations

import html
import re
import textwrap
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence, SupportsIndex, overload

from ..errors import InvalidArgument, QueryBudgetExceeded, UnknownKind, UnknownPredicate
from ..gc_pause import gc_paused
from ..limits import QUERY_MAX_RESULTS, QUERY_TIMEOUT, Budget
from ..build.modality import FIRM, firmness
from ..model import Edge, Node
from ..ontology import schema as default_schema

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from ..graph import KnowledgeGraph
    from ..ontology import Schema

__all__ = ["Path", "PathList", "Explanation", "EXPLAIN_WIDTH", "find_paths", "neighbors", "STATUS_RANK", "MAX_HOPS", "DIRECTIONS",
           "edge_strength"]

#: The largest ``max_hops`` a search accepts: beyond it the number of paths explodes.
MAX_HOPS = 10

#: ``direction`` values: follow edges as asserted, or ignore their direction.
DIRECTIONS = ("forward", "any")

#: Rank of an edge status in path ranking (higher is stronger); other statuses count as claims.
STATUS_RANK = {"supported": 2, "claim only": 1, "contested": 0}
_DEFAULT_RANK = STATUS_RANK["claim only"]
_STRONGEST = (len(STATUS_RANK), 1 << 62, 1 << 62)  # stronger than any edge: the strength of no edge at all


def edge_strength(edge: Edge) -> tuple[int, int, int]:
    """``(status rank, firmness, number of independent sources)`` of an edge; higher is stronger.

    Firmness is :func:`sle_graph.build.modality.firmness` of the edge's firmest quote modality
    (:func:`~sle_graph.build.modality.edge_modality`); with none, that of ``asserted``.

    >>> from sle_graph.model import Edge, Evidence
    >>> edge_strength(Edge("a", "uses", "b", (Evidence("doc1", quote="x", start=0, end=1),),
    ...                    status="claim only"))
    (1, 4, 1)
    >>> edge_strength(Edge("a", "uses", "b", (Evidence("doc1", quote="x", start=0, end=1,
    ...                    modality="possible"),), status="claim only"))
    (1, 1, 1)
    """
    # one pass over the evidence for both (this runs once per edge of every search and index)
    firm, best, sources = firmness(), -1, set()
    for ev in edge.evidence:
        sources.add(ev.source)
        if ev.modality is not None:
            best = max(best, firm.get(ev.modality, 0))
    return (STATUS_RANK.get(edge.status or "", _DEFAULT_RANK), firm[FIRM] if best < 0 else best, len(sources))


def _predicate_label(schema: "Schema | None", predicate: str) -> str:
    if schema is None:
        schema = default_schema()
    p = schema.predicates.get(predicate)
    return p.label if p is not None else predicate.replace("_", " ")


def _svg(obj: object) -> str | None:
    """SVG of a path or paths through :func:`sle_graph.draw.diagram.repr_svg`; None when unavailable."""
    try:
        # Like the graph's methods, a result's display methods import the operation they
        # delegate to when called: searching never loads the drawing or table code.
        from ..draw.diagram import repr_svg

        return repr_svg(obj)
    except Exception:  # rendering is a nicety: never break a notebook display over it
        return None


class Path:
    """A chain of nodes joined by edges: ``nodes[i]`` and ``nodes[i + 1]`` are the ends of ``edges[i]``.

    Immutable and hashable; two paths are equal when they walk the same edges (by
    ``(subject, predicate, object)``) through the same nodes. ``len(path)`` is its number of edges.
    :meth:`KnowledgeGraph.paths` and :meth:`KnowledgeGraph.match` make them.

    Parameters
    ----------
    nodes : sequence of Node
        The nodes, start first; one more than the edges.
    edges : sequence of Edge
        The edges, in walking order; an edge may join its two nodes either way round (walked
        against its direction, as paths searched with ``direction="any"`` may be).
    schema : Schema, optional
        The schema of the graph the path is in; it names the predicates in ``str(path)``.

    Raises
    ------
    ValueError
        When the counts do not fit, or an edge does not join the nodes beside it.

    Examples
    --------
    >>> from sle_graph import Edge, Evidence, Node, Path
    >>> a, b = Node("a", "StemCell", "cell A"), Node("b", "Mechanism", "mechanism B")
    >>> e = Edge("a", "acts_through", "b", (Evidence("doc", quote="q", start=0, end=1),))
    >>> p = Path([a, b], [e])
    >>> print(p)
    cell A -[acts through]-> mechanism B
    >>> len(p), p == Path([a, b], [e]), Path([b, a], [e]).forward
    (1, True, [False])
    """

    __slots__ = ("_nodes", "_edges", "_back", "_schema")

    def __init__(self, nodes: Sequence[Node], edges: Sequence[Edge], *, schema: "Schema | None" = None):
        nodes, edges = tuple(nodes), tuple(edges)
        if len(nodes) != len(edges) + 1:
            raise ValueError(f"a path of {len(edges)} edges has {len(edges) + 1} nodes, not {len(nodes)}")
        back = []
        for i, e in enumerate(edges):
            a, b = nodes[i].id, nodes[i + 1].id
            if (e.subject, e.object) == (a, b):
                back.append(False)
            elif (e.subject, e.object) == (b, a):
                back.append(True)
            else:
                raise ValueError(f"edge {i} ({e}) does not join {a!r} and {b!r}")
        _set(self, nodes, edges, tuple(back), schema)

    @classmethod
    def from_parts(cls, nodes: tuple, edges: tuple, back: tuple, schema: "Schema | None") -> "Path":
        """Build from parts already known to be consistent (search results), unchecked.

        Parameters
        ----------
        nodes : tuple of Node
            The nodes, start first.
        edges : tuple of Edge
            The edges, in walking order.
        back : tuple of bool
            ``back[i]`` is True when ``edges[i]`` is walked against its direction.
        schema : Schema or None
            The schema of the graph the path is in.

        Returns
        -------
        Path
            The path, built without the checks of ``Path(nodes, edges)``.

        Examples
        --------
        >>> from sle_graph import Edge, Node, Path
        >>> a = Node("a", "Cell", "cell A", definition="x")
        >>> b = Node("b", "Mechanism", "mechanism B", definition="x")
        >>> e = Edge("a", "acts_through", "b")
        >>> Path.from_parts((a, b), (e,), (False,), None) == Path([a, b], [e])
        True
        """
        path = _new(cls)
        _set(path, nodes, edges, back, schema)
        return path

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Path is immutable")

    # -- the chain ------------------------------------------------------------------------------

    @property
    def schema(self) -> "Schema | None":
        """The schema of the graph the path was found in (it names predicates), if known.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> kg.paths("msc", "immunomodulation")[0].schema is kg.schema
        True
        """
        return self._schema

    @property
    def nodes(self) -> list[Node]:
        """The nodes, start first.

        Examples
        --------
        >>> import sle_graph
        >>> path = sle_graph.load().paths("msc", "immunomodulation")[0]
        >>> [n.id for n in path.nodes]
        ['msc', 'immunomodulation']
        """
        return list(self._nodes)

    @property
    def edges(self) -> list[Edge]:
        """The edges, in walking order (each as asserted: see :attr:`forward`).

        Examples
        --------
        >>> import sle_graph
        >>> path = sle_graph.load().paths("msc", "immunomodulation")[0]
        >>> [e.predicate for e in path.edges]
        ['acts_through']
        """
        return list(self._edges)

    @property
    def forward(self) -> list[bool]:
        """Per edge: True when walked as asserted, False when walked against its direction.

        Examples
        --------
        >>> import sle_graph
        >>> path = sle_graph.load().paths("immunomodulation", "msc", direction="any")[0]
        >>> path.forward
        [False]
        """
        return [not b for b in self._back]

    @property
    def start(self) -> Node:
        """The first node.

        Examples
        --------
        >>> import sle_graph
        >>> sle_graph.load().paths("msc", "immunomodulation")[0].start.label
        'mesenchymal stem cell'
        """
        return self._nodes[0]

    @property
    def end(self) -> Node:
        """The last node.

        Examples
        --------
        >>> import sle_graph
        >>> sle_graph.load().paths("msc", "immunomodulation")[0].end.label
        'immunomodulation'
        """
        return self._nodes[-1]

    def __len__(self) -> int:
        return len(self._edges)

    # -- ranking --------------------------------------------------------------------------------

    @property
    def strength(self) -> tuple[str, int] | None:
        """The weakest edge's ``(status, independent sources)``; None for a path of no edges.

        Examples
        --------
        >>> import sle_graph
        >>> status, sources = sle_graph.load().paths("msc", "immunomodulation")[0].strength
        >>> status in ("supported", "contested", "claim only") and sources >= 1
        True
        """
        if not self._edges:
            return None
        weakest = min(self._edges, key=edge_strength)
        return (weakest.status or "claim only", len(weakest.sources))

    @property
    def rank_key(self) -> tuple:
        """The sort key of the ranking documented in :mod:`sle_graph.query.paths` (smaller ranks first).

        Examples
        --------
        >>> import sle_graph
        >>> found = sle_graph.load().paths("msc", "reduced disease activity")
        >>> found == sorted(found, key=lambda p: p.rank_key)
        True
        """
        rank, firm, sources = min((edge_strength(e) for e in self._edges), default=(0, 0, 0))
        return (len(self._edges), -rank, -firm, -sources, tuple(n.id for n in self._nodes),
                tuple(e.predicate for e in self._edges), self._back)

    # -- identity -------------------------------------------------------------------------------

    def _identity(self) -> tuple:
        return (tuple(n.id for n in self._nodes), tuple(e.key for e in self._edges))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Path):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    # -- text -----------------------------------------------------------------------------------

    def _link(self, i: int) -> str:
        label = _predicate_label(self._schema, self._edges[i].predicate)
        return f"<-[{label}]-" if self._back[i] else f"-[{label}]->"

    def __str__(self) -> str:
        parts = [self._nodes[0].label]
        for i, n in enumerate(self._nodes[1:]):
            parts += [self._link(i), n.label]
        return " ".join(parts)

    def __repr__(self) -> str:
        parts = [self._nodes[0].id]
        for e, back, n in zip(self._edges, self._back, self._nodes[1:]):
            parts += [f"<-[{e.predicate}]-" if back else f"-[{e.predicate}]->", n.id]
        return f"<Path {' '.join(parts)}>"

    def _summary(self) -> str:
        if not self._edges:
            return "0 hops"
        status, sources = self.strength  # type: ignore[misc]
        return (f"{len(self)} hop{'s' if len(self) != 1 else ''}; weakest edge: {status}, "
                f"{sources} source{'s' if sources != 1 else ''}")

    def _steps(self) -> list[tuple[str, str, list[str]]]:
        """Per edge: the claim in labels, its status and grade, the evidence texts."""
        steps = []
        for i, e in enumerate(self._edges):
            claim = f"{self._nodes[i].label} {self._link(i)} {self._nodes[i + 1].label}"
            status = (f"{e.status or 'ungraded'}{f'; grade: {e.grade}' if e.grade else ''}"
                      f"{'; walked against its direction' if self._back[i] else ''}")
            steps.append((claim, status, [_evidence_text(ev) for ev in e.evidence]))
        return steps

    def explain(self) -> "Explanation":
        """The path, then one block per step: the claim, its status and grade, then every piece of
        evidence behind it, wrapped at :data:`EXPLAIN_WIDTH` columns (never inside a word).

        Quotes show their modality (how certain the words are), source document, character
        offsets and exact words; study findings show the study id, its stance, measure and finding.
        Node ids are left out (the labels say it); document and study ids stay, they say where to
        look. The result is a ``str``; in a notebook it shows as a compact table.

        Returns
        -------
        Explanation
            A ``str``, with a table form for notebooks.

        Examples
        --------
        >>> import sle_graph
        >>> kg = sle_graph.load()
        >>> text = kg.paths("AHSCT", "reduced steroid dependence")[0].explain()
        >>> print(text.splitlines()[0])
        autologous hematopoietic stem cell transplantation -[has outcome]-> reduced steroid dependence
        >>> "breaking-ground" in text, max(len(line) for line in text.splitlines()[1:]) <= EXPLAIN_WIDTH
        (True, True)
        """
        lines = [str(self), self._summary()]
        for i, (claim, status, evidence) in enumerate(self._steps(), 1):
            lines += ["", *_wrap(f"{i}. {claim}", "", "   "), *_wrap(status, "   ", "   ")]
            for text in evidence:
                lines += _wrap(text, "   - ", "     ")
        return Explanation("\n".join(lines), [(str(self), self._summary(), self._steps())])

    def _repr_svg_(self) -> str | None:
        return _svg(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def _set(path: Path, nodes: tuple, edges: tuple, back: tuple, schema: "Schema | None") -> None:
    object.__setattr__(path, "_nodes", nodes)
    object.__setattr__(path, "_edges", edges)
    object.__setattr__(path, "_back", back)
    object.__setattr__(path, "_schema", schema)


_new = object.__new__


#: The width :meth:`Path.explain` wraps its text at.
EXPLAIN_WIDTH = 88


def _wrap(text: str, first: str, rest: str) -> list[str]:
    # Words whole: a quote's "SLEDAI" or a DOI is never split across lines.
    return textwrap.wrap(text, EXPLAIN_WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_long_words=False, break_on_hyphens=False) or [first.rstrip()]


#: One explained path: its text, its summary line, and per step (claim, status, evidence texts).
Explained = tuple[str, str, list[tuple[str, str, list[str]]]]


class Explanation(str):
    """The text of :meth:`Path.explain` (a ``str``); in a notebook it shows as a table per path.

    The table has one row per step: the claim, its status and grade, the evidence.

    Parameters
    ----------
    text : str
        The text.
    paths : iterable of tuple, optional
        The same content as data, kept as ``.paths``: per path its text, summary line and steps.

    Examples
    --------
    >>> import sle_graph
    >>> text = sle_graph.load().paths("msc", "immunomodulation")[0].explain()
    >>> isinstance(text, str), "<table" in text._repr_html_()
    (True, True)
    """

    paths: tuple[Explained, ...]

    def __new__(cls, text: str, paths: "Iterable[Explained]" = ()) -> "Explanation":
        made = super().__new__(cls, text)
        made.paths = tuple(paths)
        return made

    def _repr_html_(self) -> str:
        return _explanation_html(self.paths) if self.paths else f"<pre>{html.escape(str(self))}</pre>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def _nowrap_links(claim: str) -> str:
    """The claim escaped, each link (``-[leads to]->``) kept on one line: a browser would break
    it at its hyphens."""
    parts = re.split(r"(<?-\[[^\]]*\]->?)", claim)
    return "".join(f"<span style='white-space:nowrap'>{html.escape(p)}</span>" if i % 2 else html.escape(p)
                   for i, p in enumerate(parts))


def _explanation_html(paths: "Sequence[Explained]") -> str:
    """Each path as a heading and a table of its steps; every text escaped."""
    parts = []
    for title, summary, steps in paths:
        rows = "".join(
            f"<tr><td style='text-align:right;vertical-align:top'>{i}</td>"
            f"<td style='vertical-align:top;text-align:left'>{_nowrap_links(claim)}</td>"
            f"<td style='vertical-align:top;text-align:left;white-space:nowrap'>{html.escape(status)}</td>"
            f"<td style='vertical-align:top;text-align:left'><ul style='margin:0;padding-left:1.2em'>"
            + "".join(f"<li>{html.escape(text)}</li>" for text in evidence) + "</ul></td></tr>"
            for i, (claim, status, evidence) in enumerate(steps, 1))
        parts.append(f"<p><b>{html.escape(title)}</b><br>{html.escape(summary)}</p>"
                     "<table class='sle-graph-explain' style='border-collapse:collapse'><thead><tr>"
                     "<th></th><th style='text-align:left'>step</th><th style='text-align:left'>status</th>"
                     f"<th style='text-align:left'>evidence</th></tr></thead><tbody>{rows}</tbody></table>")
    return f"<div class='sle-graph-explanation'>{''.join(parts)}</div>"


def _evidence_text(ev: Any) -> str:
    if ev.kind == "quote":
        modality = f" ({ev.modality})" if ev.modality else ""
        return f'quote{modality}, {ev.source} [{ev.start}:{ev.end}]: "{ev.quote}"'
    if ev.kind == "study":
        parts = [f"study {ev.source}: {ev.stance}"]
        if ev.measure:
            parts.append(f"measure: {ev.measure}")
        if ev.finding:
            parts.append(f"finding: {ev.finding}")
        return "; ".join(parts)
    return f"reference ({ev.source or 'user'}): {ev.reference}"


class PathList(list):
    """A list of :class:`Path`, as :meth:`KnowledgeGraph.paths` and ``match`` return, shown in notebooks.

    A real ``list``; adds :meth:`explain`, :meth:`to_frame` (pandas), a readable ``str`` and an
    inline diagram in notebooks. A slice is a ``PathList`` too.

    Parameters
    ----------
    iterable : iterable of Path, optional
        The paths, in order.

    Examples
    --------
    >>> import sle_graph
    >>> found = sle_graph.load().paths("HSCT", "reduced disease activity", limit=2)
    >>> isinstance(found, list), len(found)
    (True, 2)
    >>> print(found)
    1. hematopoietic stem cell transplantation -[has outcome]-> reduced disease activity
    2. hematopoietic stem cell transplantation -[acts through]-> immune reset -[leads to]-> reduced disease activity
    """

    @overload
    def __getitem__(self, index: SupportsIndex) -> Path: ...

    @overload
    def __getitem__(self, index: slice) -> "PathList": ...

    def __getitem__(self, index):  # type: ignore[override]
        found = super().__getitem__(index)
        return PathList(found) if isinstance(index, slice) else found

    def __str__(self) -> str:
        if not self:
            return "no paths"
        return "\n".join(f"{i}. {p}" for i, p in enumerate(self, 1))

    def explain(self) -> "Explanation":
        """Every path explained (see :meth:`Path.explain`), numbered, separated by blank lines.

        Returns
        -------
        Explanation
            A ``str`` (``"no paths"`` for an empty list); a table per path in a notebook.

        Examples
        --------
        >>> import sle_graph
        >>> text = sle_graph.load().paths("HSCT", "reduced disease activity", limit=2).explain()
        >>> [line.split()[0] for line in text.splitlines() if line.startswith("#")]
        ['#1', '#2']
        """
        explained = [p.explain() for p in self]
        text = "\n\n".join(f"#{i} {e}" for i, e in enumerate(explained, 1)) or "no paths"
        return Explanation(text, [(f"#{i} {title}", summary, steps) for i, e in enumerate(explained, 1)
                                  for title, summary, steps in e.paths])

    def to_frame(self) -> "pandas.DataFrame":
        """One row per path, in order: a pandas DataFrame (see :func:`sle_graph.to_frame`).

        Returns
        -------
        pandas.DataFrame
            The columns :data:`sle_graph.io.dataframes.PATH_COLUMNS`.

        Raises
        ------
        ImportError
            When pandas is not installed (naming how to install it).

        Examples
        --------
        >>> import sle_graph
        >>> found = sle_graph.load().paths("HSCT", "reduced disease activity", limit=2)
        >>> list(found.to_frame()["hops"]) == [len(p) for p in found]
        True
        """
        from ..io.dataframes import to_frame  # when called, as _svg does

        return to_frame(self)

    def _repr_svg_(self) -> str | None:
        return _svg(self) if self else None

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


# -- argument checks shared with sle_graph.query.patterns ---------------------------------------------

def check_hops(max_hops: object, name: str = "max_hops") -> int:
    """``max_hops`` as an int in 1..MAX_HOPS, or a ValueError saying why not."""
    if isinstance(max_hops, bool) or not isinstance(max_hops, int):
        raise TypeError(f"{name} must be an int, not {type(max_hops).__name__}")
    if max_hops < 1:
        raise InvalidArgument(f"{name} must be at least 1, got {max_hops}")
    if max_hops > MAX_HOPS:
        raise InvalidArgument(f"{name}={max_hops} is refused: at most {MAX_HOPS} hops are searched, because the "
                              "number of paths grows exponentially with length; use a smaller max_hops")
    return max_hops


def check_limit(limit: object) -> int | None:
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise TypeError(f"limit must be an int or None, not {type(limit).__name__}")
    if limit < 0:
        raise InvalidArgument(f"limit must be at least 0, got {limit}")
    return limit


def kind_sets(schema: "Schema", kinds: "str | Iterable[str] | None", name: str) -> list[frozenset[str]]:
    """Each kind (str or list) expanded to itself and its sub-kinds; unknown -> ValueError."""
    if kinds is None:
        return []
    names = [kinds] if isinstance(kinds, str) else list(kinds)
    out = []
    for k in names:
        if k not in schema.kinds:
            raise UnknownKind(k, schema.kinds, f"in {name}")
        out.append(schema.descendants(k))
    return out


def predicate_set(schema: "Schema", predicates: "str | Iterable[str] | None") -> frozenset[str] | None:
    """The allowed predicates (None: all); unknown -> ValueError with a suggestion."""
    if predicates is None:
        return None
    names = [predicates] if isinstance(predicates, str) else list(predicates)
    if not names:
        raise InvalidArgument("predicates is empty: give at least one predicate, or None for all")
    for p in names:
        if p not in schema.predicates:
            raise UnknownPredicate(p, schema.predicates)
    return frozenset(names)


# -- search -------------------------------------------------------------------------------------

#: A half-path: (node ids, edges, walked against their direction?, predicates, weakest strength).
_Half = tuple


class _Side:
    """The simple half-paths grown from one end of the search: ``layers[k]`` holds those of
    exactly ``k`` steps, each ``(node ids, edges, walked against their direction?, predicates,
    weakest edge strength)``. Steps follow the edge lists ``as_asserted`` of each node (and, with
    ``direction="any"``, ``against``). A half never continues past ``stop`` (the other end), which
    may only come last on a path."""

    def __init__(self, start: str, stop: str, as_asserted: Mapping[str, Sequence[Edge]], against: Mapping[str, Sequence[Edge]],
                 allowed: frozenset[str] | None, direction: str, strength: dict):
        self.layers: list[list[_Half]] = [[((start,), (), (), (), _STRONGEST)]]
        self.stop, self.allowed, self.strength = stop, allowed, strength
        # Each list's bound ``get``: looked up once, not per node.
        self.lists = (((as_asserted.get, False), (against.get, True)) if direction == "any"
                      else ((as_asserted.get, False),))

    def cost(self) -> int:
        """Edges to look at to grow one more layer."""
        empty: tuple = ()
        return sum(len(edges_of(half[0][-1], empty)) for half in self.layers[-1] for edges_of, _ in self.lists)

    def grow(self, keep: "set[str] | None" = None, check: "Callable[[int], None] | None" = None) -> bool:
        """Add a layer (ending only at nodes in ``keep`` when given); False when it is empty.

        The edges of a node are scanned once for all the half-paths ending there; ``check``, when
        given, is called with the size of the new layer so far before each node's half-paths grow."""
        nxt: list[_Half] = []
        add, stop, allowed, strength, empty = nxt.append, self.stop, self.allowed, self.strength, ()
        ending: dict[str, list[_Half]] = {}
        for half in self.layers[-1]:
            ending.setdefault(half[0][-1], []).append(half)
        for v, halves in ending.items():
            if v == stop:
                continue
            if check is not None:
                check(len(nxt))
            steps = []
            for edges_of, back in self.lists:
                for e in edges_of(v, empty):
                    u = e.object if e.subject == v else e.subject
                    if u == v or (keep is not None and u not in keep) or (
                            allowed is not None and e.predicate not in allowed):
                        continue
                    s = strength.get(id(e))
                    if s is None:
                        s = strength[id(e)] = edge_strength(e)
                    steps.append((u, (u,), (e,), (back,), (e.predicate,), s))
            # many halves through a hub: check as they grow too, not only before
            each = check if check is not None and len(halves) * len(steps) > 65_536 else None
            for nodes, edges, backs, preds, weakest in halves:
                if each is not None:
                    each(len(nxt))
                for u, tu, te, tb, tp, s in steps:
                    if u not in nodes:
                        add((nodes + tu, edges + te, backs + tb, preds + tp, s if s < weakest else weakest))
        self.layers.append(nxt)
        return bool(nxt)

    def last_ends(self) -> set[str]:
        """The nodes where the longest half-paths end."""
        return {half[0][-1] for half in self.layers[-1]}

    def tails(self) -> dict[str, list[tuple]]:
        """The longest half-paths by end node, reversed to read towards the start and without
        that end node: (nodes, edges, backs, predicates, weakest, set of the nodes)."""
        index: dict[str, list[tuple]] = {}
        for nodes, edges, backs, preds, weakest in self.layers[-1]:
            index.setdefault(nodes[-1], []).append(
                (nodes[-2::-1], edges[::-1], backs[::-1], preds[::-1], weakest, frozenset(nodes[:-1])))
        return index


@gc_paused()
def find_paths(kg: "KnowledgeGraph", source: "str | Node", target: "str | Node", *, max_hops: int = 4,
               via: "str | Sequence[str] | None" = None, predicates: "str | Sequence[str] | None" = None,
               direction: str = "forward", limit: int | None = None, timeout: float | None = QUERY_TIMEOUT,
               max_results: int | None = QUERY_MAX_RESULTS) -> PathList:
    """Simple paths from ``source`` to ``target`` of at most ``max_hops`` edges, ranked.

    What :meth:`KnowledgeGraph.paths` calls; :mod:`sle_graph.query.paths` describes the ranking.
    A node has no path to itself. ``timeout`` (seconds) and ``max_results`` are the search's
    budgets (see the module docstring); past one, :class:`~sle_graph.errors.QueryBudgetExceeded`
    says how many paths were found so far.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    source : str or Node
        Any reference :meth:`KnowledgeGraph.node` takes.
    target : str or Node
        Likewise.
    max_hops : int, default 4
        The longest path, in edges.
    via : str or sequence of str, optional
        Kinds: every path passes through an intermediate node of each (sub-kinds count, in any
        order).
    predicates : str or sequence of str, optional
        Only edges with these predicates are walked.
    direction : {"forward", "any"}, default "forward"
        ``"forward"`` follows edges as asserted, ``"any"`` also walks them backwards.
    limit : int, optional
        The top ``limit`` paths after ranking.
    timeout : float or None, default :data:`sle_graph.limits.QUERY_TIMEOUT`
        Seconds the search may take; ``None`` lifts the budget.
    max_results : int or None, default :data:`sle_graph.limits.QUERY_MAX_RESULTS`
        The most paths the search may find (and half-paths it may grow from each end); ``None``
        lifts the budget.

    Returns
    -------
    PathList
        The paths, best first; empty when there is none.

    Raises
    ------
    NodeNotFound
        For an unknown source or target, naming the closest matches.
    UnknownKind
        For an unknown kind in ``via``.
    UnknownPredicate
        For an unknown predicate.
    InvalidArgument
        For a ``max_hops``, ``direction`` or ``limit`` out of range.

    Examples
    --------
    >>> import sle_graph
    >>> kg = sle_graph.load()
    >>> found = kg.paths("hsct", "reduced disease activity", max_hops=2)
    >>> print(found[0])
    hematopoietic stem cell transplantation -[has outcome]-> reduced disease activity
    >>> [len(p) for p in found] == sorted(len(p) for p in found) and len(found[-1]) <= 2
    True
    >>> kg.paths("reduced disease activity", "hsct")
    []
    """
    max_hops = check_hops(max_hops)
    limit = check_limit(limit)
    hint = "; or narrow the search (a smaller max_hops, predicates=, direction='forward')"
    # With `limit`, only the best `limit` paths are held: the result budget matters when more could be.
    held_budget = max_results if limit is None or max_results is None or limit > max_results else None
    budget = Budget("kg.paths", "paths", timeout=timeout, max_results=held_budget, hint=hint)
    if direction not in DIRECTIONS:
        raise InvalidArgument(f"direction must be one of {', '.join(map(repr, DIRECTIONS))}, not {direction!r}")
    allowed = predicate_set(kg.schema, predicates)
    must_pass = kind_sets(kg.schema, via, "via")
    s, t = kg.node(source).id, kg.node(target).id
    if s == t or limit == 0:
        return PathList()

    # away from the source along out-edges; back from the target along in-edges
    strength: dict[int, tuple[int, int, int]] = {}
    from_source = _Side(s, t, kg.out_adjacency, kg.in_adjacency, allowed, direction, strength)
    to_target = _Side(t, s, kg.in_adjacency, kg.out_adjacency, allowed, direction, strength)
    nodes_by_id = kg.node_map
    found: list[tuple] = []
    # Kept while the paths of one length are joined: past it, only the best `limit` are kept.
    trim_at = None if limit is None else 2 * limit + 1024

    def check_halves(new: int) -> None:
        held = new + sum(map(len, from_source.layers)) + sum(map(len, to_target.layers))
        if max_results is not None and held > max_results:
            raise QueryBudgetExceeded(
                f"kg.paths stopped: its search would hold more than max_results={max_results} half-paths "
                f"(partial paths grown from either end), {len(found):,} paths found so far; pass a larger "
                f"max_results (None: no limit){hint}", budget="max_results", limit=max_results, found=len(found))
        budget.check_time(len(found))

    for length in range(1, max_hops + 1):
        # Grow the cheaper side by one layer; the last layer keeps only half-paths that can join.
        side, other = ((from_source, to_target) if from_source.cost() <= to_target.cost()
                       else (to_target, from_source))
        if not side.grow(other.last_ends() if length == max_hops else None, check_halves):
            break  # no simple path from that end is this long, so no longer path exists
        # Each path of this length is assembled once: its first len(from_source.layers) - 1 steps
        # from the source side, the rest from the target side, meeting at one node.
        # A found path is kept in parts: (length, -rank, -firmness, -sources, node ids from the source side,
        # from the target side, predicates ditto, directions ditto, edges ditto). All paths of one
        # length split at the same place, so comparing the parts ranks exactly as comparing the
        # whole sequences; they are joined only for the paths returned.
        index = to_target.tails()
        for fnodes, fedges, fbacks, fpreds, fweak in from_source.layers[-1]:
            budget.check(len(found))
            if trim_at is not None and len(found) > trim_at:
                found.sort()
                del found[limit:]
            for bnodes, bedges, bbacks, bpreds, bweak, bset in index.get(fnodes[-1], ()):
                if not bset.isdisjoint(fnodes):
                    continue
                if must_pass and not all(any(nodes_by_id[n].kind in ks for n in (fnodes + bnodes)[1:-1])
                                         for ks in must_pass):
                    continue
                rank, firm, sources = fweak if fweak < bweak else bweak
                found.append((length, -rank, -firm, -sources, fnodes, bnodes, fpreds, bpreds, fbacks, bbacks,
                              fedges, bedges))
        budget.check(len(found))
        if limit is not None and len(found) >= limit:
            break  # hop count ranks first: no longer path can enter the top `limit`
    found.sort()  # nodes, predicates and directions decide: the edges are never compared
    if limit is not None:
        del found[limit:]
    make, node_at, schema = Path.from_parts, nodes_by_id.__getitem__, kg.schema
    return PathList([make(tuple(map(node_at, fn + bn)), fe + be, fb + bb, schema)
                     for _, _, _, _, fn, bn, _, _, fb, bb, fe, be in found])


def neighbors(kg: "KnowledgeGraph", ref: "str | Node", hops: int = 1,
              kinds: "str | Sequence[str] | None" = None) -> "KnowledgeGraph":
    """The induced sub-graph on the nodes within ``hops`` edges of ``ref``, in either direction.

    What :meth:`KnowledgeGraph.neighbors` calls. The sub-graph also holds the source documents its
    edges cite (see :meth:`KnowledgeGraph.subgraph`).

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    ref : str or Node
        The centre; always kept.
    hops : int, default 1
        How many edges away a node may be.
    kinds : str or sequence of str, optional
        Keep only nodes of these kinds (sub-kinds count); the walk passes only through kept nodes,
        so every node of the result is linked to ``ref`` within it.

    Returns
    -------
    KnowledgeGraph
        The neighbourhood.

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
    >>> {n.kind for n in sub.nodes()} <= {"StemCell", "Mechanism", "SourceDocument", "Study"}
    True
    """
    if isinstance(hops, bool) or not isinstance(hops, int) or hops < 0:
        raise InvalidArgument(f"hops must be an int >= 0, got {hops!r}")
    start = kg.node(ref).id
    keep = frozenset().union(*kind_sets(kg.schema, kinds, "kinds")) if kinds is not None else None
    seen = {start}
    frontier = [start]
    out, inc, nodes = kg.out_adjacency, kg.in_adjacency, kg.node_map
    for _ in range(hops):
        nxt = []
        for v in frontier:
            ends = [e.object for e in out.get(v, ())] + [e.subject for e in inc.get(v, ())]
            for u in ends:
                if u not in seen and (keep is None or nodes[u].kind in keep):
                    seen.add(u)
                    nxt.append(u)
        if not nxt:
            break
        frontier = nxt
    return kg.subgraph(sorted(seen))
