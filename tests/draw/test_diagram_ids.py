"""Ids and labels with colons, quotes, backslashes, non-ASCII and HTML-special characters draw as written.

networkx's pydot export has broken on CURIE colons; Graphviz itself reads ``\\N``, ``\\G``, ``&amp;``
in strings. Each diagram here goes through real Graphviz and is read back with ``xml.etree``.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sle_graph import Edge, Evidence, KnowledgeGraph, Node
from sle_graph.ontology import schema
from tests.draw.test_diagram import R, svg_parts

TRICKY_LABELS = [
    'say "hi"', "back\\slash", "ends with a backslash\\", "\\N \\G \\L \\n escapes", "ünïcødé – 中文 ✓ αβγ",
    "<b>bold</b> & &amp; &lt; &#45;", "'single' quotes; semi;colon {braces} [brackets] |pipe|", "a:b -> c -- d",
]
CURIES = ["CL:0000134", "MONDO:0007915", "a.b~c", "x-y_z:1", "GO:0002376"]


def _doc() -> Node:
    return Node("doc", "SourceDocument", "A document", definition="A text.")


def test_curie_ids_and_tricky_labels_through_the_public_constructor() -> None:
    nodes = [Node(i, "StemCell" if k % 2 else "Mechanism", TRICKY_LABELS[k], definition="d")
             for k, i in enumerate(CURIES)] + [_doc()]
    edges = [Edge(CURIES[1], "acts_through", CURIES[0], (Evidence("doc", quote="q", start=0, end=1),)),
             Edge(CURIES[3], "acts_through", CURIES[4], (Evidence("doc", quote="q", start=0, end=1),))]
    kg = KnowledgeGraph(nodes, edges)
    for svg in (kg.render(format="svg"), kg._repr_html_()):
        parts = svg_parts(svg[svg.find("<svg"):].removesuffix("</div>"))
        assert set(parts["nodes"]) == set(CURIES)
        for node_id, shape in parts["nodes"].items():
            label = kg.node(node_id).label
            assert " ".join(shape.texts).split() == label.split()
            assert shape.tooltip.startswith(label.replace("\\", "\u29f5"))  # look-alike backslash
            assert node_id in shape.tooltip
        assert set(parts["edges"]) == {f"{e.subject}|{e.predicate}|{e.object}" for e in edges}


# Any text a foreign graph (RDF, Hetionet, a user's table) may bring as an id or label, except the
# characters XML 1.0 cannot hold (the renderer draws those as spaces).
_text = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"),
                min_size=1, max_size=24)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ids=st.lists(_text, min_size=2, max_size=3, unique=True), labels=st.lists(_text, min_size=3, max_size=3))
def test_any_id_and_label_round_trips_through_graphviz(ids: list[str], labels: list[str]) -> None:
    nodes = {i: Node(i, "Mechanism", labels[k]) for k, i in enumerate(ids)}
    edges = {(ids[0], "leads_to", ids[1]): Edge(ids[0], "leads_to", ids[1], (Evidence("doc", reference="r"),))}
    kg = KnowledgeGraph.from_checked(nodes, edges, schema())  # loaders build foreign graphs this way
    parts = svg_parts(R.render(kg, format="svg"))
    assert set(parts["nodes"]) == set(ids)
    for node_id, shape in parts["nodes"].items():
        assert " ".join(shape.texts).split() == nodes[node_id].label.split()
    assert set(parts["edges"]) == {f"{ids[0]}|leads_to|{ids[1]}"}
