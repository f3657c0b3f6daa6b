"""Triples for embedding libraries (PyKEEN and the like): head, relation, tail, with the id maps beside.

:func:`to_triples` gives the graph's edges as ``(head, relation, tail)`` tuples of node ids and
predicates, optionally only those of some statuses, grades or evidence modalities;
:func:`write_triples` writes them into a folder:

- ``triples.tsv``: one edge a line, ``head<TAB>relation<TAB>tail``, no header: the file PyKEEN's
  ``TriplesFactory.from_path`` reads (``pykeen.triples.utils.load_triples``).
- ``entity_to_id.tsv`` and ``relation_to_id.tsv``: ``id<TAB>label`` with a header, the layout of
  the maps PyKEEN keeps beside a saved factory. The ids are PyKEEN's own default ones (labels
  sorted, numbered from 0, only those in the triples), so a factory built from ``triples.tsv``
  alone numbers them the same way.
- ``entities.tsv`` (``label``, ``name``, ``kind``) and ``relations.tsv`` (``label``, ``name``): what
  the ids stand for, for people reading the embeddings.

Triples are sorted, so the same graph and filters give the same bytes.

Example
-------
>>> import sle_graph
>>> kg = sle_graph.load()
>>> ("msc", "acts_through", "immunomodulation") in kg.to_triples()
True
>>> all(kg.edge(*t).status == "supported" for t in kg.to_triples(status="supported"))
True
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import IO, TYPE_CHECKING, Iterable

from ..atomic import atomic_files
from ..build.grading import GRADES, STATUSES
from ..errors import InvalidArgument
from ..ontology import modalities as known_modalities

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import KnowledgeGraph
    from ..model import Edge

__all__ = ["to_triples", "write_triples", "FILES"]

#: The files :func:`write_triples` writes.
#:
#: Examples
#: --------
#: >>> import os, tempfile, sle_graph
#: >>> from sle_graph.io.triples import FILES, write_triples
#: >>> folder = tempfile.mkdtemp()
#: >>> [p.name for p in write_triples(sle_graph.load(), folder)] == list(FILES)
#: True
#: >>> sorted(os.listdir(folder)) == sorted(FILES)
#: True
FILES = ("triples.tsv", "entity_to_id.tsv", "relation_to_id.tsv", "entities.tsv", "relations.tsv")


def _choice(name: str, value: "str | Iterable[str] | None", allowed: "Iterable[str] | None") -> frozenset[str] | None:
    if value is None:
        return None
    chosen = frozenset([value] if isinstance(value, str) else value)
    if allowed is not None:
        unknown = sorted(chosen - set(allowed))
        if unknown:
            raise InvalidArgument(f"unknown {name} {unknown[0]!r}; {name}s: {', '.join(allowed)}")
    return chosen


def _modalities(edge: "Edge") -> set[str]:
    return {ev.modality for ev in edge.evidence if ev.modality is not None}


def to_triples(kg: "KnowledgeGraph", *, status: "str | Iterable[str] | None" = None,
               grade: "str | Iterable[str] | None" = None,
               modality: "str | Iterable[str] | None" = None) -> list[tuple[str, str, str]]:
    """The edges as sorted ``(head, relation, tail)`` tuples (node ids, predicate), filtered.

    What :meth:`KnowledgeGraph.to_triples` calls without a folder.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    status : str or iterable of str, optional
        Keep edges of this status or these (``supported``, ``contested``, ``claim only``).
    grade : str or iterable of str, optional
        Keep edges of this evidence grade or these (``single-arm trial``, ...).
    modality : str or iterable of str, optional
        Keep edges with a quote of this modality or these (``asserted``, ``possible``, ...: see
        :func:`sle_graph.ontology.modalities`).

    Returns
    -------
    list of tuple of str
        The triples, sorted.

    Raises
    ------
    InvalidArgument
        For an unknown status, grade or modality.

    Examples
    --------
    >>> import sle_graph
    >>> len(sle_graph.load().to_triples(grade=["randomised trial or meta-analysis"])) > 0
    True
    """
    statuses = _choice("status", status, STATUSES)
    grades = _choice("grade", grade, GRADES)
    modalities = _choice("modality", modality, list(known_modalities()))
    out = []
    for (s, p, o), edge in kg.edge_map.items():
        if statuses is not None and edge.status not in statuses:
            continue
        if grades is not None and edge.grade not in grades:
            continue
        if modalities is not None and not (_modalities(edge) & modalities):
            continue
        out.append((s, p, o))
    out.sort()
    return out


def _write(fh: IO[str], header: list[str] | None, rows: Iterable[Iterable[object]]) -> None:
    writer = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    if header:
        writer.writerow(header)
    writer.writerows(rows)


def _clean(text: str) -> str:
    # tabs and newlines would break a TSV row; node names never need them
    return " ".join(text.split())


def write_triples(kg: "KnowledgeGraph", directory: "str | os.PathLike[str]", *,
                  status: "str | Iterable[str] | None" = None, grade: "str | Iterable[str] | None" = None,
                  modality: "str | Iterable[str] | None" = None) -> list[Path]:
    r"""Write :data:`FILES` into ``directory`` (created if missing).

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph.
    directory : str or PathLike
        The folder to write into; its files are replaced together (all or none).
    status : str or iterable of str, optional
        Keep only edges of these evidence statuses, as for :func:`to_triples`.
    grade : str or iterable of str, optional
        Keep only edges of these grades, as for :func:`to_triples`.
    modality : str or iterable of str, optional
        Keep only edges of these modalities, as for :func:`to_triples`.

    Returns
    -------
    list of Path
        The paths written, in the order of :data:`FILES`.

    Raises
    ------
    OSError
        The folder cannot be written.
    InvalidArgument
        An unknown status, grade or modality.

    Examples
    --------
    >>> import os, tempfile, sle_graph
    >>> folder = tempfile.mkdtemp()
    >>> [p.name for p in write_triples(sle_graph.load(), folder, status="supported")][:3]
    ['triples.tsv', 'entity_to_id.tsv', 'relation_to_id.tsv']
    >>> open(os.path.join(folder, "entity_to_id.tsv")).readline()
    'id\tlabel\n'
    """
    triples = to_triples(kg, status=status, grade=grade, modality=modality)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    entities = sorted({x for s, _, o in triples for x in (s, o)})
    relations = sorted({p for _, p, _ in triples})
    paths = [folder / name for name in FILES]
    with atomic_files(paths, encoding="utf-8", newline="") as files:
        _write(files[0], None, triples)
        _write(files[1], ["id", "label"], enumerate(entities))
        _write(files[2], ["id", "label"], enumerate(relations))
        _write(files[3], ["label", "name", "kind"],
               ((i, _clean(kg.node_map[i].label), kg.node_map[i].kind) for i in entities))
        _write(files[4], ["label", "name"], ((p, p.replace("_", " ")) for p in relations))
    return paths
