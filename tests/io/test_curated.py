"""The curated graph: every quote is in its source, every identifier is vetted, the schema holds."""

from __future__ import annotations

import re

import pytest

from sle_graph.build.validation import check_quote

ARTICLE_KINDS = ["Cell", "Therapy", "ProcedureStep", "Mechanism", "Outcome", "Challenge", "Disease",
                 "Manifestation", "SourceDocument", "ResearchDirection"]
CLOSE_MARKER = re.compile(r"\((?:close term|closest term|closest|parent[^)]*|subtype|root)\)", re.I)


def _concept_names(row: dict[str, str]) -> set[str]:
    concept = CLOSE_MARKER.sub("", row["concept"])
    names = set(re.findall(r"\(([^)]*)\)", concept))
    concept = re.sub(r"\([^)]*\)", "", concept)
    names |= {p for p in re.split(r"\s*/\s*|\s*:\s*", concept)}
    names.add(row["official_label"])
    return {n.strip().lower() for n in names if n.strip()}


def _quote_records(kg):
    return [(e, ev) for e in kg.edges() for ev in e.evidence if ev.kind == "quote"]


def test_every_quote_is_the_source_text_at_its_offsets(kg, sources):
    records = _quote_records(kg)
    assert records
    wrong = [f"{e}: {check_quote(ev, sources[ev.source])}" for e, ev in records
             if ev.source not in sources or check_quote(ev, sources[ev.source])]
    assert wrong == []


def test_quotes_are_a_sentence_or_less(kg):
    long = [ev.quote for _, ev in _quote_records(kg)
            if re.search(r"[.!?]\s+[A-Z]", ev.quote.rstrip(".!?")) or len(ev.quote) > 400]
    assert long == []


def test_no_quote_from_page_boilerplate(kg, sources):
    for _, ev in _quote_records(kg):
        text = sources[ev.source]
        end_of_article = text.find("Share with your friends!")
        if end_of_article >= 0:
            assert ev.end <= end_of_article, ev.quote


def test_every_mapping_is_in_the_reference_table_with_the_same_concept(kg, ontology_ids):
    by_curie: dict[str, list[dict[str, str]]] = {}
    for row in ontology_ids:
        by_curie.setdefault(row["curie"], []).append(row)
    problems = []
    for node in kg.nodes():
        names = {node.label.lower(), *(s.lower() for s in node.synonyms)}
        for curie in node.mappings:
            rows = by_curie.get(curie)
            if not rows:
                problems.append(f"{node.id}: {curie} is not in ontology_ids.tsv")
                continue
            if not any(names & _concept_names(r) for r in rows):
                problems.append(f"{node.id}: {curie} is {rows[0]['concept']!r}, not {sorted(names)}")
            if curie in node.exact_mappings and all(CLOSE_MARKER.search(r["concept"]) for r in rows):
                problems.append(f"{node.id}: {curie} is a close term but mapped as exact")
    assert problems == []


def test_no_obsolete_identifier(kg):
    obsolete = {"MONDO:0005205", "MONDO:0000880", "CL:0000493", "MONDO:0005403"}
    assert not obsolete & {c for n in kg.nodes() for c in n.mappings}


def test_every_edge_satisfies_domain_and_range(kg):
    s = kg.schema
    bad = [str(e) for e in kg.edges()
           if not s.allows(e.predicate, kg.node(e.subject).kind, kg.node(e.object).kind)]
    assert bad == []


def test_every_node_has_label_and_definition(kg):
    assert [n.id for n in kg.nodes() if not n.label.strip() or not n.definition.strip()] == []


def test_every_edge_has_evidence(kg):
    assert [str(e) for e in kg.edges() if not e.evidence] == []


@pytest.mark.parametrize("kind", ARTICLE_KINDS)
def test_each_kind_has_a_node(kg, kind):
    assert kg.nodes(kind=kind), f"no {kind} node"


def test_every_non_document_node_is_on_an_edge(kg):
    on_edges = {e.subject for e in kg.edges()} | {e.object for e in kg.edges()}
    lonely = [n.id for n in kg.nodes() if n.id not in on_edges and n.kind not in ("SourceDocument", "Study")]
    assert lonely == []


def test_both_sources_cited_and_present_with_titles(kg, sources):
    cited = {ev.source for _, ev in _quote_records(kg)}
    assert cited == set(sources)
    for doc_id, text in sources.items():
        node = kg.node(doc_id)
        assert node.kind == "SourceDocument"
        title_lines = [line.strip() for line in text.splitlines() if line.strip()][:3]
        assert node.label in title_lines


def test_statements_made_by_both_articles_carry_both_quotes(kg, sources):
    both = [e for e in kg.edges() if {ev.source for ev in e.evidence} >= set(sources)]
    assert len(both) >= 5
