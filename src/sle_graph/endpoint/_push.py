"""Publish a graph to a SPARQL 1.1 server: chunked upload into a temporary graph, then an atomic swap.

How a push runs
---------------
1. The data (canonical N-Triples of :func:`sle_graph.rdf.serialize`) goes in chunks of
   ``chunk_size`` triples to a fresh temporary named graph ``urn:sle-graph:push:<uuid>``, through
   the Graph Store Protocol (``POST``), or through SPARQL Update (``INSERT DATA``) when the
   server has no Graph Store Protocol (no store URL, or the first ``POST`` is refused with 404,
   405, 415 or 501). The ontology goes the same way to a second temporary graph.
2. The server is asked how many triples the temporary graph holds; a shortfall stops the push.
3. One SPARQL Update request swaps the temporary graphs in:
   ``DROP SILENT GRAPH <g> ; MOVE <tmp> TO <g> ; ...`` (with ``replace=False``: ``ADD``).
   SPARQL 1.1 Update says a request SHOULD be atomic; Oxigraph runs a whole request in one
   storage transaction, so readers see the previous graph or the new one, never a mix.

Until step 3 the target graph is untouched: a push that fails (server down, wrong credentials,
bad data) leaves the previous graph intact, and drops its temporary graphs when the server can
still be reached. Pushing twice leaves one copy: a graph is a set of triples, and ``replace``
swaps the whole graph. For the same reason a retried chunk never duplicates anything.
"""

from __future__ import annotations

import logging
import sys
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

from ..namespaces import BASE, SLEO
from ._http import Client, Endpoint, EndpointError

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import KnowledgeGraph
    from ..ontology import Schema

__all__ = ["push", "PushResult", "DEFAULT_GRAPH", "TEMP_PREFIX", "ontology_graph_of"]

log = logging.getLogger("sle_graph.endpoint")

#: The named graph a push writes the data to unless told otherwise.
DEFAULT_GRAPH = BASE + "graph"
#: Temporary graphs of unfinished pushes are named with this prefix.
TEMP_PREFIX = "urn:sle-graph:push:"
#: Answers to a Graph Store Protocol POST that mean "no Graph Store Protocol here".
_NO_GSP = frozenset({404, 405, 415, 501})

ProgressHook = Callable[[int, int], None]


@dataclass(frozen=True)
class PushResult:
    """What a push did: target graphs, triple counts, protocol used, seconds taken."""

    endpoint: str
    graph: str
    ontology_graph: str | None
    triples: int
    ontology_triples: int
    chunks: int
    protocol: str
    seconds: float

    def __str__(self) -> str:
        onto = f" and {self.ontology_triples} ontology triples to <{self.ontology_graph}>" if self.ontology_graph else ""
        return (f"pushed {self.triples} triples to <{self.graph}>{onto} at {self.endpoint} "
                f"in {self.chunks} chunk{'s' if self.chunks != 1 else ''} ({self.protocol}, {self.seconds:.1f} s)")


def ontology_graph_of(schema: "Schema", graph: str = DEFAULT_GRAPH) -> str:
    """The named graph that holds a schema's ontology: the ontology IRI itself (for a schema
    built without one, ``<graph>/ontology``)."""
    return schema.iri or graph.rstrip("/#") + "/ontology"


def _data_lines(kg: "KnowledgeGraph") -> list[str]:
    """The graph as sorted, distinct N-Triples lines."""
    from ..rdf import serialize

    text = serialize(kg, format="nt") or ""
    return sorted({line for line in text.splitlines() if line.strip()})


def _ontology_lines(schema: "Schema") -> list[str]:
    """The ontology as sorted N-Triples lines: the shipped ``ontology/sle_graph.ttl`` (what
    ``kg.to_rdf(include_ontology=True)`` adds) for the shipped schema; for a schema built in
    Python, its kinds and predicates with labels and the ``rdfs:subClassOf`` hierarchy."""
    import pyoxigraph as ox

    from .._resources import ontology_file
    from ..ontology import schema as default_schema
    from ..rdf_canonical import Lit, literal_text

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


def _check_graph_iri(graph: str, name: str = "graph") -> str:
    if not isinstance(graph, str) or ":" not in graph or any(c in graph for c in '<>"{}|^`\\ \n\t'):
        raise ValueError(f"{name} must be an absolute IRI such as {DEFAULT_GRAPH!r}, not {graph!r}")
    return graph


def _chunks(lines: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    """Consecutive slices of ``size`` lines; triples sharing a blank node stay in one slice.

    A blank-node label is local to one request, so splitting its triples over two requests
    would make two nodes of one. Canonical output uses IRIs, not blank nodes, so the rule
    rarely applies; when it does, everything goes in one request.
    """
    if any(" _:" in line or line.startswith("_:") for line in lines):
        yield lines
        return
    for start in range(0, len(lines), size):
        yield lines[start:start + size]


def _terminal_progress(sent: int, total: int) -> None:
    if sys.stderr.isatty():
        end = "\n" if sent >= total else ""
        print(f"\rsle-graph push: {sent:,} of {total:,} triples", end=end, file=sys.stderr, flush=True)


class _Uploader:
    """Adds N-Triples to a named graph: Graph Store Protocol, else SPARQL Update."""

    def __init__(self, client: Client):
        self.client = client
        self.protocol = "graph store" if client.endpoint.store else "update"

    def add(self, graph: str, lines: Sequence[str]) -> None:
        if not lines:
            return
        body = "\n".join(lines) + "\n"
        if self.protocol == "graph store":
            try:
                self.client.post_graph(graph, body.encode("utf-8"))
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


def push(kg: "KnowledgeGraph", endpoint: "str | Endpoint | Mapping[str, str]", *, graph: str = DEFAULT_GRAPH,
         replace: bool = True, auth: Any = None, ontology: bool = True, ontology_graph: str | None = None,
         chunk_size: int = 50_000, on_chunk: ProgressHook | None = None, verify: bool = True,
         timeout: float = 120.0, retries: int = 4) -> PushResult:
    """Publish ``kg`` to a SPARQL 1.1 server (``kg.push(endpoint, ...)``).

    The data goes to the named graph ``graph``, the ontology to its own named graph (the
    ontology IRI, or ``ontology_graph``), so queries on the server resolve sub-kinds through
    ``rdfs:subClassOf``. ``replace=True`` replaces what the graph held; ``False`` adds to it.
    ``auth``: ``(user, password)`` for basic authentication, or a bearer token string.
    ``endpoint``: a URL (see :meth:`Endpoint.parse` for the forms of common servers) or an
    :class:`Endpoint`.

    Large graphs go in chunks of ``chunk_size`` triples; ``on_chunk(sent, total)`` is called
    after each (by default a progress line on a terminal's stderr). A failed push raises
    :class:`EndpointError` and leaves the previous graph as it was (see the module docstring).
    ``timeout`` is per request, in seconds; connection errors and 5xx answers are retried
    ``retries`` times with back-off.

    >>> import sle_graph
    >>> sle_graph.load().push("http://127.0.0.1:9", retries=0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sle_graph.endpoint.EndpointError: push to http://127.0.0.1:9/store failed, <...> is unchanged: ...
    """
    graph = _check_graph_iri(graph)
    onto_graph = (_check_graph_iri(ontology_graph or ontology_graph_of(kg.schema, graph), "ontology_graph")
                  if ontology else None)
    if onto_graph == graph:
        raise ValueError("graph and ontology_graph must differ: the ontology goes to its own named graph")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int, got {chunk_size!r}")
    client = Client(endpoint, auth, timeout=timeout, retries=retries)
    hook = on_chunk or _terminal_progress
    start = time.monotonic()

    data = _data_lines(kg)
    onto = _ontology_lines(kg.schema) if onto_graph else []
    tmp = TEMP_PREFIX + uuid.uuid4().hex
    plan = [(graph, tmp, data)] + ([(onto_graph, tmp + ":ontology", onto)] if onto_graph else [])
    uploader = _Uploader(client)
    total = len(data) + len(onto)
    sent = chunks = 0
    where = client.endpoint.store or client.endpoint.update or client.endpoint.query
    try:
        # A tiny write first: wrong credentials or a read-only server fail here, before any upload.
        client.update(f"DROP SILENT GRAPH <{tmp}>")
        for _, temp, lines in plan:
            for chunk in _chunks(lines, chunk_size):
                uploader.add(temp, chunk)
                sent += len(chunk)
                chunks += 1
                hook(sent, total)
        if verify:
            for target, temp, lines in plan:
                held = _count(client, temp) if lines else 0
                if held != len(lines):
                    raise EndpointError(f"the server holds {held} of the {len(lines)} triples sent to the "
                                        f"temporary graph for <{target}>; nothing was replaced")
    except BaseException as exc:
        note = _drop_temporaries(client, [temp for _, temp, lines in plan])
        if isinstance(exc, EndpointError):
            raise EndpointError(f"push to {where} failed, <{graph}> is unchanged: {exc}{note}",
                                status=exc.status, url=exc.url, server_message=exc.server_message) from None
        raise
    _swap(client, plan, replace)
    return PushResult(where, graph, onto_graph, len(data), len(onto), chunks, uploader.protocol,
                      time.monotonic() - start)


def _drop_temporaries(client: Client, temps: Iterable[str]) -> str:
    """Drop the temporary graphs of a failed push; a note for the error message if that failed."""
    temps = list(temps)
    try:
        client.update(" ;\n".join(f"DROP SILENT GRAPH <{t}>" for t in temps), retry=False, timeout=10)
        return ""
    except EndpointError:
        return ("; temporary graphs may remain on the server, remove them with: "
                + " ; ".join(f"DROP SILENT GRAPH <{t}>" for t in temps))


def _swap(client: Client, plan: list[tuple[str, str, list[str]]], replace: bool) -> None:
    """Move the temporary graphs onto their targets in one (atomic) update request."""
    ops = []
    for target, temp, lines in plan:
        if replace:
            ops.append(f"DROP SILENT GRAPH <{target}>")
            if lines:
                ops.append(f"MOVE <{temp}> TO <{target}>")
        elif lines:
            ops += [f"ADD <{temp}> TO <{target}>", f"DROP SILENT GRAPH <{temp}>"]
    try:
        # Not retried: if the answer was lost after the server committed, a second MOVE would fail.
        client.update(" ;\n".join(ops), retry=False)
    except EndpointError as exc:
        if exc.status is None and _swapped(client, plan):
            return  # committed; only the answer was lost
        note = _drop_temporaries(client, [temp for _, temp, _ in plan]) if exc.status is not None else (
            "; the server went away during the final swap: each target graph holds either its previous "
            "or its new content, never a mix (the swap is one update request)")
        target = plan[0][0]
        raise EndpointError(f"push failed at the final swap into <{target}>: {exc}{note}", status=exc.status,
                            url=exc.url, server_message=exc.server_message) from None


def _swapped(client: Client, plan: list[tuple[str, str, list[str]]]) -> bool:
    """After a lost answer: did the swap commit (temporary graphs gone, targets full)?"""
    try:
        return all(_count(client, temp) == 0 and _count(client, target) >= len(lines)
                   for target, temp, lines in plan)
    except EndpointError:
        return False
