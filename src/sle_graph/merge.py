"""Merging two graphs: nodes matched by id and by standard identifier (CURIE), nothing dropped.

``merge(kg, other)`` returns a new graph; neither input changes. A node of ``other`` *lands* on a
node of ``kg`` when

- it has the same id (then it must be the same concept: same kind and label), or
- its id, or one of its exact mappings, is an **exact** mapping of a node of ``kg``: a KGX node
  ``MONDO:0007915`` or a Hetionet node ``DOID:9074`` lands on our ``sle`` node.

Close mappings never merge nodes: a close mapping names a related but different concept
(``GO:0042060`` wound healing is only close to our *tissue repair*), and merging would conflate
them. Such a node stays a node of its own.

A landed node keeps our id, kind, label and definition, and gains what the other graph knew:
its label and synonyms as synonyms, its mappings (and its id, when that is a CURIE of a known
prefix) as mappings, other ids under the attribute ``xref``, its attributes (a value that differs
from ours is joined to it with ``|``). Edges follow their nodes; evidence of the same assertion is
pooled. Predicates and kinds the other graph added to its schema (imported predicates, see
:func:`sle_graph.ontology.external_predicate`) are added to the merged graph's schema.

Problems (an id that names another concept, a node whose identifiers point at two of our nodes,
a mapping already used by another node, an edge whose kinds no longer fit its predicate) are
collected and raised together as :class:`~sle_graph.errors.ValidationError`.

Example
-------
>>> import sle_graph
>>> from sle_graph import KnowledgeGraph, Node, Edge, Evidence
>>> kg = sle_graph.load()
>>> other = KnowledgeGraph(
...     [Node("MONDO:0007915", "Disease", "SLE", definition="A lupus."),
...      Node("NCBIGene:3586", "ExternalEntity", "IL10", definition="A gene.",
...           attributes={"category": "biolink:Gene"})],
...     [Edge("NCBIGene:3586", "related_to", "MONDO:0007915", (Evidence("PMID:1", reference="PMID:1"),))])
>>> merged = kg.merge(other)
>>> merged.edge("NCBIGene:3586", "related_to", "sle").evidence[0].reference
'PMID:1'
>>> "SLE" in merged.node("sle").synonyms, len(merged) == len(kg) + 1
(True, True)
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Mapping

from .build.validation import evidence_kinds
from .errors import Problem, ValidationError
from .gc_pause import gc_paused
from .graph import KnowledgeGraph
from .model import Edge, Evidence, Node
from .ontology import Schema
from .vocab import is_curie, prefixes

__all__ = ["merge", "absorb", "merge_schemas", "join_values"]


def join_values(ours: str, theirs: str) -> str:
    """Two ``|``-separated value lists as one, ours first, without repeats.

    Parameters
    ----------
    ours : str
        Values joined by ``|`` (empty for none); they come first, in their order.
    theirs : str
        Values joined by ``|``; those ``ours`` lacks follow, in their order.

    Returns
    -------
    str
        The values of both joined by ``|``, each once.

    Examples
    --------
    >>> join_values("a|b", "b|c")
    'a|b|c'
    """
    parts = [p for p in ours.split("|") if p]
    parts += [p for p in theirs.split("|") if p and p not in parts]
    return "|".join(parts)


def absorb(ours: Node, theirs: Node) -> Node:
    """``ours`` with what ``theirs`` (the same concept, from another graph) adds to it.

    Their label and synonyms become synonyms, their id and exact mappings exact mappings (a CURIE
    of no known prefix goes to the ``xref`` attribute instead), their close mappings and attributes
    are added where ours lack them; nothing of ours changes.

    Parameters
    ----------
    ours : Node
        The node of the graph merged into; its id, kind and label stay.
    theirs : Node
        The node of the other graph that stands for the same concept.

    Returns
    -------
    Node
        ``ours`` itself when ``theirs`` adds nothing, else a new node with both's names and mappings.

    Examples
    --------
    >>> a = Node("sle", "Disease", "systemic lupus erythematosus", exact_mappings=("MONDO:0007915",))
    >>> b = Node("DOID:9074", "Disease", "SLE", synonyms=("lupus",), exact_mappings=("MONDO:0007915",))
    >>> n = absorb(a, b)
    >>> n.synonyms, n.exact_mappings
    (('SLE', 'lupus'), ('MONDO:0007915', 'DOID:9074'))
    """
    if ours == theirs:
        return ours
    names = {ours.label.casefold(), *(s.casefold() for s in ours.synonyms)}
    synonyms = list(ours.synonyms)
    for name in (theirs.label, *theirs.synonyms):
        if name and name.casefold() not in names:
            names.add(name.casefold())
            synonyms.append(name)
    have = set(ours.mappings)
    exact, close = list(ours.exact_mappings), list(ours.close_mappings)
    attributes = dict(ours.attributes)
    ids = [theirs.id] if theirs.id != ours.id else []
    for curie in ids + list(theirs.exact_mappings):
        if curie in have:
            continue
        if is_curie(curie) and curie.partition(":")[0] in prefixes():
            exact.append(curie)
            have.add(curie)
        else:
            attributes["xref"] = join_values(attributes.get("xref", ""), curie)
    for curie in theirs.close_mappings:
        if curie not in have:
            close.append(curie)
            have.add(curie)
    for key, value in theirs.attributes.items():
        attributes[key] = join_values(attributes[key], value) if key in attributes else value
    return replace(ours, synonyms=tuple(synonyms), exact_mappings=tuple(exact), close_mappings=tuple(close),
                   definition=ours.definition or theirs.definition, attributes=attributes)


def merge_schemas(ours: "Schema", theirs: "Schema", problems: list[Problem]) -> "Schema":
    """``ours`` extended with the kinds and predicates only ``theirs`` has.

    A name both define differently (a predicate linking other kinds, a kind under another parent)
    is a problem; ours is kept.

    Parameters
    ----------
    ours : Schema
        The schema of the graph merged into.
    theirs : Schema
        The schema of the other graph.
    problems : list of Problem
        Where each conflict is appended, one :class:`~sle_graph.Problem` per name.

    Returns
    -------
    Schema
        ``ours`` with the kinds and predicates of ``theirs`` it lacked.

    Examples
    --------
    >>> from sle_graph.ontology import external_predicate, schema
    >>> theirs = schema().extended(predicates=[external_predicate("hetionet:binds")])
    >>> problems = []
    >>> merged = merge_schemas(schema(), theirs, problems)
    >>> problems, "hetionet:binds" in merged.predicates, "hetionet:binds" in schema().predicates
    ([], True, False)
    """
    for name, p in theirs.predicates.items():
        mine = ours.predicates.get(name)
        if mine is not None and (mine.domain, mine.range) != (p.domain, p.range):
            problems.append(Problem(f"predicate {name!r} links other kinds in the merged graph",
                                    suggestion="rename the predicate in one of the graphs"))
    for name, k in theirs.kinds.items():
        mine_k = ours.kinds.get(name)
        if mine_k is not None and mine_k.parent != k.parent:
            problems.append(Problem(f"kind {name!r} has another parent in the merged graph"))
    return ours.extended(kinds=theirs.kinds.values(), predicates=theirs.predicates.values())


def _owners(nodes: Mapping[str, Node]) -> dict[str, str]:
    """Exact-mapping CURIE -> node id (a CURIE maps to one node; validation ensures it)."""
    return {c: n.id for n in nodes.values() for c in n.exact_mappings}


def _landing(ours: Mapping[str, Node], theirs: Iterable[Node],
             problems: list[Problem]) -> dict[str, str]:
    """Their node id -> the id it has in the merged graph (ours when it lands, else its own)."""
    owners = _owners(ours)
    target: dict[str, str] = {}
    for n in theirs:
        where = f"node {n.id!r}"
        if n.id in ours:
            old = ours[n.id]
            if old.kind != n.kind or old.label != n.label:
                problems.append(Problem(
                    f"{where}: the id already names {old.label!r} ({old.kind}), not {n.label!r} ({n.kind})",
                    column="id", suggestion="give one of them another id"))
            target[n.id] = n.id
            continue
        hits = sorted({owners[c] for c in (n.id, *n.exact_mappings) if c in owners})
        if len(hits) > 1:
            problems.append(Problem(f"{where}: its identifiers name {len(hits)} nodes: {', '.join(hits)}",
                                    column="exact_mappings", suggestion="a node may match one node only"))
        target[n.id] = hits[0] if hits else n.id
    return target


@gc_paused()
def merge(kg: "KnowledgeGraph", other: "KnowledgeGraph") -> "KnowledgeGraph":
    """A new graph with ``other`` merged into ``kg``; neither changes.

    See :mod:`sle_graph.merge` for the rules (nodes matched by id and CURIE, evidence joined).

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph merged into.
    other : KnowledgeGraph
        The graph merged in.

    Returns
    -------
    KnowledgeGraph
        Both graphs' nodes and edges.

    Raises
    ------
    ValidationError
        Listing every problem (a node of two kinds, ...).

    Examples
    --------
    >>> import sle_graph
    >>> from sle_graph.merge import merge
    >>> kg = sle_graph.load()
    >>> merge(kg, kg.subgraph(["msc"])) == kg
    True
    """
    problems: list[Problem] = []
    schema = merge_schemas(kg.schema, other.schema, problems)
    target = _landing(kg.node_map, other.node_map.values(), problems)

    nodes = dict(kg.node_map)
    new_ids: list[str] = []
    for their_id, our_id in target.items():
        theirs = other.node_map[their_id]
        if our_id in nodes:
            nodes[our_id] = absorb(nodes[our_id], theirs)
        else:
            nodes[our_id] = theirs
            new_ids.append(our_id)
    _check_mappings(nodes, problems)

    edges = dict(kg.edge_map)
    moved = {t for t, o in target.items() if o != t or t in kg.node_map}
    for e in other.edge_map.values():
        key = (target[e.subject], e.predicate, target[e.object])
        old = edges.get(key)
        if old is None and e.subject not in moved and e.object not in moved \
                and not any(ev.source in moved for ev in e.evidence):
            edges[key] = e  # between nodes only the other graph has: valid there, valid here
            continue
        evidence = [ev if target.get(ev.source, ev.source) == ev.source
                    else replace(ev, source=target[ev.source]) for ev in e.evidence]
        pooled = set(evidence) | set(old.evidence if old else ())
        edges[key] = Edge(*key, evidence=tuple(sorted(pooled, key=Evidence.sort_key)))
        _check_edge(edges[key], nodes, schema, problems)
    if problems:
        raise ValidationError(problems)
    return KnowledgeGraph.from_checked(nodes, edges, schema=schema)


def _check_mappings(nodes: Mapping[str, Node], problems: list[Problem]) -> None:
    owner: dict[str, str] = {}
    for n in nodes.values():
        for curie in n.mappings:
            first = owner.setdefault(curie, n.id)
            if first != n.id:
                problems.append(Problem(f"node {n.id!r}: mapping {curie} is already used by node {first!r}",
                                        column="mappings", suggestion="describe the concept once"))


def _check_edge(e: Edge, nodes: Mapping[str, Node], schema: "Schema", problems: list[Problem]) -> None:
    where = f"edge {e.subject} -[{e.predicate}]-> {e.object}"
    if e.predicate not in schema.predicates:
        problems.append(Problem(f"{where}: unknown predicate {e.predicate!r}"))
        return
    s, o = nodes[e.subject], nodes[e.object]
    if not schema.allows(e.predicate, s.kind, o.kind):
        p = schema.predicates[e.predicate]
        problems.append(Problem(
            f"{where}: after merging, {e.predicate} links {s.kind} -> {o.kind}; it expects "
            f"{' or '.join(sorted(p.domain))} -> {' or '.join(sorted(p.range))}", column="predicate"))
    for ev in e.evidence:
        wanted = evidence_kinds.get(ev.kind)
        if wanted is not None and (ev.source not in nodes or nodes[ev.source].kind != wanted):
            problems.append(Problem(f"{where}: evidence source {ev.source!r} is not a {wanted} node",
                                    column="source"))
