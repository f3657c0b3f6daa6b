"""The style table (``data/style.tsv``): every ontology kind has a style, each looks different, text reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from sle_graph.errors import ValidationError
from sle_graph.ontology import schema
from sle_graph.draw.style import FALLBACK_KIND, fade, read_styles, style_for, styles

HEADER = "kind\tfill\tborder\tshape\tstyle\tlayer\tgroup\tlegend\n"


def test_every_ontology_kind_resolves_to_its_own_or_an_ancestors_row() -> None:
    s = schema()
    for kind in s.kinds:
        st = style_for(kind, s)
        assert st.kind in s.ancestors(kind), kind
        assert kind == FALLBACK_KIND or st.kind != FALLBACK_KIND, f"{kind} has no style row of its own or an ancestor's"


def test_rows_name_ontology_kinds() -> None:
    assert set(styles()) <= set(schema().kinds)


def test_no_two_rows_look_alike() -> None:
    looks = [(st.fill, st.border, st.shape, st.style) for st in styles().values()]
    assert len(set(looks)) == len(looks)
    assert len({st.legend for st in styles().values()}) == len(styles())


def test_top_level_kinds_differ_in_shape_not_only_colour() -> None:
    s = schema()
    top = [st for st in styles().values() if st.kind != FALLBACK_KIND and s.kinds[st.kind].parent == FALLBACK_KIND]
    assert len(top) >= 10
    assert len({(st.shape, st.style) for st in top}) == len(top)


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_black_labels_are_readable_on_every_fill_faded_or_not() -> None:
    for st in styles().values():
        assert (_luminance(st.fill) + 0.05) / 0.05 >= 4.5, st.kind  # WCAG AA contrast against black text


def test_layers_follow_the_reading_order() -> None:
    layer = {k: style_for(k).layer for k in ("Therapy", "StemCell", "Mechanism", "Outcome", "Disease")}
    assert layer["Therapy"] < layer["StemCell"] < layer["Mechanism"] < layer["Outcome"] < layer["Disease"]


def test_unknown_kinds_fall_back() -> None:
    assert style_for("Gene").kind == FALLBACK_KIND  # a foreign graph's kind


def test_fade() -> None:
    assert fade("#123456", 0) == "#123456"
    assert fade("#123456", 1) == "#FFFFFF"
    assert fade("#000000", 0.5) == "#808080"


def test_malformed_table_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "style.tsv"
    path.write_text(HEADER + "Entity\t#FFFFFF\t#777777\tbox\t\t0\t\tOther\n"
                    "Therapy\tblue\t#004488\trecord\tdashed\tx\t\tTherapy\n"
                    "Entity\t#FFFFFF\t#777777\tbox\t\t0\t\tOther\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_styles(path)
    text = str(info.value)
    for expected in ("style.tsv:3 (fill): colour 'blue'", "style.tsv:3 (shape)", "style.tsv:3 (style): unknown style dashed",
                     "style.tsv:3 (layer)", "style.tsv:4 (kind): kind Entity has two rows"):
        assert expected in text
    path.write_text(HEADER + "Therapy\t#77AADD\t#004488\tbox\trounded\t0\t\tTherapy\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="no row for the fallback kind Entity"):
        read_styles(path)
