"""Where the package's data files live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def ontology_file(name: str = "sle_graph.ttl") -> Path:
    """Path of a file of the ontology folder.

    A wheel carries the top-level ``ontology/`` folder as ``sle_graph/ontology/`` (see
    ``pyproject.toml``); an editable install reads it from the checkout.
    """
    for folder in (_PACKAGE / "ontology", _PACKAGE.parent.parent / "ontology"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"ontology file {name!r} is missing from the sle_graph installation")


def data_file(name: str) -> Path:
    """Path of a curated data file shipped in ``sle_graph/data/``."""
    return _PACKAGE / "data" / name
