"""N-Triples parsed in parallel chunks gives what one sequential parse gives, or nothing.

Real worker processes, real pyoxigraph: the file is cut at line ends, the chunks parsed in
``python -m sle_graph.ntriples_chunks`` workers and merged; the result is compared, order
included, with :func:`sle_graph.rdf_read._parse_props` over the whole file.
"""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sle_graph
from sle_graph import ValidationError, ntriples_chunks, rdf_read
from test_rdf_properties import graphs  # the round-trip tests' random graphs

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _sequential(path: Path) -> rdf_read.Props:
    props, _ = rdf_read._parse_props(ox, None, path, "nt", str(path))
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
    ranges = ntriples_chunks.byte_ranges(path, parts)
    assert [b for _, b in ranges[:-1]] == [a for a, _ in ranges[1:]]  # consecutive
    assert (ranges[0][0], ranges[-1][1]) == (0, len(data)) if data else ranges == []
    assert all(data[a - 1:a] == b"\n" for a, _ in ranges[1:])
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
    chunked = ntriples_chunks.parse(path, processes=3)
    assert chunked is not None
    assert _ordered(chunked) == _ordered(_sequential(path))


@SETTINGS
@given(graph=graphs(), seed=st.integers(0, 1000), processes=st.integers(2, 4))
def test_generated_graphs_parse_the_same_in_chunks(tmp_path, graph, seed, processes):
    path = tmp_path / "g.nt"
    path.write_text(_shuffled_with_blank_nodes(graph.serialize(format="nt"), seed), encoding="utf-8")
    chunked = ntriples_chunks.parse(path, processes=processes)
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
        assert ntriples_chunks.parse(path, processes=3) is None  # a worker's problem: read it again
    monkeypatch.setenv(ntriples_chunks.WORKERS_VARIABLE, "3")
    with pytest.raises(ValidationError) as err:
        sle_graph.read_rdf(path)
    [problem] = err.value.problems
    assert f":{at + 1}:" in str(problem), problem


def test_read_rdf_in_chunks_gives_the_graph(tmp_path, kg, monkeypatch):
    path = tmp_path / "graph.nt"
    kg.serialize(path, format="nt")
    monkeypatch.setenv(ntriples_chunks.WORKERS_VARIABLE, "3")
    calls = []
    real = ntriples_chunks._merge
    monkeypatch.setattr(ntriples_chunks, "_merge", lambda a, b: calls.append(1) or real(a, b))
    assert sle_graph.read_rdf(path) == kg
    assert len(calls) == 2  # two workers' chunks merged


def test_how_many_processes(monkeypatch):
    monkeypatch.delenv(ntriples_chunks.WORKERS_VARIABLE, raising=False)
    assert ntriples_chunks.workers(ntriples_chunks.MIN_BYTES - 1) == 1
    assert 1 <= ntriples_chunks.workers(ntriples_chunks.MIN_BYTES) <= ntriples_chunks.MAX_WORKERS
    monkeypatch.setenv(ntriples_chunks.WORKERS_VARIABLE, "1")
    assert ntriples_chunks.workers(10 * ntriples_chunks.MIN_BYTES) == 1
    monkeypatch.setenv(ntriples_chunks.WORKERS_VARIABLE, "two")
    with pytest.raises(ValueError, match="SLE_GRAPH_PARSE_WORKERS='two'"):
        ntriples_chunks.workers(0)
