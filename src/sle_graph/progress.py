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
#:
#: Examples
#: --------
#: >>> from sle_graph.progress import LARGE
#: >>> LARGE
#: 100000
LARGE = 100_000
#: Files of at least this many bytes show a bar by default when read (about 100,000 edges).
#:
#: Examples
#: --------
#: >>> from sle_graph.progress import LARGE_FILE
#: >>> LARGE_FILE // 1_000_000
#: 50
LARGE_FILE = 50_000_000


def _in_notebook() -> bool:
    return "ipykernel" in sys.modules


def wanted(progress: bool | None, stream: TextIO | None = None) -> bool:
    """Whether to show a bar: ``progress`` when given, else whether the output is watched.

    Watched means that ``stream`` (standard error by default) is a terminal or that we run in a
    notebook.

    Parameters
    ----------
    progress : bool or None
        True or False to decide; None to ask ``stream``.
    stream : file object, optional
        Where the bar would go; standard error when not given.

    Returns
    -------
    bool
        Whether a bar should show.

    Examples
    --------
    >>> import io
    >>> wanted(True), wanted(False, io.StringIO())
    (True, False)
    """
    if progress is not None:
        return bool(progress)
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty()) or _in_notebook()
    except (AttributeError, ValueError):  # no stream, or a closed one
        return _in_notebook()


class Silent:
    """The bar shown when none is wanted: takes the same calls, does nothing.

    It counts the units it is given in ``n``, as a tqdm bar does, and is a context manager.

    Examples
    --------
    >>> with Silent() as b:
    ...     b.update(2)
    ...     b.update()
    >>> b.n
    3
    """

    n = 0

    def update(self, n: float = 1) -> None:
        """Count ``n`` more units done.

        Parameters
        ----------
        n : float, default 1
            The units done since the last update.

        Examples
        --------
        >>> b = Silent()
        >>> b.update(5)
        >>> b.n
        5
        """
        self.n += n

    def set_description(self, desc: str) -> None:
        """Take a new description, and show nothing.

        Parameters
        ----------
        desc : str
            The text a shown bar would put before itself.

        Examples
        --------
        >>> Silent().set_description("reading x.ttl")
        """
        pass

    def close(self) -> None:
        """Close the bar: nothing to do.

        Examples
        --------
        >>> Silent().close()
        """
        pass

    def __enter__(self) -> "Silent":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def bar(total: float | None, desc: str, *, unit: str = "it", unit_scale: bool = False,
        progress: bool | None = None, file: TextIO | None = None) -> Any:
    """A tqdm bar of ``total`` units, or a :class:`Silent` one when :func:`wanted` says no.

    Use it as a context manager. In a notebook with ipywidgets, the bar is a widget.

    Parameters
    ----------
    total : float or None
        The units of the whole work; None when unknown.
    desc : str
        The text before the bar.
    unit : str, default "it"
        The name of a unit.
    unit_scale : bool, default False
        Whether to show large counts with SI prefixes (``12.3MB``).
    progress : bool or None, optional
        True to show the bar, False never, None (default) as :func:`wanted` says.
    file : file object, optional
        Where the bar goes; standard error when not given.

    Returns
    -------
    tqdm.tqdm or Silent
        The bar; call ``update(n)`` on it as work gets done.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> with bar(total=4, desc="writing", progress=True, file=out) as b:
    ...     b.update(4)
    >>> "writing" in out.getvalue()
    True
    >>> type(bar(total=4, desc="writing", progress=False)).__name__
    'Silent'
    """
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
    """A bar of the bytes of the files ``paths`` as they are read.

    Its text is "reading <file>" (their folder when they share one). By default
    (``progress=None``) it shows only when the files hold :data:`LARGE_FILE` bytes or more, and
    then as :func:`bar` says.

    Parameters
    ----------
    paths : iterable of str, os.PathLike or None
        The files to be read; ``None`` and missing ones are skipped.
    progress : bool or None, optional
        True to show the bar, False never, None (default) for large files as :func:`wanted` says.
    file : file object, optional
        Where the bar goes; standard error when not given.

    Returns
    -------
    tqdm.tqdm or Silent
        The bar, of the files' total size in bytes; call ``update(n)`` with the bytes read.

    Examples
    --------
    >>> with reading_bar([__file__], progress=False) as b:
    ...     b.update(10)
    """
    files = [os.fspath(p) for p in paths if p is not None and os.path.isfile(p)]
    size = sum(os.path.getsize(p) for p in files)
    folders = {os.path.dirname(os.path.abspath(p)) for p in files}
    name = files[0] if len(files) == 1 else (folders.pop() if len(folders) == 1 else ", ".join(files))
    shown = progress if progress is not None else (None if size >= LARGE_FILE else False)
    return bar(size or None, f"reading {name}", unit="B", unit_scale=True, progress=shown, file=file)
