"""Every install hint names a command that works: the plain dependency from PyPI (``pip install
pandas``), or the project from a checkout (``pip install -e '.[pandas]'``), with extras that exist.

The distribution ``sle_graph`` is not published, so ``pip install 'sle_graph[pandas]'`` cannot
work; the hints are read from the sources, docs, README, notebooks and examples as they stand.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
EXTRAS = set(PYPROJECT["project"]["optional-dependencies"])
#: Packages a hint may name: the dependencies and optional dependencies, by their PyPI name.
PACKAGES = {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower()
            for d in PYPROJECT["project"]["dependencies"] + sum(PYPROJECT["project"]["optional-dependencies"].values(), [])
            } - {PYPROJECT["project"]["name"].lower()}
FILES = [p for p in [REPO / "README.md", REPO / "Makefile", *(REPO / "docs").glob("*.md"), *(REPO / "src").rglob("*.py"),
                     *(REPO / "examples").rglob("*")] if p.is_file() and p.suffix in {".md", ".py", ".ipynb", ".yaml", ""}]
HINT = re.compile(r"pip install ((?:-[-\w]+\s+)*)['\"]?([^\s`'\"()]+)")


def hints() -> list[tuple[str, str, str]]:
    found = []
    for path in FILES:
        text = path.read_text(encoding="utf-8").replace('\\"', '"')
        for m in HINT.finditer(text):
            found.append((f"{path.relative_to(REPO)}:{text.count(chr(10), 0, m.start()) + 1}", m.group(1), m.group(2)))
    return found


def test_there_are_hints_to_check():
    assert len(hints()) >= 8


@pytest.mark.parametrize("where, options, target", hints(), ids=lambda v: v if ":" in str(v) else "")
def test_a_hint_works(where, options, target):
    if "{" in target:  # the template of sle_graph.errors.install_hint, checked below
        return
    checkout = re.fullmatch(r"\.(?:\[([\w,]+)\])?", target)
    if checkout:  # the project from the checkout, with extras it declares
        assert set(filter(None, (checkout.group(1) or "").split(","))) <= EXTRAS, where
    else:  # a plain dependency, never the unpublished distribution
        assert "[" not in target, f"{where}: pip install {target} (not published: use '.[extra]' from a checkout)"
        assert target.lower() in PACKAGES | {"pip"}, f"{where}: pip install {target} is not one of our dependencies"


def test_the_hint_of_a_missing_extra_names_both_ways():
    from sle_graph.errors import install_hint

    assert install_hint("pyshacl", "shacl") == "pip install pyshacl (or, in a checkout of sle_graph: pip install -e '.[shacl]')"
