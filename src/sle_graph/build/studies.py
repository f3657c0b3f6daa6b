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

STUDY_COLUMNS = ("study_id", "therapy", "cell_source", "design", "n_patients", "population", "follow_up",
                 "outcome_measure", "result", "adverse_events_or_mortality", "pmid", "doi",
                 "trial_registry_id", "source_read", "confidence")
_REQUIRED = ("study_id", "design")

#: What a value of each identifier column must look like (the whole value, or before `` (remark)``).
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

    >>> is_not_read("NR (see md)"), is_not_read("15 eligible studies (patient total NR)")
    (True, False)
    """
    return bool(_NOT_READ.fullmatch(value.strip()))


@dataclass(frozen=True)
class StudyRecord:
    """One row of a studies table: the study id, its attributes, and where the row is."""

    id: str
    attributes: Mapping[str, str]
    where: Where


def study_attributes(row: Mapping[str, str], where: Where, problems: list[Problem]) -> dict[str, str]:
    """A table row to Node attributes by the rules of this module (problems appended)."""
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
    """Read a studies table (columns :data:`STUDY_COLUMNS`), adding its problems to ``problems``."""
    table = read_table(path, required=_REQUIRED,
                       optional=[c for c in STUDY_COLUMNS if c not in _REQUIRED], name=name)
    problems.extend(table.problems)
    return _records(table.rows, problems)


def attach_studies(node_records: list[NodeRecord], studies: Iterable[StudyRecord],
                   problems: list[Problem]) -> list[NodeRecord]:
    """``node_records`` with each study's attributes on its Study node (one made when absent).

    Problems: a study id twice in the tables, a study id that names a node of another kind, and a
    Study node of the entity tables that no row of the studies tables describes.
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
