"""Hetionet: read its published files, and link our nodes to its nodes by standard identifier.

Hetionet (hetio/hetionet, CC0) publishes its graph as

- TSV: a node table ``hetionet-v1.0-nodes.tsv`` (``id``, ``name``, ``kind``; ids such as
  ``Disease::DOID:9074``) and an edge table ``hetionet-v1.0-edges.sif.gz`` (``source``,
  ``metaedge``, ``target``; metaedges abbreviated, ``CtD`` for *Compound - treats - Disease*);
- JSON (``hetionet-v1.0.json.bz2``): ``metanode_kinds``, ``metaedge_tuples``, ``kind_to_abbrev``,
  ``nodes`` (``kind``, ``identifier``, ``name``, ``data``) and ``edges`` (``source_id`` and
  ``target_id`` as ``[kind, identifier]``, ``kind``, ``direction``, ``data``).

Users bring the files (``.gz``, ``.bz2`` and ``.xz`` are read as they are); nothing is downloaded.

How Hetionet maps to our graph (nothing is dropped):

- **ids**: an identifier that is a standard CURIE is the node id (``Disease::DOID:9074`` ->
  ``DOID:9074``, ``Biological Process::GO:0050776`` -> ``GO:0050776``), so merging lands it on our
  node with that exact mapping (``kg.merge(read_hetionet(...))``, see :mod:`sle_graph.merge`);
  other identifiers (Entrez genes, DrugBank compounds, UMLS side effects, ...) are not CURIEs and
  get ids ``hetionet.<Kind>:<identifier>`` (``hetionet.Gene:7124``). The original id and kind are
  the attributes ``hetionet_id`` and ``hetionet_kind``; a JSON node's ``data`` entries are
  attributes too.
- **kinds**: Hetionet's ``Disease`` nodes (Disease Ontology terms) are our kind ``Disease``; every
  other kind is ``ExternalEntity`` (our ontology declares no alignment for them).
- **edges**: a metaedge's verb becomes an imported predicate ``hetionet:<verb>``
  (``hetionet:treats``, a sub-predicate of ``related_to``, see
  :func:`sle_graph.ontology.external_predicate`). Each edge has one evidence record: source
  ``hetionet``, the ``reference`` given (default: Hetionet and the file name), and the attributes
  ``metaedge`` (TSV) or ``direction`` and the edge's ``data`` (JSON).

Metaedge abbreviations are resolved with Hetionet v1.0's metaedge table, shipped with the package
(``data/hetionet_metaedges.tsv``); pass ``metaedges=`` (a TSV with ``metaedge`` and
``abbreviation`` columns) for another version.

Example
-------
>>> import sle_graph, tempfile, os
>>> folder = tempfile.mkdtemp()
>>> with open(os.path.join(folder, "nodes.tsv"), "w") as fh:
...     _ = fh.write("id\\tname\\tkind\\nCompound::DB00563\\tMethotrexate\\tCompound\\n"
...                  "Disease::DOID:9074\\tsystemic lupus erythematosus\\tDisease\\n")
>>> with open(os.path.join(folder, "edges.sif"), "w") as fh:
...     _ = fh.write("source\\tmetaedge\\ttarget\\nCompound::DB00563\\tCtD\\tDisease::DOID:9074\\n")
>>> het = sle_graph.read_hetionet(os.path.join(folder, "nodes.tsv"), os.path.join(folder, "edges.sif"))
>>> print(het.edges()[0])
hetionet.Compound:DB00563 -[hetionet:treats]-> DOID:9074
>>> merged = sle_graph.load().merge(het)
>>> merged.edge("hetionet.Compound:DB00563", "hetionet:treats", "sle").subject
'hetionet.Compound:DB00563'
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from .._resources import data_file
from ..errors import Problem, ValidationError, suggest
from ..gc_pause import gc_paused
from ..progress import reading_bar
from .formats import data_suffix
from ..model import Evidence, Node
from ..vocab import is_curie
from ..ontology import EXTERNAL_KIND, Schema, external_predicate, schema as default_schema
from ..build.records import AssertionRecord, NodeRecord, Where
from ..build.tables import TableStream, open_binary
from ..graph import KnowledgeGraph

__all__ = ["read_hetionet", "link", "Link", "MetaEdge", "read_metaedges", "node_id", "KINDS", "SOURCE"]

#: Hetionet kinds that are kinds of our ontology; every other kind is ``ExternalEntity``.
#:
#: Examples
#: --------
#: >>> import os, tempfile
#: >>> from sle_graph.io.hetionet import KINDS, read_hetionet
#: >>> folder = tempfile.mkdtemp()
#: >>> with open(os.path.join(folder, "nodes.tsv"), "w") as fh:
#: ...     _ = fh.write("id\tname\tkind\nDisease::DOID:9074\tSLE\tDisease\n"
#: ...                  "Compound::DB00091\tciclosporin\tCompound\n")
#: >>> with open(os.path.join(folder, "edges.sif"), "w") as fh:
#: ...     _ = fh.write("source\tmetaedge\ttarget\nCompound::DB00091\tCtD\tDisease::DOID:9074\n")
#: >>> kg = read_hetionet(folder, progress=False)
#: >>> [(n.id, n.kind) for n in kg.nodes()]
#: [('DOID:9074', 'Disease'), ('hetionet.Compound:DB00091', 'ExternalEntity')]
#: >>> KINDS["Disease"]
#: 'Disease'
KINDS = {"Disease": "Disease"}
#: The evidence source of Hetionet edges.
#:
#: Examples
#: --------
#: >>> import os, tempfile
#: >>> from sle_graph.io.hetionet import SOURCE, read_hetionet
#: >>> folder = tempfile.mkdtemp()
#: >>> with open(os.path.join(folder, "nodes.tsv"), "w") as fh:
#: ...     _ = fh.write("id\tname\tkind\nDisease::DOID:9074\tSLE\tDisease\n"
#: ...                  "Compound::DB00091\tciclosporin\tCompound\n")
#: >>> with open(os.path.join(folder, "edges.sif"), "w") as fh:
#: ...     _ = fh.write("source\tmetaedge\ttarget\nCompound::DB00091\tCtD\tDisease::DOID:9074\n")
#: >>> kg = read_hetionet(folder, progress=False)
#: >>> [ev.source == SOURCE for e in kg.edges() for ev in e.evidence]
#: [True]
SOURCE = "hetionet"
#: Prefix of imported predicates: ``hetionet:<verb>``.
PREDICATE_PREFIX = "hetionet:"

_STANDARD = re.compile(r"^[A-Za-z][A-Za-z0-9]*:[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class MetaEdge:
    """A Hetionet edge kind: ``Compound - treats - Disease``, abbreviated ``CtD``.

    Parameters
    ----------
    source : str
        The kind of the edge's source node (``Compound``).
    verb : str
        The edge's verb (``treats``); our predicate is ``hetionet:<verb>``.
    target : str
        The kind of the edge's target node (``Disease``).
    abbreviation : str
        Hetionet's abbreviation (``CtD``), as in the ``metaedge`` column of its edge file.
    direction : str
        ``"both"`` (written ``-``) or ``"forward"`` (written ``>``).

    Examples
    --------
    >>> m = MetaEdge("Gene", "regulates", "Gene", "Gr>G", "forward")
    >>> m.verb, m.direction
    ('regulates', 'forward')
    """

    source: str
    verb: str
    target: str
    abbreviation: str
    direction: str  # "both" (written ``-``) or "forward" (written ``>``)


def read_metaedges(path: str | Path | None = None) -> dict[str, MetaEdge]:
    """Abbreviation -> metaedge, from a metaedge table (Hetionet v1.0's by default).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A table with the columns ``metaedge`` (``Compound - treats - Disease``, or with ``>`` for
        a directed one) and ``abbreviation``; the shipped Hetionet v1.0 table when not given.

    Returns
    -------
    dict of str to MetaEdge
        Abbreviation -> metaedge, in table order.

    Raises
    ------
    ValidationError
        When a column is missing or a metaedge cannot be read (naming file, line and column).

    Examples
    --------
    >>> read_metaedges()["CtD"]
    MetaEdge(source='Compound', verb='treats', target='Disease', abbreviation='CtD', direction='both')
    """
    stream = TableStream(path or data_file("hetionet_metaedges.tsv"), required=("metaedge", "abbreviation"))
    out: dict[str, MetaEdge] = {}
    for row in stream:
        m = re.fullmatch(r"(.+?) ([->]) (.+?) \2 (.+)", row["metaedge"])
        if m is None:
            stream.problems.append(row.where("metaedge", f"cannot read metaedge {row['metaedge']!r}",
                                             "write it as 'Source - verb - Target' or 'Source > verb > Target'"))
            continue
        out[row["abbreviation"]] = MetaEdge(m.group(1), m.group(3), m.group(4), row["abbreviation"],
                                            "forward" if m.group(2) == ">" else "both")
    if stream.problems:
        raise ValidationError(stream.problems)
    return out


def node_id(kind: str, identifier: str) -> str:
    """Our id of a Hetionet node: its identifier when that is a standard CURIE, else a CURIE of ours.

    Ours is ``hetionet.<Kind>:<identifier>``, the kind without spaces.

    Parameters
    ----------
    kind : str
        The node's Hetionet kind (``Disease``, ``Side Effect``).
    identifier : str
        The node's identifier, the part of its Hetionet id after ``<Kind>::``.

    Returns
    -------
    str
        The node's id in our graph.

    Examples
    --------
    >>> node_id("Disease", "DOID:9074"), node_id("Side Effect", "C0000737")
    ('DOID:9074', 'hetionet.SideEffect:C0000737')
    """
    if _STANDARD.match(identifier):
        return identifier
    return f"hetionet.{kind.replace(' ', '')}:{identifier}"


def _split_id(hetionet_id: str) -> tuple[str, str] | None:
    kind, sep, identifier = hetionet_id.partition("::")
    return (kind, identifier) if sep and kind and identifier else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)


class _Builder:
    def __init__(self, schema: Schema, reference: str):
        self.schema = schema
        self.reference = reference
        self.problems: list[Problem] = []
        self.nodes: list[NodeRecord] = []
        self.ours: dict[str, str] = {}  # Hetionet id -> our id
        self.kinds: dict[str, str] = {}  # Hetionet id -> Hetionet kind
        self.predicates: dict[str, Any] = {}
        self._evidence: dict[tuple, Evidence] = {}

    def node(self, kind: str, identifier: str, name: str, data: Mapping[str, Any], where: Where) -> None:
        hid = f"{kind}::{identifier}"
        our = node_id(kind, identifier)
        attributes = {str(k): _text(v) for k, v in data.items() if v not in (None, "")}
        attributes.update(hetionet_kind=kind, hetionet_id=hid)
        self.ours.setdefault(hid, our)
        self.kinds.setdefault(hid, kind)
        self.nodes.append(NodeRecord(Node(our, KINDS.get(kind, EXTERNAL_KIND), name or our,
                                          attributes=dict(sorted(attributes.items()))), where))

    def edge(self, source: str, verb: str, target: str, attributes: Mapping[str, str], where: Where,
             expected: tuple[str, str] | None = None) -> AssertionRecord | None:
        ends = []
        for column, hid, want in (("source", source, expected[0] if expected else None),
                                  ("target", target, expected[1] if expected else None)):
            have = self.kinds.get(hid)
            if have is None:
                parts = _split_id(hid)
                self.problems.append(where.problem(
                    f"no node {hid!r} in the node table", column=column,
                    suggestion=suggest(hid, list(self.ours)[:50_000]) if parts else "ids look like 'Gene::7124'"))
                return None
            if want is not None and have != want:
                self.problems.append(where.problem(f"{hid!r} is a {have}, but the metaedge links {want}",
                                                   column=column))
                return None
            ends.append(self.ours[hid])
        predicate = PREDICATE_PREFIX + verb.replace(" ", "_")
        if predicate not in self.predicates:
            self.predicates[predicate] = external_predicate(predicate)
        key = tuple(sorted(attributes.items()))
        ev = self._evidence.get(key)
        if ev is None:
            ev = self._evidence[key] = Evidence(SOURCE, reference=self.reference, attributes=dict(key))
        return AssertionRecord(ends[0], predicate, ends[1], ev, where)

    def build(self, assertions: list[AssertionRecord]) -> "KnowledgeGraph":
        schema = self.schema.extended(predicates=self.predicates.values())
        return KnowledgeGraph.from_records(self.nodes, assertions, schema=schema, problems=self.problems,
                                           require_definition=False)


# -- TSV ----------------------------------------------------------------------------------------------

def _read_node_table(path: Path, builder: _Builder, on_bytes: Callable[[int], object]) -> None:
    stream = TableStream(path, required=("id", "name", "kind"), known=("id", "name", "kind"), on_bytes=on_bytes)
    for row in stream:
        where = Where(row.file, row.line)
        parts = _split_id(row["id"])
        if parts is None or parts[0] != row["kind"]:
            builder.problems.append(where.problem(
                f"id {row['id']!r} does not start with its kind {row['kind']!r}", column="id",
                suggestion=f"Hetionet ids look like '{row['kind'] or 'Gene'}::<identifier>'"))
            continue
        builder.node(parts[0], parts[1], row["name"], {}, where)
    builder.problems += stream.problems


def _read_sif(path: Path, builder: _Builder, table: Mapping[str, MetaEdge],
              on_bytes: Callable[[int], object]) -> list[AssertionRecord]:
    stream = TableStream(path, required=("source", "metaedge", "target"), known=("source", "metaedge", "target"),
                         on_bytes=on_bytes)
    records = []
    for row in stream:
        where = Where(row.file, row.line)
        m = table.get(row["metaedge"])
        if m is None:
            builder.problems.append(where.problem(f"unknown metaedge {row['metaedge']!r}", column="metaedge",
                                                  suggestion=suggest(row["metaedge"], table)
                                                  or "pass metaedges= for another Hetionet version"))
            continue
        record = builder.edge(row["source"], m.verb, row["target"], {"metaedge": m.abbreviation}, where,
                              expected=(m.source, m.target))
        if record is not None:
            records.append(record)
    builder.problems += stream.problems
    return records


# -- JSON ---------------------------------------------------------------------------------------------

def _load_json(path: Path, problems: list[Problem], on_bytes: Callable[[int], object]) -> Any:
    try:
        with open_binary(path, on_bytes) as raw:
            return json.load(io.TextIOWrapper(raw, encoding="utf-8"))
    except json.JSONDecodeError as exc:
        problems.append(Problem(f"malformed JSON: {exc.msg}", file=str(path), line=exc.lineno, column=exc.colno))
    except UnicodeDecodeError as exc:
        problems.append(Problem(f"bytes are not UTF-8 (byte 0x{exc.object[exc.start]:02x})", file=str(path),
                                suggestion="save the file as UTF-8"))
    except (OSError, EOFError, ValueError) as exc:
        problems.append(Problem(f"cannot read file: {exc}", file=str(path)))
    except RecursionError:
        problems.append(Problem("JSON nested too deeply", file=str(path)))
    return None


def _fields(item: Any, required: Mapping[str, type | tuple[type, ...]], where: Where,
            problems: list[Problem]) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        problems.append(where.problem(f"expected an object, got {type(item).__name__}"))
        return None
    out = {}
    for key, types in required.items():
        value = item.get(key)
        if not isinstance(value, types) or isinstance(value, bool):
            problems.append(where.problem(f"{key!r} is missing or of the wrong type", column=key))
            return None
        out[key] = value
    data = item.get("data", {})
    if not isinstance(data, dict):
        problems.append(where.problem("'data' must be an object", column="data"))
        return None
    out["data"] = data
    return out


def _pair(value: Any) -> tuple[str, str] | None:
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) \
            and isinstance(value[1], (str, int)) and not isinstance(value[1], bool):
        return value[0], str(value[1])
    return None


def _read_json(path: Path, builder: _Builder, on_bytes: Callable[[int], object]) -> list[AssertionRecord]:
    doc = _load_json(path, builder.problems, on_bytes)
    if doc is None:
        return []
    name = str(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("nodes"), list) or not isinstance(doc.get("edges"), list):
        builder.problems.append(Problem("expected a Hetionet JSON object with 'nodes' and 'edges' lists", file=name))
        return []
    for i, item in enumerate(doc["nodes"]):
        where = Where(f"{name} nodes[{i}]", None)
        f = _fields(item, {"kind": str, "identifier": (str, int), "name": str}, where, builder.problems)
        if f is not None:
            builder.node(f["kind"], str(f["identifier"]), f["name"], f["data"], where)
    records = []
    for i, item in enumerate(doc["edges"]):
        where = Where(f"{name} edges[{i}]", None)
        f = _fields(item, {"kind": str, "source_id": list, "target_id": list}, where, builder.problems)
        if f is None:
            continue
        ends = [_pair(item["source_id"]), _pair(item["target_id"])]
        if None in ends:
            builder.problems.append(where.problem("source_id and target_id must be [kind, identifier]"))
            continue
        direction = item.get("direction", "both")
        attributes = {str(k): _text(v) for k, v in f["data"].items() if v not in (None, "")}
        attributes["direction"] = _text(direction)
        record = builder.edge("::".join(ends[0]), f["kind"], "::".join(ends[1]), attributes, where)
        if record is not None:
            records.append(record)
    return records


# -- public ---------------------------------------------------------------------------------------------

def _is_json(path: Path) -> bool:
    return data_suffix(path)[0] == ".json"


def _find(folder: Path) -> tuple[Path | None, Path | None, Path | None]:
    files = sorted(p for p in folder.iterdir() if p.is_file())
    json_file = next((p for p in files if _is_json(p)), None)
    nodes = next((p for p in files if "nodes" in p.name and ".tsv" in p.name), None)
    edges = next((p for p in files if "edges" in p.name and (".sif" in p.name or ".tsv" in p.name)), None)
    return json_file, nodes, edges


@gc_paused()
def read_hetionet(path: str | Path, edges: str | Path | None = None, *, metaedges: str | Path | None = None,
                  reference: str | None = None, schema: Schema | None = None,
                  progress: bool | None = None) -> "KnowledgeGraph":
    """A graph from Hetionet's files (mapping in the module docstring).

    Parameters
    ----------
    path : str or Path
        Hetionet's JSON file, or its node table (with ``edges``), or a folder holding either;
        files may be ``.gz``, ``.bz2`` or ``.xz``.
    edges : str or Path, optional
        The SIF edge table (``source``, ``metaedge``, ``target``) beside a node table.
    metaedges : str or Path, optional
        A table of metaedges (``metaedge``, ``abbreviation``) for another Hetionet version
        (default: the shipped one, :func:`read_metaedges`).
    reference : str, optional
        The evidence records' reference (default: ``"Hetionet (<file name>)"``).
    schema : Schema, optional
        The schema to read against (default: the shipped ontology's).
    progress : bool, optional
        A bar of the bytes read, as :func:`sle_graph.read_kgx` shows it (``False``: never).

    Returns
    -------
    KnowledgeGraph
        Hetionet's nodes and edges, with its relations as sub-predicates of ``related_to``.

    Raises
    ------
    ValidationError
        Every problem, each with its file and line (or JSON position); nothing is built then.

    Examples
    --------
    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> with open(os.path.join(folder, "nodes.tsv"), "w") as fh:
    ...     _ = fh.write("id\\tname\\tkind\\nDisease::DOID:9074\\tsystemic lupus erythematosus\\tDisease\\n")
    >>> kg = read_hetionet(folder, progress=False)
    >>> [n.label for n in kg.nodes()]
    ['systemic lupus erythematosus']
    """
    path = Path(path)
    if path.is_dir():
        json_file, nodes, found_edges = _find(path)
        if json_file is None and nodes is None:
            raise ValidationError(Problem("no Hetionet files here", file=str(path),
                                          suggestion="expected *nodes.tsv (and *edges.sif) or a .json file"))
        path, edges = (json_file, None) if json_file is not None and nodes is None else (nodes, edges or found_edges)
    if not path.exists():
        raise ValidationError(Problem("no such file", file=str(path)))
    source_file = edges if edges is not None else path
    builder = _Builder(schema or default_schema(), reference or f"Hetionet ({Path(source_file).name})")
    with reading_bar([path, edges], progress) as read:
        if _is_json(path):
            records = _read_json(path, builder, read.update)
        else:
            table = read_metaedges(metaedges)
            _read_node_table(path, builder, read.update)
            records = (_read_sif(Path(edges), builder, table, read.update)
                       if edges is not None and not builder.problems else [])
    return builder.build(records)


@dataclass(frozen=True)
class Link:
    """One of our nodes and the Hetionet node with the same standard identifier.

    :func:`link` returns them.

    Parameters
    ----------
    node : str
        Our node's id.
    curie : str
        The identifier both share.
    match : str
        How our node maps to the identifier: ``"exact"`` or ``"close"``.
    hetionet_id : str
        The Hetionet node's id (``Disease::DOID:9074``).
    hetionet_name : str
        The Hetionet node's name.
    hetionet_kind : str
        The Hetionet node's kind.

    Examples
    --------
    >>> found = Link("sle", "DOID:9074", "exact", "Disease::DOID:9074", "systemic lupus erythematosus",
    ...              "Disease")
    >>> found.hetionet_id.endswith(found.curie)
    True
    """

    node: str  # our node id
    curie: str  # the shared identifier
    match: str  # "exact" or "close": how our node maps to the identifier
    hetionet_id: str
    hetionet_name: str
    hetionet_kind: str


def link(kg: "KnowledgeGraph", nodes_path: str | Path) -> list[Link]:
    r"""Our nodes that have a Hetionet counterpart, without building Hetionet's graph.

    A counterpart shares a standard identifier: a mapping of ours equals the CURIE in a Hetionet
    node id (``sle`` maps ``DOID:9074``; Hetionet has ``Disease::DOID:9074``). Hetionet's node
    table is streamed.

    Parameters
    ----------
    kg : KnowledgeGraph
        Our graph.
    nodes_path : str or path-like
        Hetionet's node table (``id``, ``name``, ``kind``), compressed or not.

    Returns
    -------
    list of Link
        ``node``, ``curie``, ``match`` (``exact`` or ``close``) and the Hetionet node's id, name
        and kind; sorted by our node id, then CURIE.

    Raises
    ------
    ValidationError
        For a node table without the columns it needs.

    Examples
    --------
    >>> import os, tempfile
    >>> import sle_graph
    >>> from sle_graph.io.hetionet import link
    >>> path = os.path.join(tempfile.mkdtemp(), "nodes.tsv")
    >>> with open(path, "w") as fh:
    ...     _ = fh.write("id\tname\tkind\n"
    ...                  "Disease::DOID:9074\tsystemic lupus erythematosus\tDisease\n")
    >>> [(found.node, found.curie) for found in link(sle_graph.load(), path)]
    [('sle', 'DOID:9074')]
    """
    index: dict[str, list[tuple[str, str]]] = {}
    for n in kg.nodes():
        for match, curies in (("exact", n.exact_mappings), ("close", n.close_mappings)):
            for curie in curies:
                index.setdefault(curie, []).append((n.id, match))
    stream = TableStream(nodes_path, required=("id", "name", "kind"))
    found = []
    for row in stream:
        parts = _split_id(row["id"])
        if parts is None:
            continue
        for our, match in index.get(parts[1], ()):
            found.append(Link(our, parts[1], match, row["id"], row["name"], row["kind"]))
    if stream.problems:
        raise ValidationError(stream.problems)
    return sorted(found, key=lambda x: (x.node, x.curie, x.hetionet_id))
