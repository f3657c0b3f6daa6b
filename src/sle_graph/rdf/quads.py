"""Parsed RDF grouped by subject: the shape :mod:`.parse` rebuilds a graph from, made in one
process or in several (:mod:`.chunks` parses a large file in pieces and merges them).

:data:`Props` maps subject -> predicate -> objects in the order they came; a term is an IRI
(``str``), a blank node (``"_:" + id``) or a literal ``(lexical form, datatype or None, language
or None)``. Both :mod:`.parse` and :mod:`.chunks` import from here, not from each other.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

from ..errors import Problem, ValidationError

__all__ = ["Props", "group_quads", "invalid_iri", "line_of", "blank_node", "parser_errors", "XSD_STRING"]

#: Parsed RDF grouped for rebuilding: subject -> predicate -> objects (in the order they came).
Props = dict[str, dict[str, list]]

#: A literal of this datatype is stored with datatype ``None``.
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def line_of(exc: BaseException) -> int | None:
    """The line a parser's exception points at (rdflib, pyoxigraph and SAX say it differently).

    >>> line_of(SyntaxError("bad token at line 7"))
    7
    """
    for attr in ("lineno", "line"):
        value = getattr(exc, attr, None)
        if isinstance(value, int):
            return value
    get = getattr(exc, "getLineNumber", None)  # xml.sax.SAXParseException
    if callable(get):
        return get()
    found = re.search(r"line (\d+)", str(exc))
    return int(found.group(1)) if found else None



def invalid_iri(ox: Any, iris: Iterable[str]) -> tuple[str, str] | None:
    """The first of ``iris`` that is not a valid IRI, and why; ``None`` if all are.

    pyoxigraph parses leniently (faster) and skips this check; it is made once per distinct IRI.

    >>> import pyoxigraph as ox
    >>> invalid_iri(ox, ["http://x/a", "http://x/a b"])[0]
    'http://x/a b'
    """
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            return iri, str(exc)
    return None



def group_quads(ox: Any, quads: Iterable[Any], fmt: str, name: str) -> tuple[Props, dict[str, str]]:
    """Parsed ``quads`` (pyoxigraph's parser) as :data:`Props`, with every distinct IRI in them
    (a dict, each IRI to its one kept string). A syntax error raises
    :class:`~sle_graph.errors.ValidationError` naming ``name`` and the line.

    >>> import pyoxigraph as ox
    >>> text = b'<http://x/a> <http://x/p> "v" , <http://x/b> .'
    >>> props, iris = group_quads(ox, ox.parse(input=text, format=ox.RdfFormat.TURTLE), "turtle", "x.ttl")
    >>> props
    {'http://x/a': {'http://x/p': [('v', None, None), 'http://x/b']}}
    >>> sorted(iris)
    ['http://x/a', 'http://x/b', 'http://x/p']
    """
    named, literal = ox.NamedNode, ox.Literal
    xsd_string = XSD_STRING
    props: Props = {}
    iris: dict[str, str] = {}  # every distinct IRI, one string object each
    literals: dict[tuple, tuple] = {}  # every distinct literal, one tuple each (grades, stances, ...)
    last: str | None = None
    current: dict[str, list] = {}
    with parser_errors(fmt, name):
        for quad in quads:
            s = quad.subject
            sv = s.value if type(s) is named else blank_node(s)
            if sv != last:  # consecutive triples mostly share their subject
                last = sv
                current = props.get(sv)  # type: ignore[assignment]
                if current is None:
                    current = props[iris.setdefault(sv, sv) if type(s) is named else sv] = {}
            pv = quad.predicate.value
            values = current.get(pv)
            if values is None:
                values = current[iris.setdefault(pv, pv)] = []
            o = quad.object
            ok = type(o)
            if ok is named:
                ov = o.value
                values.append(iris.setdefault(ov, ov))
            elif ok is literal:
                dt = o.datatype.value
                lit = (o.value, None if dt == xsd_string else iris.setdefault(dt, dt), o.language)
                values.append(literals.setdefault(lit, lit))
            else:
                values.append(blank_node(o))
    return props, iris


@contextmanager
def parser_errors(fmt: str, name: str) -> Iterator[None]:
    """pyoxigraph's parsing errors raised inside as :class:`~sle_graph.errors.ValidationError`
    naming ``name`` and the line.

    >>> import pyoxigraph as ox
    >>> with parser_errors("nt", "x.nt"):
    ...     list(ox.parse(input=b"<http://x/a> <http://x/b> .", format=ox.RdfFormat.N_TRIPLES))
    Traceback (most recent call last):
    ...
    sle_graph.errors.ValidationError: 1 problem:
      x.nt:1: malformed N-Triples: ...
    """
    try:
        yield
    except MemoryError as exc:  # pyoxigraph's parser holds at most 16 MiB of one term
        raise ValidationError(Problem(f"a term too long for the parser ({exc})", file=name,
                                      suggestion="shorten the literal: no text of a graph comes near that")) from None
    except SyntaxError as exc:
        raise ValidationError(Problem(f"malformed {'Turtle' if fmt == 'turtle' else 'N-Triples'}: "
                                      f"{getattr(exc, 'msg', None) or exc}",
                                      file=name, line=line_of(exc))) from None


def blank_node(term: Any) -> str:
    """A blank node (or any other non-IRI, non-literal term) as ``"_:" + id``."""
    return "_:" + str(getattr(term, "value", term))
