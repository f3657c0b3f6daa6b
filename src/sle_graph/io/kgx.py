"""KGX TSV import and export: Biolink categories and predicates, nothing lost either way.

``read_kgx(nodes_path, edges_path)`` reads a KGX TSV pair (``nodes.tsv``/``edges.tsv``, optionally
``.gz``/``.bz2``/``.xz``), streaming: files of millions of rows are read a line at a time, and
every problem names the file and line. ``kg.to_kgx(directory)`` writes one.

**Nodes.** ``id`` (a CURIE) and ``category`` (Biolink classes, ``|``-separated) are required;
``name``, ``description`` and ``synonym`` fill the label, definition and synonyms. A category our
ontology aligns with one of its kinds (``skos:exactMatch``/``closeMatch`` in
``ontology/sle_graph.ttl``: ``biolink:Disease`` -> ``Disease``, ``biolink:Cell`` -> ``Cell``,
``biolink:BiologicalProcess`` -> ``Mechanism``, ...) gives that kind; any other category gives the
generic kind ``ExternalEntity``, and the original category is kept in the node's attribute
``category`` (it is kept whenever it differs from the category the kind maps back to). Every other
column becomes an attribute of the node. Nodes are not matched with ours here: merge the graph
(``kg.merge(read_kgx(...))``) to land ``MONDO:0007915`` on our SLE node (see :mod:`sle_graph.merge`).

**Edges.** ``subject``, ``predicate`` and ``object`` are required, and a provenance column: the
``primary_knowledge_source`` (or ``aggregator_knowledge_source``, ``knowledge_source``,
``provided_by``) or ``publications``. A Biolink predicate our ontology aligns with one of its
predicates becomes that predicate when the kinds fit its domain and range
(``biolink:has_adverse_event`` -> ``has_adverse_event``, ``biolink:related_to`` -> ``related_to``);
any other predicate is kept under its own name as a sub-predicate of ``related_to`` (see
:func:`sle_graph.ontology.external_predicate`), added to the graph's schema. Each row is one
evidence record: ``source`` is the primary knowledge source, ``reference`` the publications (or
the source), and every other column is kept in the record's ``attributes``.

**Export.** Node ids become CURIEs: ids of our own nodes (``msc``) are written in our namespace,
``sle:msc``, and read back without it; ids that are already CURIEs are written as they are.
``category`` is the node's original category or its kind's Biolink category; ``predicate`` the
predicate's Biolink alignment (else ``biolink:related_to``). Columns starting with ``sle_`` keep
what Biolink has no column for (our kind, mappings, predicate, and each evidence record: one row
per record), so ``read_kgx(*kg.to_kgx(d)) == kg``. Fields holding tabs, newlines or double quotes
are written in double quotes (the usual TSV quoting), and read back the same way.

Example
-------
>>> import sle_graph, tempfile
>>> kg = sle_graph.load()
>>> nodes, edges = kg.to_kgx(tempfile.mkdtemp())
>>> sle_graph.read_kgx(nodes, edges) == kg
True
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import IO, Iterable, Iterator, Mapping

from ..errors import Problem, ValidationError
from ..gc_pause import gc_paused
from ..model import Evidence, Node
from ..vocab import is_curie
from ..ontology import EXTERNAL_KIND, GENERIC_PREDICATE, Schema, external_predicate, schema as default_schema
from ..build.records import AssertionRecord, NodeRecord, Where, split_list
from ..build.tables import Row, TableStream
from ..build.validation import check_records
from ..graph import KnowledgeGraph

__all__ = ["read_kgx", "to_kgx", "kgx_id", "node_id", "biolink_predicate", "NODE_COLUMNS", "EDGE_COLUMNS",
           "PROVENANCE_COLUMNS", "ID_PREFIX"]

#: Our node ids in KGX files: ``sle:<id>`` (KGX ids are CURIEs).
ID_PREFIX = "sle:"
#: Node columns written first, in this order; attribute columns follow, sorted.
NODE_COLUMNS = ("id", "category", "name", "description", "synonym", "xref", "sle_kind", "sle_exact_mappings",
                "sle_close_mappings")
#: Edge columns written first, in this order; evidence attribute columns follow, sorted.
EDGE_COLUMNS = ("subject", "predicate", "object", "primary_knowledge_source", "knowledge_level", "agent_type",
                "publications", "sle_predicate", "sle_evidence", "sle_quote", "sle_start", "sle_end",
                "sle_stance", "sle_finding", "sle_measure", "sle_modality")
#: Where an edge's source is read from, first non-empty wins.
PROVENANCE_COLUMNS = ("primary_knowledge_source", "aggregator_knowledge_source", "knowledge_source", "provided_by")
#: Biolink knowledge level and agent type of our curated evidence (quotes and study findings).
CURATED_DEFAULTS = {"knowledge_level": "knowledge_assertion", "agent_type": "manual_agent"}

_NODE_READ = frozenset({"id", "name", "description", "synonym", "sle_kind", "sle_exact_mappings",
                        "sle_close_mappings", "category", "xref"})
_EDGE_READ = frozenset({"subject", "predicate", "object", "primary_knowledge_source", "publications"})
_EVIDENCE_KINDS = ("quote", "study", "reference")


def kgx_id(node_id: str) -> str:
    """A node id as a KGX CURIE: ``msc`` -> ``sle:msc``; a CURIE stays as it is.

    >>> kgx_id("msc"), kgx_id("MONDO:0007915")
    ('sle:msc', 'MONDO:0007915')
    """
    return node_id if ":" in node_id else ID_PREFIX + node_id


def node_id(kgx: str) -> str:
    """The node id of a KGX id (the inverse of :func:`kgx_id`)."""
    if kgx.startswith(ID_PREFIX) and len(kgx) > len(ID_PREFIX) and ":" not in kgx[len(ID_PREFIX):]:
        return kgx[len(ID_PREFIX):]
    return kgx


def _biolink(mappings: tuple[str, ...]) -> str | None:
    return next((c for c in mappings if c.startswith("biolink:")), None)


def biolink_predicate(schema: Schema, name: str) -> str:
    """The Biolink predicate CURIE of one of the schema's predicates (its own alignment, an imported
    Biolink predicate's name, or its parent's), else ``biolink:related_to``.

    >>> from sle_graph.ontology import schema
    >>> biolink_predicate(schema(), "has_adverse_event"), biolink_predicate(schema(), "precedes")
    ('biolink:has_adverse_event', 'biolink:related_to')
    """
    seen = set()
    while name in schema.predicates and name not in seen:
        seen.add(name)
        p = schema.predicates[name]
        found = _biolink(p.exact_mappings) or _biolink(p.close_mappings)
        if found:
            return found
        if name.startswith("biolink:"):
            return name
        name = p.parent or GENERIC_PREDICATE
    return "biolink:related_to"


def _alignment_index(items: Mapping[str, object]) -> dict[str, list[str]]:
    """Biolink CURIE -> the names aligned with it: those aligned exactly, else those aligned closely."""
    index: dict[str, list[str]] = {}
    for which in ("close_mappings", "exact_mappings"):  # exact alignments replace close ones
        found: dict[str, list[str]] = {}
        for name, item in items.items():
            for curie in getattr(item, which):
                if curie.startswith("biolink:"):
                    found.setdefault(curie, []).append(name)
        index.update(found)
    return index


# -- reading --------------------------------------------------------------------------------------------

class _Reader:
    """Reads a KGX pair into records, resolving categories and predicates against a schema."""

    def __init__(self, schema: Schema):
        self.schema = schema
        self.kinds_of = _alignment_index(schema.kinds)
        self.predicates_of = _alignment_index(schema.predicates)
        self.kind: dict[str, str] = {}  # node id -> kind, for choosing predicates
        self.ids: dict[str, str] = {}  # node id -> the one string object for it (memory)
        self.externals: dict[str, object] = {}
        self.problems: list[Problem] = []
        self._resolved: dict[tuple[str, str | None, str | None], str] = {}
        self._evidence: dict[tuple, Evidence] = {}
        self._biolink: dict[str, str] = {}
        self._by_row: dict[tuple, Evidence] = {}

    # nodes
    def nodes(self, path: str | Path) -> list[NodeRecord]:
        stream = TableStream(path, required=("id", "category"), quoting=True)
        records = [self.node(row) for row in stream]
        self.problems += stream.problems
        if not stream.columns or any(p.line == 1 for p in stream.problems):
            raise ValidationError(self.problems)  # no usable node table: the edges cannot be resolved
        return records

    def category_kind(self, categories: tuple[str, ...]) -> str:
        """The kind of the first category one kind (and only one) is aligned with."""
        for c in categories:
            found = self.kinds_of.get(c, ())
            if len(found) == 1:
                return found[0]
        return EXTERNAL_KIND

    def node(self, row: Row) -> NodeRecord:
        where = Where(row.file, row.line)
        nid = node_id(row["id"])
        categories = split_list(row["category"])
        kind = row.get("sle_kind") or self.category_kind(categories)
        if not categories:
            self.problems.append(where.problem(f"node {row['id']!r} has no category", column="category",
                                               suggestion="KGX nodes name a Biolink category, e.g. biolink:NamedThing"))
        attributes = {k: v for k, v in row.items() if v and k not in _NODE_READ}
        if row["category"] and kind in self.schema.kinds and row["category"] != self.schema.biolink_category(kind):
            attributes["category"] = row["category"]
        exact = split_list(row.get("sle_exact_mappings", ""))
        close = split_list(row.get("sle_close_mappings", ""))
        if row.get("xref"):
            if row.get("sle_kind"):
                extra = [x for x in split_list(row["xref"]) if x not in exact and x not in close]
                if extra:
                    attributes["xref"] = "|".join(extra)
            else:
                attributes["xref"] = row["xref"]
        self.kind.setdefault(nid, kind)
        self.ids.setdefault(nid, nid)
        node = Node(id=nid, kind=kind, label=row.get("name") or nid, synonyms=split_list(row.get("synonym", "")),
                    definition=row.get("description", ""), exact_mappings=exact, close_mappings=close,
                    attributes=dict(sorted(attributes.items())))
        return NodeRecord(node, where)

    # edges
    def edges(self, path: str | Path) -> Iterator[AssertionRecord]:
        stream = TableStream(path, required=("subject", "predicate", "object"), quoting=True)
        for row in stream:
            record = self.edge(row)
            if record is not None:
                yield record
        self.problems += stream.problems

    def predicate(self, row: Row, where: Where, s: str, o: str) -> str | None:
        named = row.get("sle_predicate")
        if named:
            if named not in self.schema.predicates and ":" in named and is_curie(named):
                self.externals.setdefault(named, external_predicate(named))
            return named  # an unknown name is reported by validation, with a suggestion
        curie = row["predicate"]
        key = (curie, self.kind.get(s), self.kind.get(o))
        found = self._resolved.get(key)
        if found is None:
            found = self._resolve(*key)
            if found is None:
                self.problems.append(where.problem(
                    f"malformed predicate {curie!r}: expected a CURIE such as biolink:related_to",
                    column="predicate"))
                return None
            self._resolved[key] = found
        return found

    def _resolve(self, curie: str, s_kind: str | None, o_kind: str | None) -> str | None:
        for name in self.predicates_of.get(curie, ()):
            if s_kind in self.schema.kinds and o_kind in self.schema.kinds \
                    and self.schema.allows(name, s_kind, o_kind):
                return name
        if not is_curie(curie):
            return None
        if curie not in self.schema.predicates:
            self.externals.setdefault(curie, external_predicate(curie))
        return curie

    def evidence(self, row: Row, where: Where, predicate: str) -> Evidence | None:
        """The evidence record of an edge row (rows alike but for their ends share one)."""
        same = (predicate, *[v for k, v in row.items() if k != "subject" and k != "object"])
        ev = self._by_row.get(same)
        if ev is None:
            ev = self._evidence_of(row, where, predicate)
            if ev is not None:
                if len(self._by_row) > 200_000:
                    self._by_row.clear()
                self._by_row[same] = ev
        return ev

    def _evidence_of(self, row: Row, where: Where, predicate: str) -> Evidence | None:
        kind = row.get("sle_evidence", "")
        attributes = {k: v for k, v in row.items() if v and k not in _EDGE_READ and not k.startswith("sle_")}
        publications = row.get("publications") or None
        modality = row.get("sle_modality") or None  # only a quote has one (validation says so)
        if kind:
            if kind not in _EVIDENCE_KINDS:
                self.problems.append(where.problem(f"unknown evidence kind {kind!r}", column="sle_evidence",
                                                   suggestion="one of " + ", ".join(_EVIDENCE_KINDS)))
                return None
            source = row.get("primary_knowledge_source", "")
            if source.startswith(ID_PREFIX) and node_id(source) in self.kind:
                source = node_id(source)
            if kind != "reference":
                for key, value in CURATED_DEFAULTS.items():
                    if attributes.get(key) == value:
                        del attributes[key]
            reference = publications or (source if kind == "reference" else None)
            start, end = self.offset(row, "sle_start", where), self.offset(row, "sle_end", where)
            fields = (source, row.get("sle_quote") or None, start, end, row.get("sle_stance") or "supports",
                      row.get("sle_finding") or None, row.get("sle_measure") or None, reference)
        else:
            source = next((row[c] for c in PROVENANCE_COLUMNS if row.get(c)), "") or (publications or "")
            if not source:
                self.problems.append(where.problem(
                    "edge has no provenance", column="primary_knowledge_source",
                    suggestion="give a primary_knowledge_source (an infores id) or publications"))
                return None
            if predicate != row["predicate"] and self.biolink(predicate) != row["predicate"]:
                attributes.setdefault("original_predicate", row["predicate"])
            fields = (source, None, None, None, "supports", None, None, publications or source)
        key = fields + (modality,) + tuple(sorted(attributes.items()))
        ev = self._evidence.get(key)
        if ev is None:
            ev = self._evidence[key] = Evidence(*fields, attributes=dict(sorted(attributes.items())),
                                                modality=modality)
        return ev

    def biolink(self, predicate: str) -> str:
        found = self._biolink.get(predicate)
        if found is None:
            found = self._biolink[predicate] = biolink_predicate(self.schema, predicate)
        return found

    def offset(self, row: Row, column: str, where: Where) -> int | None:
        text = row.get(column, "")
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):  # str.isdigit takes "¹", which int() refuses
            self.problems.append(where.problem(f"{column} must be a whole number, got {text!r}", column=column))
            return None
        return int(text)

    def edge(self, row: Row) -> AssertionRecord | None:
        where = Where(row.file, row.line)
        s, o = node_id(row["subject"]), node_id(row["object"])
        s, o = self.ids.get(s, s), self.ids.get(o, o)
        predicate = self.predicate(row, where, s, o)
        if predicate is None:
            return None
        ev = self.evidence(row, where, predicate)
        if ev is None:
            return None
        return AssertionRecord(s, predicate, o, ev, where)


@gc_paused()
def read_kgx(nodes_path: str | Path, edges_path: str | Path | None = None, *,
             schema: Schema | None = None) -> "KnowledgeGraph":
    """A graph from a KGX TSV pair (see the module docstring for how columns are read).

    Raises :class:`~sle_graph.errors.ValidationError` listing every problem (file, line, column),
    and builds nothing then.
    """
    reader = _Reader(schema or default_schema())
    node_records = reader.nodes(nodes_path)
    # Imported predicates are met while the edges stream by: this private copy of the schema
    # learns them just before validation sees their first edge.
    live = replace(reader.schema, predicates=dict(reader.schema.predicates))
    reader.schema = live

    def records() -> Iterator[AssertionRecord]:
        for record in reader.edges(edges_path) if edges_path is not None else ():
            if record.predicate in reader.externals and record.predicate not in live.predicates:
                live.predicates[record.predicate] = reader.externals[record.predicate]  # type: ignore[assignment]
            yield record

    nodes, edges, problems = check_records(node_records, records(), live, require_definition=False)
    problems = reader.problems + problems
    if problems:
        raise ValidationError(problems)
    # The graph keeps the shipped schema plus the imported predicates, in a stable order.
    final = (schema or default_schema()).extended(predicates=[live.predicates[n] for n in sorted(reader.externals)])
    return KnowledgeGraph.from_checked(nodes, edges, schema=final)


# -- writing --------------------------------------------------------------------------------------------

_SPECIAL = ("\t", "\n", "\r", '"')


def _field(value: str) -> str:
    """A TSV field: in double quotes (``"`` doubled) when it holds a tab, a line break or a quote."""
    if any(c in value for c in _SPECIAL):
        return '"' + value.replace('"', '""') + '"'
    return value


def _write_rows(fh: IO[str], rows: Iterable[list[str]]) -> None:
    fh.writelines("\t".join(map(_field, row)) + "\n" for row in rows)


def _check_keys(kg: "KnowledgeGraph") -> None:
    clash_n = set(NODE_COLUMNS) - {"category", "xref"}
    clash_e = set(EDGE_COLUMNS) - {"knowledge_level", "agent_type"}
    problems = [Problem(f"node {n.id!r}: attribute {k!r} has the name of a KGX column", column=k,
                        suggestion="rename the attribute") for n in kg.node_map.values() for k in n.attributes
                if k in clash_n]
    problems += [Problem(f"edge {e}: evidence attribute {k!r} has the name of a KGX column", column=k,
                         suggestion="rename the attribute")
                 for e in kg.edge_map.values() for ev in e.evidence for k in ev.attributes if k in clash_e]
    if problems:
        raise ValidationError(problems)


def _node_row(n: Node, schema: Schema, extra: list[str]) -> list[str]:
    xref = list(n.mappings) + [x for x in split_list(n.attributes.get("xref", "")) if x not in n.mappings]
    values = {
        "id": kgx_id(n.id), "category": n.attributes.get("category") or schema.biolink_category(n.kind),
        "name": n.label, "description": n.definition, "synonym": "|".join(n.synonyms), "xref": "|".join(xref),
        "sle_kind": n.kind, "sle_exact_mappings": "|".join(n.exact_mappings),
        "sle_close_mappings": "|".join(n.close_mappings),
    }
    return [values[c] for c in NODE_COLUMNS] + [n.attributes.get(c, "") for c in extra]


def _evidence_row(nodes: Mapping[str, Node], subject: str, predicate: str, obj: str, biolink: str, ev: Evidence,
                  extra: list[str]) -> list[str]:
    source = kgx_id(ev.source) if ev.source in nodes else ev.source
    reference = ev.reference if ev.reference is not None and not (ev.kind == "reference" and ev.reference == ev.source) \
        else ""
    curated = ev.kind != "reference"
    values = {
        "subject": kgx_id(subject), "predicate": biolink, "object": kgx_id(obj), "primary_knowledge_source": source,
        "knowledge_level": ev.attributes.get("knowledge_level") or (CURATED_DEFAULTS["knowledge_level"] if curated else ""),
        "agent_type": ev.attributes.get("agent_type") or (CURATED_DEFAULTS["agent_type"] if curated else ""),
        "publications": reference, "sle_predicate": predicate, "sle_evidence": ev.kind,
        "sle_quote": ev.quote or "", "sle_start": "" if ev.start is None else str(ev.start),
        "sle_end": "" if ev.end is None else str(ev.end), "sle_stance": ev.stance,
        "sle_finding": ev.finding or "", "sle_measure": ev.measure or "", "sle_modality": ev.modality or "",
    }
    return [values[c] for c in EDGE_COLUMNS] + [ev.attributes.get(c, "") for c in extra]


def to_kgx(kg: "KnowledgeGraph", directory: str | Path) -> tuple[Path, Path]:
    """Write ``nodes.tsv`` and ``edges.tsv`` (KGX TSV, see the module docstring) into ``directory``
    (created if needed); return their paths. The output is deterministic: rows and columns sorted."""
    _check_keys(kg)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    nodes_path, edges_path = folder / "nodes.tsv", folder / "edges.tsv"
    schema, nodes, edges = kg.schema, kg.node_map, kg.edge_map
    node_extra = sorted({k for n in nodes.values() for k in n.attributes} - set(NODE_COLUMNS))
    with open(nodes_path, "w", encoding="utf-8", newline="") as fh:
        _write_rows(fh, [list(NODE_COLUMNS) + node_extra])
        _write_rows(fh, (_node_row(n, schema, node_extra) for n in nodes.values()))
    edge_extra = sorted({k for e in edges.values() for ev in e.evidence for k in ev.attributes}
                        - set(EDGE_COLUMNS) - {"subject", "object"})
    biolink = {p: biolink_predicate(schema, p) for p in schema.predicates}
    with open(edges_path, "w", encoding="utf-8", newline="") as fh:
        _write_rows(fh, [list(EDGE_COLUMNS) + edge_extra])
        _write_rows(fh, (_evidence_row(nodes, e.subject, e.predicate, e.object, biolink[e.predicate], ev, edge_extra)
                         for e in (edges[k] for k in sorted(edges))
                         for ev in sorted(e.evidence, key=Evidence.sort_key)))
    return nodes_path, edges_path
