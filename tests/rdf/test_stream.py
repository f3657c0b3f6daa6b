"""Assertions built while the parser streams (:mod:`sle_graph.rdf.stream`) read what the whole
file read at once does, in any order of its triples, in one process or in chunks.

Real pyoxigraph, real worker processes; the exported graph is the oracle, and so is the long way
of :mod:`sle_graph.rdf.parse` (its short paths off) where a file is changed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sle_graph
from sle_graph.rdf import chunks as rdf_chunks, parse as rdf_read
from sle_graph.rdf.stream import Stream, fingerprint
from tests.rdf.test_parse_fast import PROV, SLEO, _outcome
from tests.rdf.test_properties import graphs  # the round-trip tests' random graphs


def _lines(kg: sle_graph.KnowledgeGraph) -> list[str]:
    return kg.serialize(format="nt").rstrip("\n").split("\n")  # not splitlines(): literals may hold U+2028


def _text(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _read(text: str):
    """What :func:`sle_graph.rdf.parse._streamed` makes of N-Triples ``text``, order aside: the
    assertions (a multiset) and the triples left for the general reader."""
    records, props, _, _ = rdf_read._streamed(text, "nt")
    assertions = Counter((r.subject, r.predicate, r.object, r.evidence) for r in records)
    return assertions, {s: {p: sorted(v, key=repr) for p, v in by.items()} for s, by in props.items()}


@settings(max_examples=40, deadline=None)
@given(graph=graphs(), order=st.randoms(use_true_random=False))
def test_an_export_in_any_triple_order_reads_back_equal(graph, order):
    lines = _lines(graph)
    order.shuffle(lines)
    text = _text(lines)
    assert sle_graph.read_rdf(text, format="nt") == graph
    assert _read(text) == _read(_text(sorted(lines)))  # the stream's own part: the same in any order


@settings(max_examples=25, deadline=None)
@given(graph=graphs())
def test_every_plain_statement_of_an_export_is_built_while_parsing(graph):
    for fmt in ("nt", "turtle"):
        records, props, _, ours = rdf_read._streamed(graph.serialize(format=fmt), fmt)
        # One evidence record without attributes of its own: the plain shape.
        plain = sum(len(e.evidence) == 1 and not e.evidence[0].attributes for e in graph.edges())
        assert ours or not records
        assert len(records) == plain
        assert sum(s.startswith(rdf_read._STATEMENTS) for s in props) == len(graph.edges()) - plain


def _moved_to_the_end(lines: list[str], predicate: str) -> list[str]:
    """The first line of ``predicate`` about a record of a statement with one evidence record,
    moved to the end of the file (after the statement was complete)."""
    derived = Counter(line.split(" ", 1)[0] for line in lines
                      if line.startswith("<" + rdf_read._STATEMENTS) and f" <{PROV}wasDerivedFrom> " in line)
    records = {line.split(" ", 2)[2].rstrip(" .") for line in lines
               if line.split(" ", 1)[0] in derived and derived[line.split(" ", 1)[0]] == 1
               and f" <{PROV}wasDerivedFrom> " in line}
    at = next(i for i, line in enumerate(lines) if line.split(" ", 1)[0] in records and f" <{predicate}> " in line)
    return lines[:at] + lines[at + 1:] + [lines[at]]


def test_a_record_met_again_after_its_statement_was_built_is_read_again(kg, monkeypatch):
    """A stance given after the rest: the first pass built the assertion without it; the
    fingerprints notice the record started again, and the second pass, holding everything to
    the end, reads what the long way reads (here: the stance changed)."""
    seen: list[bool] = []
    real = Stream.reordered
    monkeypatch.setattr(Stream, "reordered", lambda self: seen.append(real(self)) or seen[-1])
    lines = _moved_to_the_end(_lines(kg), SLEO + "stance")
    lines[-1] = lines[-1].rsplit(" ", 2)[0] + ' "contradicts" .'
    fast, slow = _outcome(_text(lines), True), _outcome(_text(lines), False)
    assert isinstance(fast, sle_graph.KnowledgeGraph) and fast == slow != kg
    assert seen == [True]


def test_the_fingerprint_is_the_same_in_another_process():
    iri = "https://w3id.org/sle-graph/resource/statement/0f9a"
    other = subprocess.run([sys.executable, "-c", f"from sle_graph.rdf.stream import fingerprint; "
                                                  f"print(fingerprint({iri!r}))"],
                           capture_output=True, text=True, check=True, env=dict(os.environ, PYTHONHASHSEED="random"))
    assert int(other.stdout) == fingerprint(iri) != fingerprint(iri + "0")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=graphs(), order=st.randoms(use_true_random=False), shuffle=st.booleans())
def test_chunks_read_what_one_process_reads(tmp_path_factory, graph, order, shuffle):
    lines = _lines(graph)
    if shuffle:  # a subject's triples then fall in several chunks
        order.shuffle(lines)
    path = tmp_path_factory.mktemp("chunks") / "graph.nt"
    path.write_text(_text(lines), encoding="utf-8")
    old = os.environ.get(rdf_chunks.WORKERS_VARIABLE)
    os.environ[rdf_chunks.WORKERS_VARIABLE] = "3"
    try:
        found: list = []
        taken = rdf_chunks.stream(path, "nt", None, Stream(found.append))
        assert sle_graph.read_rdf(path) == graph
    finally:
        if old is None:
            del os.environ[rdf_chunks.WORKERS_VARIABLE]
        else:
            os.environ[rdf_chunks.WORKERS_VARIABLE] = old
    assert taken == (len(rdf_chunks.plan(path, "nt", 3)[1]) > 1)


@settings(max_examples=20, deadline=None)
@given(many=st.booleans(), again=st.integers(0, 1 << 20))
def test_a_subject_started_twice_is_found_among_few_or_many(many, again):
    """Both ways :meth:`Stream.reordered` compares fingerprints (a set for few, numpy for many)."""
    stream = Stream(list.append)
    count = (1 << 16) + 5 if many else 50
    for subject in range(count):
        stream.block(f"urn:s{subject}", [])
    assert not stream.reordered()
    stream.pending.clear()  # as if every resource had been handed on
    stream.block(f"urn:s{again % count}", [])
    assert stream.reordered()
