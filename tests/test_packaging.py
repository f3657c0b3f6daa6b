"""The wheel carries everything load() needs: installed outside the source tree, it loads."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installed_outside_the_tree_loads(tmp_path):
    wheel_dir = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheel_dir), str(REPO)], check=True)
    wheel = next(wheel_dir.glob("sle_graph-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "sle_graph/ontology/sle_graph.ttl" in names
    assert "sle_graph/data/entities.tsv" in names and "sle_graph/py.typed" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    str(wheel)], check=True)
    code = ("import sle_graph, sys; kg = sle_graph.load(); "
            "assert sle_graph.__file__.startswith(sys.argv[1]), sle_graph.__file__; "
            "print(len(kg), len(kg.edges()))")
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run([sys.executable, "-c", code, str(target)], cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    nodes, edges = map(int, out.stdout.split())
    assert nodes > 0 and edges > 0


def test_the_namespace_holds_only_public_names():
    import importlib.util
    import types

    import sle_graph

    shown = set(dir(sle_graph))
    assert not shown & {"Any", "annotations", "importlib", "TYPE_CHECKING"}
    assert not [n for n in shown if n.startswith("_") and n != "__version__"]
    modules = {n for n in shown if n not in sle_graph.__all__}
    assert all(importlib.util.find_spec(f"sle_graph.{m}") is not None for m in modules), modules
    # every public name resolves, and nothing else public sits in the module's globals
    assert all(getattr(sle_graph, n) is not None for n in sle_graph.__all__)
    extra = {n for n, v in vars(sle_graph).items() if not n.startswith("_") and n not in sle_graph.__all__
             and not isinstance(v, types.ModuleType)}
    assert not extra, extra
