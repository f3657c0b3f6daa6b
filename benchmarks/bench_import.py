"""Import benchmarks: reading KGX pairs (streamed, fully validated) and linking to Hetionet.

Rows:

- ``import KGX pair``: :func:`sle_graph.read_kgx` on a generated KGX TSV pair
  (:func:`benchmarks.generate.generate_files`: Hetionet's shape, every edge with a knowledge
  source), every row validated (kinds, predicates, dangling references, domain and range,
  evidence). ``sle_graph.read_kgx`` reads the edges file in columns (pyarrow, the ``arrow`` extra)
  and validates each distinct combination of values once; ``read_kgx(columnar=False)``, the line
  reader, is in the same run for comparison. The baseline is ``pandas.read_csv`` of the same two
  files: what a notebook user would otherwise type, with no validation and no graph;
  ``pyarrow.csv.read_csv`` is the bare parse underneath ours.
- ``import KGX pair + merge``: the same, then merged into the curated graph (nodes landed by
  CURIE).
- ``link to Hetionet nodes``: :func:`sle_graph.io.hetionet.link` of the curated graph against the real
  Hetionet v1.0 node list (47,031 nodes; streamed, no graph built), and
  ``read Hetionet nodes + merge``: :func:`sle_graph.read_hetionet` of that list, merged. The list
  is in ``../shared/data`` (:func:`benchmarks.hetionet_schema.node_list`); without it these two
  rows say so and are not timed.

Each figure comes from a fresh process per run (see :func:`benchmarks.measure.isolated`); the
files are written before the timed step. Each row gives the step's CPU time too (its note, and
``cpu_s``; pyarrow's threads count): on a shared machine wall time counts other processes.
"""

from __future__ import annotations

import tempfile
import time
from typing import Any, Callable

from .hetionet_schema import NO_NODE_LIST, node_list
from .measure import isolated, row

HERE = "benchmarks.bench_import"


def _files(n: int) -> tuple[str, str]:
    from .generate import generate_files

    nodes, edges = generate_files(n, tempfile.mkdtemp(prefix="sle-bench-kgx-"))
    return str(nodes), str(edges)


# -- steps run in child processes (setup returns the timed step) ---------------------------------

def _timed(work: Callable[[], int]) -> Callable[[], str]:
    """The step: ``work()``; its value is ``"<edges> <CPU seconds>"``."""
    def step() -> str:
        cpu = time.process_time()
        count = work()
        return f"{count} {time.process_time() - cpu:.6f}"
    return step


def setup_read_kgx(n: int, merge: bool, columnar: bool = True) -> Callable[[], str]:
    import sle_graph

    nodes, edges = _files(n)
    base = sle_graph.load() if merge else None

    def work() -> int:
        kg = sle_graph.read_kgx(nodes, edges, columnar=columnar)
        if base is not None:
            kg = base.merge(kg)
        return len(kg.edges())
    return _timed(work)


def setup_pandas(n: int) -> Callable[[], str]:
    import pandas as pd

    nodes, edges = _files(n)

    def work() -> int:
        pd.read_csv(nodes, sep="\t", dtype=str, keep_default_na=False)
        return len(pd.read_csv(edges, sep="\t", dtype=str, keep_default_na=False))
    return _timed(work)


def setup_pyarrow(n: int) -> Callable[[], str]:
    import pyarrow.csv as pacsv

    nodes, edges = _files(n)
    options = pacsv.ParseOptions(delimiter="\t", quote_char=False)

    def work() -> int:
        pacsv.read_csv(nodes, parse_options=options)
        return pacsv.read_csv(edges, parse_options=options).num_rows
    return _timed(work)


def setup_link() -> Callable[[], int]:
    import sle_graph
    from sle_graph.io.hetionet import link

    kg, path = sle_graph.load(), node_list()
    return lambda: len(link(kg, path))


def setup_hetionet_merge() -> Callable[[], int]:
    import sle_graph

    kg, path = sle_graph.load(), node_list()
    return lambda: len(kg.merge(sle_graph.read_hetionet(path)))


# -- the benchmark ------------------------------------------------------------------------------

def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _measure(*args: Any, **kwargs: Any) -> tuple[Any, int, float]:
    """Timing, edges and CPU seconds of the last run of a step made by :func:`_timed`."""
    t = isolated(*args, **kwargs)
    count, cpu = str(t.value).split()
    return t, int(count), float(cpu)


def run(sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        op = "import KGX pair"
        t, count, cpu = _measure(f"{HERE}:setup_read_kgx", n, False, True, repeats=3, budget=120)
        rows.append(row(op, n, "sle_graph.read_kgx", t, items=n, cpu_s=cpu,
                        note=f"columnar (pyarrow), every row validated; {count} edges; CPU {cpu:.3g} s"))
        t, count, cpu = _measure(f"{HERE}:setup_read_kgx", n, False, False, repeats=3, budget=120)
        rows.append(row(op, n, "sle_graph.read_kgx(columnar=False)", t, items=n, cpu_s=cpu,
                        note=f"line by line, every row validated; {count} edges; CPU {cpu:.3g} s"))
        if _has("pandas"):
            t, count, cpu = _measure(f"{HERE}:setup_pandas", n, repeats=3, budget=60)
            rows.append(row(op, n, "pandas.read_csv", t, baseline=True, items=n, cpu_s=cpu,
                            note=f"both files as string tables; no validation, no graph; CPU {cpu:.3g} s"))
        if _has("pyarrow"):
            t, count, cpu = _measure(f"{HERE}:setup_pyarrow", n, repeats=3, budget=60)
            rows.append(row(op, n, "pyarrow.csv.read_csv", t, items=n, cpu_s=cpu,
                            note=f"both files as tables, threaded; no validation, no graph; CPU {cpu:.3g} s"))
        t, count, cpu = _measure(f"{HERE}:setup_read_kgx", n, True, repeats=1)
        rows.append(row("import KGX pair + merge", n, "read_kgx + kg.merge", t, items=n, cpu_s=cpu,
                        note=f"merged into the curated graph, nodes landed by CURIE; CPU {cpu:.3g} s"))
    if node_list() is None:
        rows.append(row("link to Hetionet nodes", None, "sle_graph.io.hetionet.link", note=f"not run: {NO_NODE_LIST}"))
        rows.append(row("read Hetionet nodes + merge", None, "read_hetionet + kg.merge", note=f"not run: {NO_NODE_LIST}"))
        return rows
    t = isolated(f"{HERE}:setup_link", repeats=5)
    rows.append(row("link to Hetionet nodes", None, "sle_graph.io.hetionet.link", t, items=47_031, unit="nodes",
                    note=f"real Hetionet v1.0 node list, streamed; {t.value} links"))
    t = isolated(f"{HERE}:setup_hetionet_merge", repeats=3)
    rows.append(row("read Hetionet nodes + merge", None, "read_hetionet + kg.merge", t, items=47_031, unit="nodes",
                    note=f"{t.value} nodes after merging"))
    return rows
