"""The modality of a quote decided from its own words: the cue-word rule.

The values (firmest first) are declared in the ontology (:func:`sle_graph.ontology.modalities`);
the cue words are data, ``data/modality_cues.tsv`` (cue, modality, why). The rule: find every cue
of the table in the quote, as whole words and case-insensitively; the quote's modality is the
weakest modality among the cues found (the hedge that limits the claim most), ``asserted`` when
no cue is found. A curator reviews each curated record; where the rule misfires (a cue that does
not hedge the claim, as "can affect various organ systems" in a definition of SLE) the record
keeps its reviewed value and ``data/README.md`` lists the exception with its reason.

Example
-------
>>> from sle_graph.build.modality import modality_of_text
>>> modality_of_text("MSCs hold immense potential for alleviating lupus symptoms")
'potential'
>>> modality_of_text("stem cell transplantation can reset the immune system")
'possible'
>>> modality_of_text("MSCs exert their therapeutic effects by suppressing aberrant immune responses")
'asserted'
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from .._resources import data_file
from ..ontology import modalities

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Edge

__all__ = ["FIRM", "modality_cues", "modality_cues_in", "modality_of_text", "firmness", "edge_modality"]

#: The modality of a quote in which no cue is found.
#:
#: Examples
#: --------
#: >>> from sle_graph.build.modality import FIRM, modality_of_text
#: >>> modality_of_text("MSCs suppress aberrant immune responses") == FIRM
#: True
FIRM = "asserted"


@functools.lru_cache(maxsize=None)
def modality_cues() -> dict[str, str]:
    """The cue table: cue words -> modality, in the order of ``data/modality_cues.tsv``.

    Read once and cached.

    Returns
    -------
    dict of str to str
        cue (lower case) -> a modality of the ontology.

    Raises
    ------
    ValueError
        When a row names a modality the ontology does not declare.

    Examples
    --------
    >>> modality_cues()["can"]
    'possible'
    """
    known = modalities()
    cues: dict[str, str] = {}
    with open(data_file("modality_cues.tsv"), encoding="utf-8") as fh:
        next(fh)
        for number, line in enumerate(fh, start=2):
            cue, modality = line.rstrip("\n").split("\t")[:2]
            if modality not in known:
                raise ValueError(f"modality_cues.tsv line {number}: unknown modality {modality!r}; "
                                 f"modalities: {', '.join(known)}")
            cues[cue.lower()] = modality
    return cues


@functools.lru_cache(maxsize=None)
def _cue_pattern() -> re.Pattern[str]:
    # Longest cues first, so "early clinical trials" is found whole; words bounded on both sides.
    words = sorted(modality_cues(), key=lambda c: (-len(c), c))
    return re.compile(r"\b(" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\b",
                      re.IGNORECASE)


def modality_cues_in(text: str) -> list[tuple[str, str]]:
    """The cues found in ``text``, in reading order, each with its modality.

    Parameters
    ----------
    text : str
        A quote.

    Returns
    -------
    list of tuple of (str, str)
        ``(cue as written, modality)`` pairs.

    Examples
    --------
    >>> modality_cues_in("some patients may benefit")
    [('some patients', 'partial'), ('may', 'possible')]
    """
    cues = modality_cues()
    return [(m.group(0), cues[" ".join(m.group(0).lower().split())]) for m in _cue_pattern().finditer(text)]


def modality_of_text(text: str) -> str:
    """The modality the cue rule gives ``text``: the weakest of its cues, ``asserted`` if none.

    Parameters
    ----------
    text : str
        A quote.

    Returns
    -------
    str
        A modality of :func:`sle_graph.ontology.modalities`.

    Examples
    --------
    >>> from sle_graph.build.modality import modality_of_text
    >>> modality_of_text("This approach has shown promising results in early clinical trials, "
    ...                  "with some patients experiencing long-term remission")
    'preliminary'
    """
    rank = modalities()
    found = [m for _, m in modality_cues_in(text)]
    return max(found, key=lambda m: rank[m].rank) if found else FIRM


@functools.lru_cache(maxsize=None)
def firmness() -> dict[str, int]:
    """Each modality's firmness for ranking: higher is firmer (``asserted`` highest, ``potential`` 0).

    Read once from the ontology and cached.

    Returns
    -------
    dict of str to int
        Modality -> firmness, from 0 (the weakest) up.

    Examples
    --------
    >>> firmness()["asserted"] > firmness()["possible"] > firmness()["potential"] == 0
    True
    """
    known = modalities()
    return {name: len(known) - 1 - m.rank for name, m in known.items()}


def edge_modality(edge: "Edge") -> str | None:
    """The firmest modality among an edge's quote records; None when no record has one.

    An edge that one text states as fact and another holds out as a prospect is ``asserted``:
    the firmest words behind it are what a reader can cite.

    Parameters
    ----------
    edge : Edge
        An edge of a graph.

    Returns
    -------
    str or None
        A modality of :func:`sle_graph.ontology.modalities`, or None.

    Examples
    --------
    >>> import sle_graph
    >>> from sle_graph.build.modality import edge_modality
    >>> kg = sle_graph.load()
    >>> edge_modality(kg.edge_map["msc", "has_outcome", "alleviated_symptoms"])
    'potential'
    """
    firm = firmness()
    best: str | None = None
    for ev in edge.evidence:
        m = ev.modality
        if m is not None and (best is None or firm.get(m, -1) > firm.get(best, -1)):
            best = m
    return best
