"""Limits on the work a query does and on the size of what a reader accepts.

Queries
-------
``kg.match``, ``kg.count`` and ``kg.paths`` take a time budget, ``timeout=`` (seconds), and a
result budget, ``max_results=``. Past either, the query stops with
:class:`~sle_graph.errors.QueryBudgetExceeded`, which says how many results it had found so far;
``None`` lifts a budget. The defaults are :data:`QUERY_TIMEOUT` and :data:`QUERY_MAX_RESULTS`
(``count`` builds no paths, so its result budget is off unless given).

The result budget also bounds memory: a query holds at most ``max_results`` results (``match``:
the matches kept for ranking; ``paths``: the paths found and, separately, the half-paths the
search grows from each end) besides a working set of at most :data:`WALK_CHUNK_ROWS` partial
walks per pattern position (8 bytes per position and hop each: about 36 MB for four hops). A
result held costs about 1 KB (4.9 million three-position matches took 4 GB), so the default
result budget keeps a query's results near 100 MB.

Readers
-------
A text value longer than :data:`MAX_SCALAR_CHARS` in a users' facts file (a TSV/CSV cell, a YAML
scalar), or a literal longer than :data:`MAX_LITERAL_CHARS` in RDF, is refused with a
:class:`~sle_graph.errors.ValidationError` naming the file, the line and the limit; a pattern
longer than :data:`MAX_PATTERN_CHARS` with :class:`~sle_graph.errors.LimitExceeded`. Nothing the
graph holds comes near them (its longest text is a few hundred characters); they keep a runaway
or hostile input from taking minutes or gigabytes.

Each limit is an attribute of this module: set it to raise the limit for the running Python process.

>>> import sle_graph, sle_graph.limits
>>> kg = sle_graph.load()
>>> try:
...     kg.match("* -> * -> *", max_results=10)
... except sle_graph.QueryBudgetExceeded as exc:
...     print(exc.budget, exc.found > 10)
max_results True
>>> len(kg.match("* -> * -> *", max_results=None)) == kg.count("* -> * -> *")
True
>>> sle_graph.limits.MAX_PATTERN_CHARS
10000
"""

from __future__ import annotations

import math
import time
from typing import Any

from .errors import InvalidArgument, QueryBudgetExceeded

__all__ = ["QUERY_TIMEOUT", "QUERY_MAX_RESULTS", "WALK_CHUNK_ROWS", "MAX_PATTERN_CHARS", "MAX_SCALAR_CHARS",
           "MAX_LITERAL_CHARS", "Budget", "check_text", "too_long", "csv_field_limit"]

#: Seconds a ``match``, ``count`` or ``paths`` call may run by default (``timeout=``).
QUERY_TIMEOUT = 60.0
#: Results a ``match`` or ``paths`` call may find by default (``max_results=``).
QUERY_MAX_RESULTS = 100_000
#: Partial walks a pattern query extends at a time (the working set per pattern position).
WALK_CHUNK_ROWS = 500_000
#: Characters of a pattern's text.
MAX_PATTERN_CHARS = 10_000
#: Characters of one text value in a users' facts file (a TSV/CSV cell, a YAML scalar); the
#: default is the :mod:`csv` module's own field limit, which a larger value here raises too.
MAX_SCALAR_CHARS = 131_072
#: Characters of one RDF literal.
MAX_LITERAL_CHARS = 1_000_000


def check_text(text: str, limit_name: str, what: str) -> str | None:
    """A problem's message (naming the limit and how to raise it) when ``text`` is longer than
    the limit called ``limit_name`` in this module; None when it fits.

    >>> check_text("x" * 5, "MAX_SCALAR_CHARS", "a YAML scalar") is None
    True
    """
    if len(text) <= globals()[limit_name]:
        return None
    return too_long(limit_name, what, len(text))


def too_long(limit_name: str, what: str, size: int | None = None) -> str:
    """The message of an input past the limit called ``limit_name``: the limit, and how to raise it.

    >>> print(too_long("MAX_SCALAR_CHARS", "a field"))
    a field longer than sle_graph.limits.MAX_SCALAR_CHARS = 131,072 characters; to accept it, raise the limit first: sle_graph.limits.MAX_SCALAR_CHARS = 1_048_576 (or more)
    """
    limit = globals()[limit_name]
    if size is None:
        return (f"{what} longer than sle_graph.limits.{limit_name} = {limit:,} characters; to accept it, raise the "
                f"limit first: sle_graph.limits.{limit_name} = {limit * 8:_} (or more)")
    return (f"{what} of {size:,} characters is longer than sle_graph.limits.{limit_name} = {limit:,}; "
            f"to accept it, raise the limit first: sle_graph.limits.{limit_name} = {size:_}")


def csv_field_limit() -> None:
    """Raise the :mod:`csv` module's field limit to :data:`MAX_SCALAR_CHARS` when it is lower
    (it never lowers it: other code in the process may rely on a larger one)."""
    import csv

    if csv.field_size_limit() < MAX_SCALAR_CHARS:
        csv.field_size_limit(MAX_SCALAR_CHARS)


class Budget:
    """The time and result budget of one query: ``check`` raises
    :class:`~sle_graph.errors.QueryBudgetExceeded` once either is spent.

    ``what`` names the call (``"kg.match"``), ``unit`` its results (``"matches"``); ``timeout``
    in seconds and ``max_results`` as given by the caller (``None``: no budget). A bad value is
    an :class:`~sle_graph.errors.InvalidArgument`.

    >>> budget = Budget("kg.match", "matches", timeout=None, max_results=2)
    >>> budget.check(2)
    >>> budget.check(3)
    Traceback (most recent call last):
    ...
    sle_graph.errors.QueryBudgetExceeded: kg.match stopped: more than max_results=2 matches (3 found so far); ...
    """

    __slots__ = ("what", "unit", "timeout", "max_results", "deadline", "hint")

    def __init__(self, what: str, unit: str, *, timeout: Any, max_results: Any, hint: str = ""):
        if timeout is not None:
            if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
                raise TypeError(f"timeout must be a number of seconds or None, not {type(timeout).__name__}")
            if not timeout > 0 or math.isnan(timeout):
                raise InvalidArgument(f"timeout must be more than 0 seconds (or None for no time budget), "
                                      f"got {timeout}")
        if max_results is not None:
            if isinstance(max_results, bool) or not isinstance(max_results, int):
                raise TypeError(f"max_results must be an int or None, not {type(max_results).__name__}")
            if max_results < 0:
                raise InvalidArgument(f"max_results must be at least 0 (or None for no result budget), "
                                      f"got {max_results}")
        self.what, self.unit, self.timeout, self.max_results, self.hint = what, unit, timeout, max_results, hint
        self.deadline = None if timeout is None or math.isinf(timeout) else time.monotonic() + timeout

    def check(self, found: int) -> None:
        """Raise if ``found`` is past ``max_results`` or the time is up."""
        if self.max_results is not None and found > self.max_results:
            raise QueryBudgetExceeded(
                f"{self.what} stopped: more than max_results={self.max_results} {self.unit} ({found:,} found so far); "
                f"pass a larger max_results (None: no limit){self.hint}",
                budget="max_results", limit=self.max_results, found=found)
        self.check_time(found)

    def check_time(self, found: int) -> None:
        """Raise if the time is up (``found``: how many results so far, for the message)."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise QueryBudgetExceeded(
                f"{self.what} stopped after its timeout={self.timeout} seconds ({found:,} {self.unit} found so far); "
                f"pass a larger timeout (None: no limit){self.hint}",
                budget="timeout", limit=self.timeout, found=found)
