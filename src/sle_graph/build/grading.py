"""Evidence grades and statuses of assertions, computed from their evidence, never typed in.

The rule
--------
Every study has a **design class**, read from its ``design`` attribute by :data:`DESIGN_RULES`
(first matching rule wins). The classes, strongest first, are :data:`GRADES`:

1. ``randomised trial or meta-analysis``
2. ``single-arm trial``
3. ``cohort or registry``
4. ``case series``
5. ``article claim``: no study supports the assertion; it rests on its source's claim (an
   article quote or a user's reference).

An edge's **grade** is the strongest class among the studies whose evidence record *supports*
it (``article claim`` when none does). Its **status** (:data:`STATUSES`):

- ``contested``: a study *contradicts* it with a design as strong as or stronger than the
  grade. An edge that only articles support ranks ``article claim``, below every study design,
  so any contradicting study makes it contested.
- ``supported``: at least one study supports it and no contradicting study is that strong.
- ``claim only``: no study supports or contradicts it.

``neutral`` findings never change the grade or the status; they stay in the evidence for
readers. Only study evidence counts (``Evidence.kind == "study"``); quotes and references are
claims.

Design decisions the rule table encodes
---------------------------------------
- A meta-analysis ranks with randomised trials; "no meta-analysis" does not count as one.
- "non-randomised" is not randomised.
- A **systematic review without meta-analysis** is a qualitative summary of uncontrolled studies:
  it has no randomised comparison and no pooled estimate, so it ranks ``cohort or registry``
  (many patients over many centres, like a registry, but no protocol of its own).
- Phase 1 / open-label / dose-escalation / pilot studies without a control arm are
  ``single-arm trial``.
- "preclinical ... + first-in-human case series" is a ``case series``: the human evidence is.
- A study whose design is missing or matches no rule (possible only in graphs built by hand;
  the table reader rejects it) counts as a ``case series``, the weakest study design, so it can
  contest only claims that no stronger study supports.

Example
-------
>>> from sle_graph import KnowledgeGraph, Node, Edge, Evidence
>>> nodes = [Node("t", "Therapy", "a therapy", definition="A therapy."),
...          Node("o", "Outcome", "an outcome", definition="An outcome."),
...          Node("rct", "Study", "an RCT", definition="A trial.",
...               attributes={"design": "randomised double-blind placebo-controlled trial"})]
>>> kg = KnowledgeGraph(nodes, [Edge("t", "has_outcome", "o", (
...     Evidence("rct", stance="contradicts", finding="no difference"),
...     Evidence("x", reference="An article says so.")))])
>>> e = kg.edge("t", "has_outcome", "o")
>>> e.grade, e.status
('article claim', 'contested')
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from ..errors import InvalidArgument, suggest
from ..model import Edge, Evidence, Node
from ..ontology import modalities
from .modality import edge_modality

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from ..graph import KnowledgeGraph

__all__ = ["grade_edges", "grade_edge", "grade_columns", "claims", "design_grade", "study_grade",
           "STATUSES", "GRADES", "DESIGN_RULES"]

#: The statuses of an edge, as the module's rule sets them.
#:
#: Examples
#: --------
#: >>> import sle_graph
#: >>> from sle_graph.build.grading import STATUSES
#: >>> sorted({e.status for e in sle_graph.load().edges()} - set(STATUSES))
#: []
STATUSES = ("supported", "contested", "claim only")

RCT_OR_META = "randomised trial or meta-analysis"
SINGLE_ARM = "single-arm trial"
COHORT = "cohort or registry"
CASE_SERIES = "case series"
ARTICLE_CLAIM = "article claim"

#: Grades, strongest first.
#:
#: Examples
#: --------
#: >>> from sle_graph.build.grading import GRADES
#: >>> GRADES[0], GRADES[-1]
#: ('randomised trial or meta-analysis', 'article claim')
GRADES = (RCT_OR_META, SINGLE_ARM, COHORT, CASE_SERIES, ARTICLE_CLAIM)
_RANK = {g: i for i, g in enumerate(GRADES)}

#: ``(pattern, grade, why)``: the first pattern found (case-insensitive) in a design text wins.
#:
#: Examples
#: --------
#: >>> from sle_graph.build.grading import DESIGN_RULES, GRADES
#: >>> all(grade in GRADES for _, grade, _ in DESIGN_RULES)
#: True
DESIGN_RULES: tuple[tuple[str, str, str], ...] = (
    (r"(?<!no )meta-analys[ie]s", RCT_OR_META, "pooled estimate over trials"),
    (r"(?<!non-)(?<!non)randomi[sz]ed|\bRCT\b", RCT_OR_META, "randomised comparison"),
    (r"systematic review", COHORT,
     "review without pooling: no comparison of its own, rests on uncontrolled studies"),
    (r"case series|case report|compassionate", CASE_SERIES, "a few patients, no protocol or control"),
    (r"single[- ]arm|phase (?:I|1|II|2)\b|open-label|dose-escalation|pilot|non-randomi[sz]ed trial",
     SINGLE_ARM, "prospective protocol, no control arm"),
    (r"cohort|registry|case-control|cross-sectional", COHORT, "observational, no control arm"),
)
_COMPILED = tuple((re.compile(p, re.IGNORECASE), g) for p, g, _ in DESIGN_RULES)


def design_grade(design: str) -> str | None:
    """The design class of a study's ``design`` text, or None when no rule matches.

    The first rule of :data:`DESIGN_RULES` whose pattern the text holds gives the class.

    Parameters
    ----------
    design : str
        A study's design, in words (the ``design`` column of ``studies.tsv``).

    Returns
    -------
    str or None
        One of :data:`GRADES` except ``article claim``, or None when no rule matches.

    Examples
    --------
    >>> design_grade("preclinical (MRL/lpr mice) + first-in-human case series")
    'case series'
    >>> design_grade("case series, two regimens (non-randomised)")
    'case series'
    >>> design_grade("systematic review (no meta-analysis)")
    'cohort or registry'
    """
    for pattern, grade in _COMPILED:
        if pattern.search(design):
            return grade
    return None


def study_grade(node: Node | None) -> str:
    """The design class of a Study node; ``case series`` when its design is missing or unknown.

    Parameters
    ----------
    node : Node or None
        A Study node (its ``design`` attribute is read), or None.

    Returns
    -------
    str
        One of :data:`GRADES` except ``article claim``.

    Examples
    --------
    >>> import sle_graph
    >>> from sle_graph.build.grading import GRADES, study_grade
    >>> study_grade(sle_graph.load().node("kamen2022")) in GRADES
    True
    >>> study_grade(None)
    'case series'
    """
    if node is None:
        return CASE_SERIES
    return design_grade(node.attributes.get("design", "")) or CASE_SERIES


_NONE = _RANK[ARTICLE_CLAIM] + 1  # "no such study" ranks below everything
_CLAIM_ONLY = (ARTICLE_CLAIM, "claim only")


def _grade_of(edge: Edge, nodes: Mapping[str, Node], cache: dict[str, int]) -> tuple[str, str]:
    """``(grade, status)`` of an edge by the rule of this module."""
    support = contra = _NONE
    for ev in edge.evidence:
        if _counts(ev):
            for_it, against = _grade_ranks(ev, nodes, cache)
            support, contra = min(support, for_it), min(contra, against)
    if support == contra == _NONE:
        return _CLAIM_ONLY  # no study either way: the common case of imported graphs
    grade = GRADES[min(support, _RANK[ARTICLE_CLAIM])]
    if contra <= _RANK[grade]:
        status = "contested"
    elif support <= _RANK[CASE_SERIES]:
        status = "supported"
    else:
        status = "claim only"
    return grade, status


def _graded(edge: Edge, grade: str, status: str, nodes: Mapping[str, Node]) -> Edge:
    """A copy of ``edge`` with ``grade`` and ``status``; its node ids are the nodes' own strings
    and its predicate is interned, so a large graph holds each id once however it was read."""
    if type(edge) is not Edge:
        return replace(edge, grade=grade, status=status)
    subject, obj = edge.subject, edge.object
    s, o = nodes.get(subject), nodes.get(obj)
    return Edge(s.id if s is not None and s.id == subject else subject, sys.intern(edge.predicate),
                o.id if o is not None and o.id == obj else obj, edge.evidence, grade, status)


def grade_edge(edge: Edge, nodes: Mapping[str, Node], _cache: dict[str, int] | None = None) -> Edge:
    """``edge`` with ``grade`` and ``status`` set by the rule of this module.

    Parameters
    ----------
    edge : Edge
        The edge; only its study evidence counts.
    nodes : mapping of str to Node
        Node id -> node, where the edge's Study nodes are looked up (a study missing counts as a
        case series).
    _cache : dict of str to int, optional
        Study id -> rank of its design, kept between calls by a caller grading many edges;
        leave it out.

    Returns
    -------
    Edge
        ``edge`` itself when it is already graded so, else a copy with ``grade`` and ``status``.

    Examples
    --------
    >>> from sle_graph import Edge, Evidence, Node
    >>> study = Node("s1", "Study", "a trial", attributes={"design": "single-arm phase 1 trial"})
    >>> e = grade_edge(Edge("t", "has_outcome", "o", (Evidence("s1", finding="remission"),)),
    ...                {"s1": study})
    >>> e.grade, e.status
    ('single-arm trial', 'supported')
    """
    grade, status = _grade_of(edge, nodes, {} if _cache is None else _cache)
    if edge.grade == grade and edge.status == status:
        return edge  # already graded (sub-graphs of a graph): no copy
    return _graded(edge, grade, status, nodes)


def grade_edges(edges: Iterable[Edge], nodes: Mapping[str, Node]) -> list[Edge]:
    """The edges with ``grade`` and ``status`` set from their evidence (see the module doc).

    Edges already graded so are returned as they are; the others are copied once.

    Parameters
    ----------
    edges : iterable of Edge
        The edges to grade.
    nodes : mapping of str to Node
        Node id -> node, where the edges' Study nodes are looked up.

    Returns
    -------
    list of Edge
        The graded edges, in the order given.

    Examples
    --------
    >>> from sle_graph import Edge, Evidence, Node
    >>> study = Node("s1", "Study", "a cohort", attributes={"design": "registry cohort"})
    >>> edges = [Edge("t", "has_outcome", "o", (Evidence("s1", stance="contradicts", finding="no"),
    ...                                          Evidence("x", reference="An article says so."))),
    ...          Edge("t", "has_outcome", "p", (Evidence("x", reference="An article says so."),))]
    >>> [(e.grade, e.status) for e in grade_edges(edges, {"s1": study})]
    [('article claim', 'contested'), ('article claim', 'claim only')]
    """
    cache: dict[str, int] = {}
    out = []
    append = out.append
    for e in edges:
        grade, status = _grade_of(e, nodes, cache)
        append(e if e.grade == grade and e.status == status else _graded(e, grade, status, nodes))
    return out


def grade_columns(evidence: Sequence[Evidence], starts: "np.ndarray", nodes: Mapping[str, Node],
                  index: "np.ndarray | None" = None) -> tuple[list[str], list[str]]:
    """Grades and statuses of many edges at once, their evidence records given in one run.

    The rule of :func:`grade_edges`, with each record looked at once and the minimum over each
    edge's records taken by numpy: for graphs built from columns
    (:meth:`sle_graph.KnowledgeGraph.from_columns`), where no edge exists yet to grade.

    Parameters
    ----------
    evidence : sequence of Evidence
        The records of all edges, those of one edge next to each other; with ``index``, the
        distinct records that ``index`` points into.
    starts : numpy.ndarray
        Where each edge's records begin (in ``evidence``, or in ``index`` when given):
        increasing, the first 0, one per edge (an edge has at least one record).
    nodes : mapping of str to Node
        Node id -> node, where the Study nodes are looked up.
    index : numpy.ndarray, optional
        The records as positions in ``evidence`` (each distinct record is then looked at once).

    Returns
    -------
    tuple of (list of str, list of str)
        The grade and the status of each edge (the strings of :data:`GRADES` and
        :data:`STATUSES`, shared).

    Examples
    --------
    >>> import numpy as np
    >>> from sle_graph import Evidence, Node
    >>> study = Node("s1", "Study", "a cohort", attributes={"design": "registry cohort"})
    >>> records = [Evidence("s1", stance="contradicts", finding="no"),
    ...            Evidence("x", reference="An article says so."),
    ...            Evidence("x", reference="An article says so.")]
    >>> grade_columns(records, np.array([0, 2]), {"s1": study})
    (['article claim', 'article claim'], ['contested', 'claim only'])
    >>> grade_columns(records[:2], np.array([0, 1]), {"s1": study}, index=np.array([1, 0]))
    (['article claim', 'article claim'], ['claim only', 'contested'])
    """
    import numpy as np

    cache: dict[str, int] = {}
    ranks: dict[Evidence | None, tuple[int, int]] = {None: (_NONE, _NONE)}

    def rank(ev: Evidence) -> tuple[int, int]:  # (support, contradict) rank of one record
        found = ranks.get(ev)
        if found is None:
            found = ranks[ev] = _grade_ranks(ev, nodes, cache)
        return found

    # Claims (quotes, references) and neutral findings count for nothing: the common case
    # of a large graph, skipped without hashing the record.
    counted = [ev if _counts(ev) else None for ev in evidence]
    pairs = np.array([rank(ev) for ev in counted], dtype=np.int64).reshape(-1, 2)
    if index is not None:
        pairs = pairs[np.asarray(index, dtype=np.int64)]
    starts = np.asarray(starts, dtype=np.int64)
    if not len(starts):
        return [], []
    support = np.minimum.reduceat(pairs[:, 0], starts)
    contra = np.minimum.reduceat(pairs[:, 1], starts)
    grade = np.minimum(support, _RANK[ARTICLE_CLAIM])
    # Indexes of STATUSES; with no study either way, contra (_NONE) > grade and support > case series.
    status = np.where(contra <= grade, 1, np.where(support <= _RANK[CASE_SERIES], 0, 2))
    return [GRADES[g] for g in grade.tolist()], [STATUSES[s] for s in status.tolist()]


def _counts(ev: Evidence) -> bool:
    """Whether a record can grade its edge: a study finding for or against it (``Evidence.kind ==
    "study"`` and a stance that is not neutral, without the property call)."""
    return ev.quote is None and ev.reference is None and ev.stance != "neutral"


def _grade_ranks(ev: Evidence, nodes: Mapping[str, Node], cache: dict[str, int]) -> tuple[int, int]:
    """The (support, contradict) design ranks a study record gives its edge (_NONE: none)."""
    rank = cache.get(ev.source)
    if rank is None:
        rank = cache[ev.source] = _RANK[study_grade(nodes.get(ev.source))]
    if ev.stance == "supports":
        return rank, _NONE
    if ev.stance == "contradicts":
        return _NONE, rank
    return _NONE, _NONE


def claims(kg: "KnowledgeGraph", status: str | None = None, modality: str | None = None) -> list[Edge]:
    """Edges of ``kg`` with the given status and modality, sorted by (subject, predicate, object).

    An edge's modality is the firmest of its quotes' (:func:`sle_graph.build.modality.edge_modality`):
    ``modality="possible"`` lists the claims whose firmest words say only that they can happen.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    status : str, optional
        One of :data:`STATUSES`; any status when None.
    modality : str, optional
        A modality of :func:`sle_graph.ontology.modalities`; any modality when None.

    Returns
    -------
    list of Edge
        The edges that pass both filters.

    Raises
    ------
    InvalidArgument
        When ``status`` or ``modality`` is unknown (with the nearest known one as a suggestion).

    Examples
    --------
    >>> import sle_graph
    >>> kg = sle_graph.load()
    >>> len(kg.claims()) == sum(len(kg.claims(s)) for s in STATUSES)
    True
    >>> [str(e) for e in kg.claims("claim only", modality="potential")][:1]
    ['dampening_inflammation -[leads_to]-> alleviated_symptoms']
    """
    if status is not None and status not in STATUSES:
        raise InvalidArgument(f"unknown status {status!r}; statuses: {', '.join(STATUSES)}")
    if modality is not None and modality not in modalities():
        raise InvalidArgument(f"unknown modality {modality!r}; "
                              f"{suggest(modality, modalities()) or 'modalities: ' + ', '.join(modalities())}")
    return [e for e in kg.edges() if (status is None or e.status == status)
            and (modality is None or edge_modality(e) == modality)]
