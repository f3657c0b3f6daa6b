"""An interactive evidence explorer: one self-contained HTML page to pan, search, filter and click
through the graph, in a notebook (:func:`explore`) or as a file opened offline (:func:`to_html`).

The page is drawn by vis-network, whose JavaScript and CSS are read at build time from the
installed ``pyvis`` package (``pip install pyvis``, or ``pip install -e '.[explore]'`` in a
checkout) and written into the page, so it needs no network. Our own glue (search, filters, the evidence panel) is ``explore.js`` and
``explore.css`` beside this module, put in the page template ``explore.html``.

What the page shows follows the diagrams' visual grammar (:mod:`sle_graph.draw.style`): one colour
and shape per kind, dashed edges for contested evidence, studies and source documents left out
unless ``include_sources=True`` (their findings and quotes are in every edge's panel). Clicking a
node shows its definition, its mappings linked to their resolvers and its neighbours; clicking an
edge shows its status, grade and every evidence record, with the study's design and PubMed, DOI
and ClinicalTrials.gov links. ``highlight=`` (a path, a ``PathList`` or a sub-graph such as
``kg.neighbors(...)``) draws those parts bold over the faded rest.

The layout is computed here, once, by Graphviz (``neato`` up to :data:`DOT_LIMIT` nodes, ``sfdp``
above, fixed seed, overlaps removed), so the same graph gives the same page, byte for byte, and the browser does no
physics. Up to :data:`SHAPE_LIMIT` nodes are drawn in their kind's shape with labels; above it, as
coloured dots whose labels appear when zoomed in. The page stays usable up to about 5,000 nodes
(see ``benchmarks``); above :data:`MAX_NODES` :func:`build_html` refuses and says what to draw.

Every string of the graph reaches the page as JSON inside a ``<script type="application/json">``
element, with ``<``, ``>`` and ``&`` escaped, and the glue puts it in the page as text, never as
HTML, so no label or quote can inject markup or script.

Example
-------
>>> import sle_graph
>>> kg = sle_graph.load()
>>> page = kg.explore(highlight=kg.paths("msc", "reduced disease activity", limit=2))
>>> page.nodes, page.html.startswith("<!DOCTYPE html>")
(86, True)
>>> page.html == kg.explore(highlight=kg.paths("msc", "reduced disease activity", limit=2)).html
True
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping
from urllib.parse import quote

from ..atomic import atomic_write
from ..errors import GraphvizNotFound, InvalidArgument, RenderError, RenderTimeout, install_hint
from ..graph import KnowledgeGraph
from ..model import Edge, Evidence, Node
from ..vocab import OBO, iri_for_curie
from .diagram import HIDDEN_KINDS
from .style import style_for, styles

if TYPE_CHECKING:  # pragma: no cover
    from ..ontology import Schema

__all__ = ["Explorer", "explore", "build_html", "to_html", "page_data", "layout", "resolver", "vis_network_assets",
           "DOT_LIMIT", "SHAPE_LIMIT", "MAX_NODES", "STATUSES"]

#: Above this many nodes the layout is ``sfdp`` (multilevel, fast) instead of ``neato``.
#:
#: Examples
#: --------
#: >>> from sle_graph.draw.explore import DOT_LIMIT
#: >>> DOT_LIMIT
#: 300
DOT_LIMIT = 300
#: Above this many nodes, nodes are drawn as dots (labels when zoomed in), not in their shapes.
#:
#: Examples
#: --------
#: >>> from sle_graph.draw.explore import DOT_LIMIT, SHAPE_LIMIT
#: >>> DOT_LIMIT < SHAPE_LIMIT
#: True
SHAPE_LIMIT = 1_000
#: Above this many nodes the page is refused: draw a neighbourhood or paths instead.
#:
#: Examples
#: --------
#: >>> from sle_graph.draw.explore import MAX_NODES
#: >>> MAX_NODES
#: 20000
MAX_NODES = 20_000
#: Edge statuses the page filters by, in the order of its check boxes.
#:
#: Examples
#: --------
#: >>> import sle_graph
#: >>> from sle_graph.draw.explore import STATUSES, page_data
#: >>> page_data(sle_graph.load().neighbors("msc", hops=1))["statuses"] == list(STATUSES)
#: True
STATUSES = ("supported", "claim only", "contested")
# Characters a label line holds (vis-network wraps labels at 120 px; see explore.js).
_WRAP = 16
#: Seconds Graphviz may take to lay out the page.
DEFAULT_TIMEOUT = 120.0

_HERE = Path(__file__).resolve().parent
_INSTALL_HINT = f"install it with: {install_hint('pyvis', 'explore')} (the page's drawing library comes from pyvis)"
# Graphviz shapes -> vis-network shapes that hold their label inside (the rest put it below).
_SHAPES = {"box": "box", "rect": "box", "rectangle": "box", "square": "box", "note": "box", "tab": "box",
           "folder": "box", "box3d": "box", "component": "box", "ellipse": "ellipse", "oval": "ellipse",
           "egg": "ellipse", "circle": "circle", "cylinder": "database", "hexagon": "hexagon",
           "octagon": "diamond", "doubleoctagon": "diamond", "plaintext": "text", "plain": "text"}
# Study attributes -> the resolver each identifier links to.
_STUDY_LINKS = (("pmid", "PubMed", "https://pubmed.ncbi.nlm.nih.gov/{}/"),
                ("doi", "DOI", "https://doi.org/{}"),
                ("trial_registry_id", "ClinicalTrials.gov", "https://clinicaltrials.gov/study/{}"))


@dataclass(frozen=True)
class Explorer:
    """The explorer page of a graph: ``html`` (the whole page), shown inline in notebooks.

    In a notebook the page sits in an ``iframe`` (its script and style stay apart from the
    notebook's), which also shows in a notebook exported to HTML. :meth:`save` writes the page to a
    file. :meth:`KnowledgeGraph.explore` makes one.

    Parameters
    ----------
    html : str
        The whole page.
    nodes : int
        How many nodes the page draws.
    edges : int
        How many edges it draws.
    height : int, default 640
        The height of the notebook frame, in pixels.

    Examples
    --------
    >>> import sle_graph
    >>> page = sle_graph.load().neighbors("msc", hops=1).explore()
    >>> page.html.startswith("<!DOCTYPE html>"), page.nodes > 1
    (True, True)
    """

    html: str
    nodes: int
    edges: int
    height: int = 640

    def _repr_html_(self) -> str:
        return (f'<iframe class="sle-graph-explorer" srcdoc="{html.escape(self.html, quote=True)}" '
                f'style="width:100%;height:{int(self.height)}px;border:1px solid #ccc" '
                f'title="sle_graph explorer: {self.nodes} nodes, {self.edges} edges"></iframe>')

    def save(self, path: "str | Path") -> Path:
        """Write the page to ``path`` (UTF-8).

        Parameters
        ----------
        path : str or path-like
            The file to write.

        Returns
        -------
        pathlib.Path
            The path written.

        Examples
        --------
        >>> import os, tempfile
        >>> import sle_graph
        >>> page = sle_graph.load().neighbors("msc", hops=1).explore()
        >>> page.save(os.path.join(tempfile.mkdtemp(), "msc.html")).suffix
        '.html'
        """
        target = Path(path)
        with atomic_write(target, encoding="utf-8") as fh:
            fh.write(self.html)
        return target

    def __repr__(self) -> str:
        return f"<Explorer: {self.nodes} nodes, {self.edges} edges, {len(self.html):,} characters>"


# -- the library's assets ----------------------------------------------------------------------------

def vis_network_assets() -> tuple[str, str]:
    """``(javascript, css)`` of vis-network, read from the installed ``pyvis`` package.

    Returns
    -------
    tuple of (str, str)
        The library's JavaScript and its style sheet, to inline in a page.

    Raises
    ------
    RenderError
        When pyvis is not installed.

    Examples
    --------
    >>> js, css = vis_network_assets()
    >>> "vis" in js and len(css) > 0
    True
    """
    import importlib.util

    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RenderError(f"the explorer needs the pyvis package for its drawing library: {_INSTALL_HINT}")
    root = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(root.glob("lib/vis-*/vis-network.min.js"), key=lambda p: _version(p.parent.name))
    if not found:
        raise RenderError(f"pyvis at {root} ships no vis-network.min.js; {_INSTALL_HINT}")
    css = (found[-1].parent / "vis-network.css").read_text(encoding="utf-8")
    # 205 of its 220 kB are images of the editing and navigation buttons, which the page does not use.
    css = re.sub(r"url\(\s*['\"]?data:[^)]*\)", "none", css)
    return found[-1].read_text(encoding="utf-8"), css


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in name.removeprefix("vis-").split(".") if p.isdigit())


# -- what the page shows -----------------------------------------------------------------------------

def _hidden(schema: "Schema", include_sources: bool) -> frozenset[str]:
    if include_sources:
        return frozenset()
    return frozenset().union(*(schema.descendants(k) for k in HIDDEN_KINDS if k in schema.kinds))


def _marked(highlight: Any) -> tuple[set[str], set[tuple[str, str, str]]]:
    """Node ids and edge keys of a highlight: a graph, a path, or a list of paths."""
    if highlight is None:
        return set(), set()
    if isinstance(highlight, KnowledgeGraph):
        return set(highlight.node_map), set(highlight.edge_map)
    paths = [highlight] if hasattr(highlight, "nodes") and not callable(highlight.nodes) else highlight
    try:
        nodes = {n.id for p in paths for n in p.nodes}
        edges = {e.key for p in paths for e in p.edges}
    except (TypeError, AttributeError):
        raise InvalidArgument(f"highlight= takes a path, a list of paths (kg.paths) or a graph "
                              f"(kg.neighbors), not a {type(highlight).__name__}") from None
    return nodes, edges


def resolver(curie: str) -> str:
    """The web page of a standard identifier: its OBO PURL, else identifiers.org.

    Parameters
    ----------
    curie : str
        A CURIE, such as ``CL:0000134``.

    Returns
    -------
    str
        A URL.

    Examples
    --------
    >>> resolver("CL:0000134"), resolver("EFO:0000001")
    ('http://purl.obolibrary.org/obo/CL_0000134', 'https://identifiers.org/EFO:0000001')
    """
    try:
        iri = iri_for_curie(curie)
    except KeyError:
        iri = ""
    if iri.startswith(OBO) or iri.startswith("https://w3id.org/"):
        return iri
    return "https://identifiers.org/" + quote(curie, safe=":")


def _modalities(evidence: Evidence) -> list[str]:
    """The modality of an evidence record, once records carry one (``Evidence.modality``); the
    page offers a modality filter as soon as any record has one."""
    value = getattr(evidence, "modality", None)
    return [value] if isinstance(value, str) and value else []


def _evidence(ev: Evidence, node_map: Mapping[str, Node]) -> dict[str, Any]:
    source = node_map.get(ev.source)
    record: dict[str, Any] = {"kind": ev.kind, "source": ev.source,
                              "source_label": source.label if source is not None else ev.source}
    if ev.kind == "quote":
        record.update(quote=ev.quote, start=ev.start, end=ev.end)
    elif ev.kind == "study":
        record.update(stance=ev.stance, finding=ev.finding or "", measure=ev.measure or "")
    else:
        record.update(reference=ev.reference, stance=ev.stance)
    if source is not None and (source.kind == "Study" or "design" in source.attributes):
        record["design"] = source.attributes.get("design", "")
        record["links"] = [[name, pattern.format(quote(source.attributes[key].strip(), safe="/:.()-_"))]
                           for key, name, pattern in _STUDY_LINKS if source.attributes.get(key, "").strip()]
    modalities = _modalities(ev)
    if modalities:
        record["modality"] = modalities[0]
    return record


def page_data(kg: KnowledgeGraph, *, highlight: Any = None, include_sources: bool = False,
              title: str | None = None, positions: "Mapping[str, tuple[float, float]] | None" = None) -> dict[str, Any]:
    """What the page shows, as JSON-ready data.

    Nodes with their details, edges with their evidence, the kinds' styles, the statuses.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    highlight : Path, PathList or KnowledgeGraph, optional
        Marked bold over the faded rest.
    include_sources : bool, default False
        Also show studies and source documents.
    title : str, optional
        Heads the page; "sle_graph explorer" when not given.
    positions : mapping of str to tuple of (float, float), optional
        Node id -> (x, y), from :func:`layout`.

    Returns
    -------
    dict of str to object
        ``nodes``, ``edges``, ``kinds``, ``modalities``, ``statuses`` and ``title``; nodes and
        edges in id order.

    Examples
    --------
    >>> import sle_graph
    >>> data = page_data(sle_graph.load().neighbors("msc", hops=1))
    >>> sorted(data), data["nodes"][0]["id"] < data["nodes"][1]["id"]
    (['edges', 'kinds', 'modalities', 'nodes', 'statuses', 'title'], True)
    """
    hidden = _hidden(kg.schema, include_sources)
    marked_nodes, marked_edges = _marked(highlight)
    shown = {i: n for i, n in sorted(kg.node_map.items()) if n.kind not in hidden or i in marked_nodes}
    edges = sorted((e for e in kg.edge_map.values() if e.subject in shown and e.object in shown),
                   key=lambda e: e.key)
    index = {i: k for k, i in enumerate(shown)}
    kinds: dict[str, dict[str, Any]] = {}
    order = list(styles())
    for n in shown.values():
        if n.kind not in kinds:
            s = style_for(n.kind, kg.schema)
            kinds[n.kind] = {"kind": n.kind, "legend": s.legend if s.kind == n.kind else n.kind,
                             "fill": s.fill, "border": s.border, "shape": _SHAPES.get(s.shape, "box"),
                             "rounded": "rounded" in s.style,
                             "order": order.index(s.kind) if s.kind in order else len(order)}
    positions = positions or {}
    nodes = []
    for i, n in shown.items():
        x, y = positions.get(i, (0.0, 0.0))
        nodes.append({"id": i, "label": n.label, "kind": n.kind, "x": round(x, 1), "y": round(y, 1),
                      "synonyms": list(n.synonyms), "definition": n.definition,
                      "mappings": [[c, resolver(c), "exact" if c in n.exact_mappings else "close"]
                                   for c in n.mappings],
                      "hl": i in marked_nodes})
    modalities: set[str] = set()
    out_edges = []
    for e in edges:
        records = [_evidence(ev, kg.node_map) for ev in sorted(e.evidence, key=Evidence.sort_key)]
        mods = sorted({r["modality"] for r in records if "modality" in r})
        modalities.update(mods)
        out_edges.append({"s": index[e.subject], "o": index[e.object], "p": e.predicate,
                          "status": e.status or "claim only", "grade": e.grade or "",
                          "evidence": records, "modalities": mods, "hl": e.key in marked_edges})
    return {"title": title or "sle_graph explorer", "nodes": nodes, "edges": out_edges,
            "kinds": sorted(kinds.values(), key=lambda k: (k["order"], k["kind"])),
            "statuses": list(STATUSES), "modalities": sorted(modalities)}


# -- layout -----------------------------------------------------------------------------------------

def layout(node_ids: Iterable[str], edges: Iterable[tuple[str, str]], *, labels: Mapping[str, str] | None = None,
           timeout: float = DEFAULT_TIMEOUT) -> dict[str, tuple[float, float]]:
    """Positions (in points, y down) of the nodes, by Graphviz.

    ``neato`` up to :data:`DOT_LIMIT` nodes, ``sfdp`` above, both seeded, with overlaps removed.
    Same input, same positions.

    Parameters
    ----------
    node_ids : iterable of str
        The nodes.
    edges : iterable of tuple of (str, str)
        The links between them, as (node id, node id).
    labels : mapping of str to str, optional
        Node id -> its label, whose size the layout leaves room for (the id's when missing).
    timeout : float, default 120.0
        Seconds Graphviz may take.

    Returns
    -------
    dict of str to tuple of (float, float)
        Node id -> (x, y).

    Raises
    ------
    GraphvizNotFound
        Without Graphviz.
    RenderTimeout
        Past ``timeout`` seconds.

    Examples
    --------
    >>> sorted(layout(["a", "b"], [("a", "b")])) == ["a", "b"]
    True
    """
    ids = list(node_ids)
    if not ids:
        return {}
    index = {i: k for k, i in enumerate(ids)}
    engine = "neato" if len(ids) <= DOT_LIMIT else "sfdp"
    program = shutil.which(engine)
    if program is None:
        raise GraphvizNotFound(f"Graphviz program {engine!r} not found on PATH (the explorer lays out with it): "
                               "install Graphviz, e.g. 'apt-get install graphviz'")
    labels = labels or {}
    lines = ["digraph g {", 'start=1; overlap=prism; sep="+6"; outputorder=edgesfirst;',
             'node [shape=box, fixedsize=true, label=""];']
    # Overlaps are removed (prism) at every size: cheaper ways (overlap=scale, or none) left 5,000
    # nodes as one dark knot ringed by the isolated ones, where prism spreads them evenly.
    for i in ids:  # the size vis-network gives the label: 14 px text wrapped near 16 characters a line
        chars = len(labels.get(i, i))
        rows = min(3, -(-chars // _WRAP))
        lines.append(f"n{index[i]} [width={(min(chars, _WRAP) * 7.4 + 16) / 72:.2f}, height={(rows * 17 + 12) / 72:.2f}];")
    lines.extend(f"n{index[s]} -> n{index[o]};" for s, o in edges if s in index and o in index)
    lines.append("}")
    try:
        done = subprocess.run([program, "-Tplain"], input="\n".join(lines).encode("ascii"),
                              capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise RenderTimeout(f"Graphviz {engine} took longer than {timeout:g} s to lay out {len(ids)} nodes; "
                            "explore a neighbourhood (kg.neighbors(ref, hops=1)) or pass a larger timeout=") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
        raise RenderError(f"Graphviz {engine} failed: {message.splitlines()[0]}")
    out: dict[str, tuple[float, float]] = {}
    height = 0.0
    for line in done.stdout.decode("ascii", "replace").splitlines():
        parts = line.split()
        if parts[:1] == ["graph"]:
            height = float(parts[3])
        elif parts[:1] == ["node"]:
            out[ids[int(parts[1][1:])]] = (float(parts[2]) * 72, (height - float(parts[3])) * 72)
    return out


# -- the page ---------------------------------------------------------------------------------------

def _script_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` (so no ``</script>``)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _inline_script(text: str) -> str:
    # A library file could hold "</script" inside a string; "<\/script" means the same to JavaScript.
    return text.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def build_html(kg: KnowledgeGraph, *, highlight: Any = None, include_sources: bool = False,
               title: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> tuple[str, int, int]:
    """The explorer page of ``kg`` as HTML text, with the number of nodes and edges it draws.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    highlight : Path, PathList or KnowledgeGraph, optional
        Drawn bold over the faded rest.
    include_sources : bool, default False
        Also draw studies and source documents.
    title : str, optional
        Heads the page.
    timeout : float, default 120.0
        Seconds the layout may take.

    Returns
    -------
    tuple of (str, int, int)
        The page (one HTML file, scripts inlined), the nodes drawn, the edges drawn.

    Raises
    ------
    InvalidArgument
        When ``kg`` is not a KnowledgeGraph.
    RenderError
        Above :data:`MAX_NODES` nodes or without pyvis.
    GraphvizNotFound
        Without Graphviz.
    RenderTimeout
        When the layout takes longer than ``timeout``.

    Examples
    --------
    >>> import sle_graph
    >>> page, nodes, edges = build_html(sle_graph.load().neighbors("msc", hops=1))
    >>> page.startswith("<!DOCTYPE html>"), nodes > 1, edges > 0
    (True, True, True)
    """
    if not isinstance(kg, KnowledgeGraph):
        raise InvalidArgument(f"the explorer draws a KnowledgeGraph (or kg.neighbors(...)), not a "
                              f"{type(kg).__name__}; to show paths, give them as highlight=")
    hidden = _hidden(kg.schema, include_sources)
    n = sum(1 for node in kg.node_map.values() if node.kind not in hidden)
    if n > MAX_NODES:
        raise RenderError(f"{n} nodes are too many to explore in a browser (limit {MAX_NODES}); explore a "
                          "neighbourhood (kg.neighbors(ref, hops=2)) or a sub-graph (kg.subgraph(ids))")
    js, css = vis_network_assets()
    data = page_data(kg, highlight=highlight, include_sources=include_sources, title=title)
    ids = [d["id"] for d in data["nodes"]]
    pairs = [(ids[e["s"]], ids[e["o"]]) for e in data["edges"]]
    positions = layout(ids, pairs, labels={d["id"]: d["label"] for d in data["nodes"]}, timeout=timeout)
    for d in data["nodes"]:
        d["x"], d["y"] = (round(v, 1) for v in positions.get(d["id"], (0.0, 0.0)))
    data["shapes"] = len(ids) <= SHAPE_LIMIT
    template = (_HERE / "explore.html").read_text(encoding="utf-8")
    parts = {
        "<!--sle:title-->": html.escape(data["title"]),
        "/*sle:vis-css*/": css.replace("</style", "<\\/style"),
        "/*sle:css*/": (_HERE / "explore.css").read_text(encoding="utf-8"),
        "/*sle:data*/": _script_json(data),
        "/*sle:vis-js*/": _inline_script(js),
        "/*sle:js*/": _inline_script((_HERE / "explore.js").read_text(encoding="utf-8")),
    }
    done, rest = [], template
    for marker, text in parts.items():  # in template order; inserted text is never searched again
        head, found, rest = rest.partition(marker)
        if not found:  # pragma: no cover (the template ships with every marker, in this order)
            raise RenderError(f"explore.html lacks the marker {marker}")
        done += [head, text]
    page = "".join(done) + rest
    return page, len(ids), len(data["edges"])


def explore(kg: KnowledgeGraph, *, highlight: Any = None, include_sources: bool = False,
            title: str | None = None, height: int = 640, timeout: float = DEFAULT_TIMEOUT) -> Explorer:
    """The explorer of ``kg`` for a notebook: an :class:`Explorer` that displays itself.

    What :meth:`KnowledgeGraph.explore` calls.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    highlight : Path, PathList or KnowledgeGraph, optional
        Drawn bold over the faded rest.
    include_sources : bool, default False
        Also draw studies and source documents.
    title : str, optional
        Heads the page.
    height : int, default 640
        The height of the notebook frame, in pixels.
    timeout : float, default 120.0
        Seconds the layout may take.

    Returns
    -------
    Explorer
        The page; it shows inline in a notebook.

    Raises
    ------
    RenderError
        When the layout fails or the graph is too large for the page (see :func:`build_html`).

    Examples
    --------
    >>> import sle_graph
    >>> page = sle_graph.load().neighbors("msc", hops=1).explore()
    >>> page.nodes, page.edges
    (13, 16)
    """
    page, n, m = build_html(kg, highlight=highlight, include_sources=include_sources, title=title, timeout=timeout)
    return Explorer(page, n, m, height)


def to_html(kg: KnowledgeGraph, path: "str | Path", *, highlight: Any = None, include_sources: bool = False,
            title: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> Path:
    """Write the explorer page of ``kg`` to ``path``: one file that works offline.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph (or a neighbourhood, a sub-graph) to draw.
    path : str or Path
        The file to write (replaced whole, or left as it was on error).
    highlight : Path, PathList or KnowledgeGraph, optional
        Drawn bold over the faded rest of the graph.
    include_sources : bool, default False
        Also draw studies and source documents.
    title : str, optional
        The page's heading.
    timeout : float, optional
        Seconds allowed for the layout (Graphviz), as for :func:`explore`.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    RenderError, GraphvizNotFound
        As :func:`build_html` raises them.

    Examples
    --------
    >>> import sle_graph, tempfile, os
    >>> out = sle_graph.load().to_html(os.path.join(tempfile.mkdtemp(), "graph.html"))
    >>> out.stat().st_size > 100_000
    True
    """
    page, _, _ = build_html(kg, highlight=highlight, include_sources=include_sources, title=title, timeout=timeout)
    target = Path(path)
    with atomic_write(target, encoding="utf-8") as fh:
        fh.write(page)
    return target
