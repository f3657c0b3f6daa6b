"""Write the domain and range shapes of the ontology into ``ontology/shapes.ttl``.

Usage (from the repository root)::

    python tools/shapes.py          # rewrite the generated part of ontology/shapes.ttl
    python tools/shapes.py --check  # exit 1 when the file and the ontology disagree, change nothing

The file keeps its hand-written shapes above the line ``sle_graph.rdf.shacl.GENERATED_MARK``;
below it come, from ``ontology/sle_graph.ttl``, one shape per predicate for its domain and one
for its range (``sle_graph.rdf.shacl.shapes_text``). Run it after changing a predicate's domain
or range; ``tests/rdf/test_shapes_file.py`` fails until then.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sle_graph.rdf.shacl import shapes_text  # noqa: E402


def main(argv: list[str]) -> int:
    path = ROOT / "ontology" / "shapes.ttl"
    text = shapes_text()
    current = path.read_text(encoding="utf-8")
    if "--check" in argv:
        if current != text:
            print(f"{path}: the domain and range shapes differ from the ontology; run python tools/shapes.py",
                  file=sys.stderr)
            return 1
        return 0
    if current != text:
        path.write_text(text, encoding="utf-8")
        print(f"{path}: domain and range shapes written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
