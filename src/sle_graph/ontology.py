"""The schema: node kinds and predicates, read from ``ontology/sle_graph.ttl``.

The Turtle file is the single source of truth. This module parses it (with pyoxigraph, which
parses a small file in milliseconds, so ``load()`` stays fast) into a :class:`Schema` that the
model and every operation consult. No kind or predicate is written down anywhere else.

Example
-------
>>> from sle_graph.ontology import schema
>>> s = schema()
>>> s.is_a("StemCell", "Cell")
True
>>> sorted(s.predicates["acts_through"].domain)
['Cell', 'Therapy']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from ._resources import ontology_file
from .errors import Problem, ValidationError
from .vocab import SLEO, curie_for_iri

__all__ = ["Kind", "Predicate", "Schema", "schema", "ROOT_KIND", "EXTERNAL_KIND", "GENERIC_PREDICATE",
           "external_predicate", "Modality", "modalities", "parse_modalities"]

#: The root kind: every kind of the ontology descends from it.
#:
#: Examples
#: --------
#: >>> from sle_graph.ontology import ROOT_KIND, schema
#: >>> ROOT_KIND in schema().kinds
#: True
ROOT_KIND = "Entity"

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"


@dataclass(frozen=True)
class Kind:
    """A node kind (an OWL class of the ontology).

    Parameters
    ----------
    name : str
        The kind's name, such as ``"StemCell"``; its IRI is in the ``sleo:`` namespace.
    label : str
        Its label.
    definition : str
        What it is.
    parent : str or None
        The broader kind; None for the root.
    exact_mappings : tuple of str, optional
        Standard terms (CURIEs) of the same class.
    close_mappings : tuple of str, optional
        Standard terms of a close class.

    Examples
    --------
    >>> from sle_graph.ontology import schema
    >>> kind = schema().kinds["StemCell"]
    >>> kind.parent, kind.iri
    ('Cell', 'https://w3id.org/sle-graph/ontology/StemCell')
    """

    name: str
    label: str
    definition: str
    parent: str | None
    exact_mappings: tuple[str, ...] = ()
    close_mappings: tuple[str, ...] = ()

    @property
    def iri(self) -> str:
        return SLEO + self.name


@dataclass(frozen=True)
class Predicate:
    """A predicate (an OWL object property) with the kinds it may link.

    Parameters
    ----------
    name : str
        The predicate's name, such as ``"acts_through"``.
    label : str
        Its label.
    definition : str
        What it asserts.
    domain : frozenset of str
        The kinds its subject may have (sub-kinds count).
    range : frozenset of str
        The kinds its object may have (sub-kinds count).
    exact_mappings : tuple of str, optional
        Standard relations (CURIEs) it is the same as.
    close_mappings : tuple of str, optional
        Standard relations close to it.
    parent : str, optional
        The broader predicate (``rdfs:subPropertyOf``): ``related_to`` for imported predicates.

    Examples
    --------
    >>> from sle_graph.ontology import schema
    >>> p = schema().predicates["acts_through"]
    >>> p.label, schema().allows("acts_through", "StemCell", "Mechanism")
    ('acts through', True)
    """

    name: str
    label: str
    definition: str
    domain: frozenset[str]
    range: frozenset[str]
    exact_mappings: tuple[str, ...] = ()
    close_mappings: tuple[str, ...] = ()
    #: The broader predicate (``rdfs:subPropertyOf``): ``related_to`` for imported predicates.
    parent: str | None = None

    @property
    def iri(self) -> str:
        return SLEO + self.name


#: The kind of imported nodes whose category no kind of the ontology matches.
#:
#: Examples
#: --------
#: >>> from sle_graph.ontology import EXTERNAL_KIND
#: >>> EXTERNAL_KIND
#: 'ExternalEntity'
EXTERNAL_KIND = "ExternalEntity"
#: The generic predicate; imported predicates the ontology lacks become its sub-predicates.
#:
#: Examples
#: --------
#: >>> from sle_graph.ontology import GENERIC_PREDICATE, external_predicate
#: >>> external_predicate("biolink:interacts_with").parent == GENERIC_PREDICATE
#: True
GENERIC_PREDICATE = "related_to"


def external_predicate(name: str) -> Predicate:
    """The predicate an imported graph uses and the ontology lacks, kept under its own name.

    It is a sub-predicate of ``related_to`` linking any kinds, so an edge of another graph keeps
    its predicate (``biolink:interacts_with``, ``hetionet:binds``) instead of being dropped or
    flattened. A Biolink CURIE is also its exact mapping.

    Parameters
    ----------
    name : str
        The predicate's name in the other graph.

    Returns
    -------
    Predicate
        The predicate, to add with :meth:`Schema.extended`.

    Examples
    --------
    >>> from sle_graph.ontology import external_predicate
    >>> p = external_predicate("biolink:interacts_with")
    >>> p.label, p.parent, sorted(p.domain), p.exact_mappings
    ('interacts with', 'related_to', ['Entity'], ('biolink:interacts_with',))
    """
    local = name.partition(":")[2] or name
    return Predicate(name, local.replace("_", " "), f"The predicate {name} of an imported graph, kept as it was.",
                     frozenset({ROOT_KIND}), frozenset({ROOT_KIND}),
                     (name,) if name.startswith("biolink:") else (), (), GENERIC_PREDICATE)


@dataclass(frozen=True)
class Schema:
    """Kinds (with their hierarchy) and predicates (with domain and range).

    What a graph is checked against: :func:`schema` gives the shipped ontology's,
    :meth:`build` makes one in Python.

    Parameters
    ----------
    iri : str
        The ontology's IRI.
    version_iri : str
        Its version IRI.
    version : str
        Its version (``owl:versionInfo``).
    title : str
        Its title.
    license : str
        Its licence's IRI.
    kinds : dict of str to Kind
        Kinds by name.
    predicates : dict of str to Predicate
        Predicates by name.
    _ancestors : dict of str to tuple of str, optional
        Each kind's ancestors, nearest first; computed by :meth:`build` and the parser.

    Examples
    --------
    >>> from sle_graph.ontology import schema
    >>> s = schema()
    >>> "StemCell" in s.kinds, s.predicates["acts_through"].label
    (True, 'acts through')
    """

    iri: str
    version_iri: str
    version: str
    title: str
    license: str
    kinds: dict[str, Kind]
    predicates: dict[str, Predicate]
    _ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, kinds: Iterable[Kind], predicates: Iterable[Predicate], *, iri: str = "",
              version: str = "", title: str = "", license: str = "") -> Schema:  # noqa: A002
        """A schema made in Python (benchmarks, other graphs' schemas), hierarchy computed from parents.

        Parameters
        ----------
        kinds : iterable of Kind
            The kinds; a kind's parent must be one of them (or None for the root).
        predicates : iterable of Predicate
            The predicates, with the kinds they may link.
        iri : str, optional
            The ontology's IRI.
        version : str, optional
            Its version.
        title : str, optional
            Its title.
        license : str, optional
            Its licence's IRI.

        Returns
        -------
        Schema
            The schema, with each kind's ancestors computed.

        Examples
        --------
        >>> from sle_graph.ontology import Kind, Predicate, Schema
        >>> root = Kind("Entity", "entity", "Anything.", None)
        >>> gene = Kind("Gene", "gene", "A gene.", "Entity")
        >>> p = Predicate("interacts", "interacts", "Binds.", frozenset({"Gene"}), frozenset({"Gene"}))
        >>> s = Schema.build([root, gene], [p])
        >>> s.ancestors("Gene"), s.allows("interacts", "Gene", "Gene")
        (('Gene', 'Entity'), True)
        """
        by_name = {k.name: k for k in sorted(kinds, key=lambda k: k.name)}
        ancestors: dict[str, tuple[str, ...]] = {}
        for name in by_name:
            chain: list[str] = []
            k: str | None = name
            while k is not None and k in by_name and k not in chain:
                chain.append(k)
                k = by_name[k].parent
            ancestors[name] = tuple(chain)
        return cls(iri, iri, version, title, license, by_name,
                   {p.name: p for p in sorted(predicates, key=lambda p: p.name)}, ancestors)

    def extended(self, kinds: Iterable[Kind] = (), predicates: Iterable[Predicate] = ()) -> Schema:
        """A copy with more kinds and predicates (a graph that imported another graph's terms).

        Existing names are kept as they are; the new ones are added. The shipped schema is never
        changed.

        Parameters
        ----------
        kinds : iterable of Kind, optional
            Kinds to add.
        predicates : iterable of Predicate, optional
            Predicates to add.

        Returns
        -------
        Schema
            A new schema.

        Examples
        --------
        >>> from sle_graph.ontology import external_predicate, schema
        >>> s = schema().extended(predicates=[external_predicate("biolink:interacts_with")])
        >>> "biolink:interacts_with" in s.predicates, "biolink:interacts_with" in schema().predicates
        (True, False)
        >>> s.allows("biolink:interacts_with", "ExternalEntity", "Disease")
        True
        """
        new_kinds = [k for k in kinds if k.name not in self.kinds]
        new_predicates = [p for p in predicates if p.name not in self.predicates]
        if not new_kinds and not new_predicates:
            return self
        ancestors = dict(self._ancestors)
        all_kinds = {**self.kinds, **{k.name: k for k in new_kinds}}
        for k in new_kinds:
            chain: list[str] = []
            name: str | None = k.name
            while name is not None and name in all_kinds and name not in chain:
                chain.append(name)
                name = all_kinds[name].parent
            ancestors[k.name] = tuple(chain)
        return Schema(self.iri, self.version_iri, self.version, self.title, self.license,
                      dict(sorted(all_kinds.items())),
                      dict(sorted({**self.predicates, **{p.name: p for p in new_predicates}}.items())),
                      ancestors)

    def ancestors(self, kind: str) -> tuple[str, ...]:
        """``kind`` and its super-kinds, nearest first.

        Parameters
        ----------
        kind : str
            A kind's name.

        Returns
        -------
        tuple of str
            The kind, its parent, ..., the root.

        Raises
        ------
        KeyError
            For a kind the schema does not declare.

        Examples
        --------
        >>> from sle_graph.ontology import schema
        >>> schema().ancestors("StemCell")
        ('StemCell', 'Cell', 'Entity')
        """
        return self._ancestors[kind]

    def is_a(self, kind: str, ancestor: str) -> bool:
        """True when ``kind`` is ``ancestor`` or one of its sub-kinds.

        Parameters
        ----------
        kind : str
            A kind's name.
        ancestor : str
            Another kind's name.

        Returns
        -------
        bool
            Whether ``kind`` falls under ``ancestor``.

        Examples
        --------
        >>> from sle_graph.ontology import schema
        >>> schema().is_a("StemCell", "Cell"), schema().is_a("Cell", "StemCell")
        (True, False)
        """
        return ancestor in self._ancestors.get(kind, ())

    def descendants(self, kind: str) -> frozenset[str]:
        """``kind`` and all its sub-kinds.

        Parameters
        ----------
        kind : str
            A kind's name.

        Returns
        -------
        frozenset of str
            The kind and every kind under it.

        Examples
        --------
        >>> from sle_graph.ontology import schema
        >>> {"Cell", "StemCell", "ImmuneCell"} <= schema().descendants("Cell")
        True
        """
        return frozenset(k for k, anc in self._ancestors.items() if kind in anc)

    def allows(self, predicate: str, subject_kind: str, object_kind: str) -> bool:
        """Whether domain and range of ``predicate`` admit these kinds (sub-kinds count).

        Parameters
        ----------
        predicate : str
            A predicate's name.
        subject_kind : str
            The kind of the edge's subject.
        object_kind : str
            The kind of the edge's object.

        Returns
        -------
        bool
            True when an edge of ``predicate`` may join these kinds.

        Raises
        ------
        KeyError
            For a predicate the schema does not declare.

        Examples
        --------
        >>> from sle_graph.ontology import schema
        >>> schema().allows("acts_through", "StemCell", "Mechanism")
        True
        """
        p = self.predicates[predicate]
        return any(self.is_a(subject_kind, d) for d in p.domain) and any(
            self.is_a(object_kind, r) for r in p.range
        )

    def biolink_category(self, kind: str) -> str:
        """The Biolink category CURIE of a kind: its own alignment or its nearest ancestor's.

        Parameters
        ----------
        kind : str
            A kind's name.

        Returns
        -------
        str
            A CURIE such as ``"biolink:Cell"``.

        Examples
        --------
        >>> from sle_graph.ontology import schema
        >>> schema().biolink_category("StemCell")
        'biolink:Cell'
        """
        for k in self._ancestors.get(kind, ()):
            for curie in self.kinds[k].exact_mappings + self.kinds[k].close_mappings:
                if curie.startswith("biolink:"):
                    return curie
        return "biolink:NamedThing"


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    return term.value


def _by_subject(path: Path) -> dict[object, dict[str, list]]:
    """The triples of a Turtle file: subject -> predicate IRI -> objects, in file order."""
    try:
        triples = [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    except SyntaxError as exc:
        raise ValidationError(Problem(f"malformed Turtle: {exc}", file=str(path))) from exc
    by_subject: dict[object, dict[str, list]] = {}
    for t in triples:
        by_subject.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
    return by_subject


def parse_schema(path: Path) -> Schema:
    """Parse an ontology file into a :class:`Schema`; raise :class:`ValidationError` if malformed."""
    by_subject = _by_subject(path)

    def one(props: dict[str, list], iri: str) -> str | None:
        values = props.get(iri)
        return _text(values[0]) if values else None

    def kinds_of(node) -> frozenset[str]:
        # A named class, or a blank node with owl:unionOf (an RDF list of named classes).
        if isinstance(node, ox.NamedNode):
            return frozenset({node.value[len(SLEO):]})
        members: set[str] = set()
        union = by_subject.get(node, {}).get(_OWL + "unionOf", [])
        cell = union[0] if union else None
        while cell is not None and not (isinstance(cell, ox.NamedNode) and cell.value == _RDF + "nil"):
            props = by_subject[cell]
            members.add(props[_RDF + "first"][0].value[len(SLEO):])
            cell = props[_RDF + "rest"][0]
        return frozenset(members)

    def mappings(props: dict[str, list], which: str) -> tuple[str, ...]:
        return tuple(sorted(curie_for_iri(v.value) for v in props.get(_SKOS + which, [])))

    problems: list[Problem] = []
    kinds: dict[str, Kind] = {}
    predicates: dict[str, Predicate] = {}
    ontology_iri = version_iri = version = title = license_ = ""
    for subject, props in by_subject.items():
        if not isinstance(subject, ox.NamedNode):
            continue
        types = {v.value for v in props.get(_RDF + "type", [])}
        if _OWL + "Ontology" in types:
            ontology_iri = subject.value
            version_iri = one(props, _OWL + "versionIRI") or ""
            version = one(props, _OWL + "versionInfo") or ""
            title = one(props, _DCT + "title") or ""
            license_ = one(props, _DCT + "license") or ""
            continue
        if not subject.value.startswith(SLEO):
            continue
        name = subject.value[len(SLEO):]
        label = one(props, _RDFS + "label")
        definition = one(props, _SKOS + "definition")
        if _OWL + "Class" in types:
            parents = [p.value[len(SLEO):] for p in props.get(_RDFS + "subClassOf", [])
                       if p.value.startswith(SLEO)]
            kinds[name] = Kind(name, label or name, definition or "", parents[0] if parents else None,
                               mappings(props, "exactMatch"), mappings(props, "closeMatch"))
        elif _OWL + "ObjectProperty" in types:
            dom, rng = props.get(_RDFS + "domain"), props.get(_RDFS + "range")
            if not (label and definition and dom and rng):
                problems.append(Problem(f"predicate {name} lacks a label, definition, domain or range",
                                        file=str(path)))
                continue
            predicates[name] = Predicate(name, label, definition, kinds_of(dom[0]), kinds_of(rng[0]),
                                         mappings(props, "exactMatch"), mappings(props, "closeMatch"))

    ancestors: dict[str, tuple[str, ...]] = {}
    for name in kinds:
        chain, k = [], name
        while k is not None and k not in chain:
            chain.append(k)
            k = kinds[k].parent if k in kinds else None
        ancestors[name] = tuple(chain)
    # Only classes under the root kind are node kinds.
    kinds = {n: k for n, k in sorted(kinds.items()) if ROOT_KIND in ancestors[n]}
    ancestors = {n: a for n, a in ancestors.items() if n in kinds}
    for p in predicates.values():
        for k in sorted(p.domain | p.range):
            if k not in kinds:
                problems.append(Problem(f"predicate {p.name} refers to unknown kind {k}", file=str(path)))
    if problems:
        raise ValidationError(problems)
    return Schema(ontology_iri, version_iri, version, title, license_, kinds,
                  dict(sorted(predicates.items())), ancestors)


@functools.lru_cache(maxsize=None)
def schema() -> Schema:
    """The schema of the shipped ontology (parsed once per process).

    Returns
    -------
    Schema
        The kinds and predicates of ``ontology/sle_graph.ttl``; the same object on every call.

    Examples
    --------
    >>> from sle_graph.ontology import schema
    >>> schema().ancestors("StemCell")
    ('StemCell', 'Cell', 'Entity')
    """
    return parse_schema(ontology_file())



@dataclass(frozen=True)
class Modality:
    """A value of ``sleo:modality``: how certain a quote's words are about its claim.

    Parameters
    ----------
    name : str
        Its name, such as ``"asserted"``.
    label : str
        Its label.
    definition : str
        What it means.
    rank : int
        Its place in the ontology's list, firmest first (0 is ``asserted``); path ranking puts
        firmer chains first.

    Examples
    --------
    >>> from sle_graph.ontology import modalities
    >>> modalities()["asserted"].rank
    0
    """

    name: str
    label: str
    definition: str
    rank: int


def parse_modalities(path: Path) -> dict[str, Modality]:
    """The values of ``sleo:modality`` declared in an ontology file, firmest first.

    The values and their order are the ``owl:oneOf`` list of ``sleo:ModalityValue``; each value's
    label and definition are those of the ``skos:Concept`` whose ``skos:notation`` it is.

    Parameters
    ----------
    path : pathlib.Path
        An ontology file in Turtle.

    Returns
    -------
    dict of str to Modality
        value -> :class:`Modality`, in the declared order.

    Raises
    ------
    ValidationError
        When the list is missing or a value lacks its concept (label and definition).

    Examples
    --------
    >>> from sle_graph._resources import ontology_file
    >>> list(parse_modalities(ontology_file()))
    ['asserted', 'partial', 'preliminary', 'possible', 'potential']
    """
    props = _by_subject(path)
    datatype = props.get(ox.NamedNode(SLEO + "ModalityValue"), {})
    values: list[str] = []
    for equivalent in datatype.get(_OWL + "equivalentClass", []):
        cell = (props.get(equivalent, {}).get(_OWL + "oneOf") or [None])[0]
        while cell is not None and not (isinstance(cell, ox.NamedNode) and cell.value == _RDF + "nil"):
            values.append(props[cell][_RDF + "first"][0].value)
            cell = props[cell][_RDF + "rest"][0]
    if not values:
        raise ValidationError(Problem("sleo:ModalityValue has no owl:oneOf list of values", file=str(path)))
    described = {p[_SKOS + "notation"][0].value: p for p in props.values()
                 if _SKOS + "notation" in p and _SKOS + "definition" in p and _RDFS + "label" in p}
    problems = [Problem(f"modality {v!r} has no skos:Concept with that skos:notation, a label and a definition",
                        file=str(path)) for v in values if v not in described]
    if problems:
        raise ValidationError(problems)
    return {v: Modality(v, described[v][_RDFS + "label"][0].value, described[v][_SKOS + "definition"][0].value, i)
            for i, v in enumerate(values)}


@functools.lru_cache(maxsize=None)
def modalities() -> dict[str, Modality]:
    """The modalities of quote evidence declared in the shipped ontology, firmest first.

    Returns
    -------
    dict of str to Modality
        Each modality by name, with its ``label``, ``definition`` and ``rank`` (0 is the firmest,
        ``asserted``).

    Examples
    --------
    >>> from sle_graph.ontology import modalities
    >>> m = modalities()
    >>> m["asserted"].rank < m["possible"].rank < m["potential"].rank
    True
    """
    return parse_modalities(ontology_file())
