"""pandas tables of the graph and of query results (pandas comes with the extra ``pandas``).

- :func:`to_frame` (``sle_graph.to_frame(paths)``, ``paths.to_frame()``): one row per path.
- :func:`to_frames` (``kg.to_frames()``): the graph as three tables with KGX-style column names,
  nodes, edges and evidence records, joined by ``id`` / ``subject`` / ``object`` / ``edge_id``.

Example
-------
>>> import sle_graph
>>> kg = sle_graph.load()
>>> df = sle_graph.to_frame(kg.paths("hsct", "reduced disease activity", max_hops=2))
>>> list(df["hops"]), df.loc[0, "predicates"]
([1, 2], 'has_outcome')
>>> nodes, edges, evidence = kg.to_frames()
>>> len(nodes) == len(kg), len(edges) == len(kg.edges()), list(edges.columns[:4])
(True, True, ['id', 'subject', 'predicate', 'object'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, NamedTuple

from ..errors import install_hint
from ..rdf.write import statement_iri

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from ..graph import KnowledgeGraph
    from ..model import Edge, Evidence, Node
    from ..query.paths import Path

__all__ = ["to_frame", "to_frames", "path_rows", "Frames", "PATH_COLUMNS", "NODE_COLUMNS", "EDGE_COLUMNS",
           "EVIDENCE_COLUMNS"]

#: Columns of :func:`to_frame`, in order. Multi-valued cells join values with ``|`` (as KGX does).
#:
#: Examples
#: --------
#: >>> import sle_graph
#: >>> from sle_graph.io.dataframes import PATH_COLUMNS
#: >>> found = sle_graph.load().paths("msc", "reduced disease activity", limit=1)
#: >>> tuple(sle_graph.to_frame(found).columns) == PATH_COLUMNS
#: True
PATH_COLUMNS = ("rank", "hops", "start", "start_label", "end", "end_label", "nodes", "predicates",
                "directions", "statuses", "weakest_status", "weakest_sources", "sources", "text")


def _pandas():
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - pandas is in the dev extras
        raise ImportError(f"to_frame needs pandas: {install_hint('pandas', 'pandas')}") from exc
    return pandas


def to_frame(paths: "Iterable[Path]") -> "pandas.DataFrame":
    """One row per path, in the given (ranked) order: a pandas DataFrame.

    ``nodes``, ``predicates``, ``directions`` (``forward``/``backward`` per edge), ``statuses`` and
    ``sources`` (distinct documents and studies behind the path) join values with ``|``;
    ``weakest_status``/``weakest_sources`` are :attr:`Path.strength`; ``text`` is ``str(path)``.

    Parameters
    ----------
    paths : iterable of Path
        Paths, such as :meth:`KnowledgeGraph.paths` returns.

    Returns
    -------
    pandas.DataFrame
        The columns :data:`sle_graph.io.dataframes.PATH_COLUMNS`, one row per path.

    Raises
    ------
    ImportError
        When pandas is not installed (naming how to install it).

    Examples
    --------
    >>> import sle_graph
    >>> found = sle_graph.load().paths("msc", "reduced disease activity", limit=3)
    >>> table = sle_graph.to_frame(found)
    >>> len(table) == len(found), table["text"][0] == str(found[0])
    (True, True)
    """
    pd = _pandas()
    return pd.DataFrame.from_records(path_rows(paths), columns=list(PATH_COLUMNS))


def path_rows(paths: "Iterable[Path]") -> list[tuple]:
    """The rows of :func:`to_frame` as tuples (columns :data:`PATH_COLUMNS`), without pandas.

    They are what ``sle-graph paths --format tsv`` prints.

    Parameters
    ----------
    paths : iterable of Path
        Paths, such as :meth:`KnowledgeGraph.paths` returns; ranked 1, 2, ... in this order.

    Returns
    -------
    list of tuple
        One tuple per path, its values in the order of :data:`PATH_COLUMNS`.

    Examples
    --------
    >>> import sle_graph
    >>> rows = path_rows(sle_graph.load().paths("hsct", "reduced disease activity", limit=1))
    >>> dict(zip(PATH_COLUMNS, rows[0]))["nodes"]
    'hsct|reduced_disease_activity'
    """
    rows = []
    for rank, p in enumerate(paths, 1):
        nodes, edges = p.nodes, p.edges
        status, sources = p.strength or ("", 0)
        rows.append((
            rank, len(p), nodes[0].id, nodes[0].label, nodes[-1].id, nodes[-1].label,
            "|".join(n.id for n in nodes), "|".join(e.predicate for e in edges),
            "|".join("forward" if f else "backward" for f in p.forward),
            "|".join(e.status or "" for e in edges), status, sources,
            "|".join(sorted({s for e in edges for s in e.sources})), str(p),
        ))
    return rows


#: Columns of the node table of :func:`to_frames` (KGX names, plus our ``kind``).
#:
#: Examples
#: --------
#: >>> import sle_graph
#: >>> from sle_graph.io.dataframes import NODE_COLUMNS
#: >>> nodes, _, _ = sle_graph.load().to_frames()
#: >>> tuple(nodes.columns[:len(NODE_COLUMNS)]) == NODE_COLUMNS
#: True
NODE_COLUMNS = ("id", "category", "name", "description", "synonym", "xref", "kind")
#: Columns of the edge table of :func:`to_frames` (KGX names, plus our ``grade`` and ``status``).
#:
#: Examples
#: --------
#: >>> import sle_graph
#: >>> from sle_graph.io.dataframes import EDGE_COLUMNS
#: >>> _, edges, _ = sle_graph.load().to_frames()
#: >>> tuple(edges.columns[:len(EDGE_COLUMNS)]) == EDGE_COLUMNS
#: True
EDGE_COLUMNS = ("id", "subject", "predicate", "object", "primary_knowledge_source", "knowledge_level",
                "publications", "grade", "status")
#: Columns of the evidence table of :func:`to_frames`: one row per evidence record.
#:
#: Examples
#: --------
#: >>> import sle_graph
#: >>> from sle_graph.io.dataframes import EVIDENCE_COLUMNS
#: >>> _, _, evidence = sle_graph.load().to_frames()
#: >>> tuple(evidence.columns[:len(EVIDENCE_COLUMNS)]) == EVIDENCE_COLUMNS
#: True
EVIDENCE_COLUMNS = ("edge_id", "source", "kind", "quote", "start", "end", "stance", "finding", "measure",
                    "reference", "modality")
#: Biolink knowledge level of curated evidence (a quote or a study finding read by a curator).
CURATED_LEVEL = "knowledge_assertion"


class Frames(NamedTuple):
    """The three tables of :func:`to_frames`; unpacks as ``nodes, edges, evidence = kg.to_frames()``.

    Parameters
    ----------
    nodes : pandas.DataFrame
        One row per node, columns :data:`NODE_COLUMNS` then the nodes' attributes.
    edges : pandas.DataFrame
        One row per edge, columns :data:`EDGE_COLUMNS`.
    evidence : pandas.DataFrame
        One row per evidence record, columns :data:`EVIDENCE_COLUMNS` then the records'
        attributes; ``edge_id`` names the edge's row.

    Examples
    --------
    >>> import sle_graph
    >>> kg = sle_graph.load()
    >>> frames = kg.to_frames()
    >>> len(frames.nodes) == len(kg), set(frames.evidence["edge_id"]) <= set(frames.edges["id"])
    (True, True)
    """

    nodes: "pandas.DataFrame"
    edges: "pandas.DataFrame"
    evidence: "pandas.DataFrame"


def _edge_id(edge: "Edge") -> str:
    return "statement:" + statement_iri(*edge.key).rsplit("/", 1)[1]


def _publications(ev: "Evidence", nodes: "dict[str, Node]") -> list[str]:
    if ev.reference is not None:
        return [ev.reference]
    study = nodes.get(ev.source)
    if ev.kind != "study" or study is None:
        return []
    pmid, doi = study.attributes.get("pmid"), study.attributes.get("doi")
    return ([f"PMID:{pmid}"] if pmid else []) + ([f"doi:{doi}"] if doi else [])


def _extra(records: "Iterable[Node | Evidence]", columns: tuple[str, ...]) -> list[str]:
    """The attribute names of the records, sorted, except those a fixed column already holds."""
    return sorted({k for r in records for k in r.attributes} - set(columns))


def _joined(values: Iterable[str]) -> str:
    return "|".join(sorted({v for v in values if v}))


def to_frames(kg: "KnowledgeGraph") -> Frames:
    """The graph as ``pandas`` tables with KGX-style columns: ``Frames(nodes, edges, evidence)``.

    What :meth:`KnowledgeGraph.to_frames` calls.

    - ``nodes`` (:data:`NODE_COLUMNS`), one row per node sorted by id: ``id`` is the node id
      (what :meth:`~sle_graph.KnowledgeGraph.node` and :func:`to_frame` use; ``kg.to_kgx`` writes
      it as the CURIE ``sle:<id>``), ``category`` its Biolink category, ``name`` the label,
      ``description`` the definition, ``synonym`` and ``xref`` (standard mappings, exact first)
      joined with ``|``, ``kind`` the ontology kind; then one column per node attribute (a
      study's ``design``, ``n_patients``, ``pmid``, ...), sorted, missing where a node has none.
    - ``edges`` (:data:`EDGE_COLUMNS`), one row per edge sorted by (subject, predicate, object):
      ``id`` is the CURIE of the edge's reified RDF statement (``statement:<hash>``, the subject of
      its provenance in the Turtle export), ``predicate`` the ontology predicate (what
      ``kg.edges(predicate=...)`` takes), ``primary_knowledge_source`` the documents and studies
      behind the edge, ``knowledge_level`` the Biolink level (``knowledge_assertion`` for curated
      quotes and findings, or what an imported record said), ``publications`` the PMIDs and DOIs
      of the studies and any free-text references, all joined with ``|``; ``grade`` and
      ``status`` as computed by :mod:`sle_graph.build.grading`.
    - ``evidence`` (:data:`EVIDENCE_COLUMNS`), one row per evidence record: ``edge_id`` joins the
      edge's ``id``; ``kind`` is ``quote``, ``study`` or ``reference``; ``start``/``end`` are
      nullable integers (character offsets of a quote); ``modality`` says how certain a quote's
      words are (see :func:`sle_graph.ontology.modalities`); absent fields are missing values (NA);
      the attributes of imported records follow as extra columns, sorted.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.

    Returns
    -------
    Frames
        A named tuple of three ``pandas.DataFrame``: ``nodes``, ``edges``, ``evidence``.

    Raises
    ------
    ImportError
        When pandas is not installed (naming how to install it).

    Examples
    --------
    >>> import sle_graph
    >>> kg = sle_graph.load()
    >>> nodes, edges, evidence = kg.to_frames()
    >>> nodes.set_index("id").loc["msc", ["name", "kind"]].tolist()
    ['mesenchymal stem cell', 'StemCell']
    >>> len(evidence) == kg.stats()["evidence"]
    True
    """
    pd = _pandas()
    schema, nodes = kg.schema, kg.node_map
    node_extra = _extra(nodes.values(), NODE_COLUMNS)
    node_rows = [(n.id, n.attributes.get("category") or schema.biolink_category(n.kind), n.label, n.definition,
                  "|".join(n.synonyms), "|".join(n.mappings), n.kind, *(n.attributes.get(k) for k in node_extra))
                 for n in nodes.values()]
    evidence_extra = _extra((ev for e in kg.edge_map.values() for ev in e.evidence), EVIDENCE_COLUMNS)
    edge_rows, evidence_rows = [], []
    for e in kg.edge_map.values():
        edge_id = _edge_id(e)
        levels = [ev.attributes.get("knowledge_level") or (CURATED_LEVEL if ev.kind != "reference" else "")
                  for ev in e.evidence]
        edge_rows.append((edge_id, e.subject, e.predicate, e.object, "|".join(e.sources), _joined(levels),
                          _joined(p for ev in e.evidence for p in _publications(ev, nodes)), e.grade, e.status))
        evidence_rows += [(edge_id, ev.source, ev.kind, ev.quote, ev.start, ev.end, ev.stance, ev.finding,
                           ev.measure, ev.reference, ev.modality, *(ev.attributes.get(k) for k in evidence_extra))
                          for ev in sorted(e.evidence, key=lambda ev: ev.sort_key())]
    evidence = pd.DataFrame.from_records(evidence_rows, columns=[*EVIDENCE_COLUMNS, *evidence_extra])
    evidence = evidence.astype({"start": "Int64", "end": "Int64"})
    return Frames(pd.DataFrame.from_records(node_rows, columns=[*NODE_COLUMNS, *node_extra]),
                  pd.DataFrame.from_records(edge_rows, columns=list(EDGE_COLUMNS)), evidence)
