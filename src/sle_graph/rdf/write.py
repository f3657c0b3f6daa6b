"""The graph as RDF: export in every rdflib format (canonical Turtle first), read back, SPARQL.

Modelling (IRIs under ``https://w3id.org/sle-graph/``; see docs/rdf.md):

* a node is ``sle:<id> a sleo:<Kind>`` with ``rdfs:label``, ``skos:altLabel`` (synonyms),
  ``skos:definition``, ``skos:exactMatch`` / ``skos:closeMatch`` (expanded CURIEs) and one
  ``sleo:<key>`` literal per attribute (``rdfs:seeAlso`` links to PubMed, doi.org and
  ClinicalTrials.gov are derived from ``pmid``, ``doi`` and NCT ``trial_registry_id``);
* an edge is one plain triple ``sle:<s> sleo:<predicate> sle:<o>`` (SPARQL paths walk it) and an
  ``rdf:Statement`` ``statement:<hash of s|p|o>`` that is ``prov:wasDerivedFrom`` one
  ``prov:Entity`` per evidence record (``evidence:<hash>``): the record is
  ``prov:wasDerivedFrom`` its source node (a source that names no node, as the free text of a
  reference, is a ``dcterms:source`` literal) and carries ``sleo:stance`` / ``sleo:finding`` /
  ``sleo:measure``, ``dcterms:bibliographicCitation`` for a free-text reference, and for a quote
  an ``oa:TextQuoteSelector`` (``oa:exact``) and an ``oa:TextPositionSelector`` (``oa:start``,
  ``oa:end``);
* no blank nodes: every IRI is derived from content, so Turtle, N-Triples and JSON-LD are written
  canonically (same graph, same bytes) by :mod:`sle_graph.rdf.canonical` and diff cleanly in git;
  other formats are written by rdflib.

Example
-------
>>> import sle_graph
>>> kg = sle_graph.load()
>>> text = kg.serialize(format="turtle")
>>> sle_graph.read_rdf(text) == kg
True
>>> kg.sparql("ASK { sle:msc sleo:acts_through+ ?mechanism }")
[{'ask': True}]
"""

from __future__ import annotations

import functools
import hashlib
import io
from json import dumps as _json_dumps
import re
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Iterable, Iterator, Mapping
from urllib.parse import quote

from .._resources import ontology_file
from ..atomic import atomic_write
from ..errors import InvalidArgument, Problem, SparqlError, ValidationError
from ..io.formats import by_name, rdf_names
from ..model import Edge, Evidence, Node
from ..ontology import schema as shipped
from .. import progress as progress_module
from ..progress import bar
from ..vocab import prefixes as curie_prefixes
from .canonical import (Block, CORE_PREFIXES, Iri, Lit, jsonld_text, ntriples_chunks, turtle_chunks,
                        turtle_iri, turtle_string, write_chunks)

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

    from ..graph import KnowledgeGraph
    from ..ontology import Schema

__all__ = ["to_rdf", "serialize", "sparql", "blocks", "FORMATS", "PREFIXES", "statement_iri",
           "node_iri", "predicate_term", "kind_term", "local_name", "name_of_local", "ORDER_PROPERTIES",
           "format_name", "python_value"]

# -- vocabulary -----------------------------------------------------------------------------------

RDF_TYPE = Iri("rdf", "type")
RDF_STATEMENT = Iri("rdf", "Statement")
RDF_SUBJECT = Iri("rdf", "subject")
RDF_PREDICATE = Iri("rdf", "predicate")
RDF_OBJECT = Iri("rdf", "object")
RDFS_LABEL = Iri("rdfs", "label")
RDFS_SEE_ALSO = Iri("rdfs", "seeAlso")
SKOS_ALT_LABEL = Iri("skos", "altLabel")
SKOS_DEFINITION = Iri("skos", "definition")
SKOS_EXACT = Iri("skos", "exactMatch")
SKOS_CLOSE = Iri("skos", "closeMatch")
PROV_ENTITY = Iri("prov", "Entity")
PROV_DERIVED = Iri("prov", "wasDerivedFrom")
OA_HAS_SELECTOR = Iri("oa", "hasSelector")
OA_QUOTE_SELECTOR = Iri("oa", "TextQuoteSelector")
OA_POSITION_SELECTOR = Iri("oa", "TextPositionSelector")
OA_EXACT = Iri("oa", "exact")
OA_START = Iri("oa", "start")
OA_END = Iri("oa", "end")
DCT_CITATION = Iri("dcterms", "bibliographicCitation")
DCT_SOURCE = Iri("dcterms", "source")
XSD_NNI = Iri("xsd", "nonNegativeInteger")
XSD_INTEGER = Iri("xsd", "integer")
OWL_CLASS = Iri("owl", "Class")
OWL_OBJECT_PROPERTY = Iri("owl", "ObjectProperty")
RDFS_SUBCLASS_OF = Iri("rdfs", "subClassOf")
RDFS_SUBPROPERTY_OF = Iri("rdfs", "subPropertyOf")
SCHEMA_DOMAIN = Iri("schema", "domainIncludes")
SCHEMA_RANGE = Iri("schema", "rangeIncludes")
SLEO_STANCE = Iri("sleo", "stance")
SLEO_FINDING = Iri("sleo", "finding")
SLEO_MEASURE = Iri("sleo", "measure")
SLEO_MODALITY = Iri("sleo", "modality")
SLEO_GRADE = Iri("sleo", "grade")
SLEO_STATUS = Iri("sleo", "status")

#: Node fields whose order RDF cannot hold, and the ``sleo:`` property that records it when the
#: order is not the sorted one: indexes into the sorted distinct values, e.g. ``"1 0"``.
ORDER_PROPERTIES = {"synonyms": "synonym_order", "exact_mappings": "exact_mapping_order",
                    "close_mappings": "close_mapping_order"}

#: Every prefix an export may use: ours, the W3C vocabularies, and the CURIE prefix table.
PREFIXES: dict[str, str] = {**CORE_PREFIXES, **curie_prefixes()}

#: ``serialize`` format names (and aliases) -> the canonical name (a view of the registry,
#: :mod:`sle_graph.io.formats`).
FORMATS = rdf_names()
_XML_FORMATS = {"xml", "pretty-xml", "trix"}
# XML 1.0 cannot hold these characters, not even escaped (and keeps no "\r" in text content).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# -- IRIs -----------------------------------------------------------------------------------------

def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def local_name(name: str) -> str:
    """A name (attribute key, predicate, kind) as the local part of a ``sleo:`` IRI.

    Letters, digits, ``_`` and ``-`` stay; any other character becomes ``_xHHHH_`` (XML's name
    escape; ``_UHHHHHHHH_`` beyond U+FFFF), as does a leading digit or ``-`` and a ``_`` before
    ``x`` or ``U``. So the IRI ends in an XML name, which every RDF syntax (RDF/XML too) can
    write as a property, and :func:`name_of_local` gives the name back.

    >>> local_name("n_patients"), local_name("n patients"), local_name("1st")
    ('n_patients', 'n_x0020_patients', '_x0031_st')
    >>> name_of_local(local_name("a_x:é 😀")) == "a_x:é 😀"
    True
    """
    out = []
    for i, c in enumerate(name):
        keep = c.isascii() and (c.isalpha() or c == "_" or (i > 0 and (c.isdigit() or c == "-")))
        if c == "_" and name[i + 1:i + 2] in ("x", "U"):
            keep = False
        out.append(c if keep else f"_x{ord(c):04X}_" if ord(c) <= 0xFFFF else f"_U{ord(c):08X}_")
    return "".join(out)


_ESCAPED = re.compile(r"_x([0-9A-F]{4})_|_U([0-9A-F]{8})_")


def name_of_local(local: str) -> str:
    """The name :func:`local_name` encoded."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), local)


def node_iri(node_id: str) -> str:
    """The IRI of a node (or of any other id: characters an IRI cannot hold are %-encoded).

    >>> node_iri("msc")
    'https://w3id.org/sle-graph/resource/msc'
    """
    return PREFIXES["sle"] + quote(node_id, safe=":~")


def statement_iri(subject: str, predicate: str, object: str) -> str:  # noqa: A002
    """The stable IRI of the reified statement of an edge (a hash of ``subject|predicate|object``)."""
    return PREFIXES["statement"] + _hash(f"{subject}|{predicate}|{object}")


def _attributes(record: Any) -> list[tuple[str, str]]:
    return sorted((getattr(record, "attributes", None) or {}).items())


def _evidence_hash(edge: Edge, ev: Evidence) -> str:
    # A JSON array is an unambiguous, version-independent text of the fields.
    fields = [*edge.key, ev.source, ev.quote, ev.start, ev.end, ev.stance, ev.finding, ev.measure, ev.reference]
    fields += [part for item in _attributes(ev) for part in item]
    if ev.modality is not None:  # appended only when set, so records without one keep their IRIs
        fields += ["modality", ev.modality]
    return _hash(_json_dumps(fields, ensure_ascii=False))


@functools.lru_cache(maxsize=4096)
def predicate_term(name: str) -> Iri:
    """The IRI of a predicate: ``sleo:<name>``, or for an imported predicate named by a CURIE
    (``biolink:interacts_with``) the CURIE's own IRI.

    >>> predicate_term("acts_through").value
    'https://w3id.org/sle-graph/ontology/acts_through'
    >>> predicate_term("biolink:interacts_with").value
    'https://w3id.org/biolink/vocab/interacts_with'
    """
    prefix, colon, local = name.partition(":")
    if colon and local and prefix in curie_prefixes():
        return Iri(prefix, local)
    return Iri("sleo", local_name(name))


@functools.lru_cache(maxsize=1024)
def kind_term(name: str) -> Iri:
    """The IRI of a node kind: ``sleo:<Kind>``."""
    return Iri("sleo", local_name(name))


def _curie_term(curie: str) -> Iri:
    prefix, _, local = curie.partition(":")
    if prefix not in curie_prefixes() or not local:
        raise ValidationError(Problem(f"cannot expand mapping {curie!r}: known prefixes are "
                                      f"{', '.join(sorted(curie_prefixes()))}"))
    return Iri(prefix, local)


def _order_hint(values: tuple[str, ...]) -> Lit | None:
    ranked = sorted(set(values))
    if list(values) == ranked:
        return None
    index = {v: i for i, v in enumerate(ranked)}
    return Lit(" ".join(str(index[v]) for v in values))


# -- the graph as blocks of triples -----------------------------------------------------------------

def _see_also(key: str, value: str) -> Iri | None:
    if key == "pmid" and value.isdigit():
        return Iri("", f"https://pubmed.ncbi.nlm.nih.gov/{value}/")
    if key == "doi" and value.startswith("10."):
        return Iri("", "https://doi.org/" + quote(value, safe="/:;()[]@!$&'*+,=~-._"))
    if key == "trial_registry_id" and re.fullmatch(r"NCT\d{8}", value):
        return Iri("", f"https://clinicaltrials.gov/study/{value}")
    return None


def _node_block(node: Node, out_edges: list[Edge], term_of: Mapping[str, Iri]) -> Block:
    pairs: list[tuple[Iri, Any]] = [(RDF_TYPE, kind_term(node.kind)), (RDFS_LABEL, Lit(node.label))]
    pairs += [(SKOS_ALT_LABEL, Lit(s)) for s in node.synonyms]
    if node.definition:
        pairs.append((SKOS_DEFINITION, Lit(node.definition)))
    pairs += [(SKOS_EXACT, _curie_term(c)) for c in node.exact_mappings]
    pairs += [(SKOS_CLOSE, _curie_term(c)) for c in node.close_mappings]
    for field, prop in ORDER_PROPERTIES.items():
        hint = _order_hint(getattr(node, field))
        if hint is not None:
            pairs.append((Iri("sleo", prop), hint))
    for key, value in _attributes(node):
        pairs.append((_attribute_term(key, _NODE_RESERVED, f"node {node.id!r}"), Lit(value)))
        link = _see_also(key, value)
        if link is not None:
            pairs.append((RDFS_SEE_ALSO, link))
    pairs += [(predicate_term(e.predicate), term_of[e.object]) for e in out_edges]
    return term_of[node.id], pairs


# Attribute keys that would collide with the properties the export itself writes.
_NODE_RESERVED = frozenset(ORDER_PROPERTIES.values())
_EVIDENCE_RESERVED = frozenset({"stance", "finding", "measure", "modality"})


def _attribute_term(key: str, reserved: frozenset[str], owner: str) -> Iri:
    if key in reserved:
        raise ValidationError(Problem(f"{owner}: attribute key {key!r} is reserved for the RDF export; rename it"))
    if not key:
        raise ValidationError(Problem(f"{owner}: an empty attribute key cannot be an RDF property; name it"))
    return Iri("sleo", local_name(key))


def _edge_blocks(edge: Edge, term_of: Mapping[str, Iri]) -> Iterator[Block]:
    statement = Iri("statement", _hash(f"{edge.subject}|{edge.predicate}|{edge.object}"))
    pairs: list[tuple[Iri, Any]] = [
        (RDF_TYPE, RDF_STATEMENT), (RDF_SUBJECT, term_of[edge.subject]),
        (RDF_PREDICATE, predicate_term(edge.predicate)), (RDF_OBJECT, term_of[edge.object])]
    # Informative only (recomputed from the evidence when read back).
    if edge.grade is not None:
        pairs.append((SLEO_GRADE, _lit(edge.grade)))
    if edge.status is not None:
        pairs.append((SLEO_STATUS, _lit(edge.status)))
    evidence_blocks: list[Block] = []
    for ev in (sorted(edge.evidence, key=Evidence.sort_key) if len(edge.evidence) > 1 else edge.evidence):
        h = _evidence_hash(edge, ev)
        record = Iri("evidence", h)
        pairs.append((PROV_DERIVED, record))
        ev_pairs: list[tuple[Iri, Any]] = [(RDF_TYPE, PROV_ENTITY), (SLEO_STANCE, _lit(ev.stance))]
        if ev.source in term_of:
            ev_pairs.append((PROV_DERIVED, term_of[ev.source]))
        elif ev.source:  # a free-text source (of a reference): no node to point at
            ev_pairs.append((DCT_SOURCE, Lit(ev.source)))
        for prop, value in ((SLEO_FINDING, ev.finding), (SLEO_MEASURE, ev.measure), (DCT_CITATION, ev.reference)):
            if value is not None:
                ev_pairs.append((prop, Lit(value)))
        if ev.modality is not None:
            ev_pairs.append((SLEO_MODALITY, _lit(ev.modality)))
        ev_pairs += [(_attribute_term(k, _EVIDENCE_RESERVED, f"evidence of {edge}"), Lit(v))
                     for k, v in _attributes(ev)]
        selectors: list[Block] = []
        if ev.quote is not None:
            selectors.append((Iri("evidence", h + "-quote"),
                              [(RDF_TYPE, OA_QUOTE_SELECTOR), (OA_EXACT, Lit(ev.quote))]))
        if ev.start is not None or ev.end is not None:
            selectors.append((Iri("evidence", h + "-position"), [(RDF_TYPE, OA_POSITION_SELECTOR)] + [
                (prop, Lit(str(n), XSD_NNI if n >= 0 else XSD_INTEGER))
                for prop, n in ((OA_START, ev.start), (OA_END, ev.end)) if n is not None]))
        ev_pairs += [(OA_HAS_SELECTOR, s) for s, _ in selectors]
        evidence_blocks.append((record, ev_pairs))
        evidence_blocks += selectors
    yield statement, pairs
    yield from evidence_blocks


@functools.lru_cache(maxsize=256)
def _lit(value: str) -> Lit:
    """A plain literal of a small vocabulary (stances, grades, statuses), made once."""
    return Lit(value)


def _edge_turtle(edge: Edge, node_text: Mapping[str, str], predicate_text: str) -> str | None:
    """The Turtle of :func:`_edge_blocks` written straight from the edge: the fast path of big
    exports, byte for byte what the general writer makes of those blocks (tests compare them).
    None when an evidence record has attributes: the general writer places those."""
    evidence = sorted(edge.evidence, key=Evidence.sort_key) if len(edge.evidence) > 1 else edge.evidence
    if any(ev.attributes for ev in evidence):
        return None
    records, parts = [], []
    for ev in evidence:
        h = "evidence:" + _evidence_hash(edge, ev)
        records.append(h)
        rows = [f"\n{h} a prov:Entity"]
        if ev.source in node_text:
            rows.append("prov:wasDerivedFrom " + node_text[ev.source])
        # the other properties in the general writer's order: by their text
        if ev.reference is not None:
            rows.append("dcterms:bibliographicCitation " + turtle_string(ev.reference))
        if ev.source and ev.source not in node_text:
            rows.append("dcterms:source " + turtle_string(ev.source))
        has_position = ev.start is not None or ev.end is not None
        selectors = [h + "-position"] * has_position + [h + "-quote"] * (ev.quote is not None)
        if selectors:
            rows.append("oa:hasSelector " + ",\n        ".join(selectors))
        if ev.finding is not None:
            rows.append("sleo:finding " + turtle_string(ev.finding))
        if ev.measure is not None:
            rows.append("sleo:measure " + turtle_string(ev.measure))
        if ev.modality is not None:
            rows.append("sleo:modality " + turtle_string(ev.modality))
        rows.append("sleo:stance " + turtle_string(ev.stance))
        parts.append(" ;\n    ".join(rows) + " .\n")
        if ev.quote is not None:
            parts.append(f"\n{h}-quote a oa:TextQuoteSelector ;\n    oa:exact {turtle_string(ev.quote)} .\n")
        if has_position:
            rows = [f"\n{h}-position a oa:TextPositionSelector"]
            rows += [f'{name} "{n}"^^xsd:{"nonNegativeInteger" if n >= 0 else "integer"}'
                     for name, n in (("oa:start", ev.start), ("oa:end", ev.end)) if n is not None]
            parts.append(" ;\n    ".join(rows) + " .\n")
    rows = [f"\nstatement:{_hash(f'{edge.subject}|{edge.predicate}|{edge.object}')} a rdf:Statement",
            "rdf:subject " + node_text[edge.subject], "rdf:predicate " + predicate_text,
            "rdf:object " + node_text[edge.object], "prov:wasDerivedFrom " + ",\n        ".join(sorted(records))]
    if edge.grade is not None:
        rows.append("sleo:grade " + turtle_string(edge.grade))
    if edge.status is not None:
        rows.append("sleo:status " + turtle_string(edge.status))
    return " ;\n    ".join(rows) + " .\n" + "".join(parts)


def _turtle_items(kg: "KnowledgeGraph") -> Iterator["Block | str"]:
    """:func:`blocks`, with each edge's blocks already written as Turtle where the fast path can."""
    yield from _schema_blocks(kg.schema)
    term_of = _node_terms(kg)
    nodes, edges, out = kg.node_map, kg.edge_map, kg.out_adjacency
    for node_id in sorted(nodes):
        yield _node_block(nodes[node_id], out.get(node_id, ()), term_of)
    node_text = {i: turtle_iri(t) for i, t in term_of.items()}
    predicate_text = {p: turtle_iri(predicate_term(p)) for p in {key[1] for key in edges}}
    for key in sorted(edges):
        edge = edges[key]
        text = _edge_turtle(edge, node_text, predicate_text[edge.predicate]) if edge.evidence else None
        if text is None:
            yield from _edge_blocks(edge, term_of)
        else:
            yield text


def _node_terms(kg: "KnowledgeGraph") -> dict[str, Iri]:
    return {i: Iri("sle", quote(i, safe=":~")) for i in kg.node_map}


def _mapping_pairs(exact: tuple[str, ...], close: tuple[str, ...]) -> list[tuple[Iri, Any]]:
    return ([(SKOS_EXACT, _curie_term(c)) for c in exact if c.partition(":")[0] in curie_prefixes()]
            + [(SKOS_CLOSE, _curie_term(c)) for c in close if c.partition(":")[0] in curie_prefixes()])


def _schema_blocks(schema: "Schema") -> Iterator[Block]:
    """Declarations of the kinds and predicates of ``schema`` the shipped ontology lacks (a
    graph that imported another graph's terms), so the export says what they are and
    :func:`read_rdf` rebuilds the same schema. Union domains and ranges use
    ``schema:domainIncludes`` / ``schema:rangeIncludes``."""
    base = shipped()
    if schema is base:
        return
    for name in sorted(set(schema.kinds) - set(base.kinds)):
        kind = schema.kinds[name]
        pairs: list[tuple[Iri, Any]] = [(RDF_TYPE, OWL_CLASS), (RDFS_LABEL, Lit(kind.label))]
        if kind.definition:
            pairs.append((SKOS_DEFINITION, Lit(kind.definition)))
        if kind.parent:
            pairs.append((RDFS_SUBCLASS_OF, kind_term(kind.parent)))
        yield kind_term(name), pairs + _mapping_pairs(kind.exact_mappings, kind.close_mappings)
    for name in sorted(set(schema.predicates) - set(base.predicates)):
        p = schema.predicates[name]
        pairs = [(RDF_TYPE, OWL_OBJECT_PROPERTY), (RDFS_LABEL, Lit(p.label))]
        if p.definition:
            pairs.append((SKOS_DEFINITION, Lit(p.definition)))
        pairs += [(SCHEMA_DOMAIN, kind_term(k)) for k in p.domain] + [(SCHEMA_RANGE, kind_term(k)) for k in p.range]
        if getattr(p, "parent", None):
            pairs.append((RDFS_SUBPROPERTY_OF, predicate_term(p.parent)))
        yield predicate_term(name), pairs + _mapping_pairs(p.exact_mappings, p.close_mappings)


def blocks(kg: "KnowledgeGraph") -> Iterator[Block]:
    """The RDF view of ``kg`` as blocks, in canonical order: declarations of the kinds and
    predicates its schema adds to the ontology (if any), nodes by id, then per edge (by
    subject, predicate, object) its statement, evidence records and their selectors."""
    yield from _schema_blocks(kg.schema)
    term_of = _node_terms(kg)
    nodes, edges, out = kg.node_map, kg.edge_map, kg.out_adjacency
    for node_id in sorted(nodes):
        yield _node_block(nodes[node_id], out.get(node_id, ()), term_of)
    for key in sorted(edges):
        yield from _edge_blocks(edges[key], term_of)


def _used_prefixes(kg: "KnowledgeGraph") -> list[str]:
    used = {c.partition(":")[0] for n in kg.node_map.values() for c in n.mappings}
    used |= {predicate_term(p).ns for p in {key[1] for key in kg.edge_map}}
    for _, pairs in _schema_blocks(kg.schema):
        used |= {t.ns for pair in pairs for t in pair if type(t) is Iri}
    optional = {"schema"}  # only graphs whose schema extends the ontology use it
    return [p for p in CORE_PREFIXES if p not in optional or p in used] + [p for p in curie_prefixes() if p in used]


# -- rdflib -------------------------------------------------------------------------------------------

def _rdflib_term(term: Any) -> Any:
    from rdflib import Literal, URIRef

    if type(term) is Iri:
        return URIRef(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value) if term.datatype else None)


def _bind(graph: "rdflib.Graph", kg: "KnowledgeGraph | None" = None) -> None:
    for prefix in (_used_prefixes(kg) if kg is not None else PREFIXES):
        graph.bind(prefix, PREFIXES[prefix], override=True, replace=True)


def to_rdf(kg: "KnowledgeGraph", include_ontology: bool = False) -> "rdflib.Graph":
    """The graph as a new ``rdflib.Graph`` (yours to change), our prefixes bound.

    What :meth:`KnowledgeGraph.to_rdf` calls.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    include_ontology : bool, default False
        Add the ontology (kinds, predicates, their hierarchy), so SPARQL or a reasoner can use
        ``rdfs:subClassOf``.

    Returns
    -------
    rdflib.Graph
        A new graph.

    Examples
    --------
    >>> import sle_graph
    >>> g = sle_graph.load().to_rdf()
    >>> from rdflib import URIRef, RDFS
    >>> str(g.value(URIRef("https://w3id.org/sle-graph/resource/msc"), RDFS.label))
    'mesenchymal stem cell'
    """
    import rdflib

    graph = rdflib.Graph()
    _bind(graph, kg)
    cache: dict[Any, Any] = {}

    def term(t: Any) -> Any:
        found = cache.get(t)
        if found is None:
            found = cache[t] = _rdflib_term(t)
        return found

    graph.addN((term(s), term(p), term(o), graph) for s, pairs in blocks(kg) for p, o in pairs)
    if include_ontology:
        graph.parse(ontology_file(), format="turtle")
    return graph


# -- serialize ----------------------------------------------------------------------------------------

def _check_xml(kg: "KnowledgeGraph", fmt: str) -> None:
    for s, pairs in blocks(kg):
        for _, o in pairs:
            if type(o) is Lit and _NOT_XML.search(o.value):
                bad = _NOT_XML.search(o.value).group()
                raise InvalidArgument(
                    f"format {fmt!r} cannot hold this graph: XML 1.0 has no character {bad!r}, and "
                    f"{s.value} holds one in {o.value[:60]!r}; use 'turtle', 'nt' or 'json-ld'")


def _json_ld_context() -> dict:
    import json

    return json.loads(ontology_file("context.jsonld").read_text(encoding="utf-8"))["@context"]


def _rdflib_text(kg: "KnowledgeGraph", fmt: str, include_ontology: bool = False) -> str:
    if fmt in _XML_FORMATS:
        _check_xml(kg, fmt)
    graph = to_rdf(kg, include_ontology=include_ontology)
    options: dict[str, Any] = {}
    import warnings

    with warnings.catch_warnings():  # rdflib 7 warns about its own dataset internals
        warnings.simplefilter("ignore", DeprecationWarning)
        if fmt in ("trig", "nquads", "trix"):  # quad formats: the graph is the default graph
            import rdflib

            dataset = rdflib.Dataset()
            _bind(dataset, kg)
            dataset.default_graph.addN((s, p, o, dataset.default_graph) for s, p, o in graph)
            graph = dataset
        try:
            return graph.serialize(format=fmt, **options)
        except Exception as exc:  # rdflib raises various types for what a format cannot hold
            raise InvalidArgument(f"format {fmt!r} cannot hold this graph: {exc}") from exc


def format_name(fmt: str) -> str:
    """The name rdflib knows an RDF format by, from any name or alias the format registry
    (:mod:`sle_graph.io.formats`) gives it, case-insensitive.

    Raises
    ------
    UnknownFormat
        Listing the formats, when no RDF format has this name.

    >>> format_name("TTL"), format_name("json-ld")
    ('turtle', 'json-ld')
    """
    return by_name(fmt, "rdf").name


def serialize(kg: "KnowledgeGraph", destination: "str | Path | IO | None" = None,
              format: str = "turtle", include_ontology: bool = False,  # noqa: A002 (rdflib's name)
              *, progress: bool | None = None) -> str | None:
    r"""The graph as RDF text: written to ``destination`` when given, else returned.

    What :meth:`KnowledgeGraph.serialize` calls. ``turtle`` (the default), ``nt`` and ``json-ld``
    (compacted with ``ontology/context.jsonld``) are written here and canonical: the same graph
    always gives the same bytes; large graphs are streamed to the file in chunks. Other formats
    (``xml``, ``pretty-xml``, ``trig``, ``n3``, ``nquads``, ``trix``, ``hext``, ``longturtle``) are
    written by rdflib.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    destination : str, path-like or file, optional
        A path or an open file (UTF-8); without it the text is returned.
    format : str, default "turtle"
        The RDF format.
    include_ontology : bool, default False
        The ontology comes with the data, so that one file holds all a SHACL engine needs beside
        ``ontology/shapes.ttl`` (``pyshacl -s ontology/shapes.ttl``), or all a reasoner needs. In
        Turtle the text of ``ontology/sle_graph.ttl`` follows the canonical data as it is.
    progress : bool, optional
        A progress bar (bytes written) on a terminal or in a notebook: by default when writing a
        graph of :data:`sle_graph.progress.LARGE` edges or more to a file; ``True`` for any graph,
        ``False`` never.

    Returns
    -------
    str or None
        The text when ``destination`` is None, else None.

    Raises
    ------
    UnknownFormat
        For a format rdflib does not write.
    ValueError
        For a format that cannot hold the graph (XML and control characters).

    Examples
    --------
    >>> import sle_graph
    >>> kg = sle_graph.load()
    >>> kg.serialize() == kg.serialize()
    True
    >>> kg.serialize(format="nt").count(" .\n") == len(kg.to_rdf())
    True
    """
    fmt = format_name(format)
    if include_ontology and fmt != "turtle":
        chunks: Any = [_rdflib_text(kg, fmt, include_ontology=True)]
    elif fmt == "json-ld":
        chunks = [jsonld_text(blocks(kg), _json_ld_context())]
    elif fmt in ("turtle", "nt"):
        chunks = (turtle_chunks(_turtle_items(kg), _used_prefixes(kg)) if fmt == "turtle"
                  else ntriples_chunks(blocks(kg)))
    else:
        chunks = None
    if chunks is None:
        chunks = [_rdflib_text(kg, fmt)]
    elif include_ontology and fmt == "turtle":
        chunks = [*chunks, "\n", ontology_file().read_text(encoding="utf-8")]
    if destination is None:
        return "".join(chunks)
    shown = progress if progress is not None else (None if len(kg.edge_map) >= progress_module.LARGE else False)
    name = getattr(destination, "name", "a file") if hasattr(destination, "write") else str(destination)
    with bar(None, f"writing {name}", unit="B", unit_scale=True, progress=shown) as written:
        chunks = _counting(chunks, written)
        if hasattr(destination, "write"):  # an open file
            binary = not isinstance(destination, io.TextIOBase)
            for chunk in chunks:
                destination.write(chunk.encode("utf-8") if binary else chunk)
            return None
        with atomic_write(destination, "wb") as out:
            write_chunks(chunks, out)
    return None


def _counting(chunks: Iterable[str], written: Any) -> Iterator[str]:
    """The chunks, each counted on the bar once written (a chunk holds thousands of statements)."""
    for chunk in chunks:
        yield chunk
        written.update(len(chunk))


# -- SPARQL -------------------------------------------------------------------------------------------

def _view(kg: "KnowledgeGraph") -> "rdflib.Graph":
    # Graphs are immutable: build the RDF view (with the ontology) once per graph object.
    return kg.cache(__name__ + ".view", lambda g: to_rdf(g, include_ontology=True))


def python_value(term: Any) -> Any:
    """A SPARQL result term as a Python value: a literal's ``toPython()`` (its text when rdflib
    has no Python type for it), an IRI or blank node as its string, ``None`` as ``None``.

    >>> from rdflib import Literal, URIRef
    >>> python_value(Literal(3)), python_value(URIRef("http://x/a")), python_value(None)
    (3, 'http://x/a', None)
    """
    from rdflib import Literal

    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return value if not isinstance(value, Literal) else str(value)
    return str(term)


#: SPARQL 1.1 Update operations: a query starting with one of these changes data.
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
# The prolog before a query's first keyword: blanks, comments, BASE and PREFIX declarations.
_PROLOG = re.compile(r"(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*", re.IGNORECASE)
# Clauses a parse failure is reported at the start of (pyparsing backtracks out of them): the
# element of rdflib's SPARQL grammar that parses each, tried alone to find the offending token.
_CLAUSES = {"FILTER": "Filter", "BIND": "Bind", "OPTIONAL": "OptionalGraphPattern", "MINUS": "MinusGraphPattern",
            "VALUES": "InlineData", "GRAPH": "GraphGraphPattern", "SERVICE": "ServiceGraphPattern"}


def update_keyword(query: str) -> str | None:
    """The SPARQL Update operation ``query`` starts with (after its prolog), or None for a query.

    >>> update_keyword("PREFIX ex: <http://x/#>  # a comment\\ndelete where { ?s ?p ?o }")
    'DELETE'
    >>> update_keyword("SELECT * WHERE { ?s ?p ?o }") is None
    True
    """
    word = re.match(r"[A-Za-z]+", query[_PROLOG.match(query).end():])  # type: ignore[union-attr]
    return word.group(0).upper() if word and word.group(0).upper() in UPDATE_KEYWORDS else None


def _offending(query: str, offset: int) -> int:
    """Where a parse error really is: pyparsing reports a failure inside a clause (``FILTER(?x
    = )``) at the clause's keyword; parsing the clause alone finds the token it stopped at."""
    word = re.match(r"[A-Za-z]+", query[offset:])
    name = _CLAUSES.get(word.group(0).upper()) if word else None
    if name is None:
        return offset
    import pyparsing
    from rdflib.plugins.sparql import parser as grammar

    try:
        getattr(grammar, name).parse_string(query[offset:])
    except pyparsing.ParseBaseException as exc:
        return offset + exc.loc
    return offset


def sparql_error(exc: Exception, query: str) -> SparqlError:
    """The :class:`~sle_graph.errors.SparqlError` for an error rdflib raised on ``query``: an
    unknown prefix names the bound ones; a syntax error shows its line with a caret under the
    offending token."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    unknown = re.fullmatch(r"Unknown namespace prefix : (\S+)", text)
    if unknown:
        bound = sorted(PREFIXES)
        return SparqlError(f"bad SPARQL query: unknown prefix {unknown.group(1)!r} (bound: {', '.join(bound)}); "
                           f"declare it with PREFIX {unknown.group(1)}: <...>")
    line, col, loc = getattr(exc, "lineno", None), getattr(exc, "col", None), getattr(exc, "loc", None)
    if isinstance(line, int) and isinstance(col, int):  # pyparsing: show the line and a caret
        # pyparsing reads the query with its tabs expanded (to 8 columns), and counts there
        query = query.expandtabs()
        message = re.sub(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)$", "", text)
        deeper = _offending(query, loc) if isinstance(loc, int) and 0 <= loc < len(query) else loc
        if deeper != loc and isinstance(deeper, int):
            clause = query[loc:].split("(")[0].split()[0].upper()
            deeper += len(query[deeper:]) - len(query[deeper:].lstrip())
            token = re.match(r"[\w?$:]+|&&|\|\||[<>!=]=|\S|", query[deeper:]).group(0)  # type: ignore[union-attr]
            line = query.count("\n", 0, deeper) + 1
            col = deeper - (query.rfind("\n", 0, deeper) + 1) + 1
            message = f"{clause} cannot be read from {token!r} on" if token else f"{clause} is not closed"
        lines = query.splitlines()
        found = lines[line - 1] if 0 < line <= len(lines) else ""
        return SparqlError(f"bad SPARQL query at line {line}, column {col}: {message}", line=line, column=col,
                           text=found)
    return SparqlError(f"bad SPARQL query: {text}")


def sparql(kg: "KnowledgeGraph", query: str) -> list[dict[str, Any]]:
    """Run a SPARQL query over the graph's RDF view (with the ontology); our prefixes are bound.

    What :meth:`KnowledgeGraph.sparql` calls.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    query : str
        A SELECT, ASK, CONSTRUCT or DESCRIBE query.

    Returns
    -------
    list of dict
        SELECT: one dict per row, variable -> value (IRIs as ``str``, literals as Python values,
        unbound variables as None). ASK: ``[{"ask": bool}]``. CONSTRUCT and DESCRIBE:
        ``{"subject", "predicate", "object"}`` dicts, sorted.

    Raises
    ------
    SparqlError
        For a query the engine cannot run, saying where and why.

    Examples
    --------
    >>> import sle_graph
    >>> kg = sle_graph.load()
    >>> rows = kg.sparql("SELECT ?label WHERE { sle:msc sleo:acts_through ?m . ?m rdfs:label ?label }")
    >>> sorted(rows[0])
    ['label']
    >>> {r["label"] for r in rows} == {kg.node(e.object).label for e in kg.edges("msc", "acts_through")}
    True
    """
    update = update_keyword(query)
    if update:
        raise SparqlError(f"SPARQL updates are not supported: the query starts with {update}, and a graph is "
                          f"read-only. To change it, build a new one (kg.extend(...), kg.merge(...), or "
                          f"'sle-graph merge'); to change a server's copy, send the update to the server itself")
    try:
        result = _view(kg).query(query, initNs=PREFIXES)
    except Exception as exc:  # rdflib raises pyparsing errors, and bare Exceptions for unknown prefixes
        raise sparql_error(exc, query) from None
    if result.type == "ASK":
        return [{"ask": bool(result.askAnswer)}]
    if result.type == "SELECT":
        names = [str(v) for v in result.vars]
        return [{name: python_value(row[i]) for i, name in enumerate(names)} for row in result]
    triples = sorted((str(s), str(p), str(o)) for s, p, o in result.graph)
    return [{"subject": s, "predicate": p, "object": o} for s, p, o in triples]
