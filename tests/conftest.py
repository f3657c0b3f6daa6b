"""Shared test fixtures, and the ``shared/`` folder beside the repository (sources, reference tables).

The article texts, the reference tables and the Hetionet node list are not part of the repository:
they are in ``../shared`` (or the folder named by ``SLE_GRAPH_SHARED``). Tests that need them use
the ``shared`` fixture (directly or through ``sources`` and ``ontology_ids``); without that folder
they skip with :data:`SHARED_MISSING` as the reason, and the rest of the suite runs from the
repository alone. Such tests carry the ``needs_shared`` marker (``pytest -m "not needs_shared"``).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

import sle_graph

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SLE_GRAPH_SHARED", REPO.parent / "shared"))
#: What the tests read from the shared folder.
SHARED_PARTS = ("sources", "reference", "data")
#: The one reason every test that needs the shared folder gives when it is not there.
SHARED_MISSING = ("needs ../shared (the article texts, reference tables and Hetionet node list); "
                  "set SLE_GRAPH_SHARED to its path")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs_shared: reads ../shared (skipped when it is not there)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        # fixturenames is the closure (also through sources, ...); a parameter named shared is not it.
        callspec = getattr(item, "callspec", None)
        if "shared" in getattr(item, "fixturenames", ()) and "shared" not in (callspec.params if callspec else {}):
            item.add_marker(pytest.mark.needs_shared)


def pytest_terminal_summary(terminalreporter) -> None:
    # pytest -q shows no skip reasons and -rs shows one line per test: say it once, at the end.
    reasons = [r.longrepr[2].removeprefix("Skipped: ") for r in terminalreporter.stats.get("skipped", [])
               if isinstance(r.longrepr, tuple) and SHARED_MISSING in r.longrepr[2]]
    for reason in sorted(set(reasons)):
        n = reasons.count(reason)
        terminalreporter.write_line(f"{n} test{'s' * (n != 1)} skipped: {reason} (looked in {SHARED})")


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared folder; skips the test when it is absent or incomplete (the reason says which).

    CI must not skip these tests: ``.ci/run`` stops before testing when the folder lacks a part.
    """
    missing = [part for part in SHARED_PARTS if not (SHARED / part).is_dir()]
    if len(missing) == len(SHARED_PARTS):
        pytest.skip(SHARED_MISSING)
    if missing:
        pytest.skip(f"{SHARED} lacks {', '.join(missing)}: {SHARED_MISSING}")
    return SHARED


@pytest.fixture(scope="session")
def sources(shared: Path) -> dict[str, str]:
    """Source document id -> full text, read from shared/sources/."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((shared / "sources").glob("*.txt"))}


@pytest.fixture(scope="session")
def ontology_ids(shared: Path) -> list[dict[str, str]]:
    """Rows of shared/reference/ontology_ids.tsv."""
    with open(shared / "reference" / "ontology_ids.tsv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="session")
def clinical_evidence() -> Path:
    """shared/reference/clinical_evidence.tsv or, without ../shared, the project's copy of it.

    ``src/sle_graph/data/studies.tsv`` is that table byte for byte (test_studies checks it wherever
    ../shared is), so the tests of the studies also run from the repository alone.
    """
    path = SHARED / "reference" / "clinical_evidence.tsv"
    return path if path.is_file() else REPO / "src" / "sle_graph" / "data" / "studies.tsv"


@pytest.fixture(scope="session")
def kg() -> sle_graph.KnowledgeGraph:
    return sle_graph.load()
