"""The suite stands on its own: without ``../shared`` the tests that need it skip, with one reason.

Each test runs pytest in a subprocess with ``SLE_GRAPH_SHARED`` naming a folder of a temporary
directory, selecting the tests marked ``needs_shared`` (the conftest marks every test that uses the
``shared`` fixture). The whole suite is collected each time, so a module that cannot even be
imported without ``../shared`` shows up as a collection error.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())


def run_needs_shared(shared: Path) -> tuple[int, str]:
    """Exit status and output of ``pytest -q -m needs_shared`` with ``SLE_GRAPH_SHARED=shared``."""
    env = dict(os.environ, SLE_GRAPH_SHARED=str(shared))
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-m", "needs_shared"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout + done.stderr


def counts(output: str) -> dict[str, int]:
    """The closing summary line of pytest (``3 skipped, 600 deselected in 4.1s``) as a dict."""
    last = output.strip().splitlines()[-1]
    return {word: int(n) for n, word in re.findall(r"(\d+) (\w+)", last.split(" in ")[0])}


def test_without_shared_the_tests_that_need_it_skip_with_one_reason(tmp_path):
    empty = tmp_path / "shared"
    empty.mkdir()
    code, out = run_needs_shared(empty)
    assert code == 0, out
    got = counts(out)
    assert set(got) == {"skipped", "deselected"}, out  # nothing passed, failed or errored
    # The article texts, both reference tables and the node list each have tests of their own.
    assert got["skipped"] >= 15, out
    reasons = [line for line in out.splitlines() if "needs ../shared" in line]
    assert len(reasons) == 1, out  # said once, with the way out
    assert reasons[0].startswith(f"{got['skipped']} tests skipped: ")
    assert "set SLE_GRAPH_SHARED to its path" in reasons[0] and str(empty) in reasons[0]


def test_an_incomplete_shared_folder_skips_naming_what_is_missing(tmp_path):
    partial = tmp_path / "shared"
    (partial / "data").mkdir(parents=True)
    code, out = run_needs_shared(partial)
    assert code == 0, out
    got = counts(out)
    assert set(got) == {"skipped", "deselected"} and got["skipped"] >= 15, out
    assert f"{partial} lacks sources, reference" in out
