"""Pausing Python's cyclic garbage collector while many long-lived objects are made, and giving
the memory a large build freed back to the operating system.

Building a large graph (millions of nodes, edges and evidence records that all stay alive) or
searching one (many small tuples, no cycles) triggers collections that rescan every live object
and free nothing: a third of a large import's time, about half of a search's.

A build's transients (columns, sort orders, lists of records) are freed when it ends, but the C
allocator (glibc) keeps much of that memory for later use, scattered among the blocks that stay:
a quarter of the resident memory of a graph of a million edges was free memory the process held.
:func:`trim_heap` hands it back.
"""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator

__all__ = ["gc_paused", "trim_heap"]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a ``with`` block, or for every call of a decorated function.

    A context manager made by :func:`contextlib.contextmanager` is also a
    :class:`contextlib.ContextDecorator`, entered afresh on each call of a function decorated with
    ``@gc_paused()``. Nested uses are fine: only the outermost turns the collector back on, and only
    if it was on.

    Yields
    ------
    None
        Inside the block the collector is off.

    Examples
    --------
    >>> import gc
    >>> from sle_graph.gc_pause import gc_paused
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    >>> @gc_paused()
    ... def build():
    ...     return gc.isenabled()
    >>> build(), gc.isenabled()
    (False, True)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def trim_heap() -> bool:
    """Give the memory the C allocator holds free back to the operating system (glibc's ``malloc_trim``).

    Called after building a large graph; elsewhere (macOS, musl) a no-op.

    Returns
    -------
    bool
        True when memory was given back.

    Examples
    --------
    >>> from sle_graph.gc_pause import trim_heap
    >>> trim_heap() in (True, False)
    True
    """
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return False
    return bool(trim(0))
