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
import lzma
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterator, Sequence

from .. import limits
from ..errors import Problem, suggest

__all__ = ["Row", "Table", "read_table", "TableStream", "open_binary", "unusable_path"]


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


def _check_header(header: list[str], required: Sequence[str], known: Sequence[str] | None,
                  name: str) -> list[Problem]:
    """Problems of a header line: unknown (unless ``known`` is None), missing, repeated columns."""
    problems = []
    for col in header if known is not None else ():
        if col not in known:
            problems.append(Problem(f"unknown column {col!r}", file=name, line=1,
                                    suggestion=suggest(col, known) or "columns: " + ", ".join(known)))
    missing = [c for c in required if c not in header]
    if missing:
        problems.append(Problem("missing column" + ("s " if len(missing) > 1 else " ")
                                + ", ".join(repr(m) for m in missing), file=name, line=1,
                                suggestion="the header must name: " + ", ".join(required)))
    if len(set(header)) != len(header):
        problems.append(Problem("a column name appears twice in the header", file=name, line=1))
    if any(not c for c in header):
        problems.append(Problem("a column of the header has no name", file=name, line=1))
    return problems


def _data_rows(reader: Iterator[list[str]], columns: list[str], name: str,
               report: Callable[[str, int, str | None], None]) -> Iterator[Row]:
    """The data rows after the header: blank lines skipped, wrong widths and bad quoting reported."""
    width = len(columns)
    line = reader.line_num + 1  # type: ignore[attr-defined]
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            report(_csv_problem("malformed row", exc), line, None)
            return
        row_line, line = line, reader.line_num + 1  # type: ignore[attr-defined]
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != width:
            report(f"expected {width} fields, found {len(fields)}", row_line,
                   "check for a missing or extra delimiter")
            continue
        row = Row(zip(columns, [f.strip() for f in fields]))
        row.file, row.line = name, row_line
        yield row


def _csv_problem(what: str, exc: csv.Error) -> str:
    """The message of a row :mod:`csv` refused: a field past the size limit says which limit."""
    if "field larger than field limit" in str(exc):
        return limits.too_long("MAX_SCALAR_CHARS", "a field")
    return f"{what}: {exc}"


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
    limits.csv_field_limit()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                        quoting=csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        table.problems.append(Problem(_csv_problem("malformed header", exc), file=name, line=1))
        return table
    table.columns = header
    table.problems += _check_header(header, required, list(required) + list(optional), name)
    if table.problems:
        return table
    def report(message: str, line: int, suggestion: str | None) -> None:
        table.problems.append(Problem(message, file=name, line=line, suggestion=suggestion))

    table.rows.extend(_data_rows(reader, header, name, report))
    return table


def unusable_path(path: str | Path) -> str | None:
    """Why the system refuses ``path`` as a file name (too long, a NUL byte), or None; a name that
    merely does not exist is usable (its reader says so). Content taken for a file name lands here.

    >>> unusable_path("no/such/file.tsv") is None, unusable_path("x" * 5000)
    (True, 'File name too long')
    """
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        return exc.strerror or str(exc)
    except ValueError as exc:  # an embedded NUL byte
        return str(exc)
    return None


#: Compressed files are read through these modules, by suffix.
_COMPRESSION = {".gz": "gzip", ".bz2": "bz2", ".xz": "lzma"}


class _Counted(io.RawIOBase):
    """A file read through, telling ``on_bytes`` how many bytes each read took from the disk."""

    def __init__(self, path: str | Path, on_bytes: Callable[[int], object]):
        super().__init__()
        self._file = open(path, "rb", buffering=0)
        self._on_bytes = on_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "memoryview | bytearray") -> int:  # type: ignore[override]
        n = self._file.readinto(buffer) or 0
        if n:
            self._on_bytes(n)
        return n

    def close(self) -> None:
        self._file.close()
        super().close()


def open_binary(path: str | Path, on_bytes: Callable[[int], object] | None = None) -> IO[bytes]:
    """Open a file for reading bytes, decompressing ``.gz``, ``.bz2`` and ``.xz`` on the fly.

    ``on_bytes`` (a progress bar's ``update``) is told the bytes read from the disk as reading
    goes, a megabyte at a time: of a compressed file, its compressed bytes, so that they add up
    to its size.
    """
    import importlib

    module = _COMPRESSION.get(Path(path).suffix.lower())
    if on_bytes is None:
        if module is None:
            return open(path, "rb")
        return importlib.import_module(module).open(path, "rb")
    counted = io.BufferedReader(_Counted(path, on_bytes), buffer_size=1 << 20)
    if module is None:
        return counted
    unpacked = importlib.import_module(module).open(counted, "rb")
    close = unpacked.close

    def close_both() -> None:  # a decompressing file leaves a file object it was given open
        try:
            close()
        finally:
            counted.close()

    unpacked.close = close_both  # type: ignore[method-assign]
    return unpacked


def _data_suffix(path: Path) -> str:
    """``nodes.tsv.gz`` -> ``.tsv``."""
    suffixes = [x.lower() for x in path.suffixes]
    if suffixes and suffixes[-1] in _COMPRESSION:
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


class TableStream:
    r"""Rows of a large delimited table, read one line at a time (memory stays flat).

    Like :func:`read_table`, but streaming, for files of millions of rows, optionally compressed
    (``.gz``, ``.bz2``, ``.xz``). Every line is decoded on its own, so a byte that is not UTF-8 is
    reported with its exact line. ``known`` lists the allowed columns (None: any column, as KGX
    allows). Iterate to get the rows; ``columns`` is set once the header is read and
    ``problems`` collects what went wrong (the stream carries on after a bad row, to report all).
    ``on_bytes`` is told the bytes read from the disk as reading goes (see :func:`open_binary`).

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "edges.tsv")
    >>> _ = open(path, "wb").write(b"subject\tobject\r\na\tb\r\nc\td\xe9\r\n")
    >>> stream = TableStream(path, required=["subject", "object"])
    >>> [(r.line, r["object"]) for r in stream]
    [(2, 'b'), (3, 'd\ufffd')]
    >>> stream.problems[0].line, stream.problems[0].message
    (3, 'bytes are not UTF-8 (byte 0xe9 at column 4)')
    """

    #: Stop collecting problems after this many (the first ones are what a user fixes first).
    MAX_PROBLEMS = 200

    def __init__(self, path: str | Path, *, required: Sequence[str], known: Sequence[str] | None = None,
                 delimiter: str | None = None, quoting: bool | None = None, name: str | None = None,
                 on_bytes: Callable[[int], object] | None = None):
        self.path = Path(path)
        self.on_bytes = on_bytes
        self.name = name or str(path)
        suffix = _data_suffix(self.path)
        self.delimiter = delimiter or ("," if suffix == ".csv" else "\t")
        self.quoting = (self.delimiter == ",") if quoting is None else quoting
        self.required = list(required)
        self.known = None if known is None else list(known)
        self.columns: list[str] = []
        self.problems: list[Problem] = []
        self.rows_read = 0

    def _problem(self, message: str, line: int | None, suggestion: str | None = None) -> None:
        if len(self.problems) < self.MAX_PROBLEMS:
            self.problems.append(Problem(message, file=self.name, line=line, suggestion=suggestion))
        elif len(self.problems) == self.MAX_PROBLEMS:
            self.problems.append(Problem(f"more problems not listed (stopped at {self.MAX_PROBLEMS})",
                                         file=self.name))

    def _lines(self, fh: IO[bytes]) -> Iterator[str]:
        for number, raw in enumerate(fh, start=1):
            if number == 1:
                if raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8):]
                elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    self._problem("file is UTF-16; save it as UTF-8", 1)
                    return
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                self._problem(f"bytes are not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})",
                              number, "the file looks like Latin-1 or Windows-1252; save it as UTF-8")
                yield raw.decode("utf-8", errors="replace")

    def __iter__(self) -> Iterator[Row]:
        try:
            fh = open_binary(self.path, self.on_bytes)
        except OSError as exc:
            self._problem(f"cannot read file: {exc.strerror or exc}", None)
            return
        try:
            yield from self._rows(fh)
        except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError) as exc:  # a damaged .gz/.bz2/.xz stream
            self._problem(f"cannot read file: {exc}", None)
        finally:
            fh.close()

    def _rows(self, fh: IO[bytes]) -> Iterator[Row]:
        limits.csv_field_limit()
        reader = csv.reader(self._lines(fh), delimiter=self.delimiter, strict=True,
                            quoting=csv.QUOTE_MINIMAL if self.quoting else csv.QUOTE_NONE)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            self._problem(_csv_problem("malformed header", exc), 1)
            return
        if header is None or not any(h.strip() for h in header):
            if not self.problems:
                self._problem("file is empty; expected a header line", 1,
                              "columns: " + ", ".join(self.required))
            return
        self.columns = [h.strip() for h in header]
        header_problems = _check_header(self.columns, self.required, self.known, self.name)
        if header_problems:
            self.problems += header_problems
            return
        for row in _data_rows(reader, self.columns, self.name, self._problem):
            self.rows_read += 1
            yield row
