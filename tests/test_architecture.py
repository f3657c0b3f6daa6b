"""The package's shape, checked on its syntax trees: no module reaches into another's private
names, module-level imports form no cycle, and imports only go down the layers.

Three rules, each read from ``ast`` (nothing is imported):

- **Private names stay private.** ``from x import _name`` of another module, a private module
  (``_http``) imported from outside the package that holds it, and ``obj._name`` reads where
  ``obj`` is neither ``self``/``cls`` nor another instance of the class that defines ``_name``
  are all flagged. A private module is private to its package: ``endpoint/_push`` may import
  ``endpoint/_http``, and ``sle_graph/_resources`` serves every module of ``sle_graph``.
- **No import loop.** Imports at module level (not inside functions, not under
  ``if TYPE_CHECKING:``) among ``sle_graph`` modules form an acyclic graph. Importing a module
  counts as an edge to it, not to the packages above it (those are already being imported).
- **Layers.** :data:`LAYERS` orders the modules from the bottom (errors, model, ontology,
  vocab, build) through the graph and its operations to the front ends; a module imports only
  from its own layer or below, at module level or in a function. ``graph`` alone imports
  operations, lazily, inside the methods users call.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "sle_graph"
SRC = Path(__file__).resolve().parents[1] / "src" / PACKAGE

#: Layers, bottom first: a module may import from its own layer and those below. A module
#: belongs to the first entry that is its name or a package above it.
LAYERS: list[tuple[str, ...]] = [
    ("sle_graph._resources", "sle_graph.errors", "sle_graph.gc_pause", "sle_graph.progress",
     "sle_graph.atomic", "sle_graph.limits"),
    ("sle_graph.vocab",),
    ("sle_graph.model",),
    ("sle_graph.ontology",),
    ("sle_graph.build",),
    ("sle_graph.graph",),
    ("sle_graph.rdf", "sle_graph.io", "sle_graph.query", "sle_graph.draw", "sle_graph.merge",
     "sle_graph.extend"),
    ("sle_graph.endpoint",),
    ("sle_graph.cli", "sle_graph._moved", "sle_graph"),
]

#: ``obj._name`` reads allowed anyway, each with its reason.
ALLOWED_ATTRIBUTES = {
    # The type ``ArgumentParser.add_subparsers()`` returns has no public name in argparse; the
    # subcommands name it in their ``register(subparsers)`` annotations only.
    "_SubParsersAction",
}


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. sle_graph.rdf.parse
    path: Path
    is_package: bool
    tree: ast.Module

    @property
    def package(self) -> str:
        return self.name if self.is_package else self.name.rpartition(".")[0]


def _modules() -> dict[str, Module]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        name = ".".join(parts)
        found[name] = Module(name, path, is_package, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


MODULES = _modules()


def _where(module: Module, node: ast.AST) -> str:
    return f"{module.path.relative_to(SRC.parent)}:{getattr(node, 'lineno', '?')}"


def _resolve(module: Module, node: ast.ImportFrom) -> str:
    """The absolute name of the module an ``ImportFrom`` reads from."""
    if not node.level:
        return node.module or ""
    base = module.package.split(".")
    base = base[:len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


@dataclass(frozen=True)
class Import:
    target: str  # an sle_graph module
    names: tuple[str, ...]  # names taken from it (``from target import names``); () for ``import``
    node: ast.stmt
    top_level: bool  # at module level, outside ``if TYPE_CHECKING:``


def _imports(module: Module, *, include_type_checking: bool = False) -> list[Import]:
    """Imports of ``sle_graph`` modules; ``from pkg import submodule`` counts as the submodule."""
    found: list[Import] = []

    def visit(body: list[ast.stmt], top: bool) -> None:
        for stmt in body:
            if isinstance(stmt, ast.If) and _is_type_checking(stmt.test):
                if include_type_checking:
                    visit(stmt.body, False)
                visit(stmt.orelse, top)
                continue
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if alias.name.split(".")[0] == PACKAGE:
                        found.append(Import(alias.name, (), stmt, top))
            elif isinstance(stmt, ast.ImportFrom):
                source = _resolve(module, stmt)
                if source.split(".")[0] != PACKAGE:
                    continue
                plain = []
                for alias in stmt.names:
                    sub = f"{source}.{alias.name}"
                    if sub in MODULES:
                        found.append(Import(sub, (), stmt, top))
                    else:
                        plain.append(alias.name)
                if plain or source not in MODULES:
                    found.append(Import(source, tuple(plain), stmt, top))
            # Function bodies run when called; class bodies and other blocks at import time.
            inner_top = top and not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
            for field in ("body", "orelse", "finalbody"):
                block = getattr(stmt, field, None)
                if isinstance(block, list) and not isinstance(stmt, (ast.Import, ast.ImportFrom)):
                    visit(block, inner_top)
            for handler in getattr(stmt, "handlers", ()):
                visit(handler.body, inner_top)

    visit(module.tree.body, True)
    return found


def _is_private(part: str) -> bool:
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


def _private_owner(target: str) -> str | None:
    """The package a private module is private to (``sle_graph.endpoint`` for
    ``sle_graph.endpoint._http``), or None when no part of ``target`` is private."""
    parts = target.split(".")
    for i, part in enumerate(parts):
        if _is_private(part):
            return ".".join(parts[:i])
    return None


def _class_private_names(cls: ast.ClassDef) -> set[str]:
    """Underscore names a class defines: in its body, or assigned on ``self``/``cls``."""
    names = set()
    for node in ast.walk(cls):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and _is_private(node.name):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and _is_private(node.id):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) \
                and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
            names.add(node.attr)
    return names


def private_name_uses(module: Module) -> list[str]:
    problems = []
    for imp in _imports(module, include_type_checking=True):
        owner = _private_owner(imp.target)
        if owner is not None and not (module.name == owner or module.name.startswith(owner + ".")):
            problems.append(f"{_where(module, imp.node)}: imports {imp.target}, private to {owner}")
        if imp.target != module.name:
            for name in imp.names:
                if _is_private(name):
                    problems.append(f"{_where(module, imp.node)}: imports {imp.target}.{name}")

    def walk(node: ast.AST, own: set[str]) -> None:
        for child in ast.iter_child_nodes(node):
            inner = own | _class_private_names(child) if isinstance(child, ast.ClassDef) else own
            if isinstance(child, ast.Attribute) and _is_private(child.attr) \
                    and child.attr not in ALLOWED_ATTRIBUTES and child.attr not in own:
                value = child.value
                if not (isinstance(value, ast.Name) and value.id in ("self", "cls")):
                    problems.append(f"{_where(module, child)}: reads {ast.unparse(child)}")
            # getattr(obj, "_name") is the same read, spelled so a grep would miss it
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id == "getattr" \
                    and len(child.args) >= 2 and isinstance(child.args[1], ast.Constant) \
                    and isinstance(child.args[1].value, str) and _is_private(child.args[1].value) \
                    and child.args[1].value not in own \
                    and not (isinstance(child.args[0], ast.Name) and child.args[0].id in ("self", "cls")):
                problems.append(f"{_where(module, child)}: reads {ast.unparse(child)}")
            walk(child, inner)

    walk(module.tree, set())
    return problems


def test_no_module_uses_another_modules_private_names() -> None:
    problems = [p for m in MODULES.values() for p in private_name_uses(m)]
    assert not problems, "private names used across modules:\n" + "\n".join(problems)


def test_the_private_name_check_catches_what_it_should() -> None:
    source = (
        "from sle_graph.rdf.write import _format\n"
        "import sle_graph.endpoint._http\n"
        "class A:\n"
        "    def f(self, other, kg):\n"
        "        return self._x, other._x, kg._nodes, self.kg._edges, getattr(kg, '_in'), getattr(self, '_y')\n"
        "    def g(self):\n"
        "        self._x = 1\n"
    )
    fake = Module("sle_graph.fake", SRC / "fake.py", False, ast.parse(source))
    found = [p.split(": ", 1)[1] for p in private_name_uses(fake)]
    assert found == ["imports sle_graph.rdf.write._format",
                     "imports sle_graph.endpoint._http, private to sle_graph.endpoint",
                     "reads kg._nodes", "reads self.kg._edges", "reads getattr(kg, '_in')"]


def import_graph() -> dict[str, set[str]]:
    """Module -> the ``sle_graph`` modules it imports at module level."""
    return {m.name: {i.target for i in _imports(m) if i.top_level and i.target != m.name and i.target in MODULES}
            for m in MODULES.values()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a list of nodes (first repeated last), or None."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_module_level_imports_have_no_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def layer_of(name: str) -> int:
    best = None
    for i, layer in enumerate(LAYERS):
        for entry in layer:
            if (name == entry or name.startswith(entry + ".")) and (best is None or len(entry) > len(best[1])):
                best = (i, entry)
    if best is None:
        raise AssertionError(f"{name} is in no layer: add it to LAYERS in {__file__}")
    return best[0]


def layer_violations(module: Module) -> list[str]:
    mine = layer_of(module.name)
    problems = []
    for imp in _imports(module):
        if module.name == "sle_graph.graph" and not imp.top_level:
            continue  # the graph's methods import the operations they delegate to, when called
        theirs = layer_of(imp.target)
        if theirs > mine:
            problems.append(f"{_where(module, imp.node)}: {module.name} (layer {mine}) imports "
                            f"{imp.target} (layer {theirs})")
    return problems


def test_every_module_is_in_a_layer() -> None:
    for name in MODULES:
        layer_of(name)


def test_imports_go_down_the_layers() -> None:
    problems = [p for m in MODULES.values() for p in layer_violations(m)]
    assert not problems, "imports from a higher layer:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", ["sle_graph.build.validation", "sle_graph.model", "sle_graph.errors"])
def test_the_bottom_never_imports_the_graph(name: str) -> None:
    assert "sle_graph.graph" not in {i.target for i in _imports(MODULES[name])}


def _fake(name: str, source: str, is_package: bool = False) -> Module:
    path = SRC.joinpath(*name.split(".")[1:]).with_suffix(".py")
    return Module(name, path, is_package, ast.parse(source))


def test_imports_are_read_as_python_resolves_them() -> None:
    fake = _fake("sle_graph.rdf.fake", (
        "from typing import TYPE_CHECKING\n"
        "from . import chunks\n"
        "from .write import PREFIXES\n"
        "from .. import graph\n"
        "import sle_graph.errors\n"
        "if TYPE_CHECKING:\n"
        "    from ..query.paths import Path\n"
        "def f():\n"
        "    from ..draw.diagram import render\n"
        "class C:\n"
        "    from ..model import Node\n"
    ))
    found = [(i.target, i.names, i.top_level) for i in _imports(fake)]
    assert found == [("sle_graph.rdf.chunks", (), True), ("sle_graph.rdf.write", ("PREFIXES",), True),
                     ("sle_graph.graph", (), True), ("sle_graph.errors", (), True),
                     ("sle_graph.draw.diagram", ("render",), False), ("sle_graph.model", ("Node",), True)]
    assert "sle_graph.query.paths" in {i.target for i in _imports(fake, include_type_checking=True)}


def test_the_layer_check_catches_an_import_from_above() -> None:
    low = _fake("sle_graph.model", "def f():\n    from .graph import KnowledgeGraph\n")
    assert [p.split(": ", 1)[1] for p in layer_violations(low)] == [
        "sle_graph.model (layer 2) imports sle_graph.graph (layer 5)"]
    graph = _fake("sle_graph.graph", "from .rdf.write import serialize\ndef f():\n    from .merge import merge\n")
    assert len(layer_violations(graph)) == 1  # at module level only: its methods may import lazily
