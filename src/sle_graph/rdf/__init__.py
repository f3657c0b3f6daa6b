"""The graph as RDF: canonical export (:mod:`.write`, :mod:`.canonical`), reading back
(:mod:`.parse`, with :mod:`.chunks` for large files), SPARQL and SHACL (:mod:`.shacl`).

The names of :mod:`sle_graph.rdf.write` (and :func:`~sle_graph.rdf.parse.read_rdf`) are re-exported here, so ``from sle_graph.rdf import
serialize`` keeps working.

>>> from sle_graph.rdf import FORMATS
>>> "turtle" in FORMATS
True
"""

from . import write
from .parse import read_rdf
from .write import *  # noqa: F401,F403 (the package's public names are those of write, and read_rdf)

__all__ = [*write.__all__, "read_rdf"]
