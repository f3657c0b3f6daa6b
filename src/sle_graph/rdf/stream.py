"""Parsed RDF turned into assertions while the parser streams, in bounded memory.

The RDF :mod:`sle_graph.rdf` writes describes each edge with a statement (``rdf:Statement``), its
evidence record and the record's selectors, each resource's triples together. :class:`Stream`
takes the parsed triples one subject block at a time and, as soon as a statement, its evidence
record and their selectors are all read and have the plain shape the writer gives them, hands
the assertion on (:data:`Assertion`) and forgets their triples. So the parsed triples of a large
graph are never all held at once: only the resources still waiting for a part, the nodes and the
ontology declarations (a small share of the file) are kept, compactly (one flat list of
predicates and objects per subject, IRIs and common literals kept once), and left for the
general reader (:meth:`Stream.leftover`).

Triples in another order still read the same. A block for a subject still held is merged into
it. A subject read again *after* its resource was handed on would have changed that resource: to
notice it, each block that starts a subject afresh leaves a 64-bit fingerprint of the subject,
and :meth:`Stream.reordered` says whether two are equal; the caller then reads the file again
with ``eager=False``, which holds every resource until the end of the file and hands on the
complete ones then (still compactly). A fingerprint shared by chance only costs that second read.

Terms are as in :mod:`sle_graph.rdf.quads`: an IRI or blank node is a ``str``, a literal the tuple
``(lexical form, datatype or None, language or None)``.
"""

from __future__ import annotations

import zlib
from array import array
from typing import Any, Callable, Iterable

from ..build.records import whole_number
from .quads import XSD_STRING, Props, blank_node, parser_errors
from .write import PREFIXES

__all__ = ["Stream", "Assertion", "consume", "fingerprint", "TYPE", "SUBJECT", "PREDICATE", "OBJECT",
           "STATEMENT", "DERIVED", "SOURCE", "HAS_SELECTOR", "EXACT_TEXT", "START", "END", "QUOTE_SELECTOR",
           "POSITION_SELECTOR", "STANCE", "FINDING", "MEASURE", "CITATION", "MODALITY", "GRADE", "STATUS",
           "INTEGER_TYPES"]

_RDF, _XSD, _OA, _SLEO = PREFIXES["rdf"], PREFIXES["xsd"], PREFIXES["oa"], PREFIXES["sleo"]
TYPE, SUBJECT, PREDICATE, OBJECT, STATEMENT = (_RDF + "type", _RDF + "subject", _RDF + "predicate", _RDF + "object",
                                               _RDF + "Statement")
DERIVED, SOURCE, CITATION = PREFIXES["prov"] + "wasDerivedFrom", PREFIXES["dcterms"] + "source", \
    PREFIXES["dcterms"] + "bibliographicCitation"
HAS_SELECTOR, EXACT_TEXT, START, END = _OA + "hasSelector", _OA + "exact", _OA + "start", _OA + "end"
QUOTE_SELECTOR, POSITION_SELECTOR = _OA + "TextQuoteSelector", _OA + "TextPositionSelector"
STANCE, FINDING, MEASURE, MODALITY = _SLEO + "stance", _SLEO + "finding", _SLEO + "measure", _SLEO + "modality"
GRADE, STATUS = _SLEO + "grade", _SLEO + "status"
INTEGER_TYPES = frozenset(_XSD + t for t in ("integer", "nonNegativeInteger", "positiveInteger", "int", "long",
                                             "short", "unsignedInt", "unsignedLong"))

#: An assertion read in plain shape: ``(subject IRI, predicate IRI, object IRI, source IRI or None,
#: source text or None, quote, start, end, stance, finding, measure, reference, modality)``; the
#: evidence fields are ``None`` where the record has none (a plain tuple: it crosses processes
#: with :mod:`marshal`).
Assertion = tuple

_STATEMENT_PROPS = frozenset({TYPE, SUBJECT, PREDICATE, OBJECT, DERIVED, GRADE, STATUS})
_ENDS = {SUBJECT: 0, PREDICATE: 1, OBJECT: 2, DERIVED: 3}
_FIELDS = {STANCE: 0, FINDING: 1, MEASURE: 2, CITATION: 3, MODALITY: 4}
# A bounded cache of kept IRIs and literals: cleared when it grows past this (unique terms, such
# as evidence IRIs and quotes, would otherwise all stay).
_CACHE = 1 << 17
_NOT_YET = None  # a resource waits for a part; any other outcome is final


def fingerprint(subject: str) -> int:
    """A 64-bit fingerprint of ``subject``, the same in every process (``hash`` is not).

    >>> fingerprint("http://x/a") == fingerprint("http://x/a") != fingerprint("http://x/b")
    True
    """
    data = subject.encode("utf-8", "surrogatepass")
    return (zlib.crc32(data) << 32 | zlib.adler32(data)) - (1 << 63)


class Stream:
    """Subject blocks in, assertions out: see the module's description.

    Parameters
    ----------
    emit : callable
        Called with each :data:`Assertion` as soon as it is complete.
    eager : bool, default True
        Hand assertions on as their parts arrive; ``False`` waits for the end of the input
        (:meth:`finish`), for input whose resources are spread out (:meth:`reordered`).

    Examples
    --------
    >>> st, ev = "urn:st", "urn:ev"
    >>> found = []
    >>> stream = Stream(found.append)
    >>> stream.block(st, [SUBJECT, "urn:a", PREDICATE, "urn:p", OBJECT, "urn:b", DERIVED, ev])
    >>> stream.block(ev, [STANCE, ("supports", None, None)])
    >>> stream.finish()
    >>> found
    [('urn:a', 'urn:p', 'urn:b', None, None, None, None, None, 'supports', None, None, None, None)]
    >>> stream.leftover(), stream.reordered()
    ({}, False)
    """

    def __init__(self, emit: Callable[[Assertion], object], eager: bool = True):
        self.emit = emit
        self.eager = eager
        self.pending: dict[str, list] = {}  # subject -> [predicate, object, predicate, object, ...]
        self.waiting: dict[str, str] = {}  # a missing part -> the statement that waits for it
        self.starts = array("q")  # the fingerprint of each block that starts a subject afresh
        #: How a subject is fingerprinted: Python's ``hash`` (fast; this process only), or
        #: :func:`fingerprint` when streams of several processes are compared (:meth:`absorb`).
        self.mark: Callable[[str], int] = hash
        self.emitted = 0
        #: The first block of a chunk that does not start the file, held apart (it may continue
        #: the previous chunk's last block): ``(subject, pairs)``, see :meth:`absorb`.
        self.head: tuple[str, list] | None = None

    def block(self, subject: str, pairs: list, settle: bool = True) -> None:
        """The triples of one subject read together (``pairs``: predicates and objects, alternating).

        ``settle=False`` holds them without trying to complete anything (a block a chunk's edge
        may have cut: :mod:`sle_graph.rdf.chunks`).
        """
        held = self.pending.get(subject)
        if held is not None:
            held += pairs
        else:
            self.starts.append(self.mark(subject))
            self.pending[subject] = pairs
        if self.eager and settle:
            self.settle(subject)

    def absorb(self, emitted: list, head: tuple[str, list] | None, pending: dict[str, list], starts: bytes) -> None:
        """Take on what another process's stream read from the next chunk of the same input:
        its assertions, its first block (merged into this stream's last if it continues it),
        its held resources and fingerprints. Nothing is completed until :meth:`finish`."""
        for assertion in emitted:
            self.emit(assertion)
        self.emitted += len(emitted)
        if head is not None:
            self.block(*head, settle=False)
        for subject, pairs in pending.items():
            held = self.pending.get(subject)
            if held is not None:
                held += pairs
            else:
                self.pending[subject] = pairs
        self.starts.frombytes(starts)

    def settle(self, subject: str) -> None:
        """Complete what ``subject`` was the missing part of, or ``subject`` if it is a statement."""
        statement = self.waiting.pop(subject, None)
        if statement is not None:
            self.resolve(statement)
        elif SUBJECT in self.pending[subject]:
            self.resolve(subject)

    def resolve(self, statement: str) -> None:
        """Hand the statement on if it and its parts are complete and plain; else leave it held
        (waiting for the part it lacks, if that is all)."""
        pending = self.pending
        found = _plain_statement(pending.get(statement))
        if found is None:
            return
        s, p, o, ev = found
        evidence = _plain_evidence(ev, pending, self.waiting, statement)
        if evidence is None:
            return
        self.emit((s, p, o, *evidence))
        self.emitted += 1
        del pending[statement]
        pairs = pending.pop(ev)
        for i in range(0, len(pairs), 2):
            if pairs[i] == HAS_SELECTOR:
                pending.pop(pairs[i + 1], None)

    def finish(self) -> None:
        """The input ended: complete what can be (everything, when not eager)."""
        self.waiting.clear()
        for subject in [s for s, pairs in self.pending.items() if SUBJECT in pairs]:
            if subject in self.pending:
                self.resolve(subject)
        self.waiting.clear()

    def reordered(self) -> bool:
        """Whether a subject started afresh more than once (its resource may have been handed
        on before all of it was read): then read the input again with ``eager=False``."""
        if len(self.starts) < 1 << 16:  # small input: not worth importing numpy
            return len(set(self.starts)) != len(self.starts)
        import numpy as np

        starts = np.sort(np.frombuffer(self.starts, dtype=np.int64))
        return bool((starts[1:] == starts[:-1]).any())

    def leftover(self) -> Props:
        """What was not handed on, grouped by subject and predicate (:data:`~sle_graph.rdf.quads.Props`),
        in the order read; the held triples are dropped."""
        props: Props = {}
        for subject, pairs in self.pending.items():
            grouped: dict[str, list] = {}
            for i in range(0, len(pairs), 2):
                values = grouped.get(pairs[i])
                if values is None:
                    grouped[pairs[i]] = [pairs[i + 1]]
                else:
                    values.append(pairs[i + 1])
            props[subject] = grouped
        self.pending = {}
        return props


def _plain_statement(pairs: list | None) -> tuple[str, str, str, str] | None:
    """``(subject, predicate, object, evidence)`` of a statement of plain shape (statement
    properties only, one IRI each of subject, predicate, object and evidence); ``None``
    otherwise (not complete yet, or another shape, which the general reader reads)."""
    if pairs is None:
        return None
    ends: list = [None, None, None, None]
    for i in range(0, len(pairs), 2):
        at = _ENDS.get(pairs[i])
        if at is None:
            if pairs[i] not in _STATEMENT_PROPS:
                return None
        elif ends[at] is not None or type(pairs[i + 1]) is not str:
            return None
        else:
            ends[at] = pairs[i + 1]
    return None if None in ends else tuple(ends)  # type: ignore[return-value]


def _plain_evidence(subject: str, pending: dict[str, list], waiting: dict[str, str],
                    statement: str) -> tuple | None:
    """The evidence fields of an :data:`Assertion` for a record of plain shape and its
    selectors; ``None`` for any other shape, or when a part is missing (then noted in
    ``waiting``)."""
    pairs = pending.get(subject)
    if pairs is None:
        waiting[subject] = statement
        return None
    derived = text = quote = start = end = None
    fields = [None, None, None, None, None]
    for i in range(0, len(pairs), 2):
        prop, value = pairs[i], pairs[i + 1]
        if prop == HAS_SELECTOR:
            on = pending.get(value) if type(value) is str else None
            if on is None:
                if type(value) is str:
                    waiting[value] = statement
                return None
            selector = _selector(on)
            if selector is None:
                return None
            if len(selector) == 1:
                if quote is not None:
                    return None
                quote = selector[0]
            elif start is None:
                start, end = selector
            else:
                return None
        elif prop == DERIVED:
            if derived is not None or text is not None or type(value) is not str:
                return None
            derived = value
        elif prop == SOURCE:
            if text is not None or derived is not None or type(value) is not tuple:
                return None
            text = value[0]
        elif prop == TYPE:
            continue
        else:
            at = _FIELDS.get(prop)
            if at is None or fields[at] is not None or type(value) is not tuple:
                return None
            fields[at] = value[0]
    return (derived, text, quote, start, end, *fields)


def _selector(pairs: list) -> tuple | None:
    """``(quote,)`` or ``(start, end)`` of a selector of plain shape (its type and its text, or
    its type and two whole numbers, nothing else); ``None`` for any other shape."""
    kind = text = start = end = None
    for i in range(0, len(pairs), 2):
        prop, value = pairs[i], pairs[i + 1]
        if prop == TYPE and kind is None:
            kind = value
        elif prop == EXACT_TEXT and text is None and type(value) is tuple:
            text = value[0]
        elif (prop == START and start is None) or (prop == END and end is None):
            number = whole_number(value[0]) if type(value) is tuple and value[1] in INTEGER_TYPES else None
            if number is None:
                return None
            if prop == START:
                start = number
            else:
                end = number
        else:
            return None
    if kind == QUOTE_SELECTOR and text is not None and start is None and end is None:
        return (text,)
    if kind == POSITION_SELECTOR and text is None and start is not None and end is not None:
        return start, end
    return None


def consume(ox: Any, quads: Iterable[Any], stream: Stream, fmt: str, name: str,
            hold_first: bool = False, settle_last: bool = True) -> dict[str, str] | None:
    """Feed pyoxigraph's parsed ``quads`` to ``stream``, a subject block at a time.

    Every IRI is checked once while it is in the cache (pyoxigraph parses leniently, which skips
    the check): the first invalid one is returned with its message as ``{iri: message}``,
    ``None`` if all are valid. A syntax error raises :class:`~sle_graph.errors.ValidationError`
    naming ``name`` and the line. ``hold_first`` keeps the first block apart (``stream.head``) and
    ``settle_last=False`` holds the last block without completing anything: a chunk's edges
    may cut a subject's block.
    """
    named, literal, check = ox.NamedNode, ox.Literal, ox.NamedNode
    xsd_string = XSD_STRING
    # pyoxigraph's term -> ours: one object each while cached (the parser's terms hash and
    # compare in Rust, so a term met again is not converted again).
    cache: dict[Any, Any] = {}
    get = cache.get
    invalid: dict[str, str] = {}
    block = stream.block

    def convert(term: Any) -> Any:
        kind = type(term)
        if kind is named:
            found = term.value
            if not invalid:
                try:
                    check(found)
                except ValueError as exc:
                    invalid[found] = str(exc)
        elif kind is literal:
            dt = term.datatype
            found = (term.value, None if dt.value == xsd_string else get(dt) or convert(dt), term.language)
        else:
            found = blank_node(term)
        if len(cache) > _CACHE:
            cache.clear()
        cache[term] = found
        return found

    last: Any = None
    subject: Any = None
    pairs: list = []
    first = True
    with parser_errors(fmt, name):
        for quad in quads:
            s = quad.subject
            if s != last:  # consecutive triples mostly share their subject
                if last is not None:
                    if first and hold_first:
                        stream.head = (subject, pairs)
                    else:
                        block(subject, pairs)
                    first = False
                last, pairs = s, []
                subject = get(s) or convert(s)
            p, o = quad.predicate, quad.object
            pairs += (get(p) or convert(p), get(o) or convert(o))
        if last is not None:
            if first and hold_first:
                stream.head = (subject, pairs)
            else:
                block(subject, pairs, settle_last)
    return invalid or None
