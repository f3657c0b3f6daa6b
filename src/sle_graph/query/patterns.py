"""Metapath patterns: ``"Cell -> Mechanism -> Outcome"`` as text, matched and counted.

Syntax
------
A pattern alternates node specs and links, left to right::

    Therapy -[uses]-> Cell -[acts_through]-> Mechanism
    'mesenchymal stem cell' -> Mechanism -[leads_to|ameliorates]-> *

Node specs: a kind (``Cell``; its sub-kinds match too, so ``Cell`` matches stem cells), ``*``
(any node), or a fixed node in single or double quotes, by any reference
:meth:`KnowledgeGraph.node` accepts (id, label, synonym, CURIE). Links: ``->`` (any predicate,
as asserted), ``-[p]->`` or ``-[p|q]->`` (these predicates), ``<-`` and ``<-[p]-`` (an edge
asserted from right to left), ``-`` and ``-[p]-`` (either direction). Predicates and kinds are
the schema's names: ours (``acts_through``) or, in a schema with imported ones, their prefixed
names (``ExternalEntity -[hetionet:treats]-> Disease``, ``-[biolink:interacts_with]-``). A malformed
pattern raises :class:`PatternError`, pointing at the column.

Semantics: simple paths, in both ``match`` and ``count``
---------------------------------------------------------
A match is a simple path (no node twice) whose i-th node fits the i-th spec and whose i-th edge
fits the i-th link; two matches differ when they differ in a node or an edge (two predicates
between the same nodes are two matches). ``count(pattern) == len(match(pattern))`` always.

``count`` does not build paths. When no node can fit two positions of the pattern (true for
typed metapaths that do not repeat a kind, like ``Therapy -> Cell -> Mechanism``), simple paths
and walks coincide, and the count is a chain of sparse matrix-vector products over per-predicate
adjacency (``scipy.sparse``), cached per graph. When a kind repeats (``Mechanism -> Mechanism ->
Mechanism``, or ``Cell`` and ``StemCell`` two or more positions apart), a walk could revisit a
node, which a simple path may not: ``count`` then multiplies vectors for the positions before
the first and after the last position that could repeat a node, and walks only the stretch in
between node by node (integer arrays, never :class:`~sle_graph.query.paths.Path` objects), skipping
walks that repeat a node. So ``Mechanism -[leads_to]-> Mechanism -[leads_to]-> Mechanism``
counts chains of three different mechanisms, exactly the chains ``match`` lists. Adjacent
positions never share a node (an edge from a node to itself is never on a simple path).

``match`` returns matches ranked as :mod:`sle_graph.query.paths` documents (all have the same hop
count, so: weakest-edge strength, then node ids, predicates and directions).

Budgets
-------
``match`` and ``count`` stop with :class:`~sle_graph.errors.QueryBudgetExceeded` after
``timeout`` seconds (default :data:`sle_graph.limits.QUERY_TIMEOUT`), and ``match`` when more than
``max_results`` matches would be kept (default :data:`sle_graph.limits.QUERY_MAX_RESULTS`; with
``limit``, only the top ``limit`` are kept, so the result budget matters only for a ``limit``
above it). ``count`` has a result budget only when given one: it builds no paths. The error says
how many were found so far; ``None`` lifts a budget. A pattern's text is at most
:data:`sle_graph.limits.MAX_PATTERN_CHARS` characters (:class:`~sle_graph.errors.LimitExceeded`).

Example
-------
>>> import sle_graph
>>> kg = sle_graph.load()
>>> found = kg.match("'mesenchymal stem cell' -[acts_through]-> Mechanism -[leads_to]-> Outcome")
>>> "mesenchymal stem cell -[acts through]-> immunomodulation -[leads to]-> reduced disease activity" in map(str, found)
True
>>> kg.count("'MSC' -[acts_through]-> Mechanism -[leads_to]-> Outcome") == len(found)
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator

from .. import limits
from ..errors import (LimitExceeded, NodeNotFound, PatternError, PatternKindError, PatternPredicateError,
                      suggest)
from ..gc_pause import gc_paused
from ..limits import QUERY_MAX_RESULTS, QUERY_TIMEOUT, Budget
from ..ontology import schema as default_schema
from .paths import MAX_HOPS, Path, PathList, check_limit, edge_strength

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from ..graph import KnowledgeGraph
    from ..ontology import Schema

__all__ = ["PatternError", "Pattern", "NodeSpec", "LinkSpec", "parse_pattern", "match", "count",
           "node_order", "edge_arrays", "kind_mask", "position_masks", "csr_slots", "simple_walks"]


# -- the pattern as data ------------------------------------------------------------------------

@dataclass(frozen=True)
class NodeSpec:
    """One node position: a kind (sub-kinds match), ``None`` for any node, or a fixed node ``ref``."""

    kind: str | None = None
    ref: str | None = None
    column: int = field(default=0, compare=False)

    def __str__(self) -> str:
        if self.ref is not None:
            quote = '"' if "'" in self.ref else "'"
            return f"{quote}{self.ref}{quote}"
        return self.kind or "*"


#: Link directions: as asserted, asserted right to left, either.
LINK_DIRECTIONS = ("forward", "reverse", "any")


@dataclass(frozen=True)
class LinkSpec:
    """One link: the allowed predicates (empty: any) and a direction from :data:`LINK_DIRECTIONS`."""

    predicates: tuple[str, ...] = ()
    direction: str = "forward"
    column: int = field(default=0, compare=False)

    def __str__(self) -> str:
        inner = f"[{'|'.join(self.predicates)}]" if self.predicates else ""
        if self.direction == "forward":
            return f"-{inner}->" if inner else "->"
        if self.direction == "reverse":
            return f"<-{inner}-" if inner else "<-"
        return f"-{inner}-" if inner else "-"


@dataclass(frozen=True)
class Pattern:
    """A parsed pattern: ``len(links) + 1`` node specs. ``str()`` gives its canonical text.

    Made by :func:`parse_pattern`.

    Parameters
    ----------
    nodes : tuple of NodeSpec
        Each position: a kind (with its sub-kinds), ``*``, or a quoted node.
    links : tuple of LinkSpec
        Between each two positions: the predicates allowed and the direction.

    Examples
    --------
    >>> from sle_graph.query.patterns import parse_pattern
    >>> str(parse_pattern("Therapy -[uses]-> Cell <- 'msc'"))
    "Therapy -[uses]-> Cell <- 'msc'"
    """

    nodes: tuple[NodeSpec, ...]
    links: tuple[LinkSpec, ...]

    def __str__(self) -> str:
        parts = [str(self.nodes[0])]
        for link, node in zip(self.links, self.nodes[1:]):
            parts += [str(link), str(node)]
        return " ".join(parts)

    def __len__(self) -> int:
        return len(self.links)


# A name, or a prefixed name (the CURIE an imported predicate or kind keeps): ``-``, ``>``,
# ``|`` and ``]`` stay outside it, so they still end a name where the syntax needs them.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z0-9_][A-Za-z0-9_.]*(?<!\.))?")
_NODE_EXPECTED = "expected a kind (e.g. Cell), '*' or a quoted node"
_LINK_EXPECTED = "expected a link: '->', '-[predicate]->', '<-', '<-[predicate]-' or '-'"


class _Parser:
    def __init__(self, text: str, schema: "Schema"):
        self.text, self.schema, self.i = text, schema, 0

    def fail(self, reason: str, at: int | None = None, error: type[PatternError] = PatternError,
             name: str | None = None) -> PatternError:
        return error(reason, self.text, (self.i if at is None else at) + 1, name)

    def skip_space(self) -> None:
        while self.i < len(self.text) and self.text[self.i].isspace():
            self.i += 1

    def parse(self) -> Pattern:
        nodes, links = [self.node()], []
        while True:
            self.skip_space()
            if self.i >= len(self.text):
                break
            links.append(self.link())
            nodes.append(self.node())
        if not links:
            raise self.fail(f"{_LINK_EXPECTED} after the first node; a pattern has at least one link")
        if len(links) > MAX_HOPS:
            raise self.fail(f"expected at most {MAX_HOPS} links, found {len(links)}", links[MAX_HOPS].column - 1)
        return Pattern(tuple(nodes), tuple(links))

    def node(self) -> NodeSpec:
        self.skip_space()
        start, text = self.i, self.text
        if start >= len(text):
            raise self.fail(_NODE_EXPECTED + ", found the end of the pattern")
        c = text[start]
        if c in "'\"":
            end = text.find(c, start + 1)
            if end < 0:
                raise self.fail(f"unterminated quote: expected a closing {c} for the quote opened here")
            ref = text[start + 1:end].strip()
            if not ref:
                raise self.fail("expected a node name between the quotes", start + 1)
            self.i = end + 1
            return NodeSpec(ref=ref, column=start + 1)
        if c == "*":
            self.i += 1
            return NodeSpec(column=start + 1)
        m = _NAME.match(text, start)
        if not m:
            raise self.fail(_NODE_EXPECTED)
        kind = m.group()
        if kind not in self.schema.kinds:
            hint = suggest(kind, self.schema.kinds) or (
                f"kinds: {', '.join(self.schema.kinds)}; to name a node, quote it: '{kind}'")
            raise self.fail(f"unknown kind {kind!r}; {hint}", error=PatternKindError, name=kind)
        self.i = m.end()
        return NodeSpec(kind=kind, column=start + 1)

    def predicates(self) -> tuple[str, ...]:
        # at '['
        self.i += 1
        names: list[str] = []
        while True:
            self.skip_space()
            m = _NAME.match(self.text, self.i)
            if not m:
                raise self.fail("expected a predicate name (e.g. acts_through)")
            name = m.group()
            if name not in self.schema.predicates:
                hint = suggest(name, self.schema.predicates) or "predicates: " + ", ".join(self.schema.predicates)
                raise self.fail(f"unknown predicate {name!r}; {hint}", error=PatternPredicateError, name=name)
            names.append(name)
            self.i = m.end()
            self.skip_space()
            if self.text.startswith("|", self.i):
                self.i += 1
                continue
            if self.text.startswith("]", self.i):
                self.i += 1
                return tuple(sorted(set(names)))
            raise self.fail("expected ']' to close the predicate list, or '|' and another predicate")

    def link(self) -> LinkSpec:
        text, start = self.text, self.i
        if text.startswith("<-", start):
            self.i += 2
            if not text.startswith("[", self.i):
                return LinkSpec((), "reverse", start + 1)
            preds = self.predicates()
            if not text.startswith("-", self.i):
                raise self.fail("expected '-' after ']' (a link against the edge direction is written '<-[p]-')")
            self.i += 1
            if text.startswith(">", self.i):
                raise self.fail("a link cannot point both ways: write '-[p]-' for either direction")
            return LinkSpec(preds, "reverse", start + 1)
        if text.startswith("-", start):
            self.i += 1
            preds: tuple[str, ...] = ()
            if text.startswith("[", self.i):
                preds = self.predicates()
                if not text.startswith("-", self.i):
                    raise self.fail("expected '->' or '-' after ']'")
                self.i += 1
            if text.startswith(">", self.i):
                self.i += 1
                return LinkSpec(preds, "forward", start + 1)
            return LinkSpec(preds, "any", start + 1)
        raise self.fail(_LINK_EXPECTED)


def parse_pattern(text: str, schema: "Schema | None" = None) -> Pattern:
    """Parse pattern text against a schema.

    Fixed nodes (quoted) are resolved later, against a graph.

    Parameters
    ----------
    text : str
        A metapath pattern, such as ``"Therapy -[uses]-> Cell -[acts_through]-> Mechanism"``.
    schema : Schema, optional
        The schema whose kinds and predicates the pattern may name; the shipped ontology by
        default.

    Returns
    -------
    Pattern
        Its ``nodes`` (kinds or quoted nodes) and ``links`` (predicates and directions).

    Raises
    ------
    PatternError
        On malformed text, an unknown kind (:class:`PatternKindError`) or an unknown predicate
        (:class:`PatternPredicateError`), with a caret under the place.

    Examples
    --------
    >>> from sle_graph.query.patterns import parse_pattern
    >>> p = parse_pattern("Therapy -[uses]-> Cell -[acts_through]-> Mechanism")
    >>> [n.kind for n in p.nodes], [link.predicates for link in p.links]
    (['Therapy', 'Cell', 'Mechanism'], [('uses',), ('acts_through',)])

    The prefixed names of a schema's imported predicates (and kinds) are names too:

    >>> from sle_graph.ontology import external_predicate, schema
    >>> hetionet = schema().extended(predicates=[external_predicate("hetionet:treats")])
    >>> parse_pattern("ExternalEntity -[hetionet:treats]-> Disease", hetionet).links[0].predicates
    ('hetionet:treats',)
    """
    if not isinstance(text, str):
        raise TypeError(f"a pattern is a string, not {type(text).__name__}")
    too_long = limits.check_text(text, "MAX_PATTERN_CHARS", "a pattern")
    if too_long:
        raise LimitExceeded(too_long, name="MAX_PATTERN_CHARS", limit=limits.MAX_PATTERN_CHARS, size=len(text))
    if schema is None:
        schema = default_schema()
    return _Parser(text, schema).parse()


# -- the integer index of a graph (built once, cached on the graph) -----------------------------

class _Hop:
    """The edges a link may walk, as arrays sorted by the node they leave (a CSR layout)."""

    def __init__(self, index: "_Index", predicates: tuple[str, ...], direction: str):
        import numpy as np

        keep = index.not_loop
        if predicates:
            codes = [index.pred_code[p] for p in predicates]
            keep = keep & np.isin(index.pred, codes)
        eid = np.flatnonzero(keep)
        s, d = index.src[eid], index.dst[eid]
        if direction == "forward":
            frm, to, flip = s, d, np.zeros(len(eid), np.int8)
        elif direction == "reverse":
            frm, to, flip = d, s, np.ones(len(eid), np.int8)
        else:
            frm, to = np.concatenate((s, d)), np.concatenate((d, s))
            flip = np.concatenate((np.zeros(len(eid), np.int8), np.ones(len(eid), np.int8)))
            eid = np.concatenate((eid, eid))
        order = np.argsort(frm, kind="stable")
        self.to, self.eid, self.flip = to[order], eid[order], flip[order]
        self.indptr = np.zeros(index.n + 1, np.int64)
        np.cumsum(np.bincount(frm, minlength=index.n), out=self.indptr[1:])
        self._matrix = None
        self.n = index.n

    @property
    def matrix(self):
        """Sparse ``n x n`` matrix: entry (u, v) = the number of these edges from u to v."""
        if self._matrix is None:
            import numpy as np
            from scipy.sparse import csr_matrix

            self._matrix = csr_matrix((np.ones(len(self.to)), self.to, self.indptr), shape=(self.n, self.n))
        return self._matrix


class _Index:
    """Nodes numbered in id order, edges as integer arrays; hops and kind masks cached."""

    def __init__(self, kg: "KnowledgeGraph"):
        import numpy as np

        self.ids = list(kg.node_map)
        self.node_objects = list(kg.node_map.values())
        self.n = n = len(self.ids)
        pos = {node_id: i for i, node_id in enumerate(self.ids)}
        self.pos = pos
        self.kind_code = {k: i for i, k in enumerate(sorted(kg.schema.kinds))}
        self.node_kind = np.fromiter((self.kind_code[x.kind] for x in self.node_objects), np.int32, n)
        self.pred_code = {p: i for i, p in enumerate(sorted(kg.schema.predicates))}
        self.edges = list(kg.edge_map.values())
        m = len(self.edges)
        triples = np.fromiter((v for e in self.edges for v in (pos[e.subject], pos[e.object],
                                                              self.pred_code[e.predicate])), np.int64, 3 * m)
        triples = triples.reshape(m, 3) if m else np.zeros((0, 3), np.int64)
        self.src, self.dst, self.pred = triples[:, 0].copy(), triples[:, 1].copy(), triples[:, 2].copy()
        self.not_loop = self.src != self.dst
        self._hops: dict[tuple, _Hop] = {}
        self._masks: dict[str, Any] = {}
        self._score = None

    def hop(self, link: LinkSpec) -> _Hop:
        key = (link.predicates, link.direction)
        if key not in self._hops:
            self._hops[key] = _Hop(self, link.predicates, link.direction)
        return self._hops[key]

    def kind_mask(self, kind: str | None, schema: "Schema"):
        import numpy as np

        key = kind or "*"
        if key not in self._masks:
            if kind is None:
                self._masks[key] = np.ones(self.n, bool)
            else:
                codes = [self.kind_code[k] for k in schema.descendants(kind) if k in self.kind_code]
                self._masks[key] = np.isin(self.node_kind, codes)
        return self._masks[key]

    @property
    def score(self):
        """Per edge: its :func:`~sle_graph.query.paths.edge_strength` as one comparable integer."""
        if self._score is None:
            import numpy as np

            cap = 2 ** 20 - 1  # sources beyond it tie; status and firmness take the bits above
            self._score = np.fromiter(((r * 256 + f) * (cap + 1) + min(s, cap)
                                       for r, f, s in map(edge_strength, self.edges)),
                                      np.int64, len(self.edges))
        return self._score


def _index(kg: "KnowledgeGraph") -> _Index:
    """The graph's integer index, built on first use. Graphs are immutable, so it never goes stale."""
    return kg.cache(__name__, _Index)


def node_order(kg: "KnowledgeGraph") -> list[str]:
    """Node ids in the order the pattern index numbers them (masks below are over this order).

    >>> import sle_graph
    >>> kg = sle_graph.load()
    >>> sorted(node_order(kg)) == sorted(kg.node_map)
    True
    """
    return _index(kg).ids


def edge_arrays(kg: "KnowledgeGraph") -> tuple[Any, Any, Any, dict[str, int]]:
    """Every edge as integer arrays ``(subject, object, predicate code)`` (positions in
    :func:`node_order`), and the predicate codes; built once per graph. Do not modify them."""
    index = _index(kg)
    return index.src, index.dst, index.pred, index.pred_code


def kind_mask(kg: "KnowledgeGraph", kind: str | None) -> "np.ndarray":
    """Boolean mask over :func:`node_order` of the nodes of ``kind`` or a sub-kind (``None``: all)."""
    return _index(kg).kind_mask(kind, kg.schema)


def position_masks(kg: "KnowledgeGraph", pattern: Pattern) -> list["np.ndarray"]:
    """For each node position of ``pattern``, a boolean mask over :func:`node_order` of the nodes
    that fit it (a kind and its sub-kinds, any node, or the quoted node).

    Raises :class:`~sle_graph.errors.NodeNotFound` for a quoted node the graph lacks, naming the column.
    """
    import numpy as np

    index = _index(kg)
    masks = []
    for spec in pattern.nodes:
        if spec.ref is not None:
            try:
                node = kg.node(spec.ref)
            except NodeNotFound as exc:
                raise NodeNotFound(f"{exc} (pattern column {spec.column})") from None
            mask = np.zeros(index.n, bool)
            mask[index.pos[node.id]] = True
        else:
            mask = index.kind_mask(spec.kind, kg.schema)
        masks.append(mask)
    return masks


def csr_slots(lo: "np.ndarray", counts: "np.ndarray") -> tuple["np.ndarray", "np.ndarray"]:
    """For CSR rows starting at ``lo`` with ``counts`` entries each: every entry's row number
    (0, 1, ... in the order given) and its slot in the CSR arrays, row after row.

    >>> import numpy as np
    >>> [a.tolist() for a in csr_slots(np.array([4, 0]), np.array([2, 1]))]
    [[0, 0, 1], [4, 5, 0]]
    """
    import numpy as np

    total = int(counts.sum())
    parent = np.repeat(np.arange(len(counts)), counts)
    return parent, np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(total)


# -- planning: masks, hops, which positions could share a node ----------------------------------

_EXACT = 2.0 ** 53  # float64 counts are exact below this


class _Plan:
    def __init__(self, kg: "KnowledgeGraph", pattern: "str | Pattern"):
        import numpy as np

        pat = pattern if isinstance(pattern, Pattern) else parse_pattern(pattern, kg.schema)
        self.kg, self.pattern = kg, pat
        self.index = index = _index(kg)
        self.masks = position_masks(kg, pat)
        self.hops = [index.hop(link) for link in pat.links]
        k = len(self.hops)
        #: (i, j): positions two or more apart that some node could fill both
        self.pairs = [(i, j) for i in range(k + 1) for j in range(i + 2, k + 1)
                      if np.any(self.masks[i] & self.masks[j])]
        # Walk counts from each position to the end (float64, exact while below 2**53).
        suffix = [self.masks[k].astype(float)]
        for i in range(k - 1, -1, -1):
            suffix.append((self.hops[i].matrix @ suffix[-1]) * self.masks[i])
        self.suffix = suffix[::-1]
        self.exact = all(float(v.sum()) < _EXACT for v in self.suffix)
        self.viable = [v > 0 for v in self.suffix]

    def rows(self, first: int, last: int, starts, track_edges: bool, max_rows: int | None = None,
             check: "Callable[[], None] | None" = None) -> Iterator[tuple[Any, Any, Any]]:
        """Simple walks over positions ``first..last`` from ``starts`` as arrays (nodes, edges,
        flips), in chunks of at most about ``max_rows`` rows; only viable nodes are entered."""
        import numpy as np

        hops = self.hops[first:last]
        for nodes, slots in simple_walks([(h.indptr, h.to) for h in hops], self.viable[first:last + 1],
                                         [(i - first, j - first) for i, j in self.pairs if i >= first and j <= last],
                                         starts, track=track_edges, max_rows=max_rows, check=check):
            if track_edges:
                eids = np.column_stack([h.eid[slots[:, c]] for c, h in enumerate(hops)]) if hops else slots
                flips = np.column_stack([h.flip[slots[:, c]] for c, h in enumerate(hops)]) if hops else slots
            else:
                eids = flips = np.zeros((len(nodes), 0), np.int64)
            yield nodes, eids, flips


def simple_walks(links: "list[tuple[Any, Any]]", viable: list, pairs: list[tuple[int, int]], starts, *,
                 track: bool = True, max_rows: int | None = None,
                 check: "Callable[[], None] | None" = None) -> Iterator[tuple[Any, Any]]:
    """Walks that repeat no node where positions could share one, as integer arrays, in chunks.

    ``links``: per step, a CSR layout ``(indptr, targets)`` over node numbers; ``viable``: per
    position (one more than links), a boolean mask of the nodes a walk may enter there;
    ``pairs``: the positions ``(i, j)`` whose nodes must differ; ``starts``: first nodes. Yields
    ``(nodes, slots)``: a rows x positions array of nodes and, when ``track``, a rows x links array
    of the CSR slot of each step's edge (else an empty array); chunks of about ``max_rows`` rows
    (default :data:`sle_graph.limits.WALK_CHUNK_ROWS`). ``check``, when given, is called before
    each step of at most that many rows (a query's budget raises from it).

    >>> import numpy as np
    >>> ring = (np.array([0, 1, 2, 3]), np.array([1, 2, 0]))   # 0 -> 1 -> 2 -> 0
    >>> every = np.ones(3, bool)
    >>> [n.tolist() for n, _ in simple_walks([ring] * 3, [every] * 4, [(0, 3)], np.arange(3))]  # back at the start
    []
    >>> [n.tolist() for n, _ in simple_walks([ring] * 2, [every] * 3, [(0, 2)], np.arange(3))]
    [[[0, 1, 2], [1, 2, 0], [2, 0, 1]]]
    """
    import numpy as np

    if max_rows is None:
        max_rows = limits.WALK_CHUNK_ROWS
    last = len(links)
    checks = {j: [i for i, jj in pairs if jj == j] for j in range(last + 1)}
    empty = np.zeros((len(starts), 0), np.int64)
    stack = [(0, starts.reshape(-1, 1), empty)]
    while stack:
        if check is not None:
            check()
        pos, nodes, slots = stack.pop()
        if pos == last or not len(nodes):
            if len(nodes):
                yield nodes, slots
            continue
        indptr, targets = links[pos]
        lo = indptr[nodes[:, -1]]
        cnt = indptr[nodes[:, -1] + 1] - lo
        if int(cnt.sum()) > max_rows and len(nodes) > 1:
            half = len(nodes) // 2
            stack.append((pos, nodes[half:], slots[half:]))
            stack.append((pos, nodes[:half], slots[:half]))
            continue
        parent, k = csr_slots(lo, cnt)
        nxt = targets[k]
        keep = viable[pos + 1][nxt]
        for col in checks[pos + 1]:
            keep &= nxt != nodes[parent, col]
        parent, k, nxt = parent[keep], k[keep], nxt[keep]
        slots = np.column_stack((slots[parent], k)) if track else np.zeros((len(parent), 0), np.int64)
        stack.append((pos + 1, np.column_stack((nodes[parent], nxt)), slots))


# -- match --------------------------------------------------------------------------------------

def _order(plan: _Plan, nodes, eids, flips):
    """Row order of the ranking: weakest-edge strength (strongest first), then the tie-break."""
    import numpy as np

    index = plan.index
    strength = index.score[eids].min(axis=1)
    keys = ([nodes[:, i] for i in range(nodes.shape[1])] + [index.pred[eids[:, h]] for h in range(eids.shape[1])]
            + [flips[:, h] for h in range(flips.shape[1])])
    return np.lexsort(tuple(keys[::-1]) + (-strength,))


_NARROW = "; or narrow the pattern (a kind, a predicate or a quoted node in place of '*')"


@gc_paused()
def match(kg: "KnowledgeGraph", pattern: "str | Pattern", limit: int | None = None, *,
          timeout: float | None = QUERY_TIMEOUT, max_results: int | None = QUERY_MAX_RESULTS) -> PathList:
    """Simple paths that fit ``pattern``, ranked; what :meth:`KnowledgeGraph.match` calls.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    pattern : str or Pattern
        A metapath pattern (:mod:`sle_graph.query.patterns` describes the language).
    limit : int, optional
        The top ``limit`` paths.
    timeout : float or None, default :data:`sle_graph.limits.QUERY_TIMEOUT`
        Seconds the search may take; ``None`` lifts the budget.
    max_results : int or None, default :data:`sle_graph.limits.QUERY_MAX_RESULTS`
        The most matches the search may find; ``None`` lifts the budget.

    Returns
    -------
    PathList
        The paths, best first.

    Raises
    ------
    PatternError
        For a malformed pattern, or one naming an unknown kind or predicate.
    NodeNotFound
        For an unknown quoted node, naming the closest matches.

    Examples
    --------
    >>> import sle_graph
    >>> kg = sle_graph.load()
    >>> found = kg.match("'AHSCT' -[has_outcome]-> Outcome")
    >>> {p.end.label for p in found} >= {"reduced disease activity", "reduced steroid dependence"}
    True
    >>> found == sorted(found, key=lambda p: p.rank_key)
    True
    """
    import numpy as np

    limit = check_limit(limit)
    # Only the top `limit` matches are kept: the result budget matters when more could be.
    kept_budget = max_results if limit is None or max_results is None or limit > max_results else None
    budget = Budget("kg.match", "matches", timeout=timeout, max_results=kept_budget,
                    hint=_NARROW + ("" if limit is not None else ", or pass limit=N for the top N"))
    plan = _Plan(kg, pattern)
    k = len(plan.hops)
    if not plan.pairs and plan.exact:
        budget.check(int(plan.suffix[0].sum()))  # walks are the matches: their number is known now
    starts = np.flatnonzero(plan.viable[0])
    if limit == 0 or not len(starts):
        return PathList()
    kept: list[tuple[Any, Any, Any]] = []
    best = None
    found = 0

    def check() -> None:
        budget.check_time(found)

    for chunk in plan.rows(0, k, starts, track_edges=True, check=check):
        found += len(chunk[0])
        budget.check(found)
        if limit is None:
            kept.append(chunk)
            continue
        parts = chunk if best is None else tuple(np.concatenate((a, b)) for a, b in zip(best, chunk))
        order = _order(plan, *parts)[:limit]
        best = tuple(a[order] for a in parts)
    if limit is None:
        if not kept:
            return PathList()
        nodes, eids, flips = (np.concatenate(parts) for parts in zip(*kept))
        order = _order(plan, nodes, eids, flips)
        best = (nodes[order], eids[order], flips[order])
    if best is None:
        return PathList()
    node_at, edge_at, schema = plan.index.node_objects.__getitem__, plan.index.edges.__getitem__, plan.kg.schema
    return PathList(
        Path.from_parts(tuple(map(node_at, row)), tuple(map(edge_at, erow)), tuple(frow), schema)
        for row, erow, frow in zip(best[0].tolist(), best[1].tolist(), (best[2] != 0).tolist()))


# -- count --------------------------------------------------------------------------------------

def _prefix(plan: _Plan, upto: int):
    """Walk counts from position 0 to each node at position ``upto`` (float64)."""
    v = plan.masks[0].astype(float)
    for i in range(upto):
        v = (plan.hops[i].matrix.T @ v) * plan.masks[i + 1]
    return v


def _int_vectors(plan: _Plan, upto: int, downto: int) -> tuple[list[int], list[int]]:
    """Exact (Python int) prefix counts at ``upto`` and suffix counts at ``downto``, for counts past 2**53."""
    masks = [m.tolist() for m in plan.masks]
    pre = [1 if x else 0 for x in masks[0]]
    for i in range(upto):
        hop, nxt = plan.hops[i], [0] * plan.index.n
        indptr, to = hop.indptr.tolist(), hop.to.tolist()
        for u, c in enumerate(pre):
            if c:
                for j in range(indptr[u], indptr[u + 1]):
                    nxt[to[j]] += c
        pre = [c if masks[i + 1][v] else 0 for v, c in enumerate(nxt)]
    suf = [1 if x else 0 for x in masks[-1]]
    for i in range(len(plan.hops) - 1, downto - 1, -1):
        hop = plan.hops[i]
        indptr, to = hop.indptr.tolist(), hop.to.tolist()
        suf = [sum(suf[to[j]] for j in range(indptr[u], indptr[u + 1])) if masks[i][u] else 0
               for u in range(plan.index.n)]
    return pre, suf


def count(kg: "KnowledgeGraph", pattern: "str | Pattern", *, timeout: float | None = QUERY_TIMEOUT,
          max_results: int | None = None) -> int:
    """How many simple paths fit ``pattern`` (``== len(match(kg, pattern))``), without building them.

    How (:mod:`sle_graph.query.patterns` says more): sparse matrix-vector products where no node
    can repeat, a node-by-node walk only over the stretch of the pattern where one could. Past
    ``timeout`` seconds, or once the count passes ``max_results`` (no such budget by default), it
    stops with :class:`~sle_graph.errors.QueryBudgetExceeded` holding the count so far.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    pattern : str or Pattern
        A metapath pattern.
    timeout : float or None, default :data:`sle_graph.limits.QUERY_TIMEOUT`
        Seconds the count may take; ``None`` lifts the budget.
    max_results : int, optional
        Stop once the count passes this (no such budget by default).

    Returns
    -------
    int
        The number of paths.

    Raises
    ------
    PatternError
        For a malformed pattern, or one naming an unknown kind or predicate.
    NodeNotFound
        For an unknown quoted node.

    Examples
    --------
    >>> import sle_graph
    >>> kg = sle_graph.load()
    >>> kg.count("Therapy -[faces_challenge]-> Challenge") == len(
    ...     [e for e in kg.edges(predicate="faces_challenge") if kg.node(e.subject).kind == "Therapy"])
    True
    """
    import numpy as np

    budget = Budget("kg.count", "paths", timeout=timeout, max_results=max_results, hint=_NARROW)
    plan = _Plan(kg, pattern)
    k = len(plan.hops)
    if not plan.pairs:
        if plan.exact:
            total = int(plan.suffix[0].sum())
        else:
            pre, _ = _int_vectors(plan, k, k)
            total = sum(pre)
        budget.check(total)
        return total
    first = min(i for i, _ in plan.pairs)
    last = max(j for _, j in plan.pairs)
    pre_f = _prefix(plan, first)
    suf_f = plan.suffix[last]
    exact = plan.exact and float(pre_f.sum()) < _EXACT
    if exact:
        pre, suf = pre_f, suf_f
    else:
        pre_list, suf_list = _int_vectors(plan, first, last)
        pre, suf = np.array(pre_list, dtype=object), np.array(suf_list, dtype=object)
    starts = np.flatnonzero((pre_f > 0) & plan.viable[first])
    total = 0

    def check() -> None:
        budget.check_time(total)

    for nodes, _, _ in plan.rows(first, last, starts, track_edges=False, check=check):
        a, b = pre[nodes[:, 0]], suf[nodes[:, -1]]
        if exact and float(np.dot(a, b)) < _EXACT:
            total += int(np.dot(a, b))
        else:
            total += sum(int(x) * int(y) for x, y in zip(a.tolist(), b.tolist()))
        budget.check(total)
    return total
