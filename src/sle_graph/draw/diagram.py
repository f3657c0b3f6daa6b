"""Diagrams of the graph, of neighbourhoods and of paths: pydot + Graphviz, inline in notebooks.

:func:`to_dot` builds a ``pydot.Dot`` itself (never networkx's ``to_pydot``, which breaks on CURIE
colons): every node gets a safe internal name (``n0``, ``n1``, ...) and carries its real id in the
SVG ``id`` attribute (``node:<id>``), every string is quoted and escaped here, so ids and labels
with colons, quotes, backslashes, non-ASCII and HTML-special characters draw as written.

The visual grammar lives in one place, ``data/style.tsv`` (see :mod:`sle_graph.draw.style`): one colour
and shape per kind, a legend of the kinds present, predicate labels on edges, a left-to-right
layout reading therapy -> cell -> mechanism -> outcome, with procedure steps, open questions
(challenges, research directions) and the disease with its manifestations in boxes beside the main
flow. Edges whose evidence is contested are dashed, and the legend says so. Source documents and
studies are left out unless ``include_sources=True``.

What a call draws:

- a :class:`~sle_graph.KnowledgeGraph` (the whole graph, or a sub-graph from ``kg.neighbors``):
  all its nodes and edges; ``highlight=paths`` draws those paths bold over the faded rest;
- a path, or a list of paths (anything with ``.nodes`` and ``.edges`` lists): just the paths,
  their union when several. For the paths in context, draw the graph with ``highlight=paths``.

:func:`render` runs Graphviz as a subprocess with a timeout (default 60 s), so no call hangs.
Graphs above :data:`DOT_LIMIT` drawn nodes are laid out with ``sfdp`` (``dot`` took minutes on
thousands of nodes), without edge labels; above :data:`MAX_NODES` it refuses and says what to draw
instead. Without Graphviz, DOT text still works and image formats raise :class:`GraphvizNotFound`
saying how to install it.

Example
-------
>>> import sle_graph
>>> kg = sle_graph.load()
>>> dot_text = kg.render(format="dot")
>>> dot_text.startswith("digraph")
True
>>> found = kg.paths("msc", "reduced disease activity", limit=3)
>>> svg = sle_graph.render(found)                 # just the paths, as SVG text
>>> svg = kg.render(highlight=found)              # the paths bold over the faded graph
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import textwrap
import types
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any, Iterable

from ..atomic import atomic_write
from ..errors import GraphvizNotFound, InvalidArgument, RenderError, RenderTimeout, UnknownFormat
from ..graph import KnowledgeGraph
from ..io import formats as registry
from ..model import Edge, Node
from ..ontology import EXTERNAL_KIND, schema as default_schema
from .style import Style, fade, style_for, styles

if TYPE_CHECKING:  # pragma: no cover
    import pydot

    from ..ontology import Schema

__all__ = [
    "to_dot", "render", "repr_html", "repr_svg", "summary_html", "overview_html", "kinds_dot",
    "RenderError", "GraphvizNotFound", "RenderTimeout",
    "FORMATS", "ENGINES", "DOT_LIMIT", "EDGE_LABEL_LIMIT", "INLINE_LIMIT", "OVERVIEW_LIMIT", "OVERVIEW_TOP",
    "OVERVIEW_KINDS", "OVERVIEW_PREDICATES", "MAX_NODES",
    "HIDDEN_KINDS",
]

#: Output formats and the file suffixes that select them (a view of :mod:`sle_graph.io.formats`).
#:
#: Examples
#: --------
#: >>> from sle_graph.draw import diagram
#: >>> "png" in diagram.FORMATS, diagram.FORMATS["svg"]
#: (True, ('.svg',))
FORMATS = {f.name: f.suffixes for f in registry.FORMATS if f.family == "diagram"}
#: Layout engines: ``auto`` picks ``dot`` or ``sfdp`` by size; the rest are Graphviz programs.
#:
#: Examples
#: --------
#: >>> from sle_graph.draw import diagram
#: >>> diagram.ENGINES[:3]
#: ('auto', 'dot', 'sfdp')
ENGINES = ("auto", "dot", "sfdp", "neato", "fdp", "circo", "twopi", "osage", "patchwork")
#: Above this many drawn nodes, ``engine="auto"`` lays out with ``sfdp`` instead of ``dot``.
#:
#: Examples
#: --------
#: >>> from sle_graph.draw import diagram
#: >>> diagram.DOT_LIMIT
#: 300
DOT_LIMIT = 300
#: Above this many drawn edges, predicate labels are left off by default: they triple the time of
#: ``dot`` (0.15 s -> 0.55 s on 300 nodes) and crowd the picture; edge tooltips still name them.
#:
#: Examples
#: --------
#: >>> from sle_graph.draw import diagram
#: >>> diagram.EDGE_LABEL_LIMIT < diagram.DOT_LIMIT
#: True
EDGE_LABEL_LIMIT = 200
#: Above this many drawn nodes, force-directed layouts scale nodes apart instead of removing overlaps.
SCALE_LIMIT = 2_000
#: Above this many drawn nodes, notebook display draws no node: the overview shows kinds and counts.
#:
#: Examples
#: --------
#: >>> from sle_graph.draw import diagram
#: >>> diagram.INLINE_LIMIT
#: 300
INLINE_LIMIT = 300
#: Above this many drawn nodes, notebook display opens on an overview (kinds and how they connect,
#: the most connected nodes), with the full drawing folded under it up to :data:`INLINE_LIMIT`.
#:
#: Examples
#: --------
#: >>> from sle_graph.draw import diagram
#: >>> diagram.OVERVIEW_LIMIT < diagram.INLINE_LIMIT
#: True
OVERVIEW_LIMIT = 40
#: How many of the most connected nodes the overview lists.
#:
#: Examples
#: --------
#: >>> from sle_graph.draw import diagram
#: >>> import sle_graph
#: >>> page = diagram.overview_html(sle_graph.load())
#: >>> f"The {diagram.OVERVIEW_TOP} most connected nodes" in page
#: True
OVERVIEW_TOP = 10
#: Kinds the overview draws at most (the most numerous); the others share one box.
#:
#: Examples
#: --------
#: >>> from sle_graph.draw import diagram
#: >>> import sle_graph
#: >>> dot = diagram.kinds_dot(sle_graph.load())
#: >>> len(dot.get_nodes()) <= diagram.OVERVIEW_KINDS + 1
#: True
OVERVIEW_KINDS = 16
#: Predicates one arrow of the overview names at most (the most frequent); the others are counted.
#:
#: Examples
#: --------
#: >>> from sle_graph.draw import diagram
#: >>> diagram.OVERVIEW_PREDICATES
#: 4
OVERVIEW_PREDICATES = 4
#: Above this many drawn nodes, :func:`render` refuses (with ``engine="auto"``).
#:
#: Examples
#: --------
#: >>> from sle_graph.draw import diagram
#: >>> diagram.MAX_NODES
#: 20000
MAX_NODES = 20_000
#: Kinds left out of diagrams unless ``include_sources=True`` (with their sub-kinds).
#:
#: Examples
#: --------
#: >>> from sle_graph.draw import diagram
#: >>> import sle_graph
#: >>> dot = diagram.to_dot(sle_graph.load())
#: >>> any(n.get_name().strip('"') == "kamen2022" for n in dot.get_nodes())
#: False
HIDDEN_KINDS = ("SourceDocument", "Study")
#: Seconds Graphviz may run before :class:`RenderTimeout` (``timeout=`` changes it).
DEFAULT_TIMEOUT = 60.0
#: Seconds notebook display waits for Graphviz before showing the summary instead.
INLINE_TIMEOUT = 20.0

_FONT = "Helvetica,Arial,sans-serif"
_BOLD_FONT = "Helvetica-Bold"  # a PostScript name: SVG gets font-weight="bold", PNG/PDF a bold face
_EDGE_COLOUR = "#555555"
_FADED_EDGE = "#D0D0D0"
_FADED_TEXT = "#A0A0A0"
_HIGHLIGHT_EDGE = "#000000"
_INSTALL_HINT = ("install Graphviz: 'apt-get install graphviz' (Debian/Ubuntu), "
                 "'conda install graphviz' (conda), or 'brew install graphviz' (macOS); "
                 "DOT output (format='dot') works without it")


# -- what to draw ---------------------------------------------------------------------------------

@dataclass
class _Scene:
    """The nodes and edges to draw, and which of them are highlighted."""

    nodes: dict[str, Node]
    edges: list[Edge]
    schema: "Schema"
    marked_nodes: set[str] | None = None
    marked_edges: set[tuple[str, str, str]] | None = None
    hidden: int = 0  # nodes left out (sources, studies)
    styles: dict[str, Style] = field(default_factory=dict)

    def style(self, kind: str) -> Style:
        if kind not in self.styles:
            self.styles[kind] = style_for(kind, self.schema)
        return self.styles[kind]


def _is_graph(obj: Any) -> bool:
    return isinstance(obj, KnowledgeGraph)


def _is_path(obj: Any) -> bool:
    nodes, edges = getattr(obj, "nodes", None), getattr(obj, "edges", None)
    return (nodes is not None and edges is not None and not callable(nodes) and not callable(edges))


def _paths_of(obj: Any) -> list[Any] | None:
    """``obj`` as a list of paths, or None when it is not a path or a collection of paths."""
    if _is_path(obj):
        return [obj]
    if isinstance(obj, (list, tuple)) and all(_is_path(p) for p in obj):
        return list(obj)
    return None


def _union(paths: Iterable[Any]) -> tuple[dict[str, Node], dict[tuple[str, str, str], Edge]]:
    nodes: dict[str, Node] = {}
    edges: dict[tuple[str, str, str], Edge] = {}
    for p in paths:
        for n in p.nodes:
            nodes.setdefault(n.id, n)
        for e in p.edges:
            edges.setdefault(e.key, e)
    return nodes, edges


def _hidden_kinds(schema: "Schema", include_sources: bool) -> frozenset[str]:
    if include_sources:
        return frozenset()
    return frozenset().union(*(schema.descendants(k) for k in HIDDEN_KINDS if k in schema.kinds))


def _what(obj: Any) -> str:
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


def _scene(obj: Any, highlight: Any = None, include_sources: bool = False) -> _Scene:
    """Collect what ``obj`` draws: a graph's nodes and edges, or the union of paths."""
    if _is_graph(obj):
        schema = obj.schema
        hidden = _hidden_kinds(schema, include_sources)
        nodes = {i: n for i, n in obj.node_map.items() if n.kind not in hidden}
        edges = {k: e for k, e in obj.edge_map.items() if e.subject in nodes and e.object in nodes}
        n_hidden = len(obj.node_map) - len(nodes)
    else:
        paths = _paths_of(obj)
        if paths is None:
            raise TypeError(f"cannot draw a {_what(obj)}: give a KnowledgeGraph (or a sub-graph from "
                            "kg.neighbors), a path, or a list of paths")

        schema = next((s for p in paths for s in (getattr(p, "schema", None),)
                       if s is not None and hasattr(s, "predicates")), None) or default_schema()
        nodes, edges = _union(paths)
        n_hidden = 0
    marked_nodes = marked_edges = None
    if highlight is not None:
        if _is_graph(highlight):
            h_nodes, h_edges = dict(highlight.node_map), dict(highlight.edge_map)
        else:
            h_paths = _paths_of(highlight)
            if h_paths is None:
                raise TypeError(f"highlight= takes a path, a list of paths or a KnowledgeGraph, "
                                f"not a {_what(highlight)}")
            h_nodes, h_edges = _union(h_paths)
        # Highlighted parts are drawn even when the base left them out (a path through a study).
        for i, n in h_nodes.items():
            nodes.setdefault(i, n)
        for k, e in h_edges.items():
            edges.setdefault(k, e)
        marked_nodes, marked_edges = set(h_nodes), set(h_edges)
    ordered = sorted(edges.values(), key=lambda e: e.key)
    return _Scene(dict(sorted(nodes.items())), ordered, schema, marked_nodes, marked_edges, n_hidden)


# -- DOT text -------------------------------------------------------------------------------------

# Characters XML 1.0 (and so SVG) cannot hold, and DEL: drawn as spaces.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _q(text: str) -> str:
    """``text`` as a quoted DOT string Graphviz shows verbatim (an escString; ``\\n`` breaks lines).

    Backslashes and quotes are escaped for DOT, ``&`` for Graphviz's entity decoding.

    >>> print(_q('a:"b" & c\\\\'))
    "a:\\"b\\" &amp; c\\\\"
    """
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n"))
    text = text.replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + text + '"'


def _tip(text: str) -> str:
    """A quoted tooltip. Graphviz unescapes tooltips twice (2.43 turns ``\\\\N`` into the node name),
    so a backslash is shown as the look-alike U+29F5 there; ids and labels keep the real one."""
    return _q(text.replace("\\", "\u29f5"))


def _wrap(text: str, width: int) -> str:
    lines = textwrap.wrap(text, width=width, break_on_hyphens=False) or [""]
    return "\n".join(lines)


def _css(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)


def _predicate_label(schema: "Schema", predicate: str) -> str:
    p = schema.predicates.get(predicate)
    return p.label if p is not None else predicate.replace("_", " ")


def _node_attrs(scene: _Scene, node: Node, wrap: int) -> dict[str, str]:
    st = scene.style(node.kind)
    marked = scene.marked_nodes
    faded = marked is not None and node.id not in marked
    styles = ["filled", *st.style]
    tip = f"{node.label}\n{node.kind} · {node.id}"
    if node.definition:
        tip += "\n" + node.definition
    tip += "".join(f"\n{k}: {v}" for k, v in sorted(node.attributes.items()))
    attrs = {
        "id": _q(f"node:{node.id}"), "class": _q(f"kind-{_css(node.kind)}"),
        "label": _q(_wrap(node.label, wrap)), "tooltip": _tip(tip), "shape": st.shape,
        "style": _q(",".join(styles)),
        "fillcolor": _q(fade(st.fill, 0.7) if faded else st.fill),
        "color": _q(fade(st.border, 0.7) if faded else st.border),
    }
    if faded:
        attrs["fontcolor"] = _q(_FADED_TEXT)
    elif marked is not None:
        attrs["penwidth"] = "2.5"
        attrs["fontname"] = _q(_BOLD_FONT)
    return attrs


#: Graphviz takes at most 5 ``samehead``/``sametail`` groups per node; further bundles keep
#: their one label but not the shared end point.
_SAME_GROUPS = 5


def _bundles(scene: _Scene, layered: bool) -> dict[tuple[str, str, str], tuple[str, bool, bool]]:
    """Edges of one predicate leaving one node (else entering one) are drawn as a bundle: with
    ``dot`` they share their end point on that node, and one of them carries the predicate label
    there. Edge key -> (``"tail"`` or ``"head"``, whether it carries the label, whether it shares
    the end point). A highlighted edge bundles only with highlighted ones, so its label stays on the highlighted path."""
    def marked(e: Edge) -> bool:
        return scene.marked_edges is not None and e.key in scene.marked_edges

    tails = Counter((e.subject, e.predicate, marked(e)) for e in scene.edges)
    heads = Counter((e.object, e.predicate, marked(e)) for e in scene.edges)
    found: dict[tuple[str, str, str], tuple[str, bool, bool]] = {}
    labelled: set[tuple] = set()
    shared: dict[tuple, bool] = {}
    per_node: Counter = Counter()
    for e in scene.edges:  # sorted by key: the same edge carries the label every time
        if tails[(e.subject, e.predicate, marked(e))] > 1:
            group: tuple = ("tail", e.subject, e.predicate, marked(e))
        elif heads[(e.object, e.predicate, marked(e))] > 1:
            group = ("head", e.object, e.predicate, marked(e))
        else:
            continue
        if group not in shared:
            shared[group] = per_node[group[1]] < _SAME_GROUPS
            per_node[group[1]] += shared[group]
        found[e.key] = (group[0], group not in labelled, shared[group])
        labelled.add(group)
    return found if layered else {}


def _edge_attrs(scene: _Scene, edge: Edge, labels: bool, column: dict[str, int],
                bundle: tuple[str, bool, bool] | None = None) -> dict[str, str]:
    nodes = scene.nodes
    pred = _predicate_label(scene.schema, edge.predicate)
    s, o = nodes[edge.subject], nodes[edge.object]
    tip = f"{s.label} {pred} {o.label}"
    if edge.status:
        tip += f"\n{edge.status}" + (f" ({edge.grade})" if edge.grade else "")
    if edge.sources:
        tip += "\nsources: " + ", ".join(edge.sources)
    attrs = {"id": _q(f"edge:{edge.subject}|{edge.predicate}|{edge.object}"),
             "class": _q(f"pred-{_css(edge.predicate)}"), "tooltip": _tip(tip)}
    if bundle is not None:
        end, carries, share = bundle
        if share:
            attrs[f"same{end}"] = _q(edge.predicate)
        if labels and carries:  # one label for the bundle, on one of its edges
            attrs["label"] = _q(pred)
    elif labels:
        attrs["label"] = _q(pred)
    styles = ["dashed"] if edge.status == "contested" else []
    marked = scene.marked_edges
    if marked is not None and edge.key not in marked:
        attrs["color"] = attrs["fontcolor"] = _q(_FADED_EDGE)
    elif marked is not None:
        attrs["color"] = _q(_HIGHLIGHT_EDGE)
        attrs["penwidth"] = "2.5"
        attrs["fontcolor"] = _q(_HIGHLIGHT_EDGE)
        attrs["fontname"] = _q(_BOLD_FONT)
        styles.append("bold")
    if styles:
        attrs["style"] = _q(",".join(styles))
    # Columns are fixed (see _columns); an edge running against the reading order (a mechanism
    # producing a cell) must not pull ranks.
    if column and column[edge.subject] > column[edge.object]:
        attrs["constraint"] = "false"
    return attrs


def _columns(scene: _Scene) -> dict[str, int]:
    """The column (dot rank) of each node in the left-to-right reading order.

    Kinds come in layers (``style.tsv``: study, therapy, cell, mechanism, outcome, ...). A layer
    is as many columns wide as its longest chain of edges between its own nodes (a mechanism
    leading to a mechanism); ``subtype_of`` and edges against the order do not count. Kinds in a
    group (a box beside the main flow) take the columns of their layer without widening it.
    """
    layer = {i: scene.style(n.kind).layer for i, n in scene.nodes.items()}
    group = {i: scene.style(n.kind).group for i, n in scene.nodes.items()}
    same: dict[str, list[str]] = {i: [] for i in scene.nodes}
    indegree = dict.fromkeys(scene.nodes, 0)
    edges = [e for e in scene.edges if e.subject != e.object and e.predicate != "subtype_of"]
    for e in edges:
        if layer[e.subject] == layer[e.object] and group[e.subject] == group[e.object]:
            same[e.subject].append(e.object)
            indegree[e.object] += 1
    depth = dict.fromkeys(scene.nodes, 0)
    ready = sorted(i for i, d in indegree.items() if d == 0)
    done: set[str] = set()
    while len(done) < len(depth):
        if not ready:  # a cycle: break it at the first node left
            ready = [min(i for i in depth if i not in done)]
        node = ready.pop()
        done.add(node)
        for nxt in same[node]:
            if nxt in done:
                continue
            depth[nxt] = max(depth[nxt], depth[node] + 1)
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    width: dict[int, int] = {}
    for i in scene.nodes:
        if not group[i]:
            width[layer[i]] = max(width.get(layer[i], 1), depth[i] + 1)
    start, next_column = {}, 0
    for lay in sorted(set(layer.values())):
        start[lay] = next_column
        next_column += width.get(lay, 1)
    column = {i: start[layer[i]] + depth[i] for i in scene.nodes}
    # A node reached only from later columns and leading nowhere (a cell a mechanism produces)
    # moves just right of what reaches it, so its arrows read left to right too.
    ins: dict[str, list[int]] = {}
    leads = {e.subject for e in edges}
    for e in edges:
        ins.setdefault(e.object, []).append(column[e.subject])
    for i, cols in ins.items():
        if i not in leads and min(cols) >= column[i]:
            column[i] = max(cols) + 1
    return column


def _legend(dot: "pydot.Dot", scene: _Scene, contested: bool, column: dict[str, int]) -> dict[str, int]:
    """Add a legend box of the kinds present (and of dashed edges).

    In a layered diagram each entry stands in the first column its kind occupies, so the legend
    is a band under (or over) the diagram that doubles as column headings. Returns the legend's
    node names with their columns (empty columns without layers).
    """
    import pydot

    first: dict[str, int] = {}
    present: dict[str, Style] = {}
    for i, n in scene.nodes.items():
        st = scene.style(n.kind)
        present[st.kind] = st
        first[st.kind] = min(first.get(st.kind, column.get(i, 0)), column.get(i, 0))
    order = list(styles())
    legend = pydot.Cluster("legend", label=_q("Legend"), style="rounded", color=_q("#BBBBBB"),
                           fontname=_q(_FONT), fontsize="10", fontcolor=_q("#555555"))
    where: dict[str, int] = {}
    for st in sorted(present.values(), key=lambda s: (first[s.kind], order.index(s.kind))):
        name = f"legend_{_css(st.kind)}"
        legend.add_node(pydot.Node(
            name, id=_q(f"legend:{st.kind}"), label=_q(st.legend), shape=st.shape,
            style=_q(",".join(["filled", *st.style])), fillcolor=_q(st.fill), color=_q(st.border),
            fontsize="10", tooltip=_tip(f"kind {st.kind}")))
        where[name] = first[st.kind]
    if contested:
        legend.add_node(pydot.Node(
            "legend_contested", id=_q("legend:contested"), shape="plaintext", fontsize="10",
            label='<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0"><TR>'
                  '<TD BORDER="1" SIDES="B" STYLE="dashed" WIDTH="30"> </TD>'
                  '<TD>contested evidence</TD></TR></TABLE>>',
            tooltip=_tip("an edge whose evidence is contested: studies disagree")))
        where["legend_contested"] = max(column.values(), default=0)
    dot.add_subgraph(legend)
    return where if column else {}


def _legend_label(scene: _Scene, contested: bool) -> str:
    """The legend as an HTML-like table for the graph label (engines without ranks or clusters)."""
    order = list(styles())
    present = sorted({scene.style(n.kind).kind: scene.style(n.kind) for n in scene.nodes.values()}.values(),
                     key=lambda s: order.index(s.kind))
    cells = [f'<TD BGCOLOR="{st.fill}" COLOR="{st.border}" BORDER="1">{html.escape(st.legend)}</TD>'
             for st in present]
    if contested:
        cells.append('<TD BORDER="1" SIDES="B" STYLE="dashed">contested evidence</TD>')
    rows = "".join("<TR>" + "".join(cells[i:i + 6]) + "</TR>" for i in range(0, len(cells), 6))
    return f'<<TABLE BORDER="0" CELLSPACING="4" CELLPADDING="4">{rows}</TABLE>>'


def _engine_for(n_nodes: int, engine: str) -> str:
    if engine == "auto":
        return "dot" if n_nodes <= DOT_LIMIT else "sfdp"
    return engine


def _to_dot(scene: _Scene, *, engine: str = "auto", edge_labels: bool | None = None, legend: bool = True,
            wrap: int = 24, title: str | None = None) -> "pydot.Dot":
    import pydot

    engine = _engine_for(len(scene.nodes), engine)
    layered = engine == "dot"
    if edge_labels is None:
        edge_labels = layered and len(scene.edges) <= EDGE_LABEL_LIMIT
    dot = pydot.Dot("sle_graph", graph_type="digraph", strict=False)
    graph_attrs: dict[str, str] = {"fontname": _q(_FONT), "bgcolor": "white", "pad": "0.2"}
    if layered:
        graph_attrs.update(rankdir="LR", newrank="true", nodesep="0.12", ranksep="0.45",
                           splines="true", remincross="true")
    else:
        # Removing node overlaps (prism) takes most of sfdp's time on thousands of nodes: above
        # SCALE_LIMIT nodes the layout is scaled apart instead (18 s -> 3 s on 5,000 nodes).
        graph_attrs.update(outputorder="edgesfirst", splines="false",
                           overlap="false" if len(scene.nodes) <= SCALE_LIMIT else "scale")
    if title:
        graph_attrs.update(label=_q(title), labelloc="t", fontsize="16")
    for k, v in graph_attrs.items():
        dot.set(k, v)
    dot.set_node_defaults(fontname=_q(_FONT), fontsize="11", margin=_q("0.08,0.04"), height="0.3")
    dot.set_edge_defaults(fontname=_q(_FONT), fontsize="9", color=_q(_EDGE_COLOUR),
                          fontcolor=_q(_EDGE_COLOUR), arrowsize="0.6")

    names = {node_id: f"n{i}" for i, node_id in enumerate(scene.nodes)}
    column = _columns(scene) if layered else {}
    groups: dict[str, Any] = {}
    if layered:
        for group in sorted({scene.style(n.kind).group for n in scene.nodes.values()} - {""}):
            cluster = pydot.Cluster(f"g{len(groups)}", label=_q(group), style="rounded,dashed",
                                    color=_q("#BBBBBB"), fontcolor=_q("#777777"), fontsize="10")
            groups[group] = cluster
    for node_id, node in scene.nodes.items():
        target = groups.get(scene.style(node.kind).group, dot)
        target.add_node(pydot.Node(names[node_id], **_node_attrs(scene, node, wrap)))
    for cluster in groups.values():
        dot.add_subgraph(cluster)
    bundles = _bundles(scene, layered)
    for edge in scene.edges:
        dot.add_edge(pydot.Edge(names[edge.subject], names[edge.object],
                                **_edge_attrs(scene, edge, edge_labels, column, bundles.get(edge.key))))
    keys: dict[str, int] = {}
    contested = any(e.status == "contested" for e in scene.edges)
    if legend and scene.nodes and layered:
        keys = _legend(dot, scene, contested, column)
    elif legend and scene.nodes and not title:
        # Force-directed engines ignore clusters: the legend is the graph's label, under the drawing.
        dot.set("label", _legend_label(scene, contested))
        dot.set("labelloc", "b")
    if layered and scene.nodes:
        # One rank per column, held in order by an invisible spine, so the diagram reads left to right.
        for c in range(max(column.values()) + 1):
            rank = pydot.Subgraph(f"rank{c}", rank="same")
            rank.add_node(pydot.Node(f"spine{c}", style="invis", shape="point", width="0", height="0",
                                     label=_q("")))
            members = [names[i] for i in scene.nodes if column[i] == c] + [k for k, kc in keys.items() if kc == c]
            for name in members:
                rank.add_node(pydot.Node(name))
            dot.add_subgraph(rank)
            if c:
                dot.add_edge(pydot.Edge(f"spine{c - 1}", f"spine{c}", style="invis"))
    return dot


def to_dot(obj: Any, *, highlight: Any = None, include_sources: bool = False, engine: str = "auto",
           edge_labels: bool | None = None, legend: bool = True, wrap: int = 24,
           title: str | None = None) -> "pydot.Dot":
    """A ``pydot.Dot`` diagram of a graph, a sub-graph, a path or a list of paths.

    Parameters
    ----------
    obj : KnowledgeGraph, Path or PathList
        What to draw.
    highlight : Path, PathList or KnowledgeGraph, optional
        Drawn bold over the faded rest.
    include_sources : bool, default False
        Also draw source documents and studies.
    engine : str, default "auto"
        The layout the attributes are tuned for (``"dot"``, ``"sfdp"``, ...); ``"auto"`` is
        ``dot`` up to :data:`DOT_LIMIT` nodes.
    edge_labels : bool, optional
        Write predicate labels; by default with ``dot`` up to :data:`EDGE_LABEL_LIMIT` edges
        (above, the edge tooltips still name them).
    legend : bool, default True
        Add a legend of the kinds and edge styles.
    wrap : int, default 24
        The width node labels wrap at, in characters.
    title : str, optional
        Written above the diagram.

    Returns
    -------
    pydot.Dot
        The diagram; ``to_string()`` gives its DOT text.

    Examples
    --------
    >>> import sle_graph
    >>> from sle_graph.draw.diagram import to_dot
    >>> dot = to_dot(sle_graph.load().neighbors("msc", hops=1))
    >>> dot.get_rankdir()
    'LR'
    >>> dot.get_node("n0")[0].get("id")        # the real id rides along; the DOT name is safe
    '"node:adult_stem_cell"'
    """
    return _to_dot(_scene(obj, highlight, include_sources), engine=engine, edge_labels=edge_labels,
                   legend=legend, wrap=wrap, title=title)


# -- running Graphviz -----------------------------------------------------------------------------

def _format(destination: "str | FilePath | None", format: str | None) -> str:  # noqa: A002
    if format is not None:
        return registry.by_name(format.lower().lstrip("."), "diagram").name
    if destination is None:
        return "svg"
    try:
        return registry.for_output(destination, families="diagram").name
    except UnknownFormat as exc:
        raise UnknownFormat(f"{exc}; or give the format (format='svg'; --format on the command line)") from None


def _run_graphviz(dot_text: str, engine: str, fmt: str, timeout: float) -> bytes:
    """Lay out and draw ``dot_text`` with the Graphviz program ``engine``, within ``timeout`` seconds."""
    program = shutil.which(engine)
    if program is None:
        raise GraphvizNotFound(f"Graphviz program {engine!r} not found on PATH: {_INSTALL_HINT}")
    try:
        done = subprocess.run([program, f"-T{fmt}"], input=dot_text.encode("utf-8"),
                              capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:  # run() has killed the program
        raise RenderTimeout(f"Graphviz {engine} took longer than {timeout:g} s and was stopped; "
                            "draw a neighbourhood (kg.neighbors(ref, hops=1)), use engine='sfdp', "
                            "or pass a larger timeout=") from None
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
        raise RenderError(f"Graphviz {engine} failed: {message.splitlines()[0]}")
    return done.stdout


def _count(obj: Any, include_sources: bool) -> int:
    if _is_graph(obj):
        hidden = _hidden_kinds(obj.schema, include_sources)
        return sum(1 for n in obj.node_map.values() if n.kind not in hidden)
    paths = _paths_of(obj)
    return len(_union(paths)[0]) if paths is not None else 0


def render(obj: Any, destination: "str | FilePath | None" = None, *, format: str | None = None,  # noqa: A002
           engine: str = "auto", timeout: float = DEFAULT_TIMEOUT, highlight: Any = None,
           include_sources: bool = False, edge_labels: bool | None = None, legend: bool = True, wrap: int = 24,
           title: str | None = None) -> "bytes | str | None":
    """Draw a graph, sub-graph, path or list of paths to SVG, PNG, PDF or DOT, or a graph to HTML.

    HTML is the interactive explorer page (:mod:`sle_graph.draw.explore`). The format comes from
    ``format`` or the suffix of ``destination`` (``.svg``, ``.png``, ``.pdf``, ``.dot``/``.gv``,
    ``.html``); SVG when neither is given.

    Parameters
    ----------
    obj : KnowledgeGraph, Path or PathList
        What to draw.
    destination : str or path-like, optional
        The file to write; without it the diagram is returned.
    format : {"svg", "png", "pdf", "dot", "html"}, optional
        The output format, when the suffix does not say it.
    engine : str, default "auto"
        The Graphviz layout: ``"auto"`` uses ``dot`` up to :data:`DOT_LIMIT` drawn nodes,
        ``sfdp`` above, and refuses above :data:`MAX_NODES`.
    timeout : float, default 60.0
        Seconds Graphviz may run.
    highlight : Path, PathList or KnowledgeGraph, optional
        Drawn bold over the faded rest.
    include_sources : bool, default False
        Also draw source documents and studies.
    edge_labels : bool, optional
        Write predicate labels on edges; by default only where they fit (see :func:`to_dot`).
    legend : bool, default True
        Add a legend of the kinds and edge styles.
    wrap : int, default 24
        The width node labels wrap at, in characters.
    title : str, optional
        Written above the diagram.

    Returns
    -------
    bytes, str or None
        None when written to ``destination``; else text for SVG, DOT and HTML, bytes for PNG and
        PDF.

    Raises
    ------
    GraphvizNotFound
        When Graphviz is needed (SVG, PNG, PDF) and not installed.
    RenderTimeout
        When Graphviz runs longer than ``timeout``.
    UnknownFormat
        For a format or suffix that is none of the above.
    RenderError
        When Graphviz fails, or the drawing is too large.

    Examples
    --------
    >>> import sle_graph
    >>> kg = sle_graph.load()
    >>> '"node:msc"' in sle_graph.render(kg, format="dot")
    True
    >>> sle_graph.render(kg.neighbors("msc", hops=1)).startswith("<?xml")     # SVG text
    True
    """
    fmt = _format(destination, format)
    if fmt == "html":  # the interactive explorer: its own layout, so no engine
        from .explore import build_html

        page = build_html(obj, timeout=timeout, highlight=highlight, include_sources=include_sources,
                          title=title)[0]
        if destination is None:
            return page
        with atomic_write(destination, encoding="utf-8") as fh:
            fh.write(page)
        return None
    if engine not in ENGINES:
        raise InvalidArgument(f"unknown layout engine {engine!r}; engines: {', '.join(ENGINES)}")
    n = _count(obj, include_sources)
    if engine == "auto" and n > MAX_NODES:
        raise RenderError(f"{n} nodes are too many to draw legibly (limit {MAX_NODES}); draw a neighbourhood "
                          "(kg.neighbors(ref, hops=1)) or paths, or force a layout with engine='sfdp'")
    chosen = _engine_for(n, engine)
    text = to_dot(obj, engine=chosen, highlight=highlight, include_sources=include_sources, edge_labels=edge_labels,
                  legend=legend, wrap=wrap, title=title).to_string()
    result: bytes | str
    if fmt == "dot":
        result = text
    else:
        out = _run_graphviz(text, chosen, fmt, timeout)
        result = out.decode("utf-8") if fmt == "svg" else out
    if destination is None:
        return result
    if isinstance(result, str):
        with atomic_write(destination, encoding="utf-8") as fh:
            fh.write(result)
    else:
        with atomic_write(destination, "wb") as fh:
            fh.write(result)
    return None


# -- notebook display -----------------------------------------------------------------------------

def _inline_svg(svg: str) -> str:
    """SVG text without its XML prolog and doctype, for embedding in HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def _counts(obj: Any) -> tuple[Counter, Counter]:
    if _is_graph(obj):
        s = obj.stats()
        return Counter(s["by_kind"]), Counter(s["by_predicate"])
    nodes, edges = _union(_paths_of(obj) or [])
    return Counter(n.kind for n in nodes.values()), Counter(e.predicate for e in edges.values())


def summary_html(obj: Any, note: str | None = None) -> str:
    """An HTML table of counts by kind and by predicate, with a hint on drawing part of the graph.

    Shown in notebooks instead of a diagram when a graph is too large to lay out quickly.

    Parameters
    ----------
    obj : KnowledgeGraph or Path
        What would have been drawn.
    note : str, optional
        HTML said first: why no diagram is shown.

    Returns
    -------
    str
        An HTML fragment, a ``<div>``.

    Examples
    --------
    >>> import sle_graph
    >>> "<table" in summary_html(sle_graph.load())
    True
    """
    kinds, preds = _counts(obj)
    n_nodes, n_edges = sum(kinds.values()), sum(preds.values())
    hint = note or (f"Too large to draw inline ({n_nodes} nodes; the limit is {INLINE_LIMIT}). Draw a "
                    "neighbourhood instead, e.g. <code>kg.neighbors(\"msc\", hops=1)</code>, or paths "
                    "(<code>kg.paths(source, target)</code>), or write a file: "
                    "<code>kg.render(\"graph.svg\")</code>.")
    return (f"<div class='sle-graph-summary'><p><b>{html.escape(type(obj).__name__)}</b>: "
            f"{n_nodes} nodes, {n_edges} edges</p><p>{hint}</p>"
            f"{_count_tables(kinds, preds)}</div>")


def _count_tables(kinds: Counter, predicates: Counter) -> str:
    """Two tables side by side: the counts by kind, and by predicate."""
    def table(header: str, counts: Counter) -> str:
        rows = "".join(f"<tr><td>{html.escape(k)}</td><td style='text-align:right'>{v}</td></tr>"
                       for k, v in sorted(counts.items()))
        return (f"<table style='display:inline-table;margin-right:2em;vertical-align:top'>"
                f"<thead><tr><th>{header}</th><th>count</th></tr></thead><tbody>{rows}</tbody></table>")

    return table("kind", kinds) + table("predicate", predicates)


def _inline(obj: Any) -> tuple[str | None, str | None]:
    """(SVG, None) when ``obj`` draws quickly, else (None, the reason in HTML)."""
    n = _count(obj, False)
    if n > INLINE_LIMIT:
        return None, None
    try:
        svg = render(obj, format="svg", timeout=INLINE_TIMEOUT)
    except RenderError as exc:
        return None, html.escape(str(exc))
    assert isinstance(svg, str)
    return _inline_svg(svg), None


def repr_html(obj: Any) -> str:
    """HTML for notebook display: the SVG diagram fitted to the page, or an overview, or a summary.

    A graph above :data:`OVERVIEW_LIMIT` drawn nodes opens on its overview (:func:`overview_html`:
    its kinds and how they connect, its most connected nodes), whatever its size: Graphviz lays
    out its kinds, never its nodes, above :data:`INLINE_LIMIT`. Paths and small graphs are drawn;
    when Graphviz is missing or too slow, a table of counts says why.

    Parameters
    ----------
    obj : KnowledgeGraph or Path
        What to show.

    Returns
    -------
    str
        An HTML fragment, a ``<div>``; what ``_repr_html_`` returns.

    Examples
    --------
    >>> import sle_graph
    >>> repr_html(sle_graph.load()).startswith("<div")
    True
    """
    if _is_graph(obj) and _count(obj, False) > OVERVIEW_LIMIT:
        return overview_html(obj)
    svg, reason = _inline(obj)
    if svg is None:
        return summary_html(obj, note=reason)
    return f"<div class='sle-graph'>{_fit(svg)}</div>"


def _fit(svg: str) -> str:
    """Inline SVG that shrinks to the page's width (Graphviz gives a fixed size in points, which a
    notebook would clip or scroll), keeping its aspect ratio (the viewBox stays)."""
    return '<svg style="max-width:100%;height:auto"' + svg[len("<svg"):] if svg.startswith("<svg") else svg


@dataclass
class _Overview:
    """What an overview shows, counted in one pass over the graph (no drawing of its nodes)."""

    groups: Counter  # group -> nodes
    links: dict[tuple[str, str], Counter]  # (group, group) -> predicate -> edges
    degree: Counter  # node id -> edges
    nodes: int
    edges: int
    hidden: int
    labels: dict[str, str]  # group -> its name in the picture
    kinds: dict[str, str]  # group -> the kind whose colours it takes
    others: int = 0  # kinds folded into the box "other kinds"


_OTHER = "*other"


def _group(node: Node) -> str:
    """What a node counts as in the overview: its kind, or for an imported node (of the generic
    kind) the kind its source gave it (Hetionet's ``hetionet_kind``, KGX's ``category``)."""
    if node.kind != EXTERNAL_KIND:
        return node.kind
    original = node.attributes.get("hetionet_kind") or node.attributes.get("category", "").split("|")[0]
    return f"{EXTERNAL_KIND}:{original.removeprefix('biolink:')}" if original else node.kind


def _overview(kg: KnowledgeGraph) -> _Overview:
    hidden = _hidden_kinds(kg.schema, False)
    group = {i: _group(n) for i, n in kg.node_map.items() if n.kind not in hidden}
    groups = Counter(group.values())
    if len(groups) > OVERVIEW_KINDS:  # the most numerous keep a box; the rest share one
        kept = {g for g, _ in sorted(groups.items(), key=lambda item: (-item[1], item[0]))[:OVERVIEW_KINDS - 1]}
        group = {i: g if g in kept else _OTHER for i, g in group.items()}
    drawn = [(s, p, o) for (s, p, o) in kg.edge_map if s in group and o in group]
    degree = Counter(s for s, _, _ in drawn)
    degree.update(o for _, _, o in drawn)
    links: dict[tuple[str, str], Counter] = {}
    for (a, p, b), n in Counter((group[s], p, group[o]) for s, p, o in drawn).items():
        links.setdefault((a, b), Counter())[p] = n
    edges = len(drawn)
    del drawn
    counted = Counter(group.values())
    labels = {g: _group_label(g, kg.schema) for g in counted}
    kinds = {g: g.split(":", 1)[0] if g != _OTHER else EXTERNAL_KIND for g in counted}
    return _Overview(counted, links, degree, len(group), edges, len(kg.node_map) - len(group), labels, kinds,
                     len(groups) - len(counted) + 1 if _OTHER in counted else 0)


def _group_label(group: str, schema: "Schema") -> str:
    """A group's name in the overview: its kind's label, or ``Anatomical entity (imported)``."""
    if group == _OTHER:
        return "other kinds"
    if ":" in group:  # Biolink's CamelCase written as words: AnatomicalEntity -> Anatomical entity
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", group.split(":", 1)[1]).split()
        return " ".join(words[:1] + [w if w.isupper() else w.lower() for w in words[1:]]) + " (imported)"
    return schema.kinds[group].label if group in schema.kinds else group


def _counted(name: str, n: int, width: int = 18) -> str:
    """``name (n)``, the name wrapped at ``width`` and the count kept on its last line: the
    overview's ranks are as wide as their longest label, and a fitted picture's text as small as
    it is wide.

    >>> _counted("has research direction", 8), _counted("Gene", 20945)
    ('has research\\ndirection (8)', 'Gene (20,945)')
    """
    return f"{_wrap(name, width)} ({n:,})"


def kinds_dot(kg: KnowledgeGraph) -> "pydot.Dot":
    """The graph in brief: one box per kind drawn, with its count, and arrows between kinds.

    One arrow joins two kinds that edges join, naming the predicates (the
    :data:`OVERVIEW_PREDICATES` most frequent, the rest counted) with their counts, thicker for
    more edges, in the diagram's colours.

    Imported nodes (of the generic kind ``ExternalEntity``) count as the kind their source gave
    them (``Gene (imported)``); beyond :data:`OVERVIEW_KINDS` kinds, the least numerous share a
    box, "other kinds".

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph; its nodes are counted, never drawn.

    Returns
    -------
    pydot.Dot
        The drawing, for Graphviz's ``dot``.

    Examples
    --------
    >>> import sle_graph
    >>> dot = kinds_dot(sle_graph.load())
    >>> any("acts through" in e.get("label") for e in dot.get_edges())
    True
    """
    return _kinds_dot(_overview(kg), kg.schema)


def _kinds_dot(view: _Overview, schema: "Schema") -> "pydot.Dot":
    import math

    import pydot

    names = {g: f"k{i}" for i, g in enumerate(sorted(view.groups))}
    dot = pydot.Dot("kinds", graph_type="digraph", strict=False)
    for k, v in {"rankdir": "LR", "fontname": _q(_FONT), "bgcolor": "white", "pad": "0.2", "nodesep": "0.25",
                 "ranksep": "0.3"}.items():
        dot.set(k, v)
    dot.set_node_defaults(fontname=_q(_FONT), fontsize="14", margin=_q("0.1,0.05"))
    dot.set_edge_defaults(fontname=_q(_FONT), fontsize="12", color=_q(_EDGE_COLOUR), fontcolor=_q(_EDGE_COLOUR),
                          arrowsize="0.7")
    for g, name in names.items():
        st = style_for(view.kinds[g], schema)
        what = f"{view.others} kinds with fewer nodes" if g == _OTHER else f"nodes of kind {g}"
        dot.add_node(pydot.Node(name, id=_q(f"kind:{g}"), label=_q(_counted(view.labels[g], view.groups[g])),
                                shape=st.shape, style=_q(",".join(["filled", *st.style])),
                                fillcolor=_q(st.fill), color=_q(st.border),
                                tooltip=_tip(f"{view.groups[g]:,} {what}")))
    widest = max((sum(c.values()) for c in view.links.values()), default=1)
    for (a, b), predicates in sorted(view.links.items()):
        ranked = sorted(predicates.items(), key=lambda item: (-item[1], item[0]))
        lines = [_counted(_predicate_label(schema, p), n) for p, n in ranked[:OVERVIEW_PREDICATES]]
        rest = ranked[OVERVIEW_PREDICATES:]
        if rest:
            lines.append(f"+ {len(rest)} more ({sum(n for _, n in rest):,})")
        total = sum(predicates.values())
        # thickness by the log of the count, so that 5 and 5,000 edges still differ
        width = 1 + 3 * math.log1p(total) / math.log1p(widest)
        dot.add_edge(pydot.Edge(names[a], names[b], id=_q(f"link:{a}|{b}"), label=_q("\n".join(lines)),
                                penwidth=f"{width:.2f}",
                                tooltip=_tip("; ".join(f"{_predicate_label(schema, p)}: {n:,}" for p, n in ranked))))
    return dot


def overview_html(kg: KnowledgeGraph, timeout: float = INLINE_TIMEOUT) -> str:
    """A graph at a glance, for notebooks: its counts, its kinds and how they connect, its hubs.

    The page holds a drawing of the kinds (:func:`kinds_dot`), the most connected nodes, and the
    full drawing folded under them (opened on request, scaled to the page's width) when the
    graph has at most :data:`INLINE_LIMIT` drawn nodes; a larger graph says how to draw it or a
    part instead. When Graphviz is missing or too slow, the counts come as tables.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    timeout : float, default INLINE_TIMEOUT
        Seconds Graphviz may take for each drawing (20).

    Returns
    -------
    str
        An HTML fragment.

    Examples
    --------
    >>> import sle_graph
    >>> page = overview_html(sle_graph.load())
    >>> "<details" in page and "most connected" in page
    True
    """
    view = _overview(kg)
    top = sorted(view.degree.items(), key=lambda item: (-item[1], item[0]))[:OVERVIEW_TOP]
    rows = "".join(
        f"<tr><td style='text-align:left'>{html.escape(kg.node_map[i].label)}</td>"
        f"<td style='text-align:left'>{html.escape(_group_label(_group(kg.node_map[i]), kg.schema))}</td>"
        f"<td style='text-align:right'>{n:,}</td></tr>" for i, n in top)
    try:
        kinds_svg = _fit(_inline_svg(_run_graphviz(_kinds_dot(view, kg.schema).to_string(), "dot", "svg",
                                                    timeout).decode("utf-8")))
    except RenderError as exc:  # (Graphviz missing or too slow) the same counts, as tables
        kinds_svg = f"<p>{html.escape(str(exc))}</p>" + _count_tables(*_counts(kg))
    hidden = f" ({view.hidden:,} sources and studies not drawn)" if view.hidden else ""
    head = (f"<div class='sle-graph-overview'>"
            f"<p><b>{html.escape(type(kg).__name__)}</b>: {view.nodes:,} nodes, {view.edges:,} edges"
            f"{hidden}. The kinds of node and how they connect, with counts:</p>{kinds_svg}"
            f"<p>The {len(top)} most connected nodes:</p>"
            f"<table><thead><tr><th style='text-align:left'>node</th><th style='text-align:left'>kind</th>"
            f"<th style='text-align:right'>edges</th></tr></thead><tbody>{rows}</tbody></table>")
    if view.nodes > INLINE_LIMIT:
        whole = ("<code>kg.render(\"graph.svg\")</code> writes the whole graph to a file, " if view.nodes <= MAX_NODES
                 else "")
        return (head + f"<p>Too many nodes to draw here ({view.nodes:,}; the limit is {INLINE_LIMIT}): {whole}"
                "<code>kg.neighbors(node, hops=1)</code> draws a node's neighbourhood, "
                "<code>kg.paths(source, target)</code> the paths between two, and "
                "<code>kg.explore()</code> a part to search and filter.</p></div>")
    full, reason = _inline(kg)
    drawing = _fit(full) if full is not None else f"<p>{reason or 'too large to draw inline'}</p>"
    return (head + f"<details><summary>The full drawing ({view.nodes} nodes, fitted to the page; "
            f"<code>kg.render(\"graph.svg\")</code> writes it at full size, "
            f"<code>kg.neighbors(node)</code> draws a part)</summary>{drawing}</details></div>")


def repr_svg(obj: Any) -> str | None:
    """SVG for notebook display (``_repr_svg_``), or None when the diagram is too large or cannot be drawn.

    On None the notebook shows the next representation, e.g. the HTML summary.

    Parameters
    ----------
    obj : KnowledgeGraph or Path
        What to draw.

    Returns
    -------
    str or None
        The SVG, scaled to the page's width, or None.

    Examples
    --------
    >>> import sle_graph
    >>> repr_svg(sle_graph.load()).startswith("<svg")
    True
    """
    svg = _inline(obj)[0]
    if svg is None or not svg.startswith("<svg"):
        return svg
    # Graphviz gives a fixed size in points; a wide path would be cut at the page's edge (e.g. in
    # nbconvert's HTML). Shrink to the page instead, keeping the aspect ratio (the viewBox stays).
    return '<svg style="max-width:100%;height:auto"' + svg[len("<svg"):]


# -- ``sle_graph.render`` is both this module and its ``render`` function -----------------------------
# The package exports the function lazily as ``sle_graph.render``; importing this module (which
# KnowledgeGraph.render does) makes Python set the same attribute to the module. Making the module
# callable keeps ``sle_graph.render(paths, "out.svg")`` working whichever came first.

class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> "bytes | str | None":
        return render(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
