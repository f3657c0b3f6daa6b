"""The example notebooks and scripts run cleanly, as a user runs them, and show what they promise.

Notebooks execute through a real Jupyter kernel (nbclient + ipykernel) started with this test's
own interpreter (``sys.executable``, so the package under test), from a kernel spec written to a
temporary folder: a ``python3`` kernel spec installed elsewhere on the machine (another Python,
another environment) is never picked up. Any cell error fails the test. Scripts run as
``python examples/<name>.py`` in a subprocess. Outputs are checked against the library computed
here and against rdflib and an XML parser, not against text copied from the notebooks.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest
import rdflib
from rdflib.compare import isomorphic

import sle_graph

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))
SCRIPTS = ("export_turtle.py", "render_diagrams.py", "ask_paths.py")
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def graphviz() -> None:
    if shutil.which("dot") is None:
        pytest.fail("Graphviz 'dot' is not on PATH: the examples draw diagrams; `make setup` installs it "
                    "(Debian package graphviz)")


@pytest.fixture(scope="module")
def kernel_specs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A kernel spec folder holding one ``python3`` kernel: this interpreter, by absolute path."""
    folder = tmp_path_factory.mktemp("kernels")
    spec = folder / "python3"
    spec.mkdir()
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (sle_graph tests)", "language": "python",
    }), encoding="utf-8")
    return folder


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder; the kernel's connection files and IPython profile in temporary folders, so
    neither a read-only home nor a user's IPython start-up scripts change what the notebook does."""
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "jupyter-runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    work = tmp_path / "work"
    work.mkdir()
    return work


def execute(path: Path, kernel_specs: Path, cwd: Path) -> nbformat.NotebookNode:
    """Run every cell of a notebook in a fresh kernel with ``cwd`` as working folder; raise on a cell error.

    A last cell, added in memory only, prints the kernel's interpreter.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.executable)"))
    specs = KernelSpecManager(kernel_dirs=[str(kernel_specs)], ensure_native_kernel=False)
    km = KernelManager(kernel_name=nb.metadata.kernelspec.name, kernel_spec_manager=specs)
    NotebookClient(nb, km=km, timeout=120, allow_errors=False,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    assert nb.cells[-1].outputs[0].text.strip() == sys.executable, "the kernel ran another interpreter"
    return nb


def texts(nb: nbformat.NotebookNode) -> str:
    """All printed and plain-text output of a notebook, joined."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                parts.append(out.text)
            elif "data" in out:
                parts.append(out.data.get("text/plain", ""))
    return "\n".join(parts)


def svgs(nb: nbformat.NotebookNode) -> list[ET.Element]:
    """Every SVG a notebook displayed (``image/svg+xml``, or inside ``text/html``), parsed as XML."""
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            text = data.get("image/svg+xml") or data.get("text/html", "")
            # each drawing of the output (a graph's overview holds two: its kinds, the full drawing)
            found += [ET.fromstring(m.group(0)) for m in re.finditer(r"<svg\b.*?</svg>", text, re.S)]
    return found


def html_tables(nb: nbformat.NotebookNode) -> int:
    return sum("<table" in out.get("data", {}).get("text/html", "") for cell in nb.cells
               for out in cell.get("outputs", []))


def drawn_ids(svg: ET.Element) -> set[str]:
    """Node ids drawn in an SVG (each node group carries ``id="node:<id>"``)."""
    return {g.get("id")[5:] for g in svg.iter(f"{SVG_NS}g") if (g.get("id") or "").startswith("node:")}


def test_notebooks_are_stored_valid_and_without_outputs():
    assert {p.name for p in NOTEBOOKS} >= {"quickstart.ipynb", "evidence.ipynb"}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert nb.metadata.kernelspec.name == "python3"
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, f"{path.name} is stored with outputs"


@pytest.mark.slow
def test_quickstart(kg, graphviz, kernel_specs, isolated):
    tmp_path = isolated
    nb = execute(EXAMPLES / "quickstart.ipynb", kernel_specs, tmp_path)
    out = texts(nb)
    # the explained path, as the library gives it here, with a quote behind it
    best = kg.paths("mesenchymal stem cell", "reduced disease activity")[0]
    assert best.explain() in out
    words = " ".join(out.split())  # the explanation is wrapped: compare words
    assert any(" ".join(ev.quote.split()) in words for e in best.edges for ev in e.evidence if ev.kind == "quote")
    assert str(kg.paths("HSCT", "reduced disease activity", via="Mechanism", limit=3)) in out
    # look-ups by CURIE and by synonym agreed, and the typo message names the closest node
    assert "(True, True)" in out and "closest: 'mesenchymal stem cell' (msc)" in out
    # diagrams: the whole graph, the best path, the HSCT paths, the neighbourhood
    drawn = [drawn_ids(s) for s in svgs(nb)]
    assert len(drawn) >= 4
    assert {n.id for n in best.nodes} in drawn
    sources = ("Study", "SourceDocument")  # diagrams leave them out unless include_sources=True
    assert {n.id for n in kg.neighbors("msc", hops=1) if n.kind not in sources} in drawn
    assert {n.id for n in kg if n.kind not in sources} in drawn
    assert html_tables(nb) >= 2  # pandas tables
    # the explorer: one frame holding the page of the graph (studies and documents left out)
    frames = [html for cell in nb.cells for o in cell.get("outputs", [])
              for html in [o.get("data", {}).get("text/html", "")] if "sle-graph-explorer" in html]
    assert len(frames) == 1 and f"{sum(n.kind not in sources for n in kg)} nodes" in frames[0]
    assert "srcdoc=" in frames[0] and "vis.Network" in frames[0]
    # files: canonical Turtle equal to the graph's RDF, and diagrams
    turtle = tmp_path / "out" / "sle_graph.ttl"
    assert isomorphic(rdflib.Graph().parse(turtle, format="turtle"), kg.to_rdf())
    ET.parse(tmp_path / "out" / "graph.svg")
    assert (tmp_path / "out" / "hsct_paths.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_evidence(kg, graphviz, kernel_specs, isolated):
    nb = execute(EXAMPLES / "evidence.ipynb", kernel_specs, isolated)
    out = texts(nb)
    contested = kg.claims(status="contested")
    assert contested
    for e in contested:  # every contested claim, and every study on it, is named
        assert f"{kg.node(e.subject).label} -[{kg.schema.predicates[e.predicate].label}]-> " \
               f"{kg.node(e.object).label}" in out
        for ev in e.evidence:
            if ev.kind == "study":
                assert kg.node(ev.source).label in out
    drawn = [drawn_ids(s) for s in svgs(nb)]
    assert {i for e in contested for i in (e.subject, e.object)} in drawn
    # the explorer: one frame holding the page of the graph, the contested claims highlighted
    frames = [html for cell in nb.cells for o in cell.get("outputs", [])
              for html in [o.get("data", {}).get("text/html", "")] if "sle-graph-explorer" in html]
    assert len(frames) == 1 and "srcdoc=" in frames[0]
    claim = max(contested, key=lambda e: sum(ev.kind == "study" for ev in e.evidence))
    for stance in ("supports", "contradicts"):
        cited = {ev.source for ev in claim.evidence if ev.kind == "study" and ev.stance == stance}
        assert cited | {claim.subject} in drawn
    assert html_tables(nb) >= 2
    # the modality of quotes: the count of each, and every claim that is only a possibility
    from collections import Counter

    from sle_graph.build.modality import edge_modality

    counted = Counter(ev.modality for e in kg.edges() for ev in e.evidence if ev.kind == "quote")
    for name, n in counted.items():
        assert re.search(rf"^  {name} +{n}$", out, re.MULTILINE), name
    only = [e for e in kg.claims("claim only") if edge_modality(e) in ("possible", "potential")]
    assert f"{len(only)} claims rest on" in out
    for e in only:
        assert f"{edge_modality(e):<10} {kg.node(e.subject).label} -[{kg.schema.predicates[e.predicate].label}]-> " \
               f"{kg.node(e.object).label}" in out
    assert "quote (potential), breaking-ground" in out  # explain() shows it beside the quote


def run_script(name: str, cwd: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, str(EXAMPLES / name), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, f"{name} failed:\n{done.stderr}"
    return done.stdout


@pytest.mark.slow
def test_scripts(kg, graphviz, tmp_path):
    # export_turtle: default folder out/ in the working directory
    out = run_script("export_turtle.py", tmp_path)
    turtle = tmp_path / "out" / "sle_graph.ttl"
    assert isomorphic(rdflib.Graph().parse(turtle, format="turtle"), kg.to_rdf())
    mechanisms = {kg.node(e.object).label for e in kg.edges("msc", "acts_through")}
    assert all(f"  {m}\n" in out for m in mechanisms)

    # render_diagrams: a given folder
    folder = tmp_path / "diagrams"
    out = run_script("render_diagrams.py", tmp_path, str(folder))
    assert drawn_ids(ET.parse(folder / "graph.svg").getroot()) >= {n.id for n in kg.nodes(kind="Therapy")}
    assert (folder / "msc.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    paths = kg.paths("msc", "reduced disease activity", limit=3)
    assert drawn_ids(ET.parse(folder / "paths.svg").getroot()) >= {n.id for p in paths for n in p.nodes}
    assert str(paths) in out

    # ask_paths: explanations printed, paths.csv equal to to_frame
    out = run_script("ask_paths.py", tmp_path, "HSCT", "reduced disease activity", str(tmp_path / "tables"))
    found = kg.paths("HSCT", "reduced disease activity", max_hops=3)
    assert found.explain() in out
    import pandas as pd

    table = pd.read_csv(tmp_path / "tables" / "paths.csv")
    assert table["text"].tolist() == [str(p) for p in found]
    assert str(kg.count("Therapy -> Mechanism -> Outcome")) in out


def test_script_with_unknown_node_says_so(tmp_path):
    done = subprocess.run([sys.executable, str(EXAMPLES / "ask_paths.py"), "mesenchymal stem cels", "lupus"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1, done.stderr
    assert lines[0].startswith("ask_paths: no node 'mesenchymal stem cels'; closest: 'mesenchymal stem cell' (msc)")
