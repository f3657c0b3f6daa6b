"""IRIs: our two namespaces and the CURIE prefix table of standard identifiers.

The prefix table is data (``data/prefixes.tsv``), copied from the canonical expansion table of
``shared/reference/ontology_ids.md`` and checked against it by a test.

Example
-------
>>> from sle_graph.vocab import iri_for_curie, curie_for_iri
>>> iri_for_curie("CL:0000134")
'http://purl.obolibrary.org/obo/CL_0000134'
>>> curie_for_iri("https://w3id.org/biolink/vocab/Cell")
'biolink:Cell'
"""

from __future__ import annotations

import functools
import re

from ._resources import data_file

__all__ = ["BASE", "SLEO", "SLE", "OBO", "prefixes", "iri_for_curie", "curie_for_iri", "is_curie",
           "CURIE_PATTERN"]

#: The IRI every term and resource of ours starts with.
#:
#: Examples
#: --------
#: >>> from sle_graph.vocab import BASE
#: >>> BASE
#: 'https://w3id.org/sle-graph/'
BASE = "https://w3id.org/sle-graph/"
#: The namespace of ontology terms: kinds and predicates (prefix ``sleo:``).
#:
#: Examples
#: --------
#: >>> from sle_graph.vocab import SLEO
#: >>> SLEO + "treats"
#: 'https://w3id.org/sle-graph/ontology/treats'
SLEO = BASE + "ontology/"
#: The namespace of graph resources: nodes, statements, evidence (prefix ``sle:``).
#:
#: Examples
#: --------
#: >>> from sle_graph.vocab import SLE
#: >>> SLE
#: 'https://w3id.org/sle-graph/resource/'
SLE = BASE + "resource/"
#: The OBO Foundry's namespace: ``CL:0000134`` expands to ``OBO + "CL_0000134"``.
#:
#: Examples
#: --------
#: >>> from sle_graph.vocab import OBO, iri_for_curie
#: >>> iri_for_curie("CL:0000134") == OBO + "CL_0000134"
#: True
OBO = "http://purl.obolibrary.org/obo/"

#: A CURIE: a prefix (letter first) and a local part with no white space.
#:
#: Examples
#: --------
#: >>> from sle_graph.vocab import CURIE_PATTERN
#: >>> bool(CURIE_PATTERN.match("MONDO:0007915")), bool(CURIE_PATTERN.match("lupus"))
#: (True, False)
CURIE_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*:[^\s:<>\"{}|\\^`][^\s<>\"{}|\\^`]*$")


@functools.lru_cache(maxsize=None)
def prefixes() -> dict[str, str]:
    """The CURIE prefix table: prefix -> IRI expansion.

    Returns
    -------
    dict of str to str
        The table of ``data/prefixes.tsv``: the standard ontologies' prefixes and Biolink's.

    Examples
    --------
    >>> from sle_graph.vocab import prefixes
    >>> prefixes()["CL"]
    'http://purl.obolibrary.org/obo/CL_'
    """
    table: dict[str, str] = {}
    with open(data_file("prefixes.tsv"), encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            prefix, expansion = line.rstrip("\n").split("\t")
            table[prefix] = expansion
    return table


def is_curie(text: str) -> bool:
    """True when ``text`` has the shape of a CURIE (``PREFIX:local``).

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    bool
        Whether it looks like a CURIE (the prefix need not be known).

    Examples
    --------
    >>> from sle_graph.vocab import is_curie
    >>> is_curie("CL:0000134"), is_curie("msc")
    (True, False)
    """
    return bool(CURIE_PATTERN.match(text))


def iri_for_curie(curie: str) -> str:
    """Expand a CURIE with the prefix table.

    Parameters
    ----------
    curie : str
        A CURIE such as ``"CL:0000134"``.

    Returns
    -------
    str
        The full IRI.

    Raises
    ------
    KeyError
        For an unknown prefix, naming the known ones.

    Examples
    --------
    >>> from sle_graph.vocab import iri_for_curie
    >>> iri_for_curie("CL:0000134")
    'http://purl.obolibrary.org/obo/CL_0000134'
    """
    prefix, _, local = curie.partition(":")
    table = prefixes()
    if prefix not in table or not local:
        raise KeyError(f"cannot expand {curie!r}: known prefixes are {', '.join(sorted(table))}")
    return table[prefix] + local


def curie_for_iri(iri: str) -> str:
    """Contract an IRI to a CURIE with the prefix table.

    Parameters
    ----------
    iri : str
        A full IRI.

    Returns
    -------
    str
        The CURIE; an IRI no prefix covers is returned as it is.

    Examples
    --------
    >>> from sle_graph.vocab import curie_for_iri
    >>> curie_for_iri("http://purl.obolibrary.org/obo/CL_0000134")
    'CL:0000134'
    """
    best = ""
    for prefix, expansion in prefixes().items():
        if iri.startswith(expansion) and len(expansion) > len(prefixes().get(best, "")):
            best = prefix
    if best:
        return f"{best}:{iri[len(prefixes()[best]):]}"
    return iri
