"""Metapath patterns and bounded path searches compiled to SPARQL 1.1.

A pattern position becomes a variable ``?n<i>`` (or the IRI of a fixed node); a kind becomes
``?n<i> a ?k<i> . GRAPH <ontology> { ?k<i> rdfs:subClassOf* sleo:Kind }``, so sub-kinds resolve
through the pushed ontology; a link becomes the plain edge triple (``VALUES`` for several
predicates; a ``UNION`` of both directions, with ``?f<i>`` saying which, for ``-``). Every two
positions hold different nodes (``FILTER(?a != ?b)``): matches are simple paths, as in memory.
Nodes have exactly one ``rdf:type``, so each solution is one path and ``COUNT(*)`` counts paths.

>>> from sle_graph.patterns import parse_pattern
>>> print(where(parse_pattern("Cell -[acts_through]-> Mechanism"), [None, None], "urn:o", "x"))
?x_n0 a ?x_k0 . GRAPH <urn:o> { ?x_k0 rdfs:subClassOf* <https://w3id.org/sle-graph/ontology/Cell> }
?x_n1 a ?x_k1 . GRAPH <urn:o> { ?x_k1 rdfs:subClassOf* <https://w3id.org/sle-graph/ontology/Mechanism> }
?x_n0 <https://w3id.org/sle-graph/ontology/acts_through> ?x_n1 .
FILTER(?x_n0 != ?x_n1)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from ..namespaces import SLEO

if TYPE_CHECKING:  # pragma: no cover
    from ..ontology import Schema
    from ..patterns import Pattern

__all__ = ["where", "select_rows", "count_query", "paths_query", "edges_of_row", "PREFIX_RDFS"]

PREFIX_RDFS = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def _iri(text: str) -> str:
    return f"<{text}>"


@dataclass(frozen=True)
class _Hop:
    """How to read one link back from a result row."""

    predicate: str | None  # the IRI when fixed, else None (read ?p<i>)
    direction: str


def _hops(pattern: "Pattern", schema: "Schema") -> list[_Hop]:
    out = []
    for link in pattern.links:
        preds = link.predicates or tuple(schema.predicates)
        out.append(_Hop(SLEO + preds[0] if len(preds) == 1 else None, link.direction))
    return out


def where(pattern: "Pattern", fixed: Sequence[str | None], ontology_graph: str, v: str,
          schema: "Schema | None" = None) -> str:
    """The graph pattern of ``pattern``; ``fixed[i]`` is the IRI of a fixed node or None.

    Variables are named ``?<v>_n<i>`` (nodes), ``?<v>_p<i>`` (predicates, when several may
    fit) and ``?<v>_f<i>`` (1 when an either-way link was walked against its edge).
    """
    if schema is None:
        from ..ontology import schema as default_schema

        schema = default_schema()
    terms = [_iri(iri) if iri else f"?{v}_n{i}" for i, iri in enumerate(fixed)]
    lines = []
    for i, spec in enumerate(pattern.nodes):
        if fixed[i] is None and spec.kind is not None:
            k = f"?{v}_k{i}"
            lines.append(f"{terms[i]} a {k} . GRAPH {_iri(ontology_graph)} {{ {k} rdfs:subClassOf* "
                         f"{_iri(SLEO + spec.kind)} }}")
    for i, link in enumerate(pattern.links):
        preds = link.predicates or tuple(schema.predicates)
        if len(preds) == 1:
            p = _iri(SLEO + preds[0])
        else:
            p = f"?{v}_p{i}"
            lines.append(f"VALUES {p} {{ {' '.join(_iri(SLEO + q) for q in preds)} }}")
        a, b = terms[i], terms[i + 1]
        if link.direction == "forward":
            lines.append(f"{a} {p} {b} .")
        elif link.direction == "reverse":
            lines.append(f"{b} {p} {a} .")
        else:
            lines.append(f"{{ {a} {p} {b} . BIND(0 AS ?{v}_f{i}) }} UNION {{ {b} {p} {a} . BIND(1 AS ?{v}_f{i}) }}")
    pairs = [f"{terms[i]} != {terms[j]}" for i in range(len(terms)) for j in range(i + 1, len(terms))
             if not (fixed[i] and fixed[j])]
    if pairs:
        lines.append(f"FILTER({' && '.join(pairs)})")
    return "\n".join(lines)


def _impossible(fixed: Sequence[str | None]) -> bool:
    """Two positions fixed to the same node: no simple path fits."""
    named = [f for f in fixed if f]
    return len(named) != len(set(named))


def count_query(pattern: "Pattern", fixed: Sequence[str | None], ontology_graph: str, schema: "Schema") -> str | None:
    """``SELECT (COUNT(*) AS ?n)`` over the pattern; None when no path can fit."""
    if _impossible(fixed):
        return None
    return PREFIX_RDFS + f"SELECT (COUNT(*) AS ?n) WHERE {{\n{where(pattern, fixed, ontology_graph, 'x', schema)}\n}}"


def _row_vars(pattern: "Pattern", fixed: Sequence[str | None], v: str, schema: "Schema") -> list[str]:
    names = [f"?{v}_n{i}" for i, f in enumerate(fixed) if not f]
    names += [f"?{v}_p{i}" for i, hop in enumerate(_hops(pattern, schema)) if hop.predicate is None]
    names += [f"?{v}_f{i}" for i, link in enumerate(pattern.links) if link.direction == "any"]
    return names


def select_rows(pattern: "Pattern", fixed: Sequence[str | None], ontology_graph: str, schema: "Schema") -> str | None:
    """``SELECT`` of every match's nodes, predicates and directions; None when no path can fit."""
    if _impossible(fixed):
        return None
    body = where(pattern, fixed, ontology_graph, "x", schema)
    return PREFIX_RDFS + f"SELECT {' '.join(_row_vars(pattern, fixed, 'x', schema)) or '*'} WHERE {{\n{body}\n}}"


def paths_query(patterns: Sequence["Pattern"], fixed: Sequence[Sequence[str | None]], ontology_graph: str,
                schema: "Schema") -> str:
    """One ``SELECT``: the ``UNION`` of fixed-length chains. Chain ``j`` uses variables
    ``?l<j>_*``, and its rows bind ``?l<j>_b``."""
    blocks = [f"{{\n{where(p, f, ontology_graph, f'l{j}', schema)}\nBIND(1 AS ?l{j}_b)\n}}"
              for j, (p, f) in enumerate(zip(patterns, fixed))]
    names = [n for j, (p, f) in enumerate(zip(patterns, fixed))
             for n in [f"?l{j}_b"] + _row_vars(p, f, f"l{j}", schema)]
    return PREFIX_RDFS + f"SELECT {' '.join(names) or '*'} WHERE {{\n{' UNION '.join(blocks)}\n}}"


def edges_of_row(pattern: "Pattern", fixed: Sequence[str | None], row: dict, v: str,
                 schema: "Schema") -> list[tuple[str, str, str]]:
    """The ``(subject IRI, predicate IRI, object IRI)`` of each hop of a result row (JSON bindings)."""
    nodes = []
    for i, f in enumerate(fixed):
        if f:
            nodes.append(f)
            continue
        nodes.append(row[f"{v}_n{i}"]["value"])
    out = []
    for i, hop in enumerate(_hops(pattern, schema)):
        p = hop.predicate or row[f"{v}_p{i}"]["value"]
        a, b = nodes[i], nodes[i + 1]
        flipped = hop.direction == "reverse" or (hop.direction == "any" and row[f"{v}_f{i}"]["value"] == "1")
        out.append((b, p, a) if flipped else (a, p, b))
    return out
