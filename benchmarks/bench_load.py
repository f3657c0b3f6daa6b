"""Load benchmarks: the curated graph's import and load, and holding generated graphs in memory.

Rows:

- ``import sle_graph; load()``: the curated graph, in a fresh interpreter (target: under 0.5 s).
- ``generate``: :func:`benchmarks.generate.generate` (layout and trusted build), for reference.
- ``build in-memory graph``: from a generated layout (drawn before timing), a
  :class:`~sle_graph.KnowledgeGraph` by the trusted path and by the validating public constructor,
  against an ``rdflib.Graph`` (memory store) holding the same graph as triples: the RDF view of
  :mod:`sle_graph.rdf` when that module exists, else one triple per edge plus ``rdf:type`` and
  ``rdfs:label`` per node (the note says which). The issue's memory target: our peak <= 0.5x rdflib's.

Each figure comes from a fresh process per run (see :func:`benchmarks.measure.isolated`).
"""

from __future__ import annotations

import importlib.util
from typing import Any, Callable

from .measure import isolated, row

HERE = "benchmarks.bench_load"


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


def setup_build(n: int, validate: bool) -> Callable[[], int]:
    from .generate import build, layout

    lay = layout(n)
    return lambda: len(build(lay, validate=validate).edges())


def setup_rdflib(n: int, rdf_view: bool) -> Callable[[], int]:
    import rdflib
    from rdflib.namespace import RDF, RDFS

    from sle_graph.namespaces import SLE, SLEO

    from .generate import generate, layout, node_ids, triples

    if rdf_view:
        kg = generate(n)
        return lambda: len(kg.to_rdf())
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
    how = ("RDF view of sle_graph.rdf.to_rdf (edges, statements, evidence)" if rdf_view else
           "plain triples: one per edge, rdf:type and rdfs:label per node; no evidence")
    for n in sizes:
        t = isolated(f"{HERE}:setup_generate", n)
        rows.append(row("generate", n, "benchmarks.generate", t, items=n, note="layout + trusted build"))
        op = "build in-memory graph"
        t = isolated(f"{HERE}:setup_build", n, False)
        rows.append(row(op, n, "KnowledgeGraph._trusted", t, items=n, note="with evidence on every edge"))
        t = isolated(f"{HERE}:setup_build", n, True)
        rows.append(row(op, n, "KnowledgeGraph(...) validated", t, items=n, note="every record checked"))
        try:
            t = isolated(f"{HERE}:setup_rdflib", n, rdf_view)
        except RuntimeError as exc:  # the RDF view is someone's work in progress: say so, measure plain
            if not rdf_view:
                raise
            rdf_view, how = False, f"plain triples (RDF view failed: {str(exc).splitlines()[-1]})"
            t = isolated(f"{HERE}:setup_rdflib", n, rdf_view)
        rows.append(row(op, n, "rdflib.Graph", t, baseline=True, items=t.value, unit="triples", note=how))
    return rows
