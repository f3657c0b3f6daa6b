"""RDF back into a :class:`~sle_graph.graph.KnowledgeGraph`: parse, then rebuild nodes and edges.

Parsing: Turtle and N-Triples with pyoxigraph (fast; a syntax error names its line; large files
in several processes, :mod:`sle_graph.rdf.chunks`), other formats with rdflib. Rebuilding reads
the modelling of :mod:`sle_graph.rdf` and hands node and assertion records to
:func:`sle_graph.build.validation.check_records`, so RDF gets exactly the checks data tables get.
Every problem is collected, located by the IRI of the resource it concerns, and reported in one
:class:`~sle_graph.errors.ValidationError`; nothing is half-loaded.

Two ways to rebuild: :meth:`_Builder.fast_records`, one pass for RDF without problems, which
gives up at the first problem; then :func:`read` parses again and :meth:`_Builder.records`
reads the long way, which locates every problem. Tests compare both.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator
from urllib.parse import unquote

from .. import limits
from ..errors import Problem, SourceNotFound, UnknownFormat, ValidationError, suggest
from ..io import formats
from ..model import NO_ATTRIBUTES, Evidence, Node
from ..vocab import BASE, curie_for_iri, prefixes as curie_prefixes
from .write import ORDER_PROPERTIES, PREFIXES, format_name, local_name, name_of_local
from ..build.records import MAX_OFFSET_DIGITS, NAME_WIDTH, AssertionRecord, NodeRecord, Where, shown, whole_number
from ..build.tables import unusable_path
from ..build.validation import check_records
from ..gc_pause import gc_paused
from .. import progress as progress_module
from ..progress import bar
from ..graph import KnowledgeGraph
from ..ontology import Kind, Predicate, Schema, schema as default_schema
from . import chunks as rdf_chunks, guard
from .quads import Props, group_quads, invalid_iri, line_of
from .stream import (CITATION, DERIVED, END, EXACT_TEXT, FINDING, GRADE, HAS_SELECTOR, INTEGER_TYPES, MEASURE,
                     MODALITY, OBJECT, POSITION_SELECTOR, PREDICATE, QUOTE_SELECTOR, SOURCE, STANCE, START,
                     STATEMENT, STATUS, SUBJECT, TYPE, Assertion, Stream, consume)

if TYPE_CHECKING:  # pragma: no cover
    import rdflib


__all__ = ["read_rdf", "build", "parse", "group", "rdflib_graph", "SUFFIXES"]

#: File suffix -> format name (a view of the registry, :mod:`sle_graph.io.formats`).
SUFFIXES = formats.rdf_suffixes()

_RDF, _RDFS, _XSD = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["xsd"]
_SKOS, _PROV, _OA, _DCT = PREFIXES["skos"], PREFIXES["prov"], PREFIXES["oa"], PREFIXES["dcterms"]
_SLE, _SLEO = PREFIXES["sle"], PREFIXES["sleo"]
_OWL, _SCHEMA = PREFIXES["owl"], PREFIXES["schema"]
_STATEMENTS, _EVIDENCE = PREFIXES["statement"], PREFIXES["evidence"]

LABEL, SEE_ALSO = _RDFS + "label", _RDFS + "seeAlso"
ALT_LABEL, DEFINITION = _SKOS + "altLabel", _SKOS + "definition"
EXACT, CLOSE = _SKOS + "exactMatch", _SKOS + "closeMatch"
ENTITY = _PROV + "Entity"
_ORDER = {_SLEO + prop: field for field, prop in ORDER_PROPERTIES.items()}

# Properties each kind of resource may carry; anything else would be lost, so it is a problem.
_STATEMENT_PROPS = {TYPE, SUBJECT, PREDICATE, OBJECT, DERIVED, GRADE, STATUS}
_EVIDENCE_PROPS = {TYPE, DERIVED, SOURCE, HAS_SELECTOR, STANCE, FINDING, MEASURE, CITATION, MODALITY}
_SELECTOR_PROPS = {TYPE, EXACT_TEXT, START, END, _OA + "prefix", _OA + "suffix"}
_NODE_PROPS = {TYPE, LABEL, ALT_LABEL, DEFINITION, EXACT, CLOSE, SEE_ALSO}
_SELECTOR_TYPES = frozenset({QUOTE_SELECTOR, POSITION_SELECTOR})


#: A parsed literal is a plain tuple ``(lexical form, datatype IRI or None, language tag or
#: None)``: plain, so parsed triples cross process boundaries with :mod:`marshal` (parallel
#: parsing, :mod:`sle_graph.rdf.chunks`). ``None`` stands for ``xsd:string``.
Lit = tuple
VALUE, DATATYPE = 0, 1  # indexes into a Lit


_NO_KIND = ""
_EMPTY: dict = {}
# Writer-only format names and the parser that reads them.
_PARSE_AS = {f.name: f.parse_as for f in formats.FORMATS if f.family == "rdf" and f.parse_as != f.name}
#: Formats that hold named graphs.
QUAD_FORMATS = frozenset({"trig", "nquads", "trix"})

# A parsed term: an IRI (str), a blank node ("_:" + id, str) or a literal (Lit).
Triple = tuple[str, str, Any]


# -- parsing ------------------------------------------------------------------------------------------

def _guess(path: Path) -> str:
    try:
        return formats.for_path(path, "rdf", reading=True).name
    except UnknownFormat as exc:
        reason = str(exc).split(": ", 1)[1].split("; formats: ")[0]
        raise UnknownFormat(f"cannot tell the RDF format of {str(path)!r} ({reason}); pass format= "
                            f"(RDF formats: {formats.known('rdf', reading=True)})") from None


def _oxigraph_props(data: bytes | None, path: Path | None, fmt: str, name: str,
                    on_bytes: "Callable[[int], object] | None" = None) -> Props:
    """Turtle or N-Triples parsed by pyoxigraph straight into :data:`Props`.

    One pass, no list of triples in between: each term becomes a plain string (IRIs, blank nodes)
    or a :class:`Lit` as it arrives, and every distinct IRI is kept once (one string object
    however often it occurs: most of the memory of a large graph's RDF view).

    pyoxigraph parses *leniently* (it then skips checking IRIs, more than half its parsing time)
    and the distinct IRIs are checked afterwards, each once; if one is invalid the input is
    parsed again strictly, so the error is pyoxigraph's own, with its line and column. A large
    file is parsed in several processes first (:func:`sle_graph.rdf.chunks.parse`), and in this
    one if that declines.
    """
    import pyoxigraph as ox

    if path is not None:
        props = rdf_chunks.parse(path, fmt, name, on_bytes=on_bytes)  # large files, several cores; else None
        if props is not None:
            return props
    props, iris = _parse_props(ox, data, path, fmt, name)
    invalid = invalid_iri(ox, iris)
    if invalid is not None:
        _parse_props(ox, data, path, fmt, name, lenient=False)  # raises, with the line
        raise ValidationError(Problem(f"invalid IRI <{invalid[0]}>: {invalid[1]}", file=name)) from None
    return props


def _parse_props(ox: Any, data: bytes | None, path: Path | None, fmt: str, name: str,
                 lenient: bool = True) -> tuple[Props, dict[str, str]]:
    """The parsed triples as :data:`Props`, and every distinct IRI in them (as a dict, each IRI to
    its one kept string). A syntax error raises :class:`ValidationError` with its line."""
    kind = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
    if path is not None:
        quads = ox.parse(path=str(path), format=kind, base_iri=path.resolve().as_uri(), lenient=lenient)
    else:
        quads = ox.parse(input=data, format=kind, lenient=lenient)
    return group_quads(ox, quads, fmt, name)


def group(triples: Iterable[Triple]) -> Props:
    """``subject -> predicate -> [objects]`` of ``triples``, in the order they come."""
    props: Props = {}
    for s, p, o in triples:
        current = props.get(s)
        if current is None:
            current = props[s] = {}
        values = current.get(p)
        if values is None:
            values = current[p] = []
        values.append(o)
    return props


def _rdflib_term(term: Any) -> Any:
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        dt = str(term.datatype) if term.datatype is not None else None
        text = str(term)
        if len(text) > limits.MAX_LITERAL_CHARS:
            raise _LongLiteral(len(text))
        return (text, None if dt == _XSD + "string" else dt, term.language)
    if isinstance(term, BNode):
        return "_:" + str(term)
    return str(term)


class _LongLiteral(Exception):
    """A literal past :data:`sle_graph.limits.MAX_LITERAL_CHARS` (its length)."""


def _rdflib_triples(graph: Any) -> list[Triple]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        quads = graph.quads((None, None, None, None)) if hasattr(graph, "quads") else None
        triples = (q[:3] for q in quads) if quads is not None else graph
        return [(_rdflib_term(s), str(p), _rdflib_term(o)) for s, p, o in triples]


def _rdflib_parse(data: str | None, path: Path | None, fmt: str, name: str) -> Any:
    import warnings

    import rdflib

    # Quad formats may name graphs: read them into a dataset (its union is the graph).
    dataset = rdflib.Dataset(default_union=True) if fmt in QUAD_FORMATS else rdflib.Graph()
    guard.check(data, path, fmt, name)  # no fetched context, no expanded entity (rdflib would)
    try:
        with warnings.catch_warnings():  # rdflib 7 warns about its own dataset internals
            warnings.simplefilter("ignore", DeprecationWarning)
            if path is not None:
                dataset.parse(source=str(path), format=fmt)
            else:
                dataset.parse(data=data, format=fmt)
    except Exception as exc:  # each rdflib parser raises its own types
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValidationError(Problem(f"malformed {fmt}: {message}", file=name, line=line_of(exc))) from None
    return dataset


def _resolve(source: Any, format: str | None) -> tuple[str | Path | None, str, str | None]:  # noqa: A002
    """``(text or path, format, name for messages)`` of a source that is not an rdflib graph."""
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError(Problem(f"RDF bytes are not UTF-8 (byte 0x{exc.object[exc.start]:02x} at {exc.start})",
                                          file="<bytes>", suggestion="decode them first, or save the file as UTF-8")) from None
    if isinstance(source, str) and formats.looks_like_text(source):
        fmt = format_name(format) if format else formats.sniff_text(source).name
        return source, _PARSE_AS.get(fmt, fmt), None
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"expected a path, RDF text or an rdflib.Graph, not {type(source).__name__}")
    path = Path(source)
    if unusable_path(path) is not None or not path.is_file():
        raise SourceNotFound(f"no such RDF file: {shown(str(path), NAME_WIDTH)}; a string is read as RDF text when it holds a "
                             "line break or starts as RDF does ('@', '<', '{', PREFIX, ...); a Path is always a file")
    fmt = format_name(format) if format else _guess(path)
    return path, _PARSE_AS.get(fmt, fmt), str(path)


def _is_rdflib_graph(source: Any) -> bool:
    return hasattr(source, "triples") and not isinstance(source, (str, bytes, os.PathLike))


def rdflib_graph(source: Any, format: str | None = None) -> tuple[Any, str | None]:  # noqa: A002
    """``source`` (path, text or rdflib graph) as an rdflib graph, and a name for messages."""
    if _is_rdflib_graph(source):
        return source, None
    where, fmt, name = _resolve(source, format)
    if isinstance(where, Path):
        return _rdflib_parse(None, where, fmt, str(where)), name
    return _rdflib_parse(where, None, fmt, "<text>"), name


def parse(source: Any, format: str | None = None,  # noqa: A002
          on_bytes: "Callable[[int], object] | None" = None) -> tuple[Props, str | None]:
    """The triples of ``source`` grouped by subject and predicate (:data:`Props`), and a name
    for messages. Turtle and N-Triples are parsed with pyoxigraph, other formats with rdflib."""
    if _is_rdflib_graph(source):
        return group(_rdflib_triples(source)), None
    where, fmt, name = _resolve(source, format)
    if fmt in ("turtle", "nt"):
        if isinstance(where, Path):
            return _oxigraph_props(None, where, fmt, str(where), on_bytes), name
        return _oxigraph_props(where.encode("utf-8"), None, fmt, "<text>"), name
    graph, _ = rdflib_graph(where, fmt)
    try:
        return group(_rdflib_triples(graph)), name
    except _LongLiteral as exc:
        raise ValidationError(Problem(limits.too_long("MAX_LITERAL_CHARS", "an RDF literal", exc.args[0]),
                                      file=name or "<text>")) from None


def _streamed(source: Any, format: str | None,  # noqa: A002
              on_bytes: "Callable[[int], object] | None" = None,
              ) -> tuple[list[AssertionRecord], Props, str | None, bool] | None:
    """Turtle or N-Triples read while pyoxigraph parses it (:mod:`sle_graph.rdf.stream`): the
    assertions of plain shape as records, the rest grouped (:data:`Props`), a name for messages,
    and whether an assertion names an IRI of sle_graph; ``None`` for other formats and rdflib
    graphs. Input whose resources are spread out is read a second time, holding them to the end."""
    if _is_rdflib_graph(source):
        return None
    where, fmt, name = _resolve(source, format)
    if fmt not in ("turtle", "nt"):
        return None
    import pyoxigraph as ox

    path = where if isinstance(where, Path) else None
    data = None if path is not None else where.encode("utf-8")  # type: ignore[union-attr]
    label = name or "<text>"
    ids: dict[str, str] = {}  # node IRI -> id, predicate IRI -> name: one string each
    here = Where(name, None)
    stream = None
    for eager in (True, False):
        records: list[AssertionRecord] = []
        ours = [False]

        def emit(found: Assertion, append: Callable = records.append) -> None:
            s, p, o, derived, text = found[:5]
            source = text or "" if derived is None else (ids.get(derived) or ids.setdefault(derived, _node_id(derived)))
            append(AssertionRecord(ids.get(s) or ids.setdefault(s, _node_id(s)),
                                   ids.get(p) or ids.setdefault(p, _predicate_name(p)),
                                   ids.get(o) or ids.setdefault(o, _node_id(o)),
                                   Evidence(source, found[5], found[6], found[7], found[8] or "supports", found[9],
                                            found[10], found[11], modality=found[12]), here))
            if not ours[0]:
                ours[0] = any(iri.startswith(BASE) for iri in (s, p, o))

        del stream  # the first attempt's, before the second holds everything
        stream = Stream(emit, eager)
        if path is None or not rdf_chunks.stream(path, fmt, label, stream, on_bytes):
            if path is not None:  # the chunks declined, maybe part way: start afresh
                records.clear()
                ours[0] = False
                stream = Stream(emit, eager)
            _consume_whole(ox, data, path, fmt, label, stream)
        stream.finish()
        if not eager or not stream.reordered():
            return records, stream.leftover(), name, ours[0]
    raise AssertionError("unreachable")  # pragma: no cover


def _consume_whole(ox: Any, data: bytes | None, path: Path | None, fmt: str, name: str, stream: Stream) -> None:
    """The whole input parsed in this process into ``stream``; an invalid IRI raises
    :class:`ValidationError` with pyoxigraph's own message and line (a strict parse again)."""
    kind = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
    if path is not None:
        quads = ox.parse(path=str(path), format=kind, base_iri=path.resolve().as_uri(), lenient=True)
    else:
        quads = ox.parse(input=data, format=kind, lenient=True)
    invalid = consume(ox, quads, stream, fmt, name)
    if invalid is not None:
        _parse_props(ox, data, path, fmt, name, lenient=False)  # raises, with the line
        iri, why = next(iter(invalid.items()))
        raise ValidationError(Problem(f"invalid IRI <{iri}>: {why}", file=name)) from None


# -- rebuilding -----------------------------------------------------------------------------------------

class _Builder:
    """Turns triples into node and assertion records, collecting problems on the way."""

    #: Short paths for records in the shape sle_graph writes: :func:`read` tries
    #: :meth:`fast_records` first, and :meth:`evidence` reads such records in a few look-ups
    #: (tests turn both off to compare with the long way).
    fast = True
    #: Reading in one pass (:meth:`fast_records`): drop what is read without use counts.
    one_pass = False

    def __init__(self, props: Props, name: str | None, schema: "Schema"):
        self.name = name
        self.schema = schema
        self.problems: list[Problem] = []
        self.props = props
        self.plain_edges: list[tuple[str, str, str]] = []
        self.stated: set[tuple[str, str, str]] = set()
        # Statements, evidence records and selectors still to be read: each is dropped from
        # ``props`` once read by everything that refers to it, so the parsed triples and the
        # records built from them are not both held whole.
        self.uses: dict[str, int] = {}
        self.ids: dict[str, str] = {}  # node IRI -> node id, worked out once per IRI
        self.predicates: dict[str, str] = {}  # predicate IRI -> predicate name, likewise

    def node_id(self, iri: str) -> str:
        """:func:`_node_id`, remembered (a node's IRI recurs in every statement about it)."""
        found = self.ids.get(iri)
        if found is None:
            found = self.ids[iri] = _node_id(iri)
        return found

    def predicate_name(self, iri: str) -> str:
        """:func:`_predicate_name`, remembered."""
        found = self.predicates.get(iri)
        if found is None:
            found = self.predicates[iri] = _predicate_name(iri)
        return found

    def of(self, subject: str) -> dict[str, list]:
        """The properties of a subject (empty for one the RDF does not describe)."""
        return self.props.get(subject, _EMPTY)

    # locations and messages
    def where(self, subject: str) -> Where:
        label = f"<{subject}>" if not subject.startswith("_:") else subject
        return Where(f"{self.name} {label}" if self.name else label, None)

    def problem(self, subject: str, message: str, suggestion: str | None = None) -> None:
        self.problems.append(self.where(subject).problem(message, suggestion=suggestion))

    # single values
    def one(self, subject: str, prop: str, what: str, *, literal: bool | None = None,
            required: bool = False) -> Any:
        values = self.props.get(subject, _EMPTY).get(prop)
        if not values:
            if required:
                self.problem(subject, f"no {what} ({_short(prop)})")
            return None
        if len(values) > 1:
            values = sorted(set(values), key=str)  # a value given twice is one value
            if len(values) > 1:
                self.problem(subject, f"{len(values)} values of {_short(prop)} where one {what} is expected: "
                                      + ", ".join(_show(v) for v in values[:5]))
                return None
        value = values[0]
        if literal is True and not isinstance(value, Lit):
            self.problem(subject, f"{_short(prop)} must be a literal, got {_show(value)}")
            return None
        if literal is False and isinstance(value, Lit):
            self.problem(subject, f"{_short(prop)} must be an IRI, got {_show(value)}")
            return None
        return value

    def text(self, subject: str, prop: str, what: str, required: bool = False) -> str | None:
        value = self.one(subject, prop, what, literal=True, required=required)
        return value[VALUE] if value is not None else None

    def integer(self, subject: str, prop: str, what: str) -> int | None:
        value = self.one(subject, prop, what, literal=True)
        if value is None:
            return None
        if (value[DATATYPE] is not None and value[DATATYPE] not in INTEGER_TYPES) or not re.fullmatch(
                r"[+-]?\d{1,%d}" % MAX_OFFSET_DIGITS, value[VALUE].strip()):
            self.problem(subject, f"{_short(prop)} must be a whole number, got {_show(value)}")
            return None
        return int(value[VALUE])

    def unexpected(self, subject: str, allowed: set[str], what: str) -> None:
        props = self.of(subject)
        if props.keys() <= allowed:
            return
        for prop in sorted(props.keys() - allowed):
            if prop.startswith(_SLEO) and what != "node":
                near = suggest(prop[len(_SLEO):], [p[len(_SLEO):] for p in allowed if p.startswith(_SLEO)])
            else:
                near = None
            self.problem(subject, f"unexpected property {_short(prop)} on {what}: sle_graph cannot keep it",
                         suggestion=near)

    # resources
    def classify(self) -> tuple[list[str], list[str]]:
        """Node subjects and statement subjects (each sorted); counts in ``uses`` how often each
        evidence record and selector is referred to, so :meth:`done` drops it after its last use."""
        statements, evidence, selectors = [], set(), set()
        uses = self.uses
        for s, props in self.props.items():
            if SUBJECT in props or STATEMENT in props.get(TYPE, ()):
                statements.append(s)
        for st in statements:
            uses[st] = uses.get(st, 0) + 1
            for o in set(self.props[st].get(DERIVED, ())):
                if not isinstance(o, Lit):
                    evidence.add(o)
                    uses[o] = uses.get(o, 0) + 1
        for ev in evidence:
            for o in set(self.of(ev).get(HAS_SELECTOR, ())):
                if not isinstance(o, Lit):
                    selectors.add(o)
                    uses[o] = uses.get(o, 0) + 1
        return self.node_subjects(self.props.keys() - evidence - selectors - set(statements)), sorted(statements)

    def node_subjects(self, subjects: Iterable[str]) -> list[str]:
        """The node subjects among ``subjects`` (none of them a statement, nor an evidence record
        or selector a statement refers to), sorted; an orphan evidence record is a problem."""
        nodes = []
        for s in sorted(subjects):
            types = _iris(self.props[s].get(TYPE, ()))
            if types & _SELECTOR_TYPES:
                continue  # a selector of an orphan evidence record: reported with the record
            if s.startswith((_STATEMENTS, _EVIDENCE)) or ENTITY in types:
                self.problem(s, "evidence record that no statement refers to",
                             suggestion="link it with prov:wasDerivedFrom from an rdf:Statement, or remove it")
            elif s.startswith(_SLE):
                nodes.append(s)
        return nodes

    def done(self, subject: str) -> None:
        """``subject`` was read once more; drop its triples when nothing else will read them."""
        uses = self.uses
        left = uses.get(subject, 1) - 1
        if left > 0:
            uses[subject] = left
            return
        uses.pop(subject, None)
        props = self.props.pop(subject, _EMPTY)
        for selector in props.get(HAS_SELECTOR, ()):
            if selector in uses or (self.one_pass and type(selector) is str):
                self.done(selector)

    def node(self, subject: str) -> Node:
        props = self.of(subject)
        label = self.text(subject, LABEL, "label") or ""  # check_records reports a missing one
        definition = self.text(subject, DEFINITION, "definition") or ""
        synonyms = sorted({v[VALUE] for v in props.get(ALT_LABEL, ()) if isinstance(v, Lit)})
        if len(synonyms) != len(set(props.get(ALT_LABEL, ()))):
            self.problem(subject, "skos:altLabel values must be literals")
        fields: dict[str, list[str]] = {"synonyms": synonyms, "exact_mappings": [], "close_mappings": []}
        for prop, field in ((EXACT, "exact_mappings"), (CLOSE, "close_mappings")):
            curies = set()
            for value in props.get(prop, ()):
                curie = curie_for_iri(value) if isinstance(value, str) else None
                if curie is None or curie == value:
                    self.problem(subject, f"{_short(prop)} {_show(value)} is not an IRI under a known prefix",
                                 suggestion="prefixes: " + ", ".join(f"{p} ({e})" for p, e in curie_prefixes().items()))
                else:
                    curies.add(curie)
            fields[field] = sorted(curies)
        for prop in props.keys() & _ORDER.keys():
            order = self.text(subject, prop, "order")
            if order is not None:
                fields[_ORDER[prop]] = self._ordered(subject, fields[_ORDER[prop]], order, _short(prop))
        for prop, values in props.items():  # plain edges: any other property linking two of our nodes
            if prop not in _NODE_PROPS and prop not in _ORDER:
                self.plain_edges += [(subject, prop, v) for v in values if isinstance(v, str) and _is_node(v)]
        return Node(id=_node_id(subject), kind=self.kind(subject), label=label, synonyms=tuple(fields["synonyms"]),
                    definition=definition, exact_mappings=tuple(fields["exact_mappings"]),
                    close_mappings=tuple(fields["close_mappings"]),
                    attributes=self.attributes(subject, _NODE_PROPS | _ORDER.keys(), edges=True))

    def attributes(self, subject: str, known: set[str], edges: bool = False) -> dict[str, str]:
        """``sleo:<key>`` literals; any other property not in ``known`` (nor an edge) is a problem."""
        props = self.of(subject)
        if props.keys() <= known:
            return NO_ATTRIBUTES
        attributes: dict[str, str] = {}
        for prop, values in sorted(props.items()):
            if prop in known:
                continue
            literals = [v for v in values if isinstance(v, Lit)]
            others = [v for v in values if not isinstance(v, Lit) and not (edges and _is_node(v))]
            if prop.startswith(_SLEO) and literals:
                key = name_of_local(prop[len(_SLEO):])
                if len({v[VALUE] for v in literals}) > 1:
                    self.problem(subject, f"{len(literals)} values of attribute {key!r} where one is expected")
                attributes[key] = literals[0][VALUE]
                literals = []
            if literals or others:
                near = suggest(prop[len(_SLEO):], [p[len(_SLEO):] for p in known if p.startswith(_SLEO)]) \
                    if prop.startswith(_SLEO) else None
                self.problem(subject, f"unexpected {_short(prop)} {_show((literals + others)[0])}: "
                                      "sle_graph cannot keep it", suggestion=near)
        return attributes

    def _ordered(self, subject: str, ranked: list[str], order: str, prop: str) -> list[str]:
        parts = order.split()
        if parts and all(p.isascii() and p.isdigit() and int(p) < len(ranked) for p in parts):
            return [ranked[int(p)] for p in parts]
        self.problem(subject, f"{prop} {order!r} is not a list of indexes into the {len(ranked)} values")
        return ranked

    def kind(self, subject: str) -> str:
        types = sorted(_iris(self.of(subject).get(TYPE, ())))
        kinds = [name_of_local(t[len(_SLEO):]) for t in types if t.startswith(_SLEO)]  # other types are ignored
        unknown = [k for k in kinds if k not in self.schema.kinds]
        if unknown:
            return unknown[0]  # check_records reports it, with a suggestion
        # A reasoner may add super-classes: keep the most specific kind.
        specific = [k for k in kinds if not any(o != k and self.schema.is_a(o, k) for o in kinds)]
        if len(specific) == 1:
            return specific[0]
        if specific:
            self.problem(subject, f"node has several kinds: {', '.join(specific)}")
        else:
            self.problem(subject, "node has no sleo: class (rdf:type)",
                         suggestion="kinds: " + ", ".join(self.schema.kinds))
        return _NO_KIND

    def evidence(self, subject: str) -> Evidence:
        if self.fast:
            found = self._plain_evidence(subject)
            if found is not None:
                return found
        extra = self.attributes(subject, _EVIDENCE_PROPS)
        source_iri = self.one(subject, DERIVED, "source", literal=False)
        source_text = self.text(subject, SOURCE, "source")
        source = source_text or ""
        if source_iri is not None:
            source = _node_id(source_iri)
            if source_text is not None:
                self.problem(subject, "an evidence record has one source: prov:wasDerivedFrom or dcterms:source, not both")
        quote = start = end = None
        seen: set[str] = set()
        selectors = self.of(subject).get(HAS_SELECTOR, ())
        for selector in sorted(o for o in selectors if not isinstance(o, Lit)) if len(selectors) > 1 else selectors:
            if isinstance(selector, Lit):
                continue
            types = _iris(self.of(selector).get(TYPE, ())) & _SELECTOR_TYPES
            if len(types) != 1 or types & seen:
                self.problem(selector, "expected one oa:TextQuoteSelector and at most one "
                                       "oa:TextPositionSelector per evidence record")
                continue
            seen |= types
            self.unexpected(selector, _SELECTOR_PROPS, "selector")
            if QUOTE_SELECTOR in types:
                quote = self.text(selector, EXACT_TEXT, "quote", required=True)
            else:
                start, end = self.integer(selector, START, "start"), self.integer(selector, END, "end")
        stance = self.text(subject, STANCE, "stance")  # check_records checks its value
        return Evidence(source=source, quote=quote, start=start, end=end, stance=stance or "supports",
                        finding=self.text(subject, FINDING, "finding"),
                        measure=self.text(subject, MEASURE, "measure"),
                        reference=self.text(subject, CITATION, "reference"), attributes=extra,
                        modality=self.text(subject, MODALITY, "modality"))  # check_records checks it

    def _plain_evidence(self, subject: str) -> Evidence | None:
        """:meth:`evidence` of a record in the shape :mod:`sle_graph.rdf` writes (every property
        known, one value each, at most one selector of each type and nothing else on them), in
        a few dictionary look-ups; ``None`` for any other shape, which :meth:`evidence` reads
        (and reports on) the long way. A large import is mostly such records."""
        props = self.props.get(subject)
        if props is None or not props.keys() <= _EVIDENCE_PROPS:
            return None
        derived, text = props.get(DERIVED), props.get(SOURCE)
        if derived is not None:
            if text is not None or len(derived) != 1 or type(derived[0]) is not str:
                return None
            source = self.node_id(derived[0])
        elif text is not None:
            if len(text) != 1 or type(text[0]) is not Lit:
                return None
            source = text[0][VALUE]
        else:
            source = ""
        quote = start = end = None
        for selector in props.get(HAS_SELECTOR, ()):
            on = self.props.get(selector) if type(selector) is str else None
            types = on.get(TYPE) if on is not None else None
            if types is None or len(types) != 1:
                return None
            if types[0] == QUOTE_SELECTOR and quote is None and len(on) == 2:  # type: ignore[arg-type]
                quote = _one_literal(on.get(EXACT_TEXT))  # type: ignore[union-attr]
                if quote is None:
                    return None
            elif types[0] == POSITION_SELECTOR and start is None and len(on) == 3:  # type: ignore[arg-type]
                start = _one_whole_number(on.get(START))  # type: ignore[union-attr]
                end = _one_whole_number(on.get(END))  # type: ignore[union-attr]
                if start is None or end is None:
                    return None
            else:
                return None
        fields = []
        for prop in (STANCE, FINDING, MEASURE, CITATION, MODALITY):
            values = props.get(prop)
            if values is None:
                fields.append(None)
                continue
            value = _one_literal(values)
            if value is None:
                return None
            fields.append(value)
        return Evidence(source, quote, start, end, fields[0] or "supports", fields[1], fields[2], fields[3],
                        modality=fields[4])

    def statement(self, subject: str) -> list[AssertionRecord]:
        props = self.of(subject)
        self.unexpected(subject, _STATEMENT_PROPS, "statement")
        ends = {}
        for prop, what in ((SUBJECT, "subject"), (PREDICATE, "predicate"), (OBJECT, "object")):
            values = props.get(prop)
            if values is not None and len(values) == 1 and type(values[0]) is str:
                value = values[0]  # the usual case, which one() would also return
            else:
                value = self.one(subject, prop, what, literal=False, required=True)
            if value is None:
                return []
            ends[what] = self.predicate_name(value) if what == "predicate" else self.node_id(value)
        records = []
        derived = self.of(subject).get(DERIVED, ())
        where = self.where(subject)
        for ev in sorted(set(o for o in derived if not isinstance(o, Lit))) if len(derived) > 1 else derived:
            if isinstance(ev, Lit):
                continue
            records.append(AssertionRecord(ends["subject"], ends["predicate"], ends["object"], self.evidence(ev),
                                           where))
            self.done(ev)
        if not records:
            self.problem(subject, f"edge {ends['subject']} -[{ends['predicate']}]-> {ends['object']} has no evidence",
                         suggestion="link at least one evidence record with prov:wasDerivedFrom")
        key = (ends["subject"], ends["predicate"], ends["object"])
        self.stated.add(key)
        return records

    def fast_records(self, read: list[AssertionRecord] | None = None,
                     ) -> tuple[list[NodeRecord], list[AssertionRecord]] | None:
        """:meth:`records` for RDF without problems, in one pass that drops each statement,
        evidence record and selector once read; ``None`` at the first problem. ``read``: the
        assertions already read while parsing (:mod:`sle_graph.rdf.stream`), extended in place.

        It keeps no use counts: a resource read a second time (evidence shared by two statements)
        is then found missing, which is a problem too. So ``None`` says "read it again the long
        way", which finds the true problems (or none: shared evidence is allowed). Its records
        carry the file name only, not the resource: they are only used when nothing is wrong.
        """
        props = self.props
        # In the order they came (a graph does not depend on the order of its records).
        statements = [s for s, p in props.items() if SUBJECT in p or STATEMENT in p.get(TYPE, ())]
        where = Where(self.name, None)
        assertions: list[AssertionRecord] = read if read is not None else []
        append = assertions.append
        for st in statements:
            record = self._plain_statement(st, where)
            if record is not None:
                append(record)
                continue
            if any(type(ev) is str and ev not in props for ev in props[st].get(DERIVED, ())):
                return None  # not described, or shared with a statement read before (and dropped)
            assertions += self.statement(st)
            self.done(st)
            if self.problems:
                return None
        # What is left: nodes, ontology declarations, orphan evidence records.
        node_records = [NodeRecord(self.node(s), where) for s in self.node_subjects(props.keys())]
        if self.plain_edges:  # each needs its statement
            stated = {(r.subject, r.predicate, r.object) for r in assertions}
            if any((self.node_id(s), self.predicate_name(p), self.node_id(o)) not in stated
                   for s, p, o in self.plain_edges):
                return None
        return None if self.problems else (node_records, assertions)

    def _plain_statement(self, subject: str, where: Where) -> AssertionRecord | None:
        """The record of a statement in the shape :mod:`sle_graph.rdf` writes (subject,
        predicate and object IRIs, one evidence record read by :meth:`_plain_evidence`, nothing
        else); its triples and its evidence record's are dropped. ``None`` for any other shape."""
        props = self.props
        statement = props[subject]
        if not statement.keys() <= _STATEMENT_PROPS:
            return None
        s, p, o, ev = (statement.get(SUBJECT), statement.get(PREDICATE), statement.get(OBJECT),
                       statement.get(DERIVED))
        if s is None or p is None or o is None or ev is None or len(s) != 1 or len(p) != 1 or len(o) != 1 \
                or len(ev) != 1:
            return None
        s, p, o, ev = s[0], p[0], o[0], ev[0]
        if type(s) is not str or type(p) is not str or type(o) is not str or type(ev) is not str:
            return None
        evidence = self._plain_evidence(ev)
        if evidence is None:
            return None
        del props[subject]
        for selector in props.pop(ev).get(HAS_SELECTOR, ()):
            props.pop(selector, None)
        return AssertionRecord(self.node_id(s), self.predicate_name(p), self.node_id(o), evidence, where)

    def records(self) -> tuple[list[NodeRecord], list[AssertionRecord]]:
        nodes, statements = self.classify()
        node_records = [NodeRecord(self.node(s), self.where(s)) for s in nodes]
        assertions = []
        for st in statements:
            assertions += self.statement(st)
            self.done(st)
        for s, p, o in self.plain_edges:
            key = (_node_id(s), _predicate_name(p), _node_id(o))
            if key not in self.stated:
                self.problem(s, f"edge {key[0]} -[{key[1]}]-> {key[2]} has no rdf:Statement carrying its evidence",
                             suggestion="every edge needs a quote, a study or a reference")
        return node_records, assertions


def _one_literal(values: list | None) -> str | None:
    """The lexical form of the single literal in ``values``; ``None`` for anything else."""
    if values is None or len(values) != 1 or type(values[0]) is not Lit:
        return None
    return values[0][VALUE]


def _one_whole_number(values: list | None) -> int | None:
    """The single integer-typed literal in ``values`` written with ASCII digits only; ``None``
    for anything else (which the general reader then reports)."""
    if values is None or len(values) != 1 or type(values[0]) is not Lit:
        return None
    value = values[0]
    if value[DATATYPE] not in INTEGER_TYPES:
        return None
    return whole_number(value[VALUE])


def _iris(values: Iterable[Any]) -> set[str]:
    return {v for v in values if isinstance(v, str)}


def _is_node(iri: str) -> bool:
    return iri.startswith(_SLE) and not iri.startswith((_STATEMENTS, _EVIDENCE))


def _node_id(iri: str) -> str:
    """A node id from its IRI (an IRI outside our namespace is kept whole: a dangling reference)."""
    return unquote(iri[len(_SLE):]) if iri.startswith(_SLE) else iri


def _predicate_name(iri: str) -> str:
    """``sleo:acts_through`` -> ``acts_through``; an imported predicate's IRI -> its CURIE."""
    if iri.startswith(_SLEO):
        return name_of_local(iri[len(_SLEO):])
    curie = curie_for_iri(iri)
    return curie if curie != iri else iri


def _short(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and prefix not in ("statement", "evidence"):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def _show(value: Any) -> str:
    if isinstance(value, Lit):
        return repr(value[VALUE][:60])
    return _short(value) if not value.startswith("_:") else value


def _declared(builder: "_Builder", schema: "Schema") -> "Schema":
    """``schema`` extended by the kinds and predicates the RDF declares and it lacks (the
    declarations :func:`sle_graph.rdf.blocks` writes for a graph with an extended schema)."""
    def kinds_of(subject: str, prop: str) -> list[str]:
        return sorted(name_of_local(v[len(_SLEO):]) for v in builder.of(subject).get(prop, ())
                      if isinstance(v, str) and v.startswith(_SLEO))

    def mappings(subject: str) -> list[tuple[str, ...]]:
        return [tuple(sorted(curie_for_iri(v) for v in builder.of(subject).get(p, ()) if isinstance(v, str)))
                for p in (EXACT, CLOSE)]

    def text(subject: str, prop: str, default: str) -> str:
        return builder.text(subject, prop, _short(prop)) or default

    kinds, predicates = [], []
    declaring = {_OWL + "Class", _OWL + "ObjectProperty"}
    declarations = sorted(s for s, props in builder.props.items() if not declaring.isdisjoint(props.get(TYPE, ())))
    for subject in declarations:
        props = builder.props[subject]
        types = _iris(props.get(TYPE, ()))
        if _OWL + "Class" in types and subject.startswith(_SLEO):
            name = name_of_local(subject[len(_SLEO):])
            if name not in schema.kinds:
                parents = kinds_of(subject, _RDFS + "subClassOf")
                kinds.append(Kind(name, text(subject, LABEL, name), text(subject, DEFINITION, ""),
                                  parents[0] if parents else None, *mappings(subject)))
        elif _OWL + "ObjectProperty" in types and not subject.startswith("_:"):
            name = _predicate_name(subject)
            if name not in schema.predicates:
                parents = sorted(_predicate_name(v) for v in props.get(_RDFS + "subPropertyOf", ())
                                 if isinstance(v, str))
                predicates.append(Predicate(
                    name, text(subject, LABEL, name), text(subject, DEFINITION, ""),
                    frozenset(kinds_of(subject, _SCHEMA + "domainIncludes")) or frozenset({"Entity"}),
                    frozenset(kinds_of(subject, _SCHEMA + "rangeIncludes")) or frozenset({"Entity"}),
                    *mappings(subject), parents[0] if parents else None))
    if not kinds and not predicates:
        return schema
    extended = schema.extended(kinds=kinds, predicates=predicates)
    for kind in kinds:
        if "Entity" not in extended.ancestors(kind.name):
            builder.problem(_SLEO + local_name(kind.name),
                            f"declared class {kind.name!r} is not a sub-class of sleo:Entity")
    return extended


class _ReadAgain(Exception):
    """The fast builder met a problem: the triples must be read again the long way."""


def build(triples: "Props | Iterable[Triple]", name: str | None = None,
          schema: "Schema | None" = None, *, one_pass: bool = False,
          read: list[AssertionRecord] | None = None) -> "KnowledgeGraph":
    """A validated graph from parsed triples (or triples already grouped by :func:`parse`);
    :class:`ValidationError` listing every problem.

    Grouped triples are consumed: the builder drops them as it reads them. ``one_pass`` reads
    them with :meth:`_Builder.fast_records` and raises :class:`_ReadAgain` at any problem (the
    triples are then partly consumed: parse them again and build without ``one_pass``, which
    reports every problem, located). ``read``: with ``one_pass``, the assertions already read
    while parsing (:func:`_streamed`); ``triples`` then holds the rest.
    """
    schema = schema or default_schema()
    builder = _Builder(triples if isinstance(triples, dict) else group(triples), name, schema)
    builder.one_pass = one_pass
    schema = builder.schema = _declared(builder, schema)
    if one_pass:
        found = builder.fast_records(read) if not builder.problems else None
        if found is None:
            raise _ReadAgain
        node_records, assertion_records = found
    else:
        node_records, assertion_records = builder.records()
    # Each record is let go once checked (its evidence lives on in the graph).
    nodes, edges, problems = check_records(node_records, _drained(assertion_records), schema,
                                           require_definition=False)
    del read
    if one_pass and problems:
        raise _ReadAgain
    # A node without a kind is reported once, by the builder; a statement's problem once, not
    # once per evidence record.
    problems = list(dict.fromkeys(builder.problems + [p for p in problems
                                                      if p.message != f"unknown kind {_NO_KIND!r}"]))
    if problems:
        raise ValidationError(problems)
    return KnowledgeGraph.from_checked(nodes, edges, schema=schema)


def _drained(records: list) -> Iterator:
    """The items of ``records`` in order, each removed from the list as it is given.

    >>> items = [1, 2]
    >>> [(x, list(items)) for x in _drained(items)]
    [(1, [None, 2]), (2, [None, None])]
    """
    for i in range(len(records)):
        item = records[i]
        records[i] = None
        yield item


def _namespace(iri: str) -> str:
    """The IRI up to its last ``#`` or ``/`` (its last ``:`` for a URN)."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:(cut if cut > 0 else iri.rfind(":")) + 1]


def check_ours(props: Props, name: str | None) -> None:
    """:class:`ValidationError` if ``props`` holds triples but not one IRI under
    :data:`sle_graph.vocab.BASE`: such RDF is another vocabulary, which would load as an empty
    graph without a word. The message names the namespaces found instead, the most common first.
    No triples at all is a legitimately empty graph, not an error.

    >>> check_ours({"http://xmlns.com/foaf/0.1/me": {"http://xmlns.com/foaf/0.1/name": [("Ana", None, None)]}}, "me.ttl")
    Traceback (most recent call last):
    ...
    sle_graph.errors.ValidationError: 1 problem:
      me.ttl: no resources of sle_graph (no IRI under https://w3id.org/sle-graph/) in 1 triple; found instead: http://xmlns.com/foaf/0.1/ (2 IRIs); ...
    """
    found: Counter[str] = Counter()
    triples = 0
    for subject, by_predicate in props.items():
        if subject.startswith(BASE):
            return
        if not subject.startswith("_:"):
            found[_namespace(subject)] += 1
        for predicate, objects in by_predicate.items():
            if predicate.startswith(BASE):
                return
            found[_namespace(predicate)] += len(objects)
            triples += len(objects)
            for o in objects:
                if type(o) is str and not o.startswith("_:"):
                    if o.startswith(BASE):
                        return
                    found[_namespace(o)] += 1
    if not triples:
        return
    common = ", ".join(f"{ns} ({n} IRI{'s' if n != 1 else ''})" for ns, n in found.most_common(5))
    raise ValidationError(Problem(
        f"no resources of sle_graph (no IRI under {BASE}) in {triples} triple{'s' if triples != 1 else ''}; "
        f"found instead: {common or 'blank nodes and literals only'}", file=name or "<text>",
        suggestion="read_rdf reads RDF written by sle_graph (kg.to_rdf, kg.serialize); for another "
                   "vocabulary, map it to sle: nodes and sleo: predicates first"))


def _file_size(source: Any) -> int:
    """The size of ``source`` when it is a file's path, else 0 (RDF text, an rdflib graph)."""
    if isinstance(source, str) and formats.looks_like_text(source):
        return 0
    if isinstance(source, (str, os.PathLike)) and os.path.isfile(source):
        return os.path.getsize(source)
    return 0


@gc_paused()  # millions of small objects that all stay alive: nothing for the collector
def read_rdf(source: "str | Path | rdflib.Graph", format: str | None = None, *,  # noqa: A002
             schema: "Schema | None" = None, progress: bool | None = None) -> "KnowledgeGraph":
    """A graph from RDF: a path, a string of RDF text, or an ``rdflib.Graph``.

    Turtle and N-Triples are parsed with pyoxigraph; RDF with no triples at all gives an empty
    graph. A file of :data:`sle_graph.progress.LARGE_FILE` bytes or more shows a progress bar on a
    terminal or in a notebook.

    Parameters
    ----------
    source : str, path-like or rdflib.Graph
        A file, RDF text, or an ``rdflib.Graph`` in sle_graph's modelling (as
        :meth:`KnowledgeGraph.serialize` writes it).
    format : str, optional
        The RDF format; by default guessed from the suffix (``.ttl``, ``.nt``, ``.rdf``,
        ``.jsonld``, ...) or, for text, from its first characters.
    schema : Schema, optional
        The ontology to check against; the shipped one by default.
    progress : bool, optional
        ``True``: a progress bar for any file; ``False``: never; by default for large files.

    Returns
    -------
    KnowledgeGraph
        The graph the RDF describes.

    Raises
    ------
    ValidationError
        For malformed text (naming the line), for RDF that breaks the schema (every problem, each
        located by its subject IRI), or for RDF with nothing of sle_graph in it (naming the
        namespaces found instead). Nothing is loaded then.
    UnknownFormat
        For a suffix or format name no RDF parser takes.
    FileNotFoundError
        When the path does not exist.

    Examples
    --------
    >>> import sle_graph
    >>> kg = sle_graph.load()
    >>> sle_graph.read_rdf(kg.to_rdf()) == kg
    True
    >>> sle_graph.read_rdf(kg.subgraph(["msc"]).serialize())
    <KnowledgeGraph: 1 nodes, 0 edges>
    """
    size = _file_size(source)
    shown = progress if progress is not None else (None if size >= progress_module.LARGE_FILE else False)
    with bar(size or None, f"reading {source}", unit="B", unit_scale=True, progress=shown) as read:
        # The short way: assertions read while the parser streams, the rest grouped.
        streamed = _streamed(source, format, on_bytes=read.update) if _Builder.fast else None
        if streamed is None:
            props, name = parse(source, format, on_bytes=read.update)
        read.update(size - read.n)  # what the parser did not count (one process, or rdflib)
    if streamed is not None:
        records, props, name, ours = streamed
        del streamed
        if not ours:
            try:
                check_ours(props, name)
            except ValidationError:
                if not records:
                    raise
                records = None  # the assertions read are not ours either: the long way says so
        if records is not None:
            try:
                return build(props, name, schema, one_pass=True, read=records)
            except _ReadAgain:  # something is wrong (or unusual): the long way says what
                pass
        del props, records  # outside the handler: its traceback held the first attempt's builder
        props, name = parse(source, format)
        check_ours(props, name)
    else:
        check_ours(props, name)
        if _Builder.fast:
            try:
                return build(props, name, schema, one_pass=True)
            except _ReadAgain:
                pass
            del props
            props, name = parse(source, format)
    return build(props, name, schema)
