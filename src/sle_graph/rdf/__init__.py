"""The graph as RDF: canonical export (:mod:`.write`, :mod:`.canonical`), reading back
(:mod:`.parse`, with :mod:`.chunks` for large files), SPARQL on an embedded Oxigraph store
(:mod:`.store`) and SHACL (:mod:`.shacl`).

The names of :mod:`sle_graph.rdf.write` (and :func:`~sle_graph.rdf.parse.read_rdf`) are re-exported here, so ``from sle_graph.rdf import
serialize`` keeps working.

>>> from sle_graph.rdf import FORMATS
>>> "turtle" in FORMATS
True
"""

from typing import Any

from . import write
from .write import *  # noqa: F401,F403 (the package's public names are those of write, and read_rdf)

__all__ = [*write.__all__, "read_rdf"]


def __getattr__(name: str) -> Any:
    # read_rdf on first use: writing (kg.serialize imports this package) needs none of parsing.
    if name == "read_rdf":
        from .parse import read_rdf

        return read_rdf
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
