"""Ask how one node leads to another: ranked paths, each edge with the evidence behind it.

    python examples/ask_paths.py                                    # MSC -> reduced disease activity
    python examples/ask_paths.py HSCT "reduced disease activity"    # any ids, labels, synonyms or CURIEs
    python examples/ask_paths.py msc lupus out                      # also writes out/paths.csv

The same from the shell: ``sle-graph paths msc "reduced disease activity"`` and
``sle-graph match "Therapy -> Mechanism -> Outcome"``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import sle_graph


def main(source: str = "mesenchymal stem cell", target: str = "reduced disease activity",
         folder: str = "out") -> Path | None:
    kg = sle_graph.load()
    try:
        found = kg.paths(source, target, max_hops=3)
    except KeyError as exc:  # an unknown node: the message names the closest matches
        sys.exit(f"ask_paths: {exc}")
    if not found:
        print(f"no path from {kg.node(source).label!r} to {kg.node(target).label!r} within 3 hops")
        return None
    print(found.explain())  # ranked: fewer hops, then the strongest weakest edge

    # A metapath question: which mechanisms link a therapy to an outcome, and how often?
    pattern = "Therapy -> Mechanism -> Outcome"
    print(f"\n{kg.count(pattern)} paths fit {pattern!r}; the top three:")
    print(kg.match(pattern, limit=3))

    try:
        table = found.to_frame()  # needs pandas: pip install pandas
    except ImportError as exc:
        print(f"\n(no CSV written: {exc})")
        return None
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "paths.csv"
    table.to_csv(path, index=False)
    print(f"\nwrote {path} ({len(table)} path{'' if len(table) == 1 else 's'})")
    return path


if __name__ == "__main__":
    main(*sys.argv[1:4])
