"""Table rows to records: nodes and evidenced assertions, each remembering where it came from.

The column layout is documented in ``data/README.md``; curated data and users' TSV/CSV files share
it. Conversion problems (an offset that is not a number, say) are collected, not raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from ..model import Evidence, Node
from .tables import Row, read_table

__all__ = ["Where", "NodeRecord", "AssertionRecord", "ENTITY_COLUMNS", "ASSERTION_COLUMNS",
           "nodes_from_rows", "assertions_from_rows", "read_entities", "read_assertions", "split_list",
           "whole_number", "shown", "MAX_OFFSET_DIGITS", "NAME_WIDTH"]

ENTITY_COLUMNS = ("id", "kind", "label", "synonyms", "definition", "exact_mappings", "close_mappings")
ENTITY_REQUIRED = ("id", "kind", "label")
ASSERTION_COLUMNS = ("subject", "predicate", "object", "source", "start", "end", "quote")
ASSERTION_OPTIONAL = ("start", "end", "quote", "stance", "finding", "measure", "reference", "modality")
ASSERTION_REQUIRED = ("subject", "predicate", "object", "source")

LIST_SEPARATOR = "|"


@dataclass(frozen=True)
class Where:
    """The place a record came from, for error messages."""

    file: str | None = None
    line: int | None = None

    def problem(self, message: str, column: str | None = None, suggestion: str | None = None) -> Problem:
        return Problem(message, file=self.file, line=self.line, column=column, suggestion=suggestion)


@dataclass(frozen=True)
class NodeRecord:
    node: Node
    where: Where


@dataclass(frozen=True)
class AssertionRecord:
    subject: str
    predicate: str
    object: str
    evidence: Evidence
    where: Where


def split_list(text: str) -> tuple[str, ...]:
    """``"a | b"`` -> ``("a", "b")``; empty text -> ``()``."""
    return tuple(p.strip() for p in text.split(LIST_SEPARATOR) if p.strip())


def _where(row: Row) -> Where:
    return Where(row.file, row.line)


def nodes_from_rows(rows: list[Row]) -> list[NodeRecord]:
    """Entity rows to node records (checking against the schema happens in validation)."""
    out = []
    for row in rows:
        node = Node(
            id=row["id"], kind=row["kind"], label=row["label"],
            synonyms=split_list(row.get("synonyms", "")), definition=row.get("definition", ""),
            exact_mappings=split_list(row.get("exact_mappings", "")),
            close_mappings=split_list(row.get("close_mappings", "")),
        )
        out.append(NodeRecord(node, _where(row)))
    return out


#: Most digits of a character offset: 18 reach past any document (and stay far below the 4,300
#: digits past which Python's int() refuses a string).
MAX_OFFSET_DIGITS = 18


def whole_number(text: str) -> int | None:
    """The number ``text`` spells in ASCII digits (at most :data:`MAX_OFFSET_DIGITS` of them);
    ``None`` for anything else.

    >>> whole_number("1786"), whole_number("¹"), whole_number("-1"), whole_number("9" * 5000)
    (1786, None, None, None)
    """
    # str.isdigit takes "¹", which int() refuses
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_OFFSET_DIGITS:
        return None
    return int(text)


#: Characters of a file name shown in a message (past it, content was probably taken for a name).
NAME_WIDTH = 300


def shown(text: str, width: int = 40) -> str:
    """``repr(text)``, cut to about ``width`` characters for a message.

    >>> shown("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' (100 characters)"
    """
    return repr(text) if len(text) <= width else f"{text[:width]!r}"[:-1] + f"...' ({len(text):,} characters)"


def _offset(row: Row, column: str, problems: list[Problem]) -> int | None:
    text = row.get(column, "")
    if not text:
        return None
    number = whole_number(text)
    if number is None:
        problems.append(row.where(column, f"{column} must be a whole number of characters, got {shown(text)}"))
    return number


def assertions_from_rows(rows: list[Row], problems: list[Problem]) -> list[AssertionRecord]:
    """Assertion rows to records, one evidence record per row."""
    out = []
    for row in rows:
        evidence = Evidence(  # a reference alone is its own source
            source=row["source"] or row.get("reference", ""), quote=row.get("quote") or None,
            start=_offset(row, "start", problems), end=_offset(row, "end", problems),
            stance=row.get("stance") or "supports", finding=row.get("finding") or None,
            measure=row.get("measure") or None, reference=row.get("reference") or None,
            modality=row.get("modality") or None,
        )
        out.append(AssertionRecord(row["subject"], row["predicate"], row["object"], evidence, _where(row)))
    return out


def read_entities(path: str | Path, problems: list[Problem], name: str | None = None) -> list[NodeRecord]:
    """Read an entities table (layout in ``data/README.md``), adding its problems to ``problems``."""
    table = read_table(path, required=ENTITY_REQUIRED,
                       optional=[c for c in ENTITY_COLUMNS if c not in ENTITY_REQUIRED], name=name)
    problems.extend(table.problems)
    return nodes_from_rows(table.rows)


def read_assertions(path: str | Path, problems: list[Problem], name: str | None = None) -> list[AssertionRecord]:
    """Read an assertions table (layout in ``data/README.md``), adding its problems to ``problems``."""
    table = read_table(path, required=ASSERTION_REQUIRED, optional=ASSERTION_OPTIONAL, name=name)
    problems.extend(table.problems)
    return assertions_from_rows(table.rows, problems)
