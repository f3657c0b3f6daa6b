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
    edge = max(kg.edges(), key=lambda e: (len(e.sources), len(e.evidence)))
    subj, obj = kg.node(edge.subject), kg.node(edge.object)
    label = kg.schema.predicates[edge.predicate].label
    print(f"\nOne edge and its evidence:\n  {subj.label} -[{label}]-> {obj.label}")
    for ev in edge.evidence:
        quote = textwrap.fill(f'"{ev.quote}"', width=90, initial_indent="      ", subsequent_indent="       ")
        print(f"    {ev.source} [{ev.start}:{ev.end}]\n{quote}")


if __name__ == "__main__":
    main()
