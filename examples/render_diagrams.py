"""Draw diagrams of the curated graph: the whole graph, one neighbourhood, and ranked paths.

    python examples/render_diagrams.py          # writes out/graph.svg, out/msc.png, out/paths.svg
    python examples/render_diagrams.py mydir

Images need Graphviz (``apt-get install graphviz``, ``brew install graphviz``, ``conda install
graphviz``); without it this script writes DOT text instead, which any Graphviz viewer opens.
The same from the shell: ``sle-graph render -o graph.svg``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import sle_graph
from sle_graph import GraphvizNotFound


def main(folder: str = "out") -> list[Path]:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    kg = sle_graph.load()
    msc = kg.node("mesenchymal stem cell")
    found = kg.paths(msc, "reduced disease activity", limit=3)
    drawings = [
        ("graph.svg", kg, {}),                                          # everything, with a legend
        ("msc.png", kg.neighbors(msc, hops=1), {"title": f"Neighbourhood of {msc.label}"}),
        ("paths.svg", kg, {"highlight": found, "title": f"Top {len(found)} paths"}),  # bold over faded
    ]
    written = []
    for name, what, options in drawings:
        path = out / name
        try:
            sle_graph.render(what, path, **options)
        except GraphvizNotFound as exc:
            print(f"{exc}\n-> writing DOT text instead")
            path = path.with_suffix(".dot")
            sle_graph.render(what, path, **options)
        written.append(path)
        print(f"wrote {path}")
    print("\nThe highlighted paths:")
    print(found)
    return written


if __name__ == "__main__":
    main(*sys.argv[1:2])
