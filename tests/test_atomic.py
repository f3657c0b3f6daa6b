"""Writers on a full disk: the old file stays byte for byte, and no temporary is left behind.

The disk is real: a small ``tmpfs`` mounted by the test (root only; skipped otherwise), then
filled so that the curated graph fits in no format.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Callable, Iterator

import pytest

import sle_graph
from sle_graph.atomic import atomic_write
from sle_graph.draw.diagram import render
from sle_graph.draw.explore import explore, to_html
from sle_graph.io.networks import write_gexf, write_graphml
from sle_graph.io.property_graph import write_neo4j
from sle_graph.io.triples import write_triples

Writer = Callable[[sle_graph.KnowledgeGraph, Path], object]

WRITERS: dict[str, Writer] = {
    "serialize turtle": lambda kg, d: kg.serialize(d / "g.ttl"),
    "serialize n-triples": lambda kg, d: kg.serialize(d / "g.nt", format="nt"),
    "serialize json-ld": lambda kg, d: kg.serialize(d / "g.jsonld", format="json-ld"),
    "to_kgx": lambda kg, d: kg.to_kgx(d),
    "write_neo4j": write_neo4j,
    "write_triples": write_triples,
    "write_graphml": lambda kg, d: write_graphml(kg, d / "g.graphml"),
    "write_gexf": lambda kg, d: write_gexf(kg, d / "g.gexf"),
    "render dot": lambda kg, d: render(kg, d / "g.dot", format="dot"),
    "render png": lambda kg, d: render(kg, d / "g.png"),
    "render html": lambda kg, d: render(kg, d / "r.html"),
    "to_html": lambda kg, d: to_html(kg, d / "g.html"),
    "Explorer.save": lambda kg, d: explore(kg).save(d / "e.html"),
}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


#: Room left on the disk for the new files: less than the curated graph needs in any format
#: (its smallest, the triples folder, takes about 16 KiB).
ROOM = 8 * 1024


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs, unmounted afterwards."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    point = tmp_path / "disk"
    point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(point)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", str(point)], check=True)


def _fill(folder: Path) -> None:
    """Fill the disk holding ``folder`` to :data:`ROOM` bytes of free space."""
    filler = folder.parent / "filler"
    filler.mkdir()
    free = shutil.disk_usage(folder).free
    (filler / "zeros").write_bytes(bytes(free - ROOM))
    assert shutil.disk_usage(folder).free <= ROOM


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_a_full_disk_leaves_the_old_file(name: str, small_disk: Path, kg: sle_graph.KnowledgeGraph) -> None:
    if name == "render png" and shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    write = WRITERS[name]
    folder = small_disk / "out"
    folder.mkdir()
    edge = kg.edges()[0]
    write(kg.subgraph([edge.subject, edge.object]), folder)  # the good old file(s)
    before = _snapshot(folder)
    assert before and all(before.values())
    _fill(folder)
    with pytest.raises(OSError) as failure:
        write(kg, folder)
    assert failure.value.errno == 28, failure.value  # ENOSPC: the disk really filled up
    assert _snapshot(folder) == before  # same names (no temporary left) and same bytes


def test_atomic_write_keeps_the_old_file_on_any_error(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"old")
    with pytest.raises(KeyError):
        with atomic_write(path, "wb") as fh:
            fh.write(b"new, half written")
            raise KeyError("stop")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_atomic_write_makes_the_file_a_plain_open_would(tmp_path: Path) -> None:
    plain, atomic = tmp_path / "plain.txt", tmp_path / "atomic.txt"
    with open(plain, "w", encoding="utf-8") as fh:
        fh.write("é\n")
    with atomic_write(atomic, encoding="utf-8") as fh:
        fh.write("é\n")
    assert atomic.read_bytes() == plain.read_bytes()
    assert atomic.stat().st_mode == plain.stat().st_mode


def test_atomic_write_refuses_other_modes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="mode"):
        with atomic_write(tmp_path / "x", "a"):
            pass
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["export", "merge"])
def test_the_command_line_on_a_full_disk_says_so_and_leaves_the_old_files(
        command: str, small_disk: Path, tmp_path: Path, kg: sle_graph.KnowledgeGraph,
        capsys: pytest.CaptureFixture[str]) -> None:
    from sle_graph.cli import main

    folder = small_disk / "out"
    folder.mkdir()
    if command == "export":
        argv = ["export", "-o", str(folder / "graph.ttl")]
    else:
        edge = kg.edges()[0]
        kg.subgraph([edge.subject, edge.object]).to_kgx(tmp_path / "source")
        argv = ["merge", str(tmp_path / "source"), "-o", str(folder / "merged")]
    assert main(argv) == 0
    before = {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    assert before
    _fill(folder)
    capsys.readouterr()
    assert main(argv) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} == before
