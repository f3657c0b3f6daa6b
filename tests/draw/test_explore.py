"""The explorer page (sle_graph.draw.explore): what it holds, that it is deterministic and escaped,
and, in Debian's headless chromium, that it loads without errors, searches, filters and shows each
edge's evidence. The expected values come from the graph, never typed in."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import sle_graph
from sle_graph import Edge, Evidence, KnowledgeGraph, Node
from sle_graph.draw import explore as ex
from sle_graph.errors import InvalidArgument, RenderError
from sle_graph.io.formats import by_name, for_path

pytestmark = pytest.mark.skipif(shutil.which("neato") is None, reason="needs Graphviz (neato) for the layout")

EVIL = '</script><img src=x onerror="window.__pwned=1">'


def page_json(page: str) -> dict:
    """The data the page carries, read back as the browser would."""
    found = re.search(r'<script type="application/json" id="sle-data">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return sle_graph.load()


@pytest.fixture(scope="module")
def evil_graph() -> KnowledgeGraph:
    nodes = [Node("a", "StemCell", EVIL, synonyms=("<b>x</b>",), definition=EVIL),
             Node("b", "Outcome", "b & c", definition="d"),
             Node("s1", "Study", "trial " + EVIL, definition="d", attributes={"design": EVIL, "pmid": '1"><script>'})]
    ev = (Evidence("s1", stance="contradicts", finding=EVIL, measure="m"),)
    return KnowledgeGraph(nodes, [Edge("a", "has_outcome", "b", ev)])


def shown_nodes(kg: KnowledgeGraph) -> list[Node]:
    hidden = {k for base in ("Study", "SourceDocument") for k in kg.schema.descendants(base)}
    return [n for n in kg if n.kind not in hidden]


def test_page_holds_every_shown_node_and_edge(kg: KnowledgeGraph) -> None:
    page = kg.explore()
    data = page_json(page.html)
    expected = shown_nodes(kg)
    ids = {n.id for n in expected}
    assert page.nodes == len(expected) == len(data["nodes"])
    assert {d["id"] for d in data["nodes"]} == ids
    edges = [e for e in kg.edges() if e.subject in ids and e.object in ids]
    assert page.edges == len(edges) == len(data["edges"])
    by_key = {(data["nodes"][d["s"]]["id"], d["p"], data["nodes"][d["o"]]["id"]): d for d in data["edges"]}
    for e in edges:
        d = by_key[e.key]
        assert d["status"] == e.status and d["grade"] == e.grade and len(d["evidence"]) == len(e.evidence)
    assert len({(d["x"], d["y"]) for d in data["nodes"]}) == len(expected)  # laid out: no two at one place


def test_sources_on_request_and_highlight(kg: KnowledgeGraph) -> None:
    assert kg.explore(include_sources=True).nodes == len(kg)
    found = kg.paths("msc", "reduced disease activity", limit=2)
    data = page_json(kg.explore(highlight=found).html)
    marked = {d["id"] for d in data["nodes"] if d["hl"]}
    assert marked == {n.id for p in found for n in p.nodes}
    assert sum(d["hl"] for d in data["edges"]) == len({e.key for p in found for e in p.edges})
    near = kg.neighbors("msc", hops=1)
    assert {d["id"] for d in page_json(kg.explore(highlight=near).html)["nodes"] if d["hl"]} == set(near.node_map)
    with pytest.raises(InvalidArgument):
        kg.explore(highlight=42)


def test_same_graph_same_bytes(kg: KnowledgeGraph, tmp_path) -> None:
    a, b = kg.to_html(tmp_path / "a.html"), kg.to_html(tmp_path / "b.html")
    assert a.read_bytes() == b.read_bytes()
    reordered = KnowledgeGraph(list(reversed(list(kg))), list(reversed(kg.edges())))
    assert reordered.explore().html == kg.explore().html


def test_page_is_self_contained(kg: KnowledgeGraph) -> None:
    html = kg.explore().html
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)\s*=', html, re.I)  # nothing fetched
    assert "vis.Network" in html and "sle-data" in html


def test_labels_and_quotes_are_escaped(evil_graph: KnowledgeGraph) -> None:
    page = evil_graph.explore(include_sources=True).html
    assert "<img" not in page and '"><script>' not in page
    data = page_json(page)  # the text comes back whole, as text
    labels = {d["id"]: d["label"] for d in data["nodes"]}
    assert labels["a"] == EVIL and data["edges"][0]["evidence"][0]["finding"] == EVIL
    frame = evil_graph.explore()._repr_html_()
    assert frame.startswith("<iframe") and "<img" not in frame and "</script>" not in frame


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=40).filter(str.strip))  # a blank label is refused when the graph is built
def test_any_label_round_trips_through_the_page(label: str) -> None:
    graph = KnowledgeGraph([Node("x", "StemCell", label, definition="d"), Node("y", "Outcome", "y", definition="d"),
                            Node("doc", "SourceDocument", "doc", definition="d")],
                           [Edge("x", "has_outcome", "y", (Evidence("doc", quote=label, start=0, end=len(label)),))])
    page = graph.explore().html
    assert page.lower().count("</script") == 3  # the page's own three scripts (data, library, glue), none from the data
    data = page_json(page)
    assert data["nodes"][0]["label"] == label and data["edges"][0]["evidence"][0]["quote"] == label


def test_links_to_resolvers_and_study_records(kg: KnowledgeGraph) -> None:
    data = page_json(kg.explore().html)
    msc = next(d for d in data["nodes"] if d["id"] == "msc")
    assert [m[0] for m in msc["mappings"]] == list(kg.node("msc").mappings)
    assert all(m[1].startswith(("http://purl.obolibrary.org/obo/", "https://identifiers.org/")) for m in msc["mappings"])
    studies = [r for d in data["edges"] for r in d["evidence"] if r["kind"] == "study"]
    with_ids = [r for r in studies if kg.node(r["source"]).attributes.get("pmid")]
    assert with_ids
    for r in with_ids:
        pmid = kg.node(r["source"]).attributes["pmid"].strip()
        assert ["PubMed", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"] in r["links"]
        assert r["design"] == kg.node(r["source"]).attributes.get("design", "")


def test_html_is_a_format(kg: KnowledgeGraph, tmp_path) -> None:
    assert for_path("graph.html").name == by_name("html").name == "html"
    sub = kg.neighbors("msc", hops=1)
    sle_graph.render(sub, tmp_path / "n.html")
    assert (tmp_path / "n.html").read_text(encoding="utf-8") == sub.explore().html
    with pytest.raises(InvalidArgument):
        sle_graph.render(kg.paths("msc", "reduced disease activity", limit=1), tmp_path / "p.html")


def test_refuses_above_the_limit(monkeypatch, kg: KnowledgeGraph) -> None:
    monkeypatch.setattr(ex, "MAX_NODES", 10)
    with pytest.raises(RenderError, match="too many"):
        kg.explore()


# -- in a real browser ---------------------------------------------------------------------------

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None or DRIVER is None:
        pytest.skip("needs Debian's chromium and chromium-driver (make chromium installs them)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (the dev extra)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium')}", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def open_page(browser, path) -> None:
    import time

    browser.get(path.as_uri())
    for _ in range(200):
        if browser.execute_script("return document.body.getAttribute('data-ready')") == "true":
            return
        time.sleep(0.05)
    raise AssertionError("the page never finished drawing")


@pytest.fixture(scope="module")
def page(browser, kg, tmp_path_factory):
    path = kg.to_html(tmp_path_factory.mktemp("explore") / "graph.html")
    open_page(browser, path)
    return browser


def errors(browser) -> list[dict]:
    return [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def test_browser_loads_without_errors_and_shows_every_node(page, kg) -> None:
    assert errors(page) == []
    n = len(shown_nodes(kg))
    assert page.execute_script("return sleExplorer.nodes.length") == n
    assert page.execute_script("return sleExplorer.nodes.get({filter: function (x) { return !x.hidden; }}).length") == n
    assert f"showing {n} of {n} nodes" in page.find_element("id", "sle-count").text


def test_browser_search_finds_a_node(page, kg) -> None:
    msc = kg.node("mesenchymal stem cell")
    box = page.find_element("id", "sle-search")
    box.clear()
    box.send_keys("mesenchymal stem cell")
    first = page.find_element("css selector", "#sle-results li button")
    assert first.text.startswith(msc.label)
    first.click()
    panel = page.find_element("id", "sle-panel").text
    assert msc.label in panel and msc.definition in panel and msc.mappings[0] in panel
    box.clear()
    box.send_keys(msc.mappings[0])  # a CURIE finds it too
    assert page.find_element("css selector", "#sle-results li button").text.startswith(msc.label)


def test_browser_click_on_a_contested_edge_shows_the_trial(page, kg) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    def is_rct(source: str) -> bool:
        return "randomised" in kg.node(source).attributes.get("design", "")

    edge = next(e for e in kg.edges() if e.status == "contested"
                and any(ev.kind == "study" and is_rct(ev.source) for ev in e.evidence))
    finding = next(ev for ev in edge.evidence if ev.kind == "study" and is_rct(ev.source))
    index = page.execute_script(
        "var d = sleExplorer.data, k = arguments; return d.edges.findIndex(function (e) {"
        " return d.nodes[e.s].id === k[0] && e.p === k[1] && d.nodes[e.o].id === k[2]; });",
        *edge.key)
    assert index >= 0
    # Bring the edge into view, then click its middle with the mouse, as a user would.
    x, y = page.execute_script(
        "var x = sleExplorer, e = x.data.edges[arguments[0]];"
        "x.network.fit({nodes: [e.s, e.o], animation: false});"
        "var a = x.network.getPositions([e.s, e.o]), p = x.network.canvasToDOM({x: (a[e.s].x + a[e.o].x) / 2,"
        " y: (a[e.s].y + a[e.o].y) / 2}); return [p.x, p.y];", index)
    canvas = page.find_element("css selector", "#sle-graph canvas")
    size = canvas.size
    ActionChains(page).move_to_element_with_offset(canvas, int(x - size["width"] / 2),
                                                   int(y - size["height"] / 2)).click().perform()
    panel = page.find_element("id", "sle-panel").text
    assert "contested" in panel and kg.node(edge.subject).label in panel
    assert finding.finding in panel and kg.node(finding.source).label in panel
    assert kg.node(finding.source).attributes["design"] in panel
    assert errors(page) == []


def test_browser_status_filter_hides_its_edges(page, kg) -> None:
    ids = {n.id for n in shown_nodes(kg)}
    edges = [e for e in kg.edges() if e.subject in ids and e.object in ids]
    contested = sum(e.status == "contested" for e in edges)
    assert contested > 0
    visible = "return sleExplorer.edges.get({filter: function (x) { return !x.hidden; }}).length"
    assert page.execute_script(visible) == len(edges)
    box = page.find_element("css selector", '#sle-status input[data-status="contested"]')
    box.click()
    try:
        assert page.execute_script(visible) == len(edges) - contested
        assert page.execute_script(
            "return sleExplorer.edges.get({filter: function (x) { return !x.hidden && x.dashes; }}).length") == 0
        assert f"{len(edges) - contested} of {len(edges)} edges" in page.find_element("id", "sle-count").text
    finally:
        box.click()
    assert page.execute_script(visible) == len(edges)


def test_browser_injection_does_not_run(browser, evil_graph, tmp_path) -> None:
    path = evil_graph.to_html(tmp_path / "evil.html", include_sources=True)
    open_page(browser, path)
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.execute_script("return document.images.length") == 0
    browser.execute_script("sleExplorer.showEdge(0)")
    assert EVIL in browser.find_element("id", "sle-panel").text  # shown as text
    assert errors(browser) == []


def test_browser_notebook_frame(browser, kg, tmp_path) -> None:
    # A notebook (live, or exported to HTML) puts the text/html output into its page as it is.
    near = kg.neighbors("msc", hops=1)
    shown = near.explore()
    path = tmp_path / "notebook.html"
    path.write_text(f"<!DOCTYPE html><html><body><div class='output'>{shown._repr_html_()}</div></body></html>",
                    encoding="utf-8")
    browser.get(path.as_uri())
    frame = browser.find_element("css selector", "iframe.sle-graph-explorer")
    browser.switch_to.frame(frame)
    try:
        import time

        for _ in range(200):
            if browser.execute_script("return document.body && document.body.getAttribute('data-ready')") == "true":
                break
            time.sleep(0.05)
        expected = len(shown_nodes(near))
        assert browser.execute_script("return sleExplorer.nodes.length") == expected == shown.nodes
    finally:
        browser.switch_to.default_content()
    assert errors(browser) == []
