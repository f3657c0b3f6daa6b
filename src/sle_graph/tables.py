"""Strict reading of delimited text tables (TSV, CSV) with file-and-line problems.

Used for the curated data and for users' own files. Each row comes back with its line number;
anything wrong (undecodable bytes, a byte-order mark, missing or extra columns, an empty file) is
a :class:`~sle_graph.errors.Problem`, never a bare exception.

Example
-------
>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "t.tsv")
>>> _ = open(path, "w").write("id\\tlabel\\nmsc\\tmesenchymal stem cell\\n")
>>> table = read_table(path, required=["id", "label"])
>>> table.rows[0].line, table.rows[0]["label"]
(2, 'mesenchymal stem cell')
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .errors import Problem, suggest

__all__ = ["Row", "Table", "read_table"]


class Row(dict):
    """A table row: a dict of column -> text, with the ``file`` and ``line`` it came from."""

    file: str
    line: int

    def where(self, column: str | None = None, message: str = "", suggestion: str | None = None) -> Problem:
        """A :class:`Problem` located at this row (and column)."""
        return Problem(message, file=self.file, line=self.line, column=column, suggestion=suggestion)


@dataclass
class Table:
    """Rows of a table and the problems met reading it."""

    file: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _decode(raw: bytes, name: str, problems: list[Problem]) -> str | None:
    if raw.startswith(codecs.BOM_UTF8):
        # A BOM is harmless; say nothing, drop it (spreadsheet programs write it).
        raw = raw[len(codecs.BOM_UTF8):]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.append(Problem("file is UTF-16; save it as UTF-8", file=name, line=1))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(
            f"bytes are not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})", file=name,
            line=line, suggestion="the file looks like Latin-1 or Windows-1252; save it as UTF-8"))
        return None


def read_table(
    source: str | Path | bytes,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    delimiter: str | None = None,
    name: str | None = None,
    quoting: bool | None = None,
) -> Table:
    """Read a delimited table strictly.

    ``source`` is a path or the raw bytes (then ``name`` names it in messages). The delimiter is a
    tab for ``.tsv``/``.tab`` files and a comma for ``.csv`` unless given. ``quoting`` (default: on
    for CSV, off for TSV) lets fields hold delimiters and newlines inside double quotes. Columns
    must include ``required``; columns neither required nor optional are reported as unknown.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = name or str(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return Table(name, [], problems=[Problem(f"cannot read file: {exc.strerror}", file=name)])
        suffix = path.suffix.lower()
    else:
        raw, name, suffix = source, name or "<data>", ""
    if delimiter is None:
        delimiter = "," if suffix == ".csv" else "\t"
    if quoting is None:
        quoting = delimiter == ","
    table = Table(name, [])
    text = _decode(raw, name, table.problems)
    if text is None:
        return table
    if not text.strip():
        table.problems.append(Problem("file is empty; expected a header line", file=name, line=1,
                                      suggestion="columns: " + ", ".join(required)))
        return table
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                        quoting=csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        table.problems.append(Problem(f"malformed header: {exc}", file=name, line=1))
        return table
    table.columns = header
    known = list(required) + list(optional)
    for col in header:
        if col not in known:
            table.problems.append(Problem(f"unknown column {col!r}", file=name, line=1,
                                          suggestion=suggest(col, known) or "columns: " + ", ".join(known)))
    missing = [c for c in required if c not in header]
    if missing:
        table.problems.append(Problem("missing column" + ("s " if len(missing) > 1 else " ")
                                      + ", ".join(repr(m) for m in missing), file=name, line=1,
                                      suggestion="the header must name: " + ", ".join(required)))
    if len(set(header)) != len(header):
        table.problems.append(Problem("a column name appears twice in the header", file=name, line=1))
    if table.problems:
        return table
    line = reader.line_num + 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            table.problems.append(Problem(f"malformed row: {exc}", file=name, line=line))
            break
        row_line, line = line, reader.line_num + 1
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            table.problems.append(Problem(
                f"expected {len(header)} fields, found {len(fields)}", file=name, line=row_line,
                suggestion="check for a missing or extra delimiter"))
            continue
        row = Row(zip(header, (f.strip() for f in fields)))
        row.file, row.line = name, row_line
        table.rows.append(row)
    return table
