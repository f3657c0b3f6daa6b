"""Modules that moved to the layered layout still import by their old names, and say where they went."""

from __future__ import annotations

import importlib
import os
import warnings

import pytest

import sle_graph
from sle_graph._moved import MOVED


@pytest.mark.parametrize("old", sorted(MOVED))
def test_old_name_forwards_every_public_name_with_a_warning(old):
    new = importlib.import_module(f"sle_graph.{MOVED[old]}")
    alias = importlib.import_module(f"sle_graph.{old}")
    names = getattr(new, "__all__", None) or [n for n in vars(new) if not n.startswith("_")]
    assert names, f"sle_graph.{MOVED[old]} has no public names"
    for name in names:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = getattr(alias, name)
        assert value is getattr(new, name), name
        assert [w.category for w in caught] == [DeprecationWarning], name
        assert f"sle_graph.{MOVED[old]}" in str(caught[0].message)
        assert caught[0].filename == __file__  # the warning points at the caller's line


def test_unknown_name_of_an_old_module_is_an_attribute_error():
    alias = importlib.import_module("sle_graph.paths")
    with pytest.raises(AttributeError), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        alias.no_such_name  # noqa: B018


def test_render_stays_callable_after_importing_the_old_render_module(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sle_graph.render import GraphvizNotFound  # binds sle_graph.render to the old module
    assert issubclass(GraphvizNotFound, sle_graph.SleGraphError)
    text = sle_graph.render(sle_graph.load().neighbors("msc", hops=1), format="dot")
    assert text.startswith("digraph")


def test_the_old_names_are_not_modules_of_the_package_any_more():
    folder = sle_graph.__path__[0]
    for old in MOVED:
        assert not os.path.exists(os.path.join(folder, f"{old}.py")), old


REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: Pages that show the old names on purpose (the moved-modules section).
SHOWS_OLD_NAMES = {os.path.join("docs", "architecture.md")}


def test_readme_docs_and_examples_use_the_new_module_names():
    import re

    old = re.compile(r"(?:from|import)\s+sle_graph\.(" + "|".join(MOVED) + r")\b")
    paths = [os.path.join(REPO, "README.md")]
    for folder in ("docs", "examples"):
        for root, _, files in os.walk(os.path.join(REPO, folder)):
            paths += [os.path.join(root, n) for n in files if n.endswith((".md", ".py", ".ipynb"))]
    found = []
    for path in paths:
        rel = os.path.relpath(path, REPO)
        if rel not in SHOWS_OLD_NAMES:
            with open(path, encoding="utf-8") as fh:
                found += [f"{rel}: {m.group(0)}" for m in old.finditer(fh.read())]
    assert len(paths) > 10 and not found, "old module names (they warn): " + "; ".join(found)
