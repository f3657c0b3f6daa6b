"""Benchmarks of sle_graph on seeded graphs of Hetionet's shape (run: ``make bench``).

Writing a benchmark topic: add ``benchmarks/bench_<topic>.py`` with

.. code-block:: python

    from .measure import isolated, median_time, row

    def setup_export(n: int):                      # runs in a fresh process; not timed
        from .generate import generate
        kg = generate(n)
        return lambda: len(kg.serialize(format="turtle"))   # the timed step

    def run(sizes: list[int]) -> list[dict]:
        rows = []
        for n in sizes:
            t = isolated("benchmarks.bench_export:setup_export", n)   # time + peak memory
            rows.append(row("Turtle export", n, "sle_graph", t, items=n))
            ...                                    # the baseline row: row(..., baseline=True)
        return rows

Rows with the same ``operation`` and ``size`` are compared with the one marked ``baseline=True``.
In-process timings of fast steps (queries) use :func:`benchmarks.measure.median_time`. Graphs come
from :mod:`benchmarks.generate` (``generate``, ``layout`` + ``build``, ``triples``,
``generate_files``); its schema from :mod:`benchmarks.hetionet_schema`. ``--quick`` runs
(``benchmarks.measure.quick()``) repeat everything once; keep them to a few seconds.
"""
