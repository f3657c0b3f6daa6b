"""Property graphs: CSV files for Neo4j's bulk importer, and the same files loaded into Kùzu (Cypher).

:func:`write_neo4j` writes a folder of two CSV files in the layout ``neo4j-admin database import
full --nodes=nodes.csv --relationships=relationships.csv`` reads (comma-separated, a header whose
columns are ``name:type``, arrays joined with ``;``, Neo4j's default array delimiter):

- ``nodes.csv``: ``id:ID``, ``:LABEL`` (the node's kind and its super-kinds, so ``MATCH
  (c:Cell)`` finds stem cells as the pattern ``Cell`` does), ``label``, ``kind``, ``definition``,
  ``synonyms:string[]``, ``mappings:string[]``, then the nodes' own attributes (study facts),
  empty where a node has none.
- ``relationships.csv``: ``:START_ID``, ``:END_ID``, ``:TYPE`` (the predicate), ``grade``,
  ``status``, ``evidence_count:int``, ``supports:int``, ``contradicts:int``, ``neutral:int``,
  ``sources:string[]`` and ``evidence`` (every evidence record as JSON, as in
  :mod:`sle_graph.io.networks`).

:func:`load_kuzu` reads such a folder into an embedded Kùzu database (``pip install kuzu``), so
Cypher runs on the graph without a server: one node table ``Node`` (with ``kinds``, the labels as
a list) and one relationship table per predicate. Its answers are those of ``kg.match`` for the
same pattern, written in Cypher: ``'msc' -[acts_through]-> Mechanism`` is ``MATCH (a:Node {id:
'msc'})-[:acts_through]->(m:Node) WHERE list_contains(m.kinds, 'Mechanism')``.

Example
-------
>>> import os, tempfile, sle_graph
>>> kg = sle_graph.load()
>>> folder = tempfile.mkdtemp()
>>> [p.name for p in kg.to_neo4j(folder)]
['nodes.csv', 'relationships.csv']
>>> open(os.path.join(folder, "nodes.csv")).readline().split(",")[:3]
['id:ID', ':LABEL', 'label']
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..atomic import atomic_files
from ..errors import InvalidArgument
from .networks import STANCES, evidence_json

if TYPE_CHECKING:  # pragma: no cover
    import kuzu

    from ..graph import KnowledgeGraph

__all__ = ["write_neo4j", "load_kuzu", "ARRAY_DELIMITER", "NODE_TABLE"]

#: What joins the items of an array column (Neo4j's default).
#:
#: Examples
#: --------
#: >>> import csv, os, tempfile, sle_graph
#: >>> from sle_graph.io.property_graph import ARRAY_DELIMITER
#: >>> folder = tempfile.mkdtemp()
#: >>> _ = sle_graph.load().to_neo4j(folder)
#: >>> with open(os.path.join(folder, "nodes.csv"), newline="") as fh:
#: ...     row = next(r for r in csv.DictReader(fh) if r["id:ID"] == "msc")
#: >>> row["synonyms:string[]"].split(ARRAY_DELIMITER)[0]
#: 'MSC'
ARRAY_DELIMITER = ";"
#: The Kùzu node table that holds every node.
#:
#: Examples
#: --------
#: >>> from sle_graph.io.property_graph import NODE_TABLE
#: >>> f"MATCH (n:{NODE_TABLE}) RETURN count(n)"
#: 'MATCH (n:Node) RETURN count(n)'
NODE_TABLE = "Node"

_NODE_FIELDS = ["id:ID", ":LABEL", "label", "kind", "definition", "synonyms:string[]", "mappings:string[]"]
_EDGE_FIELDS = [":START_ID", ":END_ID", ":TYPE", "grade", "status", "evidence_count:int",
                *(f"{s}:int" for s in STANCES), "sources:string[]", "evidence"]


def _array(items: Any) -> str:
    for item in items:
        if ARRAY_DELIMITER in item:
            raise InvalidArgument(f"cannot write {item!r} in a Neo4j array: it holds the delimiter {ARRAY_DELIMITER!r}")
    return ARRAY_DELIMITER.join(items)


def write_neo4j(kg: "KnowledgeGraph", directory: "str | os.PathLike[str]") -> list[Path]:
    """Write ``nodes.csv`` and ``relationships.csv`` for ``neo4j-admin database import``.

    What :meth:`KnowledgeGraph.to_neo4j` calls; :mod:`sle_graph.io.property_graph` describes the
    columns.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    directory : str or path-like
        The folder; created if missing.

    Returns
    -------
    list of pathlib.Path
        The two paths.

    Raises
    ------
    OSError
        When the folder cannot be written.
    InvalidArgument
        When a listed value holds ``;`` (the array delimiter).

    Examples
    --------
    >>> import tempfile, sle_graph
    >>> from sle_graph.io.property_graph import write_neo4j
    >>> nodes, edges = write_neo4j(sle_graph.load(), tempfile.mkdtemp())
    >>> open(edges).readline().split(",")[:3]
    [':START_ID', ':END_ID', ':TYPE']
    """
    folder = Path(directory)
    extra = sorted({k for n in kg.node_map.values() for k in n.attributes})
    node_rows = []
    for node_id in sorted(kg.node_map):
        n = kg.node_map[node_id]
        node_rows.append([n.id, _array(kg.schema.ancestors(n.kind)), n.label, n.kind, n.definition,
                          _array(n.synonyms), _array(n.mappings), *(str(n.attributes.get(k, "")) for k in extra)])
    edge_rows = []
    for key in sorted(kg.edge_map):
        e = kg.edge_map[key]
        stances = [sum(ev.stance == s for ev in e.evidence) for s in STANCES]
        edge_rows.append([e.subject, e.object, e.predicate, e.grade or "", e.status or "", len(e.evidence),
                          *stances, _array(sorted(set(e.sources))), evidence_json(e)])
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "nodes.csv", folder / "relationships.csv"]
    with atomic_files(paths, encoding="utf-8", newline="") as files:
        for fh, header, rows in ((files[0], _NODE_FIELDS + extra, node_rows), (files[1], _EDGE_FIELDS, edge_rows)):
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
    return paths


def _read(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a Neo4j import CSV, typed by its header (``name:int``, ``name:string[]``)."""
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        columns = []
        for h in header:
            name, _, kind = h.partition(":")
            columns.append((name or kind, kind))
        for row in reader:
            out: dict[str, Any] = {}
            for (name, kind), value in zip(columns, row):
                if kind.endswith("[]") or kind == "LABEL":
                    out[name] = value.split(ARRAY_DELIMITER) if value else []
                elif kind in ("int", "long"):
                    out[name] = int(value)
                else:
                    out[name] = value
            yield out


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def load_kuzu(directory: "str | os.PathLike[str]", database: "str | os.PathLike[str]") -> "kuzu.Connection":
    """Load a :func:`write_neo4j` folder into a new Kùzu database at ``database``.

    Nodes go to the table ``Node`` (``id``, ``kinds`` (the labels), ``label``, ``kind``,
    ``definition``, ``synonyms``, ``mappings``, then the attribute columns as text); each
    relationship type to a table of that name, with the relationship file's columns.

    Parameters
    ----------
    directory : str or path-like
        The folder :func:`write_neo4j` wrote.
    database : str or path-like
        Where the new database goes.

    Returns
    -------
    kuzu.Connection
        A connection to the database.

    Raises
    ------
    ImportError
        Without the ``kuzu`` package.
    FileNotFoundError
        Without the files.

    Examples
    --------
    >>> import os, tempfile, sle_graph
    >>> from sle_graph.io.property_graph import load_kuzu
    >>> folder = tempfile.mkdtemp()
    >>> _ = sle_graph.load().to_neo4j(folder)
    >>> conn = load_kuzu(folder, os.path.join(folder, "db"))
    >>> query = "MATCH (t:Node {id: 'ahsct'})-[:has_outcome]->(o:Node) RETURN count(*)"
    >>> conn.execute(query).get_next()[0] > 0
    True
    """
    import kuzu

    folder = Path(directory)
    nodes = list(_read(folder / "nodes.csv"))
    edges = list(_read(folder / "relationships.csv"))
    conn = kuzu.Connection(kuzu.Database(os.fspath(database)))
    node_cols = [c for c in (nodes[0] if nodes else {"ID": "", "LABEL": []})]
    types = {"ID": "STRING", "LABEL": "STRING[]", "synonyms": "STRING[]", "mappings": "STRING[]"}
    names = {"ID": "id", "LABEL": "kinds"}
    decl = ", ".join(f"{_quote(names.get(c, c))} {types.get(c, 'STRING')}" for c in node_cols)
    conn.execute(f"CREATE NODE TABLE {NODE_TABLE}({decl}, PRIMARY KEY(id))")
    if nodes:
        sets = ", ".join(f"{_quote(names.get(c, c))}: r.{_quote(names.get(c, c))}" for c in node_cols)
        conn.execute(f"UNWIND $rows AS r CREATE (:{NODE_TABLE} {{{sets}}})",
                     {"rows": [{names.get(c, c): r[c] for c in node_cols} for r in nodes]})
    edge_props = [c for c in (edges[0] if edges else {}) if c not in ("START_ID", "END_ID", "TYPE")]
    edge_types = {"evidence_count": "INT64", **{s: "INT64" for s in STANCES}, "sources": "STRING[]"}
    for rel in sorted({e["TYPE"] for e in edges}):
        props = "".join(f", {_quote(c)} {edge_types.get(c, 'STRING')}" for c in edge_props)
        conn.execute(f"CREATE REL TABLE {_quote(rel)}(FROM {NODE_TABLE} TO {NODE_TABLE}{props})")
        sets = ", ".join(f"{_quote(c)}: r.{_quote(c)}" for c in edge_props)
        conn.execute(f"UNWIND $rows AS r MATCH (a:{NODE_TABLE} {{id: r.s}}), (b:{NODE_TABLE} {{id: r.o}}) "
                     f"CREATE (a)-[:{_quote(rel)} {{{sets}}}]->(b)",
                     {"rows": [{"s": e["START_ID"], "o": e["END_ID"], **{c: e[c] for c in edge_props}}
                               for e in edges if e["TYPE"] == rel]})
    return conn
