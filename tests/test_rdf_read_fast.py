"""The short paths of RDF import give what the long ones give.

``rdf_read`` parses leniently (pyoxigraph skips checking IRIs) and checks the distinct IRIs
afterwards, and reads evidence records of the usual shape without the general checks. Both are
compared here with the long way: strict parsing, and the builder with its short path turned off,
on the curated graph and on evidence records broken at random (hypothesis).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sle_graph
from sle_graph import ValidationError
from sle_graph import rdf_read
from test_rdf_properties import graphs  # the round-trip tests' random graphs

OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
SLEO = "https://w3id.org/sle-graph/ontology/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _outcome(text: str, fast: bool):
    """The graph read from N-Triples ``text``, or the sorted problem messages."""
    old = rdf_read._Builder.fast
    rdf_read._Builder.fast = fast
    try:
        return sle_graph.read_rdf(text, format="nt")
    except ValidationError as exc:
        return sorted(str(p) for p in exc.problems)
    finally:
        rdf_read._Builder.fast = old


@pytest.fixture(scope="module")
def nt_lines() -> list[str]:
    return sle_graph.load().serialize(format="nt").splitlines()


def test_curated_graph_reads_the_same_both_ways(kg):
    text = kg.serialize(format="nt")
    fast, slow = _outcome(text, True), _outcome(text, False)
    assert isinstance(fast, sle_graph.KnowledgeGraph)
    assert fast == slow == kg


def _evidence_lines(lines: list[str]) -> dict[str, list[int]]:
    """Evidence record IRI -> indexes of the lines about it or its selectors."""
    records: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if f"<{PROV}wasDerivedFrom>" in line and line.startswith("<" + rdf_read._STATEMENTS):
            records.setdefault(line.split(" ", 2)[2].rstrip(" ."), [])
    selectors: dict[str, str] = {}
    for i, line in enumerate(lines):
        subject, predicate, rest = line.split(" ", 2)
        if subject in records:
            records[subject].append(i)
            if predicate == f"<{OA}hasSelector>":
                selectors[rest.rstrip(" .")] = subject
    for i, line in enumerate(lines):
        subject = line.split(" ", 1)[0]
        if subject in selectors:
            records[selectors[subject]].append(i)
    return records


#: Ways to break (or merely vary) one line about an evidence record or its selectors.
EDITS = {
    "drop": lambda line: [],
    "twice": lambda line: [line, line],
    "literal object": lambda line: [line.rsplit(" ", 2)[0] + ' "x" .'] if not line.endswith('" .') else [line],
    "IRI object": lambda line: [line.rsplit(" ", 2)[0] + " <https://w3id.org/sle-graph/resource/x> ."],
    "second value": lambda line: [line, line.rsplit(" ", 2)[0] + ' "7"^^<' + XSD + 'integer> .'],
    "string-typed number": lambda line: [line.replace("^^<" + XSD + "nonNegativeInteger>", "")],
    "padded number": lambda line: [line.replace('"', '" ', 1)] if "nonNegativeInteger" in line else [line],
    "unknown property": lambda line: [line, line.split(" ", 1)[0] + f" <{SLEO}colour> \"red\" ."],
    "other type": lambda line: [line.replace(f"{OA}TextQuoteSelector", f"{OA}TextPositionSelector")],
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_broken_evidence_gives_the_same_graph_or_problems_both_ways(nt_lines, data):
    records = _evidence_lines(nt_lines)
    record = data.draw(st.sampled_from(sorted(records)), label="record")
    edits = data.draw(st.lists(st.tuples(st.sampled_from(records[record]), st.sampled_from(sorted(EDITS))),
                               min_size=1, max_size=3, unique_by=lambda e: e[0]), label="edits")
    replaced = {index: EDITS[edit](nt_lines[index]) for index, edit in edits}
    text = "".join(line + "\n" for i, original in enumerate(nt_lines)
                   for line in replaced.get(i, [original]))
    assert _outcome(text, True) == _outcome(text, False)


@pytest.mark.parametrize("fmt, text, line", [
    ("nt", '<http://a/> <http://b/> <http://c/> .\n<http://a/%zz> <http://b/> "x" .\n', 2),
    ("nt", '<http://a/> <http://b/> "1"^^<integer> .\n', 1),
    ("turtle", '@prefix a: <http://a/> .\n\na:x a:y a:z .\na:x <http://[::zz]/> a:z .\n', 4),
])
def test_an_invalid_iri_is_reported_at_its_line(fmt, text, line):
    with pytest.raises(ValidationError) as err:
        sle_graph.read_rdf(text, format=fmt)
    problems = [str(p) for p in err.value.problems]
    assert len(problems) == 1 and f":{line}: malformed" in problems[0], problems


def _both_ways(data: bytes, fmt: str):
    import pyoxigraph as ox

    lenient, _ = rdf_read._parse_props(ox, data, None, fmt, "<text>")
    strict, _ = rdf_read._parse_props(ox, data, None, fmt, "<text>", lenient=False)
    return lenient, strict


def test_lenient_and_strict_parsing_give_the_same_triples(kg):
    for fmt in ("turtle", "nt"):
        lenient, strict = _both_ways(kg.serialize(format=fmt).encode("utf-8"), fmt)
        assert lenient == strict and len(lenient) > 500


@settings(max_examples=40, deadline=None)
@given(graph=graphs())
def test_lenient_and_strict_parsing_agree_on_generated_graphs(graph):
    for fmt in ("turtle", "nt"):
        lenient, strict = _both_ways(graph.serialize(format=fmt).encode("utf-8"), fmt)
        assert lenient == strict
