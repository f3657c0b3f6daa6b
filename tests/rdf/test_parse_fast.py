"""The short paths of RDF import give what the long ones give.

``rdf_read`` parses leniently (pyoxigraph skips checking IRIs) and checks the distinct IRIs
afterwards; it first rebuilds the graph in one pass that gives up at any problem, and reads
evidence records of the usual shape without the general checks. Each is compared here with the
long way: strict parsing, and the builder with its short paths turned off, on the curated graph,
on generated graphs and on evidence records broken at random (hypothesis).
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sle_graph
from sle_graph import ValidationError
from sle_graph.rdf import parse as rdf_read
from tests.rdf.test_properties import graphs  # the round-trip tests' random graphs

OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
SLEO = "https://w3id.org/sle-graph/ontology/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


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


def _parsed(text: str, fmt: str = "nt") -> rdf_read.Props:
    props, _ = rdf_read.parse(text, format=fmt)
    return props


@settings(max_examples=25, deadline=None)
@given(graph=graphs())
def test_the_fast_builder_reads_our_exports_without_reading_again(graph):
    for fmt in ("turtle", "nt"):
        text = graph.serialize(format=fmt)
        built = rdf_read.build(_parsed(text, fmt), schema=graph.schema, one_pass=True)  # no _ReadAgain
        assert built == graph == rdf_read.build(_parsed(text, fmt), schema=graph.schema)


@pytest.mark.parametrize("change, expected", [
    (lambda st, line: line + f"\n{st} <{SLEO}colour> \"red\" .", "sleo:colour"),  # found building records
    (lambda st, line: "/resource/no_such_".join(line.rsplit("/resource/", 1))
     if f"<{RDF}object>" in line else line, "dangling reference"),  # found by check_records
])
def test_a_problem_makes_the_fast_builder_stop_and_read_again_the_long_way(nt_lines, change, expected):
    statement = next(line for line in nt_lines if line.startswith("<" + rdf_read._STATEMENTS)).split(" ", 1)[0]
    text = "".join((change(statement, line) if line.startswith(statement + " ") else line) + "\n"
                   for line in nt_lines)
    with pytest.raises(rdf_read._ReadAgain):
        rdf_read.build(_parsed(text), one_pass=True)
    with pytest.raises(ValidationError) as err:
        sle_graph.read_rdf(text, format="nt")
    # The long way locates it: the statement's IRI.
    problems = [str(p) for p in err.value.problems]
    assert any(statement in p and expected in p for p in problems), problems


def _derived_from(lines: list[str]) -> dict[str, tuple[int, str]]:
    """Statement IRI -> (index of its prov:wasDerivedFrom line, its evidence record's IRI)."""
    found = {}
    for i, line in enumerate(lines):
        subject, predicate, rest = line.split(" ", 2)
        if predicate == f"<{PROV}wasDerivedFrom>" and subject.startswith("<" + rdf_read._STATEMENTS):
            found[subject] = (i, rest.rstrip(" ."))
    return found


@pytest.mark.parametrize("shared", ["evidence record", "selectors"])
def test_shared_resources_read_the_same_both_ways(nt_lines, shared):
    """Two statements citing one evidence record, or two records sharing their selectors: the fast
    builder has dropped it after the first use, reads again the long way, and gets the graph."""
    records = _evidence_lines(nt_lines)

    def quote_selector(record: str) -> str | None:
        return next((nt_lines[i].split(" ", 1)[0] for i in records[record]
                     if nt_lines[i].endswith(f"<{OA}TextQuoteSelector> .")), None)

    quoted = [(st, found) for st, found in sorted(_derived_from(nt_lines).items()) if quote_selector(found[1])]
    (_, (_, kept)), (second, (line, dropped)) = quoted[:2]
    lines = list(nt_lines)
    if shared == "evidence record":
        lines[line] = f"{second} <{PROV}wasDerivedFrom> {kept} ."
        gone = set(records[dropped])
    else:  # the dropped record's selectors (quote and position) replaced by the kept record's
        def selectors(record: str) -> list[str]:
            return sorted(nt_lines[i].split(" ", 2)[2].rstrip(" .") for i in records[record]
                          if nt_lines[i].startswith(f"{record} <{OA}hasSelector> "))

        mine, theirs = selectors(dropped), selectors(kept)
        assert len(mine) == len(theirs) == 2
        for old, new in zip(mine, theirs):
            lines = [ln.replace(f"<{OA}hasSelector> {old} .", f"<{OA}hasSelector> {new} .") for ln in lines]
        gone = {i for i in records[dropped] if nt_lines[i].split(" ", 1)[0] in mine}
    text = "".join(ln + "\n" for i, ln in enumerate(lines) if i not in gone)
    fast, slow = _outcome(text, True), _outcome(text, False)
    assert isinstance(fast, sle_graph.KnowledgeGraph), fast
    assert fast == slow

    def quotes(graph) -> Counter:
        return Counter(ev.quote for e in graph.edges() for ev in e.evidence if ev.quote)

    before, after = quotes(sle_graph.load()), quotes(fast)
    assert any(after[q] == before[q] + 1 for q in after)  # the shared quote is on one edge more
