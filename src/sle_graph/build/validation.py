"""Schema validation of node and assertion records, before any graph is built.

Checks every record and collects every problem: identifiers, kinds, labels, mappings (shape,
prefix, one node per CURIE), predicates, dangling references, domain and range (sub-kinds
allowed), evidence (a known source, consistent offsets, the quote really at those offsets when
the source text is at hand). Conflicts with an existing graph are checked too when extending.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

from ..errors import Problem, suggest
from ..model import STANCES, Edge, Evidence, Node
from ..vocab import is_curie, prefixes
from ..ontology import Schema, modalities
from .records import AssertionRecord, NodeRecord

__all__ = ["ID_PATTERN", "check_records", "check_quote", "check_reference", "evidence_kinds"]

#: Node ids: no white space, no characters that break an IRI or a CURIE.
#:
#: Examples
#: --------
#: >>> from sle_graph.build.validation import ID_PATTERN
#: >>> bool(ID_PATTERN.match("msc_therapy")), bool(ID_PATTERN.match("msc therapy"))
#: (True, False)
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:~-]*$")

#: Which kind of node an evidence record's ``source`` must name, by the record's kind.
#:
#: Examples
#: --------
#: >>> from sle_graph import Evidence
#: >>> from sle_graph.build.validation import evidence_kinds
#: >>> evidence_kinds[Evidence("kamen2022", finding="remission").kind]
#: 'Study'
evidence_kinds = {"quote": "SourceDocument", "study": "Study"}


def check_quote(evidence: Evidence, text: str) -> str | None:
    """Why ``evidence``'s quote is not at its offsets in ``text``, or None when it is.

    Parameters
    ----------
    evidence : Evidence
        An evidence record; one without a quote or offsets passes.
    text : str
        The text of the record's source document.

    Returns
    -------
    str or None
        The problem (the quote's true offsets when it is elsewhere in the text), or None.

    Examples
    --------
    >>> from sle_graph import Evidence
    >>> text = "MSCs suppress T cells."
    >>> check_quote(Evidence("doc", quote="suppress", start=5, end=13), text) is None
    True
    >>> check_quote(Evidence("doc", quote="suppress", start=0, end=8), text)
    "quote is not at start=0, end=8 of 'doc'; it is at start=5, end=13"
    """
    if evidence.start is None or evidence.end is None or evidence.quote is None:
        return None
    if text[evidence.start:evidence.end] == evidence.quote:
        return None
    found = text.find(evidence.quote)
    if found < 0:
        return f"quote not found in source {evidence.source!r}: {evidence.quote[:60]!r}"
    return (f"quote is not at start={evidence.start}, end={evidence.end} of {evidence.source!r}; "
            f"it is at start={found}, end={found + len(evidence.quote)}")


_PMID = re.compile(r"^PMID:\s*\d{1,9}$", re.IGNORECASE)
_DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+$", re.IGNORECASE)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def check_reference(reference: str) -> str | None:
    """Why a reference is malformed, or None.

    A PubMed id, a DOI and a URL are checked for their shape; anything else is free text (a
    citation) and accepted. A ``|``-separated list is checked item by item.

    Parameters
    ----------
    reference : str
        A reference: ``PMID:<digits>``, a DOI, a URL or a citation.

    Returns
    -------
    str or None
        The problem of the first malformed item, or None.

    Examples
    --------
    >>> check_reference("PMID:19489103"), check_reference("doi:10.1002/stem.68")
    (None, None)
    >>> check_reference("https://example.org/a paper")
    "malformed URL 'https://example.org/a paper': a URL (IRI) cannot contain spaces"
    >>> check_reference("PMID:26634245|PMID:26634244") is None
    True
    >>> check_reference("PMID: 12ab")
    "malformed PubMed id 'PMID: 12ab': expected PMID:<digits>"
    """
    if "|" in reference:  # a list, as KGX publications are
        return next(filter(None, (check_reference(part) for part in reference.split("|") if part.strip())), None)
    text = reference.strip()
    if not text:
        return "empty reference"
    if text.upper().startswith("PMID"):
        return None if _PMID.match(text) else f"malformed PubMed id {text!r}: expected PMID:<digits>"
    if text.lower().startswith(("doi:", "10.", "https://doi.org/", "http://doi.org/", "https://dx.doi.org/")):
        return None if _DOI.match(text) else f"malformed DOI {text!r}: expected 10.<registrant>/<suffix>"
    if _URL.match(text):
        from urllib.parse import urlsplit

        if any(c.isspace() for c in text):
            return f"malformed URL {text!r}: a URL (IRI) cannot contain spaces"
        if any(c in text for c in '<>"{}\\^`'):
            return f"malformed URL {text!r}: a URL (IRI) cannot contain <, >, \", {{, }}, \\, ^ or `"
        try:
            host = urlsplit(text).netloc
        except ValueError:
            host = ""
        if not host:
            return f"malformed URL {text!r}: no host"
    return None


def _check_node(node: Node, where, schema: Schema, require_definition: bool,
                problems: list[Problem]) -> None:
    if not ID_PATTERN.match(node.id):
        problems.append(where.problem(f"malformed id {node.id!r}: use letters, digits, '_', '-', '.', ':'",
                                      column="id"))
    if node.kind not in schema.kinds:
        problems.append(where.problem(f"unknown kind {node.kind!r}", column="kind",
                                      suggestion=suggest(node.kind, schema.kinds)
                                      or "kinds: " + ", ".join(schema.kinds)))
    if not node.label.strip():
        problems.append(where.problem(f"node {node.id!r} has no label", column="label"))
    if require_definition and not node.definition.strip():
        problems.append(where.problem(f"node {node.id!r} has no definition", column="definition"))
    for column, curies in (("exact_mappings", node.exact_mappings), ("close_mappings", node.close_mappings)):
        for curie in curies:
            if not is_curie(curie):
                problems.append(where.problem(f"malformed CURIE {curie!r}: expected PREFIX:LOCAL with no spaces",
                                              column=column))
            elif curie.split(":", 1)[0] not in prefixes():
                prefix = curie.split(":", 1)[0]
                problems.append(where.problem(f"unknown CURIE prefix {prefix!r} in {curie!r}", column=column,
                                              suggestion=suggest(prefix, prefixes())
                                              or "known prefixes: " + ", ".join(sorted(prefixes()))))


def check_records(
    node_records: Iterable[NodeRecord],
    assertion_records: Iterable[AssertionRecord],
    schema: Schema,
    *,
    existing_nodes: Mapping[str, Node] | None = None,
    existing_edges: Mapping[tuple[str, str, str], Edge] | None = None,
    sources: Mapping[str, str] | None = None,
    require_definition: bool = True,
) -> tuple[dict[str, Node], dict[tuple[str, str, str], Edge], list[Problem]]:
    """Validate records; return the new nodes, the merged edges, and every problem found.

    Parameters
    ----------
    node_records : iterable of NodeRecord
        The nodes, each with the file and line it came from.
    assertion_records : iterable of AssertionRecord
        The assertions (one evidence record each), each with its file and line.
    schema : Schema
        The kinds and predicates allowed, with the domain and range of each predicate.
    existing_nodes : mapping of str to Node, optional
        The nodes of a graph being extended: records may refer to them and must not contradict
        them.
    existing_edges : mapping of tuple to Edge, optional
        The edges of a graph being extended, by (subject, predicate, object): evidence on one of
        them is added to it.
    sources : mapping of str to str, optional
        Document id -> its text, to check that quotes are at their offsets.
    require_definition : bool, default True
        Whether a node without a definition is a problem.

    Returns
    -------
    tuple of (dict, dict, list of Problem)
        The new nodes by id, the edges by (subject, predicate, object) with their evidence
        merged, and every problem found, each naming its file, line and column. Nothing is
        raised: the caller decides.

    Examples
    --------
    >>> from sle_graph import Evidence, Node
    >>> from sle_graph.build.records import AssertionRecord, NodeRecord, Where
    >>> from sle_graph.ontology import schema
    >>> here = Where("entities.tsv", 2)
    >>> nodes = [NodeRecord(Node("msc", "Therapy", "MSC therapy", definition="A therapy."), here),
    ...          NodeRecord(Node("sle", "Disease", "SLE", definition="A disease."), here)]
    >>> ev = Evidence("paper", reference="PMID:19489103")
    >>> new, edges, problems = check_records(
    ...     nodes, [AssertionRecord("msc", "treats", "sle", ev, Where("assertions.tsv", 2)),
    ...             AssertionRecord("msc", "treats", "lupus", ev, Where("assertions.tsv", 3))],
    ...     schema())
    >>> sorted(new), list(edges)
    (['msc', 'sle'], [('msc', 'treats', 'sle')])
    >>> [(p.line, p.message) for p in problems]
    [(3, "dangling reference: no node with id 'lupus'")]
    """
    problems: list[Problem] = []
    existing_nodes = existing_nodes or {}
    nodes: dict[str, Node] = {}
    first_seen: dict[str, object] = {}
    curie_owner: dict[str, str] = {}
    for n in existing_nodes.values():
        for curie in n.mappings:
            curie_owner[curie] = n.id

    for rec in node_records:
        node, where = rec.node, rec.where
        _check_node(node, where, schema, require_definition, problems)
        if node.id in nodes:
            w = first_seen[node.id]
            problems.append(where.problem(f"duplicate id {node.id!r}", column="id",
                                          suggestion=f"first defined at {w.file}:{w.line}"))
            continue
        old = existing_nodes.get(node.id)
        if old is not None and (old.kind != node.kind or old.label != node.label):
            problems.append(where.problem(
                f"id {node.id!r} already names {old.label!r} ({old.kind}) in the graph, not "
                f"{node.label!r} ({node.kind})", column="id", suggestion="choose another id"))
            continue
        for curie in node.mappings:
            owner = curie_owner.get(curie)
            if owner is not None and owner != node.id:
                problems.append(where.problem(f"mapping {curie} is already used by node {owner!r}",
                                              column="mappings",
                                              suggestion=f"describe the concept once, as {owner!r}"))
            curie_owner.setdefault(curie, node.id)
        nodes[node.id] = node
        first_seen[node.id] = where

    def lookup(node_id: str) -> Node | None:
        return nodes.get(node_id) or existing_nodes.get(node_id)

    all_ids = list(nodes) + [i for i in existing_nodes if i not in nodes]
    evidence_by_key: dict[tuple[str, str, str], list[Evidence]] = {}
    allowed: dict[tuple[str, str, str], bool] = {}
    quote_modality: dict[tuple, str] = {}
    for rec in assertion_records:
        where, ok = rec.where, True
        if rec.predicate not in schema.predicates:
            problems.append(where.problem(f"unknown predicate {rec.predicate!r}", column="predicate",
                                          suggestion=suggest(rec.predicate, schema.predicates)
                                          or "predicates: " + ", ".join(schema.predicates)))
            ok = False
        ends = {}
        for column, ref in (("subject", rec.subject), ("object", rec.object)):
            n = lookup(ref)
            if n is None:
                problems.append(where.problem(f"dangling reference: no node with id {ref!r}", column=column,
                                              suggestion=suggest(ref, all_ids)))
                ok = False
            ends[column] = n
        if ok and (ends["subject"].kind not in schema.kinds or ends["object"].kind not in schema.kinds):
            ok = False  # the unknown kind is reported once, on its node, not once per edge
        elif ok and not _allows(allowed, schema, rec.predicate, ends["subject"].kind, ends["object"].kind):
            p = schema.predicates[rec.predicate]
            problems.append(where.problem(
                f"{rec.predicate} expects {' or '.join(sorted(p.domain))} -> {' or '.join(sorted(p.range))}, "
                f"got {rec.subject!r} ({ends['subject'].kind}) -> {rec.object!r} ({ends['object'].kind})",
                column="predicate"))
            ok = False
        if not _check_evidence(rec.evidence, where, lookup, sources, problems):
            ok = False
        if ok and rec.evidence.modality is not None and not _one_modality(
                rec, quote_modality, (existing_edges or {}).get((rec.subject, rec.predicate, rec.object)), problems):
            ok = False
        if ok:
            evidence_by_key.setdefault((rec.subject, rec.predicate, rec.object), []).append(rec.evidence)

    edges: dict[tuple[str, str, str], Edge] = {}
    for key, evs in evidence_by_key.items():
        old_edge = (existing_edges or {}).get(key)
        if old_edge is None and len(evs) == 1:  # the common case of large imports: nothing to pool
            edges[key] = Edge(*key, evidence=(evs[0],))
            continue
        merged = set(evs) | set(old_edge.evidence if old_edge else ())
        edges[key] = Edge(*key, evidence=tuple(sorted(merged, key=Evidence.sort_key)))
    return nodes, edges, problems


def _allows(cache: dict[tuple[str, str, str], bool], schema: Schema, predicate: str, subject_kind: str,
            object_kind: str) -> bool:
    key = (predicate, subject_kind, object_kind)
    found = cache.get(key)
    if found is None:
        found = cache[key] = schema.allows(predicate, subject_kind, object_kind)
    return found


def _one_modality(rec: AssertionRecord, seen: dict[tuple, str], old_edge: Edge | None,
                  problems: list[Problem]) -> bool:
    """One quote, one modality: the same words on the same edge judged twice must agree."""
    key = (rec.subject, rec.predicate, rec.object)
    ev = rec.evidence
    if old_edge is not None and (key, None) not in seen:
        seen[key, None] = ""  # the existing edge's quotes are registered once
        for old in old_edge.evidence:
            if old.modality is not None:
                seen.setdefault((key, old.source, old.start, old.end, old.quote), old.modality)
    found = seen.setdefault((key, ev.source, ev.start, ev.end, ev.quote), ev.modality or "")
    if found != ev.modality:
        problems.append(rec.where.problem(
            f"the quote at {ev.source} [{ev.start}:{ev.end}] already backs {rec.subject} -{rec.predicate}-> "
            f"{rec.object} with modality {found!r}, not {ev.modality!r}", column="modality",
            suggestion="one quote has one modality: keep one of the two"))
        return False
    return True


def _check_evidence(ev: Evidence, where, lookup, sources, problems: list[Problem]) -> bool:
    ok = True
    if ev.stance not in STANCES:
        problems.append(where.problem(f"unknown stance {ev.stance!r}", column="stance",
                                      suggestion=suggest(ev.stance, STANCES) or "stances: " + ", ".join(STANCES)))
        ok = False
    if ev.modality is not None:
        known = modalities()
        if ev.kind != "quote":
            problems.append(where.problem(
                f"modality {ev.modality!r} on a {ev.kind} record: only a quote has a modality", column="modality",
                suggestion="leave modality empty for studies and references"))
            ok = False
        elif ev.modality not in known:
            problems.append(where.problem(
                f"unknown modality {ev.modality!r}", column="modality",
                suggestion=suggest(ev.modality, known) or "modalities: " + ", ".join(known)))
            ok = False
    if ev.kind == "reference":
        why = check_reference(ev.reference or "")
        if why:
            problems.append(where.problem(why, column="reference",
                                          suggestion="PMID:12345678, doi:10.1000/xyz, https://... or free text"))
            ok = False
        return ok
    if not ev.source:
        problems.append(where.problem("evidence has no source", column="source",
                                      suggestion="cite a source document with a quote, a study, or a reference"))
        return False
    wanted = evidence_kinds[ev.kind]
    src = lookup(ev.source)
    if src is None or src.kind != wanted:
        problems.append(where.problem(
            f"evidence source {ev.source!r} is not a {wanted} node", column="source",
            suggestion=f"it is a {src.kind}" if src is not None else None))
        ok = False
    if ev.kind == "quote":
        if ev.start is None or ev.end is None:
            problems.append(where.problem("a quote needs its start and end offsets", column="start",
                                          suggestion="run tools/locate_quotes.py to fill them in"))
            return False
        if ev.end - ev.start != len(ev.quote or ""):
            problems.append(where.problem(
                f"offsets {ev.start}..{ev.end} span {ev.end - ev.start} characters but the quote has "
                f"{len(ev.quote or '')}", column="end"))
            return False
        if sources is not None and ev.source in sources:
            why = check_quote(ev, sources[ev.source])
            if why:
                problems.append(where.problem(why, column="quote"))
                ok = False
    return ok
