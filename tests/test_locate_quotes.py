"""``tools/locate_quotes.py --check``: the maintainers' check of the quote offsets against the texts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
TOOL = REPO / "tools" / "locate_quotes.py"


def check(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TOOL), "--check", *args], env=dict(os.environ, **env),
                          capture_output=True, text=True, timeout=60)


def test_every_curated_quote_is_at_its_offsets(shared):
    done = check(SLE_GRAPH_SHARED=str(shared))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.rstrip().endswith(" rows, 0 failing")


def test_a_missing_sources_folder_is_one_clear_error(tmp_path):
    done = check(SLE_GRAPH_SHARED=str(tmp_path))
    assert done.returncode == 2 and done.stdout == ""
    assert f"{tmp_path / 'sources'} is not a folder" in done.stderr and "SLE_GRAPH_SHARED" in done.stderr
