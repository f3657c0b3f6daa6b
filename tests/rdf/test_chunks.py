"""N-Triples and Turtle parsed in parallel chunks give what one sequential parse gives, or nothing.

Real worker processes, real pyoxigraph: the file is cut (N-Triples at line ends, Turtle at blank
lines), the chunks parsed in worker processes and merged; the result
is compared, order included, with :func:`sle_graph.rdf.parse._parse_props` over the whole file.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sle_graph
from sle_graph import ValidationError
from sle_graph.rdf import chunks as rdf_chunks, parse as rdf_read
from sle_graph.rdf.stream import Stream
from tests.rdf.test_properties import graphs  # the round-trip tests' random graphs

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _sequential(path: Path, fmt: str = "nt") -> rdf_read.Props:
    props, _ = rdf_read._parse_props(ox, None, path, fmt, str(path))
    return props


def _ordered(props: rdf_read.Props) -> list:
    """Everything, order included (dict equality ignores order)."""
    return [(s, list(p.items())) for s, p in props.items()]


@SETTINGS
@given(text=st.lists(st.sampled_from(["a", "bb", "\n", "\r\n", "é", " "]), max_size=60).map("".join),
       parts=st.integers(1, 7))
def test_byte_ranges_cover_the_file_and_cut_after_line_ends(tmp_path, text, parts):
    path = tmp_path / "f.nt"
    path.write_bytes(text.encode("utf-8"))
    data = path.read_bytes()
    for fmt, separator in (("nt", b"\n"), ("turtle", b"\n\n")):
        ranges = rdf_chunks.byte_ranges(path, parts, fmt)
        assert [b for _, b in ranges[:-1]] == [a for a, _ in ranges[1:]]  # consecutive
        assert (ranges[0][0], ranges[-1][1]) == (0, len(data)) if data else ranges == []
        assert all(data[a - len(separator):a] == separator for a, _ in ranges[1:])
        assert len(ranges) <= parts


def _shuffled_with_blank_nodes(text: str, seed: int) -> str:
    """The lines in another order (a subject's lines end up in several chunks), with blank nodes
    used across the file."""
    lines = text.rstrip("\n").split("\n")  # not splitlines(): a literal may hold U+2028, U+0085, ...
    rng = random.Random(seed)
    rng.shuffle(lines)
    for i in range(0, len(lines), max(1, len(lines) // 5)):
        lines.insert(i, f'_:b{i % 3} <https://example.org/p> "x{i}" .')
        lines.insert(i, f"<https://example.org/s> <https://example.org/q> _:b{i % 2} .")
    return "\n".join(lines) + "\n"


def test_the_curated_graph_parses_the_same_in_chunks(tmp_path, kg):
    path = tmp_path / "curated.nt"
    path.write_text(_shuffled_with_blank_nodes(kg.serialize(format="nt"), 7), encoding="utf-8")
    chunked = rdf_chunks.parse(path, "nt", processes=3)
    assert chunked is not None
    assert _ordered(chunked) == _ordered(_sequential(path))


def _lines(kg: sle_graph.KnowledgeGraph) -> list[str]:
    return kg.serialize(format="nt").rstrip("\n").split("\n")


@pytest.mark.parametrize("where", [0.1, 0.9])  # in the caller's chunk, in a worker's
@pytest.mark.parametrize("bad", ['<https://example.org/a> <https://example.org/b> "x" "y" .',
                                 '<https://example.org/a b> <https://example.org/b> "x" .'])
def test_a_problem_anywhere_is_reported_at_its_line(tmp_path, kg, monkeypatch, where, bad):
    lines = _lines(kg)
    at = int(len(lines) * where)
    lines.insert(at, bad)
    path = tmp_path / "bad.nt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if where > 0.5:
        assert rdf_chunks.parse(path, "nt", processes=3) is None  # a worker's problem: read it again
    monkeypatch.setenv(rdf_chunks.WORKERS_VARIABLE, "3")
    with pytest.raises(ValidationError) as err:
        sle_graph.read_rdf(path)
    [problem] = err.value.problems
    assert f":{at + 1}:" in str(problem), problem


def _absorbed(monkeypatch) -> list:
    """A list that grows by one each time a stream takes on the end of a worker's chunk (the
    frame with its fingerprints)."""
    calls: list = []
    real = Stream.absorb

    def absorb(self, emitted, head, pending, starts):
        if starts:
            calls.append(1)
        return real(self, emitted, head, pending, starts)

    monkeypatch.setattr(Stream, "absorb", absorb)
    return calls


def test_read_rdf_in_chunks_gives_the_graph(tmp_path, kg, monkeypatch):
    path = tmp_path / "graph.nt"
    kg.serialize(path, format="nt")
    monkeypatch.setenv(rdf_chunks.WORKERS_VARIABLE, "3")
    calls = _absorbed(monkeypatch)
    assert sle_graph.read_rdf(path) == kg
    assert len(calls) == 2  # two workers' chunks taken on


def test_workers_import_nothing_from_the_current_folder(tmp_path, kg, monkeypatch):
    """A ``sle_graph``, ``rdflib`` or ``pyoxigraph`` package planted where the user works never runs."""
    marker = tmp_path / "planted-code-ran"
    folder = tmp_path / "work"
    for name in ("sle_graph", "rdflib", "pyoxigraph"):
        (folder / name).mkdir(parents=True)
        (folder / name / "__init__.py").write_text(
            f"open({str(marker)!r}, 'a').write({name!r} + '\\n')\n", encoding="utf-8")
    subprocess.run([sys.executable, "-c", "import sle_graph"], cwd=folder, check=True)
    assert marker.read_text() == "sle_graph\n"  # the plant works on a plain start from that folder
    marker.unlink()
    path = folder / "graph.nt"
    kg.serialize(path, format="nt")
    monkeypatch.chdir(folder)
    monkeypatch.setenv(rdf_chunks.WORKERS_VARIABLE, "3")
    calls = _absorbed(monkeypatch)
    assert sle_graph.read_rdf("graph.nt") == kg
    assert not marker.exists(), marker.read_text()
    assert len(calls) == 2  # the workers ran, and succeeded


def test_how_many_processes(monkeypatch):
    monkeypatch.delenv(rdf_chunks.WORKERS_VARIABLE, raising=False)
    assert rdf_chunks.workers(rdf_chunks.MIN_BYTES - 1) == 1
    assert 1 <= rdf_chunks.workers(rdf_chunks.MIN_BYTES) <= rdf_chunks.MAX_WORKERS
    monkeypatch.setenv(rdf_chunks.WORKERS_VARIABLE, "1")
    assert rdf_chunks.workers(10 * rdf_chunks.MIN_BYTES) == 1
    monkeypatch.setenv(rdf_chunks.WORKERS_VARIABLE, "two")
    with pytest.raises(ValueError, match="SLE_GRAPH_PARSE_WORKERS='two'"):
        rdf_chunks.workers(0)


def _turtle_mixed(text: str, seed: int) -> str:
    """Our Turtle with its blocks shuffled and more blocks about the same subjects and blank
    nodes here and there (a subject's triples end up in several chunks)."""
    head, _, body = text.partition("\n\n")
    blocks = body.rstrip("\n").split("\n\n")
    rng = random.Random(seed)
    rng.shuffle(blocks)
    subjects = [b.split(" ", 1)[0] for b in blocks if not b.startswith("#")]
    for i in range(0, len(blocks), max(1, len(blocks) // 6)):
        blocks.insert(i, f'{rng.choice(subjects)} <https://example.org/p> "x{i}", _:b{i % 3} .')
        blocks.insert(i, f'_:b{i % 2} <https://example.org/q> "y{i}" .')
    return head + "\n\n" + "\n\n".join(blocks) + "\n"


@pytest.mark.parametrize("fmt, mixed", [("nt", _shuffled_with_blank_nodes), ("turtle", _turtle_mixed)])
@SETTINGS
@given(graph=graphs(), seed=st.integers(0, 1000), processes=st.integers(2, 4))
def test_generated_graphs_parse_the_same_in_chunks(tmp_path, fmt, mixed, graph, seed, processes):
    path = tmp_path / f"g.{fmt}"
    path.write_text(mixed(graph.serialize(format=fmt), seed), encoding="utf-8")
    chunked = rdf_chunks.parse(path, fmt, processes=processes)
    assert chunked is not None
    assert _ordered(chunked) == _ordered(_sequential(path, fmt))


def test_turtle_read_in_chunks_gives_the_graph(tmp_path, kg, monkeypatch):
    path = tmp_path / "graph.ttl"
    kg.serialize(path, format="turtle")
    assert rdf_chunks.parse(path, "turtle", processes=3) is not None
    monkeypatch.setenv(rdf_chunks.WORKERS_VARIABLE, "3")
    assert sle_graph.read_rdf(path) == kg


HEAD = "@prefix ex: <https://example.org/> .\n@prefix base: <https://example.org/base/> .\n\n"


def _statements(n: int, start: int = 0) -> str:
    return "".join(f'ex:s{i} ex:p "v{i}" ;\n    ex:q ex:o{i % 7} .\n\n' for i in range(start, start + n))


@pytest.mark.parametrize("processes", [2, 3, 4, 5])
def test_a_turtle_cut_inside_a_long_string_falls_back(tmp_path, processes):
    long = "line\n\n" * 400
    text = HEAD + _statements(100) + f'ex:long ex:p """{long}""" .\n\n' + _statements(100, 100)
    path = tmp_path / "long.ttl"
    path.write_text(text, encoding="utf-8")
    data = path.read_bytes()
    inside = (data.index(b'"""'), data.rindex(b'"""'))
    ranges = rdf_chunks.byte_ranges(path, processes, "turtle", rdf_chunks.header_end(path))
    cut_inside = any(inside[0] < a < inside[1] for a, _ in ranges[1:])
    chunked = rdf_chunks.parse(path, "turtle", processes=processes)
    if cut_inside:
        assert chunked is None  # the chunks cannot be read apart: one process reads the file
    else:
        assert chunked is not None and _ordered(chunked) == _ordered(_sequential(path, "turtle"))
    if processes in (2, 4):  # a cut at the middle, where the string is
        assert cut_inside  # the case this test is for does happen


@pytest.mark.parametrize("late", ["@prefix ex: <https://example.org/other/> .\n\n",
                                  "@base <https://example.org/elsewhere/> .\n\n",
                                  "PREFIX ex: <https://example.org/other/>\n\n"])
@pytest.mark.parametrize("where", [0.2, 0.8])
def test_a_turtle_directive_after_the_header_falls_back(tmp_path, late, where):
    statements = _statements(400).split("\n\n")
    at = int(len(statements) * where)
    text = HEAD + "\n\n".join(statements[:at]) + "\n\n" + late + "\n\n".join(statements[at:])
    path = tmp_path / "late.ttl"
    path.write_text(text, encoding="utf-8")
    assert rdf_chunks.parse(path, "turtle", processes=3) is None


def test_a_statement_that_looks_like_a_directive_is_not_header(tmp_path):
    text = HEAD + "base:x ex:p ex:o .\n\n" + _statements(300)
    path = tmp_path / "base.ttl"
    path.write_text(text, encoding="utf-8")
    assert path.read_bytes()[rdf_chunks.header_end(path):].startswith(b"base:x")
    chunked = rdf_chunks.parse(path, "turtle", processes=3)
    assert chunked is not None and _ordered(chunked) == _ordered(_sequential(path, "turtle"))
    assert len(chunked["https://example.org/base/x"]["https://example.org/p"]) == 1  # read once
