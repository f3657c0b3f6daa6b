"""Character offsets in tables: only ASCII whole numbers are offsets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sle_graph.build.records import assertions_from_rows
from sle_graph.build.tables import Row


def _rows(start: str) -> list[Row]:
    row = Row({"subject": "msc", "predicate": "acts_through", "object": "immunomodulation",
               "source": "breaking-ground", "quote": "MSCs", "start": start, "end": "14"})
    row.file, row.line = "assertions.tsv", 2
    return [row]


@pytest.mark.parametrize("start", ["¹", "١", "x", "-1", "1.5", " "])
def test_an_offset_that_is_not_an_ascii_whole_number_is_a_located_problem(start):
    problems: list = []
    records = assertions_from_rows(_rows(start), problems)
    assert [p.line for p in problems] == [2] and "start" in str(problems[0])
    assert records == [] or records[0].evidence.start is None


@given(st.integers(min_value=0, max_value=10**9))
def test_an_ascii_whole_number_is_read_as_it_is(start):
    problems: list = []
    records = assertions_from_rows(_rows(str(start)), problems)
    assert problems == [] and records[0].evidence.start == start
