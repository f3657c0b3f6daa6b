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

Nothing reaches the query text unchecked: every kind and predicate is one of the schema's and
fits in an IRI (:func:`ontology_term`), every fixed node is an IRI SPARQL can hold, and a
:class:`~sle_graph.query.patterns.Pattern` built by hand is checked as the parser would
(:func:`check_pattern`), so a name can never close an IRI and add SPARQL of its own.

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

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Collection, Sequence

from ..errors import InvalidArgument
from ..ontology import schema as default_schema
from ..query.patterns import LINK_DIRECTIONS, LinkSpec, NodeSpec, Pattern
from ._rank import level_predicate
from ..rdf.write import kind_term, predicate_term

if TYPE_CHECKING:  # pragma: no cover
    from ..ontology import Schema

__all__ = ["where", "select_rows", "count_query", "paths_query", "edges_of_row", "walk_of_row", "ontology_term",
           "check_pattern", "ranked_rows", "bands_fit", "exists_query", "order_key", "banded", "predicate_iri", "kind_iri",
           "predicate_names"]

#: What an IRI written ``<...>`` in SPARQL may not hold (IRIREF), controls and spaces included.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _iri(text: str) -> str:
    return f"<{text}>"


def ontology_term(name: Any, known: Collection[str], what: str = "kind") -> str:
    """The export IRI (:func:`kind_iri`, :func:`predicate_iri`), written ``<...>``, of a kind or
    predicate ``name`` of ``known``; else InvalidArgument.

    >>> ontology_term("Cell", {"Cell"})
    '<https://w3id.org/sle-graph/ontology/Cell>'
    >>> ontology_term("biolink:interacts_with", {"biolink:interacts_with"}, "predicate")
    '<https://w3id.org/biolink/vocab/interacts_with>'
    >>> ontology_term("Cell> } #", {"Cell"})
    Traceback (most recent call last):
    ...
    sle_graph.errors.InvalidArgument: kind 'Cell> } #' is not one of the schema's, or cannot be part of an IRI
    """
    if not isinstance(name, str) or name not in known or _NOT_IN_IRI.search(name):
        raise InvalidArgument(f"{what} {name!r} is not one of the schema's, or cannot be part of an IRI")
    return _iri(predicate_iri(name) if what == "predicate" else kind_iri(name))


def check_pattern(pattern: Any, fixed: Sequence[Any] | None, schema: "Schema") -> None:
    """InvalidArgument unless ``pattern`` is a :class:`Pattern` of the schema's kinds and predicates
    (what :func:`~sle_graph.query.patterns.parse_pattern` would give) and ``fixed`` (unless None)
    one IRI or None per position."""
    if fixed is None:
        fixed = [None] * len(getattr(pattern, "nodes", ()))
    if (not isinstance(pattern, Pattern) or not isinstance(pattern.nodes, tuple) or not isinstance(pattern.links, tuple)
            or len(pattern.nodes) != len(pattern.links) + 1 or len(fixed) != len(pattern.nodes)):
        raise InvalidArgument("a pattern is a Pattern of n + 1 NodeSpec and n LinkSpec (parse_pattern gives one)")
    for spec in pattern.nodes:
        if not isinstance(spec, NodeSpec) or not (spec.ref is None or isinstance(spec.ref, str)):
            raise InvalidArgument(f"a pattern's node is a NodeSpec with a kind or a ref string, not {spec!r}")
        if spec.kind is not None:
            ontology_term(spec.kind, schema.kinds, "kind")
    for link in pattern.links:
        if (not isinstance(link, LinkSpec) or link.direction not in LINK_DIRECTIONS
                or not isinstance(link.predicates, tuple)):
            raise InvalidArgument(f"a pattern's link is a LinkSpec with a tuple of predicates and a direction "
                                  f"among {', '.join(LINK_DIRECTIONS)}, not {link!r}")
        for name in link.predicates:
            ontology_term(name, schema.predicates, "predicate")
    for iri in fixed:
        if iri is not None and (not isinstance(iri, str) or _NOT_IN_IRI.search(iri)):
            raise InvalidArgument(f"a fixed node is an IRI SPARQL can hold, not {iri!r}")


@dataclass(frozen=True)
class _Hop:
    """How to read one link back from a result row."""

    predicate: str | None  # the IRI when fixed, else None (read ?p<i>)
    direction: str


def _hops(pattern: "Pattern", schema: "Schema") -> list[_Hop]:
    out = []
    for link in pattern.links:
        preds = link.predicates or tuple(schema.predicates)
        out.append(_Hop(predicate_iri(preds[0]) if len(preds) == 1 else None, link.direction))
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
          bands: "Sequence[Sequence[tuple[str, int, str]]] | None" = None,
          graphs: "tuple[str, str] | None" = None) -> str:
    """The graph pattern of ``pattern``; ``fixed[i]`` is the IRI of a fixed node or None.

    Variables are named ``?<v>_n<i>`` (nodes), ``?<v>_k<i>`` (kinds), ``?<v>_p<i>``
    (predicates, when several may fit) and ``?<v>_f<i>`` (1 when an either-way link was walked
    against its edge). With ``bands`` (per link, the ``(strength predicate, score, predicate
    name)`` allowed, see :mod:`._rank`), each link walks the strength graph's copy of its edge
    instead, and binds ``?<v>_w<i>`` (the edge's strength), ``?<v>_p<i>`` (its predicate) and
    ``?<v>_o<i>`` (the predicate's position among the link's names, sorted: the order the
    in-memory ranking breaks ties in); ``graphs`` then names the data graph and the strength
    graph, which the patterns address with ``GRAPH`` (Oxigraph plans a query over one named
    graph far better than one over a default graph merged from two).
    """
    if schema is None:
        schema = default_schema()
    check_pattern(pattern, fixed, schema)
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
            line = f"{terms[i]} a {ontology_term(spec.kind, schema.kinds)} ."
        else:
            k = f"?{v}_k{i}"
            line = f"{terms[i]} a {k} . VALUES {k} {{ {' '.join(ontology_term(x, schema.kinds) for x in sorted(wanted))} }}"
        lines.append(f"GRAPH {_iri(graphs[0])} {{ {line} }}" if graphs else line)
    for i, link in enumerate(pattern.links):
        preds = link.predicates or tuple(schema.predicates)
        a, b = terms[i], terms[i + 1]
        if bands is not None:
            lines.append(_banded(v, i, a, b, link.direction, preds, bands[i], graphs, schema))
            continue
        if len(preds) == 1:
            p = ontology_term(preds[0], schema.predicates, "predicate")
        else:
            p = f"?{v}_p{i}"
            lines.append(f"VALUES {p} {{ {' '.join(ontology_term(q, schema.predicates, 'predicate') for q in preds)} }}")
        if link.direction == "forward":
            lines.append(f"{a} {p} {b} .")
        elif link.direction == "reverse":
            lines.append(f"{b} {p} {a} .")
        else:
            lines.append(f"{{ {a} {p} {b} . BIND(0 AS ?{v}_f{i}) }} UNION {{ {b} {p} {a} . BIND(1 AS ?{v}_f{i}) }}")
    # Against fixed nodes, ``?v NOT IN (<iri>, ...)``: Virtuoso 7.2 keeps rows that
    # ``!sameTerm(<iri>, ?v)`` should drop (where ``?v`` is bound by a strength walk) and plans
    # ``?v != <iri>`` ten times slower (15 s against 1.6 s for a three-hop paths query at 100k
    # edges); for IRIs all three mean the same.
    clash = {(i, j) for i in range(len(terms)) for j in range(i + 1, len(terms))
             if not (fixed[i] and fixed[j]) and possible[i] & possible[j]}
    pairs = []
    for i in range(len(terms)):
        against = [terms[j] for j in range(len(terms)) if fixed[j] and (min(i, j), max(i, j)) in clash]
        if against and not fixed[i]:
            pairs.append(f"{terms[i]} NOT IN ({', '.join(against)})")
    pairs += [f"!sameTerm({terms[i]}, {terms[j]})" for i, j in sorted(clash) if not (fixed[i] or fixed[j])]
    if pairs:
        lines.append(f"FILTER({' && '.join(pairs)})")
    return "\n".join(lines)


def _banded(v: str, i: int, a: str, b: str, direction: str, preds: Sequence[str],
            band: Sequence[tuple[str, int, str]], graphs: "tuple[str, str] | None", schema: "Schema") -> str:
    """Link ``i`` walked through the strength graph: one triple pattern whose predicate
    ``?<v>_q<i>`` joins a ``VALUES`` table of the band's strength predicates, with each one's
    strength, predicate and position among the link's names.

    The text grows by one short row per strength, never by a branch: one ``UNION`` branch per
    strength predicate (each an index lookup of a constant) made Virtuoso refuse ranked two-hop
    queries as too long (SP031) and take a minute on a two-hop pattern of any predicate at 100k
    edges, where this form takes 0.4 s; Oxigraph runs both alike.
    """
    order = {q: n for n, q in enumerate(sorted(preds))}
    band = [lvl for lvl in band if lvl[2] in order]
    if not band:
        return "FILTER(false)"
    sides = {"forward": [(a, b, None)], "reverse": [(b, a, None)], "any": [(a, b, 0), (b, a, 1)]}[direction]
    q = f"?{v}_q{i}"
    walks = []
    for s, o, flip in sides:
        edge = f"{s} {q} {o} ."
        if graphs:
            edge = f"GRAPH {_iri(graphs[1])} {{ {edge} }}"
        walks.append(edge if flip is None else f"{{ {edge} BIND({flip} AS ?{v}_f{i}) }}")
    rows = " ".join(f"({_iri(level_predicate(score, name))} {int(score)} "
                    f"{ontology_term(name, schema.predicates, 'predicate')} {order[name]})" for _, score, name in band)
    return f"{' UNION '.join(walks)}\nVALUES ({q} ?{v}_w{i} ?{v}_p{i} ?{v}_o{i}) {{ {rows} }}"


def banded(link: "LinkSpec", preds: Sequence[str], band: Sequence[tuple[str, int, str]],
           graphs: "tuple[str, str] | None", schema: "Schema") -> str:
    """The edges of ``link`` in ``band``, from ``?s`` (where a match starts) to ``?o``."""
    return _banded("y", 0, "?s", "?o", link.direction, preds, band, graphs, schema)
def predicate_iri(name: str) -> str:
    """The IRI a predicate has in the export: ``sleo:<name>``, or an imported CURIE's own IRI
    (``hetionet:treats``, ``biolink:interacts_with``)."""
    return predicate_term(name).value


def kind_iri(name: str) -> str:
    """The IRI a kind has in the export."""
    return kind_term(name).value


def predicate_names(schema: "Schema") -> dict[str, str]:
    """Predicate IRI -> name, for the predicates of ``schema``."""
    return {predicate_iri(name): name for name in schema.predicates}


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


def bands_fit(pattern: "Pattern", bands: Sequence[Sequence[tuple[str, int, str]]], schema: "Schema") -> bool:
    """Whether every link of ``pattern`` has a strength predicate of one of its predicates in its
    band (else no match lies in the bands: no query is needed, and Virtuoso refuses some
    queries holding ``FILTER(false)``)."""
    for link, band in zip(pattern.links, bands):
        names = set(link.predicates or schema.predicates)
        if not any(name in names for _, _, name in band):
            return False
    return True


def ranked_rows(pattern: "Pattern", fixed: Sequence[str | None], schema: "Schema",
                bands: Sequence[Sequence[tuple[str, int, str]]], limit: int, *,
                weakest: int | None = None, graphs: "tuple[str, str] | None" = None) -> str | None:
    """``SELECT`` of the matches whose edges lie in ``bands``, ranked as in memory, the first ``limit``.

    Strongest first, by the smallest strength of the hops (``?x_m``: the weakest edge), then by
    node IRIs, predicate names and directions. ``weakest``: only matches whose weakest edge has this strength. Node IRIs sort as node ids
    do unless an id holds a character the IRI %-encodes (see
    :meth:`sle_graph.RemoteGraph.match`). None when no path can fit.

    >>> from sle_graph.query.patterns import parse_pattern
    >>> bands = [[("urn:sle-graph:strength:5:uses", 5, "uses")]]
    >>> print(ranked_rows(parse_pattern("Therapy -[uses]-> Cell"), [None, None], default_schema(), bands, 10)
    ...       .splitlines()[-1])
    ORDER BY DESC(?x_m) STR(?x_n0) STR(?x_n1) LIMIT 10
    """
    if _impossible(fixed) or not bands_fit(pattern, bands, schema):
        return None
    body = where(pattern, fixed, "x", schema, bands, graphs)
    weak = "?x_w0"
    for i in range(1, len(pattern.links)):
        weak = f"IF(?x_w{i} < {weak}, ?x_w{i}, {weak})"
    if weakest is not None:
        body += f"\nFILTER({' || '.join(f'?x_w{i} = {int(weakest)}' for i in range(len(pattern.links)))})"
    names = _row_vars(pattern, fixed, "x", schema)
    order = [f"STR(?x_n{i})" for i, f in enumerate(fixed) if not f]
    order += [f"?x_o{i}" for i, hop in enumerate(_hops(pattern, schema)) if hop.predicate is None]
    order += [f"?x_f{i}" for i, link in enumerate(pattern.links) if link.direction == "any"]
    return (f"SELECT {' '.join(names)} ?x_m WHERE {{\n{body}\nBIND({weak} AS ?x_m)\n}}\n"
            f"ORDER BY DESC(?x_m) {' '.join(order)} LIMIT {int(limit)}")


def exists_query(pattern: "Pattern", fixed: Sequence[str | None], schema: "Schema",
                 bands: Sequence[Sequence[tuple[str, int, str]]], weakest: int,
                 graphs: "tuple[str, str] | None" = None) -> str | None:
    """``ASK``: does a match have all its edges in ``bands`` and its weakest of strength
    ``weakest``? None when none can (:func:`bands_fit`)."""
    if not bands_fit(pattern, bands, schema):
        return None
    body = where(pattern, fixed, "x", schema, bands, graphs)
    return (f"ASK {{\n{body}\n"
            f"FILTER({' || '.join(f'?x_w{i} = {int(weakest)}' for i in range(len(pattern.links)))})\n}}")


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
