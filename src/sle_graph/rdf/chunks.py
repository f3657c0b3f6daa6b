"""Large N-Triples and Turtle files parsed in parallel: the file cut in chunks, one per process.

N-Triples is one triple per line, so a file cut at line ends gives chunks that parse on their
own. Turtle is cut at blank lines (where writers, ours included, end a subject's block), and
each chunk after the first is parsed behind the file's header (its leading ``@prefix`` /
``@base`` lines). The calling process parses the first chunk; worker processes (isolated Python
subprocesses, see :func:`worker_command`: nothing of the caller's ``__main__`` is re-run)
parse the others into the same grouped form (:data:`sle_graph.rdf.parse.Props`) and send it back
with :mod:`marshal`. The chunks are merged in file order, so the result is what one sequential
parse gives: same subjects, same predicates, same values, same order.

A cut can only fall badly in Turtle (inside a long string, a bracketed list, a statement
continued after a blank line); the chunk before it then ends in the middle of something, which
is a syntax error. A prefix or base declared after the header would change how later chunks
read, so a chunk that ends with other prefixes or another base than the header's is refused
too. Any refusal or problem in any chunk (a syntax error, an invalid IRI, a crashed worker)
makes :func:`parse` return ``None``, except a syntax error in the first chunk of N-Triples,
which starts the file and so has the file's line numbers: it is raised. On ``None`` the caller
parses the whole file in one process, which reports a problem at its line.

Used for files of at least :data:`MIN_BYTES` when more than one core is available; the
environment variable ``SLE_GRAPH_PARSE_WORKERS`` sets the number of processes (``1`` turns it
off). Memory: each worker holds its chunk's triples until it has sent them.
"""

from __future__ import annotations

import io
import marshal
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO, Callable

from ..errors import InvalidArgument, ValidationError
from ..gc_pause import gc_paused
from .quads import Props, group_quads, invalid_iri
from .stream import Stream, consume, fingerprint

__all__ = ["parse", "stream", "plan", "workers", "worker_command", "byte_ranges", "header_end", "MIN_BYTES", "MAX_WORKERS",
           "WORKERS_VARIABLE"]

#: Smaller files are parsed in one process (starting a worker costs ~0.2 s).
#:
#: Examples
#: --------
#: >>> from sle_graph.rdf.chunks import MIN_BYTES
#: >>> MIN_BYTES // 2**20  # mebibytes
#: 64
MIN_BYTES = 64 * 2**20
#: At most this many processes, however many cores there are.
#:
#: Examples
#: --------
#: >>> from sle_graph.rdf.chunks import MAX_WORKERS
#: >>> MAX_WORKERS
#: 4
MAX_WORKERS = 4
#: The environment variable that sets the number of parsing processes (``1``: one, no workers).
#:
#: Examples
#: --------
#: >>> from sle_graph.rdf.chunks import WORKERS_VARIABLE
#: >>> WORKERS_VARIABLE
#: 'SLE_GRAPH_PARSE_WORKERS'
WORKERS_VARIABLE = "SLE_GRAPH_PARSE_WORKERS"
#: The first chunk (the caller's) is this much larger than the others: a worker also has to
#: serialize its triples, and the caller to read them back (~15% of parsing, measured).
FIRST_SHARE = 1.15
FORMATS = ("nt", "turtle")

# A Turtle header line: blank, a comment, or a directive (Turtle's or SPARQL's spelling).
# (SPARQL's PREFIX and BASE need the blank after them: ``base:x`` starts a statement.)
_HEADER_LINE = re.compile(rb"[ \t]*(?:#.*|@prefix\b.*|@base\b.*|(?i:prefix|base)[ \t].*)?\r?\n?")


def workers(size: int) -> int:
    """How many processes parse a file of ``size`` bytes (``1``: no parallel parsing).

    :data:`WORKERS_VARIABLE` decides when set; else files under :data:`MIN_BYTES` get one, larger
    ones one per core up to :data:`MAX_WORKERS`.

    Parameters
    ----------
    size : int
        The file's size in bytes.

    Returns
    -------
    int
        The number of processes, at least 1.

    Raises
    ------
    InvalidArgument
        When :data:`WORKERS_VARIABLE` is set to something not a whole number.

    Examples
    --------
    >>> workers(1000)
    1
    """
    wanted = os.environ.get(WORKERS_VARIABLE, "").strip()
    if wanted:
        try:
            return max(1, int(wanted))
        except ValueError:
            raise InvalidArgument(f"{WORKERS_VARIABLE}={wanted!r}: expected a whole number of processes") from None
    if size < MIN_BYTES or not sys.executable:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_WORKERS))


def header_end(path: str | Path) -> int:
    """Where a Turtle file's header ends: the byte after its leading blank, comment and directive lines.

    Parameters
    ----------
    path : str or pathlib.Path
        A Turtle file.

    Returns
    -------
    int
        The header's length in bytes; ``0`` when the file starts with a statement.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".ttl", delete=False) as f:
    ...     _ = f.write(b"@prefix a: <http://a/> .\\n\\na:x a:y a:z .\\n")
    >>> header_end(f.name)
    26
    >>> os.remove(f.name)
    """
    end = 0
    with open(path, "rb") as handle:
        for line in handle:
            if not line.strip() and not line.endswith(b"\n"):
                break
            if not _HEADER_LINE.fullmatch(line):
                break
            end += len(line)
    return end


def byte_ranges(path: str | Path, parts: int, fmt: str = "nt", start: int = 0) -> list[tuple[int, int]]:
    """At most ``parts`` consecutive ``(start, end)`` byte ranges covering the file from ``start``.

    The first is ``FIRST_SHARE`` (1.15) times the size of the others: N-Triples is cut just after
    a line end, Turtle just after a blank line (a cut point not found leaves fewer ranges);
    empty ranges are left out.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    parts : int
        The number of ranges wanted.
    fmt : str, default "nt"
        ``"nt"`` (N-Triples) or ``"turtle"``.
    start : int, default 0
        Where the first range starts (after a Turtle header).

    Returns
    -------
    list of tuple of (int, int)
        The ranges, in file order, end excluded.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".nt", delete=False) as f:
    ...     _ = f.write(b"<a:s> <a:p> <a:o> .\\n" * 4)  # four lines of 20 bytes
    >>> byte_ranges(f.name, 2)
    [(0, 60), (60, 80)]
    >>> os.remove(f.name)
    """
    size = os.path.getsize(path)
    separator = b"\n" if fmt == "nt" else b"\n\n"
    cuts = [start]
    total = FIRST_SHARE + parts - 1
    with open(path, "rb") as handle:
        for i in range(1, parts):
            at = max(start + int((size - start) * (FIRST_SHARE + i - 1) / total), cuts[-1])
            cut = _next_cut(handle, at, separator, size)
            if cut >= size:
                break
            cuts.append(cut)
    cuts.append(size)
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def _next_cut(handle: BinaryIO, at: int, separator: bytes, size: int) -> int:
    """The first position at or after ``at`` just after ``separator`` (``size`` if none)."""
    back = len(separator)
    position = max(0, at - back)  # a separator ending right at ``at`` counts
    handle.seek(position)
    window = b""
    while position < size:
        block = handle.read(1 << 16)
        if not block:
            break
        window += block
        found = window.find(separator)
        if found >= 0:
            return position + found + back
        keep = len(separator) - 1
        position += len(window) - keep
        window = window[len(window) - keep:] if keep else b""
    return size


class _Bytes(io.RawIOBase):
    """Bytes ``start`` to ``end`` of a file, after ``prefix`` bytes, as a readable stream."""

    def __init__(self, path: str | Path, start: int, end: int, prefix: bytes = b""):
        super().__init__()
        self._file = open(path, "rb")  # noqa: SIM115 (closed with the stream)
        self._file.seek(start)
        self._left = end - start
        self._prefix = memoryview(prefix)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        n = min(len(buffer), self._left)
        if n <= 0:
            return 0
        got = self._file.readinto(memoryview(buffer)[:n]) or 0
        self._left -= got
        return got

    def close(self) -> None:
        self._file.close()
        super().close()


def _range_quads(ox: Any, path: Path, fmt: str, start: int, end: int, header: int) -> tuple[Any, bytes]:
    """pyoxigraph's lenient parser over one chunk (behind the Turtle header when it does not
    start the file), and the header."""
    kind = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
    head = b""
    if fmt == "turtle" and header:
        with open(path, "rb") as handle:
            head = handle.read(header)
    stream = io.BufferedReader(_Bytes(path, start, end, head if start > 0 else b""), 1 << 20)
    return ox.parse(input=stream, format=kind, base_iri=path.resolve().as_uri(), lenient=True), head


def _same_header(ox: Any, quads: Any, head: bytes, path: Path, fmt: str) -> bool:
    """Whether a parsed Turtle chunk ended with the prefixes and base of the file's header (and
    the header holds no triple); always for N-Triples."""
    if fmt != "turtle":
        return True
    declared = ox.parse(input=head, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    if list(declared):
        return False  # not a header after all
    # Declared after the header: later chunks would read differently.
    return quads.prefixes == declared.prefixes and quads.base_iri == declared.base_iri


def _parse_range(path: Path, fmt: str, start: int, end: int, header: int, name: str) -> "Props | None":
    """One chunk parsed and grouped; ``None`` if it has an invalid IRI or declares other
    prefixes or base than the header. A syntax error raises
    :class:`~sle_graph.errors.ValidationError`."""
    import pyoxigraph as ox

    quads, head = _range_quads(ox, path, fmt, start, end, header)
    props, iris = group_quads(ox, quads, fmt, name)
    if invalid_iri(ox, iris) is not None or not _same_header(ox, quads, head, path, fmt):
        return None
    return props


def _stream_range(path: Path, fmt: str, start: int, end: int, header: int, name: str, into: Stream) -> bool:
    """One chunk parsed into ``into`` (its first block held apart unless it starts the file, its
    last block held unsettled); ``False`` if it has an invalid IRI or declares other prefixes or
    base than the header. A syntax error raises :class:`~sle_graph.errors.ValidationError`."""
    import pyoxigraph as ox

    quads, head = _range_quads(ox, path, fmt, start, end, header)
    invalid = consume(ox, quads, into, fmt, name, hold_first=start > 0, settle_last=False)
    return invalid is None and _same_header(ox, quads, head, path, fmt)


def _merge(into: "Props", more: "Props") -> None:
    """Add ``more`` (the next chunk) to ``into``, keeping file order."""
    for subject in into.keys() & more.keys():  # a subject whose triples are in both chunks
        mine = into[subject]
        for predicate, values in more.pop(subject).items():
            found = mine.get(predicate)
            if found is None:
                mine[predicate] = values
            else:
                found.extend(values)
    into.update(more)


def plan(path: str | Path, fmt: str, processes: int | None = None) -> tuple[int, list[tuple[int, int]]]:
    """How :func:`parse` would cut the file: its Turtle header, and one byte range per process.

    One range (or none) means one process parses the whole file.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    fmt : str
        ``"nt"`` or ``"turtle"``; another format is not cut.
    processes : int, optional
        The number of processes; :func:`workers` decides when not given.

    Returns
    -------
    tuple of (int, list of tuple of (int, int))
        The length of the Turtle header (``0`` for N-Triples), and the ``(start, end)`` ranges,
        the first from the file's start (header included).

    Examples
    --------
    >>> plan(__file__, "turtle")  # not a large RDF file: one process
    (0, [])
    """
    if fmt not in FORMATS:
        return 0, []
    processes = processes if processes is not None else workers(os.path.getsize(path))
    if processes < 2:
        return 0, []
    header = header_end(path) if fmt == "turtle" else 0
    ranges = byte_ranges(path, processes, fmt, header)
    if ranges:
        ranges[0] = (0, ranges[0][1])  # the first chunk reads the header itself
    return header, ranges


def parse(path: str | Path, fmt: str, name: str | None = None, processes: int | None = None,
          on_bytes: "Callable[[int], object] | None" = None) -> "Props | None":
    """The N-Triples or Turtle file at ``path`` parsed by several processes, or ``None``.

    ``None`` comes when it is not worth it (small file, one core, another format) or when a chunk
    met a problem: parse the file in one process then.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    fmt : str
        ``"nt"`` or ``"turtle"``.
    name : str, optional
        The file's name in error messages; the path when not given.
    processes : int, optional
        The number of processes; :func:`workers` decides when not given.
    on_bytes : callable, optional
        Told each range's size once it is parsed (a progress bar's update).

    Returns
    -------
    Props or None
        The triples grouped by subject and predicate (:data:`sle_graph.rdf.parse.Props`), in
        file order, or ``None``.

    Raises
    ------
    ValidationError
        For a syntax error in the first chunk of an N-Triples file, with its line (that chunk
        starts the file, so its line numbers are the file's).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".nt", delete=False) as f:
    ...     _ = f.write(b"<http://a/s> <http://a/p> <http://a/o> .\\n")
    >>> parse(f.name, "nt") is None  # a small file: parse it in one process
    True
    >>> os.remove(f.name)
    """
    path = Path(path)
    header, ranges = plan(path, fmt, processes)
    if len(ranges) < 2:
        return None
    name = name or str(path)
    command = worker_command()
    procs = [subprocess.Popen([*command, str(path), fmt, str(start), str(end), str(header)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
             for start, end in ranges[1:]]
    try:
        with gc_paused():
            try:
                props = _parse_range(path, fmt, *ranges[0], header, name)
            except ValidationError:
                if fmt == "turtle":
                    return None  # maybe the cut's fault (inside a long string, say): parse it whole
                raise  # N-Triples lines stand alone: the file's own error, at its line
            if props is None:
                return None
            if on_bytes is not None:
                on_bytes(ranges[0][1] - ranges[0][0])
            for proc, (start, end) in zip(procs, ranges[1:]):
                data = proc.stdout.read()  # type: ignore[union-attr]
                if proc.wait() != 0 or not data:
                    return None
                more = marshal.loads(data)
                del data
                _merge(props, more)
                if on_bytes is not None:
                    on_bytes(end - start)
        return props
    finally:
        _stop(procs)


def stream(path: str | Path, fmt: str, name: str | None, into: Stream,
           on_bytes: "Callable[[int], object] | None" = None) -> bool:
    """The N-Triples or Turtle file at ``path`` parsed by several processes into ``into``
    (:class:`sle_graph.rdf.stream.Stream`); ``False`` when it is not worth it or a chunk met a
    problem (as :func:`parse` returns ``None``): ``into`` may then hold part of the file.

    Each process reads its chunk into a stream of its own and sends back what it completed
    (plain tuples, :data:`sle_graph.rdf.stream.Assertion`) and what it holds; the chunks are
    taken on in file order (:meth:`~sle_graph.rdf.stream.Stream.absorb`), so a subject's block
    cut by a chunk's edge is joined again.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    fmt : str
        ``"nt"`` or ``"turtle"``.
    name : str, optional
        The file's name in error messages; the path when not given.
    into : Stream
        The stream that takes the file.
    on_bytes : callable, optional
        Told each range's size once it is parsed (a progress bar's update).

    Returns
    -------
    bool
        Whether the file was read.

    Raises
    ------
    ValidationError
        For a syntax error in the first chunk of an N-Triples file, with its line.

    Examples
    --------
    >>> import tempfile
    >>> from sle_graph.rdf.stream import Stream
    >>> with tempfile.NamedTemporaryFile(suffix=".nt", delete=False) as f:
    ...     _ = f.write(b"<http://a/s> <http://a/p> <http://a/o> .\\n")
    >>> stream(f.name, "nt", None, Stream(print))  # a small file: parse it in one process
    False
    >>> os.remove(f.name)
    """
    path = Path(path)
    header, ranges = plan(path, fmt)
    if len(ranges) < 2:
        return False
    name = name or str(path)
    into.mark = fingerprint  # the same in every process
    mode = "stream" if into.eager else "hold"
    # Each worker writes what it reads to a file of its own as it goes, in frames (so neither it
    # nor this process holds a whole chunk's assertions at once, and it never waits for a pipe).
    folder = tempfile.TemporaryDirectory(prefix="sle-graph-chunks-")
    outputs = [os.path.join(folder.name, f"{i}.marshal") for i in range(1, len(ranges))]
    procs = [subprocess.Popen([*worker_command(), str(path), fmt, str(start), str(end), str(header), mode, out],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for (start, end), out in zip(ranges[1:], outputs)]
    try:
        with gc_paused():
            try:
                if not _stream_range(path, fmt, *ranges[0], header, name, into):
                    return False
            except ValidationError:
                if fmt == "turtle":
                    return False  # maybe the cut's fault: parse it whole
                raise
            if on_bytes is not None:
                on_bytes(ranges[0][1] - ranges[0][0])
            for proc, (start, end), out in zip(procs, ranges[1:], outputs):
                if proc.wait() != 0 or not _absorb_frames(out, into):
                    return False
                if on_bytes is not None:
                    on_bytes(end - start)
        return True
    finally:
        _stop(procs)
        folder.cleanup()


#: A worker's frame of assertions holds this many (:func:`_worker`).
FRAME = 1 << 15


def _absorb_frames(out: str, into: Stream) -> bool:
    """A worker's frames taken on by ``into``, in order: ``(0, assertions)`` each, then
    ``(1, head, pending, fingerprints)``; ``False`` if the file ends before that last frame."""
    with open(out, "rb") as handle:
        while True:
            try:
                frame = marshal.load(handle)
            except (EOFError, ValueError, TypeError):
                return False
            if frame[0] == 0:
                into.absorb(frame[1], None, {}, b"")
            else:
                into.absorb([], *frame[1:])
                return True


def _stop(procs: list[subprocess.Popen]) -> None:
    """End the workers still running (their output is not wanted) and close their pipes."""
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def worker_command() -> list[str]:
    """The command that starts a worker: its arguments (path, format, start, end, header) follow.

    Python runs isolated (``-I``: neither the current folder nor ``PYTHON*`` variables nor the
    user's site folder reach the import path), so a ``sle_graph`` or ``rdflib`` folder where the
    user works is never imported. The worker is given this process's import path instead, this
    package's own folder first, without relative entries or the current folder.

    Returns
    -------
    list of str
        The Python executable and its arguments.

    Examples
    --------
    >>> command = worker_command()
    >>> command[1:3]
    ['-I', '-c']
    """
    here = str(Path(__file__).resolve().parents[1])
    cwd = os.path.realpath(os.getcwd())
    path = [here, *(p for p in sys.path if os.path.isabs(p) and p != here and os.path.realpath(p) != cwd)]
    code = (f"import sys; sys.path[:0] = {path!r}; from sle_graph.rdf.chunks import _worker; "
            "sys.exit(_worker(*sys.argv[1:]))")
    return [sys.executable, "-I", "-c", code]


def _worker(path: str, fmt: str, start: str, end: str, header: str, mode: str = "group",
            out: str | None = None) -> int:
    """Parse one chunk and write it with :mod:`marshal`: grouped, to standard output (``mode``
    ``"group"``, :func:`parse`), or through a stream (``"stream"``, or ``"hold"`` for one that
    completes nothing; :func:`stream`) in frames to the file ``out`` as it goes (see
    :func:`_absorb_frames`). Exit status 1 if it has a problem (the caller parses the whole file
    again and reports it)."""
    import gc

    gc.disable()  # millions of objects that all stay alive until written
    try:
        if mode == "group":
            props: Any = _parse_range(Path(path), fmt, int(start), int(end), int(header), path)
        else:
            with open(out, "wb") as handle:  # type: ignore[arg-type]
                return _stream_frames(Path(path), fmt, int(start), int(end), int(header), mode == "stream", handle)
    except Exception:  # noqa: BLE001 (any problem: the caller's sequential parse reports it)
        return 1
    if props is None:
        return 1
    sys.stdout.buffer.write(marshal.dumps(props))
    sys.stdout.buffer.flush()
    return 0


def _stream_frames(path: Path, fmt: str, start: int, end: int, header: int, eager: bool, handle: BinaryIO) -> int:
    """A worker's stream over one chunk, written to ``handle`` in frames; its exit status."""
    batch: list = []

    def emit(assertion: tuple) -> None:
        batch.append(assertion)
        if len(batch) >= FRAME:
            marshal.dump((0, batch), handle)
            batch.clear()

    into = Stream(emit, eager=eager)
    into.mark = fingerprint
    if not _stream_range(path, fmt, start, end, header, str(path), into):
        return 1
    marshal.dump((0, batch), handle)
    marshal.dump((1, into.head, into.pending, into.starts.tobytes()), handle)
    return 0


if __name__ == "__main__":  # a worker
    sys.exit(_worker(*sys.argv[1:]))
