"""Progress bars on long work: reading, writing and pushing large graphs.

A bar shows on a terminal (standard error is one) or in a notebook (a Jupyter kernel runs us),
and says nothing otherwise: piped, in a script's log, in tests. ``progress=True`` shows it
anyway, ``progress=False`` never. Bars come from tqdm (imported only when one is shown), and
callers update them in batches (a chunk of text, a range of a file, a request), never per edge.

>>> with bar(total=3, desc="demo", progress=False) as b:   # silent: no output at all
...     b.update(3)
"""

from __future__ import annotations

import importlib.util
import os
import sys
from typing import Any, Iterable, TextIO

__all__ = ["bar", "reading_bar", "wanted", "Silent", "LARGE", "LARGE_FILE"]

#: Graphs of at least this many edges show a bar by default (``progress=None``) when written or
#: pushed: smaller ones finish before a bar would help.
LARGE = 100_000
#: Files of at least this many bytes show a bar by default when read (about 100,000 edges).
LARGE_FILE = 50_000_000


def _in_notebook() -> bool:
    return "ipykernel" in sys.modules


def wanted(progress: bool | None, stream: TextIO | None = None) -> bool:
    """Whether to show a bar: ``progress`` when given, else whether ``stream`` (standard error)
    is a terminal or we run in a notebook."""
    if progress is not None:
        return bool(progress)
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty()) or _in_notebook()
    except (AttributeError, ValueError):  # no stream, or a closed one
        return _in_notebook()


class Silent:
    """The bar shown when none is wanted: takes the same calls, does nothing."""

    n = 0

    def update(self, n: float = 1) -> None:
        self.n += n

    def set_description(self, desc: str) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> "Silent":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def bar(total: float | None, desc: str, *, unit: str = "it", unit_scale: bool = False,
        progress: bool | None = None, file: TextIO | None = None) -> Any:
    """A tqdm bar of ``total`` units (None: unknown) on standard error (or ``file``), or a
    :class:`Silent` one when :func:`wanted` says no. Use it as a context manager."""
    if not wanted(progress, file):
        return Silent()
    if file is None and _in_notebook() and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.notebook import tqdm  # a widget
    else:
        from tqdm import tqdm
    return tqdm(total=total, desc=desc, unit=unit, unit_scale=unit_scale, file=file or sys.stderr,
                mininterval=0.5, leave=False, dynamic_ncols=True)


def reading_bar(paths: "Iterable[str | os.PathLike[str] | None]", progress: bool | None = None,
                file: TextIO | None = None) -> Any:
    """A bar of the bytes of the files ``paths`` (``None`` and missing ones skipped) as they are
    read, "reading <file>" (their folder when they share one): by default (``progress=None``)
    only when they hold :data:`LARGE_FILE` bytes or more, as :func:`bar` says otherwise.

    >>> with reading_bar([__file__], progress=False) as b:
    ...     b.update(10)
    """
    files = [os.fspath(p) for p in paths if p is not None and os.path.isfile(p)]
    size = sum(os.path.getsize(p) for p in files)
    folders = {os.path.dirname(os.path.abspath(p)) for p in files}
    name = files[0] if len(files) == 1 else (folders.pop() if len(folders) == 1 else ", ".join(files))
    shown = progress if progress is not None else (None if size >= LARGE_FILE else False)
    return bar(size or None, f"reading {name}", unit="B", unit_scale=True, progress=shown, file=file)
