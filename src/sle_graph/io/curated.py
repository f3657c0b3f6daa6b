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

#: The curated entity tables (in ``data/``), in the order they are read.
#:
#: Examples
#: --------
#: >>> from sle_graph.io.curated import CURATED_ENTITIES
#: >>> CURATED_ENTITIES
#: ('entities.tsv', 'study_entities.tsv')
CURATED_ENTITIES = ("entities.tsv", "study_entities.tsv")
#: The curated assertion tables (in ``data/``), in the order they are read.
#:
#: Examples
#: --------
#: >>> from sle_graph.io.curated import CURATED_ASSERTIONS
#: >>> CURATED_ASSERTIONS
#: ('assertions.tsv', 'study_assertions.tsv')
CURATED_ASSERTIONS = ("assertions.tsv", "study_assertions.tsv")
#: The clinical evidence table (Study node attributes, see :mod:`sle_graph.build.studies`).
#:
#: Examples
#: --------
#: >>> from sle_graph._resources import data_file
#: >>> from sle_graph.io.curated import CURATED_STUDIES
#: >>> [data_file(name).is_file() for name in CURATED_STUDIES]
#: [True]
CURATED_STUDIES = ("studies.tsv",)


def load_files(
    entities: Sequence[str | Path],
    assertions: Sequence[str | Path],
    *,
    schema: Schema | None = None,
    sources: Mapping[str, str] | None = None,
    studies: Sequence[str | Path] = (),
) -> KnowledgeGraph:
    r"""Build and validate a graph from entity and assertion tables.

    The tables have the layout of the curated data (``data/README.md``; a template in
    ``examples/user_facts/``): tab-separated, or comma-separated for ``.csv``.

    Parameters
    ----------
    entities : sequence of str or path-like
        Entity tables (``id``, ``kind``, ``label``, ``synonyms``, ``definition``, ...).
    assertions : sequence of str or path-like
        Assertion tables (``subject``, ``predicate``, ``object``, ``source``, and the evidence).
    schema : Schema, optional
        The ontology to check against; the shipped one by default.
    sources : mapping of str to str, optional
        Document id -> text: each quote is also checked against its document.
    studies : sequence of str or path-like, optional
        Clinical evidence tables whose rows become the attributes of Study nodes (see
        :mod:`sle_graph.build.studies`).

    Returns
    -------
    KnowledgeGraph
        The graph of those tables alone.

    Raises
    ------
    ValidationError
        Listing every problem, with file and line; nothing is built then.

    Examples
    --------
    >>> import os, tempfile
    >>> import sle_graph
    >>> path = os.path.join(tempfile.mkdtemp(), "entities.tsv")
    >>> with open(path, "w", encoding="utf-8") as fh:
    ...     _ = fh.write("id\tkind\tlabel\tdefinition\n"
    ...                  "il10\tMechanism\tIL-10 secretion\tRelease of IL-10.\n")
    >>> sle_graph.load_files([path], [])
    <KnowledgeGraph: 1 nodes, 0 edges>
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

    Returns
    -------
    KnowledgeGraph
        Nodes (cells, therapies, mechanisms, outcomes, studies, ...) and edges with their
        evidence: quotes from the source documents and findings of clinical studies.

    Raises
    ------
    ValidationError
        Only if the shipped data is broken (the tests keep it from being).

    Examples
    --------
    >>> import sle_graph
    >>> kg = sle_graph.load()
    >>> kg.node("SLE").kind
    'Disease'
    >>> sle_graph.load() is kg
    True
    """
    return _curated()
