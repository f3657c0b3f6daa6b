"""Metapath patterns: the parser (errors, round trip), match and count against brute force and SPARQL."""

from __future__ import annotations

import sys
from pathlib import Path as FilePath

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings, strategies as st
from rdflib.namespace import RDF, RDFS

import sle_graph
from sle_graph import KnowledgeGraph
from sle_graph.errors import SleGraphError
from sle_graph.vocab import SLE, SLEO
from sle_graph.query.patterns import (LINK_DIRECTIONS, LinkSpec, NodeSpec, Pattern, PatternError,
                                      PatternPredicateError, count, match, parse_pattern)

from tests.query.test_paths import documented_key, random_graphs  # noqa: E402

REPO = FilePath(__file__).resolve().parents[2]


# -- an independent matcher: every assignment, edge by edge, over the plain edge list -------------

def brute_match(kg: KnowledgeGraph, pattern: Pattern) -> set[tuple]:
    """(node ids, edge keys) of every simple path fitting ``pattern``, by exhaustive search."""
    kinds = {n.id: n.kind for n in kg.nodes()}

    def fits(spec: NodeSpec, node_id: str) -> bool:
        if spec.ref is not None:
            return kg.node(spec.ref).id == node_id
        return spec.kind is None or kg.schema.is_a(kinds[node_id], spec.kind)

    def steps(link: LinkSpec, here: str):
        for e in kg.edges():
            if link.predicates and e.predicate not in link.predicates:
                continue
            if link.direction in ("forward", "any") and e.subject == here:
                yield e.key, e.object
            if link.direction in ("reverse", "any") and e.object == here:
                yield e.key, e.subject

    found = set()

    def walk(nodes: list[str], edges: list[tuple]) -> None:
        i = len(edges)
        if i == len(pattern.links):
            found.add((tuple(nodes), tuple(edges)))
            return
        for key, nxt in steps(pattern.links[i], nodes[-1]):
            if nxt not in nodes and fits(pattern.nodes[i + 1], nxt):
                walk(nodes + [nxt], edges + [key])

    for n in kinds:
        if fits(pattern.nodes[0], n):
            walk([n], [])
    return found


def as_tuples(paths) -> set[tuple]:
    return {(tuple(n.id for n in p.nodes), tuple(e.key for e in p.edges)) for p in paths}


CURATED_PATTERNS = [
    "Cell -> Mechanism -> Outcome",
    "Therapy -[uses]-> Cell -[acts_through]-> Mechanism",
    "'mesenchymal stem cell' -> Mechanism -> Outcome",
    "\"AHSCT\" -[has_outcome]-> Outcome",
    "Challenge <-[faces_challenge]- Therapy -[has_outcome]-> Outcome",
    "Mechanism - Mechanism - Mechanism",
    "Therapy - * - Therapy",
    "* -[leads_to|produces]-> * -[leads_to]-> *",
    "'msc' - * - * - 'msc'",
    "Cell -[subtype_of]- Cell - Mechanism",
]


@pytest.mark.parametrize("text", CURATED_PATTERNS)
def test_match_and_count_agree_with_brute_force(kg, text):
    found = kg.match(text)
    expected = brute_match(kg, parse_pattern(text, kg.schema))
    assert as_tuples(found) == expected and len(found) == len(expected)
    assert kg.count(text) == len(expected)
    assert [documented_key(p) for p in found] == sorted(documented_key(p) for p in found)
    assert kg.match(text, limit=3) == found[:3]


def test_patterns_answer_questions(kg):
    assert kg.count("Therapy -[faces_challenge]-> Challenge") > 0
    how = kg.match("'mesenchymal stem cell' -> Mechanism -> 'reduced disease activity'")
    assert how == kg.paths("msc", "reduced disease activity", max_hops=2, via="Mechanism")
    # sub-kinds: Cell matches stem cells and immune cells
    cells = {p.start.kind for p in kg.match("Cell -> *")}
    assert "StemCell" in cells and "Cell" not in cells


def test_count_builds_no_path(kg, monkeypatch):
    expected = {text: len(kg.match(text)) for text in CURATED_PATTERNS}

    def refuse(*args, **kwargs):
        raise AssertionError("count built a Path")

    monkeypatch.setattr(sle_graph.query.paths.Path, "from_parts", classmethod(refuse))
    monkeypatch.setattr(sle_graph.query.paths.Path, "__init__", refuse)
    assert {text: kg.count(text) for text in CURATED_PATTERNS} == expected


def test_counts_past_float_precision_use_python_ints(kg, monkeypatch):
    expected = {text: kg.count(text) for text in CURATED_PATTERNS}
    monkeypatch.setattr(sle_graph.query.patterns, "_EXACT", 1.0)  # every float is "too large": exact path
    assert {text: kg.count(text) for text in CURATED_PATTERNS} == expected


@st.composite
def patterns_for(draw, kg: KnowledgeGraph) -> Pattern:
    kinds = sorted({n.kind for n in kg.nodes()} | {"Cell", "Entity"})
    ids = [n.id for n in kg.nodes() if n.kind != "SourceDocument"]
    preds = sorted({e.predicate for e in kg.edges()}) or ["uses"]
    n_links = draw(st.integers(1, 4))
    nodes = tuple(draw(st.one_of(st.builds(NodeSpec, kind=st.sampled_from(kinds)), st.just(NodeSpec()),
                                 st.builds(NodeSpec, ref=st.sampled_from(ids))))
                  for _ in range(n_links + 1))
    links = tuple(LinkSpec(tuple(sorted(draw(st.sets(st.sampled_from(preds), max_size=2)))),
                           draw(st.sampled_from(["forward", "reverse", "any"])))
                  for _ in range(n_links))
    return Pattern(nodes, links)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_graphs_count_equals_match_equals_brute_force(data):
    kg = data.draw(random_graphs())
    pattern = data.draw(patterns_for(kg))
    expected = brute_match(kg, pattern)
    found = match(kg, pattern)
    assert as_tuples(found) == expected
    assert count(kg, pattern) == len(found) == len(expected)
    assert count(kg, str(pattern)) == len(expected)


@pytest.fixture(scope="module")
def hetionet_like() -> KnowledgeGraph:
    sys.path.insert(0, str(REPO))
    from benchmarks.generate import generate

    return generate(3_000, seed=3)


@pytest.mark.parametrize("text", [
    "Compound -[binds]-> Gene -[participates]-> Pathway",
    "Compound -[binds]-> Gene -[interacts]- Gene",
    "Gene -[interacts]- Gene -[interacts]- Gene",
    "Disease -[associates]-> Gene <-[binds]- Compound -[treats|palliates]-> Disease",
    "Anatomy -[expresses]-> Gene -[regulates]-> Gene -[participates]-> *",
])
def test_count_on_a_hetionet_shaped_graph(hetionet_like, text):
    pattern = parse_pattern(text, hetionet_like.schema)
    expected = brute_match(hetionet_like, pattern) if len(pattern) < 3 else None
    n = count(hetionet_like, pattern)
    found = match(hetionet_like, pattern)
    assert n == len(found) == len(set(found))
    if expected is not None:
        assert as_tuples(found) == expected
    assert all(len({node.id for node in p.nodes}) == len(p.nodes) for p in found)


# -- SPARQL over the Turtle export: a second engine must find the same (start, end) pairs ---------

def rdf_view(kg: KnowledgeGraph) -> rdflib.Graph:
    """The graph's Turtle export, parsed by rdflib, with the shipped ontology (so SPARQL sees
    sub-kinds through rdfs:subClassOf): the export is what this cross-check tests."""
    g = rdflib.Graph()
    g.parse(data=kg.serialize(format="turtle"), format="turtle")
    g.parse(REPO / "ontology" / "sle_graph.ttl", format="turtle")
    return g


def any_edge(kg: KnowledgeGraph, both_ways: bool = False) -> str:
    names = [f"sleo:{p}" for p in kg.schema.predicates] + ([f"^sleo:{p}" for p in kg.schema.predicates]
                                                           if both_ways else [])
    return "(" + "|".join(names) + ")"


def sparql_queries(kg: KnowledgeGraph) -> dict[str, str]:
    isa = "rdf:type/rdfs:subClassOf*"
    return {
        "Cell -[acts_through]-> Mechanism -[leads_to]-> Outcome":
            f"?s {isa} sleo:Cell . ?s sleo:acts_through ?m . ?m {isa} sleo:Mechanism . "
            f"?m sleo:leads_to ?o . ?o {isa} sleo:Outcome .",
        "Therapy -[uses]-> Cell -> Mechanism":
            f"?s {isa} sleo:Therapy . ?s sleo:uses ?c . ?c {isa} sleo:Cell . ?c {any_edge(kg)} ?o . "
            f"?o {isa} sleo:Mechanism .",
        "Challenge <-[faces_challenge]- Therapy -[has_outcome]-> Outcome":
            f"?s {isa} sleo:Challenge . ?s ^sleo:faces_challenge ?t . ?t {isa} sleo:Therapy . "
            f"?t sleo:has_outcome ?o . ?o {isa} sleo:Outcome .",
        "'mesenchymal stem cell' -[acts_through|targets]-> * -[leads_to]-> *":
            "BIND(sle:msc AS ?s) ?s (sleo:acts_through|sleo:targets)/sleo:leads_to ?o .",
        # a repeated kind (Cell and its sub-kind StemCell): simple paths, so the ends differ
        "Cell - * - StemCell":
            f"?s {isa} sleo:Cell . ?s {any_edge(kg, True)}/{any_edge(kg, True)} ?o . "
            f"?o {isa} sleo:StemCell . FILTER(?s != ?o)",
    }


def test_match_agrees_with_sparql(kg):
    graph = rdf_view(kg)
    prefixes = {"sleo": rdflib.Namespace(SLEO), "sle": rdflib.Namespace(SLE), "rdf": RDF, "rdfs": RDFS}
    for text, where in sparql_queries(kg).items():
        rows = graph.query(f"SELECT DISTINCT ?s ?o WHERE {{ {where} }}", initNs=prefixes)
        theirs = {(str(s)[len(SLE):], str(o)[len(SLE):]) for s, o in rows}
        ours = {(p.start.id, p.end.id) for p in kg.match(text)}
        assert theirs, f"{text}: the curated graph has matches"
        assert ours == theirs, text
        # and kg.sparql (the RDF module's own view, prefixes bound) agrees too
        rows = kg.sparql(f"SELECT DISTINCT ?s ?o WHERE {{ {where} }}")
        assert {(r["s"][len(SLE):], r["o"][len(SLE):]) for r in rows} == ours, text


# -- the parser ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, column, reason", [
    ("Cell -> -> Outcome", 9, "expected a kind (e.g. Cell), '*' or a quoted node"),
    ("Cell", 5, "a pattern has at least one link"),
    ("Cell -> ", 9, "found the end of the pattern"),
    ("Cel -> Outcome", 1, "unknown kind 'Cel'; did you mean 'Cell'"),
    ("Cell -[act_through]-> Mechanism", 8, "unknown predicate 'act_through'; did you mean 'acts_through'"),
    ("Cell -[acts_through> Mechanism", 20, "expected ']' to close the predicate list"),
    ("Cell -[]-> Mechanism", 8, "expected a predicate name"),
    ("'msc -> Mechanism", 1, "unterminated quote"),
    ("Cell => Mechanism", 6, "expected a link"),
    ("Cell <-[uses]-> Therapy", 15, "cannot point both ways"),
    ("Cell -[uses] Therapy", 13, "expected '->' or '-' after ']'"),
    ("'' -> Cell", 2, "expected a node name between the quotes"),
    ("Cell" + " -> *" * 11, 5 + 5 * 10 + 1, "expected at most 10 links"),
])
def test_malformed_patterns_point_at_the_column(text, column, reason):
    with pytest.raises(PatternError) as info:
        parse_pattern(text)
    err = info.value
    assert (err.column, err.pattern) == (column, text)
    assert reason in err.reason
    first, shown, caret = str(err).splitlines()
    assert first.endswith(f"at column {column}") and shown == f"  {text}"
    assert caret == "  " + " " * (column - 1) + "^"
    assert isinstance(err, ValueError) and isinstance(err, SleGraphError)


def test_bad_patterns_through_the_graph(kg):
    with pytest.raises(PatternError):
        kg.match("Cell -> Mechansim")
    with pytest.raises(PatternError):
        kg.count("Cell ->")
    with pytest.raises(KeyError, match="closest: 'mesenchymal stem cell'.*column 1"):
        kg.match("'mesenchymal stem cels' -> Mechanism")
    with pytest.raises(ValueError, match="limit"):
        kg.match("Cell -> Mechanism", limit=-2)


def test_spacing_and_quotes_do_not_matter():
    canonical = parse_pattern("'msc' -[acts_through|targets]-> Mechanism <- * - Outcome")
    for text in ["'msc'-[targets | acts_through]->Mechanism<-*-Outcome",
                 '  "msc"   -[acts_through|targets]->   Mechanism   <-  *   -   Outcome  ']:
        assert parse_pattern(text) == canonical
    assert str(canonical) == "'msc' -[acts_through|targets]-> Mechanism <- * - Outcome"


SCHEMA = sle_graph.load().schema
node_specs = st.one_of(
    st.builds(NodeSpec, kind=st.sampled_from(sorted(SCHEMA.kinds))),
    st.just(NodeSpec()),
    st.builds(NodeSpec, ref=st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
                                                  blacklist_characters="'\""), min_size=1)
              .map(str.strip).filter(bool)),
    st.builds(NodeSpec, ref=st.sampled_from(["it's", "l'immunité"])),
)
link_specs = st.builds(LinkSpec, st.sets(st.sampled_from(sorted(SCHEMA.predicates)), max_size=3)
                       .map(lambda s: tuple(sorted(s))), st.sampled_from(["forward", "reverse", "any"]))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 10).flatmap(lambda n: st.tuples(st.lists(node_specs, min_size=n + 1, max_size=n + 1),
                                                      st.lists(link_specs, min_size=n, max_size=n))))
def test_text_round_trip(parts):
    nodes, links = parts
    pattern = Pattern(tuple(nodes), tuple(links))
    again = parse_pattern(str(pattern))
    assert again == pattern
    assert str(again) == str(pattern)


_LOCAL = st.from_regex(r"[A-Za-z0-9_]([A-Za-z0-9_.]*[A-Za-z0-9_])?", fullmatch=True)
_CURIES = st.tuples(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]*", fullmatch=True), _LOCAL).map(":".join)


@settings(max_examples=100, deadline=None)
@given(predicates=st.lists(_CURIES, min_size=1, max_size=4, unique=True),
       kinds=st.lists(_CURIES, min_size=1, max_size=3, unique=True), data=st.data())
def test_prefixed_names_round_trip(predicates, kinds, data):
    """An imported schema's prefixed predicate and kind names (``hetionet:treats``) parse as
    names, and a pattern of them reads back from its text."""
    from sle_graph.ontology import Kind, external_predicate

    schema = SCHEMA.extended(kinds=[Kind(k, k, "", "Entity") for k in kinds if k not in SCHEMA.kinds],
                             predicates=[external_predicate(p) for p in predicates if p not in SCHEMA.predicates])
    n = data.draw(st.integers(1, 4))
    nodes = data.draw(st.lists(st.one_of(st.builds(NodeSpec, kind=st.sampled_from(kinds + ["Cell"])),
                                         st.just(NodeSpec())), min_size=n + 1, max_size=n + 1))
    links = data.draw(st.lists(st.builds(LinkSpec, st.sets(st.sampled_from(predicates + ["uses"]), max_size=3)
                                         .map(lambda s: tuple(sorted(s))), st.sampled_from(LINK_DIRECTIONS)),
                               min_size=n, max_size=n))
    pattern = Pattern(tuple(nodes), tuple(links))
    text = str(pattern)
    assert parse_pattern(text, schema) == pattern
    # without spaces too: the link's '-', '>' and '|' end a name
    assert parse_pattern(text.replace(" ", ""), schema) == pattern
    # a name the schema lacks is refused, named whole
    missing = max(predicates) + "x"  # longer than any: not one of them
    with pytest.raises(PatternPredicateError, match=f"unknown predicate '{missing}'"):
        parse_pattern(f"* -[{missing}]-> *", schema)
