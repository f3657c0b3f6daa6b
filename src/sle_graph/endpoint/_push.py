"""Publish a graph to a SPARQL 1.1 server: a fresh version uploaded in chunks, then one pointer switched.

What the server holds
---------------------
For ``push(kg, url, graph=G)`` the named graph ``G`` is the graph's *head*: a handful of
triples naming its current version and describing it (terms of :data:`PUSH`)::

    <G> push:current <G/version/ID> .
    <G/version/ID> push:ontologyGraph <G/version/ID/ontology> ;
                   push:digest "sha256 of the graph's records and ontology" ;
                   push:triples 1813181 .

A graph of another schema than the shipped one also gets ``push:schema``, the schema whole as
JSON (:func:`schema_json`), from which :func:`sle_graph.connect` rebuilds it.

The data are in the version graph ``<G/version/ID>``, the ontology in ``<G/version/ID/ontology>``,
and (pushed with ``replace=True``) the strength of each edge, for ranking on the server, in
``<G/version/ID/strength>`` (:func:`~sle_graph.endpoint._rank.strength_graph_of` of the version):
ranking queries read the strengths of the version the pointer names, and they go with it.
:func:`sle_graph.connect` follows the pointer (and reads an older layout, data straight in ``G``,
when there is none). A plain SPARQL client does the same in one query::

    SELECT ?s ?p ?o WHERE { GRAPH <G> { <G> push:current ?v } GRAPH ?v { ?s ?p ?o } }

How a push runs
---------------
1. A tiny update (``DROP SILENT`` of a graph that does not exist) checks the credentials and
   that the server takes writes, before anything is uploaded. The head is read.
2. With ``replace=True``, the content digest of the graph (:func:`content_digest`: SHA-256 of
   its records, ontology, schema and the release writing the export, kept in the graph's cache
   once computed) is compared with the one the head records: equal, nothing is uploaded (a
   re-push of an unchanged graph takes seconds, a fresh graph object about a second per 100,000
   edges to hash).
3. ``<G> push:pending <V>`` marks the new version ``V``; the data (canonical N-Triples of
   :mod:`sle_graph.rdf`, streamed, never held as one text) go in chunks of ``chunk_size`` triples
   to ``V`` through the Graph Store Protocol (``POST``), or SPARQL Update (``INSERT DATA``) when the
   server has none; the ontology to ``V/ontology``, the strengths to ``V/strength``. No one
   reads ``V`` yet, so on Oxigraph the chunks take its bulk loader (``no_transaction``), and no
   request is ever large.
4. The server is asked how many triples ``V`` holds; a shortfall stops the push.
5. One small SPARQL Update (a single ``DELETE``/``INSERT`` operation on the head) moves
   ``push:current`` to ``V``: readers see the previous version or the new one, never a mix.
6. The previous version (its ontology and strengths too) is deleted (:func:`delete_graph`: on
   Virtuoso one ``DROP`` without its transaction log, elsewhere in slices, as one huge delete
   would be one huge transaction).

Until step 5 nothing a reader follows has changed: a push that fails (server down, wrong
credentials, bad data) leaves the previous version current and deletes its own upload when the
server can still be reached, or says what is left and how to remove it. A push that dies
without a word (killed process) leaves its pending mark: the next push to ``G`` deletes such
uploads. A graph is a set of triples, so a retried chunk never duplicates anything, and pushing
twice leaves one copy.

``replace=False`` copies the current version into the new one on the server (:func:`copy_graph`:
Virtuoso's ``ADD`` without its transaction log, Oxigraph's ``INSERT ... WHERE`` in slices, one
``ADD`` elsewhere; the new version is not read until the switch), and stores no strengths
(merged evidence has strengths the server cannot know): queries on it rank in the client.
``atomic=False``
rewrites the current version in place (delete, then upload): no second copy on the
server, but readers see a partial graph while it runs, and a failed push leaves it incomplete
(the error says so; pushing again repairs it).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
import threading
import time
import uuid
import warnings
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from importlib import metadata
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

from .._resources import ontology_file
from ..errors import InvalidArgument
from ..ontology import Kind, Predicate, Schema, schema as default_schema
from .. import progress as progress_module
from ..progress import bar
from ..rdf.canonical import Lit, literal_text, ntriples_chunks
from ..rdf.write import blocks
from ..vocab import BASE, SLEO
from ._http import Client, Endpoint, EndpointError
from ._rank import strength_chunks, strength_graph_of
from ._servers import adapt, hint

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import KnowledgeGraph

__all__ = ["push", "PushResult", "DEFAULT_GRAPH", "PUSH", "PUSH_CURRENT", "PUSH_PENDING", "PUSH_ONTOLOGY",
           "PUSH_DIGEST", "PUSH_TRIPLES", "PUSH_SCHEMA", "schema_json", "schema_from_json", "Head", "read_head", "content_digest", "records_digest", "delete_graph", "copy_graph", "upload_workers", "ontology_graph_of",
           "check_graph_iri"]

log = logging.getLogger("sle_graph.endpoint")

#: The named graph a push writes the data to unless told otherwise.
DEFAULT_GRAPH = BASE + "graph"
#: Namespace of the head graph's terms: ``current``, ``pending``, ``ontologyGraph``, ``digest``,
#: ``triples`` (see the module docstring).
PUSH = BASE + "push#"
PUSH_CURRENT, PUSH_PENDING = PUSH + "current", PUSH + "pending"
PUSH_ONTOLOGY, PUSH_DIGEST, PUSH_TRIPLES = PUSH + "ontologyGraph", PUSH + "digest", PUSH + "triples"
PUSH_SCHEMA = PUSH + "schema"
#: Answers to a Graph Store Protocol POST that mean "no Graph Store Protocol here".
_NO_GSP = frozenset({404, 405, 415, 501})

ProgressHook = Callable[[int, int], None]
#: What an IRI written ``<...>`` in SPARQL may not hold, besides controls and spaces (IRIREF).
_NOT_IN_IRI = frozenset('<>"{}|^`\\')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class PushResult:
    """What a push did: target graphs, triple counts, protocol used, seconds taken.

    What :meth:`KnowledgeGraph.push` returns; ``str()`` says it in a sentence. ``graph`` is the
    head graph, ``version`` the named graph that holds the data now (the head points to it).

    Parameters
    ----------
    endpoint : str
        The server's query URL.
    graph : str
        The head graph pushed to (it names the current version).
    ontology_graph : str or None
        The named graph the ontology went to (beside the version); None when it was not pushed.
    triples : int
        Data triples pushed.
    ontology_triples : int
        Ontology triples pushed.
    chunks : int
        Requests the data took.
    protocol : str
        How it went: the Graph Store Protocol or SPARQL Update.
    seconds : float
        How long the push took.
    timings : dict, optional
        Seconds by step.
    version : str, optional
        The version graph that holds the data now.
    unchanged : bool, default False
        The server already held this very graph (same digest), so nothing was uploaded.

    Examples
    --------
    >>> from sle_graph.endpoint import PushResult
    >>> print(PushResult("http://127.0.0.1:7878/query", "https://example.org/g", None,
    ...                  triples=5210, ontology_triples=0, chunks=1, protocol="graph store",
    ...                  seconds=0.4))
    pushed 5210 triples to <https://example.org/g> at http://127.0.0.1:7878/query in 1 chunk (graph store, 0.4 s)
    """

    endpoint: str
    graph: str
    ontology_graph: str | None
    triples: int
    ontology_triples: int
    chunks: int
    protocol: str
    seconds: float
    timings: dict = field(default_factory=dict, compare=False)  # seconds by step
    version: str | None = None
    unchanged: bool = False

    def __str__(self) -> str:
        if self.unchanged:
            return (f"<{self.graph}> at {self.endpoint} already holds this graph ({self.triples} triples, same "
                    f"digest): nothing uploaded ({self.seconds:.1f} s)")
        onto = f" and {self.ontology_triples} ontology triples to <{self.ontology_graph}>" if self.ontology_graph else ""
        return (f"pushed {self.triples} triples to <{self.graph}>{onto} at {self.endpoint} "
                f"in {self.chunks} chunk{'s' if self.chunks != 1 else ''} ({self.protocol}, {self.seconds:.1f} s)")


def ontology_graph_of(schema: "Schema", graph: str = DEFAULT_GRAPH) -> str:
    """The named graph that holds a schema's ontology: the ontology IRI itself (for a schema
    built without one, ``<graph>/ontology``)."""
    return schema.iri or graph.rstrip("/#") + "/ontology"


def _data_chunks(kg: "KnowledgeGraph", size: int) -> Iterator[list[str]]:
    """The graph's canonical N-Triples (:mod:`sle_graph.rdf`), streamed in lists of ``size`` lines.

    Never the whole text in memory: a 1M-edge graph is some 18M triples, 3 GB of N-Triples. The
    export has no blank nodes (every resource has an IRI), so any split into requests is safe.
    """
    buffer: list[str] = []
    for text in ntriples_chunks(blocks(kg), chunk_size=500):
        # "\n" only: str.splitlines() also splits at U+2028, U+2029, U+0085, ... inside literals.
        buffer += text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")
        while len(buffer) >= size:
            yield buffer[:size]
            del buffer[:size]
    if buffer:
        yield buffer


def _ontology_lines(schema: "Schema") -> list[str]:
    """The ontology as sorted N-Triples lines: the shipped ``ontology/sle_graph.ttl`` (what
    ``kg.to_rdf(include_ontology=True)`` adds) for the shipped schema; for a schema built in
    Python, its kinds and predicates with labels and the ``rdfs:subClassOf`` hierarchy."""
    import pyoxigraph as ox

    if schema == default_schema():
        triples = (q.triple for q in ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE))
        text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        return sorted({line for line in text.splitlines() if line.strip()})
    rdf, rdfs, owl = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
                      "http://www.w3.org/2002/07/owl#")
    lines = set()
    for term, cls, parent in ([(k, "Class", k.parent) for k in schema.kinds.values()]
                              + [(p, "ObjectProperty", None) for p in schema.predicates.values()]):
        lines.add(f"<{term.iri}> <{rdf}type> <{owl}{cls}> .")
        lines.add(f"<{term.iri}> <{rdfs}label> {literal_text(Lit(term.label))} .")
        if parent:
            lines.add(f"<{term.iri}> <{rdfs}subClassOf> <{SLEO}{parent}> .")
    for p in schema.predicates.values():  # domain and range, as the export declares them
        lines.update(f"<{p.iri}> <{_SCHEMA_ORG}{which}> <{SLEO}{k}> ."
                     for which, kinds in (("domainIncludes", p.domain), ("rangeIncludes", p.range)) for k in kinds)
    return sorted(lines)


_SCHEMA_ORG = "http://schema.org/"


def schema_json(schema: "Schema") -> str | None:
    """A schema other than the shipped one as JSON text, whole (what ``connect`` rebuilds it
    from); None for the shipped schema.

    >>> import sle_graph
    >>> schema_json(sle_graph.load().schema) is None
    True
    """
    if schema == default_schema():
        return None
    return json.dumps({
        "iri": schema.iri, "version_iri": schema.version_iri, "version": schema.version, "title": schema.title, "license": schema.license,
        "kinds": [[k.name, k.label, k.definition, k.parent, list(k.exact_mappings), list(k.close_mappings)]
                  for k in schema.kinds.values()],
        "predicates": [[p.name, p.label, p.definition, sorted(p.domain), sorted(p.range), list(p.exact_mappings),
                        list(p.close_mappings), p.parent] for p in schema.predicates.values()],
    }, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def schema_from_json(text: str) -> "Schema":
    """The schema :func:`schema_json` wrote."""
    data = json.loads(text)
    kinds = [Kind(n, label, definition, parent, tuple(exact), tuple(close))
             for n, label, definition, parent, exact, close in data["kinds"]]
    predicates = [Predicate(n, label, definition, frozenset(dom), frozenset(rng), tuple(exact), tuple(close), parent)
                  for n, label, definition, dom, rng, exact, close, parent in data["predicates"]]
    built = Schema.build(kinds, predicates, iri=data["iri"], version=data["version"], title=data["title"],
                         license=data["license"])
    return dataclasses.replace(built, version_iri=data["version_iri"])


def check_graph_iri(graph: Any, name: str = "graph") -> str:
    """``graph`` if it is an absolute IRI that can be written as ``<graph>`` in SPARQL, else
    :class:`InvalidArgument`: every graph name reaches a query through this check, so a name can
    never close the IRI and add SPARQL of its own (the characters SPARQL forbids in an IRIREF,
    controls and spaces included, are refused).

    >>> check_graph_iri("urn:x> {} } #")
    Traceback (most recent call last):
    ...
    sle_graph.errors.InvalidArgument: graph must be an absolute IRI such as 'https://w3id.org/sle-graph/graph', not 'urn:x> {} } #'
    """
    if (not isinstance(graph, str) or not _SCHEME.match(graph)
            or any(c in _NOT_IN_IRI or ord(c) <= 0x20 for c in graph)):
        raise InvalidArgument(f"{name} must be an absolute IRI such as {DEFAULT_GRAPH!r}, not {graph!r}")
    return graph


def _chunks(lines: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    """Consecutive slices of ``size`` lines; all in one when blank nodes occur.

    A blank-node label is local to one request, so splitting its triples over two requests would
    make two nodes of one. The data has none; the ontology has a few (``owl:unionOf`` lists) and
    is small, so it goes in one request.
    """
    if any(" _:" in line or line.startswith("_:") for line in lines):
        yield lines
        return
    for start in range(0, len(lines), size):
        yield lines[start:start + size]


class _BarProgress:
    """The default ``on_chunk``: a progress bar of the triples sent (:mod:`sle_graph.progress`),
    updated once per chunk."""

    def __init__(self, where: str, progress: bool | None):
        self.bar = bar(None, f"pushing to {where}", unit=" triples", unit_scale=True, progress=progress)

    def __call__(self, sent: int, total: int | None) -> None:
        self.bar.update(sent - self.bar.n)

    def close(self) -> None:
        self.bar.close()


class _Uploader:
    """Adds N-Triples to a named graph: Graph Store Protocol, else SPARQL Update."""

    def __init__(self, client: Client, bulk: bool = False):
        self.client = client
        self.protocol = "graph store" if client.endpoint.store else "update"
        self.bulk = bulk

    def add(self, graph: str, lines: Sequence[str]) -> None:
        if not lines:
            return
        body = "\n".join(lines) + "\n"
        if self.protocol == "graph store":
            try:
                self.client.post_graph(graph, body.encode("utf-8"), bulk=self.bulk)
                return
            except EndpointError as exc:
                if exc.status not in _NO_GSP:
                    raise
                log.info("no Graph Store Protocol at %s (HTTP %s); using SPARQL Update",
                         self.client.endpoint.store, exc.status)
                self.protocol = "update"
        self.client.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}")


def upload_workers(server: str) -> int:
    """How many chunks to upload at once to a server, by its ``Server`` header: Virtuoso loads two
    requests in parallel (about twice the rate of one at a time, measured at 100k edges); other
    servers take one at a time."""
    return 2 if server.startswith("Virtuoso/") else 1


class _Sender:
    """Chunks to an :class:`_Uploader`, one at a time or from ``workers`` threads (a client each),
    at most two chunks a worker in flight, so memory stays bounded. Calls give the sizes of the
    chunks the server has taken since the last call; the first failure is raised."""

    def __init__(self, uploader: _Uploader, workers: int):
        self.uploader, self.workers = uploader, workers
        self.pool: ThreadPoolExecutor | None = None
        self.pending: set[Future] = set()
        self.local = threading.local()

    def __enter__(self) -> "_Sender":
        if self.workers > 1:
            self.pool = ThreadPoolExecutor(self.workers, thread_name_prefix="sle-graph-push")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            for future in self.pending:
                future.cancel()
            self.pool.shutdown(wait=True)

    def _add(self, target: str, chunk: Sequence[str]) -> int:
        uploader = getattr(self.local, "uploader", None)
        if uploader is None:
            uploader = self.local.uploader = _Uploader(self.uploader.client.clone(), self.uploader.bulk)
        uploader.add(target, chunk)
        return len(chunk)

    def __call__(self, target: str, chunk: Sequence[str]) -> list[int]:
        if self.pool is None:
            self.uploader.add(target, chunk)
            return [len(chunk)]
        taken = self._settle(2 * self.workers - 1)
        self.pending.add(self.pool.submit(self._add, target, chunk))
        return taken

    def finish(self) -> list[int]:
        return self._settle(0)

    def _settle(self, most: int) -> list[int]:
        """Wait until at most ``most`` chunks are in flight; the sizes of those taken."""
        taken = []
        while len(self.pending) > most:
            done, self.pending = wait(self.pending, return_when=FIRST_COMPLETED)
            taken += [future.result() for future in done]
        return taken


def _count(client: Client, graph: str) -> int:
    rows = client.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"]["value"]) if rows else 0


def delete_graph(client: Client, graph: str, *, slice_size: int = 200_000, keep_head: bool = False,
                 server: str = "") -> None:
    """Delete a named graph by the fastest way the server offers that keeps each step bounded.

    On Virtuoso (``server``, its ``Server`` header, starts ``Virtuoso/``): one ``DROP`` that
    commits row by row without its transaction log (``DEFINE sql:log-enable 3``), a seventh of
    the server's time of deleting in slices. Elsewhere, or when Virtuoso refuses that: ``DELETE`` in slices
    of ``slice_size`` triples, then ``DROP``. On Oxigraph ``DROP GRAPH`` and the Graph Store
    Protocol's ``DELETE`` are one transaction however large the graph (2.5 GB of server memory
    for 1.8M triples) and take twice the server's time of the slices.
    ``keep_head``: delete all but the head's own triples (terms of :data:`PUSH`), and keep the graph.
    """
    if server.startswith("Virtuoso/") and not keep_head:
        try:
            client.update(f"{VIRTUOSO_UNLOGGED}DROP SILENT GRAPH <{graph}>")
            return
        except EndpointError as exc:
            if exc.status is None or exc.status >= 500:
                raise
            log.info("Virtuoso refused the unlogged DROP of <%s> (%s); deleting in slices", graph, exc)
    keep = f" FILTER(!STRSTARTS(STR(?p), \"{PUSH}\"))" if keep_head else ""
    while client.ask(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o{keep} }} }}"):
        client.update(f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ {{ SELECT ?s ?p ?o WHERE "
                      f"{{ GRAPH <{graph}> {{ ?s ?p ?o{keep} }} }} LIMIT {slice_size} }} }}")
    if not keep_head:
        client.update(f"DROP SILENT GRAPH <{graph}>")


#: Virtuoso's prefix for an update that runs without its transaction log, committing row by row:
#: for graphs no reader follows (an upload not yet switched in, a version switched out).
VIRTUOSO_UNLOGGED = "DEFINE sql:log-enable 3 "


def copy_graph(client: Client, source: str, target: str, *, server: str = "", slice_size: int = 200_000,
               check: bool = True) -> None:
    """Add the triples of ``source`` to ``target`` (which no reader follows yet), bounded at any size.

    Virtuoso: one ``ADD`` without its transaction log. Oxigraph: ``INSERT ... WHERE`` in slices
    of ``slice_size`` (one ``ADD`` of 1.8M triples takes 3 GB of its memory), predicate by
    predicate, each slice the next ``OFFSET`` of the predicate's triples, which Oxigraph lists
    in the same (index) order every time;
    ``check`` then asks whether any triple of the source is missing from the target, and raises
    :class:`EndpointError` if one is (the source changed meanwhile). Other servers: one ``ADD``.
    """
    if server.startswith("Virtuoso/"):
        client.update(f"{VIRTUOSO_UNLOGGED}ADD SILENT <{source}> TO <{target}>")
        return
    if not server.startswith("Oxigraph/"):
        client.update(f"ADD SILENT <{source}> TO <{target}>")
        return
    # By predicate (the server's index by graph and predicate), so that an OFFSET never skips
    # more than one predicate's triples: slices over the whole graph would skip half of it on average.
    rows = client.select(f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ GRAPH <{source}> {{ ?s ?p ?o }} }} GROUP BY ?p")
    for row in rows:
        p, total = check_graph_iri(row["p"]["value"], "a predicate"), int(row["n"]["value"])
        for offset in range(0, total, slice_size):
            client.update(f"INSERT {{ GRAPH <{target}> {{ ?s <{p}> ?o }} }} WHERE {{ {{ SELECT ?s ?o WHERE "
                          f"{{ GRAPH <{source}> {{ ?s <{p}> ?o }} }} OFFSET {offset} LIMIT {slice_size} }} }}")
    if check and client.ask(f"ASK {{ GRAPH <{source}> {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH <{target}> "
                            f"{{ ?s ?p ?o }} }} }}"):
        raise EndpointError(f"copying <{source}> to <{target}> in slices missed triples (did <{source}> "
                            "change meanwhile?); push again")


@dataclass(frozen=True)
class Head:
    """What the head graph ``<graph>`` says: the current version and what it records, the
    versions being uploaded, and whether the graph holds data of its own (the layout of
    pushes before versions, or of another tool)."""

    graph: str
    current: str | None = None
    ontology: str | None = None
    digest: str | None = None
    triples: int | None = None
    pending: tuple[str, ...] = ()
    own_data: bool = False


def read_head(client: Client, graph: str) -> Head:
    """The head of ``graph`` on the server (two small queries)."""
    rows = client.select(
        f"SELECT ?p ?v ?q ?x WHERE {{ GRAPH <{graph}> {{ <{graph}> ?p ?v FILTER(?p IN (<{PUSH_CURRENT}>, <{PUSH_PENDING}>)) "
        f"OPTIONAL {{ ?v ?q ?x }} }} }}")
    current, pending, about = [], set(), {}
    for r in rows:
        v = r["v"]["value"]
        if r["p"]["value"] == PUSH_CURRENT:
            current.append(v)
            if "q" in r:
                about.setdefault(v, {})[r["q"]["value"]] = r["x"]["value"]
        else:
            pending.add(v)
    now = sorted(set(current))[-1] if current else None  # one, unless another tool wrote a second
    info = about.get(now, {})
    own = client.ask(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o FILTER(!STRSTARTS(STR(?p), \"{PUSH}\")) }} }}")
    return Head(graph, now, info.get(PUSH_ONTOLOGY), info.get(PUSH_DIGEST),
                int(info[PUSH_TRIPLES]) if PUSH_TRIPLES in info else None, tuple(sorted(pending - {now})), own)


#: Names the form of the digests :func:`content_digest` makes; a head recording another form
#: (pushed by an earlier release) never matches, so such a graph is pushed once more.
_DIGEST_FORM = "sle_graph push digest 2: records"


def _getter(cls: type, *skip: str) -> Callable[[Any], tuple]:
    """The fields of a record class (all of them, but ``skip``), read as one tuple: a field
    added to the class later is in the digest without a change here."""
    return attrgetter(*(f.name for f in dataclasses.fields(cls) if f.name not in skip))


def _attributes(mapping: Mapping[str, Any]) -> tuple:
    # sorted: equal mappings built in another order have equal digests
    return tuple(sorted(mapping.items())) if mapping else ()


def records_digest(kg: "KnowledgeGraph") -> str:
    """SHA-256 of a graph's records: every field of every node (by id) and every edge (by key),
    with its evidence, as Python literals.

    Exact and cheap: two graphs that are equal (``==``) have the same digest in any process, a
    change to any field of any record changes it, and it costs a pass over the records (about a
    second per 100,000 edges), where hashing the export costs its serialization.
    :func:`content_digest` keeps it in the graph's :meth:`~sle_graph.KnowledgeGraph.cache`.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph whose nodes and edges are hashed.

    Returns
    -------
    str
        The SHA-256, as 64 hexadecimal digits.

    Examples
    --------
    >>> import sle_graph
    >>> kg = sle_graph.load()
    >>> records_digest(kg) == records_digest(sle_graph.load()) != records_digest(kg.subgraph(["msc"]))
    True
    """
    from ..model import Edge, Evidence, Node

    node_fields, edge_fields = _getter(Node, "attributes"), _getter(Edge, "evidence")
    evidence_fields = _getter(Evidence, "attributes")
    digest = hashlib.sha256()
    nodes, edges = kg.node_map, kg.edge_map
    _hash_rows(digest, ((node_fields(nodes[i]), _attributes(nodes[i].attributes)) for i in sorted(nodes)))
    digest.update(b"edges\n")
    _hash_rows(digest, ((edge_fields(edges[k]), tuple((evidence_fields(ev), _attributes(ev.attributes))
                                                      for ev in edges[k].evidence)) for k in sorted(edges)))
    return digest.hexdigest()


def _hash_rows(digest: Any, rows: Iterable[tuple], batch_size: int = 20_000) -> None:
    """Feed ``rows`` to ``digest`` as the ``repr`` of lists of ``batch_size`` rows, a line each
    (the last list may be short or empty): one ``repr`` call a batch, not a row."""
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= batch_size:
            _hash_batch(digest, batch)
    _hash_batch(digest, batch)


def _hash_batch(digest: Any, batch: list[tuple]) -> None:
    # repr of tuples of str, int and None: injective and free of hash order, so exact and the same
    # in every process
    digest.update(repr(batch).encode("utf-8", "surrogatepass") + b"\n")
    batch.clear()


_BLANK = re.compile(r"_:[A-Za-z0-9]+")


def _ontology_key(onto: Sequence[str]) -> str:
    """A digest of the ontology lines that ignores blank-node labels (fresh at every parse)."""
    lines = sorted(_BLANK.sub("_:", line) for line in onto)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _release() -> str:
    """The installed release: the export may change between releases, and so may the digest."""
    try:
        return metadata.version("sle_graph")
    except metadata.PackageNotFoundError:
        return "unknown"


def content_digest(kg: "KnowledgeGraph", onto: Sequence[str]) -> str:
    """The digest a push records for ``kg`` with the ontology lines ``onto``: its
    :func:`records_digest` (computed once per graph object), the ontology, the schema, and the
    release that writes the export (what the server receives is a function of these).

    >>> import sle_graph
    >>> kg = sle_graph.load()
    >>> content_digest(kg, []) == content_digest(sle_graph.load(), []) != content_digest(kg, ["<a> <b> <c> ."])
    True
    """
    parts = (_DIGEST_FORM, _release(), kg.cache("endpoint.records_digest", records_digest), _ontology_key(onto),
             schema_json(kg.schema) or "")
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def push(kg: "KnowledgeGraph", endpoint: "str | Endpoint | Mapping[str, str]", *, graph: str = DEFAULT_GRAPH,
         replace: bool = True, auth: Any = None, ontology: bool = True, ontology_graph: str | None = None,
         atomic: bool = True, chunk_size: int = 50_000, on_chunk: ProgressHook | None = None,
         verify: bool = True, timeout: float = 600.0, retries: int = 4,
         progress: bool | None = None) -> PushResult:
    """Publish ``kg`` to a SPARQL 1.1 server; :meth:`KnowledgeGraph.push` calls it.

    The data go to a fresh version of the named graph ``graph``, the ontology beside them (so
    queries on the server resolve sub-kinds through ``rdfs:subClassOf``), and with
    ``replace=True`` the strength of each edge in the version's strength graph (for ranking on the
    server); then the head graph ``graph`` is pointed at that version in one small update (the
    module docstring says what the server holds, and what a plain SPARQL client sees). With
    ``atomic=True`` readers see the previous version or the new one, never a mix, a failed push
    leaves the previous version as it was, at any size, and re-pushing an unchanged graph uploads
    nothing.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph to push.
    endpoint : str, Endpoint or mapping
        The server's URL (see :meth:`Endpoint.parse` for the forms of common servers), an
        :class:`Endpoint`, or its ``query``, ``update`` and ``store`` URLs.
    graph : str, default DEFAULT_GRAPH
        The named graph pushed to: its head, which points to the current version.
    replace : bool, default True
        Replace what the named graph held; ``False`` adds to it (and stores no strengths: remote
        ``match`` then ranks in the client).
    auth : tuple of str, str, BasicAuth or BearerAuth, optional
        ``(user, password)`` for basic (or, when the server asks for it, digest)
        authentication, or a bearer token.
    ontology : bool, default True
        Also push the ontology.
    ontology_graph : str, optional
        Deprecated and ignored (a warning says so): the ontology goes with each version.
    atomic : bool, default True
        Upload a new version and switch to it; ``False`` rewrites the current version in place
        (no second copy on the server), but readers see a partial graph while it runs and a
        failed push leaves it incomplete.
    chunk_size : int, default 50000
        Triples per request, streamed from the export.
    on_chunk : callable, optional
        Called as ``on_chunk(sent, total)`` after each chunk (``total`` is None until the whole
        graph is serialized); by default a progress bar for large graphs.
    verify : bool, default True
        Count the triples on the server before the switch.
    timeout : float, default 600.0
        Seconds per request.
    retries : int, default 4
        Retries of connection errors and 5xx answers, with back-off.
    progress : bool, optional
        ``True``: a progress bar for any graph; ``False``: never; by default for graphs of
        :data:`sle_graph.progress.LARGE` edges or more.

    Returns
    -------
    PushResult
        The graphs written, triples, chunks, protocol and time.

    Raises
    ------
    EndpointError
        When the server refuses or cannot be reached.
    InvalidArgument
        For a malformed URL or graph IRI.

    Examples
    --------
    >>> import sle_graph
    >>> sle_graph.load().push("http://127.0.0.1:9", retries=0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sle_graph.errors.EndpointError: push to http://127.0.0.1:9/store failed, <...> is unchanged: ...
    """
    graph = check_graph_iri(graph)
    if ontology_graph is not None:
        check_graph_iri(ontology_graph, "ontology_graph")
        warnings.warn("push(ontology_graph=) is ignored: the ontology now goes with each version of the graph "
                      "(<graph>/version/ID/ontology), where connect() finds it", DeprecationWarning, stacklevel=2)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise InvalidArgument(f"chunk_size must be a positive int, got {chunk_size!r}")
    client = Client(endpoint, auth, timeout=timeout, retries=retries)
    # By default a bar of the triples sent, on a terminal or in a notebook, for large graphs
    # (progress=True: any graph; False: none); on_chunk replaces it.
    shown = progress if progress is not None else (None if len(kg.edge_map) >= progress_module.LARGE else False)
    hook = on_chunk or _BarProgress(endpoint if isinstance(endpoint, str) else "the server", shown)
    onto = _ontology_lines(kg.schema) if ontology else []
    run = _Push(client, graph, hook, chunk_size, verify)
    run.schema_text = schema_json(kg.schema)
    try:
        run.preflight()
        if replace and atomic and run.head.current and run.head.digest:
            # (a version pushed without strengths, by a release before them, is pushed again to get them)
            if content_digest(kg, onto) == run.head.digest and (not kg.edge_map or run.has_strengths(run.head.current)):
                run.version = run.head.current  # kept: only leftovers of dead pushes go
                run.clean_up()
                return run.result(unchanged=True)
        if atomic:
            run.upload(kg, onto, replace)
        else:
            run.rewrite(kg, onto, replace)
    except BaseException as exc:
        note = run.abandon() if run.wrote else ""
        if isinstance(exc, EndpointError):
            state = ("is incomplete (atomic=False): push again to repair it" if run.in_place
                     else "is unchanged")
            raise EndpointError(f"push to {run.where} failed, <{graph}> {state}: {exc}{hint(exc.server_message)}{note}",
                                status=exc.status, url=exc.url, server_message=exc.server_message) from None
        raise
    finally:
        if isinstance(hook, _BarProgress):
            hook.close()
    if run.in_place and run.head.current:
        run.describe()
    else:
        run.switch()
    run.clean_up()
    return run.result()


class _Push:
    """The steps of one push, with their counts and timings."""

    def __init__(self, client: Client, graph: str, hook: ProgressHook, chunk_size: int, verify: bool):
        self.client, self.graph, self.hook, self.chunk_size, self.verify = client, graph, hook, chunk_size, verify
        self.where = client.endpoint.store or client.endpoint.update or client.endpoint.query
        self.head = Head(graph)
        self.version: str | None = None
        self.onto_graph: str | None = None
        # The version's strength graph (._rank), None when this push stores none (replace=False:
        # merged evidence has strengths the server cannot know, so queries rank in the client).
        self.strength: str | None = None
        self.digest: str | None = None
        self.schema_text: str | None = None  # the schema, for connect (None: the shipped one)
        self.counts: dict[str, int] = {}
        self.timings: dict[str, float] = {}
        self.chunks = 0
        self.start = time.monotonic()
        self.wrote = False  # True once the server has taken a write (the preflight's)
        self.in_place = False  # True once an atomic=False push has written into the current version
        self.adding = False  # True when an atomic=False push adds to what the version holds
        self.marked = False  # True once this push's pending mark is on the server
        self.server = ""  # its Server header
        self.old: list[str] = []  # graphs to delete after the switch

    def _step(self, name: str, since: float) -> float:
        now = time.monotonic()
        self.timings[name] = self.timings.get(name, 0.0) + now - since
        return now

    def _ask(self, text: str) -> bool:
        return self.client.ask(text)

    def preflight(self) -> None:
        """Who the server is, a tiny write (wrong credentials or a read-only server fail here,
        before any upload), and the head as it is."""
        server = self.server = adapt(self.client)
        self.where = self.client.endpoint.store or self.client.endpoint.update or self.client.endpoint.query
        self.client.update(f"DROP SILENT GRAPH <{self.graph}/version/{uuid.uuid4().hex}>")
        self.wrote = True
        self.uploader = _Uploader(self.client, bulk=server.startswith("Oxigraph/"))
        self.head = read_head(self.client, self.graph)

    def has_strengths(self, version: str) -> bool:
        """Whether ``version`` has its strength graph on the server."""
        return self._ask(f"ASK {{ GRAPH <{strength_graph_of(version)}> {{ ?s ?p ?o }} }}")

    def _new_version(self, onto: Sequence[str], replace: bool) -> None:
        self.version = f"{self.graph.rstrip('/')}/version/{uuid.uuid4().hex}"
        self.onto_graph = self.version + "/ontology" if onto else None
        self.strength = strength_graph_of(self.version) if replace else None
        self.client.update(f"INSERT DATA {{ GRAPH <{self.graph}> {{ <{self.graph}> <{PUSH_PENDING}> <{self.version}> }} }}")
        self.marked = True

    def _send(self, kg: "KnowledgeGraph", onto: Sequence[str]) -> None:
        t = time.monotonic()
        sent = 0
        plan = [(self.version, _data_chunks(kg, self.chunk_size))]
        if self.onto_graph:
            plan.append((self.onto_graph, _chunks(onto, self.chunk_size)))
        if self.strength:
            plan.append((self.strength, strength_chunks(kg, self.chunk_size)))
        workers = upload_workers(self.server) if self.uploader.protocol == "graph store" else 1
        with _Sender(self.uploader, workers) as send:
            for target, parts in plan:
                self.counts[target] = 0
                for chunk in parts:
                    for done in send(target, chunk):
                        sent += done
                        self.hook(sent, None)
                    self.counts[target] += len(chunk)
                    self.chunks += 1
            for done in send.finish():
                sent += done
                self.hook(sent, None)
        self.hook(sent, sent)
        self.digest = content_digest(kg, onto)
        t = self._step("upload", t)
        if self.verify:
            for target, _ in plan:
                held = _count(self.client, target) if self.counts[target] else 0
                # Added in place, the graph also holds what it held before: only a shortfall shows.
                if (held < self.counts[target]) if self.adding else (held != self.counts[target]):
                    raise EndpointError(f"the server holds {held} of the {self.counts[target]} triples sent "
                                        f"for <{target}>")
            self._step("verify", t)

    def upload(self, kg: "KnowledgeGraph", onto: Sequence[str], replace: bool) -> None:
        """Atomic mode, steps 3-4: everything into a new version no one reads yet."""
        self._new_version(onto, replace)
        self._send(kg, onto)
        if not replace:
            self.digest = None  # the new version is the old one and more: no digest of ours describes it
            t = time.monotonic()
            previous = self.head.current or (self.graph if self.head.own_data else None)
            if previous == self.graph:  # data of the layout before versions, beside the head's own triples
                self.client.update(f"INSERT {{ GRAPH <{self.version}> {{ ?s ?p ?o }} }} WHERE "
                                   f"{{ GRAPH <{previous}> {{ ?s ?p ?o FILTER(!STRSTARTS(STR(?p), \"{PUSH}\")) }} }}")
            elif previous:
                copy_graph(self.client, previous, self.version, server=self.server, check=self.verify)
            self._step("copy previous", t)

    def rewrite(self, kg: "KnowledgeGraph", onto: Sequence[str], replace: bool) -> None:
        """``atomic=False``: empty the current version (in slices), then upload straight into it."""
        if not self.head.current:
            self.upload(kg, onto, replace)  # nothing to rewrite: a first version, switched in
            return
        self.version = self.head.current
        self.onto_graph = (self.head.ontology or self.version + "/ontology") if onto else None
        self.strength = strength_graph_of(self.version) if replace else None
        self.in_place = True
        self.adding = not replace
        t = time.monotonic()
        if replace:
            for target in (self.version, self.head.ontology, self.strength):
                if target:
                    delete_graph(self.client, target, server=self.server)
        else:
            self.uploader.bulk = False  # the version is live: keep each chunk a transaction
            # Its strengths would miss the evidence merged now: dropped, queries rank in the client.
            delete_graph(self.client, strength_graph_of(self.version), server=self.server)
        self._step("delete previous", t)
        self._send(kg, onto)
        if not replace:
            self.digest = None
        if self.head.ontology and self.head.ontology != self.onto_graph:
            self.old.append(self.head.ontology)

    def _about(self) -> str:
        facts = [f"<{self.version}> <{PUSH_TRIPLES}> {self.counts.get(self.version, 0)}"]
        if self.onto_graph:
            facts.append(f"<{self.version}> <{PUSH_ONTOLOGY}> <{self.onto_graph}>")
        if self.digest:
            facts.append(f"<{self.version}> <{PUSH_DIGEST}> \"{self.digest}\"")
        if self.schema_text:
            facts.append(f"<{self.version}> <{PUSH_SCHEMA}> {literal_text(Lit(self.schema_text))}")
        return " . ".join(facts)

    def describe(self) -> None:
        """After an in-place rewrite: the version's description, replaced in one small update."""
        g, v = self.graph, self.version
        self.client.update(f"DELETE {{ GRAPH <{g}> {{ <{v}> ?p ?o }} }} INSERT {{ GRAPH <{g}> {{ {self._about()} }} }} "
                           f"WHERE {{ OPTIONAL {{ GRAPH <{g}> {{ <{v}> ?p ?o }} }} }}")

    def switch(self) -> None:
        """Step 5: one update moves the pointer (and only while this push's mark is there)."""
        t = time.monotonic()
        g, v = self.graph, self.version
        update = (f"DELETE {{ GRAPH <{g}> {{ <{g}> <{PUSH_CURRENT}> ?old . ?old ?p ?o . <{g}> <{PUSH_PENDING}> <{v}> }} }}\n"
                  f"INSERT {{ GRAPH <{g}> {{ <{g}> <{PUSH_CURRENT}> <{v}> . {self._about()} }} }}\n"
                  f"WHERE {{ GRAPH <{g}> {{ <{g}> <{PUSH_PENDING}> <{v}> "
                  f"OPTIONAL {{ <{g}> <{PUSH_CURRENT}> ?old OPTIONAL {{ ?old ?p ?o }} }} }} }}")
        try:
            # Not retried: a lost answer is checked below instead.
            self.client.update(update, retry=False)
        except EndpointError as exc:
            if exc.status is not None or not self._current_is_ours():
                if exc.status is None:
                    raise EndpointError(f"push failed at the final switch, <{g}> still shows its previous version "
                                        f"or shows the new one, never a mix: {exc}; the upload <{v}> may remain "
                                        f"(the next push deletes it)", url=exc.url) from None
                note = self.abandon()
                raise EndpointError(f"push failed at the final switch, <{g}> is unchanged: {exc}{note}",
                                    status=exc.status, url=exc.url, server_message=exc.server_message) from None
        if not self._current_is_ours():
            note = self.abandon()
            raise EndpointError(f"push to {self.where} failed, <{g}> is unchanged: another push to the same graph "
                                f"removed this push's upload before it was switched in{note}")
        self.marked = False
        self._step("switch", t)

    def _current_is_ours(self) -> bool:
        try:
            return self._ask(f"ASK {{ GRAPH <{self.graph}> {{ <{self.graph}> <{PUSH_CURRENT}> <{self.version}> }} }}")
        except EndpointError:
            return False

    def clean_up(self) -> None:
        """Step 6: the previous version, data the head held itself, and uploads of pushes that died."""
        t = time.monotonic()
        g = self.graph
        old = list(self.old)
        if self.head.current and self.head.current != self.version:
            old += [self.head.current, self.head.ontology or self.head.current + "/ontology",
                    strength_graph_of(self.head.current)]
        if self.head.own_data and self.version:
            old.append(strength_graph_of(g))  # the strengths beside data the head held itself
        for stale in self.head.pending:
            if stale == self.version:
                continue
            # Claim it first: once its mark is gone, that push can no longer switch it in.
            self.client.update(f"DELETE DATA {{ GRAPH <{g}> {{ <{g}> <{PUSH_PENDING}> <{stale}> }} }}")
            if not self._ask(f"ASK {{ GRAPH <{g}> {{ <{g}> <{PUSH_CURRENT}> <{stale}> }} }}"):
                log.info("deleting <%s>, the upload of an earlier push that did not finish", stale)
                old += [stale, stale + "/ontology", strength_graph_of(stale)]
        try:
            for graph in old:
                delete_graph(self.client, graph, server=self.server)
            if self.head.own_data and self.version:
                delete_graph(self.client, g, keep_head=True)
        except EndpointError as exc:
            log.warning("pushed, but the previous version could not be deleted (%s); remove it with: %s", exc,
                        " ; ".join(f"DROP SILENT GRAPH <{x}>" for x in old))
        self._step("clean up", t)

    def abandon(self) -> str:
        """After a failure: delete this push's upload and mark; a note for the message if that failed."""
        if self.in_place or not self.version:
            return ""
        graphs = [x for x in (self.version, self.onto_graph, self.strength) if x]
        try:
            self.client.update(f"DELETE DATA {{ GRAPH <{self.graph}> {{ <{self.graph}> <{PUSH_PENDING}> <{self.version}> }} }} ;\n"
                               + " ;\n".join(f"DROP SILENT GRAPH <{x}>" for x in graphs), retry=False)  # the caller's timeout
            return ""
        except EndpointError:
            return ("; the partial upload remains on the server (the next push to this graph deletes it), "
                    "or remove it with: " + " ; ".join(f"DROP SILENT GRAPH <{x}>" for x in graphs))

    def result(self, unchanged: bool = False) -> PushResult:
        version = self.head.current if unchanged else self.version
        onto = self.head.ontology if unchanged else self.onto_graph
        triples = (self.head.triples or 0) if unchanged else self.counts.get(self.version or "", 0)
        onto_triples = 0 if unchanged else self.counts.get(onto or "", 0)
        return PushResult(self.where, self.graph, onto, triples, onto_triples, self.chunks,
                          "unchanged" if unchanged else self.uploader.protocol, time.monotonic() - self.start,
                          dict(self.timings), version=version, unchanged=unchanged)
