"""Progress bars on long work: shown on a terminal (a real pseudo-terminal here) or with
``progress=True``, silent when piped, captured, or with ``progress=False``."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sle_graph
from sle_graph import progress
from tests.endpoint.oxigraph_server import oxigraph  # noqa: F401 (fixture)

SRC = Path(__file__).resolve().parents[1] / "src"


def test_writing_shows_a_bar_when_asked_and_only_then(kg, tmp_path, capsys):
    target = tmp_path / "sle.nt"
    kg.serialize(target, format="nt", progress=True)
    err = capsys.readouterr().err
    assert f"writing {target}" in err and "B/s" in err
    size = target.stat().st_size
    kg.serialize(target, format="nt", progress=False)
    kg.serialize(target, format="nt")  # a small graph, a captured stream: no bar either way
    assert capsys.readouterr().err == "" and target.stat().st_size == size


def test_the_bar_changes_no_byte_of_the_output(kg, tmp_path):
    kg.serialize(tmp_path / "a.ttl", progress=True)
    kg.serialize(tmp_path / "b.ttl", progress=False)
    assert (tmp_path / "a.ttl").read_bytes() == (tmp_path / "b.ttl").read_bytes() == kg.serialize().encode()


SCRIPT = """
import sys
import sle_graph
from sle_graph import progress
progress.LARGE = 0  # every graph counts as large here
sle_graph.load().serialize(sys.argv[1], format="nt")
"""


def _run_on_a_terminal(script: str, *args: str) -> str:
    """Run ``script`` with its standard error on a pseudo-terminal; what it wrote there."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a 100-column terminal
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, "-c", script, *args], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    out = b""
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the terminal closed: the program ended
            break
        if not data:
            break
        out += data
    os.close(leader)
    assert proc.wait(timeout=120) == 0
    return out.decode("utf-8", "replace")


def test_a_terminal_shows_the_bar_and_a_pipe_does_not(tmp_path):
    shown = _run_on_a_terminal(SCRIPT, str(tmp_path / "t.nt"))
    assert f"writing {tmp_path / 't.nt'}" in shown
    piped = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "p.nt")], capture_output=True,
                           text=True, env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=120)
    assert piped.returncode == 0 and piped.stderr == ""
    assert (tmp_path / "t.nt").read_bytes() == (tmp_path / "p.nt").read_bytes()


def test_wanted_follows_the_argument_then_the_stream(monkeypatch):
    class Stream:
        def __init__(self, tty: bool):
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    assert progress.wanted(True, Stream(False)) and not progress.wanted(False, Stream(True))
    assert progress.wanted(None, Stream(True)) and not progress.wanted(None, Stream(False))
    monkeypatch.setitem(sys.modules, "ipykernel", sys)  # a Jupyter kernel runs us
    assert progress.wanted(None, Stream(False))
    assert isinstance(progress.bar(10, "x", progress=False), progress.Silent)


def test_pushing_shows_a_bar_when_asked(oxigraph, kg, capsys):  # noqa: F811
    kg.push(oxigraph.url, graph="urn:sle-graph:test:progress", progress=True)
    err = capsys.readouterr().err
    assert f"pushing to {oxigraph.url}" in err and "triples" in err
    kg.push(oxigraph.url, graph="urn:sle-graph:test:progress", progress=False)
    assert capsys.readouterr().err == ""


def test_reading_shows_a_bar_when_asked_and_only_then(kg, tmp_path, capsys):
    target = tmp_path / "sle.nt"
    kg.serialize(target, format="nt", progress=False)
    assert sle_graph.read_rdf(target, progress=True) == kg
    err = capsys.readouterr().err
    assert f"reading {target}" in err
    assert sle_graph.read_rdf(target, progress=False) == kg == sle_graph.read_rdf(target)
    assert capsys.readouterr().err == ""


def test_reading_a_large_file_in_ranges_counts_every_byte(kg, tmp_path):
    from sle_graph.rdf import chunks

    target = tmp_path / "sle.nt"
    kg.serialize(target, format="nt", progress=False)
    counted: list[int] = []
    props = chunks.parse(target, "nt", processes=2, on_bytes=counted.append)
    if props is None:
        pytest.skip("the file was not split (one core, or too small to be worth it)")
    assert len(counted) >= 2 and sum(counted) == target.stat().st_size


def _kgx_folder(kg, folder: Path) -> Path:
    kg.to_kgx(folder)
    return folder


def _hetionet_files(folder: Path) -> tuple[Path, Path]:
    from tests.io.test_hetionet import write_tsv

    return write_tsv(folder)


def test_reading_kgx_and_hetionet_shows_a_bar_when_asked_and_only_then(kg, tmp_path, capsys):
    folder = _kgx_folder(kg, tmp_path / "kgx")
    nodes, edges = _hetionet_files(tmp_path)
    assert sle_graph.read(folder, progress=True) == kg
    shown = capsys.readouterr().err
    assert f"reading {folder}" in shown and "B/s" in shown
    hetionet = sle_graph.read((nodes, edges), progress=True)
    assert f"reading {tmp_path}" in capsys.readouterr().err
    # off, and by default for small files on a captured stream: not a byte on standard error
    assert sle_graph.read(folder, progress=False) == kg == sle_graph.read(folder)
    assert sle_graph.read((nodes, edges), progress=False) == hetionet == sle_graph.read((nodes, edges))
    assert sle_graph.read_kgx(folder / "nodes.tsv", folder / "edges.tsv", progress=False) == kg
    assert capsys.readouterr().err == ""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3 << 20).map(lambda b: b * 3), compression=st.sampled_from(["", ".gz", ".bz2", ".xz"]))
def test_what_a_bar_is_told_adds_up_to_the_file(tmp_path, data, compression):
    """KGX and Hetionet readers tell their bar the bytes ``open_binary`` reads from the disk: of a
    compressed file its compressed bytes, which add up to the file's size (the bar's total)."""
    import bz2
    import gzip
    import lzma

    from sle_graph.build.tables import open_binary

    packed = {"": bytes, ".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}[compression](data)
    path = tmp_path / f"t.tsv{compression}"
    path.write_bytes(packed)
    counted: list[int] = []
    with open_binary(path, counted.append) as fh:
        assert fh.read() == data
    assert sum(counted) == len(packed) and all(n <= 1 << 20 for n in counted)


READ_SCRIPT = """
import sys
import sle_graph
from sle_graph import progress
progress.LARGE_FILE = 0  # every file counts as large here
sle_graph.read(sys.argv[1])
"""


def test_reading_on_a_terminal_shows_the_bar_and_a_pipe_does_not(kg, tmp_path):
    folder = _kgx_folder(kg, tmp_path / "kgx")
    assert f"reading {folder}" in _run_on_a_terminal(READ_SCRIPT, str(folder))
    piped = subprocess.run([sys.executable, "-c", READ_SCRIPT, str(folder)], capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=120)
    assert piped.returncode == 0 and piped.stderr == ""


def test_read_refuses_an_option_its_format_does_not_take(kg, tmp_path):
    folder = _kgx_folder(kg, tmp_path / "kgx")
    with pytest.raises(sle_graph.InvalidArgument, match="metaedges= does not apply to kgx files"):
        sle_graph.read(folder, metaedges=tmp_path / "m.tsv")
