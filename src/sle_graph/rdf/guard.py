"""Checks that keep reading a file from reaching anything but that file.

rdflib, left alone, follows what a file says: a JSON-LD ``@context`` (or ``@import``) that is an
IRI is fetched, over HTTP or from the local disk (a relative name is opened beside the file),
and an RDF/XML or TriX document expands the entities its DOCTYPE declares (nested ones grow
exponentially: "billion laughs"). The checks here run before rdflib sees the input and refuse
both with a :class:`~sle_graph.errors.ValidationError` naming the file and what was found, so
reading never opens a connection or another file and never expands an entity.

>>> check_jsonld('{"@context": "https://schema.org/", "name": "x"}', "a.jsonld")
Traceback (most recent call last):
...
sle_graph.errors.ValidationError: 1 problem:
  a.jsonld:1: JSON-LD context 'https://schema.org/' is not inside the file: ...
"""

from __future__ import annotations

import json
import xml.parsers.expat
from pathlib import Path
from typing import Any, Iterator

from ..errors import Problem, ValidationError

__all__ = ["check_jsonld", "check_xml", "check"]

#: Formats whose parser (rdflib's) follows what the file says.
JSONLD_FORMATS = frozenset({"json-ld"})
XML_FORMATS = frozenset({"xml", "trix"})
_CHUNK = 1 << 16


def check(data: str | None, path: Path | None, fmt: str, name: str) -> None:
    """Run the check of ``fmt`` (if any) on ``data`` or the file at ``path``."""
    if fmt in JSONLD_FORMATS:
        try:
            text = data if path is None else path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(Problem(f"malformed json-ld: bytes are not UTF-8 (byte 0x{exc.object[exc.start]:02x})",
                                          file=name, line=exc.object[:exc.start].count(b"\n") + 1,
                                          suggestion="save the file as UTF-8")) from None
        check_jsonld(text, name)
    elif fmt in XML_FORMATS:
        check_xml(data if path is None else path, name)


def _contexts(value: Any) -> Iterator[Any]:
    """Every ``@context`` and ``@import`` value in a JSON-LD document (nested ones included)."""
    if isinstance(value, dict):
        if "@value" in value:  # a literal (``@json`` included): its content is data, not syntax
            return
        for key, item in value.items():
            if key in ("@context", "@import"):
                yield item
            yield from _contexts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _contexts(item)


def check_jsonld(text: str, name: str) -> None:
    """:class:`ValidationError` if the JSON-LD ``text`` names a context rdflib would fetch (any
    ``@context`` or ``@import`` that is an IRI, remote or local), or is not JSON.

    Contexts written inside the document (objects) are kept: sle_graph's own JSON-LD carries
    its context inline.
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(Problem(f"malformed json-ld: {exc.msg}", file=name, line=exc.lineno)) from None
    except RecursionError:
        raise ValidationError(Problem("malformed json-ld: nested too deeply", file=name)) from None
    except ValueError as exc:  # a number past Python's 4,300 digits
        raise ValidationError(Problem(f"malformed json-ld: {str(exc).split(';')[0]}", file=name)) from None
    for context in _contexts(document):
        for item in context if isinstance(context, list) else [context]:
            if isinstance(item, str):
                raise ValidationError(Problem(
                    f"JSON-LD context {item!r} is not inside the file: sle_graph never fetches or opens "
                    "a context a file names", file=name, line=_line_of(text, item),
                    suggestion="put the context object itself in the file's @context (kg.serialize "
                               "writes it so), or expand the document first"))


def _line_of(text: str, item: str) -> int | None:
    at = text.find(json.dumps(item)[1:-1])
    return text.count("\n", 0, at) + 1 if at >= 0 else None


class _Root(Exception):
    """The root element began: every declaration is behind (a DOCTYPE comes before the root)."""


def check_xml(source: str | Path, name: str) -> None:
    """:class:`ValidationError` if the XML ``source`` (text, or a file's path) declares an entity
    or names an external DTD. Only the prologue is read: the check stops at the root element.

    >>> check_xml('<!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>', "bomb.rdf")
    Traceback (most recent call last):
    ...
    sle_graph.errors.ValidationError: 1 problem:
      bomb.rdf:1: XML entity declaration <!ENTITY a ...> refused: ...
    """
    parser = xml.parsers.expat.ParserCreate()

    def entity(entity_name: str, *_: Any) -> None:
        raise ValidationError(Problem(
            f"XML entity declaration <!ENTITY {entity_name} ...> refused: sle_graph does not expand "
            "entities (a file can make them grow without bound)", file=name, line=parser.CurrentLineNumber,
            suggestion="write the values out in full, without a DOCTYPE"))

    def doctype(doctype_name: str, system_id: str | None, public_id: str | None, _internal: int) -> None:
        if system_id or public_id:
            raise ValidationError(Problem(
                f"XML DOCTYPE {doctype_name} names an external DTD ({system_id or public_id!r}): refused, "
                "sle_graph opens no file but the one given", file=name, line=parser.CurrentLineNumber,
                suggestion="remove the DOCTYPE line"))

    def root(*_: Any) -> None:
        raise _Root

    parser.EntityDeclHandler = entity
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        if isinstance(source, Path):
            with open(source, "rb") as fh:
                while chunk := fh.read(_CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        else:
            parser.Parse(source, True)
    except _Root:
        return
    except xml.parsers.expat.ExpatError:
        return  # malformed: rdflib's parser says where, as for any other malformed file
