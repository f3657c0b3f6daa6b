"""Error types of sle_graph: one hierarchy, every class under :class:`SleGraphError`.

Catch ``SleGraphError`` for anything the library raises on purpose. The classes, and the
built-in type each also is (so code catching ``KeyError`` or ``ValueError`` keeps working):

- :class:`NodeNotFound` (``KeyError``): no node answers to a reference; the closest names listed.
- :class:`EdgeNotFound` (``KeyError``): no edge ``subject -predicate-> object``.
- :class:`UnknownKind`, :class:`UnknownPredicate` (``ValueError``): a name the ontology does
  not declare, with "did you mean"; in a pattern, :class:`PatternKindError` and
  :class:`PatternPredicateError` are both a :class:`PatternError` and one of these.
- :class:`PatternError` (``ValueError``): a malformed metapath pattern, with a caret.
- :class:`SparqlError` (``ValueError``): a SPARQL query the in-memory engine cannot run.
- :class:`ValidationError` (``ValueError``): input data broke the schema; ``problems`` lists
  every :class:`Problem` (file, line, what, and a suggestion where one exists). Loaders collect
  all problems of an input before raising, so a user fixes a file in one pass, and nothing is
  half-loaded.
- :class:`UnknownFormat` (``ValueError``): a file or format name that no reader or writer takes
  (see :mod:`sle_graph.io.formats`), the known formats listed.
- :class:`InvalidArgument` (``ValueError``): an argument out of range or of the wrong form
  (``max_hops=99``, a malformed endpoint URL).
- :class:`RenderError`, and its :class:`GraphvizNotFound` and :class:`RenderTimeout`: a
  diagram could not be drawn.
- :class:`EndpointError`: a SPARQL server refused a request or could not be reached.
- :class:`QueryBudgetExceeded`: a query (``match``, ``count``, ``paths``) ran out of its time
  or result budget; ``found`` says how many results it had found by then.
- :class:`SourceNotFound` (``FileNotFoundError``): no file or folder of the name a reader was
  given (and the string does not look like content of the format either).
- :class:`LimitExceeded` (``ValueError``): an input past a size limit of :mod:`sle_graph.limits`
  (a pattern's text); the message names the limit and how to raise it.

The modules that raise them re-export them (``sle_graph.draw.diagram.GraphvizNotFound``,
``sle_graph.query.patterns.PatternError``, ...), and ``sle_graph`` exports them all.

Example
-------
>>> import sle_graph
>>> try:
...     sle_graph.load().nodes(kind="Cel")
... except sle_graph.UnknownKind as exc:
...     print(isinstance(exc, ValueError), "did you mean 'Cell'" in str(exc))
True True
>>> from sle_graph.errors import Problem, ValidationError
>>> err = ValidationError([Problem("unknown kind 'Mechansim'", file="facts.tsv", line=12,
...                                suggestion="did you mean 'Mechanism'?")])
>>> print(err)
1 problem:
  facts.tsv:12: unknown kind 'Mechansim'; did you mean 'Mechanism'?
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Sequence

__all__ = ["Problem", "SleGraphError", "NodeNotFound", "EdgeNotFound", "UnknownKind", "UnknownPredicate",
           "PatternError", "PatternKindError", "PatternPredicateError", "SparqlError", "ValidationError",
           "UnknownFormat", "InvalidArgument", "RenderError", "GraphvizNotFound", "RenderTimeout",
           "EndpointError", "QueryBudgetExceeded", "LimitExceeded", "SourceNotFound", "suggest", "closest"]


class SleGraphError(Exception):
    """Base class of the errors this library raises on purpose."""


class _KeyMessage(SleGraphError, KeyError):
    """A ``KeyError`` that prints its message (``KeyError`` alone would show its repr)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class NodeNotFound(_KeyMessage):
    """No node answers to a reference; the message lists the closest matches.

    >>> import sle_graph
    >>> sle_graph.load().node("mesenchymal stem cel")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sle_graph.errors.NodeNotFound: no node 'mesenchymal stem cel'; closest: 'mesenchymal stem cell' (msc)...
    """


class EdgeNotFound(_KeyMessage):
    """No edge ``subject -predicate-> object`` (both nodes exist).

    >>> import sle_graph
    >>> sle_graph.load().edge("msc", "treats", "msc")
    Traceback (most recent call last):
    ...
    sle_graph.errors.EdgeNotFound: no edge msc -[treats]-> msc
    """


class _UnknownName(SleGraphError, ValueError):
    """A name the ontology does not declare; the message suggests the closest declared ones.

    ``name`` is the unknown name, ``choices`` the declared ones, ``context`` words after the name
    (``"in via"``); ``listing`` lists every choice even when one is close (they are listed
    anyway when none is).
    """

    what = "name"
    #: The declared names the unknown one was compared with (empty for a pattern's errors).
    choices: tuple[str, ...] = ()

    def __init__(self, name: str, choices: Iterable[str] = (), context: str = "", *, listing: bool = False):
        choices = list(choices)
        self.name, self.choices = name, tuple(choices)
        text = f"unknown {self.what} {name!r}{' ' + context if context else ''}"
        hint = suggest(name, choices)
        if hint:
            text += f"; {hint}"
        if (listing or not hint) and choices:
            text += f" ({self.what}s: {', '.join(choices)})"
        super().__init__(text)


class UnknownKind(_UnknownName):
    """A node kind the ontology does not declare: ``UnknownKind("Cel", kinds)``, with "did you mean".

    >>> print(UnknownKind("Cel", ["Cell", "Study"]))
    unknown kind 'Cel'; did you mean 'Cell'?
    """

    what = "kind"


class UnknownPredicate(_UnknownName):
    """A predicate the ontology does not declare, with "did you mean".

    >>> print(UnknownPredicate("treat", ["treats", "uses"]))
    unknown predicate 'treat'; did you mean 'treats'?
    """

    what = "predicate"


class PatternError(SleGraphError, ValueError):
    """A malformed metapath pattern. The message names the column, shows it with a caret, and says
    what was expected there; ``pattern``, ``column`` (1-based) and ``reason`` hold the parts.

    >>> from sle_graph.query.patterns import parse_pattern
    >>> parse_pattern("Cell -> -> Outcome")
    Traceback (most recent call last):
    ...
    sle_graph.errors.PatternError: expected a kind (e.g. Cell), '*' or a quoted node at column 9
      Cell -> -> Outcome
              ^
    """

    def __init__(self, reason: str, pattern: str, column: int, name: str | None = None):
        self.reason, self.pattern, self.column = reason, pattern, column
        self.name = name  # the unknown kind or predicate, for the two subclasses below
        # Exception's own __init__: the subclasses below also derive from _UnknownName, whose
        # __init__ writes a message of its own.
        Exception.__init__(self, f"{reason} at column {column}\n  {pattern}\n  {' ' * (column - 1)}^")


class PatternKindError(PatternError, UnknownKind):
    """An unknown kind in a pattern: catchable as :class:`PatternError` and as :class:`UnknownKind`."""


class PatternPredicateError(PatternError, UnknownPredicate):
    """An unknown predicate in a pattern: a :class:`PatternError` and an :class:`UnknownPredicate`."""


class SparqlError(SleGraphError, ValueError):
    """A SPARQL query the in-memory engine cannot run: the message says where and why.

    >>> import sle_graph
    >>> try:
    ...     sle_graph.load().sparql("SELECT ?x WHERE { ?x foo:bar ?y }")
    ... except sle_graph.SparqlError as exc:
    ...     print(exc)  # doctest: +ELLIPSIS
    bad SPARQL query: unknown prefix 'foo' (bound: BFO, CL, ...); declare it with PREFIX foo: <...>
    """


class UnknownFormat(SleGraphError, ValueError):
    """A file or format name no reader (or writer) takes; the message names the file and lists
    the known formats (:mod:`sle_graph.io.formats`).

    >>> import sle_graph
    >>> sle_graph.read("graph.xyz")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sle_graph.errors.UnknownFormat: cannot read 'graph.xyz': unknown suffix '.xyz'; ...
    """


class InvalidArgument(SleGraphError, ValueError):
    """An argument out of range or of the wrong form (``max_hops=99``, a malformed URL).

    >>> import sle_graph
    >>> sle_graph.load().paths("msc", "sle", max_hops=0)
    Traceback (most recent call last):
    ...
    sle_graph.errors.InvalidArgument: max_hops must be at least 1, got 0
    """


class RenderError(SleGraphError):
    """A diagram could not be drawn: Graphviz failed, timed out, or the graph is too large."""


class GraphvizNotFound(RenderError):
    """The Graphviz program (``dot`` or ``sfdp``) is not on ``PATH``."""


class RenderTimeout(RenderError):
    """Graphviz ran longer than the timeout and was stopped."""


class EndpointError(SleGraphError):
    """A SPARQL server refused a request, answered with an error, or could not be reached.

    ``status`` is the HTTP status (``None`` when no answer came), ``url`` the address asked
    (never with credentials), ``server_message`` the start of the server's own message.
    """

    def __init__(self, message: str, *, status: int | None = None, url: str = "",
                 server_message: str = ""):
        super().__init__(message)
        self.status = status
        self.url = url
        self.server_message = server_message


class QueryBudgetExceeded(SleGraphError):
    """A query stopped at its budget: ``timeout`` seconds ran out, or it found more than
    ``max_results`` results. ``budget`` names which (``"timeout"`` or ``"max_results"``),
    ``limit`` holds its value and ``found`` how many results were found so far (for ``count``,
    the count so far). The message says how to lift the budget.

    >>> import sle_graph
    >>> try:
    ...     sle_graph.load().match("* -> *", max_results=3)
    ... except QueryBudgetExceeded as exc:
    ...     print(exc.budget, exc.limit, exc.found > 3)
    max_results 3 True
    """

    def __init__(self, message: str, *, budget: str, limit: float, found: int):
        super().__init__(message)
        self.budget, self.limit, self.found = budget, limit, found


class LimitExceeded(SleGraphError, ValueError):
    """An input larger than a limit of :mod:`sle_graph.limits`; ``name`` is the limit (an
    attribute of that module), ``limit`` its value, ``size`` what was found.

    >>> from sle_graph.query.patterns import parse_pattern
    >>> parse_pattern("'" + "x" * 20_000 + "' -> *")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sle_graph.errors.LimitExceeded: a pattern of 20,007 characters is longer than sle_graph.limits.MAX_PATTERN_CHARS = 10,000; ...
    """

    def __init__(self, message: str, *, name: str, limit: int, size: int):
        super().__init__(message)
        self.name, self.limit, self.size = name, limit, size


class SourceNotFound(SleGraphError, FileNotFoundError):
    """A reader was given the name of a file or folder that does not exist (a string that does not
    look like content of the format either). The message shows the start of the name only.

    >>> import sle_graph
    >>> sle_graph.read_rdf("not RDF, and no file of that name")
    Traceback (most recent call last):
    ...
    sle_graph.errors.SourceNotFound: no such RDF file: 'not RDF, and no file of that name'; ...
    """


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: what, where, and how to fix it when we can tell."""

    message: str
    file: str | None = None
    line: int | None = None
    column: str | int | None = None
    suggestion: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
        elif self.line is not None:
            where = f"line {self.line}"
        if self.column is not None:
            where += f" ({self.column})" if where else f"({self.column})"
        text = f"{where}: {self.message}" if where else self.message
        if self.suggestion:
            text += f"; {self.suggestion}"
        return text


class ValidationError(SleGraphError, ValueError):
    """Input broke the schema or was malformed. ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        n = len(self.problems)
        lines = [f"{n} problem{'s' if n != 1 else ''}:"]
        lines += [f"  {p}" for p in self.problems[:50]]
        if n > 50:
            lines.append(f"  ... and {n - 50} more (see .problems)")
        return "\n".join(lines)


def install_hint(package: str, extra: str) -> str:
    """How to install an optional dependency, in words that work: the plain package from PyPI, or
    the extra of the ``sle_graph`` distribution from a checkout (it is not published on PyPI).

    >>> print(install_hint("pandas", "pandas"))
    pip install pandas (or, in a checkout of sle_graph: pip install -e '.[pandas]')
    """
    return f"pip install {package} (or, in a checkout of sle_graph: pip install -e '.[{extra}]')"


def closest(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` of ``choices`` closest to ``word``, case-insensitively, best first."""
    by_lower: dict[str, str] = {}
    for choice in choices:
        by_lower.setdefault(choice.lower(), choice)
    found = difflib.get_close_matches(word.lower(), list(by_lower), n=n, cutoff=0.6)
    return [by_lower[f] for f in found]


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """A "did you mean" phrase for ``word`` among ``choices``, or None when nothing is close."""
    found = closest(word, choices)
    if not found:
        return None
    return "did you mean " + " or ".join(f"'{f}'" for f in found) + "?"
