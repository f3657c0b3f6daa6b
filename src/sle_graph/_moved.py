"""Modules that moved when the package was laid out in layers, still importable by their old names.

``import sle_graph.paths`` gives a module whose attributes are those of ``sle_graph.query.paths``;
reading one warns (``DeprecationWarning``) with the new place, so notebooks written against the
flat layout keep working while they are updated.

>>> import warnings
>>> from sle_graph import _moved
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     from sle_graph.paths import PathList
>>> PathList.__module__, caught[0].category.__name__
('sle_graph.query.paths', 'DeprecationWarning')
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import types
import warnings
from typing import Any, Sequence

#: old module (below ``sle_graph``) -> where it lives now.
MOVED = {
    "namespaces": "vocab",
    "records": "build.records", "tables": "build.tables", "validation": "build.validation",
    "grading": "build.grading", "studies": "build.studies",
    "loading": "io.curated", "kgx": "io.kgx", "hetionet": "io.hetionet", "frames": "io.dataframes",
    "rdf_canonical": "rdf.canonical", "rdf_read": "rdf.parse", "rdf_chunks": "rdf.chunks",
    "shacl": "rdf.shacl",
    "paths": "query.paths", "patterns": "query.patterns",
    "render": "draw.diagram", "style": "draw.style",
}

_PACKAGE = __name__.rpartition(".")[0]


class _Alias(types.ModuleType):
    """Stands for a moved module: forwards attribute reads, each with a warning."""

    def __init__(self, old: str, new: str):
        super().__init__(old, f"Moved to {new}.")
        self.__dict__["_target"] = new

    def __getattr__(self, name: str) -> Any:
        target = self.__dict__["_target"]
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        warnings.warn(f"{self.__name__} moved to {target}; import {name} from there",
                      DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(target), name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # ``sle_graph.render`` names a function and the old module: importing the old module
        # binds the package attribute to this alias, so calling it calls the function.
        package = importlib.import_module(_PACKAGE)
        function = getattr(importlib.import_module(self.__dict__["_target"]), self.__name__.rpartition(".")[2], None)
        if function is None or not callable(function) or self.__name__.rpartition(".")[2] not in package.__all__:
            raise TypeError(f"module {self.__name__!r} is not callable")
        return function(*args, **kwargs)

    def __dir__(self) -> list[str]:
        return dir(importlib.import_module(self.__dict__["_target"]))


class _Finder:
    # The finder and loader protocols by their methods alone: importlib.abc would import
    # importlib.resources (tempfile, shutil, bz2) into every `import sle_graph`.

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: Any = None) -> Any:
        package, _, leaf = fullname.rpartition(".")
        if package != _PACKAGE or leaf not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        leaf = spec.name.rpartition(".")[2]
        return _Alias(spec.name, f"{_PACKAGE}.{MOVED[leaf]}")

    def exec_module(self, module: types.ModuleType) -> None:
        pass


def install() -> None:
    """Let the old module names import (once per process)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(_Finder())


install()
