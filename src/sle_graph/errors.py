"""Error types of sle_graph.

Every problem found in input data is a :class:`Problem` (where, what, and a suggestion where one
exists). Loaders collect all problems of an input before raising one :class:`ValidationError`, so
a user fixes a file in one pass, and nothing is half-loaded.

Example
-------
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

__all__ = ["Problem", "ValidationError", "SleGraphError", "suggest", "closest"]


class SleGraphError(Exception):
    """Base class of the errors this library raises on purpose."""


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
