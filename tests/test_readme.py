"""The README cannot rot: its code runs, its tables match the ontology, its diagram matches the data.

- ```` ```python ```` blocks run in document order, in one namespace, in a temporary working
  folder holding a copy of ``examples/`` (so ``examples/user_facts`` resolves).
- ```` ```sh ```` blocks: every line starting with ``sle-graph`` runs through the shell with the
  installed console script first on ``PATH``, in order, in another such folder, and must exit 0.
  Other lines (``make``, ``pip``, ``oxigraph serve``) are not run.
- A block right after the line ``<!-- readme-test: skip -->`` (a reason may follow ``skip``) is
  not run: for blocks that need a SPARQL server.
- ```` ```turtle ```` blocks are excerpts of the export: every triple must be in ``kg.to_rdf()``.
- The kinds and predicates tables list every kind and predicate of the ontology with its label,
  parent or domain and range, and standard terms, exactly as the ontology has them.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import traceback
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

import sle_graph

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
SKIP = re.compile(r"^<!--\s*readme-test:\s*skip\b.*-->$")
FENCE = re.compile(r"^```(\w*)\s*$")


@dataclass
class Block:
    language: str
    line: int  # 1-based line of the opening fence
    code: str
    skip: bool


def blocks(text: str) -> list[Block]:
    """The fenced code blocks of a markdown text, with their language and skip marker."""
    found, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        before = next((lines[j].strip() for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        found.append(Block(m.group(1), i + 1, "\n".join(lines[i + 1:end]), bool(SKIP.match(before))))
        i = end + 1
    return found


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


def workdir(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "examples", tmp_path / "examples",
                    ignore=shutil.ignore_patterns("out", "*.ipynb", "__pycache__"))
    return tmp_path


def test_block_parser_finds_skip_markers():
    text = "x\n\n<!-- readme-test: skip (needs a server) -->\n```python\nboom()\n```\n```sh\nsle-graph info\n```\n"
    assert blocks(text) == [Block("python", 4, "boom()", True), Block("sh", 7, "sle-graph info", False)]


@pytest.mark.slow
def test_python_blocks_run_in_order(readme, tmp_path, monkeypatch):
    monkeypatch.chdir(workdir(tmp_path))
    namespace: dict = {"__name__": "__readme__"}
    ran = 0
    for block in blocks(readme):
        if block.language != "python" or block.skip:
            continue
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(block.code, f"README.md:{block.line}", "exec"), namespace)
        except Exception:
            pytest.fail(f"the python block at README.md line {block.line} failed:\n{traceback.format_exc()}")
        ran += 1
    assert ran >= 5


def _commands(code: str) -> list[str]:
    """The ``sle-graph`` command lines of a shell block (backslash continuations joined)."""
    joined = re.sub(r"\\\n\s*", " ", code)
    return [line.strip() for line in joined.splitlines() if line.strip().startswith("sle-graph ")]


@pytest.mark.slow
def test_sh_blocks_run_in_order(readme, tmp_path):
    cwd = workdir(tmp_path)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    ran = 0
    for block in blocks(readme):
        if block.language != "sh" or block.skip:
            continue
        for command in _commands(block.code):
            done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=cwd, env=env,
                                  capture_output=True, text=True, timeout=120)
            # a pipe into `head` may close early: the command exits 0 (BrokenPipeError) or 141 (SIGPIPE)
            ok = done.returncode == 0 or ("| head" in command and done.returncode == 141)
            assert ok, f"README.md block at line {block.line}: `{command}` exited {done.returncode}:\n{done.stderr}"
            ran += 1
    assert ran >= 8


def test_turtle_blocks_are_part_of_the_export(readme, kg):
    import rdflib

    export = kg.to_rdf()
    shown = [b for b in blocks(readme) if b.language == "turtle"]
    assert shown
    for block in shown:
        excerpt = rdflib.Graph().parse(data=block.code, format="turtle")
        missing = [t for t in excerpt if t not in export]
        assert len(excerpt) > 10 and not missing, f"README.md line {block.line}: not in the export: {missing[:3]}"


def test_every_command_appears_in_the_readme(readme):
    from sle_graph.cli import COMMANDS

    for command in COMMANDS:
        assert f"sle-graph {command}" in readme, f"the README does not show `sle-graph {command}`"


# -- concept tables, checked against the ontology -------------------------------------------------

def table_rows(text: str, header: str) -> dict[str, list[str]]:
    """Rows of the markdown table whose header line starts with ``header``, by first cell."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(header)), None)
    assert start is not None, f"the README has no table starting {header!r}"
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows[cells[0].strip("`")] = cells[1:]
    return rows


def _terms(exact: tuple[str, ...], close: tuple[str, ...]) -> str:
    return "<br>".join([f"{c} (exact)" for c in exact] + list(close))


def _kinds(names) -> str:
    return ", ".join(f"`{k}`" for k in sorted(names))


def expected_kind_rows() -> dict[str, list[str]]:
    schema = sle_graph.load().schema
    return {k.name: [k.label, f"`{k.parent}`" if k.parent else "", _terms(k.exact_mappings, k.close_mappings),
                     k.definition] for k in schema.kinds.values()}


def expected_predicate_rows() -> dict[str, list[str]]:
    schema = sle_graph.load().schema
    return {p.name: [p.label, f"{_kinds(p.domain)} → {_kinds(p.range)}", _terms(p.exact_mappings, p.close_mappings),
                     p.definition] for p in schema.predicates.values()}


def _as_table(header: str, rows: dict[str, list[str]]) -> str:
    n = header.count("|") - 1
    return "\n".join([header, "|" + " --- |" * n] + [f"| `{k}` | " + " | ".join(v) + " |" for k, v in rows.items()])


KIND_HEADER = "| kind | label | is a | standard terms | definition |"
PREDICATE_HEADER = "| predicate | label | from → to | standard terms | definition |"


@pytest.mark.parametrize("header, expected", [(KIND_HEADER, expected_kind_rows),
                                              (PREDICATE_HEADER, expected_predicate_rows)],
                         ids=["kinds", "predicates"])
def test_concept_tables_match_the_ontology(readme, header, expected):
    want = expected()
    assert table_rows(readme, header) == want, \
        f"the README table differs from the ontology; the table should read:\n\n{_as_table(header, want)}\n"


def test_the_readme_diagram_shows_the_current_neighbourhood(readme, kg):
    """docs/sle_graph.svg is `sle-graph render` of MSC's neighbourhood; regenerate it when the data changes."""
    assert "docs/sle_graph.svg" in readme
    svg = ET.parse(REPO / "docs" / "sle_graph.svg").getroot()
    drawn = {g.get("id")[5:] for g in svg.iter("{http://www.w3.org/2000/svg}g")
             if (g.get("id") or "").startswith("node:")}
    want = {n.id for n in kg.neighbors("msc", hops=1) if n.kind not in ("Study", "SourceDocument")}
    assert drawn == want, ("docs/sle_graph.svg is out of date; regenerate it with\n"
                           "  sle-graph render -o docs/sle_graph.svg --focus 'mesenchymal stem cell' --hops 1")
