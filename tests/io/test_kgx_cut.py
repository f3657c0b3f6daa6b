"""KGX files cut short (as a writer that stopped midway leaves them) are refused, naming the file.

``to_kgx`` writes ``manifest.json`` (rows, bytes, SHA-256 of each file) and ``read_kgx`` checks
it; without a manifest, a last line without its line break is still taken for a cut.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sle_graph
from sle_graph import ValidationError
from sle_graph.io.kgx import MANIFEST

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def test_the_manifest_records_each_file(tmp_path, kg):
    nodes, edges = kg.to_kgx(tmp_path / "a")
    manifest = json.loads((tmp_path / "a" / MANIFEST).read_text(encoding="utf-8"))
    for path in (nodes, edges):
        data = path.read_bytes()
        assert manifest["files"][path.name] == {"bytes": len(data), "rows": data.count(b"\n") - 1,
                                                "sha256": hashlib.sha256(data).hexdigest()}
    assert manifest["files"]["edges.tsv"]["rows"] > 100
    kg.to_kgx(tmp_path / "b")
    assert (tmp_path / "b" / MANIFEST).read_bytes() == (tmp_path / "a" / MANIFEST).read_bytes()


@SETTINGS
@given(which=st.sampled_from(["nodes.tsv", "edges.tsv"]), share=st.floats(0, 0.999))
def test_a_file_cut_at_a_line_end_is_refused(tmp_path_factory, kg, which, share):
    folder = tmp_path_factory.mktemp("kgx")
    nodes, edges = kg.to_kgx(folder)
    lines = _lines(folder / which)
    kept = int(len(lines) * share)  # header included: 0 keeps an empty file
    (folder / which).write_bytes(b"".join(lines[:kept]))
    with pytest.raises(ValidationError) as err:
        sle_graph.read_kgx(nodes, edges)
    [problem] = err.value.problems
    assert problem.file == str(folder / which)
    assert f"has {max(kept - 1, 0)} rows" in problem.message and f"says {len(lines) - 1}" in problem.message


def test_a_changed_file_with_the_same_rows_is_refused(tmp_path, kg):
    nodes, edges = kg.to_kgx(tmp_path)
    data = edges.read_bytes()
    edges.write_bytes(data.replace(b"manual_agent", b"manual_agenX", 1))
    with pytest.raises(ValidationError, match="SHA-256") as err:
        sle_graph.read_kgx(nodes, edges)
    assert err.value.problems[0].file == str(edges)


def test_without_a_manifest_a_last_line_without_its_break_is_a_cut(tmp_path, kg):
    nodes, edges = kg.to_kgx(tmp_path)
    (tmp_path / MANIFEST).unlink()
    lines = _lines(edges)
    edges.write_bytes(b"".join(lines[:-1]) + lines[-1][: len(lines[-1]) // 2])
    with pytest.raises(ValidationError, match="no line break") as err:
        sle_graph.read_kgx(nodes, edges)
    assert err.value.problems[0].file == str(edges)
    edges.write_bytes(b"".join(lines))
    assert sle_graph.read_kgx(nodes, edges) == kg  # whole files, no manifest: read as before


def test_an_unreadable_manifest_is_named(tmp_path, kg):
    nodes, edges = kg.to_kgx(tmp_path)
    (tmp_path / MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationError, match="unreadable manifest") as err:
        sle_graph.read_kgx(nodes, edges)
    assert err.value.problems[0].file == str(tmp_path / MANIFEST)


def test_files_the_manifest_does_not_list_are_read(tmp_path, kg):
    nodes, edges = kg.to_kgx(tmp_path)
    renamed = edges.rename(tmp_path / "edges-copy.tsv")
    assert sle_graph.read_kgx(nodes, renamed) == kg
