"""``python -m sle_graph.cli``: the ``sle-graph`` command without the console script."""

from . import run

if __name__ == "__main__":
    run()
