"""Fill in and check the quote offsets of ``src/sle_graph/data/assertions.tsv``.

Usage (from the repository root)::

    python tools/locate_quotes.py [--sources DIR]          # fill empty start/end in place
    python tools/locate_quotes.py [--sources DIR] --check  # verify every row, change nothing

``DIR`` holds the source documents, one ``<source>.txt`` per document id (default: ``sources`` in
the folder named by ``SLE_GRAPH_SHARED``, else ``../shared/sources`` beside the repository). Files are read as UTF-8 and offsets are
Python ``str`` indices, end exclusive, so a row is right when ``text[start:end] == quote``.

Fill mode, for each row:

- ``start`` and ``end`` both empty: the quote is searched in its document. It must occur exactly
  once; if it occurs several times the row is reported and left empty: lengthen the quote, or type
  the ``start`` of the intended occurrence by hand and run the tool again.
- ``start`` filled, ``end`` empty: ``end`` is computed, after checking the quote is at ``start``.
- both filled: left as they are (``--check`` verifies them).

The file is rewritten in place with its rows in the same order (nothing else changes). Problems
are listed as ``file:line: message`` on stderr and the exit status is 1.

Check mode verifies that every row has integer offsets with ``text[start:end] == quote`` and
exits with status 1, listing each failing row as ``file:line``, when one does not.

Standard library only.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
ASSERTIONS = REPO_ROOT / "src" / "sle_graph" / "data" / "assertions.tsv"
DEFAULT_SOURCES = Path(os.environ.get("SLE_GRAPH_SHARED", REPO_ROOT.parent / "shared")) / "sources"
# modality is reviewed by hand (sle_graph.build.modality.modality_of_text proposes a value); this tool keeps it as is
COLUMNS = ["subject", "predicate", "object", "source", "start", "end", "quote", "modality"]


def _occurrences(text: str, quote: str) -> list[int]:
    """Every start index of ``quote`` in ``text``, overlapping ones included."""
    found = []
    i = text.find(quote)
    while i != -1:
        found.append(i)
        i = text.find(quote, i + 1)
    return found


class _Sources:
    """Source texts, read once each."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._texts: dict[str, str | None] = {}

    def get(self, source: str) -> str | None:
        if source not in self._texts:
            path = self.directory / f"{source}.txt"
            self._texts[source] = path.read_text(encoding="utf-8") if path.is_file() else None
        return self._texts[source]


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise SystemExit(f"{path}:1: empty file, expected the header {' '.join(COLUMNS)}")
    header = lines[0].split("\t")
    if header != COLUMNS:
        raise SystemExit(f"{path}:1: header is {header}, expected {COLUMNS}")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != len(COLUMNS):
            raise SystemExit(f"{path}:{number}: {len(fields)} fields, expected {len(COLUMNS)}")
        rows.append(fields)
    return header, rows


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def check(path: Path, sources: _Sources) -> int:
    _, rows = _read(path)
    failures = []
    for number, row in enumerate(rows, start=2):
        source, start, end, quote = row[3], _int(row[4]), _int(row[5]), row[6]
        text = sources.get(source)
        if text is None:
            failures.append(f"{path}:{number}: no source file {sources.directory / (source + '.txt')}")
        elif start is None or end is None:
            failures.append(f"{path}:{number}: start/end missing or not integers ({row[4]!r}, {row[5]!r})")
        elif not quote:
            failures.append(f"{path}:{number}: empty quote")
        elif text[start:end] != quote:
            failures.append(
                f"{path}:{number}: text[{start}:{end}] is {text[start:end]!r}, not the quote {quote!r}"
            )
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"{path}: {len(rows)} rows, {len(failures)} failing")
    return 1 if failures else 0


def fill(path: Path, sources: _Sources) -> int:
    header, rows = _read(path)
    errors = []
    filled = 0
    for number, row in enumerate(rows, start=2):
        source, start, end, quote = row[3], row[4], row[5], row[6]
        if start and end:
            continue
        where = f"{path}:{number}"
        text = sources.get(source)
        if text is None:
            errors.append(f"{where}: no source file {sources.directory / (source + '.txt')}")
            continue
        if not quote:
            errors.append(f"{where}: empty quote")
            continue
        if start:  # start typed by hand: compute end
            offset = _int(start)
            if offset is None or not text.startswith(quote, offset):
                errors.append(f"{where}: the quote is not at start={start!r} in {source}")
                continue
        elif end:
            errors.append(f"{where}: end is filled but start is empty; fill both or neither")
            continue
        else:
            found = _occurrences(text, quote)
            if not found:
                errors.append(f"{where}: quote not found in {source}: {quote!r}")
                continue
            if len(found) > 1:
                errors.append(
                    f"{where}: quote occurs {len(found)} times in {source} (at {found}); "
                    "lengthen it or fill start by hand"
                )
                continue
            offset = found[0]
        row[4], row[5] = str(offset), str(offset + len(quote))
        filled += 1
    if filled:
        out = "\n".join("\t".join(fields) for fields in [header, *rows]) + "\n"
        path.write_text(out, encoding="utf-8")
    for error in errors:
        print(error, file=sys.stderr)
    print(f"{path}: {filled} rows filled, {len(errors)} problems")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES, help="folder of <source>.txt files")
    parser.add_argument("--check", action="store_true", help="only verify offsets; exit 1 on a failing row")
    args = parser.parse_args(argv)
    if not args.sources.is_dir():
        parser.error(f"{args.sources} is not a folder: pass --sources DIR, or set SLE_GRAPH_SHARED to the "
                     "shared folder holding sources/")
    sources = _Sources(args.sources)
    return check(ASSERTIONS, sources) if args.check else fill(ASSERTIONS, sources)


if __name__ == "__main__":
    sys.exit(main())
