"""SPARQL on the graph, run by an embedded Oxigraph store (pyoxigraph).

``kg.sparql(query)`` runs on a ``pyoxigraph.Store`` holding the graph's RDF view (the triples
:func:`~sle_graph.rdf.write.serialize` writes: nodes, plain edge triples, reified statements,
evidence records) and the ontology, all in the default graph. The store is built on the first
query, by bulk loading the graph's canonical Turtle in batches (a worker thread loads one batch
while the next is written), and kept while the graph object lives (:meth:`KnowledgeGraph.cache
<sle_graph.KnowledgeGraph.cache>`): graphs are immutable, so it never goes stale. It lives in
memory, or in a folder you name (``folder=``: an empty or new one, for graphs too large to hold
twice in memory).

Results keep the shapes they have always had, in a list (:class:`SparqlResult`) that also gives a
``pandas.DataFrame`` (:meth:`SparqlResult.to_frame`). A query that cannot be read raises
:class:`~sle_graph.errors.SparqlError` with its line, column and a caret; a SPARQL Update is
refused as such (a graph is read-only).

>>> import sle_graph
>>> kg = sle_graph.load()
>>> rows = kg.sparql("SELECT ?kind (COUNT(?n) AS ?count) WHERE { ?n a ?kind } GROUP BY ?kind ORDER BY ?kind")
>>> rows.columns
('kind', 'count')
>>> all(isinstance(r["count"], int) for r in rows)
True
"""

from __future__ import annotations

import queue
import re
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from .._resources import ontology_file
from ..errors import InvalidArgument, SparqlError, install_hint
from .write import PREFIXES, python_value, sparql_error, text_chunks, update_keyword

if TYPE_CHECKING:  # pragma: no cover
    import os

    import pandas
    import pyoxigraph

    from ..graph import KnowledgeGraph

__all__ = ["sparql", "sparql_store", "SparqlResult", "BATCH_CHARS"]

#: Characters of Turtle handed to the store per load call: big enough that the calls cost
#: nothing beside the parsing, small enough that two batches in flight stay a few MB.
BATCH_CHARS = 8 << 20

_STRING_TYPES = frozenset({"http://www.w3.org/2001/XMLSchema#string",
                           "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"})
_TRIPLE_COLUMNS = ("subject", "predicate", "object")
# Integer types whose lexical forms rdflib reads with int(): read here directly (a result may hold
# millions of offsets and counts); any other form goes through rdflib, as every other datatype.
_INTEGERS = {"http://www.w3.org/2001/XMLSchema#integer": re.compile("[+-]?[0-9]+").fullmatch,
             "http://www.w3.org/2001/XMLSchema#nonNegativeInteger": re.compile("[0-9]+").fullmatch}


class SparqlResult(list):
    """The rows of a SPARQL query: a list of dicts, as :func:`sparql` describes, with the
    column names (``columns``) and a ``pandas.DataFrame`` of them (:meth:`to_frame`).

    Parameters
    ----------
    rows : iterable of dict, optional
        The rows, variable -> value.
    columns : iterable of str, optional
        The column names, in order.

    Examples
    --------
    >>> import sle_graph
    >>> rows = sle_graph.load().sparql("SELECT ?label WHERE { sle:msc rdfs:label ?label }")
    >>> rows
    [{'label': 'mesenchymal stem cell'}]
    >>> rows.to_frame()
                       label
    0  mesenchymal stem cell
    """

    def __init__(self, rows: Iterable[dict[str, Any]] = (), columns: Iterable[str] = ()):
        super().__init__(rows)
        #: The column names: the SELECT variables in query order; ``("ask",)`` for ASK;
        #: ``("subject", "predicate", "object")`` for CONSTRUCT and DESCRIBE.
        self.columns: tuple[str, ...] = tuple(columns)

    def to_frame(self) -> "pandas.DataFrame":
        """The rows as a ``pandas.DataFrame``, one column per name of :attr:`columns` (so a
        query with no answer still has its columns); unbound values are ``None``.

        Returns
        -------
        pandas.DataFrame
            One row per row of the list.

        Raises
        ------
        ImportError
            When pandas is missing, naming what to install.

        Examples
        --------
        >>> import sle_graph
        >>> sle_graph.load().sparql("SELECT ?s WHERE { ?s a sleo:Nothing }").to_frame().columns.tolist()
        ['s']
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - pandas is in the dev extras
            raise ImportError(f"to_frame needs pandas: {install_hint('pandas', 'pandas')}") from exc
        return pd.DataFrame([[row.get(c) for c in self.columns] for row in self], columns=list(self.columns))


# -- the store --------------------------------------------------------------------------------------

def sparql_store(kg: "KnowledgeGraph", folder: "str | os.PathLike[str] | None" = None) -> "pyoxigraph.Store":
    """The Oxigraph store ``kg.sparql`` runs on: the graph's RDF view and the ontology in the
    default graph. Built on first use and kept while ``kg`` lives (one per folder).

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    folder : str or path-like, optional
        Where the store keeps its files; None (the default) keeps it in memory. A folder must be
        new or empty: the store is built afresh there for this graph.

    Returns
    -------
    pyoxigraph.Store
        Query it directly for Oxigraph's own result objects; changing it changes what
        ``kg.sparql`` answers until the graph object is gone.

    Raises
    ------
    InvalidArgument
        When ``folder`` is a file or a folder that holds files.

    Examples
    --------
    >>> import sle_graph
    >>> kg = sle_graph.load()
    >>> sparql_store(kg) is sparql_store(kg)
    True
    >>> len(sparql_store(kg)) > len(kg.to_rdf())  # the ontology's triples too
    True
    """
    path = None if folder is None else Path(folder).expanduser().resolve()
    held = kg.cache(f"{__name__}.folder:{path}" if path else __name__ + ".memory", lambda g: _Held())
    if held.store is None:
        held.store = _build(kg, path)
    return held.store


class _Held:
    """A store in a graph's cache. A copy or a pickle of the graph takes it empty (a store
    cannot be pickled), so the copy builds its own on its first query."""

    __slots__ = ("store",)

    def __init__(self) -> None:
        self.store: Any = None

    def __reduce__(self) -> tuple:
        return (_Held, ())


def _build(kg: "KnowledgeGraph", path: Path | None) -> "pyoxigraph.Store":
    import pyoxigraph as ox

    created = False
    if path is not None:
        if path.exists() and not path.is_dir():
            raise InvalidArgument(f"cannot build the SPARQL store in {path}: it is a file; name a new or empty folder")
        if path.is_dir() and any(path.iterdir()):
            raise InvalidArgument(f"cannot build the SPARQL store in {path}: the folder holds files; name a new "
                                  "or empty folder (the store is built afresh there for this graph)")
        created = not path.exists()
    store = ox.Store(str(path)) if path is not None else ox.Store()
    try:
        store.bulk_load(ontology_file().read_bytes(), format=ox.RdfFormat.TURTLE)
        _load(lambda data: store.bulk_load(data, format=ox.RdfFormat.TURTLE, lenient=True),
              _batches(text_chunks(kg, "turtle")))
    except BaseException:
        if path is not None:  # leave the folder as it was
            del store
            if created:
                shutil.rmtree(path, ignore_errors=True)
            else:
                for child in path.iterdir():
                    shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink()
        raise
    return store


def _batches(chunks: Iterator[str]) -> Iterator[bytes]:
    """Turtle chunks (the ``@prefix`` header first) joined into batches of about
    :data:`BATCH_CHARS`, each a whole Turtle document (the header, then whole blocks)."""
    header = next(chunks, "")
    parts: list[str] = [header]
    size = 0
    for chunk in chunks:
        parts.append(chunk)
        size += len(chunk)
        if size >= BATCH_CHARS:
            yield "".join(parts).encode("utf-8")
            parts, size = [header], 0
    if size:
        yield "".join(parts).encode("utf-8")


def _load(load: Callable[[bytes], None], batches: Iterator[bytes]) -> None:
    """``load`` each batch in a worker thread while this one writes the next: Oxigraph parses
    with Python's lock released, so writing and loading overlap. ``lenient`` (above) skips
    Oxigraph's IRI checks: the writer has checked every IRI it writes, and a graph that exports
    can then always be queried."""
    pending: queue.Queue[bytes | None] = queue.Queue(maxsize=2)
    failed: list[BaseException] = []

    def worker() -> None:
        while (data := pending.get()) is not None:
            if not failed:
                try:
                    load(data)
                except BaseException as exc:  # handed to the caller's thread below
                    failed.append(exc)

    thread = threading.Thread(target=worker, name="sle_graph SPARQL store load", daemon=True)
    thread.start()
    try:
        for data in batches:
            if failed:
                break
            pending.put(data)
    finally:
        pending.put(None)
        thread.join()
    if failed:
        raise failed[0]


# -- queries ----------------------------------------------------------------------------------------

def sparql(kg: "KnowledgeGraph", query: str, *, folder: "str | os.PathLike[str] | None" = None) -> SparqlResult:
    """Run a SPARQL 1.1 query on the graph's RDF view and the ontology; our prefixes (``sle:``,
    ``sleo:``, ``rdfs:``, ``skos:``, ``prov:``, ``oa:``, the CURIE prefixes, ...) are declared.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    query : str
        A SELECT, ASK, CONSTRUCT or DESCRIBE query.
    folder : str or path-like, optional
        Where the store lives (see :func:`sparql_store`); None keeps it in memory.

    Returns
    -------
    SparqlResult
        A list: SELECT gives one dict per row, variable -> value: IRIs and blank nodes as
        ``str``, literals as Python values (``str``, ``int``, ``Decimal``, ``bool``,
        ``datetime``, ...; rdflib's ``toPython``), unbound variables as ``None``. ASK gives
        ``[{"ask": bool}]``. CONSTRUCT and DESCRIBE give ``{"subject", "predicate", "object"}``
        dicts of strings, sorted.

    Raises
    ------
    SparqlError
        A query that cannot be read (its line and column, with a caret), an unknown prefix
        (naming the bound ones), a SPARQL Update (a graph is read-only), or a query the store
        cannot run.
    TypeError
        When ``query`` is not a string.

    Examples
    --------
    >>> import sle_graph
    >>> kg = sle_graph.load()
    >>> rows = kg.sparql("SELECT ?label WHERE { sle:msc sleo:acts_through ?m . ?m rdfs:label ?label }")
    >>> {r["label"] for r in rows} == {kg.node(e.object).label for e in kg.edges("msc", "acts_through")}
    True
    >>> kg.sparql("ASK { sle:msc sleo:acts_through+ ?mechanism }")
    [{'ask': True}]
    """
    if not isinstance(query, str):
        raise TypeError(f"a SPARQL query is a string, not {type(query).__name__}")
    update = update_keyword(query)
    if update:
        raise SparqlError(f"SPARQL updates are not supported: the query starts with {update}, and a graph is "
                          f"read-only. To change it, build a new one (kg.extend(...), kg.merge(...), or "
                          f"'sle-graph merge'); to change a server's copy, send the update to the server itself")
    import pyoxigraph as ox

    store = sparql_store(kg, folder)
    try:
        result = store.query(query, prefixes=PREFIXES)
        if isinstance(result, ox.QueryBoolean):
            return SparqlResult([{"ask": bool(result)}], ("ask",))
        if isinstance(result, ox.QuerySolutions):
            names = tuple(v.value for v in result.variables)
            value = _converter(ox)
            return SparqlResult([dict(zip(names, map(value, solution))) for solution in result], names)
        # CONSTRUCT, DESCRIBE: a set of triples, as strings, sorted
        triples = sorted((_text(t.subject), _text(t.predicate), _text(t.object)) for t in set(result))
        return SparqlResult([dict(zip(_TRIPLE_COLUMNS, t)) for t in triples], _TRIPLE_COLUMNS)
    except SyntaxError as exc:
        raise _syntax_error(exc, query) from None
    except (OSError, RuntimeError, ValueError) as exc:  # an evaluation error (a SERVICE, a limit)
        if isinstance(exc, SparqlError):
            raise
        raise SparqlError(f"SPARQL query could not run: {exc}") from None


def _text(term: Any) -> str:
    return str(getattr(term, "value", term))


def _converter(ox: Any) -> Callable[[Any], Any]:
    """Term -> Python value, as :func:`~sle_graph.rdf.write.python_value` gives for rdflib's
    term: strings and IRIs directly, other literals through rdflib once per distinct one."""
    named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal
    strings, integers = _STRING_TYPES, _INTEGERS
    seen: dict[tuple[str, str], Any] = {}

    def value(term: Any) -> Any:
        kind = type(term)
        if kind is named or kind is blank:
            return term.value
        if kind is literal:
            datatype = term.datatype.value
            if datatype in strings:
                return term.value
            lexical = term.value
            integer = integers.get(datatype)
            if integer is not None and integer(lexical):
                return int(lexical)
            key = (lexical, datatype)
            found = seen.get(key, seen)
            if found is seen:
                from rdflib import Literal, URIRef

                found = seen[key] = python_value(Literal(lexical, datatype=URIRef(datatype)))
            return found
        return None if term is None else str(term)  # an RDF-star triple term

    return value


_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def _syntax_error(exc: SyntaxError, query: str) -> SparqlError:
    """The error for a query Oxigraph cannot read. rdflib's parser, tried on the failing query
    only, names the offending token and the clause it is in (``FILTER cannot be read from
    '='``), which Oxigraph's parser does not; Oxigraph's own position is shown when rdflib's
    parser reads the query."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepareQuery(query, initNs=PREFIXES)
    except Exception as rdflib_exc:  # rdflib raises pyparsing errors, and bare Exceptions for unknown prefixes
        return sparql_error(rdflib_exc, query)
    text = str(exc)
    found = _POSITION.match(text)
    if found is None:
        return SparqlError(f"bad SPARQL query: {text}")
    line, column, message = int(found.group(1)), int(found.group(2)), " ".join(found.group(3).split())
    # Oxigraph lists a rule's own message (a sentence) among the tokens it expected: keep that
    sentences = [item for item in message.removeprefix("expected one of ").split(", ")
                 if " " in item and item[:1].isupper()]
    message = "; ".join(sentences) or message
    lines = query.splitlines() or [""]
    line = min(max(line, 1), len(lines))
    shown = lines[line - 1]
    # Oxigraph counts bytes of UTF-8; the caret goes under the character there
    column = len(shown.encode("utf-8")[:max(column - 1, 0)].decode("utf-8", errors="ignore")) + 1
    column = min(column, len(shown) + 1)
    return SparqlError(f"bad SPARQL query at line {line}, column {column}: {message}\n  {shown}\n"
                       f"  {' ' * (column - 1)}^")
