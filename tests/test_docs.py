"""The README and the guide in docs/ cannot rot: their code runs, their links resolve, their tables
match the ontology, the README's picture matches the data.

Every page is README.md or a ``docs/*.md`` file. For each page:

- ```` ```python ```` blocks run in document order, in one namespace per page, in a temporary
  working folder holding a copy of ``examples/`` (so ``examples/user_facts`` resolves). A block
  that raises fails the test with the page and the line in it.
- ```` ```sh ```` blocks: every line starting with ``sle-graph`` runs through the shell with the
  installed console script first on ``PATH``, in order, in another such folder, and must exit 0.
  Other lines (``make``, ``pip``, ``oxigraph serve``) are not run.
- A block right after the line ``<!-- docs-test: skip (reason) -->`` is not run: for the few
  blocks that need a SPARQL server or downloads. The reason is required and shows in the source.
- ```` ```turtle ```` blocks are excerpts of the export: every triple must be in ``kg.to_rdf()``.
- Every relative link (and ``#anchor``) points to a file (and heading) that exists.

docs/concepts.md's kinds and predicates tables list every kind and predicate of the ontology with
its label, parent or domain and range, and standard terms, exactly as the ontology has them.
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
DOCS = REPO / "docs"
CONCEPTS = DOCS / "concepts.md"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
SKIP = re.compile(r"^<!--\s*docs-test:\s*skip\s*\((?P<reason>[^)]+)\)\s*-->$")
FENCE = re.compile(r"^```(\w*)\s*$")
MAX_SKIPPED = 5  # blocks that need a server or downloads; every other block runs


def page_id(page: Path) -> str:
    return page.relative_to(REPO).as_posix()


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


def page_blocks(page: Path, language: str) -> list[Block]:
    return [b for b in blocks(page.read_text(encoding="utf-8")) if b.language == language]


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


def workdir(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "examples", tmp_path / "examples",
                    ignore=shutil.ignore_patterns("out", "*.ipynb", "__pycache__"))
    return tmp_path


def test_block_parser_finds_skip_markers():
    text = "x\n\n<!-- docs-test: skip (needs a server) -->\n```python\nboom()\n```\n```sh\nsle-graph info\n```\n"
    assert blocks(text) == [Block("python", 4, "boom()", True), Block("sh", 7, "sle-graph info", False)]
    assert not blocks("<!-- docs-test: skip -->\n```python\nboom()\n```\n")[0].skip  # a reason is required


def test_the_readme_is_short():
    size = len(README.read_bytes())
    assert size <= 12_000, f"README.md is {size} bytes; keep it under 12,000 and move detail to docs/"


def test_the_pages_hold_code_and_skip_little():
    """The guards of the runs below: the pages have code to run, and few blocks are skipped."""
    everything = [b for page in PAGES for b in blocks(page.read_text(encoding="utf-8"))]
    python = [b for b in everything if b.language == "python" and not b.skip]
    commands = [c for b in everything if b.language == "sh" and not b.skip for c in _commands(b.code)]
    skipped = [b for b in everything if b.skip]
    assert len(python) >= 15 and len(commands) >= 15, (len(python), len(commands))
    assert len(skipped) <= MAX_SKIPPED, f"{len(skipped)} blocks skipped; make them runnable"
    assert {b.language for b in everything} <= {"python", "sh", "turtle", "text"}


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_python_blocks_run_in_order(page, tmp_path, monkeypatch):
    monkeypatch.chdir(workdir(tmp_path))
    namespace: dict = {"__name__": "__docs__"}
    for block in page_blocks(page, "python"):
        if block.skip:
            continue
        # padded so that a traceback's line numbers are the page's own
        code = "\n" * block.line + block.code
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(code, page_id(page), "exec"), namespace)
        except Exception:
            pytest.fail(f"the python block at {page_id(page)} line {block.line} failed:\n{traceback.format_exc()}")


def _commands(code: str) -> list[str]:
    """The ``sle-graph`` command lines of a shell block (backslash continuations joined)."""
    joined = re.sub(r"\\\n\s*", " ", code)
    return [line.strip() for line in joined.splitlines() if line.strip().startswith("sle-graph ")]


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_sh_blocks_run_in_order(page, tmp_path):
    cwd = workdir(tmp_path)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    for block in page_blocks(page, "sh"):
        if block.skip:
            continue
        for command in _commands(block.code):
            done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=cwd, env=env,
                                  capture_output=True, text=True, timeout=120)
            # a pipe into `head` may close early: the command exits 0 (BrokenPipeError) or 141 (SIGPIPE)
            ok = done.returncode == 0 or ("| head" in command and done.returncode == 141)
            assert ok, f"{page_id(page)} block at line {block.line}: `{command}` exited {done.returncode}:\n{done.stderr}"


def test_turtle_blocks_are_part_of_the_export(kg):
    import rdflib

    export = kg.to_rdf()
    shown = [(page, b) for page in PAGES for b in page_blocks(page, "turtle")]
    assert shown
    for page, block in shown:
        excerpt = rdflib.Graph().parse(data=block.code, format="turtle")
        missing = [t for t in excerpt if t not in export]
        assert len(excerpt) > 10 and not missing, \
            f"{page_id(page)} line {block.line}: not in the export: {missing[:3]}"


def test_every_command_appears_in_the_readme(readme):
    from sle_graph.cli import COMMANDS

    for command in COMMANDS:
        assert f"sle-graph {command}" in readme, f"the README does not show `sle-graph {command}`"


# -- links ------------------------------------------------------------------------------------------

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def prose(text: str) -> str:
    """``text`` without fenced blocks and inline code (kept as blank space: line numbers hold)."""
    out, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
            out.append("")
        else:
            out.append("" if fenced else re.sub(r"`[^`]*`", "", line))
    return "\n".join(out)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    return {slug(line.lstrip("#")) for line in prose(page.read_text(encoding="utf-8")).splitlines()
            if line.startswith("#")}


def links(page: Path) -> list[tuple[int, str]]:
    """(line, target) of every relative link of a page (web and mail links left out)."""
    return [(n, m.group(1)) for n, line in enumerate(prose(page.read_text(encoding="utf-8")).splitlines(), 1)
            for m in LINK.finditer(line) if not re.match(r"[a-z]+:", m.group(1))]


def test_link_finder_sees_relative_links_only():
    assert slug("Extending and merging: KGX, Hetionet") == "extending-and-merging-kgx-hetionet"
    assert [t for _, t in links(README)] and all("://" not in t for _, t in links(README))


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_relative_links_resolve(page):
    broken = []
    for line, target in links(page):
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(f"{page_id(page)}:{line}: {target}: no such file")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{page_id(page)}:{line}: {target}: no heading with that anchor")
    assert not broken, "\n".join(broken)


def test_the_index_links_every_page():
    linked = {(DOCS / t.partition("#")[0]).resolve() for _, t in links(DOCS / "index.md")}
    missing = [p.name for p in DOCS.glob("*.md") if p.name != "index.md" and p.resolve() not in linked]
    assert not missing, f"docs/index.md does not link {missing}"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_pages_carry_no_dated_log(page):
    """The pages describe the project as it is; dated runs belong in benchmarks/results/."""
    dates = re.findall(r"\b20\d\d-[01]\d-[0-3]\d\b", page.read_text(encoding="utf-8"))
    assert not dates, f"{page_id(page)} mentions dates {dates}: link benchmarks/results/ instead"


# -- concept tables, checked against the ontology -------------------------------------------------

def table_rows(text: str, header: str) -> dict[str, list[str]]:
    """Rows of the markdown table whose header line starts with ``header``, by first cell."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(header)), None)
    assert start is not None, f"docs/concepts.md has no table starting {header!r}"
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
def test_concept_tables_match_the_ontology(header, expected):
    want = expected()
    assert table_rows(CONCEPTS.read_text(encoding="utf-8"), header) == want, \
        f"the docs/concepts.md table differs from the ontology; the table should read:\n\n{_as_table(header, want)}\n"


def test_the_readme_diagram_shows_the_current_neighbourhood(readme, kg):
    """docs/sle_graph.svg is `sle-graph render` of MSC's neighbourhood; regenerate it when the data changes."""
    assert "docs/sle_graph.svg" in readme
    svg = ET.parse(REPO / "docs" / "sle_graph.svg").getroot()
    drawn = {g.get("id")[5:] for g in svg.iter("{http://www.w3.org/2000/svg}g")
             if (g.get("id") or "").startswith("node:")}
    want = {n.id for n in kg.neighbors("msc", hops=1) if n.kind not in ("Study", "SourceDocument")}
    assert drawn == want, ("docs/sle_graph.svg is out of date; regenerate it with\n"
                           "  sle-graph render -o docs/sle_graph.svg --focus 'mesenchymal stem cell' --hops 1")
