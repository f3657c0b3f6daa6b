"""The clinical evidence table: one row per study, read into the attributes of ``Study`` nodes.

The table (``data/studies.tsv``, a verbatim copy of ``shared/reference/clinical_evidence.tsv``)
has the columns of :data:`STUDY_COLUMNS`. Each row gives a Study node its
``Node.attributes``, keyed by the column names. The node's label and definition come from an
entities table (the curated ones are in ``data/study_entities.tsv``); a row with no such entity
gets a plain node labelled with its id.

What is kept, exactly:

- every field verbatim, except
- **not read**: a field that is ``NR`` or starts with ``NR `` (``NR (see md)``, ``NR in
  abstract``) is left out. Nothing is filled in.
- **identifiers** (``pmid``, ``doi``, ``trial_registry_id``) hold a bare identifier or nothing.
  ``NA``/``NA (registry)`` (not applicable) are left out. An identifier followed by a remark in
  parentheses, ``NCT03562065 (from project page; verify)``, keeps the bare identifier and moves
  the remark, verbatim, to ``<column>_note`` (here ``trial_registry_id_note``). Anything else in
  an identifier column is an error.

Example
-------
>>> import sle_graph
>>> deng = sle_graph.load().node("deng2017_rct")
>>> deng.attributes["trial_registry_id"], deng.attributes["design"].startswith("randomised")
('NCT01539902', True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Mapping

from ..errors import Problem
from .grading import DESIGN_RULES, design_grade
from ..model import Node
from .records import NodeRecord, Where
from .tables import Row, read_table

__all__ = ["STUDY_COLUMNS", "IDENTIFIER_PATTERNS", "StudyRecord", "study_attributes", "read_studies",
           "attach_studies", "is_not_read"]

#: The columns of a studies table; ``study_id`` and ``design`` are required, the others optional.
#:
#: Examples
#: --------
#: >>> from sle_graph.build.studies import STUDY_COLUMNS
#: >>> STUDY_COLUMNS[:4]
#: ('study_id', 'therapy', 'cell_source', 'design')
STUDY_COLUMNS = ("study_id", "therapy", "cell_source", "design", "n_patients", "population", "follow_up",
                 "outcome_measure", "result", "adverse_events_or_mortality", "pmid", "doi",
                 "trial_registry_id", "source_read", "confidence")
_REQUIRED = ("study_id", "design")

#: What a value of each identifier column must look like (the whole value, or before `` (remark)``).
#:
#: Examples
#: --------
#: >>> from sle_graph.build.studies import IDENTIFIER_PATTERNS
#: >>> bool(IDENTIFIER_PATTERNS["trial_registry_id"].fullmatch("NCT01539902"))
#: True
#: >>> bool(IDENTIFIER_PATTERNS["pmid"].fullmatch("see the article"))
#: False
IDENTIFIER_PATTERNS = {
    "pmid": re.compile(r"[1-9][0-9]{0,8}"),
    "doi": re.compile(r"10\.[0-9]{4,9}/\S+"),
    # ClinicalTrials.gov (NCT + 8 digits) or another registry's single token (ISRCTN..., ChiCTR-...).
    "trial_registry_id": re.compile(r"NCT[0-9]{8}|[A-Za-z]{2,}[-A-Za-z0-9]*[0-9][-A-Za-z0-9]*"),
}
_NOT_APPLICABLE = re.compile(r"NA(?:\s*\(.*\))?")
_WITH_REMARK = re.compile(r"(?P<id>\S+)\s+\((?P<note>.*)\)")
_NOT_READ = re.compile(r"NR(?:\s.*)?", re.DOTALL)


def is_not_read(value: str) -> bool:
    """True for ``NR`` and ``NR <remark>``: a field the table's author did not read.

    Parameters
    ----------
    value : str
        A field of the studies table.

    Returns
    -------
    bool
        Whether the field says "not read" (white space around it ignored).

    Examples
    --------
    >>> is_not_read("NR (see md)"), is_not_read("15 eligible studies (patient total NR)")
    (True, False)
    """
    return bool(_NOT_READ.fullmatch(value.strip()))


@dataclass(frozen=True)
class StudyRecord:
    """One row of a studies table: the study id, its attributes, and where the row is.

    Parameters
    ----------
    id : str
        The study id (column ``study_id``), the id of its Study node.
    attributes : mapping of str to str
        The row's fields as Node attributes (see :func:`study_attributes`).
    where : Where
        The file and line of the row, for error messages.

    Examples
    --------
    >>> from sle_graph.build.records import Where
    >>> r = StudyRecord("s1", {"design": "case series"}, Where("studies.tsv", 2))
    >>> r.id, r.where.line
    ('s1', 2)
    """

    id: str
    attributes: Mapping[str, str]
    where: Where


def study_attributes(row: Mapping[str, str], where: Where, problems: list[Problem]) -> dict[str, str]:
    """A table row to Node attributes by the rules of this module.

    Fields not read and empty ones are left out; identifiers keep the bare identifier and their
    remark goes to ``<column>_note``.

    Parameters
    ----------
    row : mapping of str to str
        Column -> field of one row.
    where : Where
        The row's file and line, given to each problem.
    problems : list of Problem
        Where each problem of the row is appended: an identifier column holding no identifier, a
        design no rule of :data:`~sle_graph.build.grading.DESIGN_RULES` matches.

    Returns
    -------
    dict of str to str
        The attributes of the row's Study node (``study_id`` is not among them).

    Examples
    --------
    >>> from sle_graph.build.records import Where
    >>> problems = []
    >>> study_attributes({"study_id": "s1", "design": "case series", "pmid": "NR",
    ...                   "trial_registry_id": "NCT03562065 (verify)"}, Where("s.tsv", 2), problems)
    {'design': 'case series', 'trial_registry_id': 'NCT03562065', 'trial_registry_id_note': 'verify'}
    >>> study_attributes({"study_id": "s2", "pmid": "soon"}, Where("s.tsv", 3), problems)
    {}
    >>> problems[0].line, problems[0].message
    (3, "pmid 'soon' is not an identifier")
    """
    attrs: dict[str, str] = {}
    for column, value in row.items():
        value = value.strip()
        if column == "study_id" or not value or is_not_read(value):
            continue
        pattern = IDENTIFIER_PATTERNS.get(column)
        if pattern is None:
            attrs[column] = value
            continue
        if _NOT_APPLICABLE.fullmatch(value):
            continue
        remark = _WITH_REMARK.fullmatch(value)
        ident, note = (remark["id"], remark["note"]) if remark else (value, None)
        if not pattern.fullmatch(ident):
            problems.append(where.problem(
                f"{column} {value!r} is not an identifier", column=column,
                suggestion="write the bare identifier, 'NR' when not read, or 'NA' when not applicable"))
            continue
        attrs[column] = ident
        if note:
            attrs[f"{column}_note"] = note
    if row.get("design", "").strip() and design_grade(row["design"]) is None:
        problems.append(where.problem(
            f"design {row['design']!r} matches no design rule, so the study cannot be graded",
            column="design", suggestion="name the design with one of: "
            + "; ".join(p for p, _, _ in DESIGN_RULES)))
    return attrs


def _records(rows: Iterable[Row], problems: list[Problem]) -> list[StudyRecord]:
    out = []
    for row in rows:
        where = Where(row.file, row.line)
        out.append(StudyRecord(row["study_id"], study_attributes(row, where, problems), where))
    return out


def read_studies(path: str | Path, problems: list[Problem], name: str | None = None) -> list[StudyRecord]:
    """Read a studies table (columns :data:`STUDY_COLUMNS`), adding its problems to ``problems``.

    Parameters
    ----------
    path : str or pathlib.Path
        The table, a TSV file with a header row.
    problems : list of Problem
        Where the problems of the table are appended (a missing required column, a field that
        breaks the rules of :func:`study_attributes`); nothing is raised.
    name : str, optional
        The name the problems give the file; the path when not given.

    Returns
    -------
    list of StudyRecord
        One record per row, in file order.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "studies.tsv"
    >>> _ = path.write_text("study_id\\tdesign\\tn_patients\\ns1\\tcase series\\tNR\\n")
    >>> problems = []
    >>> [(r.id, dict(r.attributes)) for r in read_studies(path, problems)], problems
    ([('s1', {'design': 'case series'})], [])
    """
    table = read_table(path, required=_REQUIRED,
                       optional=[c for c in STUDY_COLUMNS if c not in _REQUIRED], name=name)
    problems.extend(table.problems)
    return _records(table.rows, problems)


def attach_studies(node_records: list[NodeRecord], studies: Iterable[StudyRecord],
                   problems: list[Problem]) -> list[NodeRecord]:
    """``node_records`` with each study's attributes on its Study node (one made when absent).

    Parameters
    ----------
    node_records : list of NodeRecord
        The records of the entity tables.
    studies : iterable of StudyRecord
        The rows of the studies tables.
    problems : list of Problem
        Where problems are appended: a study id twice in the tables, a study id that names a node
        of another kind, and a Study node of the entity tables that no row of the studies tables
        describes.

    Returns
    -------
    list of NodeRecord
        The node records, Study nodes with their attributes, then a new Study node (labelled with
        its id) for each study no entity names.

    Examples
    --------
    >>> from sle_graph.build.records import Where
    >>> problems = []
    >>> out = attach_studies([], [StudyRecord("s1", {"design": "case series"}, Where("s.tsv", 2))],
    ...                      problems)
    >>> out[0].node.kind, out[0].node.definition, problems
    ('Study', 'A case series.', [])
    """
    by_id: dict[str, StudyRecord] = {}
    for study in studies:
        if study.id in by_id:
            first = by_id[study.id].where
            problems.append(study.where.problem(f"duplicate study id {study.id!r}", column="study_id",
                                                suggestion=f"first given at {first.file}:{first.line}"))
            continue
        by_id[study.id] = study
    out: list[NodeRecord] = []
    for rec in node_records:
        study = by_id.get(rec.node.id)
        if study is not None and rec.node.kind != "Study":
            problems.append(study.where.problem(
                f"study id {study.id!r} names a {rec.node.kind} node, not a Study", column="study_id",
                suggestion=f"see {rec.where.file}:{rec.where.line}"))
        elif study is not None:
            rec = NodeRecord(replace(rec.node, attributes=dict(study.attributes)), rec.where)
        elif rec.node.kind == "Study":
            problems.append(rec.where.problem(
                f"Study node {rec.node.id!r} has no row in the studies table", column="id",
                suggestion="add its row to the studies table or check the id"))
        out.append(rec)
    ids = {r.node.id for r in node_records}
    for study in by_id.values():
        if study.id not in ids:
            node = Node(study.id, "Study", study.id, definition=_definition(study.attributes),
                        attributes=dict(study.attributes))
            out.append(NodeRecord(node, study.where))
    return out


def _definition(attrs: Mapping[str, str]) -> str:
    parts = [attrs.get("design", "study"), f"of {attrs['therapy']}" if "therapy" in attrs else "",
             f"in {attrs['population']}" if "population" in attrs else ""]
    return "A " + " ".join(p for p in parts if p) + "."
