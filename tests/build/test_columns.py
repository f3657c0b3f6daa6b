"""read_columns against TableStream: where the columnar reader reads a file at all, it reads the
rows the line reader reads, and it declines every file the line reader finds a problem in."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from sle_graph.build.columns import read_columns
from sle_graph.build.tables import TableStream

pytest.importorskip("pyarrow")

_FIELD = st.text(st.sampled_from(["a", "b", " ", "é", '"', "\r", "\x00", "\u2028", "|"]), max_size=4)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 3).flatmap(lambda width: st.lists(st.lists(_FIELD, min_size=width, max_size=width),
                                                         min_size=1, max_size=6)),
       st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_read_columns_reads_the_rows_table_stream_reads(tmp_path, rows, end, latin1):
    """Where read_columns reads a file at all, its rows are TableStream's; it declines any file
    where TableStream finds a problem."""
    path = tmp_path / "t.tsv"
    data = end.join("\t".join(r) for r in [["x", "y", "z"][:len(rows[0])]] + rows).encode("utf-8") + end.encode()
    path.write_bytes(data.replace("é".encode(), b"\xe9") if latin1 else data)
    table = read_columns(path)
    stream = TableStream(path, required=(), quoting=True)
    streamed = [dict(r) for r in stream]
    if table is None:
        return
    assert not stream.problems
    got = [{c: table.values[c][table.codes[c][i]] for c in table.columns} for i in range(len(table))]
    assert got == streamed
