"""sle_graph: a typed, evidence-backed knowledge graph of stem-cell therapy for lupus (SLE).

>>> import sle_graph
>>> kg = sle_graph.load()
>>> kg.node("mesenchymal stem cell").mappings[0]
'CL:0000134'

Operations are imported when first used, so ``import sle_graph; sle_graph.load()`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

from .errors import (EdgeNotFound, EndpointError, GraphvizNotFound, InvalidArgument, NodeNotFound, PatternError,
                     PatternKindError, PatternPredicateError, Problem, RenderError, RenderTimeout, SleGraphError,
                     SparqlError, UnknownFormat, UnknownKind, UnknownPredicate, ValidationError)
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
    "__version__", *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sle_graph' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
