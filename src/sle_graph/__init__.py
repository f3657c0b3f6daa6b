"""sle_graph: a typed, evidence-backed knowledge graph of stem-cell therapy for lupus (SLE).

>>> import sle_graph
>>> kg = sle_graph.load()
>>> kg.node("mesenchymal stem cell").mappings[0]
'CL:0000134'
"""

from __future__ import annotations

from .errors import Problem, SleGraphError, ValidationError
from .graph import KnowledgeGraph, NodeNotFound
from .loading import load, load_files
from .model import Edge, Evidence, Node

__version__ = "0.1.0"

__all__ = [
    "load", "load_files", "KnowledgeGraph", "Node", "Edge", "Evidence",
    "Problem", "SleGraphError", "ValidationError", "NodeNotFound", "__version__",
]
