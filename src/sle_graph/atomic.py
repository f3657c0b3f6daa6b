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
from typing import IO, Any, Iterator, Union

__all__ = ["atomic_write"]

PathLike = Union[str, "os.PathLike[str]"]


@contextlib.contextmanager
def atomic_write(path: PathLike, mode: str = "w", *, encoding: str | None = None,
                 newline: str | None = None) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` for writing; on a clean exit it replaces ``path``.

    Parameters: ``path`` the destination; ``mode`` ``"w"`` (text) or ``"wb"`` (bytes);
    ``encoding`` and ``newline`` as for :func:`open` (text mode only).
    Returns (yields) the open temporary file.
    Raises whatever the block or the file system raises (``OSError`` on a full disk); the
    destination is then untouched and the temporary removed. The new file gets the usual
    permissions of a new file (the umask), not the temporary's private ones.

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
