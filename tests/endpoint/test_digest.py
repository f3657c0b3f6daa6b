"""The digest a push compares before uploading: equal graphs, equal digests; any change, another.

No server: :func:`records_digest` is a function of the graph alone. The oracle is the graph's own
equality (``==``, field by field), and for equal graphs the exported N-Triples too.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys

from hypothesis import HealthCheck, given, settings, strategies as st

import sle_graph
from sle_graph import Edge, Evidence, KnowledgeGraph, Node
from sle_graph.endpoint._push import content_digest, records_digest

KINDS = ["Therapy", "StemCell", "ImmuneCell", "Mechanism", "Outcome"]
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)
_attributes = st.dictionaries(st.text("abcxyz_", min_size=1, max_size=4), _text, max_size=3)


@st.composite
def graphs(draw) -> KnowledgeGraph:
    schema = sle_graph.load().schema
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=2, max_size=6))
    nodes = [Node(f"n{i}", k, draw(_text.filter(str.strip)) + f" {i}", synonyms=tuple(draw(st.lists(_text, max_size=2))),
                  definition="d" + draw(_text), attributes=draw(_attributes)) for i, k in enumerate(kinds)]
    nodes += [Node(f"doc{i}", "SourceDocument", f"document {i}", definition="A text.") for i in (1, 2)]
    candidates = [(f"n{i}", p, f"n{j}") for i, a in enumerate(kinds) for j, b in enumerate(kinds) if i != j
                  for p in sorted(schema.predicates) if schema.allows(p, a, b)]
    chosen = draw(st.lists(st.sampled_from(candidates), unique=True, max_size=6)) if candidates else []
    evidence = st.builds(lambda d, q, a, m: Evidence(f"doc{d}", quote=q, start=0, end=len(q), attributes=a, modality=m),
                         st.integers(1, 2), _text, _attributes, st.sampled_from([None, "asserted", "possible"]))

    def unique(ev: Evidence, mark: str) -> Evidence:  # one quote, one modality: each quote its own
        return dataclasses.replace(ev, quote=ev.quote + mark, end=ev.end + len(mark))

    edges = [Edge(s, p, o, tuple(unique(ev, f" {i}.{j}") for j, ev in enumerate(draw(st.lists(evidence, min_size=1,
                                                                                               max_size=2)))))
             for i, (s, p, o) in enumerate(chosen)]
    return KnowledgeGraph(nodes, edges)


def rebuilt(kg: KnowledgeGraph) -> KnowledgeGraph:
    """The same graph built again: records in reverse order, each mapping filled in reverse order."""
    def flip(m):
        return dict(reversed(list(m.items())))

    nodes = [dataclasses.replace(n, attributes=flip(n.attributes)) for n in reversed(kg.nodes())]
    edges = [dataclasses.replace(e, evidence=tuple(dataclasses.replace(ev, attributes=flip(ev.attributes))
                                                   for ev in e.evidence)) for e in reversed(kg.edges())]
    return KnowledgeGraph(nodes, edges)


def changed(kg: KnowledgeGraph, data: st.DataObject) -> KnowledgeGraph:
    """``kg`` with one field of one record changed (or one edge left out)."""
    nodes, edges = kg.nodes(), kg.edges()
    what = data.draw(st.sampled_from(["label", "synonyms", "node attribute", "definition"]
                                     + (["quote", "modality", "evidence attribute", "no edge"] if edges else [])))
    if what in ("label", "synonyms", "node attribute", "definition"):
        i = data.draw(st.integers(0, len(nodes) - 1))
        n = nodes[i]
        nodes[i] = {"label": lambda: dataclasses.replace(n, label=n.label + "'"),
                    "synonyms": lambda: dataclasses.replace(n, synonyms=n.synonyms + ("other",)),
                    "node attribute": lambda: dataclasses.replace(n, attributes={**n.attributes, "new": "1"}),
                    "definition": lambda: dataclasses.replace(n, definition=n.definition + "."),
                    }[what]()
        return KnowledgeGraph(nodes, edges)
    i = data.draw(st.integers(0, len(edges) - 1))
    if what == "no edge":
        return KnowledgeGraph(nodes, edges[:i] + edges[i + 1:])
    e = edges[i]
    ev = e.evidence[0]
    ev = {"quote": lambda: dataclasses.replace(ev, quote=ev.quote + "s", end=ev.end + 1),
          "modality": lambda: dataclasses.replace(ev, modality="partial" if ev.modality else "asserted"),
          "evidence attribute": lambda: dataclasses.replace(ev, attributes={**ev.attributes, "zz": "2"})}[what]()
    edges[i] = dataclasses.replace(e, evidence=(ev,) + e.evidence[1:])
    return KnowledgeGraph(nodes, edges)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.data())
def test_equal_graphs_have_equal_digests_and_a_change_another(kg, data):
    again = rebuilt(kg)
    assert again == kg and records_digest(again) == records_digest(kg)
    assert again.serialize(format="nt") == kg.serialize(format="nt")  # what the server receives
    other = changed(kg, data)
    assert other != kg and records_digest(other) != records_digest(kg)


def test_the_digest_is_the_same_in_another_process(kg):
    """Nothing in it depends on a process's hash seed (set order, dict order)."""
    code = ("import sle_graph; from sle_graph.endpoint._push import records_digest; "
            "print(records_digest(sle_graph.load()))")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": "123", "PYTHONPATH": ":".join(sys.path)}).stdout.strip()
    assert other == records_digest(kg)


def test_the_digest_is_computed_once_per_graph(kg):
    calls = []
    fresh = KnowledgeGraph(kg.nodes(), kg.edges())  # (load() may hand out one object again)
    fresh.cache("endpoint.records_digest", lambda g: calls.append(g) or records_digest(g))
    content_digest(fresh, [])
    content_digest(fresh, [])
    assert len(calls) == 1
    assert content_digest(fresh, []) != content_digest(fresh, ["<urn:a> <urn:b> <urn:c> ."])  # the ontology counts
