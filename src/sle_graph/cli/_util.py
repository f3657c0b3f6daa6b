"""Helpers shared by the subcommands: aligned tables, progress on a terminal only, ``--graph FILE``."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from typing import Any, Sequence, TextIO


def print_table(header: Sequence[str], rows: Sequence[Sequence[Any]], file: TextIO | None = None) -> None:
    """Print rows as an aligned text table (numbers right-aligned)."""
    file = file or sys.stdout
    cells = [[str(h) for h in header]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    numeric = [all(isinstance(r[i], (int, float)) for r in rows) and rows for i in range(len(header))]
    for n, r in enumerate(cells):
        parts = [c.rjust(w) if numeric[i] else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))]
        print("  ".join(parts).rstrip(), file=file)
        if n == 0:
            print("  ".join("-" * w for w in widths), file=file)


def progress(message: str) -> None:
    """Show a progress line on stderr when it is a terminal (``""`` clears it); say nothing when piped."""
    if sys.stderr.isatty():
        print(f"\r{message}\033[K", end="", file=sys.stderr, flush=True)


def with_caret(reason: str, text: str | None, column: int | None, width: int | None = None) -> str:
    """``reason``, then ``text`` (a line of the user's input) with a caret under ``column``
    (1-based), both indented two spaces. A line wider than the terminal (``width`` columns; at
    least 40) is cut to a window around the column, ``...`` marking what is left out; tabs show as
    one space each, so that the caret lines up.

    >>> print(with_caret("bad at column 5", "a = = b", 5))
    bad at column 5
      a = = b
          ^
    >>> print(with_caret("bad", "x" * 60 + " ! " + "y" * 60, 62, width=44))
    bad
      ...xxxxxxxxxxxxxxxxx ! yyyyyyyyyyyyyyyy...
                           ^
    """
    if text is None or column is None:
        return reason
    room = max(40, (width or shutil.get_terminal_size().columns) - 2)
    text = text.replace("\t", " ")
    at = min(max(column - 1, 0), len(text))
    if len(text) > room:
        inner = room - 6  # room for "..." on both sides
        start = min(max(at - inner // 2, 0), len(text) - inner)
        left, right = ("..." if start else ""), ("..." if start + inner < len(text) else "")
        text, at = left + text[start:start + inner] + right, at - start + len(left)
    return f"{reason}\n  {text}\n  {' ' * at}^"


def plain(docstring: str) -> str:
    """A docstring's reStructuredText made plain for ``--help``: ``code`` -> code,
    :func:`sle_graph.read_kgx` -> sle_graph.read_kgx(), :mod:`sle_graph.merge` -> sle_graph.merge."""
    text = re.sub(r":(?:meth|func):`~?([^`]+)`", r"\1()", docstring)
    text = re.sub(r":(?:mod|class|attr|data):`~?([^`]+)`", r"\1", text)
    return text.replace("``", "")


def add_graph_option(p: argparse.ArgumentParser, help: str | None = None) -> None:  # noqa: A002
    """``--graph FILE``: query or draw a graph file (any format :func:`sle_graph.read` reads)
    instead of the curated graph."""
    p.add_argument("--graph", metavar="FILE", help=help or (
        "the graph to use instead of the curated one: a file or folder in any format sle_graph reads "
        "(Turtle and other RDF, KGX, Hetionet, your own facts), such as the output of 'sle-graph merge'"))


def load_graph(source: str | None) -> Any:
    """The graph in ``source`` (read with :func:`sle_graph.read`), or the curated graph when None."""
    import sle_graph

    if source is None:
        return sle_graph.load()
    from . import UserError

    if not os.path.exists(source):
        raise UserError(f"--graph {source}: no such file or folder")
    progress(f"reading {source}...")
    try:
        return sle_graph.read(source)
    finally:
        progress("")
