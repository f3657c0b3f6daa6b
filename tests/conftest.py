"""Shared test fixtures: the ``shared/`` folder beside the repository (sources, reference tables)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

import sle_graph

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SLE_GRAPH_SHARED", REPO.parent / "shared"))


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: tests need ../shared beside the repository "
                    "(or SLE_GRAPH_SHARED pointing at it)")
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    return _require(SHARED)


@pytest.fixture(scope="session")
def sources(shared: Path) -> dict[str, str]:
    """Source document id -> full text, read from shared/sources/."""
    folder = _require(shared / "sources")
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}


@pytest.fixture(scope="session")
def ontology_ids(shared: Path) -> list[dict[str, str]]:
    """Rows of shared/reference/ontology_ids.tsv."""
    with open(_require(shared / "reference" / "ontology_ids.tsv"), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="session")
def kg() -> sle_graph.KnowledgeGraph:
    return sle_graph.load()
