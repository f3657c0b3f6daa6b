"""The visual grammar of diagrams: one colour and shape per node kind, read from ``data/style.tsv``.

The style table is data a curator can edit without reading Python: one row per kind with its fill
and border colour (Paul Tol's colour-blind-safe "light" scheme, and a distinct shape per kind so
colour is never the only cue), a ``layer`` (its column in the left-to-right reading therapy ->
cell -> mechanism -> outcome), an optional ``group`` (kinds drawn together in a box beside the
main flow: procedure steps, open questions, the disease and its manifestations) and the ``legend``
text. A sub-kind without a row of its own takes its nearest ancestor's; a kind the ontology does
not know (from a foreign graph) takes the ``Entity`` row.

Example
-------
>>> from sle_graph.draw.style import style_for
>>> s = style_for("StemCell")
>>> s.shape, s.legend
('ellipse', 'Stem cell')
>>> style_for("NoSuchKind").kind
'Entity'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .._resources import data_file
from ..build.tables import read_table
from ..errors import Problem, ValidationError
from ..ontology import schema as default_schema

if TYPE_CHECKING:  # pragma: no cover
    from ..ontology import Schema

__all__ = ["Style", "styles", "read_styles", "style_for", "fade", "FALLBACK_KIND"]

#: The row every unknown kind falls back to.
#:
#: Examples
#: --------
#: >>> from sle_graph.draw.style import FALLBACK_KIND, style_for
#: >>> style_for("NoSuchKind").kind == FALLBACK_KIND
#: True
FALLBACK_KIND = "Entity"

_COLUMNS = ("kind", "fill", "border", "shape", "style", "layer", "group", "legend")
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
# Graphviz node shapes that hold a text label well (no record shapes: they parse | and {}).
_SHAPES = frozenset({
    "box", "rect", "rectangle", "square", "ellipse", "oval", "circle", "hexagon", "octagon",
    "doubleoctagon", "tripleoctagon", "note", "tab", "folder", "box3d", "component", "cds",
    "house", "invhouse", "parallelogram", "trapezium", "invtrapezium", "pentagon", "septagon",
    "egg", "cylinder", "plaintext", "plain", "underline",
})
# Node styles; not dashed or dotted: a dashed line means contested evidence.
_STYLES = frozenset({"rounded", "diagonals", "bold", "solid"})


@dataclass(frozen=True)
class Style:
    """How nodes of one kind are drawn (a row of ``style.tsv``).

    Parameters
    ----------
    kind : str
        The node kind the row is for.
    fill : str
        The fill colour, ``#RRGGBB`` in capitals.
    border : str
        The border colour, ``#RRGGBB`` in capitals.
    shape : str
        A Graphviz node shape (``box``, ``ellipse``, ...).
    style : tuple of str
        Graphviz node styles (``rounded``, ``bold``, ...); empty for none.
    layer : int
        The kind's column in the left-to-right reading of a diagram, 0 first.
    group : str
        The box beside the main flow the kind is drawn in; empty for none.
    legend : str
        The kind's text in the legend.

    Examples
    --------
    >>> s = Style("Thing", "#FFFFFF", "#000000", "box", ("rounded",), 0, "", "A thing")
    >>> s.shape, s.style
    ('box', ('rounded',))
    """

    kind: str
    fill: str
    border: str
    shape: str
    style: tuple[str, ...]
    layer: int
    group: str
    legend: str


@functools.lru_cache(maxsize=None)
def styles() -> dict[str, Style]:
    """The rows of the shipped ``data/style.tsv`` by kind, in table order (the legend's order).

    Read once and cached.

    Returns
    -------
    dict of str to Style
        Kind -> its style; the fallback kind :data:`FALLBACK_KIND` is among them.

    Raises
    ------
    ValidationError
        When the shipped table is malformed (see :func:`read_styles`).

    Examples
    --------
    >>> table = styles()
    >>> table["StemCell"].legend, FALLBACK_KIND in table
    ('Stem cell', True)
    """
    return read_styles(data_file("style.tsv"))


def read_styles(path: "str | Path") -> dict[str, Style]:
    """Read a style table (a TSV file of the columns of :class:`Style`).

    Parameters
    ----------
    path : str or pathlib.Path
        The table: columns kind, fill, border, shape, style, layer, group, legend, one row per
        kind, one of them for :data:`FALLBACK_KIND`.

    Returns
    -------
    dict of str to Style
        Kind -> its style, in table order.

    Raises
    ------
    ValidationError
        When the table is malformed: a missing column, a kind with two rows, a colour not
        ``#RRGGBB``, an unknown shape or style, a layer not a whole number, no fallback row.
        Each problem names file, line and column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "style.tsv"
    >>> _ = path.write_text("kind\\tfill\\tborder\\tshape\\tstyle\\tlayer\\tgroup\\tlegend\\n"
    ...                     "Entity\\t#dddddd\\t#333333\\tbox\\t\\t0\\t\\t\\n")
    >>> read_styles(path)["Entity"].fill
    '#DDDDDD'
    >>> _ = path.write_text("kind\\tfill\\tborder\\tshape\\tstyle\\tlayer\\tgroup\\tlegend\\n"
    ...                     "Entity\\tgrey\\t#333333\\tbox\\t\\t0\\t\\t\\n")
    >>> read_styles(path)
    Traceback (most recent call last):
    ...
    sle_graph.errors.ValidationError: ...colour 'grey' is not #RRGGBB...
    """
    table = read_table(path, required=_COLUMNS)
    problems = list(table.problems)
    out: dict[str, Style] = {}
    seen: set[str] = set()
    for row in table.rows:
        if row["kind"] in seen:
            problems.append(row.where("kind", f"kind {row['kind']} has two rows"))
        seen.add(row["kind"])
        for col in ("fill", "border"):
            if not _COLOUR.fullmatch(row[col]):
                problems.append(row.where(col, f"colour {row[col]!r} is not #RRGGBB"))
        if row["shape"] not in _SHAPES:
            problems.append(row.where("shape", f"unknown or unsuitable shape {row['shape']!r}",
                                      suggestion=f"one of {', '.join(sorted(_SHAPES))}"))
        extra = [s for s in row["style"].split(",") if s and s not in _STYLES]
        if extra:
            problems.append(row.where("style", f"unknown style {', '.join(extra)}",
                                      suggestion=f"one of {', '.join(sorted(_STYLES))}"))
        if not (row["layer"].isascii() and row["layer"].isdigit()):
            problems.append(row.where("layer", f"layer {row['layer']!r} is not a whole number >= 0"))
        if problems:
            continue
        out[row["kind"]] = Style(row["kind"], row["fill"].upper(), row["border"].upper(), row["shape"],
                                 tuple(s for s in row["style"].split(",") if s), int(row["layer"]),
                                 row["group"], row["legend"] or row["kind"])
    if FALLBACK_KIND not in out and not problems:
        problems.append(Problem(f"no row for the fallback kind {FALLBACK_KIND}", file=str(path)))
    if problems:
        raise ValidationError(problems)
    return out


def style_for(kind: str, schema: "Schema | None" = None) -> Style:
    """The style of ``kind``: its own row, else its nearest ancestor's, else the fallback row.

    Parameters
    ----------
    kind : str
        A node kind, of the ontology or not.
    schema : Schema, optional
        Where the kind's ancestors are looked up; the shipped ontology when not given.

    Returns
    -------
    Style
        The row the kind is drawn with.

    Examples
    --------
    >>> style_for("ImmuneCell").fill != style_for("StemCell").fill
    True
    """
    table = styles()
    if kind in table:
        return table[kind]
    if schema is None:
        schema = default_schema()
    if kind in schema.kinds:
        for ancestor in schema.ancestors(kind):
            if ancestor in table:
                return table[ancestor]
    return table[FALLBACK_KIND]


def fade(colour: str, amount: float = 0.75) -> str:
    """``colour`` mixed with white: ``amount`` 0 keeps it, 1 gives white.

    Parameters
    ----------
    colour : str
        A colour, ``#RRGGBB``.
    amount : float, default 0.75
        How much white, from 0 to 1.

    Returns
    -------
    str
        The mixed colour, ``#RRGGBB`` in capitals.

    Examples
    --------
    >>> fade("#000000", 0.5)
    '#808080'
    """
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02X}" for c in rgb)
