"""SHACL validation of RDF in our modelling, with the shapes of ``ontology/shapes.ttl`` (pySHACL).

:func:`validate` checks a graph, an ``rdflib.Graph`` or an RDF file and returns a :class:`Report`:
``conforms``, the ``problems`` (one :class:`~sle_graph.errors.Problem` per SHACL result, naming
the resource, the property and what was expected) and a readable ``str()``. The ontology is mixed
into the data for the check, so kinds, the kind hierarchy and domain and range come from
``ontology/sle_graph.ttl``; the shapes never repeat them.

Example
-------
>>> import sle_graph
>>> report = sle_graph.validate(sle_graph.load())
>>> report.conforms, report.problems
(True, ())
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator
from urllib.parse import quote

from .._resources import ontology_file
from ..errors import Problem, install_hint
from ..graph import KnowledgeGraph
from ..ontology import schema as default_schema
from ..vocab import SLEO
from .parse import rdflib_graph
from .write import PREFIXES, kind_term, predicate_term, to_rdf

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

    from ..ontology import Schema

__all__ = ["validate", "Report", "shapes_graph", "domain_range_shapes", "shapes_text", "GENERATED_MARK"]

_SH = "http://www.w3.org/ns/shacl#"
_SHAPES = "https://w3id.org/sle-graph/shapes/"
_PLAIN_LOCAL = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_IRI_IN_TEXT = re.compile(r"<?(https?://[^\s<>\"]+)>?")


@dataclass(frozen=True)
class Report:
    """The outcome of a SHACL check (what :func:`sle_graph.validate` returns).

    Its truth value is ``conforms``; ``str(report)`` lists the problems, one per line, each
    ``<resource> <property>: <message>``.

    Parameters
    ----------
    conforms : bool
        Whether the data fits every shape.
    problems : tuple of Problem
        What does not fit.
    source : str, optional
        The file checked, if any.
    triples : int, default 0
        How many triples were checked.
    results : rdflib.Graph, optional
        pySHACL's results graph.

    Examples
    --------
    >>> from sle_graph import Problem
    >>> from sle_graph.rdf.shacl import Report
    >>> report = Report(False, (Problem("sle:msc rdfs:label: a node needs exactly one rdfs:label"),))
    >>> bool(report)
    False
    >>> print(report)
    the graph: 1 SHACL problem:
      sle:msc rdfs:label: a node needs exactly one rdfs:label
    """

    conforms: bool
    problems: tuple[Problem, ...]
    source: str | None = None
    triples: int = 0
    results: Any = field(default=None, repr=False, compare=False)

    def __str__(self) -> str:
        what = self.source or "the graph"
        if self.conforms:
            return f"{what} conforms to the sle_graph SHACL shapes ({self.triples} triples checked)"
        n = len(self.problems)
        lines = [f"{what}: {n} SHACL problem{'s' if n != 1 else ''}:"]
        lines += [f"  {p.message}" for p in self.problems]
        return "\n".join(lines)

    def __bool__(self) -> bool:
        return self.conforms


#: The line of ``ontology/shapes.ttl`` after which the domain and range shapes are generated.
#:
#: Examples
#: --------
#: >>> from sle_graph._resources import ontology_file
#: >>> from sle_graph.rdf.shacl import GENERATED_MARK
#: >>> shapes = ontology_file("shapes.ttl").read_text(encoding="utf-8")
#: >>> shapes.count(GENERATED_MARK)
#: 1
GENERATED_MARK = ("# ---- Generated from ontology/sle_graph.ttl by `python tools/shapes.py` "
                  "(sle_graph.rdf.shacl.shapes_text); do not edit below. ----\n")


def _domain_range_rows(schema: "Schema") -> Iterator[tuple[str, str, str, list[str], str]]:
    """(shape IRI, ``targetSubjectsOf``/``targetObjectsOf``, predicate IRI, kind IRIs, message)."""
    for name in sorted(schema.predicates):
        predicate = schema.predicates[name]
        prop = predicate_term(name)
        for end, kinds, target, role in (("domain", predicate.domain, "targetSubjectsOf", "subject"),
                                         ("range", predicate.range, "targetObjectsOf", "object")):
            shape = f"{_SHAPES}{end}/{prop.local if prop.ns == 'sleo' else quote(name, safe='')}"
            classes = [kind_term(k).value for k in sorted(kinds)]
            shown = f"sleo:{prop.local}" if prop.ns == "sleo" else f"{prop.ns}:{prop.local}"
            yield shape, target, prop.value, classes, \
                f"the {role} of {shown} must be of kind {' or '.join(sorted(kinds))} (its {end})"


def domain_range_shapes(schema: "Schema | None" = None) -> "rdflib.Graph":
    """SHACL shapes of each predicate's domain and range, generated from the ontology.

    One shape targets the subjects of the predicate (``sh:targetSubjectsOf``), one its objects,
    each requiring a kind the predicate admits (``sh:class``, or ``sh:or`` of them).

    Parameters
    ----------
    schema : Schema, optional
        The ontology whose predicates are read; the shipped one when not given.

    Returns
    -------
    rdflib.Graph
        The shapes, each with a ``sh:message`` naming the predicate and the kinds it admits.

    Examples
    --------
    >>> g = domain_range_shapes()
    >>> from rdflib import URIRef
    >>> shape = URIRef("https://w3id.org/sle-graph/shapes/domain/treats")
    >>> str(g.value(shape, URIRef("http://www.w3.org/ns/shacl#message")))
    'the subject of sleo:treats must be of kind Therapy (its domain)'
    """
    import rdflib
    from rdflib import RDF, BNode, Literal, URIRef
    from rdflib.collection import Collection

    sh = rdflib.Namespace(_SH)
    graph = rdflib.Graph()
    graph.bind("sh", _SH)
    for shape_iri, target, prop, classes, message in _domain_range_rows(schema or default_schema()):
        shape = URIRef(shape_iri)
        graph.add((shape, RDF.type, sh.NodeShape))
        graph.add((shape, sh[target], URIRef(prop)))
        if len(classes) == 1:
            graph.add((shape, sh["class"], URIRef(classes[0])))
        else:
            members = []
            for cls in classes:
                member = BNode()
                graph.add((member, sh["class"], URIRef(cls)))
                members.append(member)
            head = BNode()
            Collection(graph, head, members)
            graph.add((shape, sh["or"], head))
        graph.add((shape, sh.message, Literal(message)))
    return graph


def shapes_text(schema: "Schema | None" = None) -> str:
    """The text ``ontology/shapes.ttl`` should hold: its hand-written shapes, then generated ones.

    The generated shapes are the domain and range of every predicate of the ontology, in Turtle
    (deterministic: predicates sorted). ``python tools/shapes.py`` writes the file; a test fails
    when the file and this function disagree, so ``pyshacl -s ontology/shapes.ttl`` checks domain
    and range without sle_graph.

    Parameters
    ----------
    schema : Schema, optional
        The ontology whose predicates are shaped; the shipped one by default.

    Returns
    -------
    str
        Turtle text.

    Examples
    --------
    >>> from sle_graph.rdf.shacl import shapes_text
    >>> text = shapes_text()
    >>> "sleo:acts_through" in text, text == shapes_text()
    (True, True)
    """
    from rdflib import Literal

    def term(iri: str) -> str:  # sleo:Cell where the prefix the file declares can say it
        local = iri[len(SLEO):]
        return f"sleo:{local}" if iri.startswith(SLEO) and _PLAIN_LOCAL.fullmatch(local) else f"<{iri}>"

    lines = [_hand_written(), GENERATED_MARK]
    for shape, target, prop, classes, message in _domain_range_rows(schema or default_schema()):
        if len(classes) == 1:
            constraint = f"sh:class {term(classes[0])}"
        else:
            constraint = "sh:or ( " + " ".join(f"[ sh:class {term(c)} ]" for c in classes) + " )"
        lines.append(f"\n<{shape}> a sh:NodeShape ;\n    sh:{target} {term(prop)} ;\n    {constraint} ;\n"
                     f"    sh:message {Literal(message).n3()} .\n")
    return "".join(lines)


def _hand_written() -> str:
    text = ontology_file("shapes.ttl").read_text(encoding="utf-8")
    at = text.find(GENERATED_MARK)
    return text if at < 0 else text[:at]


def shapes_graph(schema: "Schema | None" = None) -> "rdflib.Graph":
    """All the shapes: those written in ``ontology/shapes.ttl`` and the domain and range shapes.

    The domain and range shapes are those of ``schema`` (the shipped ontology's are also in the
    file, generated). Write them out for another SHACL engine with
    ``shapes_graph().serialize("shapes.ttl")``.

    Parameters
    ----------
    schema : Schema, optional
        The ontology whose domain and range shapes are added; the shipped one when not given.

    Returns
    -------
    rdflib.Graph
        The shapes graph.

    Examples
    --------
    >>> from rdflib import RDF, URIRef
    >>> g = shapes_graph()
    >>> shape = URIRef("https://w3id.org/sle-graph/shapes/domain/treats")
    >>> (shape, RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")) in g, len(g) > len(domain_range_shapes())
    (True, True)
    """
    import rdflib

    graph = rdflib.Graph().parse(data=_hand_written(), format="turtle")
    graph += domain_range_shapes(schema)
    return graph


def _ontology_graph() -> "rdflib.Graph":
    import rdflib

    return rdflib.Graph().parse(ontology_file(), format="turtle")


def _short(term: Any, namespaces: dict[str, str]) -> str:
    from rdflib import Literal

    if term is None:
        return ""
    if isinstance(term, Literal):
        text = str(term)
        return repr(text if len(text) <= 60 else text[:57] + "...")
    text = str(term)
    best = max((ns for ns in namespaces.values() if text.startswith(ns)), key=len, default=None)
    if best is None:
        return f"<{text}>" if "://" in text else text
    prefix = next(p for p, ns in namespaces.items() if ns == best)
    return f"{prefix}:{text[len(best):]}"


def _path_text(results: "rdflib.Graph", path: Any, namespaces: dict[str, str]) -> str:
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection

    if isinstance(path, URIRef):
        return _short(path, namespaces)
    if isinstance(path, BNode):
        inverse = results.value(path, URIRef(_SH + "inversePath"))
        if inverse is not None:
            return "^" + _path_text(results, inverse, namespaces)
        if results.value(path, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#first")) is not None:
            return "/".join(_path_text(results, p, namespaces) for p in Collection(results, path))
    return ""


def _problems(results: "rdflib.Graph", source: str | None) -> tuple[Problem, ...]:
    from rdflib import RDF, URIRef

    sh = {name: URIRef(_SH + name) for name in ("ValidationResult", "focusNode", "resultPath", "value",
                                                 "resultMessage", "resultSeverity")}
    found = set()
    for result in results.subjects(RDF.type, sh["ValidationResult"]):
        focus = _short(results.value(result, sh["focusNode"]), PREFIXES)
        path = _path_text(results, results.value(result, sh["resultPath"]), PREFIXES)
        value = results.value(result, sh["value"])
        messages = sorted(str(m) for m in results.objects(result, sh["resultMessage"])) or ["constraint violated"]
        # IRIs that SHACL put into a message ({?value}), written short
        text = _IRI_IN_TEXT.sub(lambda m: _short(URIRef(m.group(1)), PREFIXES), messages[0])
        shown = _short(value, PREFIXES)
        if value is not None and shown not in text and shown != focus:
            text += f" (value: {shown})"
        severity = str(results.value(result, sh["resultSeverity"]) or "").rpartition("#")[2]
        if severity and severity != "Violation":
            text = f"{severity.lower()}: {text}"
        found.add(f"{focus}{' ' + path if path else ''}: {text}")
    return tuple(Problem(m, file=source) for m in sorted(found))


def _data(graph_or_path: Any) -> tuple["rdflib.Graph", str | None]:
    if isinstance(graph_or_path, KnowledgeGraph):
        return to_rdf(graph_or_path), None

    graph, name = rdflib_graph(graph_or_path)
    return graph, name


def validate(graph_or_path: "KnowledgeGraph | rdflib.Graph | str | Path") -> Report:
    """Check RDF against the SHACL shapes of ``ontology/shapes.ttl``.

    Needs ``pyshacl`` (the ``shacl`` extra).

    Parameters
    ----------
    graph_or_path : KnowledgeGraph, rdflib.Graph, str or path-like
        A graph (its RDF export is checked), an ``rdflib.Graph``, or an RDF file (format from the
        suffix).

    Returns
    -------
    Report
        ``conforms`` (also its truth value), ``problems``, and pySHACL's results graph; ``str()``
        lists the problems, one per line.

    Raises
    ------
    ValidationError
        For a file of malformed RDF, naming the line.
    ImportError
        When pyshacl is not installed (naming how to install it).

    Examples
    --------
    >>> import sle_graph
    >>> from rdflib import URIRef, RDFS
    >>> g = sle_graph.load().to_rdf()
    >>> g.remove((URIRef("https://w3id.org/sle-graph/resource/msc"), RDFS.label, None))
    <Graph identifier=... (<class 'rdflib.graph.Graph'>)>
    >>> print(sle_graph.validate(g))
    the graph: 1 SHACL problem:
      sle:msc rdfs:label: a node needs exactly one rdfs:label, a literal
    """
    try:
        import pyshacl
    except ImportError as exc:  # pragma: no cover - the shacl extra is part of dev installs
        raise ImportError(f"SHACL validation needs pySHACL: {install_hint('pyshacl', 'shacl')}") from exc

    data, name = _data(graph_or_path)
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes_graph(), ont_graph=_ontology_graph(),
                                            inference="none", advanced=True, abort_on_first=False,
                                            allow_warnings=True)
    problems = _problems(results, name)
    return Report(bool(conforms) and not problems, problems, name, len(data), results)
