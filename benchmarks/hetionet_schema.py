"""Hetionet's metagraph as a :class:`sle_graph.ontology.Schema`, read from ``benchmarks/data/``.

Hetionet v1.0 has 11 node kinds (metanodes) and 24 edge kinds (metaedges such as
``Compound - binds - Gene``). Here each metanode becomes a kind under the root ``Entity``
(``Side Effect`` -> ``SideEffect``), each verb a predicate whose domain and range are the union of
the kinds of the metaedges sharing it, and ``SourceDocument`` is added so edges can carry quote
evidence. The metagraph files (Hetionet v1.0's metanodes and metaedges with their counts, CC0)
ship in ``benchmarks/data/``; a test checks they equal those of ``../shared/data``. The real
node list, used only for labels and the link benchmark, is too large to ship: :func:`node_list`
finds it in ``../shared/data`` beside the repository, or in the folder named by the environment
variable ``SLE_GRAPH_SHARED``.

>>> s = hetionet_schema()
>>> sorted(s.predicates["participates"].range)[:2]
['BiologicalProcess', 'CellularComponent']
>>> s.allows("treats", "Compound", "Disease"), s.allows("treats", "Disease", "Compound")
(True, False)
"""

from __future__ import annotations

import csv
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sle_graph.ontology import ROOT_KIND, Kind, Predicate, Schema

__all__ = ["MetaEdge", "MetaNode", "DATA", "NO_NODE_LIST", "node_list", "metanodes", "metaedges",
           "hetionet_schema", "kind_name", "HETIONET_EDGES", "SOURCE_KIND"]

#: Edges in the real Hetionet v1.0 (the sum of the metaedge counts).
HETIONET_EDGES = 2_250_197
#: The kind of the nodes that quote evidence cites.
SOURCE_KIND = "SourceDocument"

REPO = Path(__file__).resolve().parent.parent
#: The shipped metagraph files.
DATA = Path(__file__).resolve().parent / "data"
#: Why a benchmark that needs the real node list did not run.
NO_NODE_LIST = "needs the Hetionet node list of ../shared/data: set SLE_GRAPH_SHARED to the shared folder"

# Alignments of kinds and predicates to Biolink, only with CURIEs from
# shared/reference/ontology_ids.tsv (a test checks that each one is listed there).
_KIND_MAPPINGS = {  # kind -> (exact, close)
    "Anatomy": (("biolink:AnatomicalEntity",), ()),
    "BiologicalProcess": (("biolink:BiologicalProcess",), ()),
    "Disease": (("biolink:Disease",), ()),
    "SideEffect": ((), ("biolink:PhenotypicFeature",)),
    "Symptom": ((), ("biolink:PhenotypicFeature",)),
}
_PREDICATE_MAPPINGS = {
    "causes": (("biolink:causes",), ()),
    "palliates": ((), ("biolink:ameliorates_condition",)),
    "regulates": (("biolink:regulates",), ()),
    "treats": (("biolink:treats",), ()),
}


@dataclass(frozen=True)
class MetaNode:
    """A Hetionet node kind with its node count."""

    name: str  # as Hetionet spells it: "Side Effect"
    kind: str  # our kind name: "SideEffect"
    abbreviation: str
    nodes: int


@dataclass(frozen=True)
class MetaEdge:
    """A Hetionet edge kind: ``subject -predicate-> object`` with its counts."""

    name: str  # "Compound - binds - Gene"
    abbreviation: str
    subject: str  # our kind names
    predicate: str
    object: str
    directed: bool  # "Gene > regulates > Gene"; the others are undirected in Hetionet
    edges: int
    source_nodes: int
    target_nodes: int


def node_list() -> Path | None:
    """The real Hetionet v1.0 node list, ``data/hetionet-v1.0-nodes.tsv`` of the ``shared`` folder
    (``$SLE_GRAPH_SHARED``, or ``../shared`` beside the repository); ``None`` when it is not there."""
    folder = Path(os.environ.get("SLE_GRAPH_SHARED", REPO.parent / "shared"))
    path = folder / "data" / "hetionet-v1.0-nodes.tsv"
    return path if path.is_file() else None


def kind_name(metanode: str) -> str:
    """``"Side Effect"`` -> ``"SideEffect"``."""
    return "".join(w[:1].upper() + w[1:] for w in metanode.split())


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@functools.lru_cache(maxsize=None)
def metanodes() -> tuple[MetaNode, ...]:
    """Hetionet's node kinds, in file order."""
    return tuple(MetaNode(r["metanode"], kind_name(r["metanode"]), r["abbreviation"], int(r["nodes"]))
                 for r in _rows("hetionet-v1.0-metanodes.tsv"))


_METAEDGE = re.compile(r"^(.+?) ([->]) (\w+) \2 (.+)$")


@functools.lru_cache(maxsize=None)
def metaedges() -> tuple[MetaEdge, ...]:
    """Hetionet's edge kinds, in file order."""
    out = []
    for r in _rows("hetionet-v1.0-metaedges.tsv"):
        m = _METAEDGE.match(r["metaedge"])
        if m is None:
            raise ValueError(f"unexpected metaedge {r['metaedge']!r} in hetionet-v1.0-metaedges.tsv")
        subject, arrow, verb, obj = m.groups()
        out.append(MetaEdge(r["metaedge"], r["abbreviation"], kind_name(subject), verb, kind_name(obj),
                            arrow == ">", int(r["edges"]), int(r["source_nodes"]), int(r["target_nodes"])))
    return tuple(out)


@functools.lru_cache(maxsize=None)
def hetionet_schema() -> Schema:
    """The schema of Hetionet-shaped graphs (kinds under ``Entity``, plus ``SourceDocument``)."""
    kinds = [Kind(ROOT_KIND, "entity", "Anything a Hetionet-shaped graph describes.", None),
             Kind(SOURCE_KIND, "source document", "A document whose text evidence quotes.", ROOT_KIND)]
    for m in metanodes():
        exact, close = _KIND_MAPPINGS.get(m.kind, ((), ()))
        kinds.append(Kind(m.kind, m.name.lower(), f"Hetionet v1.0 metanode {m.name!r} ({m.nodes:,} nodes).",
                          ROOT_KIND, exact, close))
    by_verb: dict[str, list[MetaEdge]] = {}
    for e in metaedges():
        by_verb.setdefault(e.predicate, []).append(e)
    predicates = []
    for verb, edges in by_verb.items():
        exact, close = _PREDICATE_MAPPINGS.get(verb, ((), ()))
        predicates.append(Predicate(
            verb, verb, "Hetionet v1.0 metaedge " + "; ".join(repr(e.name) for e in edges) + ".",
            frozenset(e.subject for e in edges), frozenset(e.object for e in edges), exact, close))
    return Schema.build(kinds, predicates, iri="https://w3id.org/sle-graph/benchmarks/hetionet",
                        version="1.0", title="Hetionet v1.0 metagraph (benchmarks)", license="CC0-1.0")
