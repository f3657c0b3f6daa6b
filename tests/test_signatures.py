"""Every public function and method names its parameters: none takes ``**options``, so that
``help()``, editors and type checkers show what it accepts, and a misspelt option is a
``TypeError`` at the call rather than a name silently passed along (or dropped)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any, Iterator

import sle_graph


def public_callables() -> Iterator[tuple[str, Any]]:
    """``(dotted name, callable)`` of every name in the ``__all__`` of every public module, and
    the public methods of the classes among them (each once)."""
    seen: set[int] = set()
    modules = [sle_graph] + [importlib.import_module(m.name) for m in
                             pkgutil.walk_packages(sle_graph.__path__, "sle_graph.")
                             if not any(part.startswith("_") for part in m.name.split("."))]
    for module in modules:
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            if inspect.ismodule(value):  # ``sle_graph.render``, once its module is imported: the module is
                continue                 # callable (it forwards to its ``render``, walked with the module)
            if id(value) in seen or not callable(value) or getattr(value, "__module__", "").split(".")[0] != "sle_graph":
                continue
            seen.add(id(value))
            yield f"{module.__name__}.{name}", value
            if inspect.isclass(value):
                for attr, member in vars(value).items():
                    if not attr.startswith("_") and inspect.isfunction(member) and id(member) not in seen:
                        seen.add(id(member))
                        yield f"{module.__name__}.{name}.{attr}", member


def takes_options(function: Any) -> bool:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature
        return False
    return any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


def test_no_public_function_takes_keyword_options() -> None:
    found = dict(public_callables())
    assert "sle_graph.read" in found and "sle_graph.KnowledgeGraph.explore" in found  # the walk reaches them
    assert len(found) > 150
    assert [name for name, f in found.items() if takes_options(f)] == []


def test_the_check_sees_keyword_options() -> None:
    def loose(a: int, **options: Any) -> None: ...

    def strict(a: int, *, b: int = 0) -> None: ...

    assert takes_options(loose) and not takes_options(strict)
