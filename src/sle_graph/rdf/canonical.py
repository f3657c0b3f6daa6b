"""Canonical Turtle, N-Triples and JSON-LD: the same triples always give the same bytes.

The RDF view of a graph comes as *blocks*: a subject IRI and its ``(predicate, object)`` pairs.
There are no blank nodes (statements, evidence records and selectors have stable IRIs), so a text
is canonical once every block is written in a fixed order: the caller yields blocks in a canonical
order, and each block's pairs are sorted here (``rdf:type`` first, then a fixed rank of common
predicates, then by their text), duplicates dropped. Writing is plain string work, streamed in
chunks, many times faster than building an ``rdflib.Graph`` (see ``benchmarks/bench_export.py``).

Example
-------
>>> from sle_graph.rdf.canonical import Iri, Lit, turtle_text
>>> block = (Iri("sle", "msc"), [(Iri("rdfs", "label"), Lit('MSC "1"')),
...                              (Iri("rdf", "type"), Iri("sleo", "StemCell"))])
>>> print(turtle_text([block], ["sle", "sleo", "rdf", "rdfs"]))
@prefix sle: <https://w3id.org/sle-graph/resource/> .
@prefix sleo: <https://w3id.org/sle-graph/ontology/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<BLANKLINE>
sle:msc a sleo:StemCell ;
    rdfs:label "MSC \\"1\\"" .
<BLANKLINE>
"""

from __future__ import annotations

import re
from typing import IO, Iterable, Iterator, NamedTuple, Sequence, Union

from ..errors import Problem, ValidationError
from ..vocab import SLE, SLEO, prefixes as curie_prefixes

__all__ = ["Iri", "Lit", "Term", "Block", "CORE_PREFIXES", "namespace", "turtle_chunks", "turtle_text",
           "turtle_iri", "turtle_string",
           "ntriples_chunks", "jsonld_text", "write_chunks", "literal_text"]

#: Prefixes of every export, in the order the Turtle header lists them (CURIE prefixes follow).
#:
#: Examples
#: --------
#: >>> from sle_graph.rdf.canonical import CORE_PREFIXES
#: >>> list(CORE_PREFIXES)[:4], CORE_PREFIXES["prov"]
#: (['sle', 'sleo', 'statement', 'evidence'], 'http://www.w3.org/ns/prov#')
CORE_PREFIXES: dict[str, str] = {
    "sle": SLE,
    "sleo": SLEO,
    "statement": SLE + "statement/",
    "evidence": SLE + "evidence/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
}


def namespace(prefix: str) -> str:
    """The IRI a prefix stands for: one of :data:`CORE_PREFIXES` or a CURIE prefix.

    Parameters
    ----------
    prefix : str
        A prefix, without the colon.

    Returns
    -------
    str
        The namespace IRI.

    Raises
    ------
    KeyError
        When the prefix is neither a core prefix nor in the CURIE prefix table.

    Examples
    --------
    >>> namespace("sleo"), namespace("CL")
    ('https://w3id.org/sle-graph/ontology/', 'http://purl.obolibrary.org/obo/CL_')
    """
    found = CORE_PREFIXES.get(prefix)
    return found if found is not None else curie_prefixes()[prefix]


class Iri(NamedTuple):
    """An IRI as ``prefix`` + ``local``; ``prefix`` ``""`` means ``local`` is the whole IRI.

    Parameters
    ----------
    ns : str
        A prefix of :func:`namespace`, or ``""``.
    local : str
        The rest of the IRI (the whole IRI when ``ns`` is ``""``).

    Examples
    --------
    >>> Iri("sleo", "treats").value, Iri("", "https://example.org/x").value
    ('https://w3id.org/sle-graph/ontology/treats', 'https://example.org/x')
    """

    ns: str
    local: str

    @property
    def value(self) -> str:
        """The full IRI.

        Returns
        -------
        str
            The namespace of ``ns`` followed by ``local``.

        Examples
        --------
        >>> Iri("rdfs", "label").value
        'http://www.w3.org/2000/01/rdf-schema#label'
        """
        return namespace(self.ns) + self.local if self.ns else self.local


class Lit(NamedTuple):
    """A literal: its lexical form and datatype (``None``: a plain ``xsd:string``).

    Parameters
    ----------
    value : str
        The lexical form.
    datatype : Iri or None, default None
        The datatype; None for a plain string.

    Examples
    --------
    >>> literal_text(Lit("3", Iri("xsd", "integer")))
    '"3"^^xsd:integer'
    """

    value: str
    datatype: Iri | None = None


#: An RDF term of a block: an :class:`Iri` or a :class:`Lit` (no blank nodes).
#:
#: Examples
#: --------
#: >>> from sle_graph.rdf.canonical import Iri, Lit, Term
#: >>> objects: list[Term] = [Iri("sleo", "StemCell"), Lit("MSC")]
#: >>> [type(o).__name__ for o in objects]
#: ['Iri', 'Lit']
Term = Union[Iri, Lit]
#: A subject and its ``(predicate, object)`` pairs: the unit the writers of this module take.
#:
#: Examples
#: --------
#: >>> from sle_graph.rdf.canonical import Block, Iri, Lit, ntriples_chunks
#: >>> block: Block = (Iri("sle", "msc"), [(Iri("rdfs", "label"), Lit("MSC"))])
#: >>> print("".join(ntriples_chunks([block])), end="")
#: <https://w3id.org/sle-graph/resource/msc> <http://www.w3.org/2000/01/rdf-schema#label> "MSC" .
Block = tuple[Iri, Sequence[tuple[Iri, Term]]]

# A local name written as a prefixed name; anything else is written as a full <IRI>.
_SIMPLE_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?\Z").match
# Characters an IRIREF may not hold (Turtle and N-Triples grammars).
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]').search

# String escapes: the ECHARs Turtle and N-Triples share, \\u for other control characters.
_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F] if c not in _ESCAPES})

# Predicates listed first in a block (rdf:type is written "a"), in this order; others by text.
_RANK = {
    "rdf:type": 0, "rdfs:label": 1, "skos:altLabel": 2, "skos:definition": 3, "skos:exactMatch": 4,
    "skos:closeMatch": 5, "rdf:subject": 1, "rdf:predicate": 2, "rdf:object": 3,
    "prov:wasDerivedFrom": 4, "oa:exact": 1, "oa:start": 1, "oa:end": 2,
}
# Prefixes whose local names are hashes (always simple): written without a look-up.
_HASHED = frozenset({"statement", "evidence"})


def _iri_ref(iri: str) -> str:
    if _BAD_IRI(iri):
        raise ValidationError(Problem(f"cannot write {iri!r} as an RDF IRI: it holds a space, a control "
                                      "character or one of <>\"{}|^`\\"))
    return f"<{iri}>"


def _turtle_iri(iri: Iri) -> str:
    """An IRI in Turtle: a prefixed name when its local part allows one, else ``<full IRI>``.

    Published as :func:`turtle_iri`.

    Parameters
    ----------
    iri : Iri
        The IRI.

    Returns
    -------
    str
        Its Turtle text.

    Raises
    ------
    ValidationError
        When the IRI holds a space, a control character or one of ``<>"{}|^`\\``.

    Examples
    --------
    >>> turtle_iri(Iri("sle", "msc")), turtle_iri(Iri("sle", "a/b"))
    ('sle:msc', '<https://w3id.org/sle-graph/resource/a/b>')
    """
    if iri.ns and _SIMPLE_LOCAL(iri.local):
        return f"{iri.ns}:{iri.local}"
    return _iri_ref(iri.value)


turtle_iri = _turtle_iri


def turtle_string(value: str) -> str:
    """A plain string literal in Turtle / N-Triples syntax.

    Parameters
    ----------
    value : str
        The string.

    Returns
    -------
    str
        The string quoted, with quotes, backslashes and control characters escaped.

    Examples
    --------
    >>> print(turtle_string('say "hi"\\n'))
    "say \\"hi\\"\\n"
    """
    return '"' + value.translate(_ESCAPES) + '"'


def literal_text(lit: Lit, iri_text=_turtle_iri) -> str:
    """A literal in Turtle / N-Triples syntax (``"..."`` escaped, ``^^datatype`` when typed).

    Parameters
    ----------
    lit : Lit
        The literal.
    iri_text : callable, optional
        Writes the datatype IRI; Turtle's :func:`turtle_iri` (a prefixed name) by default.

    Returns
    -------
    str
        The literal's text.

    Examples
    --------
    >>> literal_text(Lit("2024-01-01", Iri("xsd", "date")))
    '"2024-01-01"^^xsd:date'
    """
    text = '"' + lit.value.translate(_ESCAPES) + '"'
    return text if lit.datatype is None else text + "^^" + iri_text(lit.datatype)


def _turtle_block(subject: Iri, pairs: Sequence[tuple[Iri, Term]], cache: dict, pcache: dict) -> str:
    # The hot loop of an export. IRI texts come from the writer's caches (``pcache`` holds a
    # predicate's rank and text), hash IRIs are written directly, rows are sorted (rank, text),
    # and each predicate's objects go one per line, so a change shows as one line in a diff.
    rows = []
    for p, o in pairs:
        pr = pcache.get(p)
        if pr is None:
            text = _turtle_iri(p)
            pr = pcache[p] = (_RANK.get(text, 99), "a" if text == "rdf:type" else text)
        if type(o) is Iri:
            if o.ns in _HASHED:
                o_text = o.ns + ":" + o.local
            else:
                o_text = cache.get(o)
                if o_text is None:
                    o_text = cache[o] = _turtle_iri(o)
        elif o.datatype is None:
            o_text = '"' + o.value.translate(_ESCAPES) + '"'
        else:
            o_text = literal_text(o)
        rows.append((pr, o_text))
    rows.sort()
    parts = ["\n", subject.ns + ":" + subject.local if subject.ns in _HASHED else _turtle_iri(subject)]
    last = previous = None
    for row in rows:
        if row == previous:  # the same triple twice
            continue
        previous = row
        (_, p_text), o_text = row
        if p_text == last:
            parts += (",\n        ", o_text)
            continue
        parts += (" ;\n    " if last is not None else " ", p_text, " ", o_text)
        last = p_text
    parts.append(" .\n")
    return "".join(parts)


def turtle_chunks(blocks: Iterable["Block | str"], prefixes: Sequence[str], chunk_size: int = 2000) -> Iterator[str]:
    """Turtle text in chunks: the ``@prefix`` header, then the blocks in the order given.

    Parameters
    ----------
    blocks : iterable of Block or str
        The blocks; an item may also be Turtle text already written in this layout (a caller's
        fast path).
    prefixes : sequence of str
        The prefixes the header declares, in order; each IRI written with a prefix needs its own.
    chunk_size : int, default 2000
        Blocks per chunk.

    Yields
    ------
    str
        The header, then chunks of blocks.

    Raises
    ------
    ValidationError
        When an IRI cannot be written in Turtle (see :func:`turtle_iri`).

    Examples
    --------
    >>> blocks = [(Iri("sle", f"n{i}"), [(Iri("rdfs", "label"), Lit(str(i)))]) for i in range(3)]
    >>> chunks = list(turtle_chunks(blocks, ["sle", "rdfs"], chunk_size=2))
    >>> len(chunks), chunks[2]
    (3, '\\nsle:n2 rdfs:label "2" .\\n')
    """
    yield "".join(f"@prefix {p}: <{namespace(p)}> .\n" for p in prefixes)
    buffer: list[str] = []
    cache: dict = {}
    pcache: dict = {}
    for item in blocks:
        buffer.append(item if type(item) is str else _turtle_block(item[0], item[1], cache, pcache))
        if len(buffer) >= chunk_size:
            yield "".join(buffer)
            buffer.clear()
    if buffer:
        yield "".join(buffer)


def turtle_text(blocks: Iterable[Block], prefixes: Sequence[str]) -> str:
    """The whole Turtle text of :func:`turtle_chunks` as one string.

    Parameters
    ----------
    blocks : iterable of Block
        The blocks, in the order to write them.
    prefixes : sequence of str
        The prefixes the header declares, in order.

    Returns
    -------
    str
        The Turtle text.

    Raises
    ------
    ValidationError
        When an IRI cannot be written in Turtle (see :func:`turtle_iri`).

    Examples
    --------
    >>> print(turtle_text([(Iri("sle", "msc"), [(Iri("rdf", "type"), Iri("sleo", "StemCell"))])],
    ...                   ["sle", "sleo", "rdf"]), end="")
    @prefix sle: <https://w3id.org/sle-graph/resource/> .
    @prefix sleo: <https://w3id.org/sle-graph/ontology/> .
    @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
    <BLANKLINE>
    sle:msc a sleo:StemCell .
    """
    return "".join(turtle_chunks(blocks, prefixes))


def _nt_iri(iri: Iri) -> str:
    return _iri_ref(iri.value)


def _nt_term(term: Term) -> str:
    return _nt_iri(term) if type(term) is Iri else literal_text(term, _nt_iri)


def ntriples_chunks(blocks: Iterable[Block], chunk_size: int = 2000) -> Iterator[str]:
    """N-Triples text in chunks: each block's lines sorted, duplicates dropped.

    Parameters
    ----------
    blocks : iterable of Block
        The blocks, in the order to write them.
    chunk_size : int, default 2000
        Blocks per chunk.

    Yields
    ------
    str
        Chunks of lines, every IRI written in full.

    Raises
    ------
    ValidationError
        When an IRI cannot be written in N-Triples (a space, a control character, ...).

    Examples
    --------
    >>> label = (Iri("rdfs", "label"), Lit("MSC"))
    >>> print("".join(ntriples_chunks([(Iri("sle", "msc"), [label, label])])), end="")
    <https://w3id.org/sle-graph/resource/msc> <http://www.w3.org/2000/01/rdf-schema#label> "MSC" .
    """
    buffer: list[str] = []
    for n, (subject, pairs) in enumerate(blocks, 1):
        s = _nt_iri(subject)
        buffer.extend(sorted({f"{s} {_nt_iri(p)} {_nt_term(o)} .\n" for p, o in pairs}))
        if n % chunk_size == 0:
            yield "".join(buffer)
            buffer.clear()
    if buffer:
        yield "".join(buffer)


def jsonld_text(blocks: Iterable[Block], context: dict[str, str]) -> str:
    """JSON-LD: ``{"@context": context, "@graph": [...]}``, one object per block, in block order.

    IRIs are compacted with the context's prefixes (those ending in ``/`` or ``#``, which JSON-LD
    1.1 uses as prefixes), properties sorted, several values sorted. Written here rather than by
    rdflib, whose compacting writer drops an empty string beside another value of a property.

    Parameters
    ----------
    blocks : iterable of Block
        The blocks, in the order to write them.
    context : dict of str to str
        The JSON-LD context: prefix -> namespace IRI (other terms are kept but not used to
        compact).

    Returns
    -------
    str
        The JSON-LD text, indented, ending with a line end.

    Examples
    --------
    >>> import json
    >>> block = (Iri("sle", "msc"), [(Iri("rdf", "type"), Iri("sleo", "StemCell")),
    ...                              (Iri("rdfs", "label"), Lit("MSC"))])
    >>> doc = json.loads(jsonld_text([block], {"sle": namespace("sle"), "sleo": namespace("sleo"),
    ...                                        "rdfs": namespace("rdfs")}))
    >>> doc["@graph"]
    [{'@id': 'sle:msc', '@type': 'sleo:StemCell', 'rdfs:label': 'MSC'}]
    """
    import json

    namespaces = sorted(((ns, p) for p, ns in context.items()
                         if isinstance(ns, str) and ns.endswith(("/", "#"))), key=lambda x: -len(x[0]))

    def compact(iri: str) -> str:
        for ns, prefix in namespaces:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def value(term: Term) -> object:
        if type(term) is Iri:
            return {"@id": compact(term.value)}
        if term.datatype is None:
            return term.value
        return {"@value": term.value, "@type": compact(term.datatype.value)}

    graph = []
    for subject, pairs in blocks:
        item: dict[str, object] = {"@id": compact(subject.value)}
        grouped: dict[str, list] = {}
        for p, o in pairs:
            if p == _RDF_TYPE:
                grouped.setdefault("@type", []).append(compact(o.value))
            else:
                grouped.setdefault(compact(p.value), []).append(value(o))
        for key in sorted(grouped, key=lambda k: (k != "@type", k)):
            values = sorted({json.dumps(v, sort_keys=True, ensure_ascii=False) for v in grouped[key]})
            decoded = [json.loads(v) for v in values]
            item[key] = decoded[0] if len(decoded) == 1 else decoded
        graph.append(item)
    return json.dumps({"@context": context, "@graph": graph}, indent=2, ensure_ascii=False) + "\n"


_RDF_TYPE = Iri("rdf", "type")


def write_chunks(chunks: Iterable[str], out: IO[bytes]) -> None:
    """Write text chunks as UTF-8 to a binary file.

    Parameters
    ----------
    chunks : iterable of str
        The text, such as :func:`turtle_chunks` yields.
    out : binary file object
        Where to write.

    Examples
    --------
    >>> import io
    >>> out = io.BytesIO()
    >>> write_chunks(["caf", "é"], out)
    >>> out.getvalue()
    b'caf\\xc3\\xa9'
    """
    for chunk in chunks:
        out.write(chunk.encode("utf-8"))
