"""A closed stdout is not an error: ``sle-graph ... | head -1`` ends quietly with status 0.

Each command runs in a real shell pipeline into ``head -1``, which closes the pipe after the first
line while the command is still writing (the outputs are made longer than a pipe's buffer so the
write after ``head`` left always happens).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"

PIPED = [
    # a SELECT with more rows than a pipe buffer holds (64 KiB): every triple of the graph
    ["sparql", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--format", "tsv"],
    ["info"],
    ["paths", "mesenchymal stem cell", "reduced disease activity", "--max-hops", "5", "--any-direction"],
    ["export", "--format", "nt"],
]


@pytest.mark.parametrize("argv", PIPED, ids=[a[0] for a in PIPED])
def test_piped_into_head_ends_quietly(argv):
    command = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "sle_graph.cli", *argv])
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    for _ in range(3):  # the race between head closing and our writes: try it more than once
        done = subprocess.run(["bash", "-o", "pipefail", "-c", f"{command} | head -1"], capture_output=True,
                              text=True, timeout=120, env=env)
        assert done.stdout.count("\n") == 1
        assert done.stderr == "", done.stderr
        assert done.returncode == 0  # pipefail: the status of our command, not of head
