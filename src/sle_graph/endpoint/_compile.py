"""Metapath patterns and bounded path searches compiled to SPARQL 1.1.

A pattern position becomes a variable ``?<v>_n<i>`` (or the IRI of a fixed node); a link becomes
the plain edge triple (``VALUES`` for several predicates; for ``-``, a ``UNION`` of both
directions with ``?<v>_f<i>`` saying which). Matches are simple paths, as in memory: two
positions that could hold the same node get ``FILTER(!sameTerm(...))``.

A kind becomes ``?n a sleo:Kind`` (or ``?n a ?k`` with ``VALUES`` of the kind and its sub-kinds,
from the schema the ontology graph was pushed from), and only where the predicates do not
already imply it: every edge respects its predicate's domain and range (graphs are validated
before they are pushed), so in ``Compound -[binds]-> Gene`` neither type is checked. Measured on
Oxigraph 0.5 (100k edges, 1.8M triples): ``rdf:type/rdfs:subClassOf*`` through the ontology
graph took 6.6 s for a two-hop count, constant types 2.2 s, only the implied-away checks 1.0 s;
``!=`` filters cost 1.3 s where ``!sameTerm`` costs 0.16 s.

Nodes have exactly one ``rdf:type``, so each solution is one path and ``COUNT(*)`` counts paths.

>>> from sle_graph.query.patterns import parse_pattern
>>> print(where(parse_pattern("Therapy -[uses]-> Cell -[acts_through]-> Mechanism"), [None] * 3, "x"))
?x_n0 <https://w3id.org/sle-graph/ontology/uses> ?x_n1 .
?x_n1 <https://w3id.org/sle-graph/ontology/acts_through> ?x_n2 .
>>> print(where(parse_pattern("StemCell -[acts_through]-> Mechanism -[leads_to]-> Mechanism"), [None] * 3, "x"))
?x_n0 a <https://w3id.org/sle-graph/ontology/StemCell> .
?x_n2 a <https://w3id.org/sle-graph/ontology/Mechanism> .
?x_n0 <https://w3id.org/sle-graph/ontology/acts_through> ?x_n1 .
?x_n1 <https://w3id.org/sle-graph/ontology/leads_to> ?x_n2 .
FILTER(!sameTerm(?x_n1, ?x_n2))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from ..ontology import schema as default_schema
from ..vocab import SLEO
from ._rank import STRENGTH

if TYPE_CHECKING:  # pragma: no cover
    from ..ontology import Schema
    from ..query.patterns import LinkSpec, Pattern

__all__ = ["where", "select_rows", "count_query", "paths_query", "edges_of_row", "walk_of_row", "ranked_rows",
           "order_key"]


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


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


def _link_ends(schema: "Schema", link: "LinkSpec", side: int) -> frozenset[str]:
    """The kinds (sub-kinds included) an edge fitting ``link`` can have at its left (0) or right
    (1) position, by its predicates' domain and range."""
    out: set[str] = set()
    for name in link.predicates or schema.predicates:
        p = schema.predicates[name]
        ends = {"forward": (p.domain, p.range), "reverse": (p.range, p.domain)}.get(
            link.direction, (p.domain | p.range, p.domain | p.range))[side]
        for kind in ends:
            out |= schema.descendants(kind)
    return frozenset(out)


def where(pattern: "Pattern", fixed: Sequence[str | None], v: str, schema: "Schema | None" = None,
          *, strength: bool = False) -> str:
    """The graph pattern of ``pattern``; ``fixed[i]`` is the IRI of a fixed node or None.

    Variables are named ``?<v>_n<i>`` (nodes), ``?<v>_k<i>`` (kinds), ``?<v>_p<i>``
    (predicates, when several may fit) and ``?<v>_f<i>`` (1 when an either-way link was walked
    against its edge). With ``strength``, each link also binds ``?<v>_w<i>``, the
    ``sleo:strength`` its push stored on the edge's reified statement (:mod:`._rank`), and
    ``?<v>_o<i>`` the position of ``?<v>_p<i>`` among the link's predicate names, sorted (the
    order the in-memory ranking breaks ties in).
    """
    if schema is None:
        schema = default_schema()
    every = frozenset(schema.kinds)
    terms = [_iri(iri) if iri else f"?{v}_n{i}" for i, iri in enumerate(fixed)]
    possible, lines = [], []
    for i, spec in enumerate(pattern.nodes):
        implied = every
        for link, side in ((pattern.links[i - 1], 1) if i else (None, 0), (pattern.links[i], 0)
                           if i < len(pattern.links) else (None, 0)):
            if link is not None:
                implied = implied & _link_ends(schema, link, side)
        wanted = schema.descendants(spec.kind) if spec.kind is not None and not fixed[i] else every
        possible.append(implied & wanted)
        if wanted is every or implied <= wanted:
            continue
        if len(wanted) == 1:
            lines.append(f"{terms[i]} a {_iri(SLEO + spec.kind)} .")
        else:
            k = f"?{v}_k{i}"
            lines.append(f"{terms[i]} a {k} . VALUES {k} {{ {' '.join(_iri(SLEO + x) for x in sorted(wanted))} }}")
    for i, link in enumerate(pattern.links):
        preds = link.predicates or tuple(schema.predicates)
        if len(preds) == 1:
            p = _iri(SLEO + preds[0])
        elif strength:
            p = f"?{v}_p{i}"
            pairs = " ".join(f"({_iri(SLEO + q)} {n})" for n, q in enumerate(sorted(preds)))
            lines.append(f"VALUES ({p} ?{v}_o{i}) {{ {pairs} }}")
        else:
            p = f"?{v}_p{i}"
            lines.append(f"VALUES {p} {{ {' '.join(_iri(SLEO + q) for q in preds)} }}")
        a, b = terms[i], terms[i + 1]

        def edge(s: str, o: str) -> str:
            if not strength:
                return f"{s} {p} {o} ."
            return (f"{s} {p} {o} . ?{v}_s{i} {_iri(_RDF + 'subject')} {s} ; {_iri(_RDF + 'object')} {o} ; "
                    f"{_iri(_RDF + 'predicate')} {p} ; {_iri(STRENGTH)} ?{v}_w{i} .")

        if link.direction == "forward":
            lines.append(edge(a, b))
        elif link.direction == "reverse":
            lines.append(edge(b, a))
        else:
            lines.append(f"{{ {edge(a, b)} BIND(0 AS ?{v}_f{i}) }} UNION {{ {edge(b, a)} BIND(1 AS ?{v}_f{i}) }}")
    pairs = [f"!sameTerm({terms[i]}, {terms[j]})" for i in range(len(terms)) for j in range(i + 1, len(terms))
             if not (fixed[i] and fixed[j]) and possible[i] & possible[j]]
    if pairs:
        lines.append(f"FILTER({' && '.join(pairs)})")
    return "\n".join(lines)


def _impossible(fixed: Sequence[str | None]) -> bool:
    """Two positions fixed to the same node: no simple path fits."""
    named = [f for f in fixed if f]
    return len(named) != len(set(named))


def count_query(pattern: "Pattern", fixed: Sequence[str | None], schema: "Schema") -> str | None:
    """``SELECT (COUNT(*) AS ?n)`` over the pattern; None when no path can fit."""
    if _impossible(fixed):
        return None
    return f"SELECT (COUNT(*) AS ?n) WHERE {{\n{where(pattern, fixed, 'x', schema)}\n}}"


def _row_vars(pattern: "Pattern", fixed: Sequence[str | None], v: str, schema: "Schema") -> list[str]:
    names = [f"?{v}_n{i}" for i, f in enumerate(fixed) if not f]
    names += [f"?{v}_p{i}" for i, hop in enumerate(_hops(pattern, schema)) if hop.predicate is None]
    names += [f"?{v}_f{i}" for i, link in enumerate(pattern.links) if link.direction == "any"]
    return names


def select_rows(pattern: "Pattern", fixed: Sequence[str | None], schema: "Schema") -> str | None:
    """``SELECT`` of every match's nodes, predicates and directions; None when no path can fit."""
    if _impossible(fixed):
        return None
    body = where(pattern, fixed, "x", schema)
    return f"SELECT {' '.join(_row_vars(pattern, fixed, 'x', schema)) or '*'} WHERE {{\n{body}\n}}"


def ranked_rows(pattern: "Pattern", fixed: Sequence[str | None], schema: "Schema", limit: int,
                offset: int = 0) -> str | None:
    """``SELECT`` of the matches in the order of the in-memory ranking, ``limit`` from ``offset``.

    Strongest first, by the smallest ``sleo:strength`` of the hops (``?x_m``: the weakest edge),
    then by node IRIs, predicate names and directions. Node IRIs sort as node ids do unless an
    id holds a character the IRI %-encodes (see :func:`order_key`). None when no path can fit.

    >>> from sle_graph.query.patterns import parse_pattern
    >>> print(ranked_rows(parse_pattern("Therapy -[uses]-> Cell"), [None, None], default_schema(), 10)
    ...       .splitlines()[-1])
    ORDER BY DESC(?x_m) STR(?x_n0) STR(?x_n1) LIMIT 10
    """
    if _impossible(fixed):
        return None
    body = where(pattern, fixed, "x", schema, strength=True)
    weakest = "?x_w0"
    for i in range(1, len(pattern.links)):
        weakest = f"IF(?x_w{i} < {weakest}, ?x_w{i}, {weakest})"
    names = _row_vars(pattern, fixed, "x", schema)
    order = [f"STR(?x_n{i})" for i, f in enumerate(fixed) if not f]
    order += [f"?x_o{i}" for i, hop in enumerate(_hops(pattern, schema)) if hop.predicate is None]
    order += [f"?x_f{i}" for i, link in enumerate(pattern.links) if link.direction == "any"]
    return (f"SELECT {' '.join(names)} ?x_m WHERE {{\n{body}\nBIND({weakest} AS ?x_m)\n}}\n"
            f"ORDER BY DESC(?x_m) {' '.join(order)} LIMIT {int(limit)}" + (f" OFFSET {int(offset)}" if offset else ""))


def order_key(pattern: "Pattern", nodes: Sequence[str], hops: Sequence[tuple[str, str, str]], weakest: int,
              id_of) -> tuple:
    """The in-memory rank key of a match (:attr:`sle_graph.query.paths.Path.rank_key`), from a row of
    :func:`ranked_rows`: ``nodes`` and ``hops`` as :func:`walk_of_row` gives them, ``weakest`` its
    ``?x_m``, ``id_of`` the node id of a node IRI."""
    back = tuple(h[0] != n for h, n in zip(hops, nodes))
    return (-weakest, tuple(id_of(n) for n in nodes), tuple(h[1] for h in hops), back)


def paths_query(patterns: Sequence["Pattern"], fixed: Sequence[Sequence[str | None]], schema: "Schema") -> str:
    """One ``SELECT``: the ``UNION`` of fixed-length chains. Chain ``j`` uses variables
    ``?l<j>_*``, and its rows bind ``?l<j>_b``."""
    blocks = [f"{{\n{where(p, f, f'l{j}', schema)}\nBIND(1 AS ?l{j}_b)\n}}"
              for j, (p, f) in enumerate(zip(patterns, fixed))]
    names = [n for j, (p, f) in enumerate(zip(patterns, fixed))
             for n in [f"?l{j}_b"] + _row_vars(p, f, f"l{j}", schema)]
    return f"SELECT {' '.join(names) or '*'} WHERE {{\n{' UNION '.join(blocks)}\n}}"


def walk_of_row(pattern: "Pattern", fixed: Sequence[str | None], row: dict, v: str,
                schema: "Schema") -> tuple[list[str], list[tuple[str, str, str]]]:
    """The node IRIs of a result row (JSON bindings), in walking order, and the
    ``(subject IRI, predicate IRI, object IRI)`` of each hop."""
    nodes = [f if f else row[f"{v}_n{i}"]["value"] for i, f in enumerate(fixed)]
    out = []
    for i, hop in enumerate(_hops(pattern, schema)):
        p = hop.predicate or row[f"{v}_p{i}"]["value"]
        a, b = nodes[i], nodes[i + 1]
        flipped = hop.direction == "reverse" or (hop.direction == "any" and row[f"{v}_f{i}"]["value"] == "1")
        out.append((b, p, a) if flipped else (a, p, b))
    return nodes, out


def edges_of_row(pattern: "Pattern", fixed: Sequence[str | None], row: dict, v: str,
                 schema: "Schema") -> list[tuple[str, str, str]]:
    """The ``(subject IRI, predicate IRI, object IRI)`` of each hop of a result row."""
    return walk_of_row(pattern, fixed, row, v, schema)[1]
