"""The main job (`make demo`): load the curated graph and print a short, readable summary."""

from __future__ import annotations

import textwrap
import time

import sle_graph


def main() -> None:
    t0 = time.perf_counter()
    kg = sle_graph.load()
    elapsed = time.perf_counter() - t0
    s = kg.stats()
    print(f"sle_graph {sle_graph.__version__}: {s['nodes']} nodes, {s['edges']} edges, "
          f"{s['evidence']} evidence records (loaded in {elapsed * 1000:.0f} ms)\n")
    print("Nodes by kind")
    for kind, n in s["by_kind"].items():
        print(f"  {kind:<20} {n:>4}")
    print("\nEdges by predicate")
    for pred, n in s["by_predicate"].items():
        print(f"  {pred:<24} {n:>4}")
    # One edge stated by both articles, with its quotes.
    edge = max(kg.edges(), key=lambda e: (len({ev.source for ev in e.evidence if ev.kind == "quote"}),
                                          len(e.evidence)))
    subj, obj = kg.node(edge.subject), kg.node(edge.object)
    label = kg.schema.predicates[edge.predicate].label
    print(f"\nOne edge and its evidence:\n  {subj.label} -[{label}]-> {obj.label}")
    for ev in (ev for ev in edge.evidence if ev.kind == "quote"):
        quote = textwrap.fill(f'"{ev.quote}"', width=90, initial_indent="      ", subsequent_indent="       ")
        print(f"    {ev.source} [{ev.start}:{ev.end}], {ev.modality}\n{quote}")
    print_modality(kg)
    print_contested(kg)
    write_diagrams(kg)


def print_modality(kg: sle_graph.KnowledgeGraph) -> None:
    """How certain the quotes' words are, and the claims that rest on "can" or "potential" alone."""
    from sle_graph.build.modality import edge_modality
    from sle_graph.ontology import modalities

    quotes = [ev for e in kg.edges() for ev in e.evidence if ev.kind == "quote"]
    counts = ", ".join(f"{m} {sum(ev.modality == m for ev in quotes)}" for m in modalities())
    print(f"\nQuotes by modality (firmest first): {counts}.")
    only = [e for e in kg.claims(status="claim only") if edge_modality(e) in ("possible", "potential")]
    print(f"Claims that are only possibilities (no study, no quote stating them as fact): {len(only)}, e.g.")
    for e in only[:3]:
        label = kg.schema.predicates[e.predicate].label
        print(f"  {kg.node(e.subject).label} -[{label}]-> {kg.node(e.object).label}  ({edge_modality(e)})")


def print_contested(kg: sle_graph.KnowledgeGraph) -> None:
    """The contested claims, with the studies on each side (see sle_graph.build.grading)."""
    from sle_graph.build.grading import STATUSES, study_grade

    counts = ", ".join(f"{s} {len(kg.claims(status=s))}" for s in STATUSES)
    contested = kg.claims(status="contested")
    print(f"\nClaims by status: {counts}.\nContested claims: a study as strong as the best support "
          "contradicts them.")
    for e in contested:
        label = kg.schema.predicates[e.predicate].label
        print(f"\n  {kg.node(e.subject).label} -[{label}]-> {kg.node(e.object).label}"
              f"  (best support: {e.grade})")
        articles = sorted({ev.source for ev in e.evidence if ev.kind == "quote"})
        if articles:
            print(f"    {'claimed':>11}: by the article{'s' if len(articles) > 1 else ''} {', '.join(articles)}")
        for stance in ("supports", "contradicts", "neutral"):
            for ev in (ev for ev in e.evidence if ev.kind == "study" and ev.stance == stance):
                study = kg.node(ev.source)
                line = f"{stance:>11}: {study.label} [{study_grade(study)}]: {ev.finding}"
                print(textwrap.fill(line, width=100, initial_indent="    ", subsequent_indent=" " * 17))


def write_diagrams(kg: sle_graph.KnowledgeGraph, folder: str = "out") -> None:
    """Diagrams: the whole graph, and the best path from MSC to reduced disease activity over it;
    and the interactive explorer page with that path highlighted (out/graph.html)."""
    from pathlib import Path

    from sle_graph.errors import RenderError
    from sle_graph import GraphvizNotFound

    out = Path(folder)
    out.mkdir(exist_ok=True)
    found = kg.paths("mesenchymal stem cell", "reduced disease activity", limit=1)
    try:
        kg.render(out / "graph.svg")
        kg.render(out / "path.svg", highlight=found, title=f"Path: {found[0]}")
        written = [out / "graph.svg", out / "path.svg"]
    except GraphvizNotFound as exc:  # DOT text still works without Graphviz
        kg.render(out / "graph.dot")
        kg.render(out / "path.dot", highlight=found, title=f"Path: {found[0]}")
        written = [out / "graph.dot", out / "path.dot"]
        print(f"\n{exc}")
    print("\nDiagrams (open in a browser):")
    print(f"  whole graph:           {written[0].resolve()}")
    print(f"  highlighted best path: {written[1].resolve()}  ({found[0]})")
    try:  # the interactive explorer: search, filter, click an edge for its evidence; works offline
        page = kg.to_html(out / "graph.html", highlight=found)
        print(f"  interactive explorer:  {page.resolve()}")
    except (GraphvizNotFound, RenderError) as exc:  # it needs Graphviz (layout) and pyvis (drawing library)
        print(f"  no interactive explorer: {exc}")


if __name__ == "__main__":
    main()
