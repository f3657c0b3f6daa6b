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
    """Base class of the errors this library raises on purpose.

    Catch it for anything sle_graph refuses; each subclass is also the built-in type code would
    catch without knowing sle_graph (``KeyError``, ``ValueError``).

    Examples
    --------
    >>> import sle_graph
    >>> try:
    ...     sle_graph.load().node("no such node")
    ... except sle_graph.SleGraphError as exc:
    ...     print(type(exc).__name__, isinstance(exc, KeyError))
    NodeNotFound True
    """


class _KeyMessage(SleGraphError, KeyError):
    """A ``KeyError`` that prints its message (``KeyError`` alone would show its repr)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class NodeNotFound(_KeyMessage):
    """No node answers to a reference; the message lists the closest matches.

    Also a ``KeyError``. Raised by :meth:`KnowledgeGraph.node` and everything that takes a node
    reference.

    Examples
    --------
    >>> import sle_graph
    >>> sle_graph.load().node("mesenchymal stem cel")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sle_graph.errors.NodeNotFound: no node 'mesenchymal stem cel'; closest: 'mesenchymal stem cell' (msc)...
    """


class EdgeNotFound(_KeyMessage):
    """No edge ``subject -predicate-> object`` (both nodes exist).

    Also a ``KeyError``; the message names the predicates that do join the two nodes, if any.

    Examples
    --------
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
    """A node kind the ontology does not declare, with "did you mean".

    Also a ``ValueError``.

    Parameters
    ----------
    name : str
        The unknown kind; kept as ``.name``.
    choices : iterable of str, optional
        The declared kinds; kept as ``.choices``.
    context : str, optional
        Words written after the name (``"in via"``).
    listing : bool, default False
        List every choice even when one is close (they are listed anyway when none is).

    Examples
    --------
    >>> from sle_graph import UnknownKind
    >>> print(UnknownKind("Cel", ["Cell", "Study"]))
    unknown kind 'Cel'; did you mean 'Cell'?
    """

    what = "kind"


class UnknownPredicate(_UnknownName):
    """A predicate the ontology does not declare, with "did you mean".

    Also a ``ValueError``.

    Parameters
    ----------
    name : str
        The unknown predicate; kept as ``.name``.
    choices : iterable of str, optional
        The declared predicates; kept as ``.choices``.
    context : str, optional
        Words written after the name.
    listing : bool, default False
        List every choice even when one is close (they are listed anyway when none is).

    Examples
    --------
    >>> from sle_graph import UnknownPredicate
    >>> print(UnknownPredicate("treat", ["treats", "uses"]))
    unknown predicate 'treat'; did you mean 'treats'?
    """

    what = "predicate"


class PatternError(SleGraphError, ValueError):
    """A malformed metapath pattern, shown with a caret under the offending column.

    Also a ``ValueError``. The message says what was expected there.

    Parameters
    ----------
    reason : str
        What is wrong; kept as ``.reason``.
    pattern : str
        The pattern; kept as ``.pattern``.
    column : int
        Where, 1-based; kept as ``.column``.
    name : str, optional
        The unknown kind or predicate, for :class:`PatternKindError` and
        :class:`PatternPredicateError`.

    Examples
    --------
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
    """An unknown kind in a pattern: both a :class:`PatternError` and an :class:`UnknownKind`.

    Parameters
    ----------
    reason : str
        What is wrong, with "did you mean" where a kind is close.
    pattern : str
        The pattern.
    column : int
        Where the kind starts, 1-based.
    name : str, optional
        The unknown kind.

    Examples
    --------
    >>> import sle_graph
    >>> try:
    ...     sle_graph.load().match("StemCel -> Mechanism")
    ... except sle_graph.UnknownKind as exc:
    ...     print(isinstance(exc, sle_graph.PatternError), exc.name)
    True StemCel
    """


class PatternPredicateError(PatternError, UnknownPredicate):
    """An unknown predicate in a pattern: a :class:`PatternError` and an :class:`UnknownPredicate`.

    Parameters
    ----------
    reason : str
        What is wrong, with "did you mean" where a predicate is close.
    pattern : str
        The pattern.
    column : int
        Where the predicate starts, 1-based.
    name : str, optional
        The unknown predicate.

    Examples
    --------
    >>> import sle_graph
    >>> try:
    ...     sle_graph.load().match("StemCell -[acts_thru]-> Mechanism")
    ... except sle_graph.UnknownPredicate as exc:
    ...     print(isinstance(exc, sle_graph.PatternError), exc.name)
    True acts_thru
    """


class SparqlError(SleGraphError, ValueError):
    """A SPARQL query the in-memory engine cannot run: the message says where and why.

    Also a ``ValueError``.

    Parameters
    ----------
    reason : str
        What is wrong (the message's first line).
    line : int, optional
        The query's line (1-based) the error is at, when it is tied to a place.
    column : int, optional
        The column (1-based) within that line.
    text : str, optional
        That line of the query, drawn under the reason with a caret at ``column``.

    Examples
    --------
    >>> import sle_graph
    >>> try:
    ...     sle_graph.load().sparql("SELECT ?x WHERE { ?x foo:bar ?y }")
    ... except sle_graph.SparqlError as exc:
    ...     print(exc)  # doctest: +ELLIPSIS
    bad SPARQL query: unknown prefix 'foo' (bound: BFO, CL, ...); declare it with PREFIX foo: <...>

    A syntax error names its line and column and shows that line with a caret under the
    offending token; ``reason`` (the first line), ``line``, ``column`` (1-based) and ``text``
    (the query's line) hold the parts, so that other front ends (the command line) can draw it
    their way. They are ``None`` for errors not tied to a place.

    >>> try:
    ...     sle_graph.load().sparql("SELECT ?x WHERE { ?x rdfs:label ?l FILTER(?l = ) }")
    ... except sle_graph.SparqlError as exc:
    ...     print(exc)
    ...     print(exc.line, exc.column, repr(exc.text[exc.column - 1:]))
    bad SPARQL query at line 1, column 46: FILTER cannot be read from '=' on
      SELECT ?x WHERE { ?x rdfs:label ?l FILTER(?l = ) }
                                                   ^
    1 46 '= ) }'
    """

    def __init__(self, reason: str, *, line: int | None = None, column: int | None = None,
                 text: str | None = None):
        self.reason, self.line, self.column, self.text = reason, line, column, text
        if line is None or column is None or text is None:
            super().__init__(reason)
        else:  # the caret under the column: tabs kept, so it lines up however wide they show
            pad = "".join(c if c == "\t" else " " for c in text[:column - 1])
            super().__init__(f"{reason}\n  {text}\n  {pad}^")


class UnknownFormat(SleGraphError, ValueError):
    """A file or format name no reader (or writer) takes.

    Also a ``ValueError``. The message names the file and lists the known formats
    (:mod:`sle_graph.io.formats`).

    Examples
    --------
    >>> import sle_graph
    >>> sle_graph.read("graph.xyz")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sle_graph.errors.UnknownFormat: cannot read 'graph.xyz': unknown suffix '.xyz'; ...
    """


class InvalidArgument(SleGraphError, ValueError):
    """An argument out of range or of the wrong form (``max_hops=0``, a malformed URL).

    Also a ``ValueError``.

    Examples
    --------
    >>> import sle_graph
    >>> sle_graph.load().paths("msc", "sle", max_hops=0)
    Traceback (most recent call last):
    ...
    sle_graph.errors.InvalidArgument: max_hops must be at least 1, got 0
    """


class RenderError(SleGraphError):
    """A diagram could not be drawn: Graphviz failed, timed out, or the graph is too large.

    Examples
    --------
    >>> import sle_graph
    >>> issubclass(sle_graph.GraphvizNotFound, sle_graph.RenderError)
    True
    """


class GraphvizNotFound(RenderError):
    """The Graphviz program (``dot`` or ``sfdp``) is not on ``PATH``.

    A :class:`RenderError`; the message says how to install Graphviz. DOT text needs no Graphviz.

    Examples
    --------
    >>> import sle_graph
    >>> try:
    ...     svg = sle_graph.load().neighbors("msc").render(format="svg")
    ... except sle_graph.GraphvizNotFound:
    ...     svg = None  # install Graphviz, or ask for format="dot"
    """


class RenderTimeout(RenderError):
    """Graphviz ran longer than the timeout and was stopped.

    A :class:`RenderError`; give ``render(..., timeout=)`` more seconds, or draw less.

    Examples
    --------
    >>> import sle_graph
    >>> issubclass(sle_graph.RenderTimeout, sle_graph.RenderError)
    True
    """


class EndpointError(SleGraphError):
    """A SPARQL server refused a request, answered with an error, or could not be reached.

    Parameters
    ----------
    message : str
        What went wrong, and what to do about it.
    status : int, optional
        The HTTP status; kept as ``.status`` (None when no answer came).
    url : str, optional
        The address asked, never with credentials; kept as ``.url``.
    server_message : str, optional
        The start of the server's own message; kept as ``.server_message``.

    Examples
    --------
    >>> import sle_graph
    >>> try:
    ...     sle_graph.connect("http://127.0.0.1:9", retries=0).count_triples()
    ... except sle_graph.EndpointError as exc:
    ...     print(exc.status, exc.url)
    None http://127.0.0.1:9/query
    """

    def __init__(self, message: str, *, status: int | None = None, url: str = "",
                 server_message: str = ""):
        super().__init__(message)
        self.status = status
        self.url = url
        self.server_message = server_message


class QueryBudgetExceeded(SleGraphError):
    """A query stopped at its budget: ``timeout`` seconds ran out, or it found more than
    ``max_results`` results; in memory (``kg.match``, ``kg.count``, ``kg.paths``) or on a server
    (the same methods of :class:`~sle_graph.RemoteGraph`). The message says how many were found
    so far and which argument lifts the budget.

    Parameters
    ----------
    message : str
        What ran out, how many were found, and how to lift the budget.
    budget : {"timeout", "max_results"}
        Which budget ran out; kept as ``.budget``.
    limit : float
        Its value; kept as ``.limit``.
    found : int, optional
        How many results were found so far (for ``count``, the count so far); kept as
        ``.found`` (None when a server had not answered yet).

    Examples
    --------
    >>> import sle_graph
    >>> try:
    ...     sle_graph.load().match("* -> *", max_results=3)
    ... except QueryBudgetExceeded as exc:
    ...     print(exc.budget, exc.limit, exc.found >= 3)
    max_results 3 True
    """

    def __init__(self, message: str, *, budget: str, limit: float, found: int | None):
        super().__init__(message)
        self.budget, self.limit, self.found = budget, limit, found


class LimitExceeded(SleGraphError, ValueError):
    """An input larger than a limit of :mod:`sle_graph.limits`: the message names the limit and
    how to raise it. Also a ``ValueError``.

    Parameters
    ----------
    message : str
        What is too large, the limit, and how to raise it.
    name : str
        The limit's name, an attribute of :mod:`sle_graph.limits`; kept as ``.name``.
    limit : int
        Its value; kept as ``.limit``.
    size : int
        The size found; kept as ``.size``.

    Examples
    --------
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

    Also a ``FileNotFoundError``, so code that catches that keeps working; it takes what
    ``FileNotFoundError`` takes (the message).

    Examples
    --------
    >>> import sle_graph
    >>> sle_graph.read_rdf("not RDF, and no file of that name")
    Traceback (most recent call last):
    ...
    sle_graph.errors.SourceNotFound: no such RDF file: 'not RDF, and no file of that name'; ...
    """


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: what, where, and how to fix it when we can tell.

    :class:`ValidationError` carries a list of them, as ``.problems``.

    Parameters
    ----------
    message : str
        What is wrong.
    file : str, optional
        The file it is in.
    line : int, optional
        The line, 1-based.
    column : str or int, optional
        The column or field (``"kind"``, ``"rows[3] (kind)"``).
    suggestion : str, optional
        How to fix it (``"did you mean 'Mechanism'?"``).

    Examples
    --------
    >>> from sle_graph import Problem
    >>> print(Problem("unknown kind 'Mechansim'", file="facts.tsv", line=12,
    ...               column="kind", suggestion="did you mean 'Mechanism'?"))
    facts.tsv:12 (kind): unknown kind 'Mechansim'; did you mean 'Mechanism'?
    """

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
    """Input broke the schema or was malformed; ``problems`` lists every problem found.

    Also a ``ValueError``. Loaders collect every problem of an input before raising, so a file is
    fixed in one pass, and nothing is half-loaded. The message shows the first 50.

    Parameters
    ----------
    problems : sequence of Problem, Problem or str
        The problems; kept as the tuple ``.problems``.

    Examples
    --------
    >>> from sle_graph import Problem, ValidationError
    >>> err = ValidationError([Problem("unknown kind 'Mechansim'", file="facts.tsv", line=12,
    ...                                suggestion="did you mean 'Mechanism'?")])
    >>> print(err)
    1 problem:
      facts.tsv:12: unknown kind 'Mechansim'; did you mean 'Mechanism'?
    >>> err.problems[0].line
    12
    """

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
