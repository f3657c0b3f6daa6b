"""The code users read type-checks against our annotations: mypy over the README's and docs'
python blocks (one module per page, its blocks in order), the notebooks' code cells and the
example scripts.

``--follow-imports=silent``: sle_graph itself is read for its types (``py.typed``) but its own
errors are not this test's subject. The first test is the guard: a known type error in a block
must be reported, so the check cannot pass by checking nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_docs import PAGES, page_blocks, page_id

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"

pytest.importorskip("mypy", reason="mypy is in the dev extra: pip install -e '.[dev]'")


def mypy(files: list[Path], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--follow-imports=silent", "--ignore-missing-imports", "--no-incremental",
         "--cache-dir", str(cwd / ".mypy_cache"), "--no-color-output", "--hide-error-context", "--no-pretty",
         *map(str, files)],
        cwd=cwd, env={"MYPYPATH": str(REPO / "src"), "PATH": ""}, capture_output=True, text=True, timeout=600)


def extract(folder: Path) -> list[Path]:
    """One module per page with python blocks (a ``# <page> line N`` comment before each block),
    one per notebook (its code cells), and the example scripts as they are."""
    files = []
    for page in PAGES:
        found = [b for b in page_blocks(page, "python") if not b.skip]
        if found:
            target = folder / (page_id(page).replace("/", "__").removesuffix(".md") + "_md.py")
            target.write_text("".join(f"# {page_id(page)} line {b.line}\n{b.code}\n" for b in found), encoding="utf-8")
            files.append(target)
    for notebook in sorted(EXAMPLES.glob("*.ipynb")):
        cells = ["".join(c["source"]) for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
                 if c["cell_type"] == "code"]
        target = folder / f"{notebook.stem}_ipynb.py"
        target.write_text("\n\n".join(cells) + "\n", encoding="utf-8")
        files.append(target)
    for script in sorted(EXAMPLES.glob("*.py")):
        shutil.copy(script, folder / script.name)
        files.append(folder / script.name)
    return files


def test_a_type_error_is_reported(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import sle_graph\nkg = sle_graph.load()\nhops: str = len(kg.paths('msc', 'lupus')[0])\n"
                   "kg.paths('msc', 'lupus').explain()\nkg.render('x.svg', titel='typo')\n", encoding="utf-8")
    done = mypy([bad], tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert 'bad.py:3: error: Incompatible types in assignment (expression has type "int", variable has type "str")' \
        in done.stdout
    assert 'bad.py:5: error: Unexpected keyword argument "titel"' in done.stdout  # explicit options, not **options
    assert "bad.py:4:" not in done.stdout  # kg.paths returns a PathList, which has explain()


def test_docs_notebooks_and_examples_type_check(tmp_path):
    files = extract(tmp_path)
    assert len(files) >= 10 and any(f.name.startswith("README") for f in files)
    done = mypy(files, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
