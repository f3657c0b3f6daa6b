"""The real ``kgx`` tool as the oracle: its validator accepts ``to_kgx`` output, and its transformer
(default and stream modes, TSV -> JSON Lines -> TSV) gives back a graph ``read_kgx`` reads equal.

``kgx`` runs through ``tools/kgx_offline.py``: on the Biolink model of the ``biolink-model`` package,
with sockets held to loopback (a run that tried the network would fail).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

import sle_graph
from sle_graph import KnowledgeGraph, read_kgx
from sle_graph.io.kgx import EDGE_COLUMNS, NODE_COLUMNS

from .test_kgx import graphs

REPO = Path(__file__).resolve().parents[2]
RUNNER = REPO / "tools" / "kgx_offline.py"
MISSING = [m for m in ("kgx", "bmt", "biolink_model", "prefixcommons") if importlib.util.find_spec(m) is None]
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(bool(MISSING), reason=f"needs the kgx tool (pip install kgx biolink-model): "
                                                       f"{', '.join(MISSING)} not installed")]

#: Streams JSON Lines to TSV through kgx's Python API: its command line cannot name the columns a
#: streamed TSV gets (it writes KGX's default few), its API can (``node_properties``/``edge_properties``).
STREAM_TO_TSV = f"""
import sys
sys.path.insert(0, {str(RUNNER.parent)!r})
import kgx_offline
kgx_offline.configure()
from kgx.transformer import Transformer
nodes, edges, out = sys.argv[1:4]
Transformer(stream=True).transform(
    input_args={{"filename": [nodes, edges], "format": "jsonl"}},
    output_args={{"filename": out, "format": "tsv", "node_properties": {list(NODE_COLUMNS)!r},
                 "edge_properties": {list(EDGE_COLUMNS)!r}}})
"""


def kgx(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, str(RUNNER), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "refused (offline run)" not in done.stderr, done.stderr[-3000:]
    return done


#: kgx's validator, through the function its ``validate`` command runs; the report it returns is
#: printed as JSON (the command writes it to stderr among its log, whatever ``-o`` says).
VALIDATE = f"""
import json, sys
sys.path.insert(0, {str(RUNNER.parent)!r})
import kgx_offline
kgx_offline.configure()
from kgx.cli.cli_utils import validate
errors = validate(sys.argv[1:], "tsv", None, None)
print(json.dumps(errors))
"""


def validate(nodes: Path, edges: Path, folder: Path, script: str = VALIDATE) -> dict:
    done = subprocess.run([sys.executable, "-c", script, str(nodes), str(edges)], cwd=folder,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "refused (offline run)" not in done.stderr, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def through_kgx(nodes: Path, edges: Path, folder: Path, stream: bool) -> tuple[Path, Path]:
    """TSV -> JSON Lines -> TSV with kgx transform; the TSV pair it writes last."""
    folder.mkdir(parents=True, exist_ok=True)
    flag = ["--stream"] if stream else []
    kgx("transform", *flag, "-i", "tsv", "-f", "jsonl", "-o", str(folder / "g"), str(nodes), str(edges), cwd=folder)
    jsonl = folder / "g_nodes.jsonl", folder / "g_edges.jsonl"
    if stream:
        done = subprocess.run([sys.executable, "-c", STREAM_TO_TSV, *map(str, jsonl), str(folder / "back")],
                              cwd=folder, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
    else:
        kgx("transform", "-i", "jsonl", "-f", "tsv", "-o", str(folder / "back"), *map(str, jsonl), cwd=folder)
    return folder / "back_nodes.tsv", folder / "back_edges.tsv"


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return sle_graph.load()


def test_validator_finds_no_error(kg, tmp_path):
    report = validate(*kg.to_kgx(tmp_path / "out"), tmp_path)
    assert "ERROR" not in report, json.dumps(report, indent=1)[:3000]


def test_validator_objects_to_a_row_without_knowledge_level(kg, tmp_path):
    """The oracle can fail: a row stripped of a required Biolink slot is reported."""
    nodes, edges = kg.to_kgx(tmp_path / "out")
    lines = edges.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    at = header.index("knowledge_level")
    cells = lines[1].split("\t")
    cells[at] = ""
    lines[1] = "\t".join(cells)
    edges.write_text("\n".join(lines), encoding="utf-8")
    report = validate(nodes, edges, tmp_path)
    assert "knowledge_level" in json.dumps(report.get("ERROR", {}))


def test_validator_needs_our_prefix_declared(kg, tmp_path):
    """Without ``sle`` in the context kgx's validator reads, every one of our ids is an error."""
    undeclared = VALIDATE.replace("kgx_offline.configure()\n", "kgx_offline.configure()\n"
                                  "import kgx.config\nkgx.config.jsonld_context_map['biolink'].pop('sle')\n")
    assert undeclared != VALIDATE
    report = validate(*kg.to_kgx(tmp_path / "out"), tmp_path, undeclared)
    assert "CURIE prefix 'sle'" in json.dumps(report.get("ERROR", {}))


@pytest.mark.parametrize("stream", [False, True], ids=["default", "stream"])
def test_curated_graph_survives_kgx_transform(kg, tmp_path, stream):
    back = through_kgx(*kg.to_kgx(tmp_path / "out"), tmp_path, stream)
    assert read_kgx(*back) == kg
    rows = [json.loads(r) for r in (tmp_path / "g_edges.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len((tmp_path / "out" / "edges.tsv").read_text(encoding="utf-8").splitlines()) - 1
    assert sum(len(json.loads(r["sle_records"])) for r in rows) == sum(len(e.evidence) for e in kg.edges())


def test_merged_foreign_graph_survives_kgx_transform(kg, tmp_path):
    from .test_kgx import FOREIGN_EDGES, FOREIGN_NODES, write_tsv
    nodes = write_tsv(tmp_path / "nodes.tsv", ["id", "category", "name", "provided_by", "xref"], FOREIGN_NODES)
    edges = write_tsv(tmp_path / "edges.tsv", ["subject", "predicate", "object", "primary_knowledge_source",
                                               "publications", "knowledge_level"], FOREIGN_EDGES)
    merged = kg.merge(read_kgx(nodes, edges))
    out = merged.to_kgx(tmp_path / "out")
    assert "ERROR" not in validate(*out, tmp_path)
    assert read_kgx(*through_kgx(*out, tmp_path / "t", stream=False)) == merged


#: kgx transform, default mode, TSV -> JSON Lines -> TSV, for several graphs in one process.
BATCH = f"""
import sys
sys.path.insert(0, {str(RUNNER.parent)!r})
import kgx_offline
kgx_offline.configure()
from kgx.transformer import Transformer
for folder in sys.argv[1:]:
    Transformer().transform(input_args={{"filename": [folder + "/nodes.tsv", folder + "/edges.tsv"],
                                         "format": "tsv"}},
                            output_args={{"filename": folder + "/g", "format": "jsonl"}})
    Transformer().transform(input_args={{"filename": [folder + "/g_nodes.jsonl", folder + "/g_edges.jsonl"],
                                         "format": "jsonl"}},
                            output_args={{"filename": folder + "/back", "format": "tsv"}})
"""


# Each example runs kgx (seconds): few examples, six graphs each, and no shrinking.
@settings(max_examples=3, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(st.lists(graphs(), min_size=6, max_size=6))
def test_any_graph_survives_kgx_transform(tmp_path_factory, batch):
    """Random graphs (text with tabs, line breaks, quotes and |) through kgx's transformer."""
    folder = tmp_path_factory.mktemp("batch")
    for i, g in enumerate(batch):
        g.to_kgx(folder / str(i))
    done = subprocess.run([sys.executable, "-c", BATCH, *(str(folder / str(i)) for i in range(len(batch)))],
                          cwd=folder, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    for i, g in enumerate(batch):
        assert read_kgx(folder / str(i) / "back_nodes.tsv", folder / str(i) / "back_edges.tsv") == g
