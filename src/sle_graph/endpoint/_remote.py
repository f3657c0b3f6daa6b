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
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence
from urllib.parse import unquote

from ..errors import InvalidArgument, NodeNotFound, closest
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
from ._http import Client, Endpoint, EndpointError, ask_answer
from ._push import (PUSH_CURRENT, PUSH_ONTOLOGY, PUSH_SCHEMA, DEFAULT_GRAPH, check_graph_iri, ontology_graph_of,
                    schema_from_json)
from ._servers import adapt

if TYPE_CHECKING:  # pragma: no cover
    from ..ontology import Schema

__all__ = ["RemoteGraph", "connect"]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_PROV = "http://www.w3.org/ns/prov#"
_OA = "http://www.w3.org/ns/oa#"
_OWL = "http://www.w3.org/2002/07/owl#"
#: Statements whose evidence is fetched per request (the size of a VALUES block).
BATCH = 500
_RESULTS = "application/sparql-results+json"
_TRIPLES = "application/n-triples"


def _id_of(iri: str) -> str:
    """The node id of a node IRI (the inverse of :func:`sle_graph.rdf.node_iri`)."""
    return unquote(iri[len(SLE):])


def _nt(s: str, p: str, o: str) -> str:
    return f"<{s}> <{p}> <{o}> .\n"


class RemoteGraph:
    """A graph pushed to a SPARQL 1.1 server, queried like the in-memory graph.

    Build one with :func:`sle_graph.connect`. :attr:`head` is the named graph pushed to;
    :attr:`graph` and :attr:`ontology_graph` are the named graphs of the data and the ontology
    of the version it points to now (for a graph pushed without versions, the head itself and
    the ontology IRI, or the ``ontology_graph`` given); :attr:`schema` is the schema given, else
    the one the push stored (the shipped ontology and the kinds and predicates the export
    declares).
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
        """The named graph that holds the data now (the current version the head points to)."""
        return self._follow()[0]

    @property
    def ontology_graph(self) -> str:
        """The named graph of the ontology pushed with the current version."""
        return self._follow()[1]

    @property
    def schema(self) -> "Schema":
        """The schema the graph follows: the one given to :func:`connect`, else the one the push
        stored (the shipped ontology and what the export declares)."""
        return self._follow()[2]

    @property
    def head(self) -> str:
        """The named graph pushed to (the head: it points to the current version)."""
        return self._head

    @property
    def endpoint(self) -> Endpoint:
        """The query, update and Graph Store Protocol URLs."""
        return self._client.endpoint

    def __repr__(self) -> str:
        auth = f", auth={self._client.auth!r}" if self._client.auth else ""
        return f"<RemoteGraph <{self._head}> at {self.endpoint.query}{auth}>"

    # -- SPARQL -----------------------------------------------------------------------------------

    def sparql(self, query: str) -> list[dict[str, Any]]:
        """Run a SPARQL query on the server; the same shapes as :meth:`KnowledgeGraph.sparql`.

        The default graph is the data graph merged with the ontology graph (as in memory), and
        our prefixes (``sle:``, ``sleo:``, ``rdfs:``, ...) are declared unless the query declares
        them. A query with its own ``FROM`` or ``GRAPH`` runs on the server's dataset as written.
        SELECT gives one dict per row (IRIs as ``str``, literals as Python values), ASK gives
        ``[{"ask": bool}]``, CONSTRUCT and DESCRIBE give sorted ``subject/predicate/object`` dicts.
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

    def _select(self, query: str) -> list[dict[str, dict[str, str]]]:
        return self._client.select(query, default_graphs=(self.graph,))

    # -- the whole graph --------------------------------------------------------------------------

    def pull(self) -> "KnowledgeGraph":
        """The whole graph, read back from the server (Graph Store Protocol GET, else CONSTRUCT)."""
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
        return read_rdf(ntriples, format="nt", schema=self.schema)

    def count_triples(self) -> int:
        """How many triples the data graph holds on the server."""
        rows = self._client.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{self.graph}> {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"]["value"])

    # -- nodes ------------------------------------------------------------------------------------

    def node(self, ref: "str | Node") -> "Node":
        """The node a reference names (id, label, synonym or CURIE), as :meth:`KnowledgeGraph.node`."""
        node_id = self._resolve(ref)
        return self._subgraph([node_id], []).node(node_id)

    def _resolve(self, ref: Any) -> str:
        """The id of the node ``ref`` names, by the rules of :meth:`KnowledgeGraph.node`."""
        if isinstance(ref, Node):
            ref = ref.id
        if not isinstance(ref, str):
            raise TypeError(f"a node reference is an id, label, synonym or CURIE string, not {type(ref).__name__}")
        kinds = " ".join(_iri(_compile.kind_iri(k)) for k in sorted(self.schema.kinds))
        iri = node_iri(ref)
        # An exact id wins outright (as in memory), and is one index lookup.
        if self._client.ask(f"ASK {{ {_iri(iri)} a ?k . VALUES ?k {{ {kinds} }} }}",
                            default_graphs=(self.graph,)):
            return ref
        lower = ref.strip().lower()
        mapped = []
        prefix, _, local = ref.strip().partition(":")
        for p, expansion in prefixes().items():
            if local and p.lower() == prefix.lower():
                mapped.append((expansion + local).lower())
        # Case-insensitive: ids (0), labels (1), synonyms (2), mappings (3); the best priority wins.
        query = (
            "SELECT DISTINCT ?n ?prio WHERE {\n"
            f"  {{ VALUES ?k {{ {kinds} }} ?n a ?k . FILTER(LCASE(STR(?n)) = {_literal(iri.lower())}) "
            "BIND(0 AS ?prio) }\n"
            f"  UNION {{ ?n <{_RDFS}label> ?t . FILTER(LCASE(STR(?t)) = {_literal(lower)}) BIND(1 AS ?prio) }}\n"
            f"  UNION {{ ?n <{_SKOS}altLabel> ?t . FILTER(LCASE(STR(?t)) = {_literal(lower)}) BIND(2 AS ?prio) }}\n"
            + (f"  UNION {{ ?n <{_SKOS}exactMatch>|<{_SKOS}closeMatch> ?m . "
               f"FILTER(LCASE(STR(?m)) IN ({', '.join(_literal(m) for m in mapped)})) BIND(3 AS ?prio) }}\n"
               if mapped else "")
            + "}")
        rows = self._client.select(query, default_graphs=(self.graph,))
        hits = [(int(r["prio"]["value"]), r["n"]["value"]) for r in rows if r["n"]["value"].startswith(SLE)]
        if hits:
            best = min(p for p, _ in hits)
            ids = sorted({_id_of(n) for p, n in hits if p == best})
            if len(ids) == 1:
                return ids[0]
            raise NodeNotFound(f"{ref!r} is ambiguous: it names {', '.join(ids)}; use an id")
        raise NodeNotFound(f"no node {ref!r}{self._closest(ref)}")

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

    def _subgraph(self, node_ids: Iterable[str], edges: Iterable[tuple[str, str, str]]) -> "KnowledgeGraph":
        """The given nodes and edges (IRI triples) with all their evidence, and the nodes it cites."""
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
                parts.append(f"{{ VALUES ?st {{ {st} }} ?st ({derived}/{selector}?)? ?x . ?x ?p ?o }}")
                parts.append(f"{{ VALUES ?st {{ {st} }} ?st {derived}/{derived} ?x . ?x ?p ?o FILTER({keep}) }}")
            if ns:
                parts.append(f"{{ VALUES ?x {{ {ns} }} ?x ?p ?o FILTER({keep}) }}")
            query = f"CONSTRUCT {{ ?x ?p ?o }} WHERE {{\n{' UNION '.join(parts)}\n}}"
            lines.append(self._client.query(query, default_graphs=(self.graph,), accept=_TRIPLES).text())
        return self._graph("".join(lines))

    # -- queries ----------------------------------------------------------------------------------

    def _pattern(self, pattern: "str | Pattern") -> tuple["Pattern", list[str | None]]:
        pat = pattern if isinstance(pattern, Pattern) else parse_pattern(pattern, self.schema)
        fixed: list[str | None] = []
        for spec in pat.nodes:
            if spec.ref is None:
                fixed.append(None)
                continue
            try:
                fixed.append(node_iri(self._resolve(spec.ref)))
            except NodeNotFound as exc:
                raise NodeNotFound(f"{exc} (pattern column {spec.column})") from None
        return pat, fixed

    def count(self, pattern: "str | Pattern") -> int:
        """How many simple paths fit ``pattern`` (see :func:`sle_graph.query.patterns.count`), counted by the server."""
        pat, fixed = self._pattern(pattern)
        query = _compile.count_query(pat, fixed, self.schema)
        if query is None:
            return 0
        rows = self._select(query)
        return int(rows[0]["n"]["value"]) if rows else 0

    def match(self, pattern: "str | Pattern", *, limit: int | None = None) -> "PathList":
        """Paths that fit ``pattern``, ranked, as :meth:`KnowledgeGraph.match` gives them."""
        limit = check_limit(limit)
        pat, fixed = self._pattern(pattern)
        query = _compile.select_rows(pat, fixed, self.schema)
        if query is None or limit == 0:
            return PathList()
        # Ranking builds a stand-in path per match: many small objects, none of them cyclic. With
        # the collector on, each of its full passes also rescans whatever large graph the process
        # holds (a 1M-edge one: seconds per pass).
        with gc_paused():
            walks = [_compile.walk_of_row(pat, fixed, row, "x", self.schema) for row in self._select(query)]
            if limit is not None and len(walks) > limit:
                walks = self._top(walks, limit)
        edges = {e for _, hops in walks for e in hops}
        if not edges:
            return PathList()
        refs = [_id_of(f) if f else None for f in fixed]
        sub = self._subgraph([r for r in refs if r], edges)
        local = Pattern(tuple(NodeSpec(spec.kind, ref, spec.column) if ref else spec
                              for spec, ref in zip(pat.nodes, refs)), pat.links)
        return match(sub, local, limit=limit)

    def _top(self, walks: list[tuple[list[str], list[tuple[str, str, str]]]], limit: int) -> list:
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
            rows = self._client.select(
                f"SELECT ?st (SAMPLE(?status) AS ?s) (COUNT(DISTINCT ?src) AS ?n) "
                f"(GROUP_CONCAT(DISTINCT ?mod; SEPARATOR=\" \") AS ?m) WHERE {{ VALUES ?st {{ {values} }} "
                f"OPTIONAL {{ ?st <{SLEO}status> ?status }} ?st <{_PROV}wasDerivedFrom> ?ev . "
                f"OPTIONAL {{ ?ev <{_PROV}wasDerivedFrom> ?source }} BIND(COALESCE(STR(?source), \"\") AS ?src) "
                # an unbound value would make the whole GROUP_CONCAT unbound (Oxigraph): bind "" instead
                f"OPTIONAL {{ ?ev <{SLEO}modality> ?modality }} BIND(COALESCE(STR(?modality), \"\") AS ?mod) "
                "} GROUP BY ?st", default_graphs=(self.graph,))
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
              direction: str = "forward", limit: int | None = None) -> "PathList":
        """Ranked, explained paths from ``source`` to ``target``, as :meth:`KnowledgeGraph.paths` gives them.

        The server lists every simple chain of 1 to ``max_hops`` allowed edges from source to
        target (one ``UNION`` query); ranking, ``via`` and ``limit`` are applied here, by the
        in-memory code, on those chains and their evidence.
        """
        max_hops = check_hops(max_hops)
        limit = check_limit(limit)
        if direction not in DIRECTIONS:
            raise InvalidArgument(f"direction must be one of {', '.join(map(repr, DIRECTIONS))}, not {direction!r}")
        allowed = predicate_set(self.schema, predicates)
        kind_sets(self.schema, via, "via")
        s, t = self._resolve(source), self._resolve(target)
        if s == t or limit == 0:
            return PathList()
        link = LinkSpec(tuple(sorted(allowed)) if allowed else (), "forward" if direction == "forward" else "any")
        chains = [Pattern((NodeSpec(ref=s),) + (NodeSpec(),) * (n - 1) + (NodeSpec(ref=t),), (link,) * n)
                  for n in range(1, max_hops + 1)]
        fixed = [[node_iri(s)] + [None] * (n - 1) + [node_iri(t)] for n in range(1, max_hops + 1)]
        query = _compile.paths_query(chains, fixed, self.schema)
        edges = set()
        for row in self._select(query):
            j = next(j for j in range(len(chains)) if f"l{j}_b" in row)
            edges.update(_compile.edges_of_row(chains[j], fixed[j], row, f"l{j}", self.schema))
        if not edges:
            return PathList()
        sub = self._subgraph([s, t], edges)
        return find_paths(sub, s, t, max_hops=max_hops, via=via, predicates=predicates, direction=direction,
                          limit=limit)


def connect(endpoint: "str | Endpoint | Mapping[str, str]", *, graph: str | None = None, auth: Any = None,
            **options: Any) -> RemoteGraph:
    """The graph pushed to a SPARQL 1.1 server, to query like the in-memory one.

    ``endpoint``: a URL (forms of common servers: :meth:`Endpoint.parse`) or an
    :class:`Endpoint`; ``graph``: the named graph pushed to (default: the default of
    :func:`push`); ``auth``: ``(user, password)`` or a bearer token. Options: ``ontology_graph``,
    ``schema`` (default: read from what the push stored, so a Hetionet-shaped or merged graph
    needs none), ``timeout`` (seconds per request), ``retries``. No request is made until the
    first call; each call reads the version the graph points to then, whole.

    >>> import sle_graph
    >>> sle_graph.connect("http://127.0.0.1:7878", auth=("ana", "s3cret"))
    <RemoteGraph <https://w3id.org/sle-graph/graph> at http://127.0.0.1:7878/query, auth=BasicAuth(user='ana', password=***)>
    """
    return RemoteGraph(endpoint, graph=graph, auth=auth, **options)


def _pinned(method: Any) -> Any:
    """``method`` reading one version throughout: it follows the pointer once, and runs again if
    the pointer moved before it finished (a push deletes a version only after moving the pointer
    away from it, so an answer read while the pointer stayed put is that version's, whole)."""
    @functools.wraps(method)
    def call(self: RemoteGraph, *args: Any, **kwargs: Any) -> Any:
        if self._pin is not None:
            return method(self, *args, **kwargs)
        for attempt in range(_RERUNS + 1):
            self._pin = pin = self._follow()
            try:
                answer = method(self, *args, **kwargs)
            except Exception:
                if attempt == _RERUNS or not self._moved(pin[0]):
                    raise
                continue
            finally:
                self._pin = None
            if not self._moved(pin[0]):
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

_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*|)\s*:", re.IGNORECASE)
# Strings and IRIs removed before looking for FROM / GRAPH keywords.
_STRIPPED = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*')
_OWN_DATASET = re.compile(r"\b(FROM|GRAPH)\b", re.IGNORECASE)


def _iri(text: str) -> str:
    return f"<{text}>"


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
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
    graph.parse(data=ntriples, format="nt")
    triples = sorted((str(s), str(p), str(o)) for s, p, o in graph)
    return [{"subject": s, "predicate": p, "object": o} for s, p, o in triples]
