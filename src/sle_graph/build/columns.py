"""Large delimited tables read whole into columns (pyarrow), each column as its distinct values
and one integer code per row, for readers that validate distinct values instead of rows.

:func:`read_columns` reads a tab-separated file the way :class:`~sle_graph.build.tables.TableStream`
does (same fields, stripped; blank rows skipped), or returns ``None`` when it cannot promise the
same rows: a field opening with a double quote (quoting), a carriage return not ending a line, a
NUL byte, a byte-order mark, a field past :func:`csv.field_size_limit`, a malformed header, a row
of the wrong width, bytes that are not UTF-8, or pyarrow missing. The caller then reads the file
with :class:`~sle_graph.build.tables.TableStream`, which names the file, line and column of each
problem; this reader knows no line numbers, and needs none, since it only reads files without
problems of their own.

pyarrow's CSV reader, not polars': pyarrow is already installed beside pandas and the KGX tool
(which requires it), it parses in threads, and its dictionary encoding hands each column's
distinct values and integer codes straight to numpy.

Example
-------
>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "edges.tsv")
>>> _ = open(path, "w").write("subject\\tobject\\nmsc\\t SLE\\n\\nmsc\\tT_cell\\n")
>>> table = read_columns(path, required=("subject", "object"))
>>> table.columns, len(table)
(['subject', 'object'], 2)
>>> table.values["object"], table.codes["object"].tolist()
(['SLE', 'T_cell'], [0, 1])
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

__all__ = ["Columns", "read_columns"]


@dataclass
class Columns:
    """A table as columns: each column's distinct texts, and one index into them per row.

    Parameters
    ----------
    file : str
        The table's name, for messages.
    columns : list of str
        The column names, in header order.
    values : dict of str to list of str
        ``values[c]``: the distinct (stripped) texts of column ``c``.
    codes : dict of str to numpy.ndarray
        ``codes[c]``: one index into ``values[c]`` per row, a numpy integer array.

    Examples
    --------
    >>> import numpy as np
    >>> t = Columns("t.tsv", ["kind"], {"kind": ["Cell", "Gene"]}, {"kind": np.array([0, 1, 0])})
    >>> len(t), [t.values["kind"][i] for i in t.codes["kind"]]
    (3, ['Cell', 'Gene', 'Cell'])
    """

    file: str
    columns: list[str]
    values: dict[str, list[str]]
    codes: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.codes[self.columns[0]]) if self.columns else 0

    def take(self, keep: np.ndarray) -> None:
        """Keep the rows where the boolean array ``keep`` is true (in place).

        Parameters
        ----------
        keep : numpy.ndarray
            One boolean per row.

        Examples
        --------
        >>> import numpy as np
        >>> t = Columns("t.tsv", ["kind"], {"kind": ["Cell", "Gene"]}, {"kind": np.array([0, 1, 0])})
        >>> t.take(np.array([True, False, True]))
        >>> t.codes["kind"].tolist()
        [0, 0]
        """
        self.codes = {c: codes[keep] for c, codes in self.codes.items()}


_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _simple(path: Path, block: int = 2**23) -> bool:
    """Whether the file reads as the same rows with or without quoting and line-by-line decoding:
    no field opens with a double quote, no carriage return but before a line feed, no NUL byte,
    no byte-order mark. Read in blocks (memory stays small)."""
    with open(path, "rb") as fh:
        data = fh.read(block)
        if data.startswith((b'"', *_BOMS)):
            return False
        last, pending = b"\n", 0  # pending: a carriage return ending the last block
        while data:
            joined = last + data
            if b'\t"' in joined or b'\n"' in joined or b"\0" in data:
                return False
            if pending or b"\r" in data:
                returns = data.count(b"\r") + pending
                pending = int(data.endswith(b"\r"))
                if returns - pending != joined.count(b"\r\n"):
                    return False
            last = data[-1:]
            data = fh.read(block)
        return not pending


def _header(path: Path, required: Sequence[str]) -> list[str] | None:
    with open(path, "rb") as fh:
        raw = fh.readline()
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    header = [h.strip() for h in line.rstrip("\r\n").split("\t")]
    if not any(header) or not all(header) or len(set(header)) != len(header) \
            or any(c not in header for c in required):
        return None
    return header


def _encoded(column: object) -> tuple[list[str], np.ndarray]:
    """A pyarrow dictionary column (dictionaries unified) as (distinct stripped values, one code
    per row)."""
    chunks = column.chunks  # type: ignore[attr-defined]
    if not chunks:
        return [], np.zeros(0, dtype=np.int64)
    raw = chunks[0].dictionary.to_pylist()
    codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunks]).astype(np.int64)
    stripped = [v.strip() for v in raw]
    if stripped == raw:
        return raw, codes
    index: dict[str, int] = {}
    remap = np.fromiter((index.setdefault(v, len(index)) for v in stripped), dtype=np.int64, count=len(stripped))
    return list(index), remap[codes]


def read_columns(path: str | Path, *, required: Sequence[str] = (), name: str | None = None) -> Columns | None:
    """A tab-separated file as :class:`Columns`, or ``None`` when it needs the line-by-line reader.

    ``None`` comes for quoting, odd bytes, a bad header or row, or no pyarrow (see the module
    docstring).

    Parameters
    ----------
    path : str or pathlib.Path
        An uncompressed file.
    required : sequence of str, optional
        The columns the header must name.
    name : str, optional
        The file's name in :attr:`Columns.file`; the path when not given.

    Returns
    -------
    Columns or None
        The table's columns, or ``None``.

    Raises
    ------
    OSError
        When the file cannot be read.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "nodes.tsv")
    >>> _ = open(path, "w").write('id\\tname\\nmsc\\t"quoted"\\n')
    >>> read_columns(path) is None
    True
    >>> _ = open(path, "w").write("id\\tname\\nmsc\\tplain\\n")
    >>> read_columns(path, required=("id",), name="nodes").values["name"]
    ['plain']
    """
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
        import pyarrow.compute as pc
    except ImportError:
        return None
    path = Path(path)
    header = _header(path, required) if _simple(path) else None
    if header is None:
        return None
    names = [f"f{i}" for i in range(len(header))]
    text = pa.dictionary(pa.int32(), pa.string())  # read straight into distinct values and codes
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(skip_rows=1, column_names=names),
            parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False, double_quote=False,
                                             escape_char=False, newlines_in_values=False, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(column_types={n: text for n in names},
                                                 strings_can_be_null=False, check_utf8=True))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None  # a row of the wrong width, or bytes that are not UTF-8: the stream names its line
    table = table.unify_dictionaries()
    limit = csv.field_size_limit()
    for n in names:
        chunks = table.column(n).chunks
        if chunks and len(chunks[0].dictionary) and \
                (pc.max(pc.binary_length(chunks[0].dictionary)).as_py() or 0) > limit:
            return None  # the stream refuses such a field
    values, codes = {}, {}
    for column, n in zip(header, names):
        values[column], codes[column] = _encoded(table.column(n))
    del table
    out = Columns(name or str(path), header, values, codes)
    # Rows blank in every field are skipped, as the stream skips them.
    blank = None
    for column in header:
        empty = np.array([not v for v in out.values[column]], dtype=bool)[out.codes[column]]
        blank = empty if blank is None else blank & empty
    if blank is not None and blank.any():
        out.take(~blank)
    return out
