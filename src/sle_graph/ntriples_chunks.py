"""Large N-Triples files parsed in parallel: the file split at line ends, one chunk per process.

N-Triples is one triple per line, so a file cut at line ends gives chunks that parse on their
own. The calling process parses the first chunk; worker processes (``python -m
sle_graph.ntriples_chunks PATH START END``, plain subprocesses: nothing of the caller's
``__main__`` is re-run) parse the others into the same grouped form
(:data:`sle_graph.rdf_read.Props`) and send it back with :mod:`marshal`. The chunks are merged
in file order, so the result is exactly what one sequential parse gives: same subjects, same
predicates, same values, same order.

Anything unusual in a worker (a syntax error, an invalid IRI, a crash) makes :func:`parse`
return ``None``: the caller then parses the file sequentially, which reports the problem at its
line. Used for files of at least :data:`MIN_BYTES` when more than one core is available; the
environment variable ``SLE_GRAPH_PARSE_WORKERS`` sets the number of processes (``1`` turns it
off).

Measured on 2 cores, 1M edges of our own export (3 GB, 18M triples): parsing and grouping take
~38 s instead of ~53 s; see ``benchmarks/bench_read_rdf.py``.
"""

from __future__ import annotations

import io
import marshal
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:  # pragma: no cover
    from .rdf_read import Props

__all__ = ["parse", "workers", "byte_ranges", "byte_range_reader", "MIN_BYTES", "MAX_WORKERS"]

#: Smaller files are parsed in one process (starting a worker costs ~0.2 s).
MIN_BYTES = 64 * 2**20
#: At most this many processes, however many cores there are.
MAX_WORKERS = 4
WORKERS_VARIABLE = "SLE_GRAPH_PARSE_WORKERS"


def workers(size: int) -> int:
    """How many processes parse a file of ``size`` bytes (``1``: no parallel parsing).

    >>> workers(1000)
    1
    """
    wanted = os.environ.get(WORKERS_VARIABLE, "").strip()
    if wanted:
        try:
            return max(1, int(wanted))
        except ValueError:
            raise ValueError(f"{WORKERS_VARIABLE}={wanted!r}: expected a whole number of processes") from None
    if size < MIN_BYTES or not sys.executable:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_WORKERS))


def byte_ranges(path: str | Path, parts: int) -> list[tuple[int, int]]:
    """``parts`` consecutive ``(start, end)`` byte ranges covering the file, each cut just after
    a line end (fewer when the file has fewer lines); empty ranges are left out."""
    size = os.path.getsize(path)
    cuts = [0]
    with open(path, "rb") as handle:
        for i in range(1, parts):
            handle.seek(max(size * i // parts, cuts[-1]))
            if handle.tell() > 0:
                handle.seek(handle.tell() - 1)  # a cut right after a line end keeps that line whole
            handle.readline()
            cuts.append(min(handle.tell(), size))
    cuts.append(size)
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


class _ByteRange(io.RawIOBase):
    """Bytes ``start`` to ``end`` of a file, as a readable stream."""

    def __init__(self, path: str | Path, start: int, end: int):
        super().__init__()
        self._file = open(path, "rb")  # noqa: SIM115 (closed with the stream)
        self._file.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "bytearray | memoryview") -> int:  # type: ignore[override]
        n = min(len(buffer), self._left)
        if n <= 0:
            return 0
        got = self._file.readinto(memoryview(buffer)[:n]) or 0
        self._left -= got
        return got

    def close(self) -> None:
        self._file.close()
        super().close()


def byte_range_reader(path: str | Path, start: int, end: int) -> BinaryIO:
    """A buffered binary stream of bytes ``start`` to ``end`` of the file at ``path``."""
    return io.BufferedReader(_ByteRange(path, start, end), 1 << 20)  # type: ignore[return-value]


def _parse_range(path: Path, start: int, end: int, name: str) -> "Props | None":
    """One chunk, parsed and grouped; ``None`` if it has an invalid IRI (a syntax error raises)."""
    import pyoxigraph as ox

    from .rdf_read import _invalid_iri, _parse_props

    props, iris = _parse_props(ox, None, path, "nt", name, byte_range=(start, end))
    return None if _invalid_iri(ox, iris) is not None else props


def _merge(into: "Props", more: "Props") -> None:
    """Add ``more`` (the next chunk) to ``into``, keeping file order."""
    for subject in into.keys() & more.keys():  # a subject whose lines are in both chunks
        mine = into[subject]
        for predicate, values in more.pop(subject).items():
            found = mine.get(predicate)
            if found is None:
                mine[predicate] = values
            else:
                found.extend(values)
    into.update(more)


def parse(path: str | Path, name: str | None = None, processes: int | None = None) -> "Props | None":
    """The N-Triples file at ``path`` parsed by ``processes`` processes (default:
    :func:`workers`), as :data:`~sle_graph.rdf_read.Props`; ``None`` when it is not worth it
    (small file, one core) or a worker met a problem: parse it sequentially then.

    A syntax error in the first chunk raises :class:`~sle_graph.errors.ValidationError` with its
    line (that chunk starts the file, so its line numbers are the file's).
    """
    from .tables import gc_paused

    path = Path(path)
    processes = processes if processes is not None else workers(os.path.getsize(path))
    ranges = byte_ranges(path, processes) if processes > 1 else []
    if len(ranges) < 2:
        return None
    name = name or str(path)
    procs = [subprocess.Popen([sys.executable, "-m", __name__, str(path), str(start), str(end)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
             for start, end in ranges[1:]]
    try:
        with gc_paused():
            props = _parse_range(path, *ranges[0], name)
            if props is None:
                return None
            for proc in procs:
                data = proc.stdout.read()  # type: ignore[union-attr]
                if proc.wait() != 0 or not data:
                    return None
                more = marshal.loads(data)
                del data
                _merge(props, more)
        return props
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()


def _worker(path: str, start: str, end: str) -> int:
    """Parse one chunk and write it to standard output with :mod:`marshal`; exit status 1 if it
    has a problem (the caller parses the whole file again and reports it)."""
    import gc

    gc.disable()  # millions of objects that all stay alive until written
    try:
        props = _parse_range(Path(path), int(start), int(end), path)
    except Exception:  # noqa: BLE001 (any problem: the caller's sequential parse reports it)
        return 1
    if props is None:
        return 1
    sys.stdout.buffer.write(marshal.dumps(props))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":  # a worker
    sys.exit(_worker(*sys.argv[1:4]))
