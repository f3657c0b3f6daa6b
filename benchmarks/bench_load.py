"""Load benchmarks: the curated graph's import and load, and holding generated graphs in memory.

Rows:

- ``import sle_graph; load()``: the curated graph, in a fresh interpreter (target: under 0.5 s).
- ``generate``: :func:`benchmarks.generate.generate` (layout and trusted build), for reference.
- ``build in-memory graph``: from a generated layout (drawn before timing), a
  :class:`~sle_graph.KnowledgeGraph` by the columnar path (``KnowledgeGraph.from_columns``), by
  the trusted path of objects (an ``Edge`` and an ``Evidence`` per edge, then ``from_checked``)
  and by the validating public constructor, with CPU time and the memory the graph holds after
  the step in the note,
  against an ``rdflib.Graph`` (memory store) of plain triples: one per edge plus ``rdf:type`` and
  ``rdfs:label`` per node, no evidence (a strict baseline: our graph holds the evidence too).
- ``hold the same triples``: an ``rdflib.Graph`` of the graph's full RDF view
  (``kg.to_rdf()``: edges, statements, evidence; about 18 triples per edge), the issue's memory
  baseline (target: our step memory <= 0.5x), beside the trusted build's figures from above. It
  needs about 1 GB and minutes per 60k edges, so it runs up to ``SLE_BENCH_RDF_VIEW_MAX`` edges
  (default 200k).

Each figure comes from a fresh process per run (see :func:`benchmarks.measure.isolated`).
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any, Callable

from .measure import isolated, row

HERE = "benchmarks.bench_load"
RDF_VIEW_MAX = int(os.environ.get("SLE_BENCH_RDF_VIEW_MAX", 200_000))


def _rdf_view() -> bool:
    try:
        return importlib.util.find_spec("sle_graph.rdf") is not None
    except (ImportError, ValueError):
        return False


# -- steps run in child processes (setup returns the timed step) ---------------------------------

def setup_curated() -> Callable[[], int]:
    def step() -> int:
        import sle_graph

        return len(sle_graph.load().edges())
    return step


def setup_generate(n: int) -> Callable[[], int]:
    from .generate import generate

    return lambda: len(generate(n).edges())


def setup_build(n: int, validate: bool, columnar: bool = False) -> Callable[[], int]:
    from .generate import build, layout

    lay = layout(n)
    kept = []  # the graph outlives the step, so the harness can tell what it holds

    def step() -> int:
        kept.append(build(lay, validate=validate, columnar=columnar))
        return len(kept[-1].edge_map)
    return step


def _cpu_held(t: Any) -> str:
    return f"; CPU {t.cpu_seconds:.2f} s, holds {t.held_mb:.0f} MB after the step"


def setup_rdf_view(n: int) -> Callable[[], int]:
    from .generate import generate

    kg = generate(n)
    return lambda: len(kg.to_rdf())


def setup_rdflib(n: int) -> Callable[[], int]:
    import rdflib
    from rdflib.namespace import RDF, RDFS

    from sle_graph.vocab import SLE, SLEO

    from .generate import layout, node_ids, triples

    lay = layout(n)

    def step() -> int:
        g, iri = rdflib.Graph(), rdflib.URIRef
        for kind, ids in node_ids(lay).items():
            k = iri(SLEO + kind)
            for i, label in zip(ids, lay.labels(kind)):
                g.add((iri(SLE + i), RDF.type, k))
                g.add((iri(SLE + i), RDFS.label, rdflib.Literal(label)))
        for s, p, o in triples(lay):
            g.add((iri(SLE + s), iri(SLEO + p), iri(SLE + o)))
        return len(g)
    return step


# -- the benchmark ------------------------------------------------------------------------------

def run(sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    curated = isolated(f"{HERE}:setup_curated", repeats=5)
    rows.append(row("import sle_graph; load()", None, "sle_graph", curated,
                    note=f"curated graph ({curated.value} edges), fresh interpreter; target under 0.5 s"))
    rdf_view = _rdf_view()
    for n in sizes:
        t = isolated(f"{HERE}:setup_generate", n)
        rows.append(row("generate", n, "benchmarks.generate", t, items=n, note="layout + trusted build"))
        op = "build in-memory graph"
        t = isolated(f"{HERE}:setup_build", n, False, True)
        rows.append(row(op, n, "KnowledgeGraph.from_columns", t, items=n,
                        note="columns (node codes, evidence fields) to graph, evidence on every edge; "
                             "target at 1M: 5 s, 450 MB held" + _cpu_held(t)))
        trusted = t
        t = isolated(f"{HERE}:setup_build", n, False, False)
        rows.append(row(op, n, "KnowledgeGraph.from_checked", t, items=n,
                        note="one Edge and one Evidence made per edge, then the graph" + _cpu_held(t)))
        t = isolated(f"{HERE}:setup_build", n, True)
        rows.append(row(op, n, "KnowledgeGraph(...) validated", t, items=n,
                        note="every record checked" + _cpu_held(t)))
        t = isolated(f"{HERE}:setup_rdflib", n)
        rows.append(row(op, n, "rdflib.Graph", t, baseline=True, items=t.value, unit="triples",
                        note="plain triples: one per edge, rdf:type and rdfs:label per node; no evidence; "
                             f"CPU {t.cpu_seconds:.2f} s"))
        rows += _rdf_view_rows(n, trusted) if rdf_view else []
    return rows


def _rdf_view_rows(n: int, trusted: Any) -> list[dict[str, Any]]:
    op = "hold the same triples"
    if n > RDF_VIEW_MAX:
        return [row(op, n, "rdflib.Graph via kg.to_rdf()", baseline=True,
                    note=f"skipped above {RDF_VIEW_MAX:,} edges (SLE_BENCH_RDF_VIEW_MAX): ~18 triples per edge")]
    t = isolated(f"{HERE}:setup_rdf_view", n)
    return [row(op, n, "KnowledgeGraph.from_columns", peak_mb=trusted.peak_mb, step_mb=trusted.step_mb,
                repeats=trusted.repeats, note="memory of the columnar build above"),
            row(op, n, "rdflib.Graph via kg.to_rdf()", t, baseline=True, items=t.value, unit="triples",
                note="full RDF view: edges, statements, evidence; time includes the conversion")]
