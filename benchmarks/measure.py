"""Timing and memory helpers for benchmark modules, and the result rows they return.

Two ways to measure:

- :func:`median_time` times a call in this process (queries, small steps), median over repeats.
- :func:`isolated` runs a step in a fresh Python process per repeat and reports its median time and
  peak memory, so sizes and tools don't pollute each other's memory. The step is named as
  ``"module:setup_function"``; the setup function is called with the given JSON-able arguments and
  returns the step (a callable with no arguments). Only the step is timed. Memory comes from
  Linux's ``VmHWM`` (``/proc/self/status``) in the child: ``peak_mb`` is the process's peak
  over the step, ``step_mb`` the peak minus the resident memory just before the step (what it added:
  the structure it built plus its transients); the setup's own peak is forgotten before the step
  (Linux ``/proc/self/clear_refs``), so a setup that built a large graph does not inflate it.

Every benchmark module returns a list of rows made by :func:`row` (plain dicts, see there).

>>> t = median_time(lambda: sum(range(1000)), repeats=3)
>>> t.repeats, t.seconds >= 0
(3, True)
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from sle_graph.gc_pause import trim_heap

__all__ = ["Timing", "median_time", "isolated", "row", "quick", "n_repeats", "REPO"]

REPO = Path(__file__).resolve().parent.parent
QUICK_ENV = "SLE_BENCH_QUICK"
_MARK = "@@sle-bench@@"


def quick() -> bool:
    """True in a ``--quick`` smoke run (one repeat of everything)."""
    return os.environ.get(QUICK_ENV) == "1"


def n_repeats(default: int) -> int:
    """``default``, or 1 in a quick run."""
    return 1 if quick() else default


@dataclass(frozen=True)
class Timing:
    """The median and every measured time, in seconds; with peak memory for isolated runs."""

    seconds: float
    times: tuple[float, ...]
    peak_mb: float | None = None
    step_mb: float | None = None
    value: Any = field(default=None, compare=False)
    cpu_seconds: float | None = None
    """Isolated runs: the step's CPU time (this process), median; beside wall time on a busy machine."""
    held_mb: float | None = None
    """Isolated runs: resident memory after the step minus before it, once the cyclic collector
    ran and the C allocator gave back what it kept free (:func:`sle_graph.gc_pause.trim_heap`):
    what the step keeps, for steps that keep what they build (``setup_build`` in ``bench_load``)."""

    @property
    def repeats(self) -> int:
        return len(self.times)


def median_time(fn: Callable[[], Any], repeats: int = 5, warmup: int = 1) -> Timing:
    """Median wall time of ``fn()`` over ``repeats`` calls after ``warmup`` untimed calls."""
    n = n_repeats(repeats)
    value = None
    for _ in range(warmup if n > 1 else 0):
        value = fn()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return Timing(statistics.median(times), tuple(times), value=value)


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    """This process's peak resident memory: Linux's ``VmHWM`` (reset by :func:`_reset_peak`).

    Not ``getrusage().ru_maxrss``: on Linux that starts at the parent's resident size when the
    child is forked, so a harness holding a large graph would show as every child's peak.
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _children_peak_mb() -> float:
    """The largest peak resident memory of this process's finished child processes."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux


def _reset_peak() -> None:
    """Forget the setup's peak (Linux: ``/proc/self/clear_refs``), so the step's peak is its own."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:  # not Linux, or not allowed: the peak may then be the setup's
        pass


def _child(target: str, args_json: str) -> None:
    module, _, name = target.partition(":")
    setup = getattr(importlib.import_module(module), name)
    step = setup(*json.loads(args_json))
    gc.collect()
    _reset_peak()
    base = _rss_mb()
    children_before = _children_peak_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    value = step()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    # Processes the step started (parallel parsing) count too: their largest peak is added, an
    # upper bound of what the step held at once.
    children = _children_peak_mb()
    peak = _peak_mb() + (children if children > children_before else 0.0)
    if not isinstance(value, (int, float, str, type(None))):
        value = None
    gc.collect()
    trim_heap()  # what the C allocator keeps free is not held by the step
    held = max(0.0, _rss_mb() - base)
    print(_MARK + json.dumps({"seconds": seconds, "peak_mb": peak, "step_mb": max(0.0, peak - base),
                              "value": value, "cpu_seconds": cpu, "held_mb": held}), flush=True)


def isolated(target: str, *args: Any, repeats: int = 3, budget: float = 60.0,
             timeout: float | None = None) -> Timing:
    """Run ``target``'s step in a fresh process per repeat; median time, median peak memory.

    Stops repeating once the total time passes ``budget`` seconds (a 1M-edge rdflib build runs
    once, not three times). Raises ``RuntimeError`` with the child's error if it fails.
    """
    n = n_repeats(repeats)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    results: list[dict[str, Any]] = []
    spent = 0.0
    while len(results) < n and (not results or spent < budget):
        done = subprocess.run([sys.executable, "-m", "benchmarks.measure", target, json.dumps(args)],
                              cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
        lines = [ln for ln in done.stdout.splitlines() if ln.startswith(_MARK)]
        if done.returncode != 0 or not lines:
            tail = "\n".join(done.stderr.strip().splitlines()[-8:])
            raise RuntimeError(f"{target}{tuple(args)} failed (exit {done.returncode}):\n{tail}")
        results.append(json.loads(lines[-1][len(_MARK):]))
        spent += results[-1]["seconds"]
    times = tuple(r["seconds"] for r in results)
    return Timing(statistics.median(times), times,
                  statistics.median(r["peak_mb"] for r in results),
                  statistics.median(r["step_mb"] for r in results), results[-1]["value"],
                  statistics.median(r["cpu_seconds"] for r in results), statistics.median(r["held_mb"] for r in results))


def row(operation: str, size: int | None, tool: str, timing: Timing | None = None, *,
        baseline: bool = False, items: int | None = None, unit: str = "edges", note: str = "",
        **extra: Any) -> dict[str, Any]:
    """A result row: what was measured (``operation`` on a graph of ``size`` edges, by ``tool``).

    Rows of one ``operation`` and ``size`` are compared with the row marked ``baseline=True``
    (the tool a user would otherwise pick): the harness adds the speed-up (baseline time / time)
    and the memory ratio (step memory / baseline step memory). ``items`` (triples written, paths
    found, ...) gives a rate. ``size=None`` is a fixed input such as the curated graph.
    """
    out: dict[str, Any] = {"operation": operation, "size": size, "tool": tool, "baseline": baseline,
                           "seconds": None, "repeats": 0, "peak_mb": None, "step_mb": None,
                           "items": items, "unit": unit, "note": note}
    if timing is not None:
        out.update(seconds=timing.seconds, repeats=timing.repeats, peak_mb=timing.peak_mb,
                   step_mb=timing.step_mb)
    out.update(extra)
    return out


def setup_allocate(mb: int) -> Callable[[], int]:
    """A step that holds ``mb`` MiB for a moment (the harness's own tests measure it)."""
    def step() -> int:
        block = bytearray(mb * 2**20)
        for i in range(0, len(block), 4096):  # touch every page: resident, not just reserved
            block[i] = 1
        return len(block)

    return step


def setup_allocate_in_child(mb: int) -> Callable[[], int]:
    """A step whose own child process holds ``mb`` MiB for a moment (the harness's tests)."""
    code = (f"b = bytearray({mb} * 2**20)\n"
            "for i in range(0, len(b), 4096): b[i] = 1\n")

    def step() -> int:
        subprocess.run([sys.executable, "-c", code], check=True)
        return mb

    return step


if __name__ == "__main__":  # the child of isolated()
    _child(sys.argv[1], sys.argv[2])
