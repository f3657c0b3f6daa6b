"""Questions a researcher asks of the curated graph, answered through the public API.

Each test asks what a reader of the two articles and the clinical evidence table would ask, and
checks the answer against what the data means: the words of the quotes, the table's rows and
designs, the ordering the texts give. The clinical table is read with the csv module, apart from
the library's own reader.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from sle_graph.build.grading import GRADES, design_grade

RESULT_COLUMNS = ("result", "adverse_events_or_mortality")
PRODUCT_COLUMNS = ("therapy", "cell_source")


@pytest.fixture(scope="module")
def table(shared: Path) -> dict[str, dict[str, str]]:
    with open(shared / "reference" / "clinical_evidence.tsv", encoding="utf-8", newline="") as fh:
        return {r["study_id"]: r for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)}


def _stems(node) -> set[str]:
    """Content-word stems (first 6 letters of words of 5+ letters) of a node's label and synonyms."""
    words = re.findall(r"[a-z]{5,}", " ".join([node.label, *node.synonyms]).lower())
    return {w[:6] for w in words} - {"therap", "stem", "cells"}


def _names(quote: str, node) -> bool:
    text = quote.lower()
    return any(s in text for s in _stems(node))


def _studies(edge, stance):
    return {ev.source for ev in edge.evidence if ev.kind == "study" and ev.stance == stance}


def _rank(grade: str) -> int:
    return GRADES.index(grade)


# -- what are the mechanisms of MSCs? -------------------------------------------------------------

def test_mechanisms_of_mscs_are_the_ones_the_article_names_for_mscs(kg):
    found = kg.match("'mesenchymal stem cell' -[acts_through]-> Mechanism")
    assert len(found) >= 5
    for path in found:
        [edge] = path.edges
        mechanism = kg.node(edge.object)
        quotes = [ev.quote for ev in edge.evidence if ev.kind == "quote"]
        assert quotes, f"{edge}: no article says it"
        # the quote speaks of MSCs, not of stem cells in general, and names the mechanism
        assert any(re.search(r"\bMSCs?\b|Mesenchymal", q) for q in quotes), edge
        assert any(_names(q, mechanism) for q in quotes), f"{edge}: {quotes} do not name {mechanism.label}"


def test_the_regulatory_cells_msc_induce_are_the_tregs_a_study_saw_rise(kg, table):
    treg = kg.node("CL:0000815")
    assert treg.kind == "ImmuneCell"
    found = kg.paths("mesenchymal stem cell", treg, max_hops=2)
    assert found, "no path from MSC to regulatory T cells"
    last = found[0].edges[-1]
    assert kg.node(last.subject).kind == "Mechanism"
    rose = [ev for ev in last.evidence if ev.kind == "study" and ev.stance == "supports"]
    assert rose and all("Treg" in ev.finding and ev.finding in table[ev.source]["result"] for ev in rose)


# -- what are the steps of autologous HSCT, in order? ---------------------------------------------

def test_steps_of_autologous_hsct_in_order(kg, sources):
    steps = {e.object for e in kg.edges(subject="AHSCT", predicate="has_step")}
    assert len(steps) >= 3
    follows = {(e.subject, e.object) for e in kg.edges(predicate="precedes")
               if e.subject in steps and e.object in steps}
    # the precedes edges among the steps form one chain through all of them
    order = [s for s in steps if not any(b == s for _, b in follows)]
    assert len(order) == 1, f"no single first step: {order}"
    while len(order) < len(steps):
        nxt = [b for a, b in follows if a == order[-1]]
        assert len(nxt) == 1, f"after {order[-1]}: {nxt}"
        order.append(nxt[0])
    assert order[-1] == "stem_cell_reinfusion"
    # the steps the article quotes come in the order of its text
    text = sources["potential-of-stem-cell-therapy"]
    positions = []
    for step in order:
        edge = kg.edge("ahsct", "has_step", step)
        quoted = [ev for ev in edge.evidence if ev.kind == "quote"]
        if quoted:
            positions.append(min(ev.end for ev in quoted))
            assert all("own" in text[ev.start:ev.end] or "collected stem cells" in ev.quote for ev in quoted)
    assert len(positions) >= 3 and positions == sorted(positions)


def test_an_article_describing_the_autologous_procedure_puts_it_on_ahsct(kg, sources):
    """The paragraph whose HSCT collects 'a patient's own' cells describes AHSCT: its quotes are there."""
    text = sources["potential-of-stem-cell-therapy"]
    start = text.index("In HSCT, a patient")
    end = text.index("\n", start)
    assert "own" in text[start:end]
    def in_paragraph(ev):
        return ev.kind == "quote" and ev.source == "potential-of-stem-cell-therapy" and start <= ev.start < end
    on_ahsct = [e for e in kg.edges(subject="ahsct") if any(in_paragraph(ev) for ev in e.evidence)]
    assert {e.predicate for e in on_ahsct} >= {"has_step", "has_outcome", "uses"}
    assert [e for e in kg.edges(subject="hsct") if any(in_paragraph(ev) for ev in e.evidence)] == []
    assert kg.edges(subject="hsct", predicate="has_step") == []


def test_no_study_finding_is_copied_onto_hsct_and_ahsct(kg):
    seen: dict[tuple, set[str]] = {}
    for therapy in ("hsct", "ahsct"):
        for e in kg.edges(subject=therapy):
            for ev in e.evidence:
                if ev.kind == "study":
                    seen.setdefault((e.predicate, e.object, ev.source, ev.finding), set()).add(therapy)
    assert [k for k, v in seen.items() if len(v) > 1] == []


# -- which directions address each challenge of HSCT? ---------------------------------------------

def _hsct_challenges(kg):
    return {e.object for ref in ("hsct", "ahsct") for e in kg.edges(subject=ref, predicate="faces_challenge")}


def test_each_challenge_of_hsct_with_the_directions_that_address_it(kg):
    answer = {c: {e.subject for e in kg.edges(predicate="addresses", object=c)} for c in _hsct_challenges(kg)}
    addressed = {c for c, ds in answer.items() if ds}
    assert len(addressed) >= 3, answer
    # where the same words name a challenge of HSCT and a direction of HSCT, the direction addresses it
    for c in kg.edges(subject="hsct", predicate="faces_challenge"):
        for d in kg.edges(subject="hsct", predicate="has_research_direction"):
            shared = {ev.quote for ev in c.evidence if ev.kind == "quote"} & {ev.quote for ev in d.evidence}
            if shared:
                assert d.object in answer[c.object], f"{d.object} and {c.object} share {shared}"
    # the procedure's risks are answered by the efforts the article calls ongoing
    risks = [c for c in addressed if "risk" in kg.node(c).label]
    assert risks, "no risk of the procedure is addressed"
    for c in risks:
        for d in answer[c]:
            [edge] = kg.edges(subject=d, predicate="addresses", object=c)
            assert any("ongoing efforts" in ev.quote for ev in edge.evidence if ev.kind == "quote")


def test_every_addresses_edge_quotes_a_text_naming_both_ends(kg):
    edges = kg.edges(predicate="addresses")
    assert len(edges) >= 5
    for e in edges:
        quotes = [ev.quote for ev in e.evidence if ev.kind == "quote"]
        assert quotes, e
        assert any(_names(q, kg.node(e.subject)) and _names(q, kg.node(e.object)) for q in quotes), e


def test_what_the_texts_call_ongoing_efforts_are_directions_not_challenges(kg):
    for e in kg.edges(predicate="faces_challenge"):
        for ev in e.evidence:
            assert ev.kind != "quote" or not re.search(r"ongoing (efforts|research)", ev.quote), e


# -- which outcomes are contested, and which studies stand on each side? --------------------------

def test_contested_claims_and_the_studies_on_each_side(kg, table):
    contested = kg.claims("contested")
    assert len(contested) >= 3
    for e in contested:
        against = _studies(e, "contradicts")
        assert against, e
        strongest_against = min(_rank(design_grade(table[s]["design"])) for s in against)
        assert strongest_against <= _rank(e.grade), f"{e}: no contradicting study as strong as {e.grade}"
    # every claim that a randomised trial or meta-analysis contradicts shows as contested
    for e in kg.edges():
        against = _studies(e, "contradicts")
        if any(design_grade(table[s]["design"]) == GRADES[0] for s in against):
            assert e in contested, e


def test_compelling_evidence_of_efficacy_follows_the_controlled_studies(kg, table):
    e = kg.edge("stem cell therapy", "treats", "lupus")
    assert any(ev.kind == "quote" and "compelling evidence" in ev.quote for ev in e.evidence)
    studies = _studies(e, "supports") | _studies(e, "contradicts")
    assert studies and all(design_grade(table[s]["design"]) == GRADES[0] for s in studies)
    assert "deng2017_rct" in _studies(e, "contradicts")
    assert e.status == "contested"


def test_a_challenge_the_evidence_shows_is_not_contested(kg, table):
    """Zhou 2020's benefit at 3-6 months, gone by 12, does not confirm MSC efficacy."""
    e = kg.edge("msc_therapy", "faces_challenge", "efficacy_not_confirmed")
    assert e.status == "supported" and e.grade == GRADES[0]
    assert not [x for x in kg.claims("contested") if x.predicate == "faces_challenge"]


# -- the strongest grade behind AHSCT inducing remission, and its studies -------------------------

@pytest.mark.parametrize("outcome", ["reduced disease activity", "long-term remission"])
def test_strongest_grade_behind_ahsct_remission(kg, table, outcome):
    e = kg.edge("AHSCT", "has_outcome", outcome)
    supporting = _studies(e, "supports")
    assert supporting, e
    assert all(table[s]["therapy"].startswith("AHSCT") for s in supporting)
    assert all("remission" in ev.finding.lower() for ev in e.evidence if ev.source in supporting)
    best = GRADES[min(_rank(design_grade(table[s]["design"])) for s in supporting)]
    assert e.grade == best
    assert e.grade != GRADES[0], "no randomised trial of AHSCT is in the table"


# -- the seven corrected stances, as properties of every finding ----------------------------------

def _study_records(kg):
    return [(e, ev) for e in kg.edges() for ev in e.evidence if ev.kind == "study"]


def test_graft_processing_is_not_evidence_on_conditioning(kg):
    for e, ev in _study_records(kg):
        if "conditioning" in e.object:
            assert "CD34" not in ev.finding, e


def test_steroid_dependence_is_supported_only_by_findings_about_steroids_or_drugs(kg):
    records = [(e2, ev) for e2 in kg.edges(object="reduced steroid dependence") for ev in e2.evidence
               if ev.kind == "study" and ev.stance == "supports"]
    assert {e2.subject for e2, _ in records} >= {"msc_therapy", "ahsct"}
    for e2, ev in records:
        assert re.search(r"steroid|prednis|drug|immunosuppress", f"{ev.finding} {ev.measure}", re.I), (e2, ev)


def test_adverse_event_findings_name_the_event(kg):
    for e, ev in _study_records(kg):
        if e.predicate == "has_adverse_event" and e.object == "infection" and ev.stance == "supports":
            assert re.search(r"infect|pneumonia|mucormycosis|abscess", ev.finding), (e, ev.finding)
            assert "lupus" not in ev.finding, (e, ev.finding)


def test_unattributed_or_single_uncontrolled_events_do_not_decide_a_claim(kg, table):
    # deaths a study does not attribute to the therapy do not support a safety challenge
    for e, ev in _study_records(kg):
        if e.object in ("long_term_safety", "safety_profile") and "death" in ev.finding:
            assert ev.stance != "supports" or "non-treatment-related" in ev.finding, (e, ev.finding)
    # an infection count in a randomised trial, on background immunosuppression, is not trial-grade harm
    assert kg.edge("msc_therapy", "has_adverse_event", "infection").grade != GRADES[0]
    # a single event in one patient of an uncontrolled series contradicts nothing
    for e, ev in _study_records(kg):
        if ev.stance == "contradicts":
            assert not ev.finding.startswith("one patient"), (e, ev.finding)


def test_traits_of_studies_get_no_design_grade(kg, table):
    """A challenge supported only by what the studies are (products, funders) is not 'graded'."""
    for e in kg.edges(predicate="faces_challenge"):
        for ev in e.evidence:
            if ev.kind == "study" and ev.stance == "supports":
                row = table[ev.source]
                assert any(ev.finding in row[c] for c in RESULT_COLUMNS), (e, ev.finding)
                assert not ev.finding.startswith("Funded"), e
        if all(ev.stance == "neutral" for ev in e.evidence if ev.kind == "study"):
            assert e.grade == GRADES[-1], e


# -- the cells and terms the studies name ---------------------------------------------------------

@pytest.mark.parametrize("curie", ["CL:0000815", "CL:0000084", "CL:0000236", "MONDO:0005556", "HP:0000093"])
def test_study_named_terms_are_nodes_linked_by_findings(kg, table, curie):
    node = kg.node(curie)
    edges = kg.in_edges(node) + kg.out_edges(node)
    records = [ev for e in edges for ev in e.evidence if ev.kind == "study"]
    assert records, curie
    for ev in records:
        row = table[ev.source]
        assert any(ev.finding in row[c] for c in RESULT_COLUMNS + PRODUCT_COLUMNS)


def test_car_t_is_made_of_t_cells_and_aimed_at_b_cells(kg):
    uses = kg.edge("CAR-T", "uses", "T cell")
    assert {ev.source for ev in uses.evidence} >= {"mackensen2022"}
    assert all("T cells" in ev.finding for ev in uses.evidence)
    targets = kg.edge("CAR-T", "targets", "B cell")
    assert all("B-cell" in ev.finding for ev in targets.evidence)


def test_proteinuria_results_on_msc_are_contested_by_the_twelve_month_meta_analysis(kg, table):
    e = kg.edge("msc_therapy", "ameliorates", "proteinuria")
    assert all("protein" in ev.finding for ev in e.evidence)
    assert "zhou2020_meta" in _studies(e, "contradicts") and e.status == "contested"
    assert kg.edges(subject="lupus nephritis", predicate="has_manifestation", object="proteinuria")


# -- how certain are the articles' words? ----------------------------------------------------------

DATA = Path(__file__).resolve().parents[1] / "src" / "sle_graph" / "data"


def _modality_exceptions() -> dict[tuple[str, str, str, int], tuple[str, str, str]]:
    """The table of reviewed exceptions in data/README.md: key -> (rule, reviewed, reason)."""
    text = (DATA / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- modality exceptions:", 1)[1].split("\n\n", 1)[0]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()[1:]
            if line.startswith("|")][2:]  # after the header and its rule
    return {(s, p, o, int(start)): (rule, reviewed, reason) for s, p, o, start, rule, reviewed, reason in rows}


def test_every_quote_has_the_modality_its_words_give_or_a_listed_exception():
    from sle_graph.build.modality import modality_of_text

    exceptions = _modality_exceptions()
    with open(DATA / "assertions.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows and all(r["modality"] for r in rows)  # every quote record was reviewed
    misfires = {}
    for r in rows:
        rule = modality_of_text(r["quote"])
        if rule != r["modality"]:
            misfires[r["subject"], r["predicate"], r["object"], int(r["start"])] = (rule, r["modality"])
    assert misfires == {k: v[:2] for k, v in exceptions.items()}
    assert all(len(reason) > 20 for _, _, reason in exceptions.values())


def test_which_claims_are_only_possibilities(kg):
    # A researcher's question: which edges rest on nothing firmer than "can" or "holds potential"?
    possibilities = kg.claims("claim only", modality="possible") + kg.claims("claim only", modality="potential")
    answer = {e.key for e in possibilities}
    hedged = {"possible", "potential"}
    for e in kg.claims("claim only"):
        quotes = [ev for ev in e.evidence if ev.kind == "quote"]
        only_hedged = bool(quotes) and all(ev.modality in hedged for ev in quotes)
        assert (e.key in answer) == only_hedged, e
    # the hedges the audit found flattened are among them, in the words of their quotes
    for key, words in [(("msc", "has_outcome", "halted_disease_progression"), "potential"),
                       (("stem_cell_therapy", "has_outcome", "long_term_relief"), "offers the potential"),
                       (("hsct", "acts_through", "immune_reset"), "can reset")]:
        assert key in answer and any(words in ev.quote for ev in kg.edge_map[key].evidence)
    # a claim stated as fact once is not a possibility, however often it is hedged elsewhere
    firm = kg.edge_map["stem_cell_therapy", "targets", "immune_dysfunction"]
    assert {ev.modality for ev in firm.evidence} == {"asserted", "potential"} and firm.key not in answer
    # AHSCT's remission rests on early trials: preliminary, not a possibility, not a fact
    remission = kg.edge_map["ahsct", "has_outcome", "long_term_remission"]
    assert {ev.modality for ev in remission.evidence if ev.kind == "quote"} == {"preliminary"}
    assert all(e.status == "claim only" for e in possibilities) and len(answer) >= 20
