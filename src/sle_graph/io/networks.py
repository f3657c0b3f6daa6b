"""GraphML and GEXF for Cytoscape, Gephi and igraph: the graph with every attribute a scalar.

GraphML and GEXF hold only scalar attributes (text, numbers, booleans), so ``networkx``'s writers
refuse :meth:`KnowledgeGraph.to_networkx` (lists of synonyms, evidence records). Here each node
and edge gets scalar attributes only:

Nodes: ``kind``, ``label``, ``definition``, ``synonyms`` and ``mappings`` (the lists joined with
``|``, :data:`JOIN`; no curated value holds a ``|``), and the nodes' own ``attributes`` (study
facts: ``design``, ``n_patients``, ...) as text, empty on nodes without them.

Edges (the edge's GraphML/GEXF id is its predicate, unique between two nodes): ``predicate``,
``grade`` and ``status`` (empty text where the graph has none), ``evidence_count``, ``supports``,
``contradicts`` and ``neutral`` (counts of the evidence records by stance), ``sources`` (the cited
documents and studies, sorted, joined with ``|``) and ``evidence``: every evidence record as JSON
(a list of objects with the fields of :class:`~sle_graph.model.Evidence` that are set, keys
sorted), so nothing is lost.

Missing values are empty text, never absent, so every node (edge) has the same columns in
Cytoscape's and Gephi's tables. The output is deterministic: nodes and edges in id order, and
GEXF without its optional ``lastmodifieddate`` (which would change the bytes every day).

Example
-------
>>> import os, tempfile, networkx as nx, sle_graph
>>> kg = sle_graph.load()
>>> path = os.path.join(tempfile.mkdtemp(), "sle.graphml")
>>> kg.to_graphml(path)
>>> g = nx.read_graphml(path)
>>> g.number_of_nodes() == len(kg), g.nodes["msc"]["kind"]
(True, 'StemCell')
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from ..atomic import atomic_write

if TYPE_CHECKING:  # pragma: no cover
    import networkx

    from ..graph import KnowledgeGraph
    from ..model import Edge

__all__ = ["JOIN", "STANCES", "scalar_networkx", "write_graphml", "write_gexf", "evidence_json"]

#: What joins the items of a list-valued attribute.
#:
#: Examples
#: --------
#: >>> import sle_graph
#: >>> from sle_graph.io.networks import JOIN, scalar_networkx
#: >>> kg = sle_graph.load()
#: >>> scalar_networkx(kg).nodes["msc"]["synonyms"] == JOIN.join(kg.node("msc").synonyms)
#: True
JOIN = "|"
#: The evidence stances counted per edge (one column each).
#:
#: Examples
#: --------
#: >>> import sle_graph
#: >>> from sle_graph.io.networks import STANCES, scalar_networkx
#: >>> edge = scalar_networkx(sle_graph.load()).edges["msc", "immunomodulation", "acts_through"]
#: >>> sum(edge[s] for s in STANCES) == edge["evidence_count"]
#: True
STANCES = ("supports", "contradicts", "neutral")


def evidence_json(edge: "Edge") -> str:
    """The edge's evidence records as compact JSON: a list of objects, the fields that are set, keys sorted.

    Parameters
    ----------
    edge : Edge
        An edge of a graph.

    Returns
    -------
    str
        JSON text, one object per evidence record, in the edge's order; non-ASCII kept as is.

    Examples
    --------
    >>> import sle_graph
    >>> edge = sle_graph.load().edge("msc", "acts_through", "immunomodulation")
    >>> import json; json.loads(evidence_json(edge))[0]["source"] in edge.sources
    True
    """
    records = []
    for ev in edge.evidence:
        record: dict[str, Any] = {}
        for f in fields(ev):
            value = getattr(ev, f.name)
            if f.name == "attributes":
                if value:
                    record[f.name] = dict(value)
            elif value is not None:
                record[f.name] = value
        records.append(record)
    return json.dumps(records, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def scalar_networkx(kg: "KnowledgeGraph") -> "networkx.MultiDiGraph":
    """A ``networkx.MultiDiGraph`` whose attributes are all scalars (module docstring), edge key = predicate.

    What :meth:`KnowledgeGraph.to_networkx` returns with ``scalar=True``, and what the GraphML
    and GEXF writers write.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes and edges in id order, each with the attributes the module docstring lists.

    Examples
    --------
    >>> import sle_graph
    >>> g = sle_graph.load().to_networkx(scalar=True)
    >>> sorted(g.edges["msc", "immunomodulation", "acts_through"])[:4]
    ['contradicts', 'evidence', 'evidence_count', 'grade']
    """
    import networkx as nx

    g = nx.MultiDiGraph()
    extra = sorted({k for n in kg.node_map.values() for k in n.attributes})
    for node_id in sorted(kg.node_map):
        n = kg.node_map[node_id]
        attrs = {k: str(n.attributes.get(k, "")) for k in extra}
        attrs.update(kind=n.kind, label=n.label, definition=n.definition, synonyms=JOIN.join(n.synonyms),
                     mappings=JOIN.join(n.mappings))
        g.add_node(n.id, **attrs)
    for key in sorted(kg.edge_map):
        e = kg.edge_map[key]
        stances = {s: 0 for s in STANCES}
        for ev in e.evidence:
            stances[ev.stance] = stances.get(ev.stance, 0) + 1
        g.add_edge(e.subject, e.object, key=e.predicate, predicate=e.predicate, grade=e.grade or "",
                   status=e.status or "", evidence_count=len(e.evidence), **stances,
                   sources=JOIN.join(sorted(set(e.sources))), evidence=evidence_json(e))
    return g


def write_graphml(kg: "KnowledgeGraph", path: "str | os.PathLike[str]") -> None:
    """Write ``kg`` as GraphML, for Cytoscape, Gephi, igraph and yEd.

    The attributes are those :mod:`sle_graph.io.networks` describes.

    What :meth:`KnowledgeGraph.to_graphml` calls.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    path : str or path-like
        The file to write.

    Raises
    ------
    OSError
        When the file cannot be written.

    Examples
    --------
    >>> import os, tempfile, sle_graph
    >>> from sle_graph.io.networks import write_graphml
    >>> path = os.path.join(tempfile.mkdtemp(), "g.graphml")
    >>> write_graphml(sle_graph.load(), path); open(path).read(38)
    "<?xml version='1.0' encoding='utf-8'?>"
    """
    import networkx as nx

    with atomic_write(path, "wb") as fh:
        nx.write_graphml(scalar_networkx(kg), fh, encoding="utf-8", prettyprint=True)


_DATE = re.compile(r' lastmodifieddate="[^"]*"')


def write_gexf(kg: "KnowledgeGraph", path: "str | os.PathLike[str]") -> None:
    """Write ``kg`` as GEXF 1.2, Gephi's format.

    The attributes are those :mod:`sle_graph.io.networks` describes.

    What :meth:`KnowledgeGraph.to_gexf` calls.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    path : str or path-like
        The file to write.

    Raises
    ------
    OSError
        When the file cannot be written.

    Examples
    --------
    >>> import os, tempfile, networkx as nx, sle_graph
    >>> from sle_graph.io.networks import write_gexf
    >>> path = os.path.join(tempfile.mkdtemp(), "g.gexf")
    >>> write_gexf(sle_graph.load(), path)
    >>> nx.read_gexf(path).number_of_edges() == len(sle_graph.load().edges())
    True
    """
    import networkx as nx

    lines = nx.generate_gexf(scalar_networkx(kg), encoding="utf-8", prettyprint=True, version="1.2draft")
    with atomic_write(path, encoding="utf-8", newline="\n") as fh:
        fh.write("<?xml version='1.0' encoding='utf-8'?>\n")
        for line in lines:
            fh.write(_DATE.sub("", line, count=1) + "\n")
