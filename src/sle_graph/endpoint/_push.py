"""Publish a graph to a SPARQL 1.1 server: chunked upload into a temporary graph, then an atomic swap.

How a push runs
---------------
1. A tiny update (``DROP SILENT`` of a graph that does not exist) checks the credentials and
   that the server takes writes, before anything is uploaded.
2. The data (canonical N-Triples of :mod:`sle_graph.rdf`, streamed, never held as one text) goes
   in chunks of ``chunk_size`` triples to a fresh temporary named graph
   ``urn:sle-graph:push:<uuid>``, through the Graph Store Protocol (``POST``), or through SPARQL
   Update (``INSERT DATA``) when the server has no Graph Store Protocol (no store URL, or the
   first ``POST`` is refused with 404, 405, 415 or 501). The ontology goes the same way to a
   second temporary graph. On Oxigraph (told by its ``Server`` header) the temporary graphs take
   its bulk loader (``no_transaction``): about twice as fast, and no one else reads them.
3. The server is asked how many triples each temporary graph holds; a shortfall stops the push.
4. One SPARQL Update request swaps the new content in. For an empty target:
   ``ADD <tmp> TO <g>``; for a target with content, only the difference is written:
   ``DELETE`` what the new graph lacks, ``INSERT`` what the old one lacks (so re-pushing an
   unchanged graph writes nothing). SPARQL 1.1 Update says a request SHOULD be atomic, and
   Oxigraph runs a whole request in one storage transaction, so readers see the previous graph
   or the new one, never a mix.
5. The temporary graphs are deleted, in slices (one huge delete is one huge transaction).

Until step 4 the target graph is untouched: a push that fails (server down, wrong credentials,
bad data) leaves the previous graph intact, and drops its temporary graphs when the server can
still be reached. Pushing twice leaves one copy: a graph is a set of triples. For the same
reason a retried chunk never duplicates anything.

Cost. Atomicity has a price on the server: there is no graph rename in SPARQL 1.1, so the swap
copies the new triples inside one transaction, whose memory grows with the graph (Oxigraph holds
a transaction in memory: it copies about 10k triples/s on this machine, a 100k-edge graph being
1.8M triples). For graphs too large for that, ``atomic=False`` deletes the old content and
uploads straight into the target (bulk loader on Oxigraph): much faster, but a failed push then
leaves the target incomplete (the error says so; pushing again repairs it).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

from .._resources import ontology_file
from ..errors import InvalidArgument
from ..ontology import schema as default_schema
from .. import progress as progress_module
from ..progress import bar
from ..rdf.canonical import Lit, literal_text, ntriples_chunks
from ..rdf.write import blocks
from ..vocab import BASE, SLEO
from ._http import Client, Endpoint, EndpointError
from ._rank import strength_chunks, strength_graph_of

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import KnowledgeGraph
    from ..ontology import Schema

__all__ = ["push", "PushResult", "DEFAULT_GRAPH", "TEMP_PREFIX", "ontology_graph_of", "check_graph_iri"]

log = logging.getLogger("sle_graph.endpoint")

#: The named graph a push writes the data to unless told otherwise.
DEFAULT_GRAPH = BASE + "graph"
#: Temporary graphs of unfinished pushes are named with this prefix.
TEMP_PREFIX = "urn:sle-graph:push:"
#: Answers to a Graph Store Protocol POST that mean "no Graph Store Protocol here".
_NO_GSP = frozenset({404, 405, 415, 501})

ProgressHook = Callable[[int, int], None]
#: What an IRI written ``<...>`` in SPARQL may not hold, besides controls and spaces (IRIREF).
_NOT_IN_IRI = frozenset('<>"{}|^`\\')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class PushResult:
    """What a push did: target graphs, triple counts, protocol used, seconds taken.

    What :meth:`KnowledgeGraph.push` returns; ``str()`` says it in a sentence.

    Parameters
    ----------
    endpoint : str
        The server's query URL.
    graph : str
        The named graph the data went to.
    ontology_graph : str or None
        The named graph the ontology went to; None when it was not pushed.
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

    def __str__(self) -> str:
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
    return sorted(lines)


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


def _count(client: Client, graph: str) -> int:
    rows = client.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"]["value"]) if rows else 0


def _has_triples(client: Client, graph: str) -> bool:
    return bool(client.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").json()["boolean"])


def delete_graph(client: Client, graph: str, *, slice_size: int = 200_000) -> None:
    """Delete a named graph in slices of ``slice_size`` triples, then drop it.

    ``DROP GRAPH`` is one transaction however large the graph; slices keep each one bounded.
    """
    while _has_triples(client, graph):
        client.update(f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ {{ SELECT ?s ?p ?o WHERE "
                      f"{{ GRAPH <{graph}> {{ ?s ?p ?o }} }} LIMIT {slice_size} }} }}")
    client.update(f"DROP SILENT GRAPH <{graph}>")


def _swap_request(target: str, temp: str, replace: bool, target_empty: bool) -> list[str]:
    """Update operations that make ``target`` hold the temporary graph's triples (or add them)."""
    if not replace:
        return [f"ADD SILENT <{temp}> TO <{target}>"]
    if target_empty:  # (the DROP is cheap, and keeps this a replace if someone wrote in between)
        return [f"DROP SILENT GRAPH <{target}>", f"ADD SILENT <{temp}> TO <{target}>"]
    # Only the difference is written: an unchanged graph costs two scans and no writes.
    return [
        f"DELETE {{ GRAPH <{target}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH <{temp}> {{ ?s ?p ?o }} }} }}",
        f"INSERT {{ GRAPH <{target}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{temp}> {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH <{target}> {{ ?s ?p ?o }} }} }}",
    ]


def push(kg: "KnowledgeGraph", endpoint: "str | Endpoint | Mapping[str, str]", *, graph: str = DEFAULT_GRAPH,
         replace: bool = True, auth: Any = None, ontology: bool = True, ontology_graph: str | None = None,
         atomic: bool = True, chunk_size: int = 50_000, on_chunk: ProgressHook | None = None,
         verify: bool = True, timeout: float = 600.0, retries: int = 4,
         progress: bool | None = None) -> PushResult:
    """Publish ``kg`` to a SPARQL 1.1 server; :meth:`KnowledgeGraph.push` calls it.

    The data goes to the named graph ``graph``, the ontology to its own named graph, so queries
    on the server resolve sub-kinds through ``rdfs:subClassOf``. With ``atomic=True`` a failed
    push leaves the previous graph as it was, and readers never see a half-pushed graph (see
    :mod:`sle_graph.endpoint` for how, and what it costs the server).

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph to push.
    endpoint : str, Endpoint or mapping
        The server's URL (see :meth:`Endpoint.parse` for the forms of common servers), an
        :class:`Endpoint`, or its ``query``, ``update`` and ``store`` URLs.
    graph : str, default DEFAULT_GRAPH
        The named graph the data goes to.
    replace : bool, default True
        Replace what the named graph held; ``False`` adds to it.
    auth : tuple of str, str, BasicAuth or BearerAuth, optional
        ``(user, password)`` for basic authentication, or a bearer token.
    ontology : bool, default True
        Also push the ontology.
    ontology_graph : str, optional
        The ontology's named graph; the ontology's IRI by default.
    atomic : bool, default True
        A failed push leaves the target as it was; ``False`` is faster for very large graphs, but
        a failed push leaves the target incomplete.
    chunk_size : int, default 50000
        Triples per request, streamed from the export.
    on_chunk : callable, optional
        Called as ``on_chunk(sent, total)`` after each chunk (``total`` is None until the whole
        graph is serialized); by default a progress bar for large graphs.
    verify : bool, default True
        Count the triples on the server before the swap.
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
    onto_graph = (check_graph_iri(ontology_graph or ontology_graph_of(kg.schema, graph), "ontology_graph")
                  if ontology else None)
    if onto_graph == graph:
        raise InvalidArgument("graph and ontology_graph must differ: the ontology goes to its own named graph")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise InvalidArgument(f"chunk_size must be a positive int, got {chunk_size!r}")
    client = Client(endpoint, auth, timeout=timeout, retries=retries)
    # By default a bar of the triples sent, on a terminal or in a notebook, for large graphs
    # (progress=True: any graph; False: none); on_chunk replaces it.
    shown = progress if progress is not None else (None if len(kg.edge_map) >= progress_module.LARGE else False)
    hook = on_chunk or _BarProgress(endpoint if isinstance(endpoint, str) else "the server", shown)
    run = _Push(client, hook, chunk_size, verify)
    tmp = TEMP_PREFIX + uuid.uuid4().hex
    onto = _ontology_lines(kg.schema) if onto_graph else []
    plan = [(graph, tmp if atomic else graph, _data_chunks(kg, chunk_size))]
    if onto_graph:
        plan.append((onto_graph, tmp + ":ontology" if atomic else onto_graph, _chunks(onto, chunk_size)))
    # Each statement's strength, for ranking on the server (._rank), in a graph of its own.
    strength = check_graph_iri(strength_graph_of(graph))
    if replace:
        plan.append((strength, tmp + ":strength" if atomic else strength, strength_chunks(kg, chunk_size)))
    try:
        if atomic:
            run.upload(plan, tmp)
        else:
            run.upload_in_place(plan, replace)
        if not replace:  # merged evidence has strengths the server cannot know: queries rank in the client
            client.update(f"DROP SILENT GRAPH <{strength}>")
    except BaseException as exc:
        # Before the preflight's write succeeded nothing was written: no temporary graph to drop.
        note = (_drop_temporaries(client, [temp for target, temp, _ in plan if temp != target])
                if run.wrote else "")
        if isinstance(exc, EndpointError):
            state = ("is unchanged" if atomic or not run.wrote
                     else "is incomplete (atomic=False): push again to repair it")
            raise EndpointError(f"push to {run.where} failed, <{graph}> {state}: {exc}{note}",
                                status=exc.status, url=exc.url, server_message=exc.server_message) from None
        raise
    if atomic:
        run.swap([(target, temp) for target, temp, _ in plan], replace)
    return PushResult(run.where, graph, onto_graph, run.counts[plan[0][1]], len(onto), run.chunks,
                      run.uploader.protocol, time.monotonic() - run.start, dict(run.timings))


class _Push:
    """The steps of one push, with their counts and timings."""

    def __init__(self, client: Client, hook: ProgressHook, chunk_size: int, verify: bool):
        self.client, self.hook, self.chunk_size, self.verify = client, hook, chunk_size, verify
        self.uploader = _Uploader(client)
        self.where = client.endpoint.store or client.endpoint.update or client.endpoint.query
        self.counts: dict[str, int] = {}
        self.timings: dict[str, float] = {}
        self.chunks = 0
        self.start = time.monotonic()
        self.wrote = False  # True once the server has taken a write (the preflight's)

    def _step(self, name: str, since: float) -> float:
        now = time.monotonic()
        self.timings[name] = self.timings.get(name, 0.0) + now - since
        return now

    def _preflight(self, probe: str) -> None:
        """A tiny write: wrong credentials or a read-only server fail here, before any upload."""
        server = self.client.update(f"DROP SILENT GRAPH <{probe}>").server
        self.wrote = True
        # Graphs no one reads yet can take Oxigraph's bulk loader.
        self.uploader.bulk = server.startswith("Oxigraph/")

    def _send(self, plan: list[tuple[str, str, Iterable[Sequence[str]]]]) -> None:
        t = time.monotonic()
        sent = 0
        try:
            for _, temp, parts in plan:
                self.counts[temp] = 0
                for chunk in parts:
                    self.uploader.add(temp, chunk)
                    self.counts[temp] += len(chunk)
                    sent += len(chunk)
                    self.chunks += 1
                    self.hook(sent, None)
            self.hook(sent, sent)
        finally:
            if isinstance(self.hook, _BarProgress):
                self.hook.close()
        t = self._step("upload", t)
        if self.verify:
            for target, temp, _ in plan:
                held = _count(self.client, temp) if self.counts[temp] else 0
                if held != self.counts[temp]:
                    raise EndpointError(f"the server holds {held} of the {self.counts[temp]} triples sent "
                                        f"for <{target}>")
            self._step("verify", t)

    def upload(self, plan: list, probe: str) -> None:
        """Atomic mode, steps 1-3: everything into temporary graphs."""
        self._preflight(probe)
        self._send(plan)

    def upload_in_place(self, plan: list, replace: bool) -> None:
        """``atomic=False``: empty the targets (in slices), then upload straight into them."""
        self._preflight(TEMP_PREFIX + uuid.uuid4().hex)
        t = time.monotonic()
        if replace:
            for target, _, _ in plan:
                delete_graph(self.client, target)
        else:
            self.uploader.bulk = False  # the target is live: keep each chunk a transaction
        self._step("delete previous", t)
        self._send(plan)

    def swap(self, pairs: list[tuple[str, str]], replace: bool) -> None:
        """Step 4 (one update request), then step 5."""
        t = time.monotonic()
        ops = []
        for target, temp in pairs:
            ops += _swap_request(target, temp, replace, replace and not _has_triples(self.client, target))
        try:
            # Not retried: a lost answer after the server committed is checked below instead.
            self.client.update(" ;\n".join(ops), retry=False)
        except EndpointError as exc:
            if exc.status is None and "no answer within" not in str(exc) and self._swapped(pairs):
                pass  # committed; only the answer was lost
            else:
                self._swap_failed(exc, pairs)
        t = self._step("swap", t)
        for _, temp in pairs:
            try:
                delete_graph(self.client, temp)
            except EndpointError as exc:
                log.warning("pushed, but the temporary graph <%s> could not be deleted (%s); "
                            "remove it with: DROP SILENT GRAPH <%s>", temp, exc, temp)
        self._step("clean up", t)

    def _swap_failed(self, exc: EndpointError, pairs: list[tuple[str, str]]) -> None:
        target = pairs[0][0]
        if exc.status is not None:
            note = _drop_temporaries(self.client, [temp for _, temp in pairs])
            state = "is unchanged"
        elif "no answer within" in str(exc):
            note = ("; the server may still be running the swap: each target graph will hold either its "
                    "previous or its new content, never a mix (the swap is one update request). Raise "
                    "timeout=, or use atomic=False for graphs this large")
            state = "may or may not be replaced"
        else:
            note = ("; the server went away during the swap: each target graph holds either its previous "
                    "or its new content, never a mix (the swap is one update request)")
            state = "may or may not be replaced"
        raise EndpointError(f"push failed at the final swap, <{target}> {state}: {exc}{note}", status=exc.status,
                            url=exc.url, server_message=exc.server_message) from None

    def _swapped(self, pairs: list[tuple[str, str]]) -> bool:
        """After a lost answer: did the swap commit (target holds every triple of its temp graph)?"""
        try:
            return all(not self.client.query(
                f"ASK {{ GRAPH <{temp}> {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH <{target}> {{ ?s ?p ?o }} }} }}"
            ).json()["boolean"] for target, temp in pairs)
        except EndpointError:
            return False


def _drop_temporaries(client: Client, temps: Iterable[str]) -> str:
    """Drop the temporary graphs of a failed push; a note for the error message if that failed."""
    temps = list(temps)
    if not temps:
        return ""
    try:
        client.update(" ;\n".join(f"DROP SILENT GRAPH <{t}>" for t in temps), retry=False)  # the caller's timeout
        return ""
    except EndpointError:
        return ("; temporary graphs may remain on the server, remove them with: "
                + " ; ".join(f"DROP SILENT GRAPH <{t}>" for t in temps))
