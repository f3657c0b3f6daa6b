"""KGX TSV import and export: Biolink categories and predicates, nothing lost either way.

``read_kgx(nodes_path, edges_path)`` reads a KGX TSV pair (``nodes.tsv``/``edges.tsv``, optionally
``.gz``/``.bz2``/``.xz``); every problem names the file and line. With pyarrow installed, an
uncompressed edges file is read whole into columns and each distinct combination of values is
read and validated once (``columnar=True``, the default); otherwise, and for any file with a
problem, a line at a time. ``kg.to_kgx(directory)`` writes one.

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

**Export.** The files pass the ``kgx`` tool's ``validate`` with no error, and come back equal
through ``kgx transform`` (TSV to JSON Lines and back; see ``docs/tools.md``):

- Node ids are CURIEs: ids of our own nodes (``msc``) are written in our namespace, ``sle:msc``
  (:data:`KGX_PREFIXES` declares the prefix), and read back without it; CURIEs stay as they are.
  ``category`` is the node's original category or its kind's Biolink category, ``provided_by``
  its own or :data:`INFORES`.
- KGX tools hold one edge per subject, predicate and object, merging rows alike in these three and
  mixing their fields. So there is one row per subject, Biolink predicate and object: ``predicate``
  is the Biolink alignment of our predicate (else ``biolink:related_to``), ``id`` a name derived
  from the row, ``primary_knowledge_source`` :data:`INFORES` (or the ``infores:`` source of
  imported records), ``knowledge_level`` and ``agent_type`` the records' own (else
  ``knowledge_assertion`` by a ``manual_agent``: statements people typed; ``not_provided`` when
  records disagree), ``publications`` the studies' ``PMID:``/``DOI:`` and the CURIEs of references.
- What Biolink has no column for is JSON in two columns: ``sle_node`` (the node's every field but
  its id) and ``sle_records`` (the row's evidence records, each with its predicate and every field
  of :class:`~sle_graph.model.Evidence`). KGX keeps both as they are: JSON escapes tabs and line
  breaks, and ``|`` (KGX's list separator), ``"`` and ``\\`` (KGX's TSV writer deletes each
  backslash-quote pair) are written as ``\\u`` escapes. When these columns are there
  they alone are read, so what KGX tools add or rewrite elsewhere changes nothing, and
  ``read_kgx(*kg.to_kgx(d)) == kg``. Other columns are written on one line (tabs and line breaks
  as spaces), unquoted, as KGX reads them.

Files written in the earlier layout (one row per evidence record, ``sle_kind``, ``sle_predicate``,
``sle_quote``, ... columns) are still read.

Example
-------
>>> import sle_graph, tempfile
>>> kg = sle_graph.load()
>>> nodes, edges = kg.to_kgx(tempfile.mkdtemp())
>>> sle_graph.read_kgx(nodes, edges) == kg
True
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Mapping

import numpy as np

from ..atomic import atomic_files
from ..errors import Problem, ValidationError
from ..gc_pause import gc_paused
from ..progress import reading_bar
from ..model import Edge, Evidence, Node
from ..vocab import SLE, is_curie
from ..ontology import EXTERNAL_KIND, GENERIC_PREDICATE, Schema, external_predicate, schema as default_schema
from ..build.columns import Columns, read_columns
from ..build.records import AssertionRecord, NodeRecord, Where, shown, split_list, whole_number
from ..build.tables import Row, TableStream
from ..build.validation import check_records
from ..graph import KnowledgeGraph

__all__ = ["read_kgx", "to_kgx", "check_files", "MANIFEST", "kgx_id", "node_id", "biolink_predicate", "NODE_COLUMNS", "EDGE_COLUMNS",
           "PROVENANCE_COLUMNS", "ID_PREFIX", "KGX_PREFIXES", "INFORES"]

#: The file :func:`to_kgx` writes beside ``nodes.tsv`` and ``edges.tsv``: each file's rows, bytes
#: and SHA-256, which :func:`read_kgx` checks so that a cut or half-replaced file is refused.
MANIFEST = "manifest.json"
#: Our node ids in KGX files: ``sle:<id>`` (KGX ids are CURIEs).
ID_PREFIX = "sle:"
#: The prefixes our KGX files use beyond Biolink's, with their expansions: declare them in the JSON-LD
#: context KGX's validator reads (``tools/kgx_offline.py`` does).
KGX_PREFIXES = {"sle": SLE}
#: Node columns written first, in this order; attribute columns follow, sorted.
NODE_COLUMNS = ("id", "category", "provided_by", "name", "description", "synonym", "xref", "sle_node")
#: Edge columns written, in this order: one row per subject, Biolink predicate and object.
EDGE_COLUMNS = ("id", "subject", "predicate", "object", "primary_knowledge_source", "knowledge_level", "agent_type",
                "publications", "sle_records")
#: The information resource of graphs sle_graph writes: the ``primary_knowledge_source`` of its rows.
INFORES = "infores:sle-graph"
#: Where an edge's source is read from, first non-empty wins.
PROVENANCE_COLUMNS = ("primary_knowledge_source", "aggregator_knowledge_source", "knowledge_source", "provided_by")
#: Biolink knowledge level and agent type of our curated evidence (quotes and study findings).
CURATED_DEFAULTS = {"knowledge_level": "knowledge_assertion", "agent_type": "manual_agent"}

_NODE_READ = frozenset({"id", "name", "description", "synonym", "sle_kind", "sle_exact_mappings",
                        "sle_close_mappings", "category", "xref"})
_EDGE_READ = frozenset({"subject", "predicate", "object", "primary_knowledge_source", "publications"})
_STUDY_PUBLICATIONS = (("pmid", "PMID:"), ("doi", "DOI:"))
_EVIDENCE_KINDS = ("quote", "study", "reference")
_EVIDENCE_FIELDS = frozenset(f.name for f in fields(Evidence))
_NODE_FIELDS = frozenset(f.name for f in fields(Node)) - {"id"}


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

    def __init__(self, schema: Schema, on_bytes: "Callable[[int], object] | None" = None):
        self.schema = schema
        self.on_bytes = on_bytes  # told the bytes read (a progress bar)
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
        stream = TableStream(path, required=("id", "category"), quoting=True, on_bytes=self.on_bytes)
        records = [self.node(row) for row in stream]
        self.problems += stream.problems
        if not stream.columns or any(p.line == 1 for p in stream.problems):
            raise ValidationError(self.problems)  # no usable node table: the edges cannot be resolved
        return records

    def own_node(self, row: Row, where: Where, nid: str) -> NodeRecord:
        """A node we wrote: its ``sle_node`` (the other columns derive from it)."""
        try:
            item = json.loads(row["sle_node"])
            if not isinstance(item, dict):
                raise ValueError("expected a JSON object")
            unknown = set(item) - _NODE_FIELDS
            if unknown:
                raise ValueError(f"unknown fields {sorted(unknown)}")
            for name in ("synonyms", "exact_mappings", "close_mappings"):
                if isinstance(item.get(name), list):
                    item[name] = tuple(item[name])
            node = Node(id=nid, **item)
        except (ValueError, TypeError) as e:
            self.problems.append(where.problem(f"sle_node is not a node record: {e}", column="sle_node",
                                               suggestion="fields: " + ", ".join(sorted(_NODE_FIELDS))))
            node = Node(id=nid, kind=EXTERNAL_KIND, label=nid)
        self.kind.setdefault(nid, node.kind)
        self.ids.setdefault(nid, nid)
        return NodeRecord(node, where)

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
        if row.get("sle_node"):
            return self.own_node(row, where, nid)
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
        stream = TableStream(path, required=("subject", "predicate", "object"), quoting=True,
                             on_bytes=self.on_bytes)
        for row in stream:
            if row.get("sle_records"):
                yield from self.records(row)
                continue
            record = self.edge(row)
            if record is not None:
                yield record
        self.problems += stream.problems

    def records(self, row: Row) -> Iterator[AssertionRecord]:
        """The assertions of a row we wrote: its ``sle_records`` (the other columns derive from it)."""
        where = Where(row.file, row.line)
        s, o = node_id(row["subject"]), node_id(row["object"])
        s, o = self.ids.get(s, s), self.ids.get(o, o)
        for predicate, ev in self.items(row["sle_records"], where):
            yield AssertionRecord(s, predicate, o, ev, where)

    def items(self, text: str, where: Where) -> list[tuple[str, Evidence]]:
        """The predicates and evidence records of an ``sle_records`` cell; problems are noted."""
        try:
            items = json.loads(text)
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise ValueError("expected a JSON array of objects")
        except ValueError as e:
            self.problems.append(where.problem(f"sle_records is not a list of evidence records: {e}",
                                               column="sle_records"))
            return []
        found = []
        for item in items:
            predicate = item.pop("predicate", None)
            unknown = set(item) - _EVIDENCE_FIELDS
            if not isinstance(predicate, str) or unknown:
                self.problems.append(where.problem(
                    "an evidence record in sle_records " + (f"has unknown fields {sorted(unknown)}" if unknown
                                                            else "has no predicate"),
                    column="sle_records", suggestion="fields: predicate, " + ", ".join(sorted(_EVIDENCE_FIELDS))))
                continue
            if predicate not in self.schema.predicates and is_curie(predicate):
                self.externals.setdefault(predicate, external_predicate(predicate))
            try:
                ev = Evidence(**item)
            except TypeError as e:
                self.problems.append(where.problem(f"bad evidence record in sle_records: {e}", column="sle_records"))
                continue
            found.append((predicate, ev))
        return found

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
        number = whole_number(text)
        if number is None:
            self.problems.append(where.problem(f"{column} must be a whole number, got {shown(text)}", column=column))
        return number

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


def _groups(parts: list[tuple[np.ndarray, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Rows alike in every part (codes and how many distinct codes): each group's first row, and
    each row's group."""
    key = np.zeros(len(parts[0][0]), dtype=np.int64)
    span = 1
    for codes, count in parts:
        count = max(count, 1)
        if span * count >= 2**62:  # recode the key so far before it overflows
            key = np.unique(key, return_inverse=True)[1].reshape(-1).astype(np.int64)
            span = int(key.max()) + 1 if len(key) else 1
        key = key * count + codes
        span *= count
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


@dataclass
class _Found:
    """What the columnar reader found: one entry per assertion record (``subjects`` and ``objects``
    index ``subject_ids`` and ``object_ids``, ``predicates`` and ``evidence`` index the lists of
    these names), and the records validation sees (see :func:`_read_columnar`)."""

    subject_ids: list[str]
    object_ids: list[str]
    predicate_names: list[str]
    evidence_list: list[Evidence]
    subjects: np.ndarray
    predicates: np.ndarray
    evidence: np.ndarray
    objects: np.ndarray
    checked: list[AssertionRecord]


def _found(reader: _Reader, table: Columns) -> _Found | None:
    """Each row's assertion records, each distinct combination read once; ``None`` on a problem."""
    columns, values, codes = table.columns, table.values, table.codes
    where = Where(table.file, None)
    kind_code = {k: i for i, k in enumerate(sorted(reader.schema.kinds))}
    ends = {}
    for column in ("subject", "object"):
        ids = [reader.ids.get(i, i) for i in map(node_id, values[column])]
        kinds = [reader.kind.get(i) for i in ids]
        if any(kinds[i] is None for i in np.unique(codes[column]).tolist()):
            return None  # a dangling reference
        ends[column] = (ids, np.array([kind_code.get(k, len(kind_code)) for k in kinds], dtype=np.int64))
    (s_ids, s_kinds), (o_ids, o_kinds) = ends["subject"], ends["object"]
    s_codes, o_codes = codes["subject"], codes["object"]
    n_kinds = len(kind_code) + 1
    predicates: dict[str, int] = {}
    evidence: list[Evidence] = []
    checked: list[AssertionRecord] = []
    rows_of, predicate_of, evidence_of = [], [], []

    def record(r: int, predicate: str, ev: Evidence) -> AssertionRecord:
        return AssertionRecord(s_ids[s_codes[r]], predicate, o_ids[o_codes[r]], ev, where)

    has_json = "sle_records" in columns
    plain = np.array([not v for v in values["sle_records"]], dtype=bool)[codes["sle_records"]] if has_json \
        else np.ones(len(table), dtype=bool)
    rows = np.flatnonzero(plain)
    if len(rows):  # rows alike but for their ends share their predicate (given their ends' kinds) and evidence
        parts = [(codes[c][rows], len(values[c])) for c in columns if c not in ("subject", "object")]
        first, group = _groups(parts + [(s_kinds[s_codes[rows]], n_kinds), (o_kinds[o_codes[rows]], n_kinds)])
        del parts
        g_predicate = np.empty(len(first), dtype=np.int32)
        g_evidence = np.empty(len(first), dtype=np.int32)
        for g, r in enumerate(rows[first].tolist()):
            row = Row(zip(columns, [values[c][codes[c][r]] for c in columns]))
            row.file, row.line = table.file, None
            s, o = s_ids[s_codes[r]], o_ids[o_codes[r]]
            predicate = reader.predicate(row, where, s, o)
            ev = reader.evidence(row, where, predicate) if predicate is not None else None
            if ev is None or reader.problems:
                return None
            g_predicate[g] = predicates.setdefault(predicate, len(predicates))
            g_evidence[g] = len(evidence)
            evidence.append(ev)
            if ev.modality is None:
                checked.append(record(r, predicate, ev))
            else:  # the one-modality rule compares records across edges
                checked += [record(r2, predicate, ev) for r2 in rows[group == g].tolist()]
        rows_of.append(rows)
        predicate_of.append(g_predicate[group])
        evidence_of.append(g_evidence[group])
        del first, group
    rows = np.flatnonzero(~plain)
    del plain
    if len(rows):  # rows we wrote: each distinct sle_records cell is read once
        texts, cells = values["sle_records"], codes["sle_records"][rows]
        start = np.zeros(len(texts), dtype=np.int64)
        count = np.zeros(len(texts), dtype=np.int64)
        modal = np.zeros(len(texts), dtype=bool)
        flat_predicate, flat_evidence = [], []
        for j in np.unique(cells).tolist():
            items = reader.items(texts[j], where)
            if reader.problems:
                return None
            start[j], count[j] = len(flat_predicate), len(items)
            for predicate, ev in items:
                flat_predicate.append(predicates.setdefault(predicate, len(predicates)))
                flat_evidence.append(len(evidence))
                evidence.append(ev)
                modal[j] |= ev.modality is not None
        first, _ = _groups([(cells, len(texts)), (s_kinds[s_codes[rows]], n_kinds), (o_kinds[o_codes[rows]], n_kinds)])
        names = list(predicates)
        for r in rows[first[~modal[cells[first]]]].tolist() + rows[modal[cells]].tolist():
            j = codes["sle_records"][r]
            checked += [record(r, names[flat_predicate[i]], evidence[flat_evidence[i]])
                        for i in range(start[j], start[j] + count[j])]
        per_row = count[cells]
        at = np.repeat(start[cells] - np.cumsum(per_row) + per_row, per_row) + np.arange(int(per_row.sum()))
        rows_of.append(np.repeat(rows, per_row))
        predicate_of.append(np.array(flat_predicate, dtype=np.int32)[at])
        evidence_of.append(np.array(flat_evidence, dtype=np.int32)[at])
        del at, per_row, cells
    at_row = np.concatenate(rows_of)
    del rows_of, rows
    return _Found(s_ids, o_ids, list(predicates), evidence, s_codes[at_row], np.concatenate(predicate_of),
                  np.concatenate(evidence_of), o_codes[at_row], checked)


def _read_columnar(nodes_path: str | Path, edges_path: str | Path, schema: Schema | None) -> "KnowledgeGraph | None":
    """:func:`read_kgx` with the edges read whole into columns (:func:`read_columns`), each
    distinct combination of values read and validated once; ``None`` when the file needs the line
    reader or anything is wrong (the line reader then names each problem's line).

    Every check of :func:`check_records` on an assertion depends on its predicate, its evidence
    and the kinds of its ends, except dangling references (checked here on each distinct id) and
    the one-modality rule (so every record with a modality is checked). Validation therefore sees
    one record per distinct (predicate, evidence, subject kind, object kind), and those records.
    """
    path = Path(edges_path)
    if path.suffix.lower() in (".gz", ".bz2", ".xz") or not path.is_file() or path.stat().st_size < 3:
        return None
    reader = _Reader(schema or default_schema())
    node_records = reader.nodes(nodes_path)
    if reader.problems:
        return None
    try:
        table = read_columns(path, required=("subject", "predicate", "object"), name=str(edges_path))
    except OSError:
        return None
    if table is None or not len(table):
        return None
    live = replace(reader.schema, predicates=dict(reader.schema.predicates))
    reader.schema = live
    found = _found(reader, table)
    del table
    if found is None:
        return None
    for name in found.predicate_names:
        if name in reader.externals and name not in live.predicates:
            live.predicates[name] = reader.externals[name]  # type: ignore[assignment]
    nodes, _, problems = check_records(node_records, found.checked, live, require_definition=False)
    if problems or reader.problems:
        return None
    del node_records
    final = (schema or default_schema()).extended(predicates=[live.predicates[n] for n in sorted(reader.externals)])
    # One record per row: the graph sorts and pools them (as validation pools) and grades them.
    return KnowledgeGraph.from_columns(
        nodes, ids=found.subject_ids + found.object_ids, subject=found.subjects,
        object=found.objects.astype(np.int64) + len(found.subject_ids), predicates=found.predicate_names,
        predicate=found.predicates, evidence=found.evidence_list, evidence_index=found.evidence, schema=final)


@gc_paused()
def read_kgx(nodes_path: str | Path, edges_path: str | Path | None = None, *,
             schema: Schema | None = None, progress: bool | None = None,
             columnar: bool = True) -> "KnowledgeGraph":
    """A graph from a KGX TSV pair (see the module docstring for how columns are read).

    Parameters
    ----------
    nodes_path : str or Path
        The node table (``nodes.tsv``, optionally ``.gz``, ``.bz2`` or ``.xz``).
    edges_path : str or Path, optional
        The edge table; ``None`` (or a blank file, as KGX tools write for no edges): no edges.
    schema : Schema, optional
        The schema to read against (default: the shipped ontology's).
    progress : bool, optional
        A progress bar of the bytes read: by default shown on a terminal or in a notebook for
        files of :data:`sle_graph.progress.LARGE_FILE` bytes or more; ``True`` for any file,
        ``False`` never.
    columnar : bool, default True
        Read an uncompressed edges file whole into columns with pyarrow, when installed (the
        ``arrow`` extra), and read and validate each distinct combination of values once: several
        times faster on large files, and the same graph. ``False`` reads it a line at a time.
        Either way every row is validated; a file with any problem is read again line by line, so
        that each problem names its line.

    Returns
    -------
    KnowledgeGraph
        The graph, with the schema extended by the Biolink predicates it imports.

    Raises
    ------
    ValidationError
        Every problem (file, line, column), and builds nothing then; a file cut short is refused
        first (see :func:`check_files`).

    Examples
    --------
    >>> import sle_graph, tempfile
    >>> kg = sle_graph.load()
    >>> nodes, edges = kg.to_kgx(tempfile.mkdtemp())
    >>> read_kgx(nodes, edges, progress=False) == kg
    True
    """
    check_files(nodes_path, edges_path)
    with reading_bar([nodes_path, edges_path], progress) as read:
        if columnar and edges_path is not None:
            kg = _read_columnar(nodes_path, edges_path, schema)
            if kg is not None:
                read.update(sum(Path(p).stat().st_size for p in (nodes_path, edges_path)))
                return kg
        reader = _Reader(schema or default_schema(), on_bytes=read.update)
        node_records = reader.nodes(nodes_path)
        # Imported predicates are met while the edges stream by: this private copy of the schema
        # learns them just before validation sees their first edge.
        live = replace(reader.schema, predicates=dict(reader.schema.predicates))
        reader.schema = live

        def records() -> Iterator[AssertionRecord]:
            # KGX tools write a blank file, not even a header, for a graph without edges
            empty = edges_path is None or (Path(edges_path).is_file() and Path(edges_path).stat().st_size < 3
                                           and not Path(edges_path).read_bytes().strip())
            for record in reader.edges(edges_path) if not empty else ():  # type: ignore[arg-type]
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

_FLAT = str.maketrans("\t\n\r", "   ")


def _field(value: str) -> str:
    """A TSV field as KGX reads it (no quoting, one line): tabs and line breaks become spaces, and a
    double quote opening the field a typographic one, so that no reader takes it for quoting. The
    JSON columns, which keep the exact text, never need either."""
    value = value.translate(_FLAT)
    return "\u201c" + value[1:] if value.startswith('"') else value


def _joined(items: Iterable[str]) -> str:
    """A KGX list field: the items joined with "|", each made safe as :func:`_field` makes a field,
    since KGX tools split the list and may write any item first."""
    return "|".join(_field(item) for item in items)


def _write_rows(fh: IO[str], rows: Iterable[list[str]], tally: "_Tally") -> None:
    for row in rows:
        line = "\t".join(map(_field, row)) + "\n"
        fh.write(line)
        tally.add(line.encode("utf-8"))


class _Tally:
    """What :data:`MANIFEST` records of a file: its lines, bytes and SHA-256."""

    def __init__(self) -> None:
        self.lines = 0
        self.size = 0
        self.digest = hashlib.sha256()

    def add(self, data: bytes) -> None:
        self.lines += data.count(b"\n")
        self.size += len(data)
        self.digest.update(data)

    def entry(self) -> dict[str, object]:
        return {"bytes": self.size, "rows": max(self.lines - 1, 0), "sha256": self.digest.hexdigest()}


def _tally_file(path: Path) -> _Tally:
    tally = _Tally()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(2**20), b""):
            tally.add(block)
    return tally


def check_files(*paths: "str | Path | None") -> None:
    """Refuse KGX files that were cut or changed since :func:`to_kgx` wrote them: each file that
    the :data:`MANIFEST` beside it lists must have the rows, bytes and SHA-256 it records, and an
    uncompressed file must end with a line break (a last line without one is a cut, not a row).

    Parameters: ``paths`` the files (``None`` is skipped). Returns ``None``.
    Raises :class:`~sle_graph.errors.ValidationError` naming each file and what is wrong.

    >>> import sle_graph, tempfile
    >>> nodes, edges = sle_graph.load().to_kgx(tempfile.mkdtemp())
    >>> check_files(nodes, edges)
    >>> data = edges.read_bytes()
    >>> _ = edges.write_bytes(data[:data.index(b"\\n", len(data) // 2) + 1])   # cut at a line end
    >>> check_files(nodes, edges)
    Traceback (most recent call last):
    ...
    sle_graph.errors.ValidationError: ...edges.tsv: the file has ... rows, manifest.json says ...
    """
    problems: list[Problem] = []
    for given in paths:
        if given is None:
            continue
        path = Path(given)
        if not path.is_file() or path.suffix in (".gz", ".bz2", ".xz"):
            continue  # compressed files carry their own checks
        listed = _manifest_entry(path, problems)
        size = path.stat().st_size
        if listed is None and size:
            with open(path, "rb") as fh:
                fh.seek(size - 1)
                cut = fh.read(1) != b"\n"
            if cut:
                problems.append(Problem("the last line has no line break: the file looks cut", str(path),
                                        suggestion="write it again; if it is whole, end it with a line break"))
            continue
        if listed is None:
            continue
        tally = _tally_file(path)
        again = "write the files again (a writer stopped midway, or the file was edited)"
        if tally.entry()["rows"] != listed.get("rows"):
            problems.append(Problem(f"the file has {tally.entry()['rows']} rows, {MANIFEST} says "
                                    f"{listed.get('rows')}", str(path), suggestion=again))
        elif tally.entry() != listed:
            problems.append(Problem(f"the file's size or SHA-256 differs from what {MANIFEST} records",
                                    str(path), suggestion=again))
    if problems:
        raise ValidationError(problems)


def _manifest_entry(path: Path, problems: list[Problem]) -> "dict[str, object] | None":
    """What the manifest beside ``path`` records of it, or ``None`` (no manifest, or it lists
    another file)."""
    manifest = path.parent / MANIFEST
    if not manifest.is_file():
        return None
    try:
        files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        listed = files.get(path.name)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        problems.append(Problem(f"unreadable manifest ({type(exc).__name__}: {exc})", str(manifest),
                                suggestion="write the files again, or delete it to read them unchecked"))
        return None
    return listed if isinstance(listed, dict) else None


def _check_keys(kg: "KnowledgeGraph") -> None:
    clash_n = set(NODE_COLUMNS) - {"category", "xref", "provided_by"}
    problems = [Problem(f"node {n.id!r}: attribute {k!r} has the name of a KGX column", column=k,
                        suggestion="rename the attribute") for n in kg.node_map.values() for k in n.attributes
                if k in clash_n]
    if problems:
        raise ValidationError(problems)


def _node_row(n: Node, schema: Schema, extra: list[str]) -> list[str]:
    xref = list(n.mappings) + [x for x in split_list(n.attributes.get("xref", "")) if x not in n.mappings]
    values = {
        "id": kgx_id(n.id), "category": n.attributes.get("category") or schema.biolink_category(n.kind),
        "provided_by": n.attributes.get("provided_by") or INFORES,
        "name": n.label, "description": n.definition, "synonym": _joined(n.synonyms), "xref": _joined(xref),
        "sle_node": _json(_record(n, {})),
    }
    return [values[c] for c in NODE_COLUMNS] + [n.attributes.get(c, "") for c in extra]


def _publications(nodes: Mapping[str, Node], ev: Evidence) -> str:
    """The ``publications`` of a row: its reference when a CURIE, and its study's PMID and DOI."""
    found = [r for r in split_list(ev.reference or "") if is_curie(r)]
    source = nodes.get(ev.source)
    if ev.kind == "study" and source is not None:
        found += [prefix + source.attributes[key] for key, prefix in _STUDY_PUBLICATIONS if source.attributes.get(key)]
    return "|".join(dict.fromkeys(found))


def _record(item: Node | Evidence, record: dict[str, object]) -> dict[str, object]:
    """A node or an evidence record as a JSON object: its fields that differ from their defaults (every
    field the record has, so fields added to it later travel too)."""
    for f in fields(item):
        value = getattr(item, f.name)
        if f.name == "id":
            continue
        if f.name == "attributes":
            if value:
                record[f.name] = dict(value)
        elif value != f.default:
            record[f.name] = list(value) if isinstance(value, tuple) else value
    return record


#: Escapes KGX tools would undo or cut: its TSV writer deletes every backslash-quote pair, and
#: splits fields at "|", its list separator.
_KGX_UNSAFE = re.compile(r'\\(["\\])|\|')


def _json(value: object) -> str:
    """JSON on one line (JSON escapes tabs and line breaks) that KGX tools keep as it is."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _KGX_UNSAFE.sub(lambda m: "\\u%04x" % ord(m.group(1) or "|"), text)


def _level(ev: Evidence, slot: str) -> str:
    """An evidence record's Biolink ``knowledge_level`` or ``agent_type``: its own, else that of a
    statement a person typed (our curators' quotes, study findings and references, users' facts)."""
    return ev.attributes.get(slot) or CURATED_DEFAULTS[slot]


def _agreed(values: list[str]) -> str:
    """One Biolink enumeration value for a row: the records' own when they agree."""
    return values[0] if len(set(values)) == 1 else "not_provided"


def _edge_row(nodes: Mapping[str, Node], key: tuple[str, str, str],
              records: list[tuple[str, Evidence]]) -> list[str]:
    subject, biolink, obj = key
    sources = {ev.source for _, ev in records}
    source = next(iter(sources)) if len(sources) == 1 else ""
    publications = dict.fromkeys(p for _, ev in records for p in split_list(_publications(nodes, ev)))
    values = {
        "subject": kgx_id(subject), "predicate": biolink, "object": kgx_id(obj),
        "primary_knowledge_source": source if source.startswith("infores:") else INFORES,
        "knowledge_level": _agreed([_level(ev, "knowledge_level") for _, ev in records]),
        "agent_type": _agreed([_level(ev, "agent_type") for _, ev in records]),
        "publications": "|".join(publications),
        "sle_records": _json([_record(ev, {"predicate": p}) for p, ev in records]),
    }
    row = [values.get(c, "") for c in EDGE_COLUMNS]
    row[0] = "sle:edge-" + hashlib.sha256("\t".join(row[1:]).encode("utf-8")).hexdigest()[:16]
    return row


def to_kgx(kg: "KnowledgeGraph", directory: str | Path) -> tuple[Path, Path]:
    r"""Write ``nodes.tsv`` and ``edges.tsv`` (KGX TSV) and their :data:`MANIFEST` into ``directory``.

    What :meth:`KnowledgeGraph.to_kgx` calls; :mod:`sle_graph.io.kgx` describes the columns. The
    output is deterministic: rows and columns sorted. The three files replace those already there
    together, once all are written (a full disk leaves the old ones).

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    directory : str or path-like
        The folder; created if needed.

    Returns
    -------
    tuple of pathlib.Path
        The paths of ``nodes.tsv`` and ``edges.tsv``.

    Raises
    ------
    OSError
        When the folder cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> import sle_graph
    >>> from sle_graph.io.kgx import to_kgx
    >>> nodes, edges = to_kgx(sle_graph.load(), tempfile.mkdtemp())
    >>> nodes.read_text(encoding="utf-8").splitlines()[0].split("\t")[:2]
    ['id', 'category']
    """
    _check_keys(kg)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    nodes_path, edges_path = folder / "nodes.tsv", folder / "edges.tsv"
    schema, nodes = kg.schema, kg.node_map
    node_extra = sorted({k for n in nodes.values() for k in n.attributes} - set(NODE_COLUMNS))
    tallies = {nodes_path.name: _Tally(), edges_path.name: _Tally()}
    with atomic_files([nodes_path, edges_path, folder / MANIFEST], encoding="utf-8", newline="") as files:
        node_file, edge_file, manifest_file = files
        _write_rows(node_file, [list(NODE_COLUMNS) + node_extra], tallies[nodes_path.name])
        _write_rows(node_file, (_node_row(n, schema, node_extra) for n in nodes.values()), tallies[nodes_path.name])
        _write_edges(edge_file, kg, tallies[edges_path.name])
        manifest = {"files": {name: t.entry() for name, t in tallies.items()}, "format": "KGX TSV",
                    "written_by": "sle_graph"}
        manifest_file.write(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return nodes_path, edges_path


def _write_edges(fh: IO[str], kg: "KnowledgeGraph", tally: _Tally) -> None:
    schema, nodes, edges = kg.schema, kg.node_map, kg.edge_map
    biolink = {p: biolink_predicate(schema, p) for p in schema.predicates}
    # KGX tools hold one edge per subject, predicate and object (rows alike in these three are merged,
    # their fields mixed): our predicates that share a Biolink predicate share a row, which lists
    # every evidence record of them in ``sle_records``.
    grouped: dict[tuple[str, str, str], list[tuple[str, Evidence]]] = {}
    for e in (edges[k] for k in sorted(edges)):
        grouped.setdefault((e.subject, biolink[e.predicate], e.object), []).extend(
            (e.predicate, ev) for ev in sorted(e.evidence, key=Evidence.sort_key))
    _write_rows(fh, [list(EDGE_COLUMNS)], tally)
    _write_rows(fh, (_edge_row(nodes, key, grouped[key]) for key in sorted(grouped)), tally)
