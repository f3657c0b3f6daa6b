"""A graph on a SPARQL server, queried like the in-memory one: :func:`connect` and :class:`RemoteGraph`.

How the answers stay the same as in memory
------------------------------------------
``count`` is one ``SELECT (COUNT(*))`` (see :mod:`._compile`). ``match`` and ``paths`` run in
two steps: the server finds every candidate (a ``SELECT`` of the pattern, or the ``UNION`` of
fixed-length chains of 1 to ``max_hops`` edges from source to target), then the client fetches
just those nodes and edges with their reified evidence (and the studies and documents the evidence
cites, which grading needs), rebuilds them as a small :class:`~sle_graph.KnowledgeGraph`, and
runs the in-memory :func:`~sle_graph.query.patterns.match` or :func:`~sle_graph.query.paths.find_paths` on
it. Every matching path lies inside that sub-graph and ranking reads only a path's own edges
and their evidence, so results, order and explanations are those of the whole graph in memory.

With a ``limit``, only the top matches are fetched: ``match`` and ``paths`` have the server rank
them on the strengths the push stored beside the data (:mod:`._rank`); where it stored none
(``replace=False``) or the server refuses the ranking query, the client ranks what the server
lists on each statement's status, sources and modalities. Any path of the sub-graph of the top
ones that is not among them ranks after them, so ranking that sub-graph in memory gives the same
top. ``match``, ``count`` and ``paths`` run within a time and a result budget (``timeout=``,
``max_results=``; :class:`~sle_graph.errors.QueryBudgetExceeded` past either).
"""

from __future__ import annotations

import functools
import logging
import re
import time
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence
from urllib.parse import unquote

from ..errors import QueryBudgetExceeded, InvalidArgument, NodeNotFound, SleGraphError, closest
from ..gc_pause import gc_paused
from ..graph import KnowledgeGraph
from ..model import Edge, Evidence, Node
from ..ontology import schema as default_schema
from ..query.paths import (DIRECTIONS, Path, PathList, check_hops, check_limit, find_paths, kind_sets,
                           predicate_set)
from ..query.patterns import LinkSpec, NodeSpec, Pattern, match, parse_pattern
from ..rdf.parse import read_rdf
from ..rdf.write import PREFIXES, node_iri, python_value, statement_iri
from ..vocab import SLE, SLEO, prefixes
from . import _compile
from ._http import Client, Endpoint, EndpointError, ask_answer, excerpt
from ._push import (PUSH_CURRENT, PUSH_ONTOLOGY, PUSH_SCHEMA, DEFAULT_GRAPH, check_graph_iri, ontology_graph_of,
                    schema_from_json)
from ._rank import LEVELS, parse_level, strength_graph_of
from ._servers import adapt

if TYPE_CHECKING:  # pragma: no cover
    from ..ontology import Schema

__all__ = ["RemoteGraph", "connect", "MAX_RESULTS"]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_PROV = "http://www.w3.org/ns/prov#"
_OA = "http://www.w3.org/ns/oa#"
_OWL = "http://www.w3.org/2002/07/owl#"
#: Statements whose evidence is fetched per request (the size of a VALUES block).
BATCH = 500
#: The most matches or paths ``match`` and ``paths`` fetch from the server unless told otherwise
#: (``max_results=``): each costs the client a few kilobytes, evidence included.
MAX_RESULTS = 100_000
#: Starts tried at a strength before asking whether any match has it as its weakest edge.
_PROBE = 8
_RESULTS = "application/sparql-results+json"
log = logging.getLogger("sle_graph.endpoint")
_TRIPLES = "application/n-triples"


def _id_of(iri: str) -> str:
    """The node id of a node IRI (the inverse of :func:`sle_graph.rdf.node_iri`)."""
    return unquote(iri[len(SLE):])


def _nt(s: str, p: str, o: str) -> str:
    return f"<{s}> <{p}> <{o}> .\n"


class RemoteGraph:
    """A graph pushed to a SPARQL 1.1 server, queried like the in-memory graph.

    Build one with :func:`sle_graph.connect`. Its answers (nodes, paths, their order and
    explanations, SPARQL rows) are those the same graph gives in memory. :attr:`head` is the
    named graph pushed to; :attr:`graph`, :attr:`ontology_graph` and :attr:`strength_graph` are
    the named graphs of the data, the ontology and the strengths of the version it points to now
    (for a graph pushed without versions, the head itself, the ontology IRI or the
    ``ontology_graph`` given, and ``<head>/strength``); :attr:`schema` is the schema given, else
    the one the push stored. Each call reads the version the head points to then, whole. The
    examples below run without a server, so they show the error a refused connection gives.

    Parameters
    ----------
    endpoint : str, Endpoint or mapping
        The server's URL, an :class:`~sle_graph.endpoint.Endpoint`, or its ``query``, ``update``
        and ``store`` URLs.
    graph : str, optional
        The named graph :meth:`KnowledgeGraph.push` wrote to (its head); kept as ``.head``.
    auth : tuple of str or str, optional
        ``(user, password)`` for basic (or, when the server asks for it, digest)
        authentication, or a bearer token.
    ontology_graph : str, optional
        The named graph of the ontology, when it is not the one pushed with the version.
    schema : Schema, optional
        The schema the graph follows; by default the one the push stored (the shipped ontology
        and the kinds and predicates the export declares).
    timeout : float, default 60.0
        Seconds per request.
    retries : int, default 4
        Retries of a failed request (connection errors and 5xx answers), with back-off.

    Raises
    ------
    InvalidArgument
        For a malformed URL or graph IRI.

    Examples
    --------
    >>> import sle_graph
    >>> remote = sle_graph.RemoteGraph("http://127.0.0.1:7878", graph="https://example.org/g")
    >>> remote.head, remote.endpoint.query
    ('https://example.org/g', 'http://127.0.0.1:7878/query')
    """

    def __init__(self, endpoint: "str | Endpoint | Mapping[str, str]", *, graph: str | None = None,
                 auth: Any = None, ontology_graph: str | None = None, schema: "Schema | None" = None,
                 timeout: float = 60.0, retries: int = 4):
        # Both names are pasted into SPARQL as <...>: checked before the client is even built.
        self._head = check_graph_iri(DEFAULT_GRAPH if graph is None else graph)
        self._ontology_given = None if ontology_graph is None else check_graph_iri(ontology_graph, "ontology_graph")
        self._schema_given = schema
        self._schemas: dict[str, "Schema"] = {}  # by version: what each one declares
        self._pin: tuple[str, str, "Schema"] | None = None
        self._pinning = False  # inside a public call: the first _follow pins the version for the rest
        self._client = Client(endpoint, auth, timeout=timeout, retries=retries)
        self._adapted = False  # to the server's request forms, at the first call

    # -- the version the head points to ------------------------------------------------------------

    def _follow(self) -> tuple[str, str, "Schema"]:
        """(data graph, ontology graph, schema) of the version the head graph points to now; the
        head itself for a graph pushed without versions. Each public call follows the pointer
        once and reads that one version throughout, so a push that switches versions meanwhile
        never gives it a mix."""
        if self._pin is not None:
            return self._pin
        found = self._find()
        if self._pinning:
            self._pin = found
        return found

    def _find(self) -> tuple[str, str, "Schema"]:
        """What :meth:`_follow` returns, read from the server."""
        if not self._adapted:
            adapt(self._client)
            self._adapted = True
        rows = self._client.select(
            f"SELECT ?v ?o WHERE {{ GRAPH <{self._head}> {{ <{self._head}> <{PUSH_CURRENT}> ?v "
            f"OPTIONAL {{ ?v <{PUSH_ONTOLOGY}> ?o }} }} }} ORDER BY DESC(?v) LIMIT 1")
        data = rows[0]["v"]["value"] if rows else self._head
        schema = self._schema_given or self._declared(data, bool(rows))
        onto = self._ontology_given or (rows[0]["o"]["value"] if rows and "o" in rows[0]
                                        else ontology_graph_of(schema, self._head))
        return data, onto, schema

    def _moved(self, data: str) -> bool:
        """Has the head's pointer left the version ``data`` (false for a graph without versions)?"""
        if data == self._head:
            return False
        return not self._client.ask(f"ASK {{ GRAPH <{self._head}> {{ <{self._head}> <{PUSH_CURRENT}> <{data}> }} }}")

    def _declared(self, data: str, versioned: bool) -> "Schema":
        """The schema of the graph in ``data``, read once per version: the one the push stored
        with the version (``push:schema``), else the shipped ontology and the kinds and
        predicates the export declares (a graph pushed without versions)."""
        if data not in self._schemas:
            rows = self._client.select(
                f"SELECT ?s WHERE {{ GRAPH <{self._head}> {{ <{data}> <{PUSH_SCHEMA}> ?s }} }}") if versioned else []
            if rows:
                schema = schema_from_json(rows[0]["s"]["value"])
            elif versioned:  # pushed with the shipped schema
                schema = default_schema()
            else:
                text = self._client.query(
                    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{data}> {{ VALUES ?t {{ <{_OWL}Class> "
                    f"<{_OWL}ObjectProperty> }} ?s a ?t ; ?p ?o }} }}", accept=_TRIPLES).text()
                schema = read_rdf(text, format="nt").schema if text.strip() else default_schema()
            self._schemas = {data: schema}  # only the latest version's is kept
        return self._schemas[data]

    @property
    def graph(self) -> str:
        """The named graph that holds the data now (the current version the head points to); a
        request reads the head.

        Examples
        --------
        >>> import sle_graph
        >>> sle_graph.connect("http://127.0.0.1:9", retries=0).graph  # no server  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        sle_graph.errors.EndpointError: POST http://127.0.0.1:9/query: cannot reach the server ...
        """
        return self._follow()[0]

    @property
    def ontology_graph(self) -> str:
        """The named graph of the ontology pushed with the current version; a request reads the head.

        Examples
        --------
        >>> import sle_graph
        >>> sle_graph.connect("http://127.0.0.1:9", retries=0).ontology_graph  # no server  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        sle_graph.errors.EndpointError: POST http://127.0.0.1:9/query: cannot reach the server ...
        """
        return self._follow()[1]

    @property
    def schema(self) -> "Schema":
        """The schema the graph follows: the one given to :func:`connect` (no request), else the
        one the push stored (the shipped ontology and what the export declares).

        Examples
        --------
        >>> import sle_graph
        >>> schema = sle_graph.load().schema
        >>> sle_graph.connect("http://127.0.0.1:9", schema=schema).schema is schema
        True
        """
        if self._schema_given is not None:  # no request: names can be checked before any
            return self._schema_given
        return self._follow()[2]

    @property
    def strength_graph(self) -> str:
        """The named graph of the strengths pushed with the current version (for ranking on the
        server; absent when the version was pushed with ``replace=False``); a request reads the head.

        Examples
        --------
        >>> import sle_graph
        >>> sle_graph.connect("http://127.0.0.1:9", retries=0).strength_graph  # no server  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        sle_graph.errors.EndpointError: POST http://127.0.0.1:9/query: cannot reach the server ...
        """
        return strength_graph_of(self._follow()[0])

    @property
    def head(self) -> str:
        """The named graph pushed to (the head: it points to the current version).

        Examples
        --------
        >>> import sle_graph
        >>> sle_graph.connect("http://127.0.0.1:7878", graph="https://example.org/g").head
        'https://example.org/g'
        """
        return self._head

    @property
    def endpoint(self) -> Endpoint:
        """The query, update and Graph Store Protocol URLs.

        Examples
        --------
        >>> import sle_graph
        >>> sle_graph.connect("http://127.0.0.1:7878").endpoint.store
        'http://127.0.0.1:7878/store'
        """
        return self._client.endpoint

    def __repr__(self) -> str:
        auth = f", auth={self._client.auth!r}" if self._client.auth else ""
        return f"<RemoteGraph <{self._head}> at {self.endpoint.query}{auth}>"

    # -- SPARQL -----------------------------------------------------------------------------------

    def sparql(self, query: str) -> list[dict[str, Any]]:
        """Run a SPARQL query on the server; the same shapes as :meth:`KnowledgeGraph.sparql`.

        The default graph is the data graph merged with the ontology graph (as in memory), and our
        prefixes (``sle:``, ``sleo:``, ``rdfs:``, ...) are declared unless the query declares them. A
        query with its own ``FROM`` or ``GRAPH`` runs on the server's dataset as written.

        Parameters
        ----------
        query : str
            A SELECT, ASK, CONSTRUCT or DESCRIBE query.

        Returns
        -------
        list of dict
            SELECT: one dict per row (IRIs as ``str``, literals as Python values); ASK:
            ``[{"ask": bool}]``; CONSTRUCT and DESCRIBE: sorted ``subject``/``predicate``/``object``
            dicts.

        Raises
        ------
        EndpointError
            When the server cannot be reached or answers with an error.
        TypeError
            When ``query`` is not a string.

        Examples
        --------
        >>> import sle_graph
        >>> remote = sle_graph.connect("http://127.0.0.1:9", retries=0)  # no server
        >>> remote.sparql("SELECT ?label WHERE { sle:msc rdfs:label ?label }")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        sle_graph.errors.EndpointError: POST http://127.0.0.1:9/query: cannot reach the server ...
        """
        if not isinstance(query, str):
            raise TypeError(f"a query is a string, not {type(query).__name__}")
        declared = {m.lower() for m in _DECLARED.findall(query)}
        prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p.lower() not in declared)
        graphs = () if _OWN_DATASET.search(_STRIPPED.sub(" ", query)) else (self.graph, self.ontology_graph)
        answer = self._client.query(prologue + query, default_graphs=graphs,
                                    accept=f"{_RESULTS}, {_TRIPLES};q=0.9")
        if "json" in answer.content_type:
            return _rows(answer.json())
        return _triples(answer.text())

    # -- the whole graph --------------------------------------------------------------------------

    def pull(self) -> "KnowledgeGraph":
        """The whole graph, read back from the server (Graph Store Protocol GET, else CONSTRUCT).

        Returns
        -------
        KnowledgeGraph
            The graph in memory, equal to the one pushed.

        Raises
        ------
        EndpointError
            When the server cannot be reached or answers with an error, or holds no such graph.

        Examples
        --------
        >>> import sle_graph
        >>> remote = sle_graph.connect("http://127.0.0.1:9", retries=0)  # no server
        >>> remote.pull()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        sle_graph.errors.EndpointError: POST http://127.0.0.1:9/query: cannot reach the server ...
        """
        text = None
        if self.endpoint.store:
            try:
                text = self._client.get_graph(self.graph).text()
            except EndpointError as exc:
                if exc.status not in (400, 404, 405, 406, 415, 501):
                    raise
        if text is None:
            # 404 means "no such graph" from a Graph Store, "no Graph Store here" from others: ask.
            if not self._client.ask(f"ASK {{ GRAPH <{self.graph}> {{ ?s ?p ?o }} }}"):
                raise EndpointError(f"no graph <{self.graph}> at {self.endpoint.query}: push one first")
            text = self._client.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{self.graph}> {{ ?s ?p ?o }} }}",
                                      accept=_TRIPLES).text()
        return self._graph(text)

    def _graph(self, ntriples: str) -> "KnowledgeGraph":
        if not ntriples.strip():
            return KnowledgeGraph.from_checked({}, {}, schema=self.schema)
        try:
            return read_rdf(ntriples, format="nt", schema=self.schema)
        except SleGraphError as exc:  # the server's answer, not the user's file: say so
            quote = excerpt(ntriples, self._client.scrub)
            raise EndpointError(f"the N-Triples {self.endpoint.query} answered do not read as a graph "
                                f"({excerpt(str(exc), self._client.scrub)}); they start: {quote!r}",
                                url=self.endpoint.query, server_message=quote) from None

    def count_triples(self) -> int:
        """How many triples the data graph holds on the server.

        Returns
        -------
        int
            The number of triples in the named graph ``.graph``.

        Raises
        ------
        EndpointError
            When the server cannot be reached or answers with an error.

        Examples
        --------
        >>> import sle_graph
        >>> remote = sle_graph.connect("http://127.0.0.1:9", retries=0)  # no server
        >>> remote.count_triples()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        sle_graph.errors.EndpointError: POST http://127.0.0.1:9/query: cannot reach the server ...
        """
        rows = self._client.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{self.graph}> {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"]["value"]) if rows else 0

    # -- nodes ------------------------------------------------------------------------------------

    def node(self, ref: "str | Node") -> "Node":
        """The node a reference names (id, label, synonym or CURIE), as :meth:`KnowledgeGraph.node`.

        Parameters
        ----------
        ref : str or Node
            An id, label, synonym or CURIE.

        Returns
        -------
        Node
            The node, read from the server.

        Raises
        ------
        NodeNotFound
            When no node answers to ``ref`` (naming the closest).
        EndpointError
            When the server cannot be reached or answers with an error.

        Examples
        --------
        >>> import sle_graph
        >>> remote = sle_graph.connect("http://127.0.0.1:9", retries=0)  # no server
        >>> remote.node("MSC")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        sle_graph.errors.EndpointError: POST http://127.0.0.1:9/query: cannot reach the server ...
        """
        node_id = self._resolve(ref)
        return self._subgraph([node_id], []).node(node_id)

    def _resolve(self, ref: Any, budget: "_Budget | None" = None) -> str:
        """The id of the node ``ref`` names, by the rules of :meth:`KnowledgeGraph.node`.

        First by the server's indexes: one query of exact triple patterns for the id as typed
        (which wins outright, as in memory), and for the id, label, synonym or mapped CURIE
        spelled as typed (trimmed) or in lower case. Only when none answers, a case-insensitive
        scan of ids, labels, synonyms and mappings. So a reference that matches a name exactly
        is found in milliseconds at any size; where two nodes' names differ only in case, the
        one spelled as typed (or in lower case) is taken without looking at the other.
        """
        if isinstance(ref, Node):
            ref = ref.id
        if not isinstance(ref, str):
            raise TypeError(f"a node reference is an id, label, synonym or CURIE string, not {type(ref).__name__}")
        if budget is None:
            budget = _Budget(self._client, lambda: self.graph, "node lookup", None, None, default_results=None)
        kinds = " ".join(_compile.ontology_term(k, self.schema.kinds) for k in sorted(self.schema.kinds))
        iri = node_iri(ref)
        lower = ref.strip().lower()
        spellings = sorted({ref.strip(), lower})
        mapped = []
        prefix, _, local = ref.strip().partition(":")
        for p, expansion in prefixes().items():
            if local and p.lower() == prefix.lower():
                mapped.append(expansion + local)
        ids = " ".join(_iri(node_iri(x)) for x in sorted({ref.strip(), lower} - {ref}))
        texts = " ".join(_literal(x) for x in spellings)
        exact = (
            "SELECT DISTINCT ?n ?prio WHERE {\n"
            f"  {{ {_iri(iri)} a ?k . VALUES ?k {{ {kinds} }} BIND({_iri(iri)} AS ?n) BIND(-1 AS ?prio) }}\n"
            + (f"  UNION {{ VALUES ?n {{ {ids} }} ?n a ?k . VALUES ?k {{ {kinds} }} BIND(0 AS ?prio) }}\n" if ids else "")
            + f"  UNION {{ VALUES ?t {{ {texts} }} ?n <{_RDFS}label> ?t . BIND(1 AS ?prio) }}\n"
            f"  UNION {{ VALUES ?t {{ {texts} }} ?n <{_SKOS}altLabel> ?t . BIND(2 AS ?prio) }}\n"
            + (f"  UNION {{ VALUES ?m {{ {' '.join(_iri(m) for m in mapped)} }} "
               f"?n <{_SKOS}exactMatch>|<{_SKOS}closeMatch> ?m . BIND(3 AS ?prio) }}\n" if mapped else "")
            + "}")
        found = self._best(ref, budget.select(exact))
        if found is not None:
            return found
        # Case-insensitive: ids (0), labels (1), synonyms (2), mappings (3); the best priority wins.
        query = (
            "SELECT DISTINCT ?n ?prio WHERE {\n"
            f"  {{ VALUES ?k {{ {kinds} }} ?n a ?k . FILTER(LCASE(STR(?n)) = {_literal(iri.lower())}) "
            "BIND(0 AS ?prio) }\n"
            f"  UNION {{ ?n <{_RDFS}label> ?t . FILTER(LCASE(STR(?t)) = {_literal(lower)}) BIND(1 AS ?prio) }}\n"
            f"  UNION {{ ?n <{_SKOS}altLabel> ?t . FILTER(LCASE(STR(?t)) = {_literal(lower)}) BIND(2 AS ?prio) }}\n"
            + (f"  UNION {{ ?n <{_SKOS}exactMatch>|<{_SKOS}closeMatch> ?m . "
               f"FILTER(LCASE(STR(?m)) IN ({', '.join(_literal(m.lower()) for m in mapped)})) BIND(3 AS ?prio) }}\n"
               if mapped else "")
            + "}")
        found = self._best(ref, budget.select(query))
        if found is not None:
            return found
        raise NodeNotFound(f"no node {ref!r}{self._closest(ref)}")

    @staticmethod
    def _best(ref: str, rows: list[dict[str, dict[str, str]]]) -> str | None:
        """The node id of the best-priority hit; None for no hit; ambiguous: NodeNotFound."""
        hits = [(int(r["prio"]["value"]), r["n"]["value"]) for r in rows if r["n"]["value"].startswith(SLE)]
        if not hits:
            return None
        best = min(p for p, _ in hits)
        ids = sorted({_id_of(n) for p, n in hits if p == best})
        if len(ids) == 1:
            return ids[0]
        raise NodeNotFound(f"{ref!r} is ambiguous: it names {', '.join(ids)}; use an id")

    def _closest(self, ref: str) -> str:
        """"; closest: ..." from labels sharing the reference's first letters (best effort)."""
        start = ref.strip().lower()[:2]
        if not start:
            return ""
        rows = self._client.select(
            f"SELECT ?n ?t WHERE {{ ?n <{_RDFS}label>|<{_SKOS}altLabel> ?t . "
            f"FILTER(STRSTARTS(LCASE(STR(?t)), {_literal(start)})) }} LIMIT 5000", default_graphs=(self.graph,))
        names: dict[str, set[str]] = {}
        for r in rows:
            names.setdefault(r["t"]["value"], set()).add(_id_of(r["n"]["value"]))
        near = closest(ref, names, n=5)
        labels = [f"{name!r} ({i})" for name in near for i in sorted(names[name])]
        return f"; closest: {', '.join(labels)}" if labels else ""

    # -- sub-graphs -------------------------------------------------------------------------------

    def _subgraph(self, node_ids: Iterable[str], edges: Iterable[tuple[str, str, str]],
                  budget: "_Budget | None" = None) -> "KnowledgeGraph":
        """The given nodes and edges (IRI triples) with all their evidence, and the nodes it cites."""
        if budget is None:
            budget = _Budget(self._client, lambda: self.graph, "fetching nodes", None, None, default_results=None)
        edges = sorted(set(edges))
        nodes = sorted({node_iri(i) for i in node_ids} | {x for s, _, o in edges for x in (s, o)})
        lines = [_nt(s, p, o) for s, p, o in edges]
        name = _compile.predicate_names(self.schema)
        statements = [statement_iri(_id_of(s), name[p], _id_of(o)) for s, p, o in edges]
        keep = f"isLiteral(?o) || ?p IN (<{_RDF}type>, <{_SKOS}exactMatch>, <{_SKOS}closeMatch>, <{_RDFS}seeAlso>)"
        derived, selector = f"<{_PROV}wasDerivedFrom>", f"<{_OA}hasSelector>"
        for start in range(0, max(len(statements), len(nodes)), BATCH):
            st = " ".join(_iri(x) for x in statements[start:start + BATCH])
            ns = " ".join(_iri(x) for x in nodes[start:start + BATCH])
            parts = []
            if st:
                # Plain branches: Virtuoso plans the optional property path ``?st (d/s?)? ?x``
                # they replace poorly (3 s a call at 100k edges, against 0.03 s).
                parts.append(f"{{ VALUES ?x {{ {st} }} ?x ?p ?o }}")
                parts.append(f"{{ VALUES ?st {{ {st} }} ?st {derived} ?x . ?x ?p ?o }}")
                parts.append(f"{{ VALUES ?st {{ {st} }} ?st {derived} ?e . ?e {selector} ?x . ?x ?p ?o }}")
                parts.append(f"{{ VALUES ?st {{ {st} }} ?st {derived} ?e . ?e {derived} ?x . ?x ?p ?o FILTER({keep}) }}")
            if ns:
                parts.append(f"{{ VALUES ?x {{ {ns} }} ?x ?p ?o FILTER({keep}) }}")
            query = f"CONSTRUCT {{ ?x ?p ?o }} WHERE {{\n{' UNION '.join(parts)}\n}}"
            lines.append(budget.text(query, _TRIPLES))
        return self._graph("".join(lines))

    # -- queries ----------------------------------------------------------------------------------

    def _pattern(self, pattern: "str | Pattern", budget: "_Budget | None" = None) -> tuple["Pattern", list[str | None]]:
        pat = pattern if isinstance(pattern, Pattern) else parse_pattern(pattern, self.schema)
        _compile.check_pattern(pat, None, self.schema)  # a hand-built Pattern is checked as parsing would
        fixed: list[str | None] = []
        for spec in pat.nodes:
            if spec.ref is None:
                fixed.append(None)
                continue
            try:
                fixed.append(node_iri(self._resolve(spec.ref, budget)))
            except NodeNotFound as exc:
                raise NodeNotFound(f"{exc} (pattern column {spec.column})") from None
        return pat, fixed

    def count(self, pattern: "str | Pattern", *, timeout: float | None = None,
              max_results: int | None = None) -> int:
        """How many simple paths fit ``pattern``, counted by the server.

        Parameters
        ----------
        pattern : str or Pattern
            A metapath pattern, as for :meth:`KnowledgeGraph.count`.
        timeout : float, optional
            Seconds for the whole call (default: none; each request has the connection's
            ``timeout``).
        max_results : int, optional
            Stop counting past this many (default: no bound; a count holds no paths).

        Returns
        -------
        int
            What :meth:`KnowledgeGraph.count` gives for the same graph.

        Raises
        ------
        PatternError
            For a malformed pattern (before anything is sent).
        QueryBudgetExceeded
            Past ``timeout`` or ``max_results``; the message says how to lift them.
        EndpointError
            When the server cannot be reached or answers with an error.

        Examples
        --------
        >>> import sle_graph
        >>> remote = sle_graph.connect("http://127.0.0.1:9", retries=0)  # no server
        >>> remote.count("StemCell -[acts_through]-> Mechanism")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        sle_graph.errors.EndpointError: POST http://127.0.0.1:9/query: cannot reach the server ...
        """
        budget = _Budget(self._client, lambda: self.graph, "count", timeout, max_results, default_results=None)
        pat, fixed = self._pattern(pattern, budget)
        query = _compile.count_query(pat, fixed, self.schema)
        if query is None:
            return 0
        if budget.max_results is not None:
            # The server stops at one past the budget, instead of counting everything.
            inner = query.replace("SELECT (COUNT(*) AS ?n) WHERE", "SELECT * WHERE", 1)
            query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {inner} LIMIT {budget.max_results + 1} }}"
        rows = budget.select(query)
        n = int(rows[0]["n"]["value"]) if rows else 0
        budget.check(n, "paths counted")
        return n

    def match(self, pattern: "str | Pattern", *, limit: int | None = None, timeout: float | None = None,
              max_results: int | None = None) -> "PathList":
        """Paths that fit ``pattern``, ranked, as :meth:`KnowledgeGraph.match` gives them.

        With ``limit``, the server ranks (on the strength each push stores with each edge, see
        :mod:`sle_graph.endpoint._rank`) and returns the top ``limit`` alone; evidence is
        fetched for those only.

        Parameters
        ----------
        pattern : str or Pattern
            A metapath pattern, as for :meth:`KnowledgeGraph.match`.
        limit : int, optional
            Keep the top ``limit`` paths.
        timeout : float, optional
            Seconds for the whole call (default: none; each request has the connection's
            ``timeout``).
        max_results : int, optional
            The most matches fetched from the server (default :data:`MAX_RESULTS`).

        Returns
        -------
        PathList
            The paths, best first, with their evidence.

        Raises
        ------
        PatternError
            For a malformed pattern (before anything is sent).
        NodeNotFound
            For an unknown quoted node.
        QueryBudgetExceeded
            Past ``timeout`` or ``max_results``, saying how many were found; lift them with
            larger values.
        EndpointError
            When the server cannot be reached or answers with an error.

        Examples
        --------
        >>> import sle_graph
        >>> remote = sle_graph.connect("http://127.0.0.1:9", retries=0)  # no server
        >>> remote.match("'MSC' -[acts_through]-> Mechanism")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        sle_graph.errors.EndpointError: POST http://127.0.0.1:9/query: cannot reach the server ...
        """
        limit = check_limit(limit)
        budget = _Budget(self._client, lambda: self.graph, "match", timeout, max_results)
        pat, fixed = self._pattern(pattern, budget)
        if limit == 0 or _compile.select_rows(pat, fixed, self.schema) is None:
            return PathList()
        # Ranking builds a stand-in path per match: many small objects, none of them cyclic. With
        # the collector on, each of its full passes also rescans whatever large graph the process
        # holds (a 1M-edge one: seconds per pass).
        with gc_paused():
            levels = self._levels(budget) if limit is not None else None
            walks = None
            if levels:
                try:
                    walks = self._ranked_walks(pat, fixed, limit, budget, levels)
                except EndpointError as exc:
                    if not _too_long_for_server(exc):
                        raise
                    log.info("the server cannot run the ranking query of %s (%s): ranking in the client",
                             pattern, exc.server_message[:80])
            if walks is None:
                walks = self._walks(pat, fixed, budget)
                if limit is not None and len(walks) > limit:
                    walks = self._top(walks, limit, budget)
        edges = {e for _, hops in walks for e in hops}
        if not edges:
            return PathList()
        refs = [_id_of(f) if f else None for f in fixed]
        sub = self._subgraph([r for r in refs if r], edges, budget)
        local = Pattern(tuple(NodeSpec(spec.kind, ref, spec.column) if ref else spec
                              for spec, ref in zip(pat.nodes, refs)), pat.links)
        return match(sub, local, limit=limit)

    def _walks(self, pat: "Pattern", fixed: list[str | None], budget: "_Budget") -> list:
        """Every match (node IRIs, hop triples), at most the budget's ``max_results``."""
        query = _compile.select_rows(pat, fixed, self.schema)
        if query is None:
            return []
        rows = budget.select(query + f" LIMIT {budget.max_results + 1}")
        budget.check(len(rows), "matches")
        return [_compile.walk_of_row(pat, fixed, row, "x", self.schema) for row in rows]

    def _levels(self, budget: "_Budget") -> list[tuple[str, int, str]] | None:
        """The strength predicates the push stored (see :mod:`._rank`) as ``(IRI, score, predicate
        name)``; None when it stored none (pushes with ``replace=False``, and those of versions
        before it). Asked each time: a push from elsewhere may have changed them."""
        rows = budget.select(f"SELECT ?q WHERE {{ {_iri(LEVELS[0])} {_iri(LEVELS[1])} ?q }}", (self.strength_graph,))
        return [(r["q"]["value"], *parse_level(r["q"]["value"])) for r in rows] or None

    def _ranked_walks(self, pat: "Pattern", fixed: list[str | None], limit: int, budget: "_Budget",
                      levels: list[tuple[str, int, str]]) -> list:
        """The top ``limit`` matches, ranked by the server (:func:`._compile.ranked_rows`).

        With a fixed node, one query ranks every match (the fixed node bounds them). Otherwise
        strengths are taken strongest first: the nodes that start an edge of that strength or
        more are listed and taken in node id order, one query each (a fixed first node: a few
        index lookups) for the matches whose weakest edge has that strength, until ``limit``
        are known; when the first :data:`_PROBE` starts give none, an ``ASK`` (which Oxigraph
        answers in about a second at 1M edges) says whether any start would. So the server never enumerates and sorts
        every match of a pattern to return ten. Node IRIs sort as node ids do: the ids a graph
        accepts (letters, digits, ``_ - . :``) are the IRI's own characters.
        """
        graphs = (self.graph, self.strength_graph)
        walks: list[tuple[tuple, list[str], list[tuple[str, str, str]]]] = []

        def read(ends: list[str | None], query: str | None) -> None:
            for row in budget.select(query, ()) if query else ():
                nodes, hops = _compile.walk_of_row(pat, ends, row, "x", self.schema)
                walks.append((_compile.order_key(pat, nodes, hops, int(row["x_m"]["value"]), _id_of), nodes, hops))
            budget.check(len(walks), "matches")

        if any(fixed):
            read(fixed, _compile.ranked_rows(pat, fixed, self.schema, [levels] * len(pat.links), limit,
                                             graphs=graphs))
        else:
            for score in sorted({sc for _, sc, _ in levels}, reverse=True):
                band = [[lvl for lvl in levels if lvl[1] >= score]] * len(pat.links)
                before = len(walks)
                for n, start in enumerate(self._starts(pat, band[0], graphs, budget)):
                    # The first starts are tried at once (where matches are, they are found at
                    # once); past them with nothing found, one ASK says whether to go on.
                    if n == _PROBE and len(walks) == before:
                        ask = _compile.exists_query(pat, fixed, self.schema, band, score, graphs)
                        if ask is None or not ask_answer(budget.query(ask, ())):
                            break
                    ends = [start] + fixed[1:]
                    read(ends, _compile.ranked_rows(pat, ends, self.schema, band, limit - len(walks), weakest=score,
                                                    graphs=graphs))
                    if len(walks) >= limit:
                        break
                if len(walks) >= limit:
                    break
        walks.sort(key=lambda w: w[0])
        return [(nodes, hops) for _, nodes, hops in walks[:limit]]

    def _starts(self, pat: "Pattern", band: list, graphs: tuple[str, str], budget: "_Budget") -> list[str]:
        """The IRIs of the nodes of the pattern's first kind that start an edge of its first link
        in ``band``, in node id order."""
        link, kind = pat.links[0], pat.nodes[0].kind
        preds = link.predicates or tuple(self.schema.predicates)
        if not _compile.bands_fit(Pattern(pat.nodes[:2], (link,)), [band], self.schema):
            return []
        # A fixed node's kind is not checked again (:func:`._compile.where`): check it here.
        typed = (f"GRAPH {_iri(graphs[0])} {{ ?s a ?k VALUES ?k {{ "
                 f"{' '.join(_compile.ontology_term(k, self.schema.kinds) for k in sorted(self.schema.descendants(kind)))} }} }}"
                 if kind else "")
        query = f"SELECT DISTINCT ?s WHERE {{ {_compile.banded(link, preds, band, graphs, self.schema)} {typed} }}"
        rows = budget.select(query, ())
        return sorted({r["s"]["value"] for r in rows if r["s"]["value"].startswith(SLE)}, key=_id_of)

    def _top(self, walks: list[tuple[list[str], list[tuple[str, str, str]]]], limit: int, budget: "_Budget") -> list:
        """The ``limit`` best of many matches of one pattern, by :attr:`sle_graph.query.paths.Path.rank_key`.

        Only each edge's status, number of sources and the modalities of its quotes are fetched
        (what ranking reads), not its evidence: the evidence is then fetched for the top matches
        alone. Every match inside the sub-graph of the top ones ranks after them, so ranking that
        sub-graph in memory gives the same top. The keys come from stand-in paths whose edges
        carry the fetched status, as many distinct placeholder sources as the edge has sources,
        and one placeholder record per modality.
        """
        statement = {}
        name = _compile.predicate_names(self.schema)
        for _, hops in walks:
            for s, p, o in hops:
                statement.setdefault((s, p, o), statement_iri(_id_of(s), name[p], _id_of(o)))
        found: dict[str, tuple[str | None, int, list[str]]] = {}
        names = sorted(set(statement.values()))
        for start in range(0, len(names), 4 * BATCH):
            values = " ".join(_iri(x) for x in names[start:start + 4 * BATCH])
            rows = budget.select(
                f"SELECT ?st (SAMPLE(?status) AS ?s) (COUNT(DISTINCT ?src) AS ?n) "
                f"(GROUP_CONCAT(DISTINCT ?mod; SEPARATOR=\" \") AS ?m) WHERE {{ VALUES ?st {{ {values} }} "
                f"OPTIONAL {{ ?st <{SLEO}status> ?status }} ?st <{_PROV}wasDerivedFrom> ?ev . "
                f"OPTIONAL {{ ?ev <{_PROV}wasDerivedFrom> ?source }} BIND(COALESCE(STR(?source), \"\") AS ?src) "
                # an unbound value would make the whole GROUP_CONCAT unbound (Oxigraph): bind "" instead
                f"OPTIONAL {{ ?ev <{SLEO}modality> ?modality }} BIND(COALESCE(STR(?modality), \"\") AS ?mod) "
                "} GROUP BY ?st")
            for r in rows:
                found[r["st"]["value"]] = (r["s"]["value"] if "s" in r else None, int(r["n"]["value"]),
                                           r["m"]["value"].split() if "m" in r else [])
        nodes: dict[str, Node] = {}
        edges: dict[tuple[str, str, str], Edge] = {}
        for (s, p, o), st in statement.items():
            status, n, modalities = found.get(st, (None, 0, []))
            edges[(s, p, o)] = Edge(_id_of(s), name[p], _id_of(o),
                                    tuple(Evidence(f"source {i}") for i in range(n))
                                    + tuple(Evidence("source 0", modality=m) for m in modalities), status=status)
        for walk_nodes, _ in walks:
            for iri in walk_nodes:
                if iri not in nodes:
                    nodes[iri] = Node(_id_of(iri), "", "")
        ranked = sorted(walks, key=lambda w: Path([nodes[i] for i in w[0]], [edges[e] for e in w[1]]).rank_key)
        return ranked[:limit]

    def paths(self, source: "str | Node", target: "str | Node", *, max_hops: int = 4,
              via: "str | Sequence[str] | None" = None, predicates: "str | Sequence[str] | None" = None,
              direction: str = "forward", limit: int | None = None, timeout: float | None = None,
              max_results: int | None = None) -> "PathList":
        """Ranked, explained paths from ``source`` to ``target``, as :meth:`KnowledgeGraph.paths` gives them.

        With ``limit`` (and no ``via``), the server ranks: shortest chains first, one query per
        hop count from 1 to ``max_hops``, each ``ORDER BY`` the strength of the chain's weakest
        edge (stored by the push, see :mod:`sle_graph.endpoint._rank`) and the in-memory
        tie-break (node ids, predicates, directions), ``LIMIT`` the paths still missing, until
        ``limit`` are known; evidence is fetched for those alone. The client ranks instead, on
        the chains the server lists (one ``UNION`` query of every simple chain from source to
        target; the fixed ends bound them) and each edge's status, source count and quote
        modalities, where the version holds no strengths (pushed with ``replace=False``) or the
        server refuses the ranking query as too long; without ``limit``, or with ``via``, every
        chain is fetched with its evidence. ``via``, ranking and ``limit`` are then applied by
        the in-memory code, so the answer is that of memory.

        Parameters
        ----------
        source : str or Node
            Where the paths start.
        target : str or Node
            Where they end.
        max_hops : int, default 4
            The longest path, in edges.
        via : str or sequence of str, optional
            Kinds every path must pass through.
        predicates : str or sequence of str, optional
            Walk only edges of these predicates.
        direction : {"forward", "any"}, default "forward"
            ``"any"`` also walks edges backwards.
        limit : int, optional
            Keep the top ``limit`` paths.
        timeout : float, optional
            Seconds for the whole call (default: none; each request has the connection's
            ``timeout``).
        max_results : int, optional
            The most chains the server lists (default :data:`MAX_RESULTS`).

        Returns
        -------
        PathList
            The paths, best first, with their evidence.

        Raises
        ------
        NodeNotFound
            For an unknown source or target.
        InvalidArgument
            For a ``max_hops``, ``direction``, ``limit`` or budget out of range.
        QueryBudgetExceeded
            Past ``timeout`` or ``max_results``, saying how many were found.
        EndpointError
            When the server cannot be reached or answers with an error.

        Examples
        --------
        >>> import sle_graph
        >>> remote = sle_graph.connect("http://127.0.0.1:9", retries=0)  # no server
        >>> remote.paths("MSC", "reduced disease activity")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        sle_graph.errors.EndpointError: POST http://127.0.0.1:9/query: cannot reach the server ...
        """
        max_hops = check_hops(max_hops)
        limit = check_limit(limit)
        if direction not in DIRECTIONS:
            raise InvalidArgument(f"direction must be one of {', '.join(map(repr, DIRECTIONS))}, not {direction!r}")
        allowed = predicate_set(self.schema, predicates)
        kind_sets(self.schema, via, "via")
        budget = _Budget(self._client, lambda: self.graph, "paths", timeout, max_results)
        s, t = self._resolve(source, budget), self._resolve(target, budget)
        if s == t or limit == 0:
            return PathList()
        link = LinkSpec(tuple(sorted(allowed)) if allowed else (), "forward" if direction == "forward" else "any")
        chains = [Pattern((NodeSpec(ref=s),) + (NodeSpec(),) * (n - 1) + (NodeSpec(ref=t),), (link,) * n)
                  for n in range(1, max_hops + 1)]
        fixed = [[node_iri(s)] + [None] * (n - 1) + [node_iri(t)] for n in range(1, max_hops + 1)]
        levels = self._levels(budget) if limit is not None and via is None else None
        if levels:
            try:
                with gc_paused():
                    walks = self._ranked_paths(chains, fixed, limit, budget, levels)
                return self._found_paths(s, t, walks, budget, max_hops, via, predicates, direction, limit)
            except EndpointError as exc:
                if not _too_long_for_server(exc):
                    raise
                log.info("the server cannot run the ranking query of paths from %s to %s (%s): ranking in the "
                         "client", s, t, exc.server_message[:80])
        query = _compile.paths_query(chains, fixed, self.schema)
        rows = budget.select(query + f" LIMIT {budget.max_results + 1}")
        budget.check(len(rows), "paths")
        walks = []
        with gc_paused():
            for row in rows:
                j = next((j for j in range(len(chains)) if f"l{j}_b" in row), None)
                if j is None:
                    raise EndpointError(f"{self.endpoint.query} answered a paths query with a row of no chain: "
                                        f"{excerpt(repr(dict(row)))}", url=self.endpoint.query)
                walks.append(_compile.walk_of_row(chains[j], fixed[j], row, f"l{j}", self.schema))
            if limit is not None and via is None and len(walks) > limit:
                walks = self._top(walks, limit, budget)
        return self._found_paths(s, t, walks, budget, max_hops, via, predicates, direction, limit)

    def _found_paths(self, s: str, t: str, walks: list, budget: "_Budget", max_hops: int, via: Any,
                     predicates: Any, direction: str, limit: int | None) -> "PathList":
        """The paths of ``walks``, with their evidence, ranked in memory."""
        edges = {e for _, hops in walks for e in hops}
        if not edges:
            return PathList()
        sub = self._subgraph([s, t], edges, budget)
        return find_paths(sub, s, t, max_hops=max_hops, via=via, predicates=predicates, direction=direction,
                          limit=limit)

    def _ranked_paths(self, chains: list["Pattern"], fixed: list[list[str | None]], limit: int, budget: "_Budget",
                      levels: list[tuple[str, int, str]]) -> list:
        """The top ``limit`` chains, ranked by the server: shortest first (hop count is the first
        key), one query per length, each ordered by the weakest edge's strength and the in-memory
        tie-break with ``LIMIT`` what is still missing, until ``limit`` are known."""
        graphs = (self.graph, self.strength_graph)
        walks: list = []
        for chain, ends in zip(chains, fixed):
            query = _compile.ranked_rows(chain, ends, self.schema, [levels] * len(chain.links), limit - len(walks),
                                         graphs=graphs)
            for row in budget.select(query, ()) if query else ():
                walks.append(_compile.walk_of_row(chain, ends, row, "x", self.schema))
            budget.check(len(walks), "paths")
            if len(walks) >= limit:
                break
        return walks


def connect(endpoint: "str | Endpoint | Mapping[str, str]", *, graph: str | None = None, auth: Any = None,
            ontology_graph: str | None = None, schema: "Schema | None" = None, timeout: float = 60.0,
            retries: int = 4) -> RemoteGraph:
    """The graph pushed to a SPARQL 1.1 server, to query like the in-memory one.

    No request is made until the first call; each call reads the version the graph points to
    then, whole.

    Parameters
    ----------
    endpoint : str, Endpoint or mapping
        A URL (the forms of common servers: :meth:`Endpoint.parse`) or an :class:`Endpoint`.
    graph : str, optional
        The named graph pushed to (default: the default of :func:`push`).
    auth : (str, str) or str, optional
        ``(user, password)`` (basic, or digest when the server asks for it) or a bearer token.
    ontology_graph : str, optional
        The named graph holding the ontology, when it was pushed apart.
    schema : Schema, optional
        The schema queries are checked against (default: read from what the push stored, so a
        Hetionet-shaped or merged graph needs none).
    timeout : float, default 60
        Seconds per request.
    retries : int, default 4
        Retries of a request that failed on the way (a dropped connection; HTTP 500, 502, 503 or
        504); a refused connection is not retried.

    Returns
    -------
    RemoteGraph
        No request is made until it is queried.

    Raises
    ------
    InvalidArgument
        A malformed URL or graph IRI.

    Examples
    --------
    >>> import sle_graph
    >>> sle_graph.connect("http://127.0.0.1:7878", auth=("ana", "s3cret"))
    <RemoteGraph <https://w3id.org/sle-graph/graph> at http://127.0.0.1:7878/query, auth=BasicAuth(user='ana', password=***)>
    """
    return RemoteGraph(endpoint, graph=graph, auth=auth, ontology_graph=ontology_graph, schema=schema,
                       timeout=timeout, retries=retries)


def _pinned(method: Any) -> Any:
    """``method`` reading one version throughout: it follows the pointer once, and runs again if
    the pointer moved before it finished (a push deletes a version only after moving the pointer
    away from it, so an answer read while the pointer stayed put is that version's, whole)."""
    @functools.wraps(method)
    def call(self: RemoteGraph, *args: Any, **kwargs: Any) -> Any:
        if self._pinning:
            return method(self, *args, **kwargs)
        for attempt in range(_RERUNS + 1):
            # The pointer is followed at the first request that needs it, so arguments refused
            # before any request (a bad budget, a bad reference) cost no request.
            self._pinning, self._pin = True, None
            try:
                answer = method(self, *args, **kwargs)
            except Exception:
                pin = self._pin
                if pin is None or attempt == _RERUNS or not self._moved(pin[0]):
                    raise
                continue
            finally:
                pin, self._pin, self._pinning = self._pin, None, False
            if pin is None or not self._moved(pin[0]):
                return answer
        raise EndpointError(f"<{self._head}> was pushed again {_RERUNS + 1} times while this call ran: "
                            "call again when the pushes are done")
    return call


#: How many times a call runs again when pushes keep moving the pointer under it.
_RERUNS = 3


for _name in ("sparql", "pull", "count_triples", "node", "count", "match", "paths"):
    setattr(RemoteGraph, _name, _pinned(getattr(RemoteGraph, _name)))
del _name


# -- helpers ------------------------------------------------------------------------------------

def _too_long_for_server(exc: EndpointError) -> bool:
    """Whether the server refused a query for its size alone: Virtuoso compiles SPARQL to SQL and
    refuses SQL past 10,000 lines (error SP031), which a ``UNION`` branch per strength reached
    (the ranked queries now join a ``VALUES`` table instead); should a query still reach it, the
    same answers come from ranking in the client. So it does where Virtuoso refuses to sort more
    than 10,000 rows for a ``LIMIT`` (error SR353: a ``limit`` above 10,000)."""
    message = exc.server_message or ""
    return (exc.status == 400 and "SP031" in message) or "SR353" in message


_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*|)\s*:", re.IGNORECASE)
# Strings and IRIs removed before looking for FROM / GRAPH keywords.
_STRIPPED = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*')
_OWN_DATASET = re.compile(r"\b(FROM|GRAPH)\b", re.IGNORECASE)


def _iri(text: str) -> str:
    return f"<{text}>"


class _Budget:
    """The time and result budget of one call: requests get the time left, results are counted.

    ``timeout`` (seconds) bounds the whole call; without it each request has the connection's
    own deadline (an :class:`EndpointError` past it), as every request does. ``max_results``
    (default :data:`MAX_RESULTS`, or ``default_results``) bounds what is fetched. ``graph`` gives
    the data graph when a request needs it (following the head is a request: a bad budget is
    refused before any).
    """

    def __init__(self, client: Client, graph: Callable[[], str], what: str, timeout: float | None,
                 max_results: int | None,
                 default_results: int | None = MAX_RESULTS):
        if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                    or not 0 < timeout < float("inf")):
            raise InvalidArgument(f"timeout is a number of seconds above 0, got {timeout!r}")
        if max_results is not None and (isinstance(max_results, bool) or not isinstance(max_results, int)
                                        or max_results < 1):
            raise InvalidArgument(f"max_results is an int of at least 1, got {max_results!r}")
        self.client, self.graph, self.what = client, graph, what
        self.timeout = None if timeout is None else float(timeout)
        self.max_results = default_results if max_results is None else max_results
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.found: int | None = None

    def left(self) -> float | None:
        """Seconds left for the next request (None: the connection's own timeout)."""
        if self.deadline is None:
            return None
        left = self.deadline - time.monotonic()
        if left <= 0:
            self._out_of_time()
        return min(left, self.client.timeout)

    def _cut_off(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline - 0.01

    def _out_of_time(self) -> None:
        so_far = (f"{self.found} found so far" if self.found is not None
                  else "the server had not answered yet")
        raise QueryBudgetExceeded(f"{self.what} ran past its time budget of {self.timeout:g} s ({so_far}); "
                                  f"give a larger timeout= (seconds) to wait longer", budget="timeout",
                                  limit=self.timeout, found=self.found)

    def query(self, text: str, graphs: Sequence[str] | None = None) -> Any:
        """The JSON answer of a query on ``graphs`` (default: the data graph), within the time left."""
        try:
            return self.client.query(text, default_graphs=(self.graph(),) if graphs is None else graphs,
                                     timeout=self.left()).json()
        except EndpointError:
            if self._cut_off():  # cut off by our own budget
                self._out_of_time()
            raise

    def select(self, text: str, graphs: Sequence[str] | None = None) -> list[dict[str, dict[str, str]]]:
        return self.query(text, graphs)["results"]["bindings"]

    def text(self, text: str, accept: str) -> str:
        """The text answer of a query (CONSTRUCT) on the data graph, within the time left."""
        try:
            return self.client.query(text, default_graphs=(self.graph(),), timeout=self.left(), accept=accept).text()
        except EndpointError:
            if self._cut_off():
                self._out_of_time()
            raise

    def check(self, n: int, what: str) -> None:
        """Note ``n`` results found; past the result budget, raise."""
        self.found = min(n, self.max_results) if self.max_results is not None else n
        if self.max_results is not None and n > self.max_results:
            raise QueryBudgetExceeded(f"{self.what} found more than {self.max_results:,} {what} (its result "
                                      f"budget, max_results={self.max_results}); give a larger max_results= to "
                                      "fetch more, or a limit= to rank on the server", budget="max_results",
                                      limit=self.max_results, found=self.max_results)


_ESCAPE_START = re.compile(r"\\([uU])")


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    # SPARQL expands \uXXXX and \UXXXXXXXX in the whole query text before parsing (SPARQL 1.1,
    # 19.2), so a backslash followed by "u" would start one: the "u" goes as its own code point.
    escaped = _ESCAPE_START.sub(lambda m: "\\\\U%08X" % ord(m.group(1)), escaped)
    return f'"{escaped}"'


def _term(binding: dict[str, str] | None) -> Any:
    """A SPARQL JSON term as the Python value :func:`sle_graph.rdf.sparql` gives for it."""
    from rdflib import BNode, Literal, URIRef

    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return python_value(URIRef(value))
    if kind == "bnode":
        return python_value(BNode(value))
    datatype = binding.get("datatype")
    return python_value(Literal(value, lang=binding.get("xml:lang"), datatype=URIRef(datatype) if datatype else None))


def _rows(data: dict) -> list[dict[str, Any]]:
    if "boolean" in data or data.get("head", {}).get("vars") == ["__ASK_RETVAL"]:  # Virtuoso 7.2's ASK
        return [{"ask": ask_answer(data)}]
    names = data.get("head", {}).get("vars", [])
    return [{name: _term(b.get(name)) for name in names} for b in data["results"]["bindings"]]


def _triples(ntriples: str) -> list[dict[str, Any]]:
    import rdflib

    graph = rdflib.Graph()
    try:
        graph.parse(data=ntriples, format="nt")
    except Exception as exc:  # noqa: BLE001 - rdflib's parse errors share no base class of ours
        raise EndpointError(f"the server's answer is neither SPARQL results JSON nor N-Triples "
                            f"({type(exc).__name__}); it starts: {excerpt(ntriples)!r}",
                            server_message=excerpt(ntriples)) from None
    triples = sorted((str(s), str(p), str(o)) for s, p, o in graph)
    return [{"subject": s, "predicate": p, "object": o} for s, p, o in triples]
