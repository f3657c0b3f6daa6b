"""Building graphs from data files: the curated graph (:func:`load`) and any files in its layout.

Example
-------
>>> import sle_graph
>>> kg = sle_graph.load()
>>> kg.stats()["edges"] > 0
True
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Mapping, Sequence

from .._resources import data_file
from ..errors import Problem, ValidationError
from ..graph import KnowledgeGraph
from ..ontology import Schema, schema as default_schema
from ..build.records import read_assertions, read_entities
from ..build.studies import attach_studies, read_studies

__all__ = ["load", "load_files", "CURATED_ENTITIES", "CURATED_ASSERTIONS", "CURATED_STUDIES"]

#: The curated data files, in the order they are read.
CURATED_ENTITIES = ("entities.tsv", "study_entities.tsv")
CURATED_ASSERTIONS = ("assertions.tsv", "study_assertions.tsv")
#: The clinical evidence table (Study node attributes, see :mod:`sle_graph.build.studies`).
CURATED_STUDIES = ("studies.tsv",)


def load_files(
    entities: Sequence[str | Path],
    assertions: Sequence[str | Path],
    *,
    schema: Schema | None = None,
    sources: Mapping[str, str] | None = None,
    studies: Sequence[str | Path] = (),
) -> KnowledgeGraph:
    """Build and validate a graph from entity and assertion tables (layout in ``data/README.md``).

    Raises :class:`~sle_graph.errors.ValidationError` listing every problem, with file and line.
    ``sources`` (document id -> text) also checks each quote against its document.
    ``studies`` are clinical evidence tables whose rows become the attributes of Study nodes
    (see :mod:`sle_graph.build.studies`).
    """
    schema = schema or default_schema()
    problems: list[Problem] = []
    node_records = [r for path in entities for r in read_entities(path, problems)]
    if studies:
        node_records = attach_studies(node_records, [s for p in studies for s in read_studies(p, problems)],
                                      problems)
    assertion_records = [r for path in assertions for r in read_assertions(path, problems)]
    return KnowledgeGraph.from_records(node_records, assertion_records, schema=schema, problems=problems,
                                       sources=sources)


@functools.lru_cache(maxsize=1)
def _curated() -> KnowledgeGraph:
    return load_files([data_file(n) for n in CURATED_ENTITIES],
                      [data_file(n) for n in CURATED_ASSERTIONS],
                      studies=[data_file(n) for n in CURATED_STUDIES])


def load() -> KnowledgeGraph:
    """The curated graph of stem-cell therapy for SLE, validated against the ontology.

    The graph is immutable, so repeated calls return the same object.

    >>> import sle_graph
    >>> kg = sle_graph.load()
    >>> kg.node("SLE").kind
    'Disease'
    """
    return _curated()
