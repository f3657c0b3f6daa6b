"""sle_graph: a typed, evidence-backed knowledge graph of stem-cell therapy for lupus (SLE).

>>> import sle_graph
>>> kg = sle_graph.load()
>>> kg.node("mesenchymal stem cell").mappings[0]
'CL:0000134'

Operations are imported when first used, so ``import sle_graph; sle_graph.load()`` stays fast.
"""

from __future__ import annotations

import importlib as _importlib
from typing import Any as _Any

from .errors import (EdgeNotFound, EndpointError, GraphvizNotFound, InvalidArgument, NodeNotFound, PatternError,
                     PatternKindError, PatternPredicateError, Problem, RenderError, RenderTimeout, SleGraphError,
                     SparqlError, UnknownFormat, UnknownKind, UnknownPredicate, ValidationError)
from .errors import LimitExceeded, QueryBudgetExceeded, SourceNotFound
from .graph import KnowledgeGraph
from .io.curated import load, load_files
from .model import Edge, Evidence, Node
from . import _moved  # noqa: F401 (old module names keep importing)

__version__ = "0.1.0"

#: Public names defined in operation modules: name -> module (imported on first access).
_LAZY = {
    "read": "io.formats",
    "read_rdf": "rdf.parse",
    "validate": "rdf.shacl",
    "Path": "query.paths",
    "to_frame": "io.dataframes",
    "render": "draw.diagram",
    "read_kgx": "io.kgx",
    "read_hetionet": "io.hetionet",
    "connect": "endpoint",
    "RemoteGraph": "endpoint",
}

__all__ = [
    "load", "load_files", "KnowledgeGraph", "Node", "Edge", "Evidence",
    "Problem", "SleGraphError", "ValidationError", "NodeNotFound", "EdgeNotFound", "UnknownKind",
    "UnknownPredicate", "PatternError", "PatternKindError", "PatternPredicateError", "SparqlError",
    "UnknownFormat", "InvalidArgument", "RenderError", "GraphvizNotFound", "RenderTimeout", "EndpointError",
    "QueryBudgetExceeded", "LimitExceeded", "SourceNotFound",
    "__version__", *_LAZY,
]


def __getattr__(name: str) -> _Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sle_graph' has no attribute {name!r}")
    value = getattr(_importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


#: The package's modules (``sle_graph.query``, ...) are listed by ``dir()`` beside its names.
_MODULES = ("errors", "vocab", "model", "ontology", "graph", "build", "io", "rdf", "query", "draw", "merge",
            "extend", "endpoint", "cli", "gc_pause", "progress", "limits")


def __dir__() -> list[str]:
    """Public names only: what ``from sle_graph import *`` gives, and the modules."""
    return sorted(set(__all__) | set(_MODULES))


del annotations  # the ``from __future__`` import binds this name; it is not part of the API
