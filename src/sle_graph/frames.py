"""pandas tables of query results (pandas is the optional extra ``sle_graph[pandas]``).

Example
-------
>>> import sle_graph
>>> kg = sle_graph.load()
>>> df = sle_graph.to_frame(kg.paths("hsct", "reduced disease activity", max_hops=2))
>>> list(df["hops"]), df.loc[0, "predicates"]
([1, 2], 'has_outcome')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from .paths import Path

__all__ = ["to_frame", "PATH_COLUMNS"]

#: Columns of :func:`to_frame`, in order. Multi-valued cells join values with ``|`` (as KGX does).
PATH_COLUMNS = ("rank", "hops", "start", "start_label", "end", "end_label", "nodes", "predicates",
                "directions", "statuses", "weakest_status", "weakest_sources", "sources", "text")


def _pandas():
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - pandas is in the dev extras
        raise ImportError("to_frame needs pandas: pip install 'sle_graph[pandas]'") from exc
    return pandas


def to_frame(paths: "Iterable[Path]") -> "pandas.DataFrame":
    """One row per path, in the given (ranked) order; columns :data:`PATH_COLUMNS`.

    ``nodes``, ``predicates``, ``directions`` (``forward``/``backward`` per edge), ``statuses``
    and ``sources`` (distinct documents and studies behind the path) join values with ``|``;
    ``weakest_status``/``weakest_sources`` are :attr:`Path.strength`; ``text`` is ``str(path)``.
    """
    pd = _pandas()
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
    return pd.DataFrame.from_records(rows, columns=list(PATH_COLUMNS))
