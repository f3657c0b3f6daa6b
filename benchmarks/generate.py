"""Seeded graphs of Hetionet's shape and size, with evidence on every edge, for benchmarks.

The real Hetionet v1.0 has 47,031 nodes of 11 kinds and 2,250,197 edges of 24 metaedges. A graph
of ``n_edges`` keeps each metaedge's share of the edges (largest remainders, so the total is exact),
scales the nodes of each kind by the same factor (at least :data:`MIN_NODES`, and more where a
metaedge would otherwise be denser than :data:`MAX_DENSITY`), lets only a share of the nodes take
part in each metaedge (as in Hetionet: 36 of 402 anatomies have ``downregulates`` edges), and gives
every node a lognormal weight, so degrees are heavy-tailed and the hubs of one metaedge are the
hubs of the others. Undirected same-kind metaedges (``Gene - interacts - Gene``) hold each pair
once; there are no self-loops. Labels are real Hetionet names of the kind, read from the node list
of ``../shared/data`` (see :func:`benchmarks.hetionet_schema.node_list`); without it they are
numbered (``Gene 17``) and the graph is otherwise the same.

Every edge carries one quote evidence record citing a ``SourceDocument`` node, with offsets
consistent with the quote, so the graph passes full validation.

The work is split so benchmarks can time the parts: :func:`layout` draws the integer structure
(numpy arrays, fast and small), :func:`build` turns it into a :class:`~sle_graph.KnowledgeGraph`,
:func:`triples` streams plain ``(subject, predicate, object)`` id triples, and
:func:`generate_files` writes KGX-style TSV files without building a graph.

>>> kg = generate(2_000, seed=1)
>>> len(kg.edges())
2000
>>> all(e.evidence for e in kg.edges())
True
>>> generate(2_000, seed=1) == kg
True
"""

from __future__ import annotations

import csv
import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from sle_graph import Edge, Evidence, KnowledgeGraph, Node

from .hetionet_schema import (HETIONET_EDGES, SOURCE_KIND, MetaEdge, hetionet_schema, metaedges,
                              metanodes, node_list)

__all__ = ["Layout", "Block", "layout", "build", "generate", "triples", "node_ids", "generate_files",
           "MIN_NODES", "MAX_DENSITY", "EDGES_PER_DOCUMENT"]

#: Fewest nodes of a kind, whatever the size.
MIN_NODES = 5
#: Largest share of the possible (subject, object) pairs of a metaedge that are edges.
MAX_DENSITY = 0.15
#: Edges citing one source document, on average.
EDGES_PER_DOCUMENT = 2_000
#: Spread of the lognormal node weights (larger: heavier tail).
WEIGHT_SIGMA = 1.3


@dataclass(frozen=True)
class Block:
    """The edges of one metaedge: node indexes within the subject and object kinds."""

    metaedge: MetaEdge
    subjects: np.ndarray
    objects: np.ndarray


@dataclass(frozen=True)
class Layout:
    """The integer structure of a generated graph: node counts per kind and edge blocks."""

    n_edges: int
    seed: int
    node_counts: dict[str, int]
    blocks: tuple[Block, ...]
    documents: int
    names: dict[str, list[str]]

    @property
    def n_nodes(self) -> int:
        """Nodes, counting the source documents."""
        return sum(self.node_counts.values()) + self.documents

    def labels(self, kind: str) -> list[str]:
        """The node labels of a kind, by index."""
        if kind == SOURCE_KIND:
            return [f"source document {i}" for i in range(self.documents)]
        return self.names[kind]


def _largest_remainder(weights: list[int], total: int) -> list[int]:
    raw = [w * total / sum(weights) for w in weights]
    out = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def _plan(n_edges: int) -> tuple[dict[str, int], list[int]]:
    """Node counts per kind and edge counts per metaedge for a graph of ``n_edges``."""
    edges = _largest_remainder([m.edges for m in metaedges()], n_edges)
    scale = n_edges / HETIONET_EDGES
    counts = {m.kind: max(MIN_NODES, round(m.nodes * scale)) for m in metanodes()}
    changed = True
    while changed:  # grow kinds where a metaedge would be too dense; growth is monotone
        changed = False
        for m, e in zip(metaedges(), edges):
            pairs = counts[m.subject] * counts[m.object] * (0.5 if m.subject == m.object else 1.0)
            if e > MAX_DENSITY * pairs:
                factor = math.sqrt(e / (MAX_DENSITY * pairs)) * 1.01
                for k in {m.subject, m.object}:
                    counts[k] = math.ceil(counts[k] * factor)
                changed = True
    return counts, edges


def _participants(rng: np.random.Generator, weights: np.ndarray, share: float, need: int) -> np.ndarray:
    """Indexes of the nodes of a kind taking part in a metaedge, hubs more likely."""
    n = len(weights)
    k = min(n, max(need, math.ceil(share * n)))
    if k == n:
        return np.arange(n)
    return np.sort(rng.choice(n, size=k, replace=False, p=weights / weights.sum()))


def _sample_block(rng: np.random.Generator, m: MetaEdge, e: int, weights: dict[str, np.ndarray],
                  counts: dict[str, int]) -> Block:
    ws, wo = weights[m.subject], weights[m.object]
    same = m.subject == m.object
    real = {x.kind: x.nodes for x in metanodes()}
    subj = _participants(rng, ws, m.source_nodes / real[m.subject], 1)
    obj = _participants(rng, wo, m.target_nodes / real[m.object], 1)
    # Enough participants on each side that the block stays under MAX_DENSITY.
    while e > MAX_DENSITY * len(subj) * len(obj) * (0.5 if same else 1.0):
        grow = math.sqrt(e / (MAX_DENSITY * len(subj) * len(obj) * (0.5 if same else 1.0))) * 1.01
        subj = _participants(rng, ws, 0, math.ceil(len(subj) * grow))
        obj = _participants(rng, wo, 0, math.ceil(len(obj) * grow))
    ps, po = ws[subj], wo[obj]
    n_obj = counts[m.object]
    keys = np.empty(0, dtype=np.int64)
    stalled = 0
    while len(keys) < e:
        want = e - len(keys)
        draw = int(want * 1.3) + 16
        s = subj[rng.choice(len(subj), size=draw, p=ps / ps.sum())]
        o = obj[rng.choice(len(obj), size=draw, p=po / po.sum())]
        if same:
            keep = s != o
            s, o = s[keep], o[keep]
            if not m.directed:  # one edge per unordered pair
                s, o = np.minimum(s, o), np.maximum(s, o)
        merged = np.concatenate([keys, s.astype(np.int64) * n_obj + o])
        _, first = np.unique(merged, return_index=True)
        before = len(keys)
        keys = merged[np.sort(first)]  # first occurrences, in draw order
        if len(keys) - before < max(1, want // 100):
            stalled += 1
            if stalled >= 2:  # the heaviest pairs are taken: flatten the weights
                ps, po, stalled = np.sqrt(ps), np.sqrt(po), 0
    keys = keys[:e]
    return Block(m, (keys // n_obj).astype(np.int32), (keys % n_obj).astype(np.int32))


@functools.lru_cache(maxsize=None)
def _hetionet_names() -> dict[str, tuple[str, ...]]:
    path = node_list()
    if path is None:
        # As many numbered names per kind as Hetionet has nodes: the draws from the generator's
        # random stream depend on the pool sizes, so the graph is the same but for its labels.
        return {m.name: tuple(f"{m.name} {i}" for i in range(1, m.nodes + 1)) for m in metanodes()}
    names: dict[str, list[str]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            names.setdefault(row["kind"], []).append(row["name"])
    return {k: tuple(v) for k, v in names.items()}


def _names(rng: np.random.Generator, metanode: str, count: int) -> list[str]:
    pool = _hetionet_names().get(metanode) or (metanode.lower(),)
    order = rng.permutation(len(pool))
    out = [pool[i] for i in order[:count]]
    copy = 2
    while len(out) < count:  # more nodes than Hetionet has: numbered copies of the names
        out += [f"{pool[i]} {copy}" for i in order[: count - len(out)]]
        copy += 1
    return out


def layout(n_edges: int, seed: int = 0) -> Layout:
    """Draw the integer structure of a Hetionet-shaped graph with exactly ``n_edges`` edges.

    >>> lay = layout(5_000, seed=3)
    >>> sum(len(b.subjects) for b in lay.blocks)
    5000
    """
    if n_edges < 0:
        raise ValueError(f"n_edges must be >= 0, got {n_edges}")
    rng = np.random.default_rng(seed)
    counts, edges = _plan(n_edges)
    weights = {k: rng.lognormal(0.0, WEIGHT_SIGMA, size=n) for k, n in counts.items()}
    names = {m.kind: _names(rng, m.name, counts[m.kind]) for m in metanodes()}
    blocks = tuple(_sample_block(rng, m, e, weights, counts) for m, e in zip(metaedges(), edges) if e)
    documents = max(1, math.ceil(n_edges / EDGES_PER_DOCUMENT))
    return Layout(n_edges, seed, counts, blocks, documents, names)


def _prefix(kind: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower()


def node_ids(lay: Layout) -> dict[str, list[str]]:
    """Node ids per kind, by index: ``gene_0``, ``gene_1``, ..., ``side_effect_0``, ..."""
    ids = {k: [f"{_prefix(k)}_{i}" for i in range(n)] for k, n in lay.node_counts.items()}
    ids[SOURCE_KIND] = [f"{_prefix(SOURCE_KIND)}_{i}" for i in range(lay.documents)]
    return ids


def triples(lay: Layout) -> Iterator[tuple[str, str, str]]:
    """The edges as ``(subject id, predicate, object id)``, block by block."""
    ids = node_ids(lay)
    for b in lay.blocks:
        s_ids, o_ids, p = ids[b.metaedge.subject], ids[b.metaedge.object], b.metaedge.predicate
        for s, o in zip(b.subjects.tolist(), b.objects.tolist()):
            yield s_ids[s], p, o_ids[o]


def _nodes(lay: Layout, ids: dict[str, list[str]]) -> list[Node]:
    nodes = []
    for kind, kind_ids in ids.items():
        definition = f"A {hetionet_schema().kinds[kind].label} of a synthetic Hetionet-shaped graph."
        nodes += [Node(i, kind, name, definition=definition) for i, name in zip(kind_ids, lay.labels(kind))]
    return nodes


def _cited(lay: Layout) -> Iterator[tuple[Block, list[int], list[int], list[int]]]:
    """Each block with its subject and object indexes and the document each edge cites."""
    rng = np.random.default_rng([lay.seed, 1])
    for b in lay.blocks:
        docs = rng.integers(lay.documents, size=len(b.subjects)).tolist()
        yield b, b.subjects.tolist(), b.objects.tolist(), docs


def _edges(lay: Layout, ids: dict[str, list[str]], evidence: bool) -> list[Edge]:
    docs = ids[SOURCE_KIND]
    cursor = [0] * len(docs)  # the next free offset in each document's text
    edges = []
    for b, subjects, objects, doc_of in _cited(lay):
        m = b.metaedge
        s_ids, o_ids = ids[m.subject], ids[m.object]
        s_names, o_names = lay.names[m.subject], lay.names[m.object]
        for s, o, d in zip(subjects, objects, doc_of):
            if not evidence:
                edges.append(Edge(s_ids[s], m.predicate, o_ids[o]))
                continue
            quote = f"{s_names[s]} {m.predicate} {o_names[o]}"
            start = cursor[d]
            cursor[d] = start + len(quote) + 1
            ev = Evidence(docs[d], quote=quote, start=start, end=start + len(quote))
            edges.append(Edge(s_ids[s], m.predicate, o_ids[o], (ev,)))
    return edges


def _columnar(lay: Layout, ids: dict[str, list[str]], nodes: list[Node]) -> KnowledgeGraph:
    """The graph of a layout through :meth:`KnowledgeGraph.from_columns`: node codes straight
    from the layout's arrays, evidence as columns, no Edge or Evidence made outside the graph."""
    kinds = list(ids)
    offset = dict(zip(kinds, np.cumsum([0] + [len(ids[k]) for k in kinds[:-1]]).tolist()))
    all_ids = [i for k in kinds for i in ids[k]]
    schema = hetionet_schema()
    predicates = sorted(schema.predicates)
    p_code = {p: i for i, p in enumerate(predicates)}
    docs = ids[SOURCE_KIND]
    subject, obj, predicate, cited, quotes = [], [], [], [], []
    for b, subjects, objects, doc_of in _cited(lay):
        m = b.metaedge
        subject.append(b.subjects.astype(np.int64) + offset[m.subject])
        obj.append(b.objects.astype(np.int64) + offset[m.object])
        predicate.append(np.full(len(b.subjects), p_code[m.predicate], dtype=np.int64))
        cited += doc_of
        s_names, o_names = lay.names[m.subject], lay.names[m.object]
        quotes += [f"{s_names[s]} {m.predicate} {o_names[o]}" for s, o in zip(subjects, objects)]
    # Each document's quotes follow one another (one character apart), in edge order: offsets
    # are running sums of the lengths within each document, in numpy.
    doc = np.array(cited, dtype=np.int64)
    del cited
    length = np.fromiter(map(len, quotes), dtype=np.int64, count=len(quotes))
    by_doc = np.argsort(doc, kind="stable")
    before = np.cumsum(length[by_doc] + 1) - (length[by_doc] + 1)  # over all documents so far
    first = np.searchsorted(doc[by_doc], doc[by_doc], side="left")
    starts = np.empty_like(length)
    starts[by_doc] = before - before[first]
    del by_doc, before, first
    empty = np.zeros(0, dtype=np.int64)
    return KnowledgeGraph.from_columns(
        {n.id: n for n in nodes}, ids=all_ids, subject=np.concatenate(subject or [empty]),
        object=np.concatenate(obj or [empty]), predicates=predicates,
        predicate=np.concatenate(predicate or [empty]),
        evidence={"source": np.array(docs, dtype=object)[doc], "quote": quotes, "start": starts,
                  "end": starts + length}, schema=schema)


def build(lay: Layout, *, evidence: bool = True, validate: bool = False, columnar: bool = True) -> KnowledgeGraph:
    """The :class:`KnowledgeGraph` of a layout.

    ``validate=True`` goes through the public constructor, which checks every record; the default
    uses a trusted path (the generator's output is valid by construction): the columnar one,
    :meth:`KnowledgeGraph.from_columns`, or with ``columnar=False`` one ``Edge`` per edge handed
    to :meth:`KnowledgeGraph.from_checked`. ``evidence=False`` leaves edges without evidence,
    which only ``from_checked`` accepts. Every path gives the same graph.
    """
    ids = node_ids(lay)
    nodes = _nodes(lay, ids)
    if evidence and columnar and not validate:
        return _columnar(lay, ids, nodes)
    edges = _edges(lay, ids, evidence)
    if validate:
        return KnowledgeGraph(nodes, edges, schema=hetionet_schema())
    return KnowledgeGraph.from_checked({n.id: n for n in nodes}, {e.key: e for e in edges}, hetionet_schema())


def generate(n_edges: int, seed: int = 0, *, evidence: bool = True, validate: bool = False) -> KnowledgeGraph:
    """A seeded Hetionet-shaped :class:`KnowledgeGraph` with exactly ``n_edges`` edges.

    The same ``n_edges`` and ``seed`` give the same graph. See :func:`build` for the options.

    >>> generate(500, seed=7).stats()["by_predicate"]["participates"] > 0
    True
    """
    return build(layout(n_edges, seed), evidence=evidence, validate=validate)


def generate_files(n_edges: int, directory: str | Path, seed: int = 0) -> tuple[Path, Path]:
    """Write a generated graph as KGX-style ``nodes.tsv`` and ``edges.tsv``, streaming.

    Nodes: ``id``, ``category`` (the kind's Biolink category), ``name``. Edges: ``subject``,
    ``predicate`` (the Biolink mapping of the predicate, else ``biolink:related_to``),
    ``object``, ``primary_knowledge_source`` (the id of a source document), and
    ``original_predicate`` (the Hetionet verb, so no information is lost).
    No graph is built, so memory stays small at any size.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     nodes, edges = generate_files(300, d)
    ...     sum(1 for _ in open(edges)) - 1
    300
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    lay, schema = layout(n_edges, seed), hetionet_schema()
    ids = node_ids(lay)
    nodes_path, edges_path = folder / "nodes.tsv", folder / "edges.tsv"
    with open(nodes_path, "w", encoding="utf-8", newline="") as fh:
        fh.write("id\tcategory\tname\n")
        for kind, kind_ids in ids.items():
            category = schema.biolink_category(kind)
            fh.writelines(f"{i}\t{category}\t{name}\n" for i, name in zip(kind_ids, lay.labels(kind)))
    biolink = {p.name: next((c for c in p.exact_mappings + p.close_mappings if c.startswith("biolink:")),
                            "biolink:related_to") for p in schema.predicates.values()}
    docs = ids[SOURCE_KIND]
    with open(edges_path, "w", encoding="utf-8", newline="") as fh:
        fh.write("subject\tpredicate\tobject\tprimary_knowledge_source\toriginal_predicate\n")
        for b, subjects, objects, doc_of in _cited(lay):
            m = b.metaedge
            s_ids, o_ids, pred = ids[m.subject], ids[m.object], biolink[m.predicate]
            fh.writelines(f"{s_ids[s]}\t{pred}\t{o_ids[o]}\t{docs[d]}\t{m.predicate}\n"
                          for s, o, d in zip(subjects, objects, doc_of))
    return nodes_path, edges_path
