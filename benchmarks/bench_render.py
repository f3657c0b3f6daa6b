"""Render benchmarks: diagrams of the curated graph and of synthetic graphs of 300, 1,000 and 5,000 nodes.

The harness's ``sizes`` are edge counts for data operations (10k-1M edges), far beyond what a
diagram shows; this module draws fixed node counts instead (:data:`NODES`; 300 only in a quick
run) and reports each graph's edge count as its size. Synthetic graphs use our schema: therapies
using cells, cells and therapies acting through mechanisms, mechanisms leading to mechanisms and
outcomes, seeded, about 1.5 edges per node.

Rows:

- ``render SVG``: :func:`sle_graph.draw.diagram.render` with ``engine="auto"`` (``dot`` up to 300 drawn
  nodes, ``sfdp`` above), Graphviz included; target under 1 s for 300 nodes.
- ``build pydot graph``: :func:`sle_graph.draw.diagram.to_dot` alone (our share of the time).
- ``render SVG, dot forced``: the layered engine on the larger graphs, stopped by the timeout (the
  note says when): why ``auto`` switches.
- ``notebook display``: ``_repr_html_`` (up to 300 nodes the overview with the full drawing folded;
  above, the overview alone: Graphviz lays out the kinds, not the nodes).
- ``notebook overview``: ``_repr_html_`` of a generated Hetionet-shaped graph
  (:func:`benchmarks.generate.generate`) of each harness size in edges: one pass over the edges
  and a drawing of a dozen kinds.

Every Graphviz call runs under a timeout (:data:`TIMEOUT`), so no row runs unbounded.
"""

from __future__ import annotations

import importlib
import random
from typing import Any

from .measure import median_time, quick, row

NODES = (300, 1_000, 5_000)
TIMEOUT = 120.0
FORCED_DOT_TIMEOUT = 60.0

R = importlib.import_module("sle_graph.draw.diagram")


def synthetic(n: int, seed: int = 0) -> Any:
    """A valid graph of ``n`` nodes in our schema (trusted build: valid by construction)."""
    from sle_graph import Edge, Evidence, KnowledgeGraph, Node
    from sle_graph.ontology import schema

    rng = random.Random(seed)
    shares = (("Therapy", 0.05), ("StemCell", 0.10), ("ImmuneCell", 0.05), ("Mechanism", 0.40), ("Outcome", 0.40))
    ids: dict[str, list[str]] = {}
    nodes: dict[str, Node] = {}
    start = 0
    for k, (kind, share) in enumerate(shares):
        count = n - start if k == len(shares) - 1 else max(1, round(n * share))
        ids[kind] = [f"{kind.lower()}_{i}" for i in range(count)]
        for i, node_id in enumerate(ids[kind]):
            nodes[node_id] = Node(node_id, kind, f"{kind.lower()} number {i} of the synthetic graph", definition="d")
        start += count
    ev = (Evidence("synthetic", reference="generated for benchmarks"),)
    edges: dict[tuple[str, str, str], Edge] = {}

    def link(s: str, p: str, o: str) -> None:
        if s != o:
            edges.setdefault((s, p, o), Edge(s, p, o, ev))

    cells = ids["StemCell"] + ids["ImmuneCell"]
    for t in ids["Therapy"]:
        link(t, "uses", rng.choice(cells))
        link(t, "acts_through", rng.choice(ids["Mechanism"]))
    for c in cells:
        link(c, "acts_through", rng.choice(ids["Mechanism"]))
    for m in ids["Mechanism"]:
        link(m, "leads_to", rng.choice(ids["Outcome"]))
        if rng.random() < 0.5:
            link(m, "leads_to", rng.choice(ids["Mechanism"]))
    for o in ids["Outcome"]:
        if rng.random() < 0.6:
            link(rng.choice(ids["Mechanism"]), "leads_to", o)
    return KnowledgeGraph.from_checked(nodes, edges, schema())


def _bounded(fn: Any) -> tuple[Any, str]:
    """Time ``fn``; a Graphviz timeout becomes a note instead of a figure."""
    try:
        return median_time(fn, repeats=3, warmup=0), ""
    except R.RenderTimeout:
        return None, f"stopped by the {FORCED_DOT_TIMEOUT:g} s timeout"


def run(sizes: list[int]) -> list[dict[str, Any]]:
    import sle_graph

    rows: list[dict[str, Any]] = []
    kg = sle_graph.load()
    drawn = R._count(kg, False)
    t = median_time(lambda: R.render(kg, format="svg", timeout=TIMEOUT), repeats=5)
    rows.append(row("render SVG", len(kg.edges()), "sle_graph (dot)", t,
                    note=f"curated graph, {drawn} drawn nodes (sources and studies left out)"))
    t = median_time(lambda: R.render(kg, format="png", timeout=TIMEOUT), repeats=3)
    rows.append(row("render PNG", len(kg.edges()), "sle_graph (dot)", t, note="curated graph"))
    for n in NODES[:1] if quick() else NODES:
        g = synthetic(n)
        m = len(g.edges())
        engine = R._engine_for(n, "auto")
        what = f"synthetic, {n:,} nodes"
        t = median_time(lambda: R.render(g, format="svg", timeout=TIMEOUT), repeats=3, warmup=0)
        rows.append(row("render SVG", m, f"sle_graph ({engine})", t,
                        note=what + ("; target under 1 s" if n <= R.DOT_LIMIT else "; edge labels off")))
        t = median_time(lambda: R.to_dot(g).to_string(), repeats=3)
        rows.append(row("build pydot graph", m, "sle_graph.draw.diagram.to_dot", t, note=what + "; no Graphviz"))
        if engine != "dot":
            t, note = _bounded(lambda: R.render(g, format="svg", engine="dot", timeout=FORCED_DOT_TIMEOUT))
            rows.append(row("render SVG, dot forced", m, "sle_graph (dot)", t, note="; ".join(filter(None, [what, note]))))
        t = median_time(lambda: g._repr_html_(), repeats=3, warmup=0)
        rows.append(row("notebook display", m, "_repr_html_", t,
                        note=what + ("; overview and folded drawing" if n <= R.INLINE_LIMIT
                                     else "; overview, no node drawn")))
    from .generate import generate

    for size in sizes:
        big = generate(size, seed=1)
        t = median_time(lambda: big._repr_html_(), repeats=3, warmup=0)
        rows.append(row("notebook overview", size, "_repr_html_", t,
                        note=f"generated Hetionet-shaped graph, {len(big):,} nodes: kinds and hubs"))
        del big
    return rows
