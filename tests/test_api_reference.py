"""The API reference: ``docs/api/index.rst`` lists the public API, and ``make api-html`` builds it
from the docstrings without a single warning.

The page is the one list of what is public: each ``.. auto...::`` line names an object, and a
class's ``:members:`` brings its public methods and properties. Sphinx's numpydoc extension checks
every docstring it renders against the sections ``docs/api/conf.py`` requires (parameters,
returns, an example, ...), and conf.py checks that a Raises section names real exceptions; the
build runs with ``-W``, so any of these fails it. The examples themselves run as doctests
(``--doctest-modules`` over ``src/sle_graph``); those that collection cannot see (methods of a
class re-exported under another module's name) run here.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sle_graph

REPO = Path(__file__).resolve().parent.parent
PAGE = REPO / "docs" / "api" / "index.rst"
DIRECTIVE = re.compile(r"^\.\. auto(?:function|class|exception|data)::\s+(\S+)\s*$", re.MULTILINE)


def documented() -> list[str]:
    return DIRECTIVE.findall(PAGE.read_text(encoding="utf-8"))


def resolve(name: str) -> object:
    module, _, attribute = name.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


def api_objects() -> list[tuple[str, object]]:
    """Every object on the page, and the public methods and properties of its classes."""
    found = []
    for name in documented():
        obj = resolve(name)
        found.append((name, obj))
        if inspect.isclass(obj) and not issubclass(obj, BaseException):
            for member, value in vars(obj).items():
                if not member.startswith("_") and isinstance(value, (property, classmethod, staticmethod)) \
                        or inspect.isfunction(value) and not member.startswith("_"):
                    found.append((f"{name}.{member}", value))
    return found


def test_the_page_lists_every_public_name_once():
    names = documented()
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    missing = [f"sle_graph.{n}" for n in sle_graph.__all__ if n != "__version__" and f"sle_graph.{n}" not in names]
    assert not missing, f"public names missing from {PAGE.relative_to(REPO)}: {missing}"


def test_every_name_on_the_page_exists():
    for name in documented():
        module, _, attribute = name.rpartition(".")
        assert hasattr(importlib.import_module(module), attribute), name


def test_every_example_on_the_page_runs():
    """Doctest collection skips a method whose class claims another module (``RemoteGraph``,
    defined in ``endpoint._remote``, says ``sle_graph.endpoint``): such examples run here."""
    import sle_graph as package

    finder = doctest.DocTestFinder()
    modules = [package] + [importlib.import_module(m.name)
                           for m in pkgutil.walk_packages(package.__path__, "sle_graph.")]
    collected = {t.docstring for m in modules for t in finder.find(m) if t.examples}
    missed = []
    for name, obj in api_objects():
        target = obj.__func__ if isinstance(obj, (classmethod, staticmethod)) else obj
        for test in doctest.DocTestFinder(recurse=False).find(target, name, globs={}):
            if test.examples and test.docstring not in collected:
                missed.append(test)
    assert missed, "every example is collected by --doctest-modules: this test has nothing left to run"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    failures = []
    for test in missed:
        result = runner.run(test, out=failures.append)
        assert result.failed == 0, "".join(failures)


def test_the_reference_builds_without_warnings(tmp_path):
    pytest.importorskip("sphinx", reason="the docs extra is not installed (pip install -e '.[docs]')")
    pytest.importorskip("numpydoc", reason="the docs extra is not installed (pip install -e '.[docs]')")
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    out = tmp_path / "api"
    done = subprocess.run(["make", "--no-print-directory", "api-html", f"PY={sys.executable}", f"API_OUT={out}"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    html = (out / "index.html").read_text(encoding="utf-8")
    # Every name on the page was rendered with its docstring, not skipped: each has an anchor.
    for name in documented():
        assert f'id="{name}"' in html, f"{name} is not on the built page"
    assert 'id="sle_graph.KnowledgeGraph.paths"' in html  # members of classes are there too
