"""Paths between nodes: the curated questions, constraints, ranking, bounds, and a brute-force oracle."""

from __future__ import annotations

import dataclasses
import random

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import sle_graph
from sle_graph import Edge, Evidence, KnowledgeGraph, Node
from sle_graph.query.paths import Path, PathList, edge_strength, find_paths

# -- helpers: an independent statement of the documented ranking, and a brute-force search -------

STATUS_ORDER = ["contested", "claim only", "supported"]  # weakest first, as documented


MODALITY_ORDER = ["potential", "possible", "preliminary", "partial", "asserted"]  # weakest first, as documented


def firmness(edge) -> int:
    """The firmest modality of the edge's quotes; asserted when none has one."""
    found = [MODALITY_ORDER.index(ev.modality) for ev in edge.evidence if ev.modality is not None]
    return max(found, default=MODALITY_ORDER.index("asserted"))


def documented_key(path: Path) -> tuple:
    """The ranking of the module docstring, written out again from the edges alone."""
    weakest = min((STATUS_ORDER.index(e.status), firmness(e), len({ev.source for ev in e.evidence}))
                  for e in path.edges)
    against = tuple(e.object != node.id for e, node in zip(path.edges, path.nodes[1:]))
    return (len(path.edges), -weakest[0], -weakest[1], -weakest[2], tuple(n.id for n in path.nodes),
            tuple(e.predicate for e in path.edges), against)


def brute_force(kg: KnowledgeGraph, source: str, target: str, max_hops: int, direction: str = "forward",
                predicates=None) -> set[tuple]:
    """Every simple path by exhaustive depth-first search over the edge list (no pruning)."""
    steps: dict[str, list[tuple[tuple, str]]] = {}
    for e in kg.edges():
        if predicates is not None and e.predicate not in predicates:
            continue
        steps.setdefault(e.subject, []).append((e.key, e.object))
        if direction == "any":
            steps.setdefault(e.object, []).append((e.key, e.subject))
    found = set()

    def walk(nodes: list[str], edges: list[tuple]) -> None:
        if nodes[-1] == target and edges:
            found.add((tuple(nodes), tuple(edges)))
            return
        if len(edges) == max_hops:
            return
        for key, nxt in steps.get(nodes[-1], ()):
            if nxt not in nodes:
                walk(nodes + [nxt], edges + [key])

    walk([source], [])
    return found


def as_tuples(paths) -> set[tuple]:
    return {(tuple(n.id for n in p.nodes), tuple(e.key for e in p.edges)) for p in paths}


def doc(i: int) -> Node:
    return Node(f"doc{i}", "SourceDocument", f"document {i}", definition="A text.")


def ev(i: int = 1) -> Evidence:
    return Evidence(f"doc{i}", quote="q", start=0, end=1)


def small_graph(order: int = 0) -> KnowledgeGraph:
    """a -> {b, c} -> d (two 2-hop paths) and a -> d; a -> c and c -> d cite two documents each."""
    nodes = [Node("a", "Therapy", "therapy A", definition="x"),
             Node("b", "StemCell", "cell B", definition="x"),
             Node("c", "StemCell", "cell C", definition="x"),
             Node("m", "Mechanism", "mechanism M", definition="x"),
             Node("d", "Outcome", "outcome D", definition="x"), doc(1), doc(2)]
    edges = [Edge("a", "uses", "b", (ev(1),)),
             Edge("a", "uses", "c", (ev(1), ev(2))),
             Edge("b", "has_outcome", "d", (ev(1),)),
             Edge("c", "has_outcome", "d", (ev(1), ev(2))),
             Edge("a", "acts_through", "m", (ev(1),)),
             Edge("m", "leads_to", "d", (ev(1),)),
             Edge("b", "acts_through", "m", (ev(2),))]
    rng = random.Random(order)
    if order:
        rng.shuffle(nodes)
        rng.shuffle(edges)
    return KnowledgeGraph(nodes, edges)


# -- the questions of the issue on the curated graph ----------------------------------------------

def assert_explained(paths, kg) -> None:
    for p in paths:
        text = " ".join(p.explain().split())  # wrapped: compare words, not line breaks
        for i, e in enumerate(p.edges):
            assert f"{i + 1}. {p.nodes[i].label} " in text and f"{e.status}; grade: {e.grade}" in text
            # The curated edge, evidence and all: test_curated checks its quotes against the texts.
            assert e == kg.edge(e.subject, e.predicate, e.object)
            for evidence in e.evidence:
                if evidence.kind == "quote":
                    assert evidence.quote in text
                    assert f"[{evidence.start}:{evidence.end}]" in text
                elif evidence.kind == "study":
                    assert f"study {evidence.source}: {evidence.stance}" in text


def test_how_could_msc_reduce_disease_activity(kg):
    found = kg.paths("mesenchymal stem cell", "reduced disease activity")
    assert found, "the curated graph links MSCs to reduced disease activity"
    assert as_tuples(found) == brute_force(kg, "msc", "reduced_disease_activity", 4)
    assert all(p.start.id == "msc" and p.end.id == "reduced_disease_activity" for p in found)
    # The answer says how: through a mechanism.
    assert any(n.kind == "Mechanism" for p in found for n in p.nodes[1:-1])
    assert_explained(found, kg)


def test_what_links_ahsct_to_reduced_steroid_dependence(kg):
    found = kg.paths("AHSCT", "reduced steroid dependence", direction="any")
    g = nx.MultiGraph(kg.to_networkx())
    assert len(found[0]) == nx.shortest_path_length(g, "ahsct", "reduced_steroid_dependence")
    assert as_tuples(found) == brute_force(kg, "ahsct", "reduced_steroid_dependence", 4, "any")
    assert_explained(found[:20], kg)


def test_challenges_between_each_therapy_and_its_outcomes(kg):
    found = kg.match("Challenge <-[faces_challenge]- Therapy -[has_outcome]-> Outcome")
    therapies = {n.id for n in kg.nodes(kind="Therapy")}
    expected = {(c.object, t.subject, t.object)
                for c in kg.edges(predicate="faces_challenge") if c.subject in therapies
                for t in kg.edges(subject=c.subject, predicate="has_outcome")}
    assert expected, "some therapy has both a challenge and an outcome"
    assert {tuple(n.id for n in p.nodes) for p in found} == expected
    assert_explained(found, kg)


def test_curated_ranking_follows_the_documented_key(kg):
    for source, target in [("hsct", "reduced_disease_activity"), ("msc", "lupus"), ("stem_cell_therapy", "sle")]:
        found = kg.paths(source, target, direction="any")
        assert [documented_key(p) for p in found] == sorted(documented_key(p) for p in found)


def test_forward_search_agrees_with_networkx(kg):
    g = kg.to_networkx()
    for source in ["hsct", "msc", "stem_cell_therapy"]:
        for target in ["reduced_disease_activity", "lupus", "healthy_immune_cell"]:
            ours = {tuple(e.key for e in p.edges) for p in kg.paths(source, target)}
            theirs = {tuple((u, k, v) for u, v, k in path)
                      for path in nx.all_simple_edge_paths(g, source, target, cutoff=4)}
            assert ours == theirs


# -- constraints change results in the documented way -------------------------------------------

def test_via_keeps_only_paths_through_the_kind(kg):
    everything = kg.paths("hsct", "reduced disease activity")
    through = kg.paths("hsct", "reduced disease activity", via="Mechanism")
    expected = [p for p in everything if any(n.kind == "Mechanism" for n in p.nodes[1:-1])]
    assert through == expected and len(through) < len(everything)
    # a list: every kind in it; sub-kinds count (StemCell is a Cell)
    both = kg.paths("hsct", "reduced disease activity", via=["Mechanism", "Cell"])
    assert both == [p for p in expected if any(kg.schema.is_a(n.kind, "Cell") for n in p.nodes[1:-1])]
    assert both and len(both) < len(through)


def test_predicates_restrict_the_edges_walked(kg):
    everything = kg.paths("hsct", "reduced disease activity")
    allowed = {"acts_through", "leads_to"}
    restricted = kg.paths("hsct", "reduced disease activity", predicates=sorted(allowed))
    assert restricted == [p for p in everything if {e.predicate for e in p.edges} <= allowed]
    assert restricted and len(restricted) < len(everything)
    assert kg.paths("hsct", "reduced disease activity", predicates="has_outcome") == everything[:1]


def test_direction_any_walks_edges_backwards(kg):
    assert kg.paths("reduced disease activity", "hsct") == []
    backwards = kg.paths("reduced disease activity", "hsct", direction="any")
    assert backwards and any(not all(p.forward) for p in backwards)
    forward = kg.paths("msc", "reduced disease activity")
    anyway = kg.paths("msc", "reduced disease activity", direction="any")
    assert set(forward) < set(anyway)
    assert "<-[" in str(next(p for p in anyway if not all(p.forward)))


def test_limit_is_the_top_of_the_ranking(kg):
    everything = kg.paths("msc", "lupus", direction="any")
    for n in (0, 1, 3, len(everything) + 5):
        assert kg.paths("msc", "lupus", direction="any", limit=n) == everything[:n]


def test_hop_bound(kg):
    found = kg.paths("hsct", "reduced disease activity", max_hops=2)
    assert found and max(len(p) for p in found) <= 2
    assert as_tuples(found) == brute_force(kg, "hsct", "reduced_disease_activity", 2)


# -- bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, message", [
    ({"max_hops": 11}, "at most 10 hops"),
    ({"max_hops": 0}, "at least 1"),
    ({"direction": "backward"}, "direction must be one of"),
    ({"predicates": ["acts_throug"]}, "did you mean 'acts_through'"),
    ({"predicates": []}, "predicates is empty"),
    ({"via": "Mechansim"}, "did you mean 'Mechanism'"),
    ({"limit": -1}, "limit must be at least 0"),
])
def test_bad_arguments_are_refused(kg, kwargs, message):
    with pytest.raises(ValueError, match=message):
        kg.paths("msc", "lupus", **kwargs)


def test_unknown_node_names_closest_matches(kg):
    with pytest.raises(KeyError, match="closest: 'mesenchymal stem cell'"):
        kg.paths("mesenchymal stem cels", "lupus")


def test_no_path_is_an_empty_list(kg):
    found = kg.paths("lupus", "msc")
    assert found == [] and isinstance(found, PathList)
    assert kg.paths("msc", "msc") == []


# -- ranking on hand-made graphs ----------------------------------------------------------------

def test_more_sources_rank_first_and_shuffling_changes_nothing():
    first = small_graph().paths("a", "d")
    assert [len(p) for p in first] == [2, 2, 2, 3]
    # Among the 2-hop paths, the one whose weakest edge cites two documents (via c) comes first;
    # the other two tie on strength and fall back to the tie-break (node ids: 'b' < 'm').
    assert [p.nodes[1].id for p in first[:3]] == ["c", "b", "m"]
    reference = small_graph().paths("a", "d", direction="any")
    for seed in range(1, 6):
        again = small_graph(seed).paths("a", "d", direction="any")
        assert again == reference
        assert [p.explain() for p in again] == [p.explain() for p in reference]


def test_weakest_edge_decides_strength():
    kg = small_graph()
    (ab,), (bd,), (ac,), (cd,) = (kg.edges("a", "uses", "b"), kg.edges("b", "has_outcome", "d"),
                                  kg.edges("a", "uses", "c"), kg.edges("c", "has_outcome", "d"))
    nodes = {n.id: n for n in kg.nodes()}

    def path(*steps):
        edges = [dataclasses.replace(e, status=s) for e, s in steps]
        ids = [edges[0].subject] + [e.object for e in edges]
        return Path([nodes[i] for i in ids], edges)

    strong_weak = path((ab, "supported"), (bd, "contested"))
    claims = path((ac, "claim only"), (cd, "claim only"))
    supported = path((ab, "supported"), (bd, "supported"))
    claims_one_source = path((ab, "claim only"), (bd, "claim only"))
    direct = Path([nodes["a"], nodes["m"]], [dataclasses.replace(kg.edges("a", "acts_through", "m")[0],
                                                                  status="contested")])
    ranked = sorted([strong_weak, claims, supported, claims_one_source, direct], key=lambda p: p.rank_key)
    assert ranked == [direct, supported, claims, claims_one_source, strong_weak]
    assert [documented_key(p) for p in ranked] == sorted(documented_key(p) for p in ranked)
    assert strong_weak.strength == ("contested", 1) and claims.strength == ("claim only", 2)


def test_ranking_is_deterministic(kg):
    runs = [kg.paths("stem cell therapy", "lupus", direction="any") for _ in range(2)]
    assert runs[0] == runs[1] and [p.explain() for p in runs[0]] == [p.explain() for p in runs[1]]


# -- the oracle: random small typed graphs -------------------------------------------------------

KINDS = ["Therapy", "StemCell", "ImmuneCell", "Mechanism", "Outcome", "Disease", "Manifestation"]


@st.composite
def random_graphs(draw) -> KnowledgeGraph:
    schema = sle_graph.load().schema
    n = draw(st.integers(3, 8))
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=n, max_size=n))
    nodes = [Node(f"n{i}", k, f"node {i}", definition="x") for i, k in enumerate(kinds)] + [doc(1), doc(2)]
    candidates = [(f"n{i}", p, f"n{j}") for i, a in enumerate(kinds) for j, b in enumerate(kinds) if i != j
                  for p in sorted(schema.predicates) if schema.allows(p, a, b)]
    chosen = draw(st.lists(st.sampled_from(candidates), unique=True, max_size=14)) if candidates else []
    edges = [Edge(s, p, o, (ev(1),) if draw(st.booleans()) else (ev(1), ev(2))) for s, p, o in chosen]
    return KnowledgeGraph(nodes, edges)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_graphs(), st.integers(1, 5), st.sampled_from(["forward", "any"]), st.data())
def test_search_equals_brute_force(kg, max_hops, direction, data):
    ids = [n.id for n in kg.nodes() if n.kind != "SourceDocument"]
    source, target = data.draw(st.sampled_from(ids)), data.draw(st.sampled_from(ids))
    preds = data.draw(st.none() | st.sets(st.sampled_from(sorted({e.predicate for e in kg.edges()} or {"uses"})),
                                          min_size=1))
    found = find_paths(kg, source, target, max_hops=max_hops, direction=direction,
                       predicates=sorted(preds) if preds else None)
    expected = brute_force(kg, source, target, max_hops, direction, preds) if source != target else set()
    assert as_tuples(found) == expected and len(found) == len(expected)
    assert [documented_key(p) for p in found] == sorted(documented_key(p) for p in found)


# -- the Path and PathList objects --------------------------------------------------------------

def test_path_object(kg):
    p = kg.paths("msc", "reduced disease activity")[0]
    assert len(p) == len(p.edges) == len(p.nodes) - 1
    labels = [kg.schema.predicates[e.predicate].label for e in p.edges]
    assert str(p) == " ".join(x for pair in zip([n.label for n in p.nodes], [f"-[{lab}]->" for lab in labels] + [""])
                              for x in pair).strip()
    assert p == Path(p.nodes, p.edges) and hash(p) == hash(Path(p.nodes, p.edges))
    assert {p, Path(p.nodes, p.edges)} == {p}
    with pytest.raises(AttributeError):
        p.extra = 1  # type: ignore[attr-defined]
    p.nodes.append(p.nodes[0])  # a copy: the path does not change
    assert len(p.nodes) == len(p) + 1
    with pytest.raises(ValueError, match="does not join"):
        Path([p.nodes[0], p.nodes[-1]], [p.edges[-1]])
    with pytest.raises(ValueError, match="nodes"):
        Path(p.nodes, [])


def test_path_list_display_and_frame(kg):
    found = kg.paths("hsct", "reduced disease activity")
    assert isinstance(found[1:], PathList) and isinstance(found[0], Path)
    assert str(found).splitlines() == [f"{i}. {p}" for i, p in enumerate(found, 1)]
    assert str(PathList()) == "no paths"
    svg = found._repr_svg_()
    assert svg is None or svg.lstrip().startswith("<svg") or "<svg" in svg
    pytest.importorskip("pandas")
    df = found.to_frame()
    assert list(df["hops"]) == [len(p) for p in found]
    assert list(df["text"]) == [str(p) for p in found]
    assert df.loc[0, "nodes"].split("|") == [n.id for n in found[0].nodes]
    assert sle_graph.to_frame(found).equals(df)


# -- neighbours ---------------------------------------------------------------------------------

def cited(kg: KnowledgeGraph, ids: set[str]) -> set[str]:
    """The documents and studies the edges among ``ids`` cite (only those that are nodes)."""
    sources = {ev.source for e in kg.edges() if e.subject in ids and e.object in ids for ev in e.evidence}
    return sources & {n.id for n in kg.nodes()}


def test_neighbors_agree_with_networkx_ego_graph(kg):
    g = kg.to_networkx().to_undirected(as_view=True)
    for ref, hops in [("msc", 1), ("msc", 2), ("lupus", 1), ("ahsct", 0)]:
        sub = kg.neighbors(ref, hops=hops)
        expected = set(nx.ego_graph(g, kg.node(ref).id, radius=hops))
        assert {n.id for n in sub.nodes()} == expected | cited(kg, expected)
        assert {e.key for e in sub.edges()} == {e.key for e in kg.edges()
                                                  if e.subject in expected and e.object in expected}


def test_neighbors_by_kind_walk_only_through_that_kind(kg):
    g = kg.to_networkx().to_undirected(as_view=True)
    allowed = {n.id for n in kg.nodes(kind="Mechanism")} | {"msc"}
    expected = set(nx.ego_graph(g.subgraph(allowed), "msc", radius=2))
    sub = kg.neighbors("msc", hops=2, kinds="Mechanism")
    assert len(expected) > 2
    assert {n.id for n in sub.nodes()} == expected | cited(kg, expected)
    with pytest.raises(ValueError):
        kg.neighbors("msc", hops=-1)
    with pytest.raises(ValueError, match="did you mean 'Mechanism'"):
        kg.neighbors("msc", kinds="Mechanim")


def _two_chains(firm: str, hedged: str) -> KnowledgeGraph:
    """Two chains from a cell to an outcome, alike but for their quotes' modality; the hedged one
    has the ids that win the tie-break, so only modality can put the firm one first."""
    nodes = [Node("doc", "SourceDocument", "a text", definition="A text."),
             Node("cell", "StemCell", "a cell", definition="A cell."),
             Node("a_mech", "Mechanism", "a mechanism", definition="A way."),
             Node("z_mech", "Mechanism", "another mechanism", definition="A way."),
             Node("out", "Outcome", "an outcome", definition="A result.")]

    def quote(i: int, modality: str) -> tuple:
        return (Evidence("doc", quote="q", start=i, end=i + 1, modality=modality),)

    edges = [Edge("cell", "acts_through", "a_mech", quote(0, hedged)), Edge("a_mech", "leads_to", "out", quote(2, firm)),
             Edge("cell", "acts_through", "z_mech", quote(4, firm)), Edge("z_mech", "leads_to", "out", quote(6, firm))]
    return KnowledgeGraph(nodes, edges)


@pytest.mark.parametrize("firm, hedged", [("asserted", "possible"), ("asserted", "potential"),
                                          ("preliminary", "possible"), ("partial", "preliminary")])
def test_a_chain_of_firm_statements_ranks_above_a_chain_of_possibilities(firm, hedged):
    kg = _two_chains(firm, hedged)
    assert {e.status for e in kg.edges()} == {"claim only"}  # status alike: modality decides
    for found in (kg.paths("cell", "out"), kg.match("'a cell' -> Mechanism -> 'an outcome'")):
        assert [p.nodes[1].id for p in found] == ["z_mech", "a_mech"]
        assert [documented_key(p) for p in found] == sorted(documented_key(p) for p in found)
    same = _two_chains(firm, firm)  # without the hedge, the tie-break puts a_mech first
    assert [p.nodes[1].id for p in same.paths("cell", "out")] == ["a_mech", "z_mech"]


def test_status_ranks_before_modality(kg):
    # a supported edge from early trials outranks a claim stated as fact, which outranks a
    # contested edge: the studies decide first, the words second
    strong = kg.edge_map["ahsct", "has_outcome", "long_term_remission"]
    plain = kg.edge_map["msc", "acts_through", "tissue_repair"]
    weak = kg.edge_map["msc", "has_outcome", "alleviated_symptoms"]
    assert (strong.status, plain.status, weak.status) == ("supported", "claim only", "contested")
    assert {ev.modality for ev in strong.evidence if ev.kind == "quote"} == {"preliminary"}
    assert {ev.modality for ev in plain.evidence if ev.kind == "quote"} == {"asserted"}
    assert edge_strength(strong) > edge_strength(plain) > edge_strength(weak)
# -- explanations that read well ------------------------------------------------------------------

def test_explain_is_one_wrapped_block_per_step(kg):
    from sle_graph.query.paths import EXPLAIN_WIDTH

    found = kg.paths("msc_therapy", "reduced organ damage", max_hops=2)
    for path in found:
        text = path.explain()
        blocks = text.split("\n\n")
        assert blocks[0] == f"{path}\n{text.splitlines()[1]}" and len(blocks) == len(path) + 1
        for i, (block, edge) in enumerate(zip(blocks[1:], path.edges), 1):
            assert block.startswith(f"{i}. {path.nodes[i - 1].label} ")
            assert block.count("\n   - ") == len(edge.evidence)  # one item per piece of evidence
            assert f"{edge.subject} -[{edge.predicate}]->" not in block  # labels, not ids a second time
        lines = text.splitlines()
        assert all(len(line) <= EXPLAIN_WIDTH for line in lines[1:])
        # never inside a word: every word of every quote and finding is whole on one line
        words = {w for e in path.edges for ev in e.evidence for w in f"{ev.quote or ''} {ev.finding or ''}".split()}
        on_lines = {w.strip('"') for line in lines for w in line.split()}
        assert words and {w.strip('"') for w in words} <= on_lines


def test_explanation_shows_as_an_escaped_table_in_notebooks(kg):
    import html
    import xml.etree.ElementTree as ET

    found = kg.paths("msc_therapy", "reduced organ damage", max_hops=2, limit=2)
    explanation = found.explain()
    assert isinstance(explanation, str) and explanation == "\n\n".join(
        f"#{i} {p.explain()}" for i, p in enumerate(found, 1))
    page = explanation._repr_html_()
    root = ET.fromstring(page.replace("<br>", "<br/>"))  # well-formed: every text escaped
    tables = root.findall(".//table")
    assert len(tables) == len(found)
    for table, path in zip(tables, found):
        rows = table.findall("./tbody/tr")
        assert len(rows) == len(path)
        for row, edge in zip(rows, path.edges):
            items = row.findall(".//li")
            assert len(items) == len(edge.evidence)
            quotes = [ev.quote for ev in edge.evidence if ev.quote]
            assert all(any(q in (li.text or "") for li in items) for q in quotes)
    assert "<script" not in page and html.escape("->") in page
