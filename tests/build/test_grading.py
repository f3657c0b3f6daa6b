"""Evidence grades and statuses: the documented rule on hand-made graphs and on the curated one."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from sle_graph import Edge, Evidence, KnowledgeGraph, Node
from sle_graph.build.grading import GRADES, STATUSES, design_grade, grade_edges

#: Every design of the real table and the class the documented decisions give it (hand-written).
REAL_DESIGNS = {
    "burt2006": "single-arm trial",
    "jayne2004": "cohort or registry",
    "ebmt_lupus2013": "cohort or registry",
    "hsct5yr_bmt2018": "case series",            # "(non-randomised)" is not randomised
    "song_autosct_7yr": "case series",
    "pumch_10yr": "cohort or registry",
    "desilva2019": "cohort or registry",         # systematic review, no meta-analysis
    "sun2009": "case series",                    # preclinical + first-in-human case series
    "liang2010": "single-arm trial",
    "allo_msct_4yr": "cohort or registry",
    "wang2014_multicentre": "single-arm trial",
    "allo_msct_5yr_eular2017": "cohort or registry",
    "deng2017_rct": "randomised trial or meta-analysis",
    "auto_bmmsc_lupus2010": "case series",
    "barbado2018": "case series",
    "kamen2022": "single-arm trial",
    "farge2025": "single-arm trial",             # phase 1 open-label dose-escalation
    "zhou2020_meta": "randomised trial or meta-analysis",
    "mackensen2022": "case series",
    "muller2024": "case series",
}

DESIGN_OF = {  # one design text per class, for hand-made graphs
    "rct": "randomised double-blind placebo-controlled trial",
    "meta": "meta-analysis of 4 RCTs",
    "single": "phase I open-label single-arm",
    "cohort": "retrospective registry survey",
    "review": "systematic review (no meta-analysis)",
    "series": "compassionate-use case series",
    "unknown": "an expert's opinion",
}
RANK = {"rct": 0, "meta": 0, "single": 1, "cohort": 2, "review": 2, "series": 3, "unknown": 3}


@pytest.fixture(scope="module")
def table(clinical_evidence: Path) -> dict[str, dict[str, str]]:
    with open(clinical_evidence, encoding="utf-8", newline="") as fh:
        return {r["study_id"]: r for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)}


def test_every_real_design_is_classified_as_documented(table):
    assert set(REAL_DESIGNS) == set(table)
    got = {sid: design_grade(row["design"]) for sid, row in table.items()}
    assert got == REAL_DESIGNS


# -- hand-made graphs --------------------------------------------------------------------------

def _graph(evidence: list[tuple[str, str]], claim: bool = True) -> Edge:
    """One edge t -has_outcome-> o, with an article quote when ``claim`` and one study per item
    of ``evidence`` (design key, stance)."""
    nodes = [Node("t", "Therapy", "therapy", definition="A therapy."),
             Node("o", "Outcome", "outcome", definition="An outcome."),
             Node("doc", "SourceDocument", "doc", definition="A document.")]
    records = [Evidence("doc", quote="it works", start=0, end=8)] if claim else []
    for i, (design, stance) in enumerate(evidence):
        nodes.append(Node(f"s{i}", "Study", f"study {i}", definition="A study.",
                          attributes={"design": DESIGN_OF[design]}))
        records.append(Evidence(f"s{i}", stance=stance, finding=f"finding {i}"))
    kg = KnowledgeGraph(nodes, [Edge("t", "has_outcome", "o", tuple(records))])
    return kg.edge("t", "has_outcome", "o")


@pytest.mark.parametrize("evidence, claim, grade, status", [
    ([], True, "article claim", "claim only"),
    ([("series", "neutral")], True, "article claim", "claim only"),
    ([("rct", "neutral"), ("series", "supports")], True, "case series", "supported"),
    ([("series", "supports")], True, "case series", "supported"),
    ([("cohort", "supports"), ("single", "supports"), ("series", "supports")], True, "single-arm trial", "supported"),
    ([("rct", "supports"), ("cohort", "contradicts")], True, "randomised trial or meta-analysis", "supported"),
    ([("meta", "supports")], False, "randomised trial or meta-analysis", "supported"),
    ([("cohort", "supports"), ("cohort", "contradicts")], True, "cohort or registry", "contested"),
    ([("series", "supports"), ("rct", "contradicts")], True, "case series", "contested"),
    ([("single", "supports"), ("meta", "contradicts")], True, "single-arm trial", "contested"),
    ([("single", "supports"), ("series", "contradicts")], True, "single-arm trial", "supported"),
    ([("series", "contradicts")], True, "article claim", "contested"),    # article claim + any study against
    ([("rct", "contradicts")], False, "article claim", "contested"),
    ([("review", "supports"), ("single", "contradicts")], True, "cohort or registry", "contested"),
    ([("unknown", "supports")], True, "case series", "supported"),          # unknown design = weakest
    ([("unknown", "contradicts"), ("series", "supports")], True, "case series", "contested"),
])
def test_rule_on_small_graphs(evidence, claim, grade, status):
    edge = _graph(evidence, claim)
    assert (edge.grade, edge.status) == (grade, status)


def test_a_study_without_design_is_the_weakest_design():
    nodes = [Node("t", "Therapy", "t", definition="T."), Node("o", "Outcome", "o", definition="O."),
             Node("s", "Study", "s", definition="S.")]
    kg = KnowledgeGraph(nodes, [Edge("t", "has_outcome", "o", (Evidence("s", stance="supports"),))])
    assert kg.edge("t", "has_outcome", "o").grade == "case series"


def _oracle(evidence: list[tuple[str, str]]) -> tuple[str, str]:
    """The rule as the docstring states it, written independently of grading.py."""
    supports = [RANK[d] for d, s in evidence if s == "supports"]
    against = [RANK[d] for d, s in evidence if s == "contradicts"]
    best = min(supports) if supports else 4
    if against and min(against) <= best:
        return GRADES[best], "contested"
    return GRADES[best], "supported" if supports else "claim only"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(DESIGN_OF)),
                          st.sampled_from(["supports", "contradicts", "neutral"])), max_size=5))
def test_rule_matches_an_independent_statement_of_it(evidence):
    edge = _graph(evidence)
    assert (edge.grade, edge.status) == _oracle(evidence)


def test_grading_ignores_stance_of_quotes_and_references():
    e = Edge("t", "has_outcome", "o", (Evidence("doc", quote="no", start=0, end=2, stance="contradicts"),
                                         Evidence("", reference="a paper", stance="supports")))
    [graded] = grade_edges([e], {})
    assert (graded.grade, graded.status) == ("article claim", "claim only")
    assert graded == e  # grade and status do not change what the edge is


def test_claims_partitions_the_edges_by_status(kg):
    parts = {s: kg.claims(status=s) for s in STATUSES}
    assert sorted((e.key for p in parts.values() for e in p)) == [e.key for e in kg.edges()]
    assert all(e.status == s for s, p in parts.items() for e in p)
    assert all(parts.values()), "the curated graph has claims of every status"
    with pytest.raises(ValueError, match="supported"):
        kg.claims(status="suported")


# -- the curated graph ----------------------------------------------------------------------------

def _article_msc_efficacy_claims(kg):
    """The articles' outcome claims on MSC that studies measured (not safety)."""
    return [e for e in kg.edges(predicate="has_outcome")
            if e.subject in ("msc", "msc_therapy") and e.object != "safety_profile"
            and any(ev.kind == "quote" for ev in e.evidence)
            and any(ev.kind == "study" for ev in e.evidence)]


def test_msc_efficacy_claims_of_the_articles_are_contested_by_the_rct(kg, table):
    claims = _article_msc_efficacy_claims(kg)
    assert len(claims) >= 2
    rct = kg.node("deng2017_rct")
    assert design_grade(table["deng2017_rct"]["design"]) == GRADES[0]
    for e in claims:
        assert e.status == "contested", e
        against = [ev for ev in e.evidence if ev.source == rct.id and ev.stance == "contradicts"]
        assert against, f"{e}: the randomised trial does not contradict it"
        assert all(ev.finding in table["deng2017_rct"]["result"] for ev in against)
        # the trial alone contests it: drop every other contradicting record, still contested
        only_rct = tuple(ev for ev in e.evidence if ev.stance != "contradicts" or ev.source == rct.id)
        [graded] = grade_edges([Edge(*e.key, evidence=only_rct)], kg.node_map)
        assert graded.status == "contested", e


def test_a_claim_decided_by_the_rct_alone(kg):
    """msc -> alleviated symptoms: single-arm support; only the RCT is strong enough to contest it."""
    e = kg.edge("msc", "has_outcome", "alleviated_symptoms")
    assert (e.grade, e.status) == ("single-arm trial", "contested")
    rest = tuple(ev for ev in e.evidence if ev.source != "deng2017_rct")
    [without] = grade_edges([Edge(*e.key, evidence=rest)], kg.node_map)
    assert without.status == "supported"


def test_ahsct_evidence_is_uncontrolled(kg):
    """No randomised trial of AHSCT exists in the table: no AHSCT edge can grade above single-arm."""
    for ref in ("ahsct", "hsct"):
        for e in kg.edges(subject=ref):
            assert e.grade != GRADES[0], e


def test_explanation_names_the_trial_and_its_finding(kg, table):
    paths = pytest.importorskip("sle_graph.query.paths")
    assert paths  # landed: explain through the public path API
    found = kg.paths("msc_therapy", "reduced organ damage", max_hops=1)
    assert found, "no one-hop path from MSC therapy to reduced organ damage"
    text = " ".join(found[0].explain().split())  # wrapped: compare words
    against = [ev for ev in kg.edge("msc_therapy", "has_outcome", "reduced_organ_damage").evidence
               if ev.source == "deng2017_rct" and ev.stance == "contradicts"]
    assert "contested" in text and "deng2017_rct" in text
    assert all(ev.finding in text for ev in against)

