"""Diagrams: SVG/PNG/PDF/DOT from real Graphviz, read back and checked against the graph.

Every SVG is parsed with ``xml.etree`` and mapped back to graph ids through the ``id`` attributes
the renderer writes (``node:<id>``, ``edge:<s>|<p>|<o>``, ``legend:<kind>``); expectations are
computed from the graph and from ``style.tsv`` read here with ``csv``, not from the renderer.
"""

from __future__ import annotations

import csv
import importlib
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sle_graph._resources import data_file

import sle_graph
from sle_graph import Edge, Evidence, KnowledgeGraph, Node, SleGraphError

R = importlib.import_module("sle_graph.draw.diagram")  # the module (sle_graph.render may be the function)
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
HIDDEN = ("SourceDocument", "Study")
STYLE_TSV = data_file("style.tsv")


# -- reading an SVG back ----------------------------------------------------------------------

@dataclass
class Shape:
    id: str
    classes: list[str]
    texts: list[str]
    x: float | None
    dashed: bool
    stroke_width: float
    fills: list[str] = field(default_factory=list)
    tooltip: str | None = None


def _shape(g: ET.Element) -> Shape:
    texts = [t.text or "" for t in g.iter(SVG + "text")]
    xs = [float(t.get("x")) for t in g.iter(SVG + "text")]
    drawn = [e for e in g.iter() if e.tag in (SVG + "path", SVG + "polygon", SVG + "ellipse", SVG + "polyline")]
    dashed = any(e.get("stroke-dasharray") for e in drawn)
    width = max((float(e.get("stroke-width", "1")) for e in drawn), default=0.0)
    anchor = next((a for a in g.iter(SVG + "a")), None)
    return Shape(g.get("id", ""), (g.get("class") or "").split(), texts, xs[0] if xs else None, dashed, width,
                 [e.get("fill") for e in drawn if e.get("fill") not in (None, "none")],
                 anchor.get(XLINK + "title") if anchor is not None else None)


def svg_parts(svg: str) -> dict[str, dict[str, Shape]]:
    """Nodes, edges and legend entries of a diagram, by the ids they map back to."""
    root = ET.fromstring(svg.encode("utf-8"))
    out: dict[str, dict[str, Shape]] = {"nodes": {}, "edges": {}, "legend": {}, "other": {}}
    for g in root.iter(SVG + "g"):
        classes = (g.get("class") or "").split()
        if "node" not in classes and "edge" not in classes:
            continue
        s = _shape(g)
        for prefix, bucket in (("node:", "nodes"), ("edge:", "edges"), ("legend:", "legend")):
            if s.id.startswith(prefix):
                key = s.id[len(prefix):]
                assert key not in out[bucket], f"duplicate {s.id}"
                out[bucket][key] = s
                break
        else:
            title = g.find(SVG + "title")
            out["other"][(title.text or "") if title is not None else s.id] = s
    return out


def drawn_nodes(kg: KnowledgeGraph) -> set[str]:
    return {n.id for n in kg.nodes() if not any(kg.schema.is_a(n.kind, k) for k in HIDDEN)}


def edge_key(e: Edge) -> str:
    return f"{e.subject}|{e.predicate}|{e.object}"


def style_rows() -> dict[str, dict[str, str]]:
    with open(STYLE_TSV, encoding="utf-8", newline="") as fh:
        return {r["kind"]: r for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)}


def style_row(kg: KnowledgeGraph, kind: str) -> dict[str, str]:
    rows = style_rows()
    return next(rows[k] for k in kg.schema.ancestors(kind) if k in rows)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, chunk = struct.unpack(">I4s", data[8:16])
    assert chunk == b"IHDR" and length == 13
    return struct.unpack(">II", data[16:24])


# -- graphs to draw -------------------------------------------------------------------------------

DOC = Node("doc", "SourceDocument", "A document", definition="A text.")


def ev(i: int = 0) -> tuple[Evidence, ...]:
    return (Evidence("doc", quote="text", start=i, end=i + 4),)


def synthetic(n: int) -> KnowledgeGraph:
    """About ``n`` nodes: cells acting through mechanisms leading to outcomes (validated)."""
    k = n // 3
    nodes = [DOC] + [Node(f"cell{i}", "StemCell", f"cell {i}", definition="d") for i in range(k)]
    nodes += [Node(f"mech{i}", "Mechanism", f"mechanism {i}", definition="d") for i in range(k)]
    nodes += [Node(f"out{i}", "Outcome", f"outcome {i}", definition="d") for i in range(n - 2 * k - 1)]
    edges = [Edge(f"cell{i}", "acts_through", f"mech{(i * 7) % k}", ev(i)) for i in range(k)]
    edges += [Edge(f"mech{i}", "leads_to", f"out{(i * 5) % (n - 2 * k - 1)}", ev(i)) for i in range(k)]
    return KnowledgeGraph(nodes, edges)


@pytest.fixture(scope="module")
def curated_svg(kg: KnowledgeGraph) -> str:
    return kg.render(format="svg")


# -- the curated graph ----------------------------------------------------------------------------

def test_svg_has_one_shape_per_node_and_edge(kg: KnowledgeGraph, curated_svg: str) -> None:
    parts = svg_parts(curated_svg)
    expected = drawn_nodes(kg)
    assert set(parts["nodes"]) == expected
    drawn_edges = {edge_key(e) for e in kg.edges() if e.subject in expected and e.object in expected}
    assert set(parts["edges"]) == drawn_edges
    assert len(parts["edges"]) == len(drawn_edges)
    # Nothing else is drawn: the remaining groups are the invisible column spine, with no shapes.
    assert all(s.texts == [] and s.fills == [] and not s.dashed for s in parts["other"].values())


def test_svg_text_is_labels_and_predicate_labels(kg: KnowledgeGraph, curated_svg: str) -> None:
    parts = svg_parts(curated_svg)
    for node_id, shape in parts["nodes"].items():
        assert " ".join(shape.texts).split() == kg.node(node_id).label.split()
        assert shape.classes == ["node", f"kind-{kg.node(node_id).kind}"]
        assert kg.node(node_id).kind in (shape.tooltip or "")
    # Every edge shows its predicate, or is bundled with edges of that predicate leaving the same
    # node (else entering it), and exactly one edge of each bundle shows it.
    labelled: dict[tuple[str, str, str], int] = {}
    leaving = Counter((k.split("|")[0], k.split("|")[1]) for k in parts["edges"])
    for key, shape in parts["edges"].items():
        subject, predicate, obj = key.split("|")
        assert shape.texts in ([], [kg.schema.predicates[predicate].label])
        bundle = ("tail", subject, predicate) if leaving[subject, predicate] > 1 else ("head", obj, predicate)
        labelled[bundle] = labelled.get(bundle, 0) + len(shape.texts)
    assert all(n == 1 for n in labelled.values()), {b: n for b, n in labelled.items() if n != 1}
    assert len(labelled) < len(parts["edges"])  # bundles: fewer labels than edges


def test_legend_lists_each_kind_present_once(kg: KnowledgeGraph, curated_svg: str) -> None:
    parts = svg_parts(curated_svg)
    rows = {style_row(kg, kg.node(i).kind)["kind"]: style_row(kg, kg.node(i).kind) for i in drawn_nodes(kg)}
    contested = any(e.status == "contested" for e in kg.edges())
    assert set(parts["legend"]) == set(rows) | ({"contested"} if contested else set())
    for kind, row in rows.items():
        assert parts["legend"][kind].texts == [row["legend"]]
        assert parts["legend"][kind].fills == [row["fill"].lower()]


def test_nodes_take_the_colour_of_their_kind(kg: KnowledgeGraph, curated_svg: str) -> None:
    for node_id, shape in svg_parts(curated_svg)["nodes"].items():
        assert shape.fills[0] == style_row(kg, kg.node(node_id).kind)["fill"].lower()


def test_contested_edges_and_only_they_are_dashed(kg: KnowledgeGraph, curated_svg: str) -> None:
    status = {edge_key(e): e.status for e in kg.edges()}
    for key, shape in svg_parts(curated_svg)["edges"].items():
        assert shape.dashed == (status[key] == "contested"), key


def test_layout_reads_therapy_cell_mechanism_outcome(kg: KnowledgeGraph, curated_svg: str) -> None:
    parts = svg_parts(curated_svg)
    xs: dict[str, list[float]] = {}
    for node_id, shape in parts["nodes"].items():
        kind = kg.node(node_id).kind
        top = next(k for k in ("Therapy", "Cell", "Mechanism", "Outcome", "Disease") if kg.schema.is_a(kind, k)) \
            if any(kg.schema.is_a(kind, k) for k in ("Therapy", "Cell", "Mechanism", "Outcome", "Disease")) else None
        if top is not None and shape.x is not None:
            xs.setdefault(top, []).append(shape.x)
    assert max(xs["Therapy"]) < min(x for k in ("Cell", "Mechanism", "Outcome", "Disease") for x in xs[k])
    assert max(xs["Mechanism"]) < min(xs["Outcome"])
    assert max(xs["Outcome"]) < min(xs["Disease"])
    # Cells a therapy uses stand left of every mechanism (cells a mechanism produces may not).
    used = {e.object for e in kg.edges(predicate="uses")}
    assert max(parts["nodes"][i].x for i in used) < min(xs["Mechanism"])


def test_sources_and_studies_only_on_request(kg: KnowledgeGraph) -> None:
    parts = svg_parts(kg.render(format="svg", include_sources=True))
    assert set(parts["nodes"]) == {n.id for n in kg.nodes()}
    assert set(parts["edges"]) == {edge_key(e) for e in kg.edges()}


def test_png_has_sane_dimensions(kg: KnowledgeGraph, tmp_path: Path) -> None:
    data = kg.render(format="png")
    assert isinstance(data, bytes)
    width, height = png_size(data)
    assert 500 < width < 10_000 and 500 < height < 10_000
    kg.render(tmp_path / "g.png")
    assert (tmp_path / "g.png").read_bytes() == data  # same bytes from the file as returned


def test_pdf_and_dot_outputs(kg: KnowledgeGraph, tmp_path: Path) -> None:
    pdf = kg.render(format="pdf")
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")
    for suffix in (".dot", ".gv"):
        assert kg.render(tmp_path / f"g{suffix}") is None
        text = (tmp_path / f"g{suffix}").read_text(encoding="utf-8")
        assert text.startswith("digraph") and text == kg.render(format="dot")
    # The DOT text is what Graphviz draws: its SVG equals the rendered one.
    again = subprocess.run(["dot", "-Tsvg"], input=kg.render(format="dot").encode(), capture_output=True,
                           check=True, timeout=60).stdout.decode()
    assert again == kg.render(format="svg")


def test_to_dot_is_a_pydot_graph_with_every_node(kg: KnowledgeGraph) -> None:
    import pydot

    dot = kg.to_dot()
    assert isinstance(dot, pydot.Dot)
    ids = {(n.get("id") or "").strip('"') for n in dot.get_nodes()} | {
        (n.get("id") or "").strip('"') for sub in dot.get_subgraph_list() for n in sub.get_nodes()}
    assert {f"node:{i}" for i in drawn_nodes(kg)} <= ids


def test_output_is_deterministic(kg: KnowledgeGraph) -> None:
    assert kg.render(format="dot") == sle_graph.load().render(format="dot")


def test_format_errors(kg: KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="suffix '.txt'"):
        kg.render(tmp_path / "g.txt")
    with pytest.raises(ValueError, match="unknown format 'jpeg'"):
        kg.render(format="jpeg")
    with pytest.raises(ValueError, match="unknown layout engine"):
        kg.render(format="svg", engine="dott")
    with pytest.raises(TypeError, match="cannot draw a builtins.int"):
        R.render(42)
    assert not list(tmp_path.iterdir())


# -- neighbourhoods, paths and highlighting -------------------------------------------------------

def test_neighbourhood(kg: KnowledgeGraph) -> None:
    sub = kg.neighbors("msc", hops=1)
    parts = svg_parts(sle_graph.render(sub))
    assert set(parts["nodes"]) == drawn_nodes(sub)
    assert "msc" in parts["nodes"]


def test_paths_alone(kg: KnowledgeGraph) -> None:
    found = kg.paths("msc", "reduced disease activity", limit=5)
    assert found
    parts = svg_parts(sle_graph.render(found))
    assert set(parts["nodes"]) == {n.id for p in found for n in p.nodes}
    assert set(parts["edges"]) == {edge_key(e) for p in found for e in p.edges}
    one = svg_parts(sle_graph.render(found[0]))
    assert set(one["nodes"]) == {n.id for n in found[0].nodes}


def test_highlighted_paths_are_bold_over_a_faded_graph(kg: KnowledgeGraph) -> None:
    found = kg.paths("hsct", "reduced disease activity", limit=2)
    on_path = {n.id for p in found for n in p.nodes}
    path_edges = {edge_key(e) for p in found for e in p.edges}
    parts = svg_parts(kg.render(format="svg", highlight=found))
    assert set(parts["nodes"]) == drawn_nodes(kg)
    assert {i for i, s in parts["nodes"].items() if s.stroke_width > 2} == on_path
    assert {k for k, s in parts["edges"].items() if s.stroke_width > 2} == path_edges
    for node_id, shape in parts["nodes"].items():
        full = style_row(kg, kg.node(node_id).kind)["fill"].lower()
        assert (shape.fills[0] == full) == (node_id in on_path)


def test_highlight_draws_path_nodes_the_base_left_out(kg: KnowledgeGraph) -> None:
    found = kg.paths("msc", "reduced disease activity", limit=1)
    sub = kg.neighbors("immune_reset", hops=0)
    parts = svg_parts(R.render(sub, highlight=found))
    assert set(parts["nodes"]) == {"immune_reset"} | {n.id for n in found[0].nodes}


@dataclass
class FakePath:
    """A path from elsewhere (another library, a user's own): only ``.nodes`` and ``.edges``."""

    nodes: list[Node]
    edges: list[Edge]


def test_duck_typed_path_with_a_contested_edge() -> None:
    a, b = Node("x:1", "StemCell", "cell"), Node("y:2", "Mechanism", "mechanism")
    path = FakePath([a, b], [Edge("x:1", "acts_through", "y:2", ev(), status="contested")])
    parts = svg_parts(R.render(path))
    assert parts["edges"]["x:1|acts_through|y:2"].dashed
    assert "contested" in parts["legend"]
    plain = FakePath([a, b], [Edge("x:1", "acts_through", "y:2", ev(), status="supported")])
    parts = svg_parts(R.render([plain]))
    assert not parts["edges"]["x:1|acts_through|y:2"].dashed and "contested" not in parts["legend"]


# -- notebook display -----------------------------------------------------------------------------

def test_repr_of_small_graph_and_paths_is_svg(kg: KnowledgeGraph) -> None:
    html = kg.neighbors("msc", hops=1)._repr_html_()
    assert html.startswith("<div") and "<svg" in html and "<?xml" not in html
    ET.fromstring(html.encode("utf-8"))  # well-formed: embeddable as is
    found = kg.paths("msc", "reduced disease activity", limit=3)
    for obj in (found, found[0]):
        svg = obj._repr_svg_()
        assert svg.startswith("<svg")
        root = ET.fromstring(svg.encode("utf-8"))  # well-formed, and shrinks to the page, not cut
        assert "max-width:100%" in root.get("style", "") and len(root.get("viewBox", "").split()) == 4
        assert set(svg_parts(svg)["nodes"]) == {n.id for p in (found if obj is found else [obj]) for n in p.nodes}


def test_a_large_graph_without_graphviz_shows_its_counts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    big = synthetic(400)
    monkeypatch.setenv("PATH", str(tmp_path))  # Graphviz cannot run: the overview says so, and counts
    html = big._repr_html_()
    assert "<svg" not in html and "neighbors" in html and "apt-get install graphviz" in html
    root = ET.fromstring(html.encode("utf-8"))
    counts = {tr[0].text: int(tr[1].text) for tr in root.iter("tr") if len(tr) == 2 and tr[1].text.isdigit()}
    stats = big.stats()
    assert counts == {**stats["by_kind"], **stats["by_predicate"]}
    assert R.repr_svg(big) is None


def test_ipython_shows_diagrams_and_a_summary_for_large_graphs(kg: KnowledgeGraph) -> None:
    formatters = pytest.importorskip("IPython.core.formatters")
    fmt = formatters.DisplayFormatter()
    data, _ = fmt.format(kg.neighbors("msc", hops=1))  # what a notebook cell's last expression shows
    assert "<svg" in data["text/html"]
    found = kg.paths("msc", "reduced disease activity", limit=2)
    for obj in (found, found[0]):
        data, _ = fmt.format(obj)
        assert data["image/svg+xml"].startswith("<svg")
    data, _ = fmt.format(synthetic(400))  # its overview: a drawing of its kinds, none of its nodes
    assert data["text/html"].count("<svg") == 1 and "<table" in data["text/html"] and "image/svg+xml" not in data


def test_large_graph_switches_to_sfdp(tmp_path: Path) -> None:
    big = synthetic(400)
    dot = big.render(format="dot")
    assert "rankdir" not in dot and "label=\"acts through\"" not in dot  # sfdp: no layers, no edge labels
    svg = big.render(format="svg")
    parts = svg_parts(svg)
    assert set(parts["nodes"]) == drawn_nodes(big)
    assert len(parts["edges"]) == len(big.edges())
    # The legend is the graph's label (force-directed engines ignore clusters).
    texts = {t.text for t in ET.fromstring(svg.encode()).iter(SVG + "text")}
    assert {style_row(big, n.kind)["legend"] for n in big.nodes() if n.kind != "SourceDocument"} <= texts


def test_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(R, "MAX_NODES", 50)
    with pytest.raises(R.RenderError, match="too many to draw.*neighbors"):
        synthetic(60).render(format="svg")


def test_graphviz_timeout_is_an_error_not_a_hang(kg: KnowledgeGraph) -> None:
    with pytest.raises(R.RenderTimeout, match="longer than 0.001 s"):
        kg.render(format="svg", timeout=0.001)


# -- without Graphviz -----------------------------------------------------------------------------

def test_without_graphviz_dot_works_and_images_say_how_to_install(kg: KnowledgeGraph,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   tmp_path: Path) -> None:
    expected_dot = kg.render(format="dot")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert kg.render(format="dot") == expected_dot
    for fmt in ("svg", "png", "pdf"):
        with pytest.raises(R.GraphvizNotFound) as info:
            kg.render(format=fmt)
        assert isinstance(info.value, SleGraphError)
        for hint in ("apt-get install graphviz", "conda install graphviz", "brew install graphviz"):
            assert hint in str(info.value)
    html = kg.neighbors("msc", hops=1)._repr_html_()
    assert "<svg" not in html and "apt-get install graphviz" in html


# -- the package-level name -----------------------------------------------------------------------

@pytest.mark.parametrize("first", ["sle_graph.load().to_dot()", "None"])
def test_sle_graph_render_is_callable_in_any_import_order(first: str) -> None:
    code = ("import sle_graph\n"
            f"{first}\n"
            "kg = sle_graph.load()\n"
            "text = sle_graph.render(kg.neighbors('msc', hops=1), format='dot')\n"
            "assert text.startswith('digraph')\n"
            "kg.to_dot()\n"
            "assert sle_graph.render(kg.paths('msc', 'immunomodulation'), format='dot').startswith('digraph')\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


# -- a first picture that reads -------------------------------------------------------------------

def test_a_large_graph_opens_on_an_overview(kg: KnowledgeGraph) -> None:
    page = kg._repr_html_()
    root = ET.fromstring(page.encode("utf-8"))  # well-formed: embeddable as is
    drawn = drawn_nodes(kg)
    assert len(drawn) > R.OVERVIEW_LIMIT
    svgs = list(root.iter(SVG + "svg"))
    assert len(svgs) == 2 and all("max-width:100%" in (svg.get("style") or "") for svg in svgs)  # fit the page
    kinds_svg, full_svg = svgs
    # the kinds drawn, each with its count, and how they connect
    kinds = Counter(kg.node(i).kind for i in drawn)
    shown = {g.get("id")[5:]: " ".join(t.text or "" for t in g.iter(SVG + "text"))
             for g in kinds_svg.iter(SVG + "g") if (g.get("id") or "").startswith("kind:")}
    assert set(shown) == set(kinds)
    assert all(text.endswith(f"({kinds[k]})") for k, text in shown.items())
    # one arrow per two kinds that edges join, naming its predicates (most frequent first), with counts
    links = {g.get("id")[5:]: " ".join(t.text or "" for t in g.iter(SVG + "text"))
             for g in kinds_svg.iter(SVG + "g") if (g.get("id") or "").startswith("link:")}
    joined: dict[str, Counter] = {}
    for e in kg.edges():
        if e.subject in drawn and e.object in drawn:
            joined.setdefault(f"{kg.node(e.subject).kind}|{kg.node(e.object).kind}", Counter())[e.predicate] += 1
    assert links == {pair: link_text(kg, counts) for pair, counts in joined.items()}
    # the most connected nodes, most first
    degree = Counter(n for e in kg.edges() if e.subject in drawn and e.object in drawn for n in (e.subject, e.object))
    rows = [[td.text for td in tr] for tr in root.iter("tr") if tr.find("td") is not None]
    assert [int(r[2]) for r in rows] == sorted(degree.values(), reverse=True)[:R.OVERVIEW_TOP]
    assert rows[0][0] == kg.node(max(degree, key=lambda i: (degree[i], [-ord(c) for c in i]))).label
    # the full drawing, folded
    details = root.find(".//details")
    assert details is not None and details.get("open") is None and full_svg in list(details.iter(SVG + "svg"))
    assert {g.get("id")[5:] for g in full_svg.iter(SVG + "g") if (g.get("id") or "").startswith("node:")} == drawn


def link_text(kg: KnowledgeGraph, counts: Counter) -> str:
    """The text an overview's arrow shows for these predicate counts (its lines joined by spaces)."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    words = [f"{kg.schema.predicates[p].label} ({n:,})" for p, n in ranked[:R.OVERVIEW_PREDICATES]]
    rest = ranked[R.OVERVIEW_PREDICATES:]
    return " ".join(words + ([f"+ {len(rest)} more ({sum(n for _, n in rest):,})"] if rest else []))


def imported(groups: int, verbs: int) -> KnowledgeGraph:
    """Nodes imported from Hetionet (of the generic kind): ``groups`` Hetionet kinds of 40, 39, ...
    nodes, each node joined to one of the next kind by ``verbs`` relations, node ``j`` by verb
    ``j % verbs``, so the verbs of a pair of kinds have unequal counts."""
    from sle_graph.ontology import external_predicate, schema

    sizes = [40 - g for g in range(groups)]
    nodes = [DOC] + [Node(f"k{g}n{j}", "ExternalEntity", f"node {j} of kind {g}", definition="d",
                          attributes={"hetionet_kind": f"Kind{g}"}) for g in range(groups) for j in range(sizes[g])]
    verb_names = [f"hetionet:verb{v}" for v in range(verbs)]
    edges = [Edge(f"k{g}n{j}", verb_names[j % verbs], f"k{(g + 1) % groups}n{j % sizes[(g + 1) % groups]}", ev(j))
             for g in range(groups) for j in range(sizes[g])]
    return KnowledgeGraph(nodes, edges, schema=schema().extended(predicates=[external_predicate(v) for v in verb_names]))


def test_a_graph_of_hundreds_of_nodes_opens_on_its_kinds_and_hubs() -> None:
    """Above INLINE_LIMIT nodes: no node is drawn; imported nodes count as their source's kinds,
    the least numerous kinds share one box, and an arrow names its most frequent predicates."""
    big = imported(groups=20, verbs=6)
    page = big._repr_html_()
    root = ET.fromstring(page.encode("utf-8"))
    assert len(big) - 1 > R.INLINE_LIMIT and root.find(".//details") is None and "Too many nodes to draw" in page
    (svg,) = list(root.iter(SVG + "svg"))
    boxes = {g.get("id")[5:]: " ".join(t.text or "" for t in g.iter(SVG + "text"))
             for g in svg.iter(SVG + "g") if (g.get("id") or "").startswith("kind:")}
    assert not any((g.get("id") or "").startswith("node:") for g in svg.iter(SVG + "g"))
    kept = R.OVERVIEW_KINDS - 1  # the most numerous kinds: Kind0 (40 nodes), Kind1 (39), ...
    assert boxes == {**{f"ExternalEntity:Kind{g}": f"Kind{g} (imported) ({40 - g})" for g in range(kept)},
                     "*other": f"other kinds ({sum(40 - g for g in range(kept, 20))})"}
    group = {n.id: (f"ExternalEntity:{n.attributes['hetionet_kind']}"
                    if int(n.attributes["hetionet_kind"][4:]) < kept else "*other")
             for n in big.nodes() if n.kind == "ExternalEntity"}
    joined: dict[str, Counter] = {}
    for e in big.edges():
        joined.setdefault(f"{group[e.subject]}|{group[e.object]}", Counter())[e.predicate] += 1
    arrows = {g.get("id")[5:]: " ".join(t.text or "" for t in g.iter(SVG + "text"))
              for g in svg.iter(SVG + "g") if (g.get("id") or "").startswith("link:")}
    assert arrows == {pair: link_text(big, counts) for pair, counts in joined.items()}
    assert any("more (" in text for text in arrows.values())  # six verbs: two are counted, not named
    rows = [[td.text for td in tr] for tr in root.iter("tr") if tr.find("td") is not None]
    degree = Counter(n for e in big.edges() for n in (e.subject, e.object))
    assert [int(r[2]) for r in rows] == sorted(degree.values(), reverse=True)[:R.OVERVIEW_TOP]
    by_label = {n.label: n for n in big.nodes()}
    assert all(r[1] == f"{by_label[r[0]].attributes['hetionet_kind']} (imported)" for r in rows)  # its own kind


def test_a_small_graph_is_drawn_at_once_fitted_to_the_page(kg: KnowledgeGraph) -> None:
    small = kg.neighbors("msc", hops=1)
    root = ET.fromstring(small._repr_html_().encode("utf-8"))
    assert root.find(".//details") is None
    (svg,) = list(root.iter(SVG + "svg"))
    assert "max-width:100%" in svg.get("style", "") and len(svg.get("viewBox", "").split()) == 4


def test_parallel_edges_of_one_predicate_are_bundled_with_one_label() -> None:
    doc = Node("doc", "SourceDocument", "doc", definition="d")
    ev = (Evidence("doc", quote="q", start=0, end=1),)
    mechanisms = [Node(f"m{i}", "Mechanism", f"mechanism {i}", definition="d") for i in range(3)]
    cell = Node("c", "StemCell", "cell", definition="d")
    outcome = Node("o", "Outcome", "outcome", definition="d")
    edges = [Edge("c", "acts_through", m.id, ev) for m in mechanisms]
    edges += [Edge(m.id, "leads_to", "o", ev) for m in mechanisms]
    small = KnowledgeGraph([doc, cell, outcome, *mechanisms], edges)
    dot = small.to_dot()
    fan_out = [e for e in dot.get_edges() if e.get("class") == '"pred-acts_through"']
    fan_in = [e for e in dot.get_edges() if e.get("class") == '"pred-leads_to"']
    assert len(fan_out) == len(fan_in) == 3
    assert {e.get("sametail") for e in fan_out} == {'"acts_through"'} and all(e.get("samehead") is None for e in fan_out)
    assert {e.get("samehead") for e in fan_in} == {'"leads_to"'}
    assert [e.get("label") for e in fan_out].count('"acts through"') == 1
    assert [e.get("label") for e in fan_in].count('"leads to"') == 1
    svg = small.render(format="svg")  # Graphviz takes it
    assert set(svg_parts(svg)["edges"]) == {edge_key(e) for e in edges}
