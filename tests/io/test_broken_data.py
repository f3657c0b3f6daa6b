"""Broken data fails with the file, the line and what was expected; nothing half-loads."""

from __future__ import annotations

import shutil

import pytest

from sle_graph import ValidationError, load_files
from sle_graph._resources import data_file


@pytest.fixture()
def copies(tmp_path):
    ent = tmp_path / "entities.tsv"
    asr = tmp_path / "assertions.tsv"
    shutil.copy(data_file("entities.tsv"), ent)
    shutil.copy(data_file("assertions.tsv"), asr)
    return ent, asr


def _edit(path, line_no, column, value):
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    fields = lines[line_no - 1].split("\t")
    fields[header.index(column)] = value
    lines[line_no - 1] = "\t".join(fields)
    path.write_text("\n".join(lines), encoding="utf-8")


def _fails(ent, asr, *expected, sources=None):
    with pytest.raises(ValidationError) as err:
        load_files([ent], [asr], sources=sources)
    text = str(err.value)
    for piece in expected:
        assert piece in text, text
    return err.value


def test_copies_load_cleanly(copies):
    ent, asr = copies
    assert len(load_files([ent], [asr]).edges()) > 0


def test_unknown_kind(copies):
    ent, asr = copies
    _edit(ent, 4, "kind", "Mechansim")
    err = _fails(ent, asr, "entities.tsv:4", "unknown kind 'Mechansim'", "did you mean 'Mechanism'")
    # Reported once, on the node: not again as a domain/range problem on each of its edges.
    node_id = ent.read_text(encoding="utf-8").split("\n")[3].split("\t")[0]
    assert any(node_id in line.split("\t")[:3] for line in asr.read_text(encoding="utf-8").split("\n")), node_id
    assert [str(p) for p in err.problems if "expects" in str(p)] == []
    assert len(err.problems) == 1


def test_unknown_predicate(copies):
    ent, asr = copies
    _edit(asr, 3, "predicate", "acts_thru")
    _fails(asr.parent / "entities.tsv", asr, "assertions.tsv:3", "unknown predicate 'acts_thru'",
           "did you mean 'acts_through'")


def test_dangling_object(copies):
    ent, asr = copies
    _edit(asr, 5, "object", "no_such_node")
    _fails(ent, asr, "assertions.tsv:5", "dangling reference", "'no_such_node'")


def test_quote_not_found(copies, sources):
    ent, asr = copies
    _edit(asr, 2, "quote", "x" * len(asr.read_text().split("\n")[1].split("\t")[6]))
    _fails(ent, asr, "assertions.tsv:2", "quote not found", sources=sources)


def test_quote_moved(copies, sources):
    ent, asr = copies
    fields = asr.read_text().split("\n")[1].split("\t")
    start, end = int(fields[4]), int(fields[5])
    _edit(asr, 2, "start", str(start + 1))
    _edit(asr, 2, "end", str(end + 1))
    err = _fails(ent, asr, "assertions.tsv:2", f"it is at start={start}", sources=sources)
    assert len(err.problems) == 1


def test_duplicate_id(copies):
    ent, asr = copies
    lines = ent.read_text(encoding="utf-8").rstrip("\n").split("\n")
    ent.write_text("\n".join(lines + [lines[2]]) + "\n", encoding="utf-8")
    _fails(ent, asr, f"entities.tsv:{len(lines) + 1}", "duplicate id", "first defined at")


def test_domain_violation(copies):
    ent, asr = copies
    # point an acts_through edge (range: Mechanism) at its own subject, a cell or therapy
    lines = asr.read_text(encoding="utf-8").split("\n")
    row = next(i for i, line in enumerate(lines) if "\tacts_through\t" in line)
    f = lines[row].split("\t")
    f[2] = f[0]
    lines[row] = "\t".join(f)
    asr.write_text("\n".join(lines), encoding="utf-8")
    _fails(ent, asr, f"assertions.tsv:{row + 1}", "acts_through expects Cell or Therapy -> Mechanism")


def test_all_problems_reported_together(copies):
    ent, asr = copies
    _edit(ent, 4, "kind", "Mechansim")
    _edit(asr, 3, "predicate", "acts_thru")
    err = _fails(ent, asr, "entities.tsv:4", "assertions.tsv:3")
    assert len(err.problems) >= 2
