"""read_kgx's columnar reader against its line reader: the same graph, or the same problems.

The line reader (``columnar=False``) reads and validates one row at a time; the columnar one
reads the edges file with pyarrow and validates each distinct combination of values once. Random
KGX pairs, good and bad (dangling ends, malformed predicates and references, foreign predicates,
padded fields, blank rows, quotes, carriage returns, bytes that are not UTF-8, JSON records of
ours, broken or with modalities), must give equal graphs (grades, statuses and schema included)
or equal problem lists through both.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import sle_graph
from sle_graph import ValidationError, read_kgx
from sle_graph.build.columns import read_columns
from sle_graph.build.tables import TableStream

pytest.importorskip("pyarrow")

CATEGORIES = ["biolink:Disease", "biolink:Cell", "biolink:SmallMolecule", "biolink:NamedThing",
              "biolink:BiologicalProcess", "biolink:Gene"]
PREDICATES = ["biolink:related_to", "biolink:treats", "biolink:has_adverse_event", "biolink:interacts_with",
              "ex:binds"]
SOURCES = ["infores:a", "infores:b", "source doc"]
PUBLICATIONS = ["", "PMID:1", "PMID:1|PMID:2", "doi:10.1000/xyz"]
NOTES = ["", "a", " a", "b ", "x|y", "é"]
RECORDS = [
    "",
    json.dumps([{"predicate": "related_to", "source": "infores:a", "reference": "PMID:1"}]),
    json.dumps([{"predicate": "related_to", "source": "infores:a", "reference": "PMID:1"},
                {"predicate": "ex:binds", "source": "infores:b", "reference": "PMID:2", "stance": "contradicts"}]),
    json.dumps([{"predicate": "related_to", "source": "doc", "quote": "abc", "start": 0, "end": 3,
                 "modality": "asserted"}]),
    "[]",
]
#: One fault per file at most: a column and the value that breaks the row (or the file).
FAULTS = [("subject", "n99"), ("object", "sle:n99"), ("predicate", "not a curie"), ("publications", "PMID: 1x"),
          ("primary_knowledge_source", ""), ("sle_records", "[{"), ("sle_records", '[{"predicate": "x", "sauce": 1}]'),
          ("sle_records", json.dumps([{"predicate": "related_to", "source": "doc", "quote": "abc", "start": 0,
                                       "end": 3, "modality": "possible"}])),
          ("sle_records", json.dumps([{"predicate": "related_to", "source": "doc", "quote": "abc", "start": 0,
                                       "end": 2}])),
          ("file", "blank line"), ("file", "blank fields"), ("file", "crlf"), ("file", "quote"), ("file", "cr"),
          ("file", "latin-1"), ("file", "short row"), ("file", "padded header")]


@st.composite
def kgx_pairs(draw) -> tuple[bytes, bytes]:
    """A KGX pair, valid but for at most one fault (in a row, or in the file's bytes)."""
    n_nodes = draw(st.integers(2, 6))
    node_lines = ["id\tcategory\tname\tsle_node",  # one node of ours: a source document, for quotes
                  'doc\tbiolink:NamedThing\tdoc\t{"kind": "SourceDocument", "label": "doc"}']
    node_lines += [f"n{i}\t{draw(st.sampled_from(CATEGORIES))}\tnode {i}\t" for i in range(n_nodes)]
    ends = st.sampled_from([f"n{i}" for i in range(n_nodes)] + ["sle:n0", "sle:n1"])
    columns = ["subject", "predicate", "object", "primary_knowledge_source", "publications", "note"]
    if draw(st.booleans()):
        columns.append("sle_records")
    values = {"subject": ends, "object": ends, "predicate": st.sampled_from(PREDICATES),
              "primary_knowledge_source": st.sampled_from(SOURCES), "publications": st.sampled_from(PUBLICATIONS),
              "note": st.sampled_from(NOTES), "sle_records": st.sampled_from(RECORDS)}
    rows = [{c: draw(values[c]) for c in columns} for _ in range(draw(st.integers(1, 12)))]
    rows += draw(st.lists(st.sampled_from(rows), max_size=4))  # repeated rows: one edge, pooled evidence
    fault = draw(st.none() | st.sampled_from([f for f in FAULTS if f[0] in columns + ["file"]]))
    if fault is not None and fault[0] != "file":
        draw(st.sampled_from(rows))[fault[0]] = fault[1]
        if fault[0] == "sle_records" and "modality" in fault[1]:  # the same quote, another modality
            rows.append(dict(rows[0], sle_records=fault[1]))
            rows.append(dict(rows[0], sle_records=RECORDS[3]))
    oddity = fault[1] if fault is not None and fault[0] == "file" else ""
    header = "\t".join(columns).replace("subject", " subject " if oddity == "padded header" else "subject")
    lines = ["\t".join(r[c] for c in columns) for r in rows]
    if oddity == "blank line":
        lines.insert(draw(st.integers(0, len(lines))), "")
    elif oddity == "blank fields":
        lines.insert(draw(st.integers(0, len(lines))), "\t".join(" " * len(columns)))
    elif oddity == "quote":
        lines[0] = '"' + lines[0]
    elif oddity == "cr":
        lines[0] = lines[0].replace("\t", "\r", 1)
    elif oddity == "short row":
        lines[-1] = lines[-1].rsplit("\t", 1)[0]
    end = "\r\n" if oddity == "crlf" else "\n"
    edges = (end.join([header] + lines) + end).encode("utf-8")
    if oddity == "latin-1":
        edges += b"caf\xe9\tx\n"
    return ("\n".join(node_lines) + "\n").encode("utf-8"), edges


def _read(nodes: Path, edges: Path, columnar: bool) -> object:
    try:
        kg = read_kgx(nodes, edges, columnar=columnar)
    except ValidationError as e:
        return [str(p) for p in e.problems]
    return kg, kg.schema, [(e.key, e.grade, e.status) for e in kg.edges()]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(kgx_pairs())
def test_columnar_reader_reads_as_the_line_reader(tmp_path, pair):
    nodes, edges = tmp_path / "nodes.tsv", tmp_path / "edges.tsv"
    nodes.write_bytes(pair[0])
    edges.write_bytes(pair[1])
    assert _read(nodes, edges, True) == _read(nodes, edges, False)


def test_a_plain_file_takes_the_columnar_path(tmp_path):
    """The property above compares two readers only where the columnar one reads the file: it does
    read plain KGX files and ours (the curated graph's, with JSON records)."""
    kg = sle_graph.load()
    nodes, edges = kg.to_kgx(tmp_path)
    table = read_columns(edges, required=("subject", "predicate", "object"))
    assert table is not None and len(table) == sum(1 for _ in TableStream(edges, required=(), quoting=True))
    assert read_kgx(nodes, edges) == kg
