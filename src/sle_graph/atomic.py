"""Writing a file so that it is either all new or all old, never cut.

A writer that opens its destination directly empties it first: a full disk or a crash midway
leaves a truncated file where a good export was. :func:`atomic_write` writes to a temporary
file in the same folder (so the final rename stays on one file system), flushes and syncs it,
then renames it over the destination, which readers see change in one step.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from typing import IO, Any, Iterable, Iterator, Union

__all__ = ["atomic_write", "atomic_files"]

PathLike = Union[str, "os.PathLike[str]"]


@contextlib.contextmanager
def atomic_write(path: PathLike, mode: str = "w", *, encoding: str | None = None,
                 newline: str | None = None) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` for writing; on a clean exit it replaces ``path``.

    The new file gets the usual permissions of a new file (the umask), not the temporary's
    private ones.

    Parameters
    ----------
    path : str or os.PathLike
        The destination.
    mode : str, default "w"
        ``"w"`` (text) or ``"wb"`` (bytes).
    encoding : str, optional
        As for :func:`open` (text mode only).
    newline : str, optional
        As for :func:`open` (text mode only).

    Yields
    ------
    file object
        The open temporary file.

    Raises
    ------
    ValueError
        When ``mode`` is neither ``"w"`` nor ``"wb"``.
    OSError
        Or whatever else the block or the file system raises (``OSError`` on a full disk); the
        destination is then untouched and the temporary removed.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "out.txt")
    >>> with atomic_write(path, encoding="utf-8") as fh:
    ...     _ = fh.write("new")
    >>> open(path).read()
    'new'
    >>> try:
    ...     with atomic_write(path, encoding="utf-8") as fh:
    ...         _ = fh.write("half")
    ...         raise OSError("disk full")
    ... except OSError:
    ...     pass
    >>> open(path).read(), sorted(os.listdir(os.path.dirname(path)))
    ('new', ['out.txt'])
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_write mode must be 'w' or 'wb', not {mode!r}")
    target = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(target))
    fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    owned = False  # once os.fdopen holds the descriptor, closing the file closes it
    try:
        # mkstemp makes the file private (0600); give it what a plain open() would have made.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as fh:
            owned = True
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, target)
    except BaseException:
        if not owned:
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def atomic_files(paths: Iterable[PathLike], mode: str = "w", *, encoding: str | None = None,
                 newline: str | None = None) -> Iterator[list[IO[Any]]]:
    """:func:`atomic_write` for files that belong together: all are replaced, or none.

    Every file is written out and synced before any replaces its destination, so an error
    leaves all the old files.

    Parameters
    ----------
    paths : iterable of str or os.PathLike
        The destinations.
    mode : str, default "w"
        ``"w"`` (text) or ``"wb"`` (bytes).
    encoding : str, optional
        As for :func:`open` (text mode only).
    newline : str, optional
        As for :func:`open` (text mode only).

    Yields
    ------
    list of file object
        The open temporary files, in the order of ``paths``.

    Raises
    ------
    ValueError
        When ``mode`` is neither ``"w"`` nor ``"wb"``.
    OSError
        Or whatever else :func:`atomic_write` raises; only a failed rename (not a full disk)
        can leave some files replaced.

    Examples
    --------
    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> with atomic_files([os.path.join(folder, "a"), os.path.join(folder, "b")]) as (a, b):
    ...     _ = a.write("1"), b.write("2")
    >>> sorted(os.listdir(folder))
    ['a', 'b']
    """
    with contextlib.ExitStack() as files:
        handles = [files.enter_context(atomic_write(p, mode, encoding=encoding, newline=newline)) for p in paths]
        yield handles
        for fh in handles:  # a full disk shows here, while every destination is still the old one
            fh.flush()
            os.fsync(fh.fileno())
