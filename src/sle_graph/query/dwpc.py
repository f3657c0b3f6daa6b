"""Degree-weighted path counts (DWPC) for a metapath pattern, as hetnetpy defines them.

Definition
----------
The DWPC of a source and a target for a pattern (the language of :mod:`sle_graph.query.patterns`)
sums, over every path that fits the pattern from the source to the target, the product of the
damped degrees of its edges' ends::

    DWPC(s, t) = sum over paths p  of  prod over edges (u, v) of p  of  deg_i(u) ** -w * deg_i'(v) ** -w

where ``w`` is the damping exponent (``damping``, default 0.4; 0 gives plain path counts). For the
edge walked at link ``i``, ``deg_i(u)`` is the number of edges that link could walk from ``u`` to a
node of the next position's kind, and ``deg_i'(v)`` the number it could walk into ``v`` from a
node of this position's kind: the degrees of the metaedge, as in hetnetpy's
``pathtools.DWPC`` (Himmelstein and Baranzini, 2015). They do not depend on the source or the
target asked for. A quoted node in the pattern counts as its own kind for degrees (it restricts
which paths count, not the degrees); a kind includes its sub-kinds, ``*`` any node; a link with
several predicates is one metaedge over all of them; a ``-`` link walks edges either way.

Paths, not walks
----------------
As in hetnetpy (whose DWPC excludes paths with a repeated node) and as in ``kg.count``, only
simple paths count: ``Gene -[interacts]- Gene -[interacts]- Gene`` never returns to its start.
Where no node can fill two positions, paths and walks coincide and the matrix of all pairs is a
chain of sparse products ``W_0 @ W_1 @ ...`` of per-link weighted adjacency. Where some can, the
stretch of positions between the first and the last that could share a node is enumerated node
by node (integer arrays, skipping walks that repeat a node) into a sparse matrix, and the parts
before and after it stay sparse products.

Example
-------
>>> import sle_graph
>>> kg = sle_graph.load()
>>> scores = kg.dwpc("StemCell -[acts_through]-> Mechanism -[leads_to]-> Outcome")
>>> scores.matrix.shape == (len(scores.sources), len(scores.targets))
True
>>> s, t = scores.top(1)[0][:2]
>>> abs(kg.dwpc("StemCell -[acts_through]-> Mechanism -[leads_to]-> Outcome", s, t) - scores.get(s, t)) < 1e-12
True
>>> int(kg.dwpc("StemCell -[acts_through]-> Mechanism -[leads_to]-> Outcome", damping=0).matrix.sum()) == kg.count(
...     "StemCell -[acts_through]-> Mechanism -[leads_to]-> Outcome")
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InvalidArgument, NodeNotFound
from .patterns import (LinkSpec, Pattern, csr_slots, edge_arrays, kind_mask, node_order, parse_pattern,
                       position_masks, simple_walks)

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    from scipy.sparse import csr_matrix

    from ..graph import KnowledgeGraph
    from ..model import Node

__all__ = ["DWPCScores", "dwpc"]


class _Index:
    """The pattern index's node numbering and edge arrays, with weighted links and parsed
    patterns kept per graph (``kg.cache``)."""

    def __init__(self, kg: "KnowledgeGraph"):
        self.ids = node_order(kg)
        self.n = len(self.ids)
        self.pos = {node_id: i for i, node_id in enumerate(self.ids)}
        self.src, self.dst, self.pred, self.pred_code = edge_arrays(kg)
        self.hops: dict[tuple, Any] = {}
        self.plans: dict[tuple, Any] = {}
        self.transposes: dict[int, Any] = {}

    def plan(self, kg: "KnowledgeGraph", pattern: "str | Pattern", damping: float) -> tuple:
        """``(pattern, path masks, weighted link matrices)``, kept per pattern text and damping."""
        key = (str(pattern) if isinstance(pattern, Pattern) else pattern, damping)
        if key in self.plans:
            return self.plans[key]
        pat = pattern if isinstance(pattern, Pattern) else parse_pattern(pattern, kg.schema)
        masks = position_masks(kg, pat)
        # degrees count the link's edges between kinds: a quoted node stands for its own kind
        kinds = [spec.kind if spec.ref is None else kg.node(spec.ref).kind for spec in pat.nodes]
        hops = [self.hop(kg, link, kinds[i], kinds[i + 1], damping) for i, link in enumerate(pat.links)]
        for i in range(1, len(hops)):  # a quoted node inside the pattern: only paths through it
            if pat.nodes[i].ref is not None:
                hops[i] = _rows_only(hops[i], masks[i])
        if len(self.plans) >= 256:  # patterns come and go as a notebook runs: keep the recent ones
            self.plans.pop(next(iter(self.plans)))
        self.plans[key] = (pat, tuple(masks), hops)
        return self.plans[key]

    def transposed(self, matrix: "csr_matrix") -> "csr_matrix":
        """``matrix.T`` in CSR (rows: targets), kept beside the matrix."""
        key = id(matrix)
        if key not in self.transposes or self.transposes[key][0] is not matrix:
            self.transposes[key] = (matrix, matrix.T.tocsr())
        return self.transposes[key][1]

    def hop(self, kg: "KnowledgeGraph", link: "LinkSpec", frm: str | None, to: str | None, damping: float):
        """The weighted matrix of a link between two kinds, built once per graph and damping."""
        key = (link.predicates, link.direction, frm, to, damping)
        if key not in self.hops:
            self.hops[key] = _weighted_hop(self, link.predicates, link.direction, kind_mask(kg, frm),
                                           kind_mask(kg, to), damping)
        return self.hops[key]


def _index(kg: "KnowledgeGraph") -> _Index:
    return kg.cache(__name__, _Index)


def _weighted_hop(index: _Index, predicates: tuple[str, ...], direction: str, frm_kind, to_kind,
                  damping: float) -> "csr_matrix":
    """``n x n`` matrix of one link: entry (u, v) sums ``deg(u)**-w * deg'(v)**-w`` over its edges u -> v.

    Degrees count every edge the link could walk between the two kinds (self-loops too, as
    hetnetpy does); the matrix leaves loops out (a simple path never uses one).
    """
    import numpy as np
    from scipy.sparse import csr_matrix

    keep = np.ones(len(index.src), bool)
    if predicates:
        keep &= np.isin(index.pred, [index.pred_code[p] for p in predicates])
    s, d = index.src[keep], index.dst[keep]
    if direction == "forward":
        frm, to = s, d
    elif direction == "reverse":
        frm, to = d, s
    else:
        frm, to = np.concatenate((s, d)), np.concatenate((d, s))
    typed = frm_kind[frm] & to_kind[to]
    frm, to = frm[typed], to[typed]
    out_deg = np.bincount(frm, minlength=index.n).astype(float)
    in_deg = np.bincount(to, minlength=index.n).astype(float)
    used = frm != to
    frm, to = frm[used], to[used]
    weight = out_deg[frm] ** -damping * in_deg[to] ** -damping
    return csr_matrix((weight, (frm, to)), shape=(index.n, index.n))


def _forward(w: "csr_matrix", idx, val) -> tuple[Any, Any]:
    """Sums carried one link forward: from nodes ``idx`` (sorted, unique) holding ``val``."""
    import numpy as np

    lo = w.indptr[idx]
    parent, k = csr_slots(lo, w.indptr[idx + 1] - lo)
    idx, inverse = np.unique(w.indices[k], return_inverse=True)
    return idx, np.bincount(inverse, val[parent] * w.data[k], minlength=len(idx))


def _pair(hops: list, masks: list, pairs: list[tuple[int, int]], s: int, t: int, last_t: "csr_matrix") -> float:
    """One pair's score: sums carried forward from ``s`` over the links' CSR arrays (the stretch
    where nodes could repeat walked node by node), then met with the column ``t`` of the last
    link (``last_t``: its transpose)."""
    import numpy as np

    k = len(hops)
    first, last = (min(i for i, _ in pairs), max(j for _, j in pairs)) if pairs else (k - 1, k - 1)
    idx, val = np.array([s]), np.ones(1)
    for w in hops[:first]:
        idx, val = _forward(w, idx, val)
    if pairs:
        links, ends, weights = hops[first:last], [], []
        for nodes, slots in simple_walks([(h.indptr, h.indices) for h in links], masks[first:last + 1],
                                         [(i - first, j - first) for i, j in pairs], idx):
            weight = val[np.searchsorted(idx, nodes[:, 0])]
            for c, h in enumerate(links):
                weight = weight * h.data[slots[:, c]]
            ends.append(nodes[:, -1])
            weights.append(weight)
        if not ends:
            return 0.0
        idx, inverse = np.unique(np.concatenate(ends), return_inverse=True)
        val = np.bincount(inverse, np.concatenate(weights), minlength=len(idx))
        if last == k:
            return float(val[idx == t].sum())
    for w in hops[last:k - 1]:
        idx, val = _forward(w, idx, val)
    lo, hi = last_t.indptr[t], last_t.indptr[t + 1]
    into, weight = last_t.indices[lo:hi], last_t.data[lo:hi]
    at = np.searchsorted(idx, into)
    hit = at < len(idx)
    hit[hit] = idx[at[hit]] == into[hit]
    return float(val[at[hit]] @ weight[hit])


def _rows_only(matrix: "csr_matrix", mask) -> "csr_matrix":
    """``matrix`` with the rows outside ``mask`` emptied."""
    from scipy.sparse import diags

    return (diags(mask.astype(float)) @ matrix).tocsr()


def _stretch(hops: list, masks: list, pairs: list[tuple[int, int]], first: int, last: int, starts,
             n: int, max_rows: int = 2_000_000) -> "csr_matrix":
    """Sparse (start, end) sums of weights of the simple walks over positions ``first..last``."""
    import numpy as np
    from scipy.sparse import coo_matrix, csr_matrix

    # viable[p]: nodes at position p from which the stretch can still reach position `last`
    viable = {last: masks[last]}
    for p in range(last - 1, first - 1, -1):
        viable[p] = masks[p] & (hops[p] @ viable[p + 1].astype(float) > 0)
    total = csr_matrix((n, n))
    starts = starts[viable[first][starts]]
    links = hops[first:last]
    for nodes, slots in simple_walks([(h.indptr, h.indices) for h in links], [viable[p] for p in range(first, last + 1)],
                                     [(i - first, j - first) for i, j in pairs], starts, max_rows=max_rows):
        weight = np.prod([h.data[slots[:, c]] for c, h in enumerate(links)], axis=0)
        total = total + coo_matrix((weight, (nodes[:, 0], nodes[:, -1])), shape=(n, n)).tocsr()
    return total


@dataclass(frozen=True)
class DWPCScores:
    """DWPC for all pairs: ``matrix[i, j]`` is the score of ``sources[i]`` and ``targets[j]``.

    What :meth:`KnowledgeGraph.dwpc` returns when not given both ends.

    Parameters
    ----------
    pattern : str
        The metapath pattern scored.
    damping : float
        The damping exponent used.
    sources : tuple of str
        The ids of the nodes that fit the pattern's first position, sorted.
    targets : tuple of str
        The ids of those that fit its last position, sorted.
    matrix : scipy.sparse.csr_matrix
        The scores, float64 (absent: 0).

    Examples
    --------
    >>> import sle_graph
    >>> scores = sle_graph.load().dwpc("Therapy -[uses]-> Cell", damping=0)
    >>> scores.matrix.shape == (len(scores.sources), len(scores.targets))
    True
    """

    pattern: str
    damping: float
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    matrix: "csr_matrix"

    def get(self, source: str, target: str) -> float:
        """The score of one pair of node ids (0.0 where no path fits).

        Parameters
        ----------
        source : str
            A node id of :attr:`sources`.
        target : str
            A node id of :attr:`targets`.

        Returns
        -------
        float
            The pair's score.

        Raises
        ------
        NodeNotFound
            When either id is not on its axis.

        Examples
        --------
        >>> import sle_graph
        >>> sle_graph.load().dwpc("Therapy -[uses]-> Cell", damping=0).get("msc_therapy", "msc")
        1.0
        """
        try:
            i, j = self.sources.index(source), self.targets.index(target)
        except ValueError:
            raise NodeNotFound(f"{source!r} or {target!r} is not a source or target of {self.pattern!r}") from None
        return float(self.matrix[i, j])

    def top(self, k: int | None = None) -> list[tuple[str, str, float]]:
        """Non-zero ``(source, target, score)`` triples, highest score first (ties by ids).

        Parameters
        ----------
        k : int, optional
            Keep the first ``k``; all of them by default.

        Returns
        -------
        list of tuple
            ``(source, target, score)`` triples.

        Examples
        --------
        >>> import sle_graph
        >>> top = sle_graph.load().dwpc("Therapy -[uses]-> Cell").top(3)
        >>> len(top) <= 3 and [t[2] for t in top] == sorted((t[2] for t in top), reverse=True)
        True
        """
        coo = self.matrix.tocoo()
        rows = sorted(((self.sources[i], self.targets[j], float(v)) for i, j, v in
                       zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist()) if v),
                      key=lambda r: (-r[2], r[0], r[1]))
        return rows if k is None else rows[:k]

    def to_frame(self) -> "pandas.DataFrame":
        """The non-zero pairs as a long ``pandas.DataFrame``, ordered as :meth:`top`.

        Returns
        -------
        pandas.DataFrame
            Columns ``source``, ``target``, ``dwpc``.

        Raises
        ------
        ImportError
            When pandas is not installed (naming how to install it).

        Examples
        --------
        >>> import sle_graph
        >>> scores = sle_graph.load().dwpc("Therapy -[uses]-> Cell")
        >>> list(scores.to_frame().columns)
        ['source', 'target', 'dwpc']
        """
        import pandas as pd

        return pd.DataFrame(self.top(), columns=["source", "target", "dwpc"])


def dwpc(kg: "KnowledgeGraph", pattern: "str | Pattern", source: "str | Node | None" = None,
         target: "str | Node | None" = None, damping: float = 0.4) -> "float | DWPCScores":
    """Degree-weighted path counts of ``pattern``.

    What :meth:`KnowledgeGraph.dwpc` calls; :mod:`sle_graph.query.dwpc` gives the definition.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    pattern : str or Pattern
        A metapath pattern, such as ``"StemCell -[acts_through]-> Mechanism -[leads_to]-> Outcome"``.
    source : str or Node, optional
        A node reference (id, label, CURIE); alone, the scores of that row only.
    target : str or Node, optional
        Likewise; alone, the scores of that column only. Given both, the score of that pair.
    damping : float, default 0.4
        The damping exponent ``w`` (0 counts paths; hetnetpy's studies use 0.4).

    Returns
    -------
    float or DWPCScores
        A float when both ``source`` and ``target`` are given, else :class:`DWPCScores`.

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
    import numpy as np

    if isinstance(damping, bool) or not isinstance(damping, (int, float)) or not math.isfinite(damping) or damping < 0:
        raise InvalidArgument(f"damping must be a finite number >= 0, got {damping!r}")
    index = _index(kg)
    pat, path_masks, hops = index.plan(kg, pattern, float(damping))
    path_masks = list(path_masks)
    k = len(pat.links)
    ends = []
    for at, ref in ((0, source), (k, target)):
        if ref is None:
            ends.append(np.flatnonzero(path_masks[at]))
            continue
        node_id = kg.node(ref).id
        mask = np.zeros(index.n, bool)
        mask[index.pos[node_id]] = path_masks[at][index.pos[node_id]]
        path_masks[at] = mask
        ends.append(np.array([index.pos[node_id]]))
    rows, cols = ends
    pairs = [(i, j) for i in range(k + 1) for j in range(i + 2, k + 1) if np.any(path_masks[i] & path_masks[j])]
    if source is not None and target is not None:
        if not (path_masks[0][rows[0]] and path_masks[k][cols[0]]):
            return 0.0
        return _pair(hops, path_masks, pairs, int(rows[0]), int(cols[0]), index.transposed(hops[-1]))
    first, last = (min(i for i, _ in pairs), max(j for _, j in pairs)) if pairs else (k, k)
    result = hops[0][rows] if first > 0 else None
    for i in range(1, first):
        result = result @ hops[i]
    if pairs:
        starts = rows if result is None else np.unique(result.indices)
        middle = _stretch(hops, path_masks, pairs, first, last, starts, index.n)
        result = middle[rows] if result is None else result @ middle
    for i in range(last, k):
        result = result @ hops[i]
    result = result[:, cols].tocsr()
    result.sum_duplicates()
    result.eliminate_zeros()
    if source is not None and target is not None:
        return float(result[0, 0]) if result.shape == (1, 1) else 0.0
    return DWPCScores(str(pat), float(damping), tuple(index.ids[i] for i in rows.tolist()),
                      tuple(index.ids[i] for i in cols.tolist()), result)
